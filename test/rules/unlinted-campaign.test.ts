/**
 * unlinted-campaign: a file that looks like a campaign (by name in any case, or by top-level
 * `version:` and `recipients:`) but that the run does not lint is a locked error in that file.
 * Every case runs the built CLI in a real git repository, so .gitignore is git's own.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { gitCommitAll, gitInit, runCli } from '../helpers/cli.js';

const POLICY = 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\n  archive_addresses: [archive@example.com]\napproval:\n  required: 0\n';
const LEAKING = VALID_CAMPAIGN.replace('id: test-campaign', 'id: hidden').concat('cc: [ann@example.com, bo@example.org]\n');

interface Finding {
  file: string;
  ruleId: string | null;
  severity: number;
  line: number;
  column: number;
  message: string;
}

function repository(extra: Record<string, string> = {}): string {
  const root = tempTree({ 'campaign-lint.config.yaml': POLICY, 'campaign.yaml': VALID_CAMPAIGN, ...VALID_FILES, ...extra });
  gitInit(root);
  return root;
}

function write(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

function lint(root: string, args: string[] = [], cwd = root): { status: number | null; findings: Finding[]; stderr: string } {
  const run = runCli([...args, '-f', 'json'], { cwd });
  const results = JSON.parse(run.stdout) as { filePath: string; messages: Omit<Finding, 'file'>[] }[];
  return {
    status: run.status,
    stderr: run.stderr,
    findings: results.flatMap((result) => result.messages.map((message) => ({ file: result.filePath.slice(root.length + 1), ...message }))),
  };
}

const unlinted = (findings: Finding[]) => findings.filter((finding) => finding.ruleId === 'unlinted-campaign').map((finding) => finding.file);

test('the clean campaign alone passes (the baseline every case below changes)', () => {
  const root = repository();
  const run = lint(root);
  assert.deepEqual(run.findings, []);
  assert.equal(run.status, 0);
});

test('campaign.yml beside a clean campaign.yaml: exit 1, an error at 1:1 of campaign.yml naming it and `include`', () => {
  const root = repository({ 'campaign.yml': LEAKING });
  const run = lint(root);
  assert.equal(run.status, 1);
  assert.deepEqual(run.findings, [
    {
      file: 'campaign.yml',
      ruleId: 'unlinted-campaign',
      severity: 2,
      line: 1,
      column: 1,
      messageId: 'notIncluded',
      message:
        '`campaign.yml` looks like a campaign (by its name) but `include` (`**/campaign.yaml`, `**/*.campaign.yaml`) does not match it: rename it to campaign.yaml or add it to `include` (or exclude it on purpose with `ignore`)',
    } as Finding,
  ]);
});

for (const name of ['Campaign.YAML', 'CAMPAIGN.yaml', 'campaign.YML', 'sub/Campaign.Yml', 'offer.campaign.yml', 'offer.campaign.YML', 'Offer.Campaign.Yaml']) {
  test(`a campaign named ${name} is reported, from include and from a folder`, () => {
    const root = repository();
    write(root, name, LEAKING);
    assert.deepEqual(unlinted(lint(root).findings), [name]);
    assert.deepEqual(unlinted(lint(root, ['.']).findings), [name]);
    assert.equal(lint(root, ['.']).status, 1);
  });
}

test('by content: a .yaml/.yml with top-level version: and recipients: under any name', () => {
  const root = repository({ 'drafts/winter.yaml': LEAKING, 'drafts/quoted.yml': `"version": 1\n'recipients': { file: x.csv }\n`, 'drafts/not.yaml': 'version: 1\nname: no recipients key\n', 'drafts/nested.yaml': 'x:\n  version: 1\n  recipients: 2\n' });
  const run = lint(root);
  assert.deepEqual(unlinted(run.findings), ['drafts/quoted.yml', 'drafts/winter.yaml']);
  assert.match(run.findings.find((finding) => finding.file === 'drafts/winter.yaml')?.message ?? '', /^`drafts\/winter\.yaml` looks like a campaign \(top-level `version:` and `recipients:`\)/);
  assert.equal(run.status, 1);
});

test('sniffing is bounded: keys after the first 8 KB are not seen; a large file with the keys at the top is', () => {
  const padding = `# ${'x'.repeat(9 * 1024)}\n`;
  const root = repository({ 'late.yaml': `${padding}${LEAKING}`, 'big.yaml': `${LEAKING}# ${'y'.repeat(5 * 1024 * 1024)}\n` });
  const started = Date.now();
  assert.deepEqual(unlinted(lint(root).findings), ['big.yaml']);
  assert.ok(Date.now() - started < 5000);
});

test('an inline comment cannot switch it off; the config can, and `ignore` and .gitignore skip files', () => {
  const root = repository({ 'campaign.yml': `# campaign-lint-disable unlinted-campaign -- draft\n${LEAKING}` });
  write(root, 'campaign.yaml', `# campaign-lint-disable unlinted-campaign -- the draft is not sent\n${VALID_CAMPAIGN}`);
  const run = lint(root);
  assert.deepEqual(unlinted(run.findings), ['campaign.yml']);
  assert.ok(run.findings.some((finding) => finding.ruleId === 'locked-rule' && finding.file === 'campaign.yaml'));

  const ignoring = repository({ 'campaign.yml': LEAKING, 'drafts/campaign.yml': LEAKING, '.gitignore': 'drafts/\n' });
  assert.deepEqual(unlinted(lint(ignoring).findings), ['campaign.yml']);
  write(ignoring, 'campaign-lint.config.yaml', `${POLICY}ignore: ["campaign.yml"]\n`);
  assert.deepEqual(lint(ignoring).findings, []);
  write(ignoring, 'campaign-lint.config.yaml', `${POLICY}rules:\n  unlinted-campaign: off\n`);
  assert.deepEqual(lint(ignoring).findings, []);
});

test('a file given by path, or matched by a glob, is reported instead of skipped (pre-commit passes changed files)', () => {
  const root = repository({ 'campaign.yml': LEAKING });
  const byPath = lint(root, ['campaign.yml']);
  assert.deepEqual(unlinted(byPath.findings), ['campaign.yml']);
  assert.equal(byPath.stderr, '');
  assert.equal(byPath.status, 1);
  assert.deepEqual(unlinted(lint(root, ['*.yml']).findings), ['campaign.yml']);
  assert.deepEqual(unlinted(lint(root, ['campaign.yaml']).findings), [], 'a single campaign given by path does not scan the tree');
});

test('a narrowed include reports the campaigns it leaves out; adding them to include lints them', () => {
  const root = repository({ 'b/campaign.yaml': VALID_CAMPAIGN.replace('test-campaign', 'b').replace('file: recipients.csv', 'file: ../recipients.csv').replace('text: body.txt', 'text: ../body.txt'), 'b/campaign.yml': LEAKING });
  write(root, 'campaign-lint.config.yaml', `${POLICY}include: ["campaign.yaml"]\n`);
  assert.deepEqual(unlinted(lint(root).findings), ['b/campaign.yaml', 'b/campaign.yml']);
  write(root, 'campaign-lint.config.yaml', `${POLICY}include: ["**/campaign.yaml", "**/campaign.yml"]\n`);
  const run = lint(root);
  assert.deepEqual(unlinted(run.findings), []);
  assert.ok(run.findings.some((finding) => finding.file === 'b/campaign.yml' && finding.ruleId === 'no-cc'), 'the .yml is now linted');
});

test('node_modules: skipped when untracked, reported when committed', () => {
  const root = repository({ 'node_modules/pkg/campaign.yml': LEAKING });
  assert.deepEqual(unlinted(lint(root).findings), []);
  execFileSync('git', ['add', '-f', 'node_modules/pkg/campaign.yml'], { cwd: root, stdio: 'pipe' });
  gitCommitAll(root);
  const run = lint(root);
  assert.deepEqual(unlinted(run.findings), ['node_modules/pkg/campaign.yml']);
  assert.match(run.findings[0]?.message ?? '', /committed under node_modules, which is never linted/);
});
