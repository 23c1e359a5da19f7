import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { checkLine, tokenize } from '../../src/cli/options.js';
import type { OptionTable } from '../../src/cli/options.js';

const TABLE = {
  format: { type: 'string', short: 'f', arg: '<name>', description: 'd' },
  'max-warnings': { type: 'string', arg: '<n>', description: 'd' },
  color: { type: 'boolean', description: 'd' },
  quiet: { type: 'boolean', description: 'd' },
} as const satisfies OptionTable;
const CONTEXT = { command: 'campaign-lint', owners: new Map<string, string[]>() };

function parse(...argv: string[]) {
  return checkLine(tokenize(argv, TABLE), TABLE, CONTEXT);
}

await test('checkLine: values, negation, last one wins, values that start with a dash, positionals after --', () => {
  assert.deepEqual(parse('a.yaml', '-f', 'json', '--no-color', '--format=sarif', '--max-warnings', '-1', '--', '--quiet'), {
    values: { format: 'sarif', color: false, 'max-warnings': '-1' },
    positionals: ['a.yaml', '--quiet'],
  });
  assert.deepEqual(parse('-f', '-'), { values: { format: '-' }, positionals: [] });
  assert.deepEqual(parse('--format=--x'), { values: { format: '--x' }, positionals: [] });
});

await test('checkLine: problems are UsageErrors of one line', () => {
  for (const argv of [['--fromat'], ['--quiet=1'], ['--format'], ['-f', '--quiet'], ['--no-format'], ['-z']]) {
    assert.throws(() => parse(...argv), (error: unknown) => error instanceof UsageError && !error.message.includes('\n'), argv.join(' '));
  }
});
