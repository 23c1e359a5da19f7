import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { gitInit, runCli } from '../helpers/cli.js';

function campaignFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = { [`${dir}/campaign.yaml`]: VALID_CAMPAIGN.replace('id: test-campaign', `id: ${dir.split('/').pop() ?? 'x'}`) };
  for (const [name, content] of Object.entries(VALID_FILES)) files[`${dir}/${name}`] = content;
  return files;
}

function repository(): string {
  const root = tempTree({
    ...campaignFiles('campaigns/a'),
    ...campaignFiles('campaigns/b'),
    ...campaignFiles('drafts/c'),
    'campaigns/d.campaign.yaml': VALID_CAMPAIGN.replace('id: test-campaign', 'id: d').replace('file: recipients.csv', 'file: a/recipients.csv').replace('text: body.txt', 'text: b/body.txt'),
    ...campaignFiles('node_modules/pkg/x'),
    ...campaignFiles('ignored/e'),
    '.gitignore': 'ignored/\n',
    'suppression/global.csv': 'email\nno@example.com\n',
    'campaign-lint.config.yaml': 'ignore: ["drafts/**"]\nsuppression: ["suppression/*.csv"]\n',
  });
  gitInit(root);
  return root;
}

const linted = (root: string, args: string[], cwd = root) => {
  const run = runCli([...args, '-f', 'json'], { cwd });
  assert.equal(run.stderr, '');
  return (JSON.parse(run.stdout) as { filePath: string }[]).map((result) => result.filePath.slice(root.length + 1));
};

test('default globs find campaign.yaml and *.campaign.yaml, minus .gitignore, node_modules and config ignore', () => {
  const root = repository();
  assert.deepEqual(linted(root, []), ['campaigns/a/campaign.yaml', 'campaigns/b/campaign.yaml', 'campaigns/d.campaign.yaml']);
});

test('config include narrows the default run; the campaigns it leaves out are unlinted-campaign errors (ignore skips them)', () => {
  const root = repository();
  const config = join(root, 'campaign-lint.config.yaml');
  writeFileSync(config, 'include: ["campaigns/a/**/campaign.yaml", "drafts/**/campaign.yaml"]\nignore: ["drafts/**"]\n');
  const run = runCli(['-f', 'json'], { cwd: root });
  const results = JSON.parse(run.stdout) as { filePath: string; messages: { ruleId: string | null }[] }[];
  const unlinted = (result: (typeof results)[number]) => result.messages.filter((message) => message.ruleId === 'unlinted-campaign').length;
  assert.deepEqual(
    results.map((result) => [result.filePath.slice(root.length + 1), unlinted(result)]),
    [
      ['campaigns/a/campaign.yaml', 0],
      ['campaigns/b/campaign.yaml', 1],
      ['campaigns/d.campaign.yaml', 1],
    ],
  );
  writeFileSync(config, 'include: ["campaigns/a/**/campaign.yaml"]\nignore: ["drafts/**", "campaigns/b/**", "campaigns/d.campaign.yaml"]\n');
  assert.deepEqual(linted(root, []), ['campaigns/a/campaign.yaml']);
});

test('a folder, a glob and a file from a subfolder', () => {
  const root = repository();
  assert.deepEqual(linted(root, ['campaigns']), ['campaigns/a/campaign.yaml', 'campaigns/b/campaign.yaml', 'campaigns/d.campaign.yaml']);
  assert.deepEqual(linted(root, ['campaigns/*/campaign.yaml']), ['campaigns/a/campaign.yaml', 'campaigns/b/campaign.yaml']);
  assert.deepEqual(linted(root, ['campaign.yaml'], join(root, 'campaigns/b')), ['campaigns/b/campaign.yaml']);
});

test('a CSV path lints every campaign that references it, relative or absolute', () => {
  const root = repository();
  assert.deepEqual(linted(root, ['campaigns/a/recipients.csv']), ['campaigns/a/campaign.yaml', 'campaigns/d.campaign.yaml']);
  assert.deepEqual(linted(root, [join(root, 'campaigns/a/recipients.csv')]), ['campaigns/a/campaign.yaml', 'campaigns/d.campaign.yaml']);
});

test('a template and its campaign given together both count as matched (lint-staged passes both)', () => {
  const root = repository();
  const run = runCli(['campaigns/b/body.txt', 'campaigns/b/campaign.yaml', '-f', 'json'], { cwd: root });
  assert.equal(run.stderr, '');
  assert.equal((JSON.parse(run.stdout) as unknown[]).length, 2);
});

test('a template path lints the campaigns that use it', () => {
  const root = repository();
  assert.deepEqual(linted(root, ['campaigns/b/body.txt']), ['campaigns/b/campaign.yaml', 'campaigns/d.campaign.yaml']);
});

test('a global suppression list re-lints every campaign', () => {
  const root = repository();
  assert.deepEqual(linted(root, ['suppression/global.csv']), ['campaigns/a/campaign.yaml', 'campaigns/b/campaign.yaml', 'campaigns/d.campaign.yaml']);
});

test('outside git, node_modules is still skipped', () => {
  const root = tempTree({ ...campaignFiles('campaigns/a'), ...campaignFiles('node_modules/pkg/x') });
  assert.deepEqual(linted(root, []), ['campaigns/a/campaign.yaml']);
});
