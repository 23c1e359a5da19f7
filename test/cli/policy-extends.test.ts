/**
 * Shareable policies through the built CLI: a real package made with `npm pack`, installed from
 * its tarball into a temporary project (offline) and extended by name; with --config-ref, relative
 * files come from the ref and the installed package must be the version the ref's lockfile pins.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { gitCommitAll, gitInit, runCli } from '../helpers/cli.js';

const BASE = 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\napproval:\n  required: 0\n';

interface JsonResult {
  filePath: string;
  messages: { ruleId: string | null; severity: number; line: number; column: number; message: string }[];
}

function findings(root: string, args: string[]): string[] {
  const run = runCli(['-f', 'json', ...args], { cwd: root });
  assert.ok(run.status === 0 || run.status === 1, `exit ${String(run.status)}: ${run.stderr}`);
  return (JSON.parse(run.stdout) as JsonResult[]).flatMap((result) =>
    result.messages.map((message) => `${result.filePath.slice(root.length + 1)}:${String(message.line)}:${String(message.column)} ${message.ruleId ?? 'fatal'}`),
  );
}

/** A policy package packed with npm pack, as a team would publish it. */
function packPolicy(version: string): string {
  const dir = tempTree({
    'package.json': JSON.stringify({ name: '@acme/campaign-lint-config', version, files: ['*.yaml'] }),
    'campaign-lint.config.yaml': 'extends: ./brand.yaml\nrules:\n  recipient-role-address: "off"\n',
    'brand.yaml': 'custom_rules:\n  acme/subject-prefix:\n    description: Subjects start with [Acme]\n    given: subject\n    then: { function: pattern, match: "^\\\\[Acme\\\\]" }\n',
  });
  const out = mkdtempSync(join(tmpdir(), 'campaign-lint-pack-'));
  execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: dir, stdio: 'pipe' });
  const [tarball] = readdirSync(out).filter((name) => name.endsWith('.tgz'));
  assert.ok(tarball !== undefined);
  return join(out, tarball);
}

function project(extendsLine: string): string {
  const root = tempTree({
    ...VALID_FILES,
    'campaign.yaml': VALID_CAMPAIGN,
    'campaign-lint.config.yaml': `${extendsLine}\n${BASE}`,
    'package.json': JSON.stringify({ name: 'campaigns', version: '1.0.0', private: true }),
    '.gitignore': 'node_modules/\n',
  });
  return root;
}

function npmInstall(root: string, tarball: string): void {
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: root, stdio: 'pipe' });
}

test('a packed policy package installed from its tarball is extended by name, its own relative file included', () => {
  const root = project('extends: [recommended, "@acme/campaign-lint-config"]');
  npmInstall(root, packPolicy('1.2.0'));
  assert.deepEqual(findings(root, ['campaign.yaml']), ['campaign.yaml:10:10 acme/subject-prefix']);
  const printed = runCli(['--print-config'], { cwd: root });
  assert.equal(printed.status, 0, printed.stderr);
  const config = JSON.parse(printed.stdout) as { layers: { kind: string; name: string }[]; policy: { rules: Record<string, { from: string; severity: string }> } };
  assert.deepEqual(config.layers.map((layer) => layer.name), [
    'preset:recommended',
    '@acme/campaign-lint-config@1.2.0/brand.yaml',
    '@acme/campaign-lint-config@1.2.0/campaign-lint.config.yaml',
    'campaign-lint.config.yaml',
  ]);
  assert.deepEqual(config.policy.rules['recipient-role-address'], { from: '@acme/campaign-lint-config@1.2.0/campaign-lint.config.yaml:3:3', locked: false, options: {}, severity: 'off' });
  assert.equal(config.policy.rules['acme/subject-prefix']?.from, '@acme/campaign-lint-config@1.2.0/brand.yaml:2:3');
});

