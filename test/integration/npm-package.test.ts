/**
 * campaign-lint as users get it from npm: the packed tarball installed into a
 * fresh project and run through npx, from the example campaigns.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, cleanEnv, tempDir } from './helpers.js';

// Use what is cached already; the registry only for what is not.
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

function npm(args: string[], cwd: string) {
  return spawnSync('npm', args, { cwd, encoding: 'utf8', env: cleanEnv({ NO_COLOR: '1' }) });
}

await test('npm pack → npm install → npx campaign-lint on the examples', { timeout: 180_000 }, () => {
  assert.ok(existsSync(join(REPO_ROOT, 'dist/bin/campaign-lint.js')), 'dist/ is not built: run npm run build (npm test does)');
  const started = Date.now();
  const packDir = tempDir('campaign-lint-pack-');
  // --ignore-scripts: `prepare` would rebuild dist/ while other test files run the bin from it.
  const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], REPO_ROOT);
  assert.equal(pack.status, 0, pack.stderr);
  const [packed] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
  const files = packed.files.map((file) => file.path);
  for (const needed of ['dist/bin/campaign-lint.js', 'dist/eslint-plugin/index.js', 'dist/bin/campaign-lint.cjs', 'dist/bin/campaign-lint.cjs.cache', 'dist/index.js', 'dist/index.d.ts', 'schemas/campaign.schema.json', 'schemas/config.schema.json', 'package.json']) {
    assert.ok(files.includes(needed), `the package lacks ${needed}`);
  }
  assert.deepEqual(files.filter((file) => file.startsWith('dist/action/')), [], 'the Action bundle does not belong in the npm package');

  const project = tempDir('campaign-lint-user-');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true, type: 'module' }));
  const install = npm(['install', ...NPM_FLAGS, join(packDir, packed.filename)], project);
  assert.equal(install.status, 0, install.stderr);
  assert.deepEqual(readdirSync(join(project, 'node_modules/.bin')).filter((name) => name === 'campaign-lint'), ['campaign-lint']);

  cpSync(join(REPO_ROOT, 'examples'), join(project, 'examples'), { recursive: true });
  const npx = (...args: string[]) =>
    spawnSync('npx', ['--no-install', 'campaign-lint', '--format', 'json', ...args], { cwd: join(project, 'examples'), encoding: 'utf8', env: cleanEnv() });

  const leaky = npx('campaigns/2019-11-customer-notice');
  assert.equal(leaky.status, 1, leaky.stderr);
  const leakyRules = (JSON.parse(leaky.stdout) as { messages: { ruleId: string | null }[] }[]).flatMap((result) => result.messages.map((message) => message.ruleId));
  assert.ok(leakyRules.includes('no-cc'), `no no-cc finding in ${leaky.stdout}`);

  const clean = npx('campaigns/2026-12-winter-sale');
  const cleanRules = (JSON.parse(clean.stdout) as { messages: { ruleId: string | null }[] }[]).flatMap((result) => result.messages.map((message) => message.ruleId));
  // The approval rule, once it exists, wants approvals the example may not carry yet; nothing else may fire.
  assert.deepEqual(cleanRules.filter((ruleId) => ruleId !== 'two-person-approval'), []);
  assert.equal(clean.status, cleanRules.length > 0 ? 1 : 0, clean.stderr);

  const library = spawnSync(process.execPath, ['--input-type=module', '-e', "import { lint, formatterNames } from 'campaign-lint'; console.log(typeof lint, formatterNames.join(','))"], {
    cwd: project,
    encoding: 'utf8',
  });
  assert.equal(library.stdout, 'function stylish,json,sarif,github,junit,markdown\n', library.stderr);
  console.log(`npm-package: pack + install + 2 runs took ${Date.now() - started} ms`);
});
