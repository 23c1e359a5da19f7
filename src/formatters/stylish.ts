import { Chalk } from 'chalk';
import { relative } from 'node:path';
import { maskAddressesInText } from '../core/mask.js';
import { totals } from '../core/report.js';
import type { Formatter, LintMessage } from '../core/types.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * ESLint's stylish layout: findings grouped by file, then a closing count; a clean run, where
 * ESLint prints nothing, closes with what it checked (`✔ 2 campaigns checked, no problems`).
 * Campaign YAML lines are shown as a code frame with every address masked
 * (a cc list is a list of customers); CSV and template lines are never shown.
 */
export const stylish: Formatter = (results, context) => {
  const chalk = new Chalk({ level: context.color ? 1 : 0 });
  const out: string[] = [];
  for (const result of results) {
    if (result.messages.length === 0) continue;
    out.push('', chalk.underline(relative(context.cwd, result.filePath) || result.filePath));
    const source = context.sourceOf(result.filePath);
    const visibleSource = source === undefined ? undefined : context.showPii ? source : maskAddressesInText(source);
    const lines = visibleSource?.split(LINE_BREAK);
    for (const message of result.messages) {
      out.push(formatLine(message, chalk));
      if (lines !== undefined) out.push(...codeFrame(lines, message.line, message.column).map((line) => `    ${chalk.dim(line)}`));
    }
  }
  const { errorCount, warningCount } = totals(results);
  const problems = errorCount + warningCount;
  if (problems === 0) return `${chalk.green.bold(cleanSummary(results.length, context.campaignCount, context.hiddenWarnings ?? 0))}\n`;
  const colour = errorCount > 0 ? chalk.red.bold : chalk.yellow.bold;
  out.push('', colour(`\u2716 ${plural(problems, 'problem')} (${plural(errorCount, 'error')}, ${plural(warningCount, 'warning')})`));
  if (context.maxWarnings !== undefined && warningCount > context.maxWarnings) {
    out.push(chalk.red.bold(`campaign-lint found too many warnings (maximum: ${context.maxWarnings}).`));
  }
  return `${out.join('\n')}\n`;
};

/**
 * The closing line of a run without problems, so that a clean run says it ran and what it
 * checked: `✔ 2 campaigns checked, no problems`. Campaigns are counted when the caller knows
 * them (a run's results also hold its lists and templates), files otherwise.
 */
export function cleanSummary(files: number, campaigns: number | undefined, hiddenWarnings: number): string {
  const checked = campaigns === undefined ? plural(files, 'file') : plural(campaigns, 'campaign');
  const verdict = hiddenWarnings > 0 ? `no errors (${plural(hiddenWarnings, 'warning')} hidden by --quiet)` : 'no problems';
  return `\u2714 ${checked} checked, ${verdict}`;
}

/** Line breaks as @babel/code-frame splits on them. */
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/;
/** Characters of a source line shown around the column: a one-line 1 MB file must not print 1 MB per finding. */
export const FRAME_WIDTH = 160;

/**
 * @babel/code-frame's one-line frame (`> 12 | text` and a caret under the column), with a line
 * longer than FRAME_WIDTH cut to the FRAME_WIDTH characters around the column, `…` marking each
 * cut. code-frame itself took over 100 s for a 900 KB one-line campaign with a few findings.
 */
function codeFrame(lines: readonly string[], lineNumber: number, column: number): string[] {
  const text = lines[lineNumber - 1];
  if (text === undefined || lineNumber < 1) return [''];
  let shown = text;
  let caret = Math.max(column, 1) - 1;
  if (text.length > FRAME_WIDTH) {
    const start = Math.max(0, Math.min(caret - FRAME_WIDTH / 2, text.length - FRAME_WIDTH));
    const end = start + FRAME_WIDTH;
    shown = `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
    caret = Math.min(caret, text.length) - start + (start > 0 ? 1 : 0);
  }
  const gutter = String(lineNumber);
  return [`> ${gutter} | ${shown}`, `  ${' '.repeat(gutter.length)} | ${shown.slice(0, caret).replace(/[^\t]/g, ' ')}${' '.repeat(Math.max(0, caret - shown.length))}^`];
}

function formatLine(message: LintMessage, chalk: InstanceType<typeof Chalk>): string {
  const position = chalk.dim(`${message.line}:${message.column}`.padEnd(8));
  const severity = message.severity === 2 ? chalk.red('error'.padEnd(7)) : chalk.yellow('warning');
  const rule = chalk.dim(message.ruleId ?? '');
  return `  ${position} ${severity}  ${message.message}  ${rule}`.trimEnd();
}

export default stylish;
