import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CACHE_TEST_CONFIG, VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { runCli } from '../helpers/cli.js';

const CONFIG = CACHE_TEST_CONFIG;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function project(files: Record<string, string> = {}): { root: string; env: Record<string, string> } {
  const root = tempTree({ 'campaign-lint.config.yaml': CONFIG, 'campaign.yaml': VALID_CAMPAIGN, 'suppression/unsubscribed.csv': 'email\nzed@example.com\n', ...VALID_FILES, ...files });
  const secrets = tempTree({});
  return { root, env: { XDG_CACHE_HOME: secrets, DEBUG: 'campaign-lint' } };
}

function lint(root: string, env: Record<string, string>, extra: string[] = []): Run & { hits: number; misses: number; ignored?: string } {
  const run = runCli(['--cache', '-f', 'json', ...extra, 'campaign.yaml'], { cwd: root, env });
  const stats = /cache .*: (\d+) hit\(s\), (\d+) miss\(es\)/.exec(run.stderr);
  const ignored = /old cache ignored: (.*)$/m.exec(run.stderr)?.[1];
  return { ...run, hits: Number(stats?.[1] ?? NaN), misses: Number(stats?.[2] ?? NaN), ...(ignored === undefined ? {} : { ignored }) };
}

const ruleIds = (run: Run) => (JSON.parse(run.stdout) as { messages: { ruleId: string | null }[] }[]).flatMap((result) => result.messages.map((message) => message.ruleId));

