import type { OptionTable } from '../options.js';
import type { CommandMeta } from './meta.js';

export const INIT_OPTIONS = {
  force: { type: 'boolean', description: 'overwrite files that exist' },
} as const satisfies OptionTable;

export const initCommand: CommandMeta = {
  name: 'init',
  summary: 'write a starter config, an example campaign, the CI workflow and the pre-commit hook',
  usage: ['init [--force]'],
  description: ['Writes the starter files into the current folder. A file that exists is kept', 'unless --force is given.'].join('\n'),
  options: INIT_OPTIONS,
  examples: ['campaign-lint init'],
  exitCodes: 'Exit codes: 0 written (existing files kept unless --force); 2 a file cannot be written.\n',
  run: async (args, values, io) => (await import('./init.js')).runInit(args, values, io),
};
