import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { campaignWorkflow } from '../../src/integrations/templates/workflow.js';
import { gitInit, runCli } from '../helpers/cli.js';
import { REPO_ROOT, tempDir } from './helpers.js';

const WRITTEN = [
  'campaign-lint.config.yaml',
  'campaigns/example/campaign.yaml',
  'campaigns/example/recipients.csv',
  'campaigns/example/body.html',
  'campaigns/example/body.txt',
  '.github/workflows/campaign-lint.yml',
  '.pre-commit-config.yaml',
  '.vscode/settings.json',
];
const NEXT = 'Next: edit campaign-lint.config.yaml (organization, approvers), then run `npx campaign-lint`.\nEditor completion reads the schemas from node_modules/campaign-lint/schemas/: run `npm install --save-dev campaign-lint`.\n';

interface JsonResult {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

await test('init writes a repository that lints clean except for the missing approvals', () => {
  const repo = tempDir();
  gitInit(repo);
  const init = runCli(['init'], { cwd: repo });
  assert.equal(init.status, 0, init.stderr);
  assert.equal(init.stderr, '');
  assert.equal(
    init.stdout,
    `${WRITTEN.map((path) => `wrote    ${path}\n`).join('')}\n${NEXT}`,
  );

  const lint = runCli(['--format', 'json'], { cwd: repo });
  const results = JSON.parse(lint.stdout) as JsonResult[];
  assert.deepEqual(results.map((result) => result.filePath), [join(repo, 'campaigns/example/campaign.yaml')]);
  // Nobody has approved the example yet: that rule, and only that rule, may complain.
  const others = results.flatMap((result) => result.messages).filter((message) => message.ruleId !== 'two-person-approval');
  assert.deepEqual(others, []);
  const approvalFindings = results.flatMap((result) => result.messages).length;
  assert.equal(lint.status, approvalFindings > 0 ? 1 : 0, lint.stderr);
});

await test('the config and the workflow init writes agree on approvals: record raised to github, every approver with an email and a login', () => {
  const repo = tempDir();
  gitInit(repo);
  assert.equal(runCli(['init'], { cwd: repo }).status, 0);
  const config = parseYaml(readFileSync(join(repo, 'campaign-lint.config.yaml'), 'utf8')) as { approval: { verify: string; approvers: Record<string, string>[] } };
  const workflow = parseYaml(readFileSync(join(repo, '.github/workflows/campaign-lint.yml'), 'utf8')) as {
    jobs: { 'campaign-lint': { steps: { uses: string; with?: Record<string, string> }[] } };
  };
  const step = workflow.jobs['campaign-lint'].steps.find((candidate) => candidate.uses.startsWith('campaign-lint/campaign-lint@'));
  assert.equal(config.approval.verify, 'record');
  assert.equal(step?.with?.approvals, 'github', 'the workflow raises record to github for pull requests');
  assert.ok(config.approval.approvers.length >= 2);
  for (const person of config.approval.approvers) {
    assert.match(person.email ?? '', /^[^@\s]+@example\.com$/, 'an email for approve --by and author:');
    assert.match(person.github ?? '', /^[a-z0-9-]+$/, 'a GitHub login for reviews');
  }
  // The raise the workflow asks for is one the policy allows (only tighten), and it says so.
  const raised = runCli(['--format', 'json', '--approvals', 'github'], { cwd: repo, env: { GITHUB_EVENT_PATH: join(repo, 'no-event.json') } });
  assert.equal(raised.stderr, 'campaign-lint: approvals verified in github mode, raised from record by --approvals\n');
  const messages = (JSON.parse(raised.stdout) as JsonResult[]).flatMap((result) => result.messages).filter((message) => message.ruleId === 'two-person-approval');
  assert.deepEqual(messages.map((message) => message.message.replace(/GITHUB_EVENT_PATH=\S+/, 'GITHUB_EVENT_PATH=…')), [
    'GitHub review check failed (github mode, raised from record by --approvals): the event file GITHUB_EVENT_PATH=… cannot be read as JSON (ENOENT: no such file or directory, open \'' + join(repo, 'no-event.json') + '\'); approvals cannot be verified',
  ]);
});

await test('a second init without --force writes nothing; --force rewrites', () => {
  const repo = tempDir();
  gitInit(repo);
  assert.equal(runCli(['init'], { cwd: repo }).status, 0);
  const configPath = join(repo, 'campaign-lint.config.yaml');
  writeFileSync(configPath, 'extends: strict\n');

  const again = runCli(['init'], { cwd: repo });
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout.split('\n').filter((line) => line.startsWith('skipped  ')).length, WRITTEN.length);
  assert.ok(!again.stdout.includes('wrote'));
  assert.equal(readFileSync(configPath, 'utf8'), 'extends: strict\n');

  const forced = runCli(['init', '--force'], { cwd: repo });
  assert.equal(forced.status, 0, forced.stderr);
  assert.ok(readFileSync(configPath, 'utf8').startsWith('# yaml-language-server: $schema=./node_modules/campaign-lint/schemas/config.schema.json\n'));
});

