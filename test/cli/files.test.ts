/**
 * Files that cannot escape (issue 15, item 6): a committed campaign.yaml that is a symlink out of
 * the repository is refused in every output format without printing a byte of its target, and
 * `approve` refuses symlinks and anything that is not a campaign, with one line and exit 2.
 * Symlinks are made at test time, in real git repositories.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { BIN, gitCommitAll, gitInit, runCli } from '../helpers/cli.js';

const POLICY = 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\n  archive_addresses: [archive@example.com]\napproval:\n  required: 1\n';
const SECRET = 'ghp_campaignLintTestSecret0123456789';
const FORMATS = ['stylish', 'json', 'sarif', 'github', 'junit', 'markdown'] as const;
const REFUSAL = 'campaign file is a symlink that leaves the repository; lint the real file instead';
const onProc = process.platform === 'linux';

function repository(campaign: string | null = VALID_CAMPAIGN): string {
  const root = tempTree({ 'campaign-lint.config.yaml': POLICY, ...VALID_FILES, ...(campaign === null ? {} : { 'campaign.yaml': campaign }) });
  gitInit(root);
  return root;
}

/** A repository whose committed campaign.yaml is a symlink to `target`. */
function symlinkedCampaign(target: string): string {
  const root = repository(null);
  symlinkSync(target, join(root, 'campaign.yaml'));
  gitCommitAll(root);
  return root;
}

for (const [what, target, leaks] of [
  ['/proc/self/environ (the CI job environment)', () => '/proc/self/environ', [SECRET, 'CAMPAIGN_LINT_TEST_SECRET', '/proc']],
  [
    'a campaign outside the repository whose first line holds a secret',
    () => join(tempTree({ 'campaign.yaml': `version: 1 # ${SECRET}\n${VALID_CAMPAIGN.slice('version: 1\n'.length)}` }), 'campaign.yaml'),
    [SECRET],
  ],
] as const) {
  test(`a committed campaign.yaml symlinked to ${what} is refused in every format, printing neither content nor target`, { skip: what.startsWith('/proc') && !onProc ? 'no /proc here' : false }, () => {
    const targetPath = target();
    const root = symlinkedCampaign(targetPath);
    // The target's folder name (a unique temp name) must not appear either.
    const allLeaks = [...leaks, ...(targetPath.startsWith('/proc') ? [] : [basename(dirname(targetPath))])];
    for (const format of FORMATS) {
      for (const args of [[], ['campaign.yaml'], ['.']]) {
        const run = runCli([...args, '-f', format], { cwd: root, env: { CAMPAIGN_LINT_TEST_SECRET: SECRET } });
        assert.equal(run.status, 1, `${format} ${args.join(' ')}: ${run.stderr}`);
        assert.ok(run.stdout.includes(REFUSAL), `${format} ${args.join(' ')} states the refusal:\n${run.stdout}`);
        for (const leak of allLeaks) {
          assert.ok(!run.stdout.includes(leak) && !run.stderr.includes(leak), `${format} ${args.join(' ')} printed \`${leak}\``);
        }
      }
    }
    const json = JSON.parse(runCli(['-f', 'json'], { cwd: root }).stdout) as { filePath: string; messages: unknown[] }[];
    assert.deepEqual(json, [
      { filePath: join(root, 'campaign.yaml'), messages: [{ ruleId: null, severity: 2, fatal: true, message: REFUSAL, line: 1, column: 1 }], suppressedMessages: [], errorCount: 1, fatalErrorCount: 1, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0, usedDeprecatedRules: [] },
    ]);
  });
}

test('a campaign.yaml symlinked to a campaign inside the repository is linted as that file', () => {
  const root = repository(null);
  writeFileSync(join(root, 'real.campaign.yaml'), VALID_CAMPAIGN);
  symlinkSync('real.campaign.yaml', join(root, 'campaign.yaml'));
  const run = runCli(['campaign.yaml', '-f', 'json'], { cwd: root });
  const messages = (JSON.parse(run.stdout) as { messages: { ruleId: string | null }[] }[]).flatMap((result) => result.messages);
  assert.ok(!messages.some((message) => message.ruleId === null), JSON.stringify(messages));
  assert.ok(messages.some((message) => message.ruleId === 'two-person-approval'), 'the campaign was read and judged');
});

test('a body template symlinked out of the repository is a finding that names neither target nor content', () => {
  const root = repository();
  rmSync(join(root, 'body.txt'));
  symlinkSync(join(tempTree({ 'secret.txt': `Hello ${SECRET}\n` }), 'secret.txt'), join(root, 'body.txt'));
  for (const format of FORMATS) {
    const run = runCli(['-f', format], { cwd: root });
    assert.equal(run.status, 1);
    assert.ok(run.stdout.includes('is a symlink that leaves the repository root'), `${format}:\n${run.stdout}`);
    assert.ok(!run.stdout.includes(SECRET) && !run.stdout.includes('secret.txt'), `${format} printed the target or its content`);
  }
});

// approve ------------------------------------------------------------------------------------

const approve = (root: string, file = 'campaign.yaml') => runCli(['approve', file, '--by', 'bob@example.com', '--yes'], { cwd: root });

function assertRefused(run: ReturnType<typeof runCli>, line: RegExp): void {
  assert.equal(run.status, 2, run.stderr);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, line);
  assert.equal(run.stderr.split('\n').length, 2, `one line: ${run.stderr}`);
}

