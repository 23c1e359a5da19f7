import { POLICY_OPTIONS } from '../options.js';
import type { OptionTable } from '../options.js';
import type { CommandMeta } from './meta.js';

export const PREVIEW_OPTIONS = {
  ...POLICY_OPTIONS,
  row: { type: 'string', arg: '<n>', description: 'which recipient, from 1 (default 1)' },
  'show-pii': { type: 'boolean', description: "show the recipient's values unmasked (local use only)" },
} as const satisfies OptionTable;

export const previewCommand: CommandMeta = {
  name: 'preview',
  summary: 'print the message one recipient would receive, as sent',
  usage: ['preview <campaign.yaml> [--row <n>] [--show-pii]'],
  description: [
    'Renders the message for one row of the recipient list and prints it as it would',
    'go on the wire (RFC 5322, CRLF line endings: `> message.eml` opens in a mail',
    "client). The recipient's values are masked unless --show-pii is given.",
  ].join('\n'),
  options: PREVIEW_OPTIONS,
  examples: ['campaign-lint preview campaigns/winter/campaign.yaml --row 3', 'campaign-lint preview campaigns/winter/campaign.yaml > message.eml'],
  exitCodes: 'Exit codes: 0 printed; 2 usage error, invalid config, or a message that cannot be rendered.\n',
  run: async (args, values, io) => (await import('./preview.js')).runPreview(args, values, io),
};
