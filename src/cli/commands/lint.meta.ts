import { POLICY_OPTIONS } from '../options.js';
import type { OptionTable } from '../options.js';
import type { CommandMeta } from './meta.js';

export const LINT_OPTIONS = {
  ...POLICY_OPTIONS,
  format: { type: 'string', short: 'f', arg: '<name>', description: 'stylish (default) | json | sarif | github | junit | markdown' },
  'output-file': { type: 'string', short: 'o', arg: '<file>', description: 'write the report to a file instead of stdout' },
  'max-warnings': { type: 'string', arg: '<n>', description: 'exit 1 when there are more than n warnings (-1: no limit, the default)' },
  quiet: { type: 'boolean', description: 'report errors only' },
  'show-pii': { type: 'boolean', description: 'print recipient values unmasked (local use only)' },
  'input-format': { type: 'string', arg: '<platform>', description: 'sendgrid | mailgun | mandrill | ses | postmark | nodemailer: lint the named files as that platform\'s request bodies' },
  'print-config': { type: 'boolean', description: 'print the effective policy as JSON, each value with where it came from (for a campaign: with its overrides)' },
  draft: {
    type: 'boolean',
    description: 'missing or stale approvals are warnings (local runs and the pre-commit hook; ignored on CI)',
  },
  cache: { type: 'boolean', description: 'reuse a campaign\'s findings when none of its inputs changed' },
  'cache-location': { type: 'string', arg: '<path>', description: 'cache file or folder (default: .campaignlintcache)' },
  'error-on-unmatched-pattern': {
    type: 'boolean',
    description: 'fail on a path no campaign matches (default); --no-error-on-unmatched-pattern skips it',
  },
} as const satisfies OptionTable;

export const lintCommand: CommandMeta = {
  name: 'lint',
  summary: 'lint campaigns (the default command: `lint` may be left out)',
  usage: ['[lint] [options] [path ...]'],
  description: [
    'Lint email campaigns kept as code: a campaign YAML, its recipient CSV,',
    'templates and suppression lists. Paths may be campaign files, folders, globs,',
    'or a CSV/template (every campaign that uses it is linted). Without paths, the',
    "config's include globs are linted.",
  ].join('\n'),
  options: LINT_OPTIONS,
  examples: [
    '# every campaign the config includes',
    'campaign-lint',
    '# one campaign, as SARIF for code scanning',
    'campaign-lint campaigns/winter/campaign.yaml -f sarif -o campaign-lint.sarif',
    '# the policy in effect for one campaign, and where each value comes from',
    'campaign-lint --print-config campaigns/winter/campaign.yaml',
    '# in a pull request: the policy from the base branch',
    'campaign-lint --config-ref origin/main',
  ],
  run: async (args, values, io) =>
    values['print-config'] === true ? (await import('./print-config.js')).runPrintConfig(args, values, io) : (await import('./lint.js')).runLint(args, values, io),
};
