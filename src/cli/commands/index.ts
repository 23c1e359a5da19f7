/**
 * The commands, in the order the global help lists them. A command is a `<name>.meta.ts`
 * (help page, option table, lazy `run`) beside its `<name>.ts`; adding one is one line here
 * and one in CliValues below.
 */
import type { GLOBAL_OPTIONS, ValuesOf } from '../options.js';
import { APPROVE_OPTIONS, approveCommand } from './approve.meta.js';
import { DIGEST_OPTIONS, digestCommand } from './digest.meta.js';
import { FIX_LIST_OPTIONS, fixListCommand } from './fix-list.meta.js';
import { INIT_OPTIONS, initCommand } from './init.meta.js';
import { LINT_OPTIONS, lintCommand } from './lint.meta.js';
import type { CommandMeta } from './meta.js';
import { PREVIEW_OPTIONS, previewCommand } from './preview.meta.js';
import { REPORT_OPTIONS, reportCommand } from './report.meta.js';
import { RULES_OPTIONS, rulesCommand } from './rules.meta.js';
import { TEST_OPTIONS, testCommand } from './test.meta.js';

export const COMMANDS: readonly CommandMeta[] = [lintCommand, approveCommand, digestCommand, previewCommand, reportCommand, rulesCommand, initCommand, fixListCommand, testCommand];

export const DEFAULT_COMMAND = lintCommand;

/** Every option any command takes, as parsed: a command reads only those of its own table. */
export type CliValues = ValuesOf<typeof GLOBAL_OPTIONS> &
  ValuesOf<typeof LINT_OPTIONS> &
  ValuesOf<typeof APPROVE_OPTIONS> &
  ValuesOf<typeof DIGEST_OPTIONS> &
  ValuesOf<typeof PREVIEW_OPTIONS> &
  ValuesOf<typeof REPORT_OPTIONS> &
  ValuesOf<typeof RULES_OPTIONS> &
  ValuesOf<typeof INIT_OPTIONS> &
  ValuesOf<typeof FIX_LIST_OPTIONS> &
  ValuesOf<typeof TEST_OPTIONS>;

export function findCommand(name: string): CommandMeta | undefined {
  return COMMANDS.find((command) => command.name === name);
}
