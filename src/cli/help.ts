/**
 * Help pages, built from the command tables: `campaign-lint --help` (the commands and the
 * default command's options) and `campaign-lint <command> --help` (that command's usage,
 * options and examples).
 */
import { COMMANDS, DEFAULT_COMMAND } from './commands/index.js';
import type { CommandMeta } from './commands/meta.js';
import { GLOBAL_OPTIONS } from './options.js';
import type { OptionTable } from './options.js';

const EXIT_CODES = `Exit codes: 0 no errors; 1 lint errors (or too many warnings); 2 usage error,
invalid config, unmatched path or internal error.
`;

/** The option lines of a table: `  -c, --config <file>   description`, aligned. */
export function optionLines(table: OptionTable): string[] {
  const rows = Object.entries(table)
    .filter(([, spec]) => spec.hidden !== true)
    .map(([name, spec]) => {
      const flag = `${spec.short === undefined ? '    ' : `-${spec.short}, `}--${name}${spec.arg === undefined ? '' : ` ${spec.arg}`}`;
      return { flag, description: spec.description };
    });
  const width = Math.min(30, Math.max(...rows.map((row) => row.flag.length)));
  return rows.flatMap(({ flag, description }) =>
    flag.length > width ? [`  ${flag}`, `  ${' '.repeat(width)}  ${description}`] : [`  ${flag.padEnd(width)}  ${description}`],
  );
}

export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'Usage: campaign-lint [options] [path ...]',
    '       campaign-lint <command> [options] [arguments]',
    '',
    DEFAULT_COMMAND.description,
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options (lint):',
    ...optionLines({ ...DEFAULT_COMMAND.options, ...GLOBAL_OPTIONS }),
    '',
    "Run `campaign-lint <command> --help` for a command's options and examples.",
    '',
    EXIT_CODES,
  ].join('\n');
}

export function commandHelp(command: CommandMeta): string {
  const [first = '', ...rest] = command.usage;
  return [
    `Usage: campaign-lint ${first}`,
    ...rest.map((line) => `       campaign-lint ${line}`),
    '',
    command.description,
    '',
    'Options:',
    ...optionLines({ ...command.options, ...GLOBAL_OPTIONS }),
    '',
    'Examples:',
    ...command.examples.map((line) => `  ${line}`),
    '',
    command.exitCodes ?? EXIT_CODES,
  ].join('\n');
}
