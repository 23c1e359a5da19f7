import type { CliEnvironment } from '../io.js';
import type { CliValues } from '../main.js';
import type { OptionTable } from '../options.js';

/**
 * One command of the command line: its help page and its option table, beside a `run` that
 * imports the command's code only when it runs (start-up stays cheap; `--help` loads nothing).
 * Options every command takes (GLOBAL_OPTIONS) are not repeated here.
 */
export interface CommandMeta {
  name: string;
  /** One line for the global page. */
  summary: string;
  /** Usage lines, without `campaign-lint`. */
  usage: readonly string[];
  /** What the command does: a few lines of the help page. */
  description: string;
  options: OptionTable;
  /** Example command lines, each with a `# comment` line above it when useful. */
  examples: readonly string[];
  /** The command's exit codes, when they differ from lint's. */
  exitCodes?: string;
  run(args: string[], values: CliValues, io: CliEnvironment): Promise<number>;
}
