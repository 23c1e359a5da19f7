/**
 * The ESLint plugin with the real ESLint (the devDependency's bin, as `npx eslint` runs it) on a
 * copy of examples/ plus a campaign with warnings and findings in its recipient list: the same
 * findings, at the same places, as `campaign-lint -f json`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

interface Message {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fatal?: boolean;
}
interface Result {
  filePath: string;
  messages: Message[];
}

// Inside the package, so that the config imports `campaign-lint/eslint-plugin` through the
// package's own `exports` (self-reference), as a user's project does from node_modules.
mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
const dir = mkdtempSync(join(REPO_ROOT, '.tmp', 'eslint-plugin-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});
cpSync(join(REPO_ROOT, 'examples'), dir, { recursive: true });
writeFileSync(join(dir, 'eslint.config.mjs'), "import campaignLint from 'campaign-lint/eslint-plugin';\n\nexport default [campaignLint.configs.recommended];\n");
mkdirSync(join(dir, 'campaigns', 'extra'));
writeFileSync(join(dir, 'campaigns', 'extra', 'spring.campaign.yaml'), VALID_CAMPAIGN.replace('expected_count: 2', 'expected_count: 4'));
writeFileSync(join(dir, 'campaigns', 'extra', 'body.txt'), VALID_FILES['body.txt'] ?? '');
// A repeated address (an error in the list) and a role address (a warning in the list).
writeFileSync(join(dir, 'campaigns', 'extra', 'recipients.csv'), 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nbo@example.org,Bo,yes,t2\nann@example.com,Ann,yes,t3\ninfo@example.net,Info,yes,t4\n');
const CAMPAIGNS = ['campaigns/2019-11-customer-notice/campaign.yaml', 'campaigns/2026-12-winter-sale/campaign.yaml', 'campaigns/extra/spring.campaign.yaml'];
const ESLINT = join(REPO_ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

function eslint(args: string[]): { status: number | null; results: Result[]; stderr: string } {
  const run = spawnSync(process.execPath, [ESLINT, '--format', 'json', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: join(dir, '.xdg') } });
  return { status: run.status, results: run.stdout === '' ? [] : (JSON.parse(run.stdout) as Result[]), stderr: run.stderr };
}

const shape = ({ ruleId, severity, message, line, column, endLine, endColumn }: Message) => ({ ruleId, severity, message, line, column, endLine, endColumn });

test('npx eslint with configs.recommended reports what campaign-lint -f json reports', () => {
  const cli = runCli(['-f', 'json', ...CAMPAIGNS], { cwd: dir });
  assert.equal(cli.status, 1, cli.stderr);
  const expected = JSON.parse(cli.stdout) as Result[];
  const run = eslint(CAMPAIGNS);
  assert.equal(run.status, 1, run.stderr);
  assert.equal(run.results.length, 3);

  for (const campaign of CAMPAIGNS) {
    const path = join(dir, campaign);
    const shown = (run.results.find((result) => result.filePath === path)?.messages ?? []).map((message) => ({
      ...shape(message),
      ruleId: message.ruleId?.replace(/^campaign-lint\//, '').replace(/-warning$/, '') ?? null,
    }));
    // The campaign's own findings, as they are; findings in the files it uses, on the key naming the file.
    const own = (expected.find((result) => result.filePath === path)?.messages ?? []).map(shape);
    const used = expected.filter((result) => result.filePath !== path && result.filePath.startsWith(join(path, '..')));
    const mapped = used.flatMap((result) =>
      result.messages.map((message) => ({
        ruleId: message.ruleId,
        severity: message.severity,
        message: `${relative(join(path, '..'), result.filePath)}:${message.line}:${message.column}: ${message.message}`,
      })),
    );
    assert.deepEqual(
      shown.filter((message) => !/^[\w.-]+\.csv:\d+:\d+: /.test(message.message)),
      own,
      campaign,
    );
    assert.deepEqual(
      shown.filter((message) => /^[\w.-]+\.csv:\d+:\d+: /.test(message.message)).map(({ ruleId, severity, message }) => ({ ruleId, severity, message })),
      mapped,
      campaign,
    );
  }
  // The extra campaign: not approved (the examples' config wants two approvals), and the repeat
  // and the role address in its list, shown on `file: recipients.csv` (line 17, column 9).
  const extra = run.results.find((result) => result.filePath.endsWith('spring.campaign.yaml'))?.messages ?? [];
  assert.deepEqual(
    extra.map(({ ruleId, severity, line, column }) => ({ ruleId, severity, line, column })),
    [
      { ruleId: 'campaign-lint/two-person-approval', severity: 2, line: 5, column: 1 },
      { ruleId: 'campaign-lint/recipient-duplicate', severity: 2, line: 17, column: 9 },
      { ruleId: 'campaign-lint/recipient-role-address-warning', severity: 1, line: 17, column: 9 },
    ],
  );
  assert.match(extra[1]?.message ?? '', /^recipients\.csv:4:1: `a\*\*\*@example\.com` is already on line 2/);
  // The BitMEX example: one no-cc finding at 12:1 (the leaks inside the list it covers are not repeated), as the command says.
  const bitmex = run.results.find((result) => result.filePath.endsWith('2019-11-customer-notice/campaign.yaml'))?.messages ?? [];
  assert.deepEqual(bitmex.map((message) => `${message.ruleId ?? ''} ${message.line}:${message.column}`), [
    'campaign-lint/no-cc 12:1',
  ]);
});

test('a YAML syntax error is a fatal parse error at the place the command reports it', () => {
  writeFileSync(join(dir, 'broken.campaign.yaml'), 'version: 1\nid: [unclosed\n');
  const cli = JSON.parse(runCli(['-f', 'json', 'broken.campaign.yaml'], { cwd: dir }).stdout) as Result[];
  const run = eslint(['broken.campaign.yaml']);
  const expected = cli[0]?.messages[0];
  const shown = run.results[0]?.messages[0];
  assert.ok(expected && shown);
  // ESLint puts `Parsing error: ` before every language's parse errors.
  assert.deepEqual([shown.ruleId, shown.fatal, shown.severity, shown.line, shown.column, shown.message], [null, true, 2, expected.line, expected.column, `Parsing error: ${expected.message}`]);
  rmSync(join(dir, 'broken.campaign.yaml'));
});

test('an editor buffer that differs from the saved file is not linted at stale positions', () => {
  const script = `
    import { ESLint } from 'eslint';
    const eslint = new ESLint({ cwd: process.cwd() });
    const [result] = await eslint.lintText('version: 1\\n# unsaved edit\\n', { filePath: ${JSON.stringify(join(dir, CAMPAIGNS[0] ?? ''))} });
    console.log(JSON.stringify(result.messages.map(({ ruleId, severity, line, column }) => ({ ruleId, severity, line, column }))));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
  assert.equal(run.stderr, '');
  assert.deepEqual(JSON.parse(run.stdout), [{ ruleId: 'campaign-lint/unsaved', severity: 1, line: 1, column: 1 }]);
});
