import type { LintMessage, LintResult, ReportData } from './types.js';

/** Fills `{{name}}` placeholders; unknown names are left visible so a missing datum shows in tests. */
export function formatMessage(template: string, data: ReportData | undefined): string {
  return template.replace(/\{\{\s*([\w-]+)\s*\}\}/g, (match, name: string) => {
    const value = data?.[name];
    return value === undefined ? match : String(value);
  });
}

/** Code-point order, never locale order: output must be identical on every machine. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareMessages(a: LintMessage, b: LintMessage): number {
  return a.line - b.line || a.column - b.column || compareStrings(a.ruleId ?? '', b.ruleId ?? '') || compareStrings(a.message, b.message);
}

/** Groups messages into one result per file, sorted by file, line, column and rule (deterministic: the same input always gives the same output). */
export function buildResults(messagesByFile: ReadonlyMap<string, LintMessage[]>): LintResult[] {
  return [...messagesByFile.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([filePath, messages]) => {
      const unique = dedupe([...messages].sort(compareMessages));
      return {
        filePath,
        messages: unique,
        errorCount: unique.filter((message) => message.severity === 2).length,
        warningCount: unique.filter((message) => message.severity === 1).length,
        fatalErrorCount: unique.filter((message) => message.fatal === true).length,
      };
    });
}

function dedupe(messages: LintMessage[]): LintMessage[] {
  const seen = new Set<string>();
  return messages.filter((message) => {
    const key = JSON.stringify([message.ruleId, message.line, message.column, message.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface Totals {
  errorCount: number;
  warningCount: number;
  fatalErrorCount: number;
}

export function totals(results: readonly LintResult[]): Totals {
  return results.reduce(
    (sum, result) => ({
      errorCount: sum.errorCount + result.errorCount,
      warningCount: sum.warningCount + result.warningCount,
      fatalErrorCount: sum.fatalErrorCount + result.fatalErrorCount,
    }),
    { errorCount: 0, warningCount: 0, fatalErrorCount: 0 },
  );
}
