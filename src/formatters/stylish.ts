import { Chalk } from 'chalk';
import { relative } from 'node:path';
import { findAddresses, maskAddress } from '../core/address.js';
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
    const lines = source === undefined ? undefined : new SourceLines(source.split(LINE_BREAK), context.showPii);
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

interface ShownLine {
  text: string;
  /** The shown column (0-based) of an original 0-based column. */
  columnOf(column: number): number;
}

/**
 * A file's lines as a frame may show them: each line masked whole (never a cut address), with
 * a map from the columns findings give (in the original line) to the masked line's, which is
 * shorter. Each line is masked once, however many findings point into it.
 */
class SourceLines {
  private readonly shown = new Map<number, ShownLine>();

  constructor(
    private readonly lines: readonly string[],
    private readonly showPii: boolean,
  ) {}

  line(lineNumber: number): ShownLine | undefined {
    const text = lineNumber >= 1 ? this.lines[lineNumber - 1] : undefined;
    if (text === undefined) return undefined;
    let shown = this.shown.get(lineNumber);
    if (shown === undefined) {
      shown = this.showPii ? { text, columnOf: (column) => column } : maskedLine(text);
      this.shown.set(lineNumber, shown);
    }
    return shown;
  }
}

function maskedLine(text: string): ShownLine {
  // Spans of masked addresses: where each starts in the original and in the masked line.
  const spans: { from: number; length: number; to: number; maskedLength: number }[] = [];
  let masked = '';
  let last = 0;
  for (const { address, index } of findAddresses(text)) {
    masked += text.slice(last, index);
    const replacement = maskAddress(address);
    spans.push({ from: index, length: address.length, to: masked.length, maskedLength: replacement.length });
    masked += replacement;
    last = index + address.length;
  }
  masked += text.slice(last);
  return {
    text: masked,
    columnOf(column) {
      // The last span starting at or before the column (binary search: a line may hold thousands).
      let low = 0;
      let high = spans.length - 1;
      let found = -1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        if ((spans[middle]?.from ?? 0) <= column) {
          found = middle;
          low = middle + 1;
        } else high = middle - 1;
      }
      const span = spans[found];
      if (span === undefined) return column;
      // Inside an address: its masked form's matching character, or its last one.
      if (column < span.from + span.length) return span.to + Math.min(column - span.from, span.maskedLength - 1);
      return column - (span.from + span.length) + span.to + span.maskedLength;
    },
  };
}

/**
 * @babel/code-frame's one-line frame (`> 12 | text` and a caret under the column), with a line
 * longer than FRAME_WIDTH cut to the FRAME_WIDTH characters around the column, `…` marking each
 * cut, so a 5,000-character `cc:` line is never reprinted whole. code-frame itself took over
 * 100 s for a 900 KB one-line campaign with a few findings. The line is masked before it is
 * cut, and the caret placed by the masked line's own column.
 */
function codeFrame(lines: SourceLines, lineNumber: number, column: number): string[] {
  const line = lines.line(lineNumber);
  if (line === undefined) return [''];
  const text = line.text;
  let shown = text;
  let caret = line.columnOf(Math.max(column, 1) - 1);
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
