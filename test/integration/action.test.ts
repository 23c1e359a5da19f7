/**
 * The GitHub Action as the runner runs it: `node dist/action/index.js` with
 * inputs in INPUT_* variables and the runner's files (step summary, outputs,
 * event payload) in temporary files.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { CLEAN_CAMPAIGN, CLEAN_FILES, CONFIG, REPO_ROOT, campaignFiles, cleanEnv, fixtureRepo, git, tempDir, writeTree } from './helpers.js';
import { gitCommitAll } from '../helpers/cli.js';

const BUNDLE = join(REPO_ROOT, 'dist/action/index.js');
const SARIF_SCHEMA = resolve(REPO_ROOT, '../shared/data/sarif-schema-2.1.0.json');

interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  commands: { command: string; properties: string; message: string }[];
}

/** Parses GITHUB_OUTPUT's `name<<delimiter` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1] ?? ''] = match[3] ?? '';
  return outputs;
}

function runAction(workspace: string, inputs: Record<string, string>, event: { name: string; payload: object } = { name: 'push', payload: {} }): ActionRun {
  const runnerFiles = tempDir('campaign-lint-runner-');
  const summaryPath = join(runnerFiles, 'summary.md');
  const outputPath = join(runnerFiles, 'output.txt');
  const eventPath = join(runnerFiles, 'event.json');
  writeFileSync(summaryPath, '');
  writeFileSync(outputPath, '');
  writeFileSync(eventPath, JSON.stringify(event.payload));
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_EVENT_NAME: event.name,
    'INPUT_GITHUB-TOKEN': 'test-token-not-used',
  };
  // The runner passes every declared input, empty when not given.
  for (const name of ['paths', 'config', 'config-ref', 'approvals', 'sarif-file']) env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? '';
  const result = spawnSync(process.execPath, [BUNDLE], { cwd: workspace, env: cleanEnv(env), encoding: 'utf8' });
  const commands = [...result.stdout.matchAll(/^::(\w+)( [^:]*)?::(.*)$/gm)].map((match) => ({
    command: match[1] ?? '',
    properties: (match[2] ?? '').trim(),
    message: match[3] ?? '',
  }));
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    summary: readFileSync(summaryPath, 'utf8'),
    outputs: parseOutputs(readFileSync(outputPath, 'utf8')),
    commands,
  };
}

/** 30 no-bulk-bcc errors in one campaign, 12 header-injection findings (configured as warnings) in another. */
function thirtyErrorsRepo(): string {
  // 29 invalid addresses (one finding per row) and the list's size against `expected_count`: 30 errors.
  const rows = Array.from({ length: 29 }, (_, index) => `not-an-address-${index + 1}.example.com,A-${index + 1}`).join('\n');
  const headers = Array.from({ length: 12 }, (_, index) => `  X-Note-${index + 1}: "line\\r\\nBcc: someone"`).join('\n');
  return fixtureRepo({
    'campaign-lint.config.yaml': `${CONFIG}rules:\n  header-injection: warn\n`,
    ...campaignFiles('campaigns/list', CLEAN_CAMPAIGN.replace('id: clean', 'id: list'), { ...CLEAN_FILES, 'recipients.csv': `email,order\nann.example@example.com,A-0\n${rows}\n` }),
    ...campaignFiles('campaigns/headers', CLEAN_CAMPAIGN.replace('id: clean', 'id: headers').replace('body:\n', `headers:\n${headers}\nbody:\n`)),
  });
}

