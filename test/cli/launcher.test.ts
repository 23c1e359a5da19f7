import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { BIN, REPO_ROOT, runCli } from '../helpers/cli.js';

const EXAMPLES = join(REPO_ROOT, 'examples');
const BITMEX = 'campaigns/2019-11-customer-notice/campaign.yaml';
const BIN_DIR = join(REPO_ROOT, 'dist/bin');

/** A copy of the launcher and bundle (inside the repository, so node_modules resolve), with `cache` as its code cache. */
function launcherCopy(cache: Buffer | undefined): string {
  mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(REPO_ROOT, '.tmp', 'launcher-'));
  copyFileSync(join(BIN_DIR, 'campaign-lint.js'), join(dir, 'campaign-lint.js'));
  // The launcher is CommonJS, which the package.json beside it says (the repository's says ESM).
  copyFileSync(join(BIN_DIR, 'package.json'), join(dir, 'package.json'));
  copyFileSync(join(BIN_DIR, 'campaign-lint.cjs'), join(dir, 'campaign-lint.cjs'));
  if (cache) writeFileSync(join(dir, 'campaign-lint.cjs.cache'), cache);
  return join(dir, 'campaign-lint.js');
}

function run(bin: string, args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !['NO_COLOR', 'FORCE_COLOR', 'CI', 'GITHUB_ACTIONS'].includes(name)));
  return spawnSync(process.execPath, [bin, ...args], { cwd: EXAMPLES, encoding: 'utf8', env: { ...env, DEBUG: 'campaign-lint' } });
}

test('the launcher compiles the bundle with the code cache the build made', () => {
  const version = runCli(['--version'], { cwd: EXAMPLES, env: { DEBUG: 'campaign-lint' } });
  assert.equal(version.status, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  assert.equal(version.stderr, `campaign-lint: code cache used (${join(BIN_DIR, 'campaign-lint.cjs.cache')})\n`);
});

test('without a code cache, or with one V8 rejects, the command lints the same', () => {
  const expected = run(BIN, [BITMEX, '--format', 'json']);
  assert.equal(expected.status, 1);
  const cache = readFileSync(join(BIN_DIR, 'campaign-lint.cjs.cache'));
  const damaged = Buffer.from(cache);
  damaged.fill(0x5a, 0, 64);
  for (const [name, data, state] of [
    ['missing', undefined, 'missing'],
    ['damaged', damaged, 'rejected by V8'],
  ] as const) {
    const bin = launcherCopy(data);
    try {
      const actual = run(bin, [BITMEX, '--format', 'json']);
      assert.equal(actual.status, expected.status, name);
      assert.equal(actual.stdout, expected.stdout, name);
      assert.equal(actual.stderr, `campaign-lint: code cache ${state} (${bin.replace(/\.js$/, '.cjs.cache')})\n`, name);
    } finally {
      rmSync(dirname(bin), { recursive: true, force: true });
    }
  }
});

test('both bundles are ASCII, so the launcher can read them as Latin-1', () => {
  for (const name of ['campaign-lint.cjs', 'campaign-lint-front.cjs']) {
    const bundle = readFileSync(join(BIN_DIR, name));
    const first = bundle.findIndex((byte) => byte >= 0x80);
    assert.equal(first, -1, `${name}: non-ASCII byte at offset ${first}`);
  }
});

test('without the front bundle, --cache runs the whole command line, with the same result', () => {
  const bin = launcherCopy(readFileSync(join(BIN_DIR, 'campaign-lint.cjs.cache')));
  const cacheDir = mkdtempSync(join(REPO_ROOT, '.tmp', 'launcher-cache-'));
  const args = [BITMEX, '--format', 'json', '--cache', '--cache-location', join(cacheDir, 'cache')];
  try {
    const expected = run(BIN, [BITMEX, '--format', 'json']);
    for (const round of ['miss', 'hit']) {
      const actual = run(bin, args);
      assert.equal(actual.status, expected.status, round);
      assert.equal(actual.stdout, expected.stdout, round);
      assert.match(actual.stderr, new RegExp(`^campaign-lint: code cache used \\(${bin.replace(/\.js$/, '.cjs.cache').replace(/[.\\/]/g, '\\$&')}\\)\n`), round);
      assert.doesNotMatch(actual.stderr, /campaign-lint-front/, round);
    }
  } finally {
    rmSync(dirname(bin), { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
