import { POLICY_OPTIONS } from '../options.js';
import type { OptionTable } from '../options.js';
import type { CommandMeta } from './meta.js';

export const TEST_OPTIONS = {
  ...POLICY_OPTIONS,
  'show-pii': { type: 'boolean', description: 'compare and print recipient values unmasked (local use only)' },
} as const satisfies OptionTable;

export const testCommand: CommandMeta = {
  name: 'test',
  summary: "check the policy's fixture campaigns against the findings their expect.yaml lists",
  usage: ['test <dir>'],
  description: [
    'Lints every fixture campaign under <dir> with the policy and compares its findings with',
    'the `expect.yaml` (or `<name>.expect.yaml`) beside it: how a team keeps its custom rules',
    'and overrides honest, as conftest verify does.',
  ].join('\n'),
  options: TEST_OPTIONS,
  examples: ['campaign-lint test policy-tests/'],
  exitCodes: 'Exit codes: 0 every fixture matches; 1 a difference (printed as - expected / + reported); 2 usage error, invalid config or expect file, or no fixtures.\n',
  run: async (args, values, io) => (await import('./test.js')).runTest(args, values, io),
};