function validateSarif(text: string): string[] {
  const Ajv = AjvDraft04Module.default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormatsModule.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')) as object);
  return validate(JSON.parse(text)) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

await test('action.yml declares the runtime, the bundle and the contract inputs and outputs', () => {
  const action = parseYaml(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
    runs: { using: string; main: string };
    inputs: Record<string, { default?: string }>;
    outputs: Record<string, unknown>;
  };
  assert.deepEqual(action.runs, { using: 'node24', main: 'dist/action/index.js' });
  assert.deepEqual(Object.keys(action.inputs), ['paths', 'config', 'config-ref', 'approvals', 'sarif-file', 'github-token']);
  assert.equal(action.inputs['github-token']?.default, '${{ github.token }}');
  assert.deepEqual(Object.keys(action.outputs), ['error-count', 'warning-count']);
});

await test('the committed bundle is what scripts/build-action.mjs builds from the sources', () => {
  const outdir = tempDir('campaign-lint-bundle-');
  const build = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/build-action.mjs'), outdir], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const fresh = readFileSync(join(outdir, 'index.js'));
  assert.ok(existsSync(BUNDLE), 'dist/action/index.js is missing: run node scripts/build-action.mjs and commit it');
  assert.ok(fresh.equals(readFileSync(BUNDLE)), 'dist/action/index.js is stale: run node scripts/build-action.mjs and commit it');
});

await test('30 errors: 9 error annotations plus the failure (10 in all), 10 warnings, one counting notice, summary, SARIF, outputs, exit 1', (t) => {
  const repo = thirtyErrorsRepo();
  const run = runAction(repo, { 'sarif-file': 'reports/campaign-lint.sarif' });
  assert.equal(run.status, 1, run.stdout + run.stderr);

  const errors = run.commands.filter((command) => command.command === 'error');
  const warnings = run.commands.filter((command) => command.command === 'warning');
  const notices = run.commands.filter((command) => command.command === 'notice');
  assert.equal(errors.length, 10);
  assert.equal(warnings.length, 10);
  assert.equal(notices.length, 1);
  // Nine findings in report order (the list's size at the campaign, then one per invalid row), then setFailed's own message.
  assert.equal(errors[0]?.properties, 'title=recipient-count,file=campaigns/list/campaign.yaml,line=15,endLine=15,col=19,endColumn=20');
  assert.equal(errors[1]?.properties, 'title=recipient-email-valid,file=campaigns/list/recipients.csv,line=3,endLine=3,col=1');
  assert.match(errors[1].message, /^`n\*\*\*` is not a valid email address/);
  assert.ok(errors.slice(1, 9).every((error, index) => error.properties === `title=recipient-email-valid,file=campaigns/list/recipients.csv,line=${index + 3},endLine=${index + 3},col=1`));
  assert.deepEqual(errors[9], { command: 'error', properties: '', message: 'campaign-lint found 30 errors' });
  assert.ok(warnings.every((warning) => warning.properties.startsWith('title=header-injection,file=campaigns/headers/campaign.yaml,')));
  assert.equal(
    notices[0]?.message,
    '21 more errors and 2 more warnings not annotated (GitHub shows at most 10 of each per step); the job summary lists every finding.',
  );

  assert.deepEqual(run.outputs, { 'error-count': '30', 'warning-count': '12' });

  assert.match(run.summary, /^## campaign-lint\n\n\*\*3 files checked: 30 errors, 12 warnings\*\* in 3 files\./);
  assert.equal(run.summary.match(/\| ❌ error \|/g)?.length, 30);
  assert.equal(run.summary.match(/\| ⚠️ warning \|/g)?.length, 12);

  const sarifText = readFileSync(join(repo, 'reports/campaign-lint.sarif'), 'utf8');
  const sarifLog = JSON.parse(sarifText) as { runs: [{ results: { ruleId: string; level: string }[] }] };
  assert.equal(sarifLog.runs[0].results.filter((result) => result.ruleId === 'recipient-email-valid' && result.level === 'error').length, 29);
  assert.equal(sarifLog.runs[0].results.filter((result) => result.ruleId === 'recipient-count' && result.level === 'error').length, 1);
  assert.equal(sarifLog.runs[0].results.filter((result) => result.ruleId === 'header-injection' && result.level === 'warning').length, 12);
  if (!existsSync(SARIF_SCHEMA)) {
    t.diagnostic(`SARIF schema absent at ${SARIF_SCHEMA}; schema validation not run`);
    console.log(`action test: SARIF schema absent at ${SARIF_SCHEMA}; schema validation not run`);
  } else {
    assert.deepEqual(validateSarif(sarifText), []);
  }
});

await test('a clean campaign: no annotations, outputs 0, a clean summary, exit 0', () => {
  const repo = fixtureRepo({ 'campaign-lint.config.yaml': CONFIG, ...campaignFiles('campaigns/clean', CLEAN_CAMPAIGN) });
  const run = runAction(repo, { paths: 'campaigns' });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.deepEqual(run.commands, []);
  assert.deepEqual(run.outputs, { 'error-count': '0', 'warning-count': '0' });
  assert.equal(run.summary, '## campaign-lint\n\n✅ No problems found in 1 file.\n\nApprovals verified in record mode (policy: `campaign-lint.config.yaml`).\n');
});

await test('the approvals input may raise the base commit\'s record policy, never lower a stricter one; the summary says which mode ran', () => {
  const signaturePolicy = CONFIG.replace(/approval:\n(?: {2}.*\n)*/, '').concat('approval:\n  required: 0\n  verify: signature\n  allowed_signers: allowed_signers\n');
  const repo = fixtureRepo({ 'campaign-lint.config.yaml': signaturePolicy, allowed_signers: '', ...campaignFiles('campaigns/clean', CLEAN_CAMPAIGN) });
  const baseSha = git(repo, 'rev-parse', 'HEAD');
  // The pull request edits its own workflow to ask for record mode.
  const event = { name: 'pull_request', payload: { pull_request: { number: 7, base: { sha: baseSha } } } };
  const lowered = runAction(repo, { approvals: 'record' }, event);
  assert.equal(lowered.status, 1);
  assert.deepEqual(lowered.commands, [
    {
      command: 'error',
      properties: '',
      message: `campaign-lint: input approvals record refused: ${baseSha}:campaign-lint.config.yaml sets approval.verify: signature, and a mode given here may only raise record to signature or github, never replace a stricter one`,
    },
  ]);
  assert.equal(lowered.summary, '', 'nothing was checked, so nothing is summarised');

  const recordRepo = fixtureRepo({ 'campaign-lint.config.yaml': CONFIG, ...campaignFiles('campaigns/clean', CLEAN_CAMPAIGN) });
  const recordBase = git(recordRepo, 'rev-parse', 'HEAD');
  const raised = runAction(recordRepo, { approvals: 'signature' }, { name: 'pull_request', payload: { pull_request: { number: 7, base: { sha: recordBase } } } });
  assert.match(raised.summary, new RegExp(`\\nApprovals verified in signature mode, raised from record by input approvals \\(policy: \`${recordBase}:campaign-lint\\.config\\.yaml\`\\)\\.\\n$`));
  assert.ok(raised.stdout.includes('campaign-lint: Approvals verified in signature mode, raised from record by input approvals'));
});

await test('on pull_request the policy comes from the base commit, not from the pull request', () => {
  const bccCampaign = CLEAN_CAMPAIGN.replace('body:\n', 'bcc: ["{{email}}"]\nbody:\n');
  const repo = fixtureRepo({ 'campaign-lint.config.yaml': CONFIG, ...campaignFiles('campaigns/clean', CLEAN_CAMPAIGN) });
  const baseSha = git(repo, 'rev-parse', 'HEAD');
  // The pull request switches the rule off in its own copy of the config.
  writeTree(repo, {
    'campaign-lint.config.yaml': `${CONFIG}rules:\n  no-bulk-bcc: off\n`,
    ...campaignFiles('campaigns/clean', bccCampaign),
  });
  gitCommitAll(repo, 'weaken the policy');

  const pullRequest = runAction(repo, {}, { name: 'pull_request', payload: { pull_request: { number: 7, base: { sha: baseSha } } } });
  assert.equal(pullRequest.status, 1, pullRequest.stdout + pullRequest.stderr);
  assert.ok(pullRequest.stdout.includes(`reading the policy from the pull request's base commit ${baseSha}`));
  assert.deepEqual(pullRequest.outputs, { 'error-count': '1', 'warning-count': '0' });
  assert.match(pullRequest.commands[0]?.properties ?? '', /^title=no-bulk-bcc,file=campaigns\/clean\/campaign\.yaml,/);

  const push = runAction(repo, {});
  assert.equal(push.status, 0, push.stdout + push.stderr);
  assert.deepEqual(push.outputs, { 'error-count': '0', 'warning-count': '0' });

  // An explicit config-ref wins over the event's base commit.
  const explicit = runAction(repo, { 'config-ref': 'HEAD' }, { name: 'pull_request', payload: { pull_request: { base: { sha: baseSha } } } });
  assert.equal(explicit.status, 0, explicit.stdout + explicit.stderr);
});

await test('a base commit without any config (the adopting pull request) falls back to the working tree, with a warning', () => {
  const repo = fixtureRepo({ 'README.md': 'campaigns live here\n' });
  const baseSha = git(repo, 'rev-parse', 'HEAD');
  writeTree(repo, { 'campaign-lint.config.yaml': CONFIG, ...campaignFiles('campaigns/clean', CLEAN_CAMPAIGN) });
  gitCommitAll(repo, 'adopt campaign-lint');
  const run = runAction(repo, {}, { name: 'pull_request', payload: { pull_request: { base: { sha: baseSha } } } });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.deepEqual(run.commands, [
    { command: 'warning', properties: '', message: "the base commit has no campaign-lint config; using the pull request's own config this once" },
  ]);
});

await test('bad input fails the step with one line: an unknown approvals mode, a path that matches nothing', () => {
  const repo = fixtureRepo({ 'campaign-lint.config.yaml': CONFIG, ...campaignFiles('campaigns/clean', CLEAN_CAMPAIGN) });
  const badMode = runAction(repo, { approvals: 'trust-me' });
  assert.equal(badMode.status, 1);
  assert.deepEqual(badMode.commands, [
    { command: 'error', properties: '', message: 'campaign-lint: input approvals must be one of record, signature, github, not `trust-me`' },
  ]);
  const noMatch = runAction(repo, { paths: 'campaigns/clean\ncampaigns/missing' });
  assert.equal(noMatch.status, 1);
  assert.deepEqual(noMatch.commands, [{ command: 'error', properties: '', message: 'campaign-lint: no such file or folder: campaigns/missing' }]);
});
