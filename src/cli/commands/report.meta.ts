import { POLICY_OPTIONS } from '../options.js';
import type { OptionTable } from '../options.js';
import type { CommandMeta } from './meta.js';

export const REPORT_OPTIONS = {
  ...POLICY_OPTIONS,
  'output-file': { type: 'string', short: 'o', arg: '<file>', description: 'the HTML file to write (required)' },
  // Accepted only to be refused with the reason: the page never shows recipient data.
  'show-pii': { type: 'boolean', description: 'refused: the page never shows recipient data', hidden: true },
} as const satisfies OptionTable;

export const reportCommand: CommandMeta = {
  name: 'report',
  summary: "write the reviewer's page: the campaign, its findings and its messages",
  usage: ['report <campaign.yaml> -o <report.html>'],
  description: [
    "Writes one self-contained HTML page for the reviewer: the campaign's settings, every",
    'finding, the message as sent and the approvals. The page is written even when the',
    'campaign has errors (exit 1), so that CI can fail and still upload it.',
  ].join('\n'),
  options: REPORT_OPTIONS,
  examples: ['campaign-lint report campaigns/winter/campaign.yaml -o report.html'],
  exitCodes: 'Exit codes: 0 written, no errors; 1 written, the campaign has errors;\n2 usage error or invalid config (nothing written).\n',
  run: async (args, values, io) => (await import('./report.js')).runReport(args, values, io),
};
