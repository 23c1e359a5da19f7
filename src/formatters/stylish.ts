import { codeFrameColumns } from '@babel/code-frame';
import { Chalk } from 'chalk';
import { relative } from 'node:path';
import { maskAddressesInText } from '../core/mask.js';
import { totals } from '../core/report.js';
import type { Formatter, LintMessage } from '../core/types.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * ESLint's stylish layout: findings grouped by file, then a closing count.
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
    for (const message of result.messages) {
      out.push(formatLine(message, chalk));
      if (visibleSource !== undefined) {
        const frame = codeFrameColumns(visibleSource, { start: { line: message.line, column: message.column } }, { highlightCode: false, linesAbove: 0, linesBelow: 0 });
        out.push(...frame.split('\n').map((line) => `    ${chalk.dim(line)}`));
      }
    }
  }
  const { errorCount, warningCount } = totals(results);
  const problems = errorCount + warningCount;
  if (problems === 0) return '';
  const colour = errorCount > 0 ? chalk.red.bold : chalk.yellow.bold;
  out.push('', colour(`\u2716 ${plural(problems, 'problem')} (${plural(errorCount, 'error')}, ${plural(warningCount, 'warning')})`));
  if (context.maxWarnings !== undefined && warningCount > context.maxWarnings) {
    out.push(chalk.red.bold(`campaign-lint found too many warnings (maximum: ${context.maxWarnings}).`));
  }
  return `${out.join('\n')}\n`;
};

function formatLine(message: LintMessage, chalk: InstanceType<typeof Chalk>): string {
  const position = chalk.dim(`${message.line}:${message.column}`.padEnd(8));
  const severity = message.severity === 2 ? chalk.red('error'.padEnd(7)) : chalk.yellow('warning');
  const rule = chalk.dim(message.ruleId ?? '');
  return `  ${position} ${severity}  ${message.message}  ${rule}`.trimEnd();
}

export default stylish;
