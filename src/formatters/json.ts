import type { Formatter } from '../core/types.js';

/** ESLint-compatible results (ESLint's JSON formatter output); messageId is kept, as ESLint does. */
export const json: Formatter = (results) =>
  `${JSON.stringify(
    results.map((result) => ({
      filePath: result.filePath,
      messages: result.messages,
      errorCount: result.errorCount,
      warningCount: result.warningCount,
      fatalErrorCount: result.fatalErrorCount,
    })),
  )}\n`;

export default json;