test('a package that is not installed, or is code, fails closed with one line (exit 2)', () => {
  const missing = project('extends: "@acme/campaign-lint-config"');
  const run = runCli(['campaign.yaml'], { cwd: missing });
  assert.equal(run.status, 2);
  assert.equal(run.stderr, 'campaign-lint: campaign-lint.config.yaml:1:1: invalid config: extends `@acme/campaign-lint-config` is not installed: no node_modules/@acme/campaign-lint-config from . upwards (add it to package.json and run npm ci)\n');
  const code = project('extends: "@acme/campaign-lint-config/index.js"');
  npmInstall(code, packPolicy('1.2.0'));
  const refused = runCli(['campaign.yaml'], { cwd: code });
  assert.equal(refused.status, 2);
  assert.equal(refused.stderr, 'campaign-lint: campaign-lint.config.yaml:1:1: invalid config: extends `@acme/campaign-lint-config/index.js` must name a .yaml, .yml or .json file: a policy is data, never code\n');
});

test('--config-ref: the installed package must be the version the ref\'s package-lock.json pins', () => {
  const root = project('extends: "@acme/campaign-lint-config"');
  gitInit(root);
  npmInstall(root, packPolicy('1.2.0'));
  gitCommitAll(root, 'policy pinned at 1.2.0');
  assert.deepEqual(findings(root, ['--config-ref', 'main', 'campaign.yaml']), ['campaign.yaml:10:10 acme/subject-prefix']);
  // The pull request installs another version (its own lockfile): the trusted ref's pin decides.
  npmInstall(root, packPolicy('1.3.0'));
  const run = runCli(['--config-ref', 'main', 'campaign.yaml'], { cwd: root });
  assert.equal(run.status, 2);
  assert.equal(run.stderr, 'campaign-lint: main:campaign-lint.config.yaml:1:1: invalid config: extends `@acme/campaign-lint-config` is installed at 1.3.0, but package-lock.json in `main` pins 1.2.0: run npm ci\n');
});

test('--config-ref: relative files come from the ref; a file the ref lacks, or outside the repository, fails closed', () => {
  const root = tempTree({
    ...VALID_FILES,
    'campaign.yaml': VALID_CAMPAIGN,
    'campaign-lint.config.yaml': `extends: ./policy/base.yaml\n${BASE}`,
    'policy/base.yaml': 'custom_rules:\n  brand/short:\n    description: Short subjects\n    given: subject\n    then: { function: length, max: 5 }\n',
  });
  gitInit(root);
  gitCommitAll(root, 'policy');
  // The pull request loosens the shared file in its working tree.
  writeFileSync(join(root, 'policy/base.yaml'), 'rules: {}\n');
  assert.deepEqual(findings(root, ['campaign.yaml']), []);
  assert.deepEqual(findings(root, ['--config-ref', 'main', 'campaign.yaml']), ['campaign.yaml:10:10 brand/short']);
  const printed = JSON.parse(runCli(['--config-ref', 'main', '--print-config', 'campaign.yaml'], { cwd: root }).stdout) as { ref: string; source: string; layers: { name: string }[] };
  assert.equal(printed.ref, 'main');
  assert.equal(printed.source, 'main:campaign-lint.config.yaml');
  assert.deepEqual(printed.layers.map((layer) => layer.name), ['main:policy/base.yaml', 'main:campaign-lint.config.yaml']);

  writeFileSync(join(root, 'campaign-lint.config.yaml'), `extends: ./policy/new.yaml\n${BASE}`);
  gitCommitAll(root, 'extends a file the ref does not have');
  writeFileSync(join(root, 'policy/new.yaml'), 'rules: {}\n'); // only in the working tree
  const missing = runCli(['--config-ref', 'main', 'campaign.yaml'], { cwd: root });
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, 'campaign-lint: main:campaign-lint.config.yaml: extends `./policy/new.yaml` `policy/new.yaml` does not exist in `main`; the policy and the files it names are read from git ref `main`, never from the working tree\n');

  writeFileSync(join(root, 'campaign-lint.config.yaml'), `extends: ../../etc/policy.yaml\n${BASE}`);
  gitCommitAll(root, 'escape');
  const outside = runCli(['--config-ref', 'main', 'campaign.yaml'], { cwd: root });
  assert.equal(outside.status, 2);
  assert.match(outside.stderr, /^campaign-lint: main:campaign-lint\.config\.yaml: extends `\.\.\/\.\.\/etc\/policy\.yaml` `[^`]+` is outside the repository; the policy and the files it names are read from git ref `main`, never from the working tree\n$/);
  assert.ok(readFileSync(join(root, 'campaign-lint.config.yaml'), 'utf8').startsWith('extends: ../../etc'));
});
