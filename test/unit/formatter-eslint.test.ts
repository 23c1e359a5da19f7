/**
 * `-f json` against its consumer: ESLint's own formatters, loaded from the real eslint package
 * the way tools do (`new ESLint().loadFormatter(name)`), fed our JSON as it is printed.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { lint } from '../../src/core/lint.js';
import { json } from '../../src/formatters/json.js';
import { makeFormatterContext } from '../helpers/sample-results.js';
import { REPO_ROOT } from '../helpers/cli.js';

const EXAMPLES = join(REPO_ROOT, 'examples');
const BITMEX = join(EXAMPLES, 'campaigns/2019-11-customer-notice/campaign.yaml');

async function ourJson(): Promise<ESLint.LintResult[]> {
  const run = await lint({ cwd: EXAMPLES, patterns: ['campaigns/2019-11-customer-notice/campaign.yaml'] });
  return JSON.parse(json(run.results, makeFormatterContext({ cwd: EXAMPLES, rootDir: EXAMPLES }))) as ESLint.LintResult[];
}

await test('json: every field of ESLint\'s LintResult that its formatters read', async () => {
  const [result] = await ourJson();
  assert.ok(result);
  assert.deepEqual(Object.keys(result), [
    'filePath',
    'messages',
    'suppressedMessages',
    'errorCount',
    'fatalErrorCount',
    'warningCount',
    'fixableErrorCount',
    'fixableWarningCount',
    'usedDeprecatedRules',
  ]);
  assert.equal(result.filePath, BITMEX);
  assert.deepEqual(result.suppressedMessages, []);
  assert.equal(result.fixableErrorCount, 0);
  assert.equal(result.fixableWarningCount, 0);
  assert.deepEqual(result.usedDeprecatedRules, []);
  assert.equal(result.errorCount, 1);
});

await test("json: ESLint's stylish formatter prints our findings", async () => {
  const results = await ourJson();
  const formatter = await new ESLint({ cwd: EXAMPLES }).loadFormatter('stylish');
  const text = await formatter.format(results);
  assert.match(text, /campaigns\/2019-11-customer-notice\/campaign\.yaml/);
  assert.match(text, /^ {2}12:1 +error +3 addresses written in `cc`.* no-cc$/m);
  assert.match(text, /✖ 1 problem \(1 error, 0 warnings\)/);
});

await test("json: ESLint's json formatter round-trips our results", async () => {
  const results = await ourJson();
  const formatter = await new ESLint({ cwd: EXAMPLES }).loadFormatter('json');
  const text = await formatter.format(results);
  assert.deepEqual(JSON.parse(text), results);
});
