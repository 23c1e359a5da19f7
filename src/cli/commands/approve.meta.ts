import { POLICY_OPTIONS } from '../options.js';
import type { OptionTable } from '../options.js';
import type { CommandMeta } from './meta.js';

export const APPROVE_OPTIONS = {
  ...POLICY_OPTIONS,
  by: { type: 'string', arg: '<id>', description: 'who approves (default: git config user.email)' },
  'sign-key': { type: 'string', arg: '<file>', description: 'SSH key to sign the digest with (ssh-keygen -Y sign)' },
  yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation on a terminal' },
} as const satisfies OptionTable;

export const approveCommand: CommandMeta = {
  name: 'approve',
  summary: "append your approval of the campaign's current content",
  usage: ['approve <campaign.yaml> [--by <id>] [--sign-key <file>] [--yes]'],
  description: [
    "Appends an approval of the campaign's current content digest (the campaign, its",
    'templates and its recipient list) to its `approvals` list. The only command that',
    'writes to a campaign file. Refused (exit 2) for the author, for someone not in',
    '`approval.approvers`, and for a second approval of the same content by the same person.',
  ].join('\n'),
  options: APPROVE_OPTIONS,
  examples: [
    'campaign-lint approve campaigns/winter/campaign.yaml --by bob@example.com',
    '# when the policy verifies signatures (approval.verify: signature)',
    'campaign-lint approve campaigns/winter/campaign.yaml --sign-key ~/.ssh/id_ed25519',
  ],
  exitCodes: 'Exit codes: 0 approved; 1 not confirmed at the prompt (nothing written);\n2 refused, usage error or invalid config.\n',
  run: async (args, values, io) => (await import('./approve.js')).runApprove(args, values, io, io.stdin ?? process.stdin),
};
