/**
 * GitHub Actions workflow commands: one `::error` or `::warning` line per
 * finding, which the runner turns into annotations on the pull request.
 *
 * Every finding is printed; the per-step cap of 10 annotations per level is the
 * GitHub Action's business, not this formatter's.
 */
import type { Formatter, LintMessage } from '../core/types.js';
import { FATAL_RULE_ID, repoRelativePath } from './sarif.js';

/** Escapes a command's message the way the runner decodes it. */
export function escapeCommandData(value: string): string {
  return value.replace(/%/gu, '%25').replace(/\r/gu, '%0D').replace(/\n/gu, '%0A');
}

/** Escapes a command property value; `:` and `,` would otherwise end the value early. */
export function escapeCommandProperty(value: string): string {
  return escapeCommandData(value).replace(/:/gu, '%3A').replace(/,/gu, '%2C');
}

function isPosition(value: number | undefined): value is number {
  return value !== undefined && Number.isInteger(value) && value >= 1;
}

/** One workflow command for one finding; `file` is the repository-relative path. */
export function formatWorkflowCommand(file: string, message: LintMessage): string {
  const command = message.severity === 2 ? 'error' : 'warning';
  const properties: [string, string][] = [['file', file]];
  // The runner rejects a column without a line, and an end without a start. Columns go only
  // on a finding within one line: @actions/core's AnnotationProperties says startColumn and
  // endColumn "cannot be sent when startLine and endLine are different values".
  if (isPosition(message.line)) {
    properties.push(['line', String(message.line)]);
    const endLine = isPosition(message.endLine) ? message.endLine : message.line;
    const oneLine = endLine === message.line;
    if (oneLine && isPosition(message.column)) properties.push(['col', String(message.column)]);
    if (isPosition(message.endLine)) {
      properties.push(['endLine', String(message.endLine)]);
      if (oneLine && isPosition(message.column) && isPosition(message.endColumn)) properties.push(['endColumn', String(message.endColumn)]);
    }
  }
  properties.push(['title', message.ruleId ?? FATAL_RULE_ID]);
  const encodedProperties = properties.map(([name, value]) => `${name}=${escapeCommandProperty(value)}`).join(',');
  return `::${command} ${encodedProperties}::${escapeCommandData(message.message)}`;
}

/** One line per finding, newline-terminated; empty when there is nothing to report. */
export const github: Formatter = (results, context) => {
  const lines: string[] = [];
  for (const result of results) {
    const file = repoRelativePath(result.filePath, context.rootDir);
    for (const message of result.messages) lines.push(formatWorkflowCommand(file, message));
  }
  return lines.map((line) => `${line}\n`).join('');
};

export default github;
