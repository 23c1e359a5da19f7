import { POLICY_OPTIONS } from '../options.js';
import type { OptionTable } from '../options.js';
import type { CommandMeta } from './meta.js';

export const DIGEST_OPTIONS = { ...POLICY_OPTIONS } as const satisfies OptionTable;

export const digestCommand: CommandMeta = {
  name: 'digest',
  summary: "print the campaign's content digest (what an approval is bound to)",
  usage: ['digest <campaign.yaml>'],
  description: [
    "Prints the sha256 digest of the campaign's content: the campaign file without its",
    '`approvals`, its templates and its recipient list. An approval counts only for the',
    'digest it names.',
  ].join('\n'),
  options: DIGEST_OPTIONS,
  examples: ['campaign-lint digest campaigns/winter/campaign.yaml'],
  exitCodes: 'Exit codes: 0 printed; 2 usage error, invalid config or unreadable campaign.\n',
  run: async (args, values, io) => (await import('./digest.js')).runDigest(args, values, io),
};