test('a second run with nothing changed reuses the findings: same output, same exit code', () => {
  const { root, env } = project({ 'recipients.csv': 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nann@example.com,Ann,yes,t2\n' });
  const first = lint(root, env);
  assert.equal(first.status, 1);
  assert.deepEqual([first.hits, first.misses], [0, 1]);
  assert.deepEqual(ruleIds(first), ['recipient-duplicate']);
  assert.ok(statSync(join(root, '.campaignlintcache')).isFile(), 'the default location is .campaignlintcache in the working directory');
  const second = lint(root, env);
  assert.deepEqual([second.hits, second.misses], [1, 0]);
  assert.equal(second.status, 1);
  assert.equal(second.stdout, first.stdout);
  assert.deepEqual(readdirSync(root).filter((name) => name.endsWith('.tmp')), [], 'no temporary file is left');
});

test('a list restored to failing bytes with its size and mtime faked is linted again, never passed from the cache', () => {
  const failing = 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nann@example.com,Ann,yes,t2\n';
  const passing = 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nanx@example.com,Ann,yes,t2\n';
  assert.equal(failing.length, passing.length);
  const { root, env } = project({ 'recipients.csv': failing });
  const list = join(root, 'recipients.csv');
  assert.equal(lint(root, env).status, 1);
  writeFileSync(list, passing);
  const passed = lint(root, env);
  assert.equal(passed.status, 0);
  assert.equal(passed.misses, 1);
  const { atime, mtime } = statSync(list);
  writeFileSync(list, failing);
  utimesSync(list, atime, mtime);
  const again = lint(root, env);
  assert.equal(again.status, 1);
  assert.deepEqual(ruleIds(again), ['recipient-duplicate']);
});

test('a comment, a config change and a config suppression list each change the key', () => {
  const { root, env } = project();
  assert.equal(lint(root, env).status, 0);
  // The campaign's bytes: a comment (where inline directives live) is not in the approval digest, but is in the key.
  const digest = runCli(['digest', 'campaign.yaml'], { cwd: root }).stdout;
  writeFileSync(join(root, 'campaign.yaml'), `# a comment\n${VALID_CAMPAIGN}`);
  assert.equal(runCli(['digest', 'campaign.yaml'], { cwd: root }).stdout, digest);
  assert.deepEqual([lint(root, env).misses, lint(root, env).hits], [1, 1]);
  // The effective config.
  writeFileSync(join(root, 'campaign-lint.config.yaml'), `${CONFIG}rules:\n  recipient-count: off\n`);
  assert.equal(lint(root, env).misses, 1);
  // A list the config's suppression glob matches, which no campaign names.
  writeFileSync(join(root, 'suppression/unsubscribed.csv'), 'email\nzed@example.com\nann@example.com\n');
  const suppressed = lint(root, env);
  assert.equal(suppressed.misses, 1);
  assert.equal(suppressed.status, 1);
  assert.ok(ruleIds(suppressed).includes('recipient-suppressed'));
  // A new file the glob now matches.
  writeFileSync(join(root, 'suppression/unsubscribed.csv'), 'email\nzed@example.com\n');
  assert.equal(lint(root, env).status, 0);
  writeFileSync(join(root, 'suppression/more.csv'), 'email\nbo@example.org\n');
  const added = lint(root, env);
  assert.equal(added.status, 1);
  assert.equal(added.misses, 1);
});

test('a corrupt, foreign or altered cache file is ignored and rewritten', () => {
  const { root, env } = project({ 'recipients.csv': 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nann@example.com,Ann,yes,t2\n' });
  const cacheFile = join(root, '.campaignlintcache');
  assert.equal(lint(root, env).status, 1);
  const good = readFileSync(cacheFile, 'utf8');

  writeFileSync(cacheFile, good.slice(0, good.length / 2));
  const corrupt = lint(root, env);
  assert.deepEqual([corrupt.status, corrupt.hits, corrupt.ignored], [1, 0, 'not JSON']);
  assert.equal(lint(root, env).hits, 1, 'rewritten');

  writeFileSync(cacheFile, JSON.stringify({ format: 'something-else', entries: {} }));
  assert.equal(lint(root, env).ignored, 'not a campaign-lint cache');

  // The findings removed by hand, the authentication code left as it was: a forged pass.
  assert.equal(lint(root, env).hits, 1);
  const forged = JSON.parse(readFileSync(cacheFile, 'utf8')) as { body: string };
  const body = JSON.parse(forged.body) as { entries: Record<string, { results: unknown[] }> };
  assert.equal(Object.keys(body.entries).length, 1);
  for (const entry of Object.values(body.entries)) entry.results = [];
  forged.body = JSON.stringify(body);
  writeFileSync(cacheFile, JSON.stringify(forged));
  const altered = lint(root, env);
  assert.equal(altered.status, 1);
  assert.equal(altered.ignored, 'made under another secret, or altered');

  // A valid cache made under another user's secret (a cache file committed to the repository).
  const other = lint(root, { ...env, CAMPAIGN_LINT_CACHE_SECRET: 'someone else' });
  assert.equal(other.ignored, 'made under another secret, or altered');
  assert.equal(lint(root, env).ignored, 'made under another secret, or altered');

  const otherBuild = JSON.parse(readFileSync(cacheFile, 'utf8')) as { tool: string };
  otherBuild.tool = '0.0.1+feed';
  writeFileSync(cacheFile, JSON.stringify(otherBuild));
  assert.equal(lint(root, env).ignored, 'written by another build of campaign-lint');
});

test('the cache file holds masked values only, and --show-pii neither reads nor writes it', () => {
  // A repeated row: its finding names the address (masked); the grouped `cc` finding names none.
  const { root, env } = project({ 'campaign.yaml': `${VALID_CAMPAIGN}cc: [ann@example.com]\n`, 'recipients.csv': 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nann@example.com,Ann,yes,t2\n' });
  const masked = lint(root, env);
  assert.equal(masked.status, 1);
  const text = readFileSync(join(root, '.campaignlintcache'), 'utf8');
  assert.match(text, /a\*\*\*@example\.com/);
  assert.ok(!text.includes('ann@example.com'), 'no unmasked recipient value in the cache file');
  const shown = lint(root, env, ['--show-pii']);
  assert.match(shown.stderr, /^campaign-lint: --cache: results not cached: --show-pii findings hold unmasked recipient values$/m);
  assert.match(shown.stdout, /ann@example\.com/);
  assert.ok(!readFileSync(join(root, '.campaignlintcache'), 'utf8').includes('ann@example.com'));
});

test('--cache-location takes a file or a folder', () => {
  const { root, env } = project();
  lint(root, env, ['--cache-location', 'custom.cache']);
  assert.ok(statSync(join(root, 'custom.cache')).isFile());
  const folder = tempTree({});
  const run = lint(root, env, ['--cache-location', folder]);
  assert.equal(run.status, 0);
  const names = readdirSync(folder);
  assert.equal(names.length, 1);
  assert.match(names[0] ?? '', /^\.campaignlintcache_[0-9a-f]{12}$/);
  assert.equal(lint(root, env, ['--cache-location', folder]).hits, 1);
});

test('github mode is never cached: reviews change without a file changing', () => {
  const { root, env } = project({ 'campaign-lint.config.yaml': CONFIG.replace('required: 0', 'required: 2\n  verify: github') });
  const run = lint(root, env);
  assert.match(run.stderr, /^campaign-lint: --cache: results not cached: approval\.verify: github asks GitHub for reviews on every run$/m);
  assert.deepEqual([run.hits, run.misses], [0, 0]);
});

test('signature mode with a time-limited key is never cached', () => {
  const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEqX3F0iWm2p2l9pE1Q0sQ3m7Yb5m9YqvJ3cX1nq2Zy0';
  const { root, env } = project({
    'campaign-lint.config.yaml': CONFIG.replace('required: 0', 'required: 2\n  verify: signature\n  allowed_signers: signers'),
    signers: `bob@example.com valid-before="20300101" ${key}\n`,
  });
  const run = lint(root, env);
  assert.match(run.stderr, /results not cached: a trusted signing key is limited in time \(valid-after\/valid-before\)/);
  writeFileSync(join(root, 'signers'), `bob@example.com ${key}\n`);
  const cached = lint(root, env);
  assert.doesNotMatch(cached.stderr, /results not cached/);
  assert.equal(cached.misses, 1);
});

test('the stat shortcut: an old unchanged list is not hashed again, and an edit that keeps size and mtime is still seen (ctime)', async () => {
  const passing = 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nanx@example.com,Ann,yes,t2\n';
  const failing = 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nann@example.com,Ann,yes,t2\n';
  const { root, env } = project({ 'recipients.csv': passing });
  const list = join(root, 'recipients.csv');
  // Older than the racy window (RACY_MS): only then is a file's stat trusted.
  await new Promise((resolve) => setTimeout(resolve, 3500));
  assert.equal(lint(root, env).status, 0);
  const hit = lint(root, env);
  assert.equal(hit.hits, 1);
  assert.match(hit.stderr, /, 0 file\(s\) hashed/);
  const { atime, mtime } = statSync(list);
  writeFileSync(list, failing);
  utimesSync(list, atime, mtime);
  assert.equal(statSync(list).size, passing.length);
  const edited = lint(root, env);
  assert.equal(edited.status, 1);
  assert.equal(edited.misses, 1);
  assert.deepEqual(ruleIds(edited), ['recipient-duplicate']);
});

test("a draft run's cached warnings are never reused by a run without --draft (the draft setting is part of the key)", () => {
  const { root, env } = project({ 'campaign-lint.config.yaml': CONFIG.replace('required: 0', 'required: 2') });
  const local = { ...env, CI: '' };
  const draft = lint(root, local, ['--draft']);
  assert.equal(draft.status, 0, draft.stderr);
  assert.deepEqual(ruleIds(draft), ['two-person-approval']);
  const gate = lint(root, local);
  assert.deepEqual([gate.hits, gate.misses], [0, 1]);
  assert.equal(gate.status, 1);
  assert.deepEqual(ruleIds(gate), ['two-person-approval']);
});

test('in a git repository the default cache file lives in the git folder: `git add -A` never commits it', () => {
  const { root, env } = project();
  execFileSync('git', ['init', '-q'], { cwd: root });
  const run = lint(root, env);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(existsSync(join(root, '.campaignlintcache')), false);
  assert.equal(readdirSync(join(root, '.git')).filter((name) => name.startsWith('campaign-lint-cache_')).length, 1);
  assert.deepEqual([lint(root, env).hits], [1]);
  const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: root, encoding: 'utf8' });
  assert.ok(!status.includes('cache'), status);
});

test('a hit is answered by the front bundle without loading the linter, with the bytes the whole command line prints', () => {
  const { root, env } = project({ 'recipients.csv': 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nann@example.com,Ann,yes,t2\n' });
  const loaded = (run: Run) => [...run.stderr.matchAll(/code cache \w+[^(]*\((.*)\)$/gm)].map((match) => (match[1] ?? '').split(/[\\/]/).pop());
  const plain = runCli(['-f', 'json', 'campaign.yaml'], { cwd: root, env });
  const miss = lint(root, env);
  // A miss: the front gives up before writing anything, and the whole command line runs.
  assert.deepEqual(loaded(miss), ['campaign-lint-front.cjs.cache', 'campaign-lint.cjs.cache']);
  assert.match(miss.stderr, /not answered from the cache \(a miss, an error, another command\): loading the linter/);
  const hit = lint(root, env);
  assert.deepEqual(loaded(hit), ['campaign-lint-front.cjs.cache']);
  assert.deepEqual([hit.hits, hit.misses, hit.status], [1, 0, 1]);
  assert.equal(hit.stdout, plain.stdout);
  assert.equal(miss.stdout, plain.stdout);
  // The stylish report too (colours off: NO_COLOR), and --output-file, which the front writes only after a hit.
  const stylish = runCli(['--cache', '--no-color', 'campaign.yaml'], { cwd: root, env });
  assert.equal(stylish.stdout, runCli(['--no-color', 'campaign.yaml'], { cwd: root, env }).stdout);
  const written = runCli(['--cache', '-f', 'json', '-o', 'report.json', 'campaign.yaml'], { cwd: root, env });
  assert.deepEqual(loaded(written), ['campaign-lint-front.cjs.cache']);
  assert.equal(readFileSync(join(root, 'report.json'), 'utf8'), plain.stdout);
});

test('a command the front bundle does not have, and an error, are left to the whole command line', () => {
  const { root, env } = project({ 'recipients.csv': 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\n' });
  const usage = runCli(['--cache', '--max-warnings', 'many', 'campaign.yaml'], { cwd: root, env });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /^campaign-lint: --max-warnings takes a whole number/m);
  assert.equal(usage.stderr.match(/--max-warnings takes/g)?.length, 1, 'the error is printed once, by the whole command line');
  const rules = runCli(['rules', '--cache'], { cwd: root, env });
  assert.equal(rules.status, 2);
  assert.deepEqual(
    rules.stderr.split('\n').filter((line) => line.startsWith('campaign-lint: --cache')),
    ['campaign-lint: --cache is an option of campaign-lint lint, not of campaign-lint rules; campaign-lint rules --help lists its options'],
  );
});