await test('init where it cannot write: one clear line, exit 2', () => {
  const repo = tempDir();
  // A file where the workflow folder has to go fails for root as well as for anyone else.
  writeFileSync(join(repo, '.github'), 'not a folder\n');
  const init = runCli(['init'], { cwd: repo });
  assert.equal(init.status, 2);
  assert.equal(init.stderr, `campaign-lint: init: cannot write .github/workflows/campaign-lint.yml in ${repo} (ENOTDIR)\n`);
  assert.equal(runCli(['init', 'extra'], { cwd: repo }).stderr, 'campaign-lint: init takes no arguments (got `extra`); it writes into the current folder\n');
});

await test('the workflow init writes is the one docs/github-action.md shows', () => {
  const docs = readFileSync(join(REPO_ROOT, 'docs/github-action.md'), 'utf8');
  const shown = /```yaml\n(# campaign-lint: the pre-send audit[\s\S]*?)```/.exec(docs)?.[1];
  assert.equal(shown, campaignWorkflow('campaign-lint/campaign-lint@v0'));
});

const SCHEMA_MAPPING = {
  './node_modules/campaign-lint/schemas/campaign.schema.json': ['campaigns/**/campaign.yaml', 'campaigns/**/*.campaign.yaml'],
  './node_modules/campaign-lint/schemas/config.schema.json': ['campaign-lint.config.yaml'],
};

await test('init maps campaign files to the shipped schema, for VS Code and for the $schema comments, without the network', () => {
  const repo = tempDir();
  gitInit(repo);
  assert.equal(runCli(['init'], { cwd: repo }).status, 0);
  assert.equal(readFileSync(join(repo, '.vscode/settings.json'), 'utf8'), `${JSON.stringify({ 'yaml.schemas': SCHEMA_MAPPING }, null, 2)}\n`);
  // Each comment's path, resolved from its own file, is the installed package's schema.
  for (const [file, schema] of [['campaigns/example/campaign.yaml', 'campaign.schema.json'], ['campaign-lint.config.yaml', 'config.schema.json']] as const) {
    const comment = /^# yaml-language-server: \$schema=(\S+)\n/.exec(readFileSync(join(repo, file), 'utf8'))?.[1] ?? '';
    assert.ok(!comment.includes(':'), `${file}: ${comment} is a path, not a URL`);
    assert.equal(resolve(dirname(join(repo, file)), comment), join(repo, 'node_modules/campaign-lint/schemas', schema));
  }
});

await test('an existing .vscode/settings.json keeps every byte and gains the mapping; one it cannot read is left alone', () => {
  const cases: [string, string, string | undefined, string][] = [
    [
      'comments and a trailing comma',
      '{\n    // my editor\n    "editor.tabSize": 4, /* keep */\n    "files.eol": "\\n",\n}\n',
      `{\n    "yaml.schemas": ${JSON.stringify(SCHEMA_MAPPING, null, 4).replace(/\n/g, '\n    ')},\n    // my editor\n    "editor.tabSize": 4, /* keep */\n    "files.eol": "\\n",\n}\n`,
      'updated  .vscode/settings.json (yaml.schemas: the campaign-lint schemas added)',
    ],
    [
      'an empty object',
      '{}',
      `{\n  "yaml.schemas": ${JSON.stringify(SCHEMA_MAPPING, null, 2).replace(/\n/g, '\n  ')}\n}`,
      'updated  .vscode/settings.json (yaml.schemas: the campaign-lint schemas added)',
    ],
    [
      'yaml.schemas of its own',
      '{\n  "yaml.schemas": {\n    "https://json.schemastore.org/github-workflow.json": ".github/workflows/*.yml"\n  }\n}\n',
      `{\n  "yaml.schemas": {${Object.entries(SCHEMA_MAPPING).map(([path, globs]) => `\n    ${JSON.stringify(path)}: ${JSON.stringify(globs)}`).join(',')},\n    "https://json.schemastore.org/github-workflow.json": ".github/workflows/*.yml"\n  }\n}\n`,
      'updated  .vscode/settings.json (yaml.schemas: the campaign-lint schemas added)',
    ],
    ['not JSON', '{ "editor.tabSize": 4 oops }\n', undefined, 'skipped  .vscode/settings.json (not a JSON object with comments; add "yaml.schemas" by hand, see docs/rules/schema.md)'],
  ];
  for (const [what, before, after, line] of cases) {
    const repo = tempDir();
    mkdirSync(join(repo, '.vscode'));
    writeFileSync(join(repo, '.vscode/settings.json'), before);
    const init = runCli(['init'], { cwd: repo });
    assert.equal(init.status, 0, init.stderr);
    assert.equal(init.stdout.split('\n').filter((text) => text.includes('.vscode/settings.json')).join('\n'), line, what);
    assert.equal(readFileSync(join(repo, '.vscode/settings.json'), 'utf8'), after ?? before, what);
    const again = runCli(['init', '--force'], { cwd: repo });
    assert.equal(readFileSync(join(repo, '.vscode/settings.json'), 'utf8'), after ?? before, `${what}: --force does not replace settings`);
    if (after !== undefined) assert.match(again.stdout, /^skipped {2}\.vscode\/settings\.json \(yaml\.schemas already maps the campaign-lint schemas\)$/m);
  }
});
