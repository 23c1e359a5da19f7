/**
 * campaign-lint as users get it from npm: the packed tarball installed into a
 * fresh project and run through npx, from the example campaigns.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { test } from 'node:test';
import { NPM_FLAGS, REPO_ROOT, cleanEnv, npm, packTarball, tempDir } from './helpers.js';

await test('npm pack → npm install → npx campaign-lint on the examples', { timeout: 180_000 }, () => {
  const started = Date.now();
  const { path: tarball, files } = packTarball();
  for (const needed of ['dist/bin/campaign-lint.js', 'dist/eslint-plugin/index.js', 'dist/bin/campaign-lint.cjs', 'dist/bin/campaign-lint.cjs.cache', 'dist/index.js', 'dist/index.d.ts', 'schemas/campaign.schema.json', 'schemas/config.schema.json', 'package.json']) {
    assert.ok(files.includes(needed), `the package lacks ${needed}`);
  }
  assert.deepEqual(files.filter((file) => file.startsWith('dist/action/')), [], 'the Action bundle does not belong in the npm package');
  assert.ok(files.includes('LICENSE'), 'the package carries its LICENSE');
  // Docs that stand alone: every relative link in a packed page is a packed file, and none cites a SPEC.
  for (const page of files.filter((file) => file.endsWith('.md'))) {
    const text = readFileSync(join(REPO_ROOT, page), 'utf8');
    assert.ok(!/\bSPEC\b|§/.test(text.replace(/RFC \d+ §[\d.]+/g, '')), `${page} cites a SPEC section`);
    if (page === 'README.md') continue; // links into the repository (examples/, action.yml) are for GitHub's page
    for (const [, target] of text.matchAll(/(?<!!)\[[^\]]*\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (target === undefined || /^[a-z]+:/.test(target)) continue;
      const resolved = posix.normalize(posix.join(posix.dirname(page), target));
      assert.ok(files.includes(resolved), `${page} links to ${target}, which is not in the package`);
    }
  }

  const project = tempDir('campaign-lint-user-');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true, type: 'module' }));
  const install = npm(['install', ...NPM_FLAGS, tarball], project);
  assert.equal(install.status, 0, install.stderr);
  const manifest = JSON.parse(readFileSync(join(project, 'node_modules/campaign-lint/package.json'), 'utf8')) as { scripts?: Record<string, string>; license?: string };
  const installScripts = ['preinstall', 'install', 'postinstall', 'prepare'].filter((name) => manifest.scripts?.[name] !== undefined);
  assert.deepEqual(installScripts, [], 'no script runs when the package is installed');
  assert.equal(manifest.license, 'MIT');
  // What the $schema comments and .vscode/settings.json that init writes point at.
  for (const schema of ['campaign.schema.json', 'config.schema.json']) {
    assert.ok(existsSync(join(project, 'node_modules/campaign-lint/schemas', schema)), `node_modules/campaign-lint/schemas/${schema} after install`);
  }
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