test('approve never follows a symlink: out of the repository, inside it, or through a symlinked folder', () => {
  const outside = tempTree({ 'campaign.yaml': VALID_CAMPAIGN });
  const root = symlinkedCampaign(join(outside, 'campaign.yaml'));
  assertRefused(approve(root), /^campaign-lint: campaign\.yaml: campaign file is a symlink that leaves the repository; approve the real file instead\n$/);
  assert.equal(readFileSync(join(outside, 'campaign.yaml'), 'utf8'), VALID_CAMPAIGN, 'nothing appended outside');

  const inside = repository(null);
  writeFileSync(join(inside, 'real.yaml'), VALID_CAMPAIGN);
  symlinkSync('real.yaml', join(inside, 'campaign.yaml'));
  assertRefused(approve(inside), /^campaign-lint: refused: campaign\.yaml: campaign file is a symlink; approve the file it points to instead\n$/);
  assert.equal(readFileSync(join(inside, 'real.yaml'), 'utf8'), VALID_CAMPAIGN);

  const folder = repository(null);
  symlinkSync(folder, join(folder, 'linked'));
  writeFileSync(join(folder, 'campaign.yaml'), VALID_CAMPAIGN);
  assertRefused(approve(folder, 'linked/campaign.yaml'), /^campaign-lint: refused: linked\/campaign\.yaml: campaign file is a symlink; approve the file it points to instead\n$/);
  assert.equal(readFileSync(join(folder, 'campaign.yaml'), 'utf8'), VALID_CAMPAIGN);
  assert.equal(approve(folder).status, 0, 'the real file itself is approved');
});

for (const [what, text, line] of [
  ['a YAML syntax error', `${VALID_CAMPAIGN}subject: [unclosed\n`, /^campaign-lint: campaign\.yaml:\d+:\d+: YAML syntax error: /],
  ['a list, not a map', '- version: 1\n- id: x\n', /^campaign-lint: refused: campaign\.yaml is not a campaign: it must be a YAML map of keys \(version, id, name, \.\.\.\)\n$/],
  ['a scalar', 'just some text\n', /^campaign-lint: refused: campaign\.yaml is not a campaign: it must be a YAML map/],
  ['an empty file', '', /^campaign-lint: refused: campaign\.yaml is not a campaign: it must be a YAML map/],
  ['no version', VALID_CAMPAIGN.replace('version: 1\n', ''), /^campaign-lint: refused: campaign\.yaml is not a campaign: it has no `version`\n$/],
  ['no id', VALID_CAMPAIGN.replace('id: test-campaign\n', ''), /^campaign-lint: refused: campaign\.yaml is not a campaign: it has no `id` \(a non-empty string\)\n$/],
  ['an id that is not a string', VALID_CAMPAIGN.replace('id: test-campaign', 'id: [a, b]'), /^campaign-lint: refused: campaign\.yaml is not a campaign: it has no `id`/],
] as const) {
  test(`approve refuses a campaign file with ${what}, with one line and exit 2, and writes nothing`, () => {
    const root = repository(text);
    assertRefused(approve(root), line);
    assert.equal(readFileSync(join(root, 'campaign.yaml'), 'utf8'), text);
  });
}

test('approve refuses a folder and a file outside the repository', () => {
  const root = repository();
  const outside = tempTree({ 'campaign.yaml': VALID_CAMPAIGN, ...VALID_FILES });
  assertRefused(runCli(['approve', join(outside, 'campaign.yaml'), '--by', 'bob@example.com', '--yes'], { cwd: root }), /campaign file is outside the repository; run campaign-lint from the repository that holds it\n$/);
  assert.equal(readFileSync(join(outside, 'campaign.yaml'), 'utf8'), VALID_CAMPAIGN);
  assertRefused(runCli(['approve', '.', '--by', 'bob@example.com', '--yes'], { cwd: root }), /^campaign-lint: \.: campaign file is not a regular file \(a folder\); only a regular file is read\n$/);
});

test('digest and approve with a FIFO as the recipient list end at once: the digest never opens it for a blocking read', { skip: process.platform === 'win32' ? 'no FIFOs here' : false }, () => {
  const root = repository();
  rmSync(join(root, 'recipients.csv'));
  execFileSync('mkfifo', [join(root, 'recipients.csv')]);
  const digest = spawnSync(process.execPath, [BIN, 'digest', 'campaign.yaml'], { cwd: root, encoding: 'utf8', timeout: 5000 });
  assert.equal(digest.signal, null, 'killed after 5 s');
  assert.equal(digest.status, 0);
  assert.equal(digest.stderr, 'campaign-lint: warning: recipients.csv cannot be read (is not a regular file (a FIFO))\n');
  const run = spawnSync(process.execPath, [BIN, 'approve', 'campaign.yaml', '--by', 'bob@example.com', '--yes'], { cwd: root, encoding: 'utf8', timeout: 5000 });
  assert.equal(run.signal, null, 'killed after 5 s');
  assert.equal(run.status, 2);
  assert.equal(run.stderr, 'campaign-lint: refused: recipients.csv cannot be read, so the approval could not be bound to it\n');
  assert.equal(readFileSync(join(root, 'campaign.yaml'), 'utf8'), VALID_CAMPAIGN);
});
