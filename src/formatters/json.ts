import type { Formatter } from '../core/types.js';

/**
 * ESLint's JSON (the LintResult fields its own formatters and tools read), so that ESLint's
 * formatters and ESLint-aware tools take it as it is; messageId is kept, as ESLint does.
 * - suppressedMessages: []: an inline directive's suppressed findings are not kept by the linter.
 * - fixableErrorCount, fixableWarningCount: 0: no rule has an automatic fix.
 * - usedDeprecatedRules: []: no rule is deprecated.
 */
export const json: Formatter = (results) =>
  `${JSON.stringify(
    results.map((result) => ({
      filePath: result.filePath,
      messages: result.messages,
      suppressedMessages: [],
      errorCount: result.errorCount,
      fatalErrorCount: result.fatalErrorCount,
      warningCount: result.warningCount,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
      usedDeprecatedRules: [],
    })),
  )}\n`;

export default json;
