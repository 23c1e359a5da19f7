import { POLICY_OPTIONS } from '../options.js';
import type { OptionTable } from '../options.js';
import type { CommandMeta } from './meta.js';

export const RULES_OPTIONS = {
  ...POLICY_OPTIONS,
  format: { type: 'string', short: 'f', arg: '<name>', description: 'text (default) | json' },
} as const satisfies OptionTable;

export const rulesCommand: CommandMeta = {
  name: 'rules',
  summary: 'list the rules with the severities in effect, or explain one',
  usage: ['rules [id] [-f json]'],
  description: [
    'Lists every rule with the severity it has under the config in effect (the config',
    "file's overrides applied to its preset; `locked` marks rules no inline comment can",
    'disable), or explains one rule: its messages, options and documentation.',
  ].join('\n'),
  options: RULES_OPTIONS,
  examples: ['campaign-lint rules', 'campaign-lint rules no-cc', '# the policy a pull request is checked against', 'campaign-lint rules --config-ref origin/main'],
  exitCodes: 'Exit codes: 0 printed; 2 unknown rule, usage error or invalid config.\n',
  run: async (args, values, io) => (await import('./rules.js')).runRules(args, values, io),
};
