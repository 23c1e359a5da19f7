import { POLICY_OPTIONS } from '../options.js';
import type { OptionTable } from '../options.js';
import type { CommandMeta } from './meta.js';

export const FIX_LIST_OPTIONS = {
  ...POLICY_OPTIONS,
  'output-file': { type: 'string', short: 'o', arg: '<file>', description: 'write the deliverable list here (`-` for stdout); never a file the campaign uses' },
  'in-place': { type: 'boolean', description: 'replace the recipient list itself (atomically, keeping its permissions)' },
  'show-pii': { type: 'boolean', description: 'list the removed rows unmasked (local use only)' },
} as const satisfies OptionTable;

export const fixListCommand: CommandMeta = {
  name: 'fix-list',
  summary: 'write the deliverable recipient list: drop invalid, unconsented, suppressed and repeated rows',
  usage: ['fix-list <campaign.yaml> (-o <file> | -o - | --in-place)'],
  description: [
    "Writes the campaign's recipient list without the rows the rules would flag: invalid",
    'addresses, rows without consent, suppressed addresses and repeats (the first deliverable',
    'row is kept). Every other row is copied byte for byte. Prints what it removed as counts',
    '(masked; unmasked with --show-pii). The list changes, so the campaign needs approving again.',
  ].join('\n'),
  options: FIX_LIST_OPTIONS,
  examples: ['campaign-lint fix-list campaigns/winter/campaign.yaml -o campaigns/winter/deliverable.csv', 'campaign-lint fix-list campaigns/winter/campaign.yaml --in-place'],
  exitCodes: 'Exit codes: 0 written; 2 usage error, invalid config, or a list or suppression list that cannot be read exactly (nothing written).\n',
  run: async (args, values, io) => (await import('./fix-list.js')).runFixList(args, values, io),
};
