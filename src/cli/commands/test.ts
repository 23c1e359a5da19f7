import { existsSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { glob } from 'tinyglobby';
import { loadConfig } from '../../core/config.js';
import { UsageError } from '../../core/errors.js';
import { lintCampaign } from '../../core/linter.js';
import { readTextFile } from '../../core/safe-file.js';
import { compare, describeDifference, expectFileFor, parseExpectation } from '../../policy/expect.js';
import { checkCustomRegexes } from '../../policy/print-config.js';
import { ruleMetas } from '../../rules/index.js';
import type { CliEnvironment } from '../io.js';
import type { CliValues } from '../main.js';

/**
 * `campaign-lint test <dir>`: lints every fixture campaign under the folder with the policy and
 * compares its findings with its expect file. Exit 0 when all match, 1 on any difference (with
 * the difference printed), 2 on a usage error (no fixtures, an unreadable expect file).
 */
export async function runTest(args: string[], values: CliValues, io: CliEnvironment): Promise<number> {
  const [dir, extra] = args;
  if (dir === undefined || extra !== undefined) throw new UsageError('usage: campaign-lint test <dir> (fixture campaigns, each with an expect.yaml)');
  const root = resolve(io.cwd, dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`test: \`${dir}\` is not a folder`);
  const config = loadConfig({ cwd: io.cwd, configFile: values.config, configRef: values['config-ref'] }, ruleMetas);
  await checkCustomRegexes(config);
  const fixtures = (await glob(['**/campaign.yaml', '**/*.campaign.yaml'], { cwd: root, absolute: true, ignore: ['**/node_modules/**'], dot: false })).sort();
  if (fixtures.length === 0) throw new UsageError(`test: no fixture campaigns (campaign.yaml, *.campaign.yaml) under \`${dir}\``);
  const show = (path: string) => relative(io.cwd, path).split(sep).join('/') || path;
  let failed = 0;
  for (const fixture of fixtures) {
    const expectPath = expectFileFor(fixture);
    const read = readTextFile(expectPath, { rootDir: config.rootDir });
    if (!read.ok) {
      failed++;
      io.stdout.write(`✗ ${show(fixture)}\n  no expect file: write ${show(expectPath)} (a list of findings, [] for none)\n`);
      continue;
    }
    const expectation = parseExpectation(read.text, show(expectPath), fixture);
    const { results } = await lintCampaign(fixture, config, { showPii: values['show-pii'] === true });
    const difference = compare(expectation, results);
    if (difference.missing.length === 0 && difference.unexpected.length === 0) {
      io.stdout.write(`✓ ${show(fixture)}\n`);
      continue;
    }
    failed++;
    io.stdout.write(`✗ ${show(fixture)}\n${describeDifference(difference, io.cwd).join('\n')}\n`);
  }
  const total = fixtures.length;
  io.stdout.write(`\n${String(total)} fixture${total === 1 ? '' : 's'}: ${String(total - failed)} passed, ${String(failed)} failed\n`);
  return failed === 0 ? 0 : 1;
}
