/**
 * Shared set-up for the integration tests: fixture repositories in temporary
 * folders, created as real git repositories because discovery, --config-ref
 * and pre-commit all go through git.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { gitCommitAll, gitInit } from '../helpers/cli.js';

import { REPO_ROOT } from '../helpers/cli.js';

export { REPO_ROOT };

export const CONFIG = `extends: recommended
organization:
  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"
  sending_domains: [mail.example.com]
  archive_addresses: [archive@example.com]
approval:
  required: 0
`;

/** Passes every rule (approval is switched off by CONFIG: these tests are about the integrations). */
export const CLEAN_CAMPAIGN = `version: 1
id: clean
name: Clean campaign
category: transactional
author: alice@example.com
from:
  name: Example Shop
  address: orders@mail.example.com
to: "{{email}}"
subject: "Your order {{order}}"
body:
  text: body.txt
recipients:
  file: recipients.csv
  expected_count: 2
`;

export const CLEAN_FILES: Record<string, string> = {
  'recipients.csv': 'email,order\nann.example@example.com,A-1\nbo.sample@example.org,B-2\n',
  'body.txt': 'Your order {{order}} has shipped.\n',
};

/** The CC campaign pre-commit and npm tests reject: BitMEX in miniature. */
export const CC_CAMPAIGN = CLEAN_CAMPAIGN.replace('id: clean', 'id: cc-leak').replace(
  'to: "{{email}}"\n',
  'to: "{{email}}"\ncc:\n  - jane.doe@example.com\n  - li.wei@example.org\n',
);

export function campaignFiles(folder: string, campaign: string, files = CLEAN_FILES): Record<string, string> {
  const tree: Record<string, string> = { [`${folder}/campaign.yaml`]: campaign };
  for (const [name, content] of Object.entries(files)) tree[`${folder}/${name}`] = content;
  return tree;
}

const created: string[] = [];
after(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'campaign-lint-it-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/** A git repository holding `files`, committed once; returns its path. */
export function fixtureRepo(files: Record<string, string>): string {
  const root = tempDir();
  gitInit(root);
  writeTree(root, files);
  gitCommitAll(root, 'fixture');
  return root;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The environment without anything the surrounding CI run (itself on GitHub Actions) would leak in. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(GITHUB_|INPUT_|RUNNER_|ACTIONS_)/.test(name) || ['NO_COLOR', 'FORCE_COLOR', 'DEBUG', 'CI'].includes(name)) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/** npm as users run it: the packages `npm ci` cached first, the registry only for what is not. */
export const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

export function npm(args: string[], cwd: string) {
  return spawnSync('npm', args, { cwd, encoding: 'utf8', env: cleanEnv({ NO_COLOR: '1' }) });
}

export interface PackedTarball {
  /** Absolute path of the .tgz. */
  path: string;
  /** Paths inside the package, as `npm pack --json` lists them. */
  files: string[];
}

let packed: PackedTarball | undefined;

/**
 * `npm pack` of this checkout, once per test process: every test of the published package
 * installs the same tarball. --ignore-scripts: `prepack` would rebuild dist/ while other test
 * files run the bin from it, so dist/ must be built already (npm test does).
 */
export function packTarball(): PackedTarball {
  if (packed !== undefined) return packed;
  if (!existsSync(join(REPO_ROOT, 'dist/bin/campaign-lint.js'))) throw new Error('dist/ is not built: run npm run build (npm test does)');
  const packDir = tempDir('campaign-lint-pack-');
  const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], REPO_ROOT);
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const [entry] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
  packed = { path: join(packDir, entry.filename), files: entry.files.map((file) => file.path) };
  return packed;
}
