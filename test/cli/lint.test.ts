import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const EXAMPLES = join(REPO_ROOT, 'examples');
const BITMEX = 'campaigns/2019-11-customer-notice/campaign.yaml';
const CLEAN = 'campaigns/2026-12-winter-sale/campaign.yaml';

interface JsonResult {
  filePath: string;
  messages: { ruleId: string | null; severity: number; message: string; line: number; column: number; endLine?: number; endColumn?: number; fatal?: boolean }[];
  errorCount: number;
  warningCount: number;
}

test('the BitMEX example fails on no-cc at its cc line (stylish)', () => {
  const run = runCli([BITMEX], { cwd: EXAMPLES });
  assert.equal(run.status, 1);
  assert.match(run.stdout, /^campaigns\/2019-11-customer-notice\/campaign\.yaml$/m);
  assert.match(run.stdout, /^ {2}12:1 +error +3 addresses written in `cc`: .* no-cc$/m);
  // The cc addresses are the recipients themselves: one mistake, one finding (no-cc covers them).
  assert.match(run.stdout, /✖ 1 problem \(1 error, 0 warnings\)/);
  assert.equal(run.stderr, '');
});

test('the code frame masks the addresses it shows', () => {
  const root = tempTree({ 'campaign.yaml': `${VALID_CAMPAIGN}cc: [jane.doe@example.com]\n`, ...VALID_FILES });
  const run = runCli(['campaign.yaml'], { cwd: root });
  assert.equal(run.status, 1);
  assert.match(run.stdout, /> 20 \| cc: \[j\*\*\*@example\.com\]/);
  assert.ok(!run.stdout.includes('jane.doe@example.com'));
  const shown = runCli(['campaign.yaml', '--show-pii'], { cwd: root });
  assert.match(shown.stdout, /cc: \[jane\.doe@example\.com\]/);
});

test('the BitMEX example fails on no-cc at its cc line (json)', () => {
  const run = runCli([BITMEX, '--format', 'json'], { cwd: EXAMPLES });
  assert.equal(run.status, 1);
  const results = JSON.parse(run.stdout) as JsonResult[];
  assert.equal(results.length, 1);
  assert.equal(results[0]?.filePath, join(EXAMPLES, BITMEX));
  assert.deepEqual(
    results[0].messages.map(({ ruleId, severity, line, column, endLine, endColumn }) => ({ ruleId, severity, line, column, endLine, endColumn })),
    [
      { ruleId: 'no-cc', severity: 2, line: 12, column: 1, endLine: 15, endColumn: 23 },
    ],
  );
  assert.equal(results[0].errorCount, 1);
});

test('the clean example passes with a summary line, and nothing on stderr', () => {
  const run = runCli([CLEAN], { cwd: EXAMPLES });
  assert.equal(run.stderr, '');
  assert.equal(run.stdout, '✔ 1 campaign checked, no problems\n');
  assert.equal(run.status, 0);
});

test('without paths the config include globs are linted', () => {
  const run = runCli(['-f', 'json'], { cwd: EXAMPLES });
  const results = JSON.parse(run.stdout) as JsonResult[];
  assert.deepEqual(results.map((result) => result.filePath), [join(EXAMPLES, BITMEX), join(EXAMPLES, CLEAN)]);
  assert.equal(run.status, 1);
});

test('a YAML syntax error is a fatal finding with a position and exit 1, never a stack', () => {
  const root = tempTree({ 'campaign.yaml': 'version: 1\nid: [unclosed\n' });
  const run = runCli(['campaign.yaml', '-f', 'json'], { cwd: root });
  assert.equal(run.status, 1);
  const [result] = JSON.parse(run.stdout) as JsonResult[];
  assert.equal(result?.messages[0]?.ruleId, null);
  assert.equal(result.messages[0].fatal, true);
  // At the `[` that is not closed, saying how to fix it.
  assert.equal(result.messages[0].line, 2);
  assert.equal(result.messages[0].message, 'YAML syntax error: a `[` is not closed: add the closing `]` on the same line, or quote the value if it is text');
  assert.doesNotMatch(run.stderr, /\bat .*\.js:\d+/);
});

test('usage errors are exit 2 with one line on stderr', () => {
  const root = tempTree({ 'campaign.yaml': VALID_CAMPAIGN, ...VALID_FILES });
  const cases: [string[], RegExp][] = [
    [['--format', 'xml', 'campaign.yaml'], /^campaign-lint: unknown format `xml` \(one of stylish, json.*\)\n$/],
    [['--bogus'], /^campaign-lint: unknown option --bogus; campaign-lint --help lists the options\n$/],
    [['missing/campaign.yaml'], /^campaign-lint: no such file or folder: missing\/campaign\.yaml\n$/],
    [['nothing/**/campaign.yaml'], /^campaign-lint: no campaign matches `nothing\/\*\*\/campaign\.yaml`\n$/],
    [['--max-warnings', 'many', 'campaign.yaml'], /^campaign-lint: --max-warnings takes a whole number from 0, or -1 for no limit, not `many`\n$/],
    [['--approvals', 'vibes', 'campaign.yaml'], /^campaign-lint: --approvals must be one of record, signature, github, not `vibes`\n$/],
    [['--config', 'nope.yaml'], /^campaign-lint: config file not found: nope\.yaml\n$/],
    [['rules', 'no-ccc'], /^campaign-lint: unknown rule `no-ccc` \(did you mean `no-cc`\?\)/],
  ];
  for (const [args, stderr] of cases) {
    const run = runCli(args, { cwd: root });
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, stderr);
    assert.equal(run.stdout, '');
  }
});

test('an invalid config is exit 2 naming the key', () => {
  const root = tempTree({ 'campaign.yaml': VALID_CAMPAIGN, ...VALID_FILES, 'campaign-lint.config.yaml': 'rules:\n  no-cc: of\n' });
  const run = runCli(['campaign.yaml'], { cwd: root });
  assert.equal(run.status, 2);
  assert.equal(run.stderr, 'campaign-lint: campaign-lint.config.yaml:2:10: invalid config: `rules.no-cc` must be "off", "warn" or "error", or a list [severity, options]\n');
});

test('--no-error-on-unmatched-pattern skips a file no campaign uses', () => {
  const root = tempTree({ 'campaign.yaml': VALID_CAMPAIGN, ...VALID_FILES, 'other.csv': 'email\n' });
  const run = runCli(['other.csv', '--no-error-on-unmatched-pattern'], { cwd: root });
  assert.equal(run.status, 0);
  assert.equal(run.stderr, 'campaign-lint: no campaign matches `other.csv`; skipped\n');
  assert.equal(runCli(['other.csv'], { cwd: root }).status, 2);
});

test('--max-warnings and --quiet', () => {
  const root = tempTree({
    // A warning from an unlocked rule (a locked rule at warn no longer makes a visible Cc a warning: rendered-message reports it as an error).
    'campaign.yaml': VALID_CAMPAIGN.replace('subject: "Hello {{first_name}}"', 'subject: "RE: {{first_name}}, your order"'),
    'campaign-lint.config.yaml': 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\napproval:\n  required: 0\n',
    ...VALID_FILES,
  });
  const warned = runCli(['campaign.yaml'], { cwd: root });
  assert.equal(warned.status, 0);
  assert.match(warned.stdout, /✖ 1 problem \(0 errors, 1 warning\)/);
  const limited = runCli(['campaign.yaml', '--max-warnings', '0'], { cwd: root });
  assert.equal(limited.status, 1);
  assert.match(limited.stdout, /too many warnings \(maximum: 0\)/);
  const quiet = runCli(['campaign.yaml', '--quiet'], { cwd: root });
  assert.equal(quiet.stdout, '✔ 1 campaign checked, no errors (1 warning hidden by --quiet)\n');
  assert.equal(quiet.status, 0);
  // ESLint's -1: no limit; any other negative number is refused in one line.
  const unlimited = runCli(['campaign.yaml', '--max-warnings', '-1'], { cwd: root });
  assert.equal(unlimited.status, 0, unlimited.stderr);
  assert.match(unlimited.stdout, /✖ 1 problem \(0 errors, 1 warning\)\n$/);
  assert.equal(runCli(['campaign.yaml', '--max-warnings=-1'], { cwd: root }).status, 0);
  const negative = runCli(['campaign.yaml', '--max-warnings', '-2'], { cwd: root });
  assert.equal(negative.status, 2);
  assert.equal(negative.stdout, '');
  assert.equal(negative.stderr, 'campaign-lint: --max-warnings takes a whole number from 0, or -1 for no limit, not `-2`\n');
});

test('-o writes the report to a file and nothing else', () => {
  const root = tempTree({ 'campaign.yaml': `${VALID_CAMPAIGN}cc: [a@example.com]\n`, ...VALID_FILES });
  const run = runCli(['campaign.yaml', '-f', 'json', '-o', 'report.json'], { cwd: root });
  assert.equal(run.status, 1);
  assert.equal(run.stdout, '');
  assert.ok(existsSync(join(root, 'report.json')));
  const results = JSON.parse(readFileSync(join(root, 'report.json'), 'utf8')) as JsonResult[];
  assert.ok(results[0]?.messages.some((message) => message.ruleId === 'no-cc'));
});

test('colour: off when piped, on with FORCE_COLOR or --color, NO_COLOR wins over FORCE_COLOR... unless --color', () => {
  const root = tempTree({ 'campaign.yaml': `${VALID_CAMPAIGN}cc: [a@example.com]\n`, ...VALID_FILES });
  const ESC = '\u001b[';
  assert.ok(!runCli(['campaign.yaml'], { cwd: root }).stdout.includes(ESC));
  assert.ok(runCli(['campaign.yaml'], { cwd: root, env: { FORCE_COLOR: '1' } }).stdout.includes(ESC));
  assert.ok(!runCli(['campaign.yaml'], { cwd: root, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout.includes(ESC));
  assert.ok(runCli(['campaign.yaml', '--color'], { cwd: root, env: { NO_COLOR: '1' } }).stdout.includes(ESC));
  assert.ok(!runCli(['campaign.yaml', '--no-color'], { cwd: root, env: { FORCE_COLOR: '1' } }).stdout.includes(ESC));
});

test('an internal error is exit 2 with one line; DEBUG=campaign-lint shows the stack', () => {
  const root = tempTree({ 'campaign.yaml': VALID_CAMPAIGN, ...VALID_FILES });
  // A directory where the output file should go makes the write fail inside the run.
  const run = runCli(['campaign.yaml', '-o', '.'], { cwd: root });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^campaign-lint: internal error: .*EISDIR.*\(DEBUG=campaign-lint shows the stack\)\n$/);
  const debug = runCli(['campaign.yaml', '-o', '.'], { cwd: root, env: { DEBUG: 'campaign-lint' } });
  assert.equal(debug.status, 2);
  assert.match(debug.stderr, /\n {4}at /);
});

test('--help, --version and rules', () => {
  const root = tempTree({});
  const help = runCli(['--help'], { cwd: root });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: campaign-lint \[options\] \[path \.\.\.\]/);
  const version = runCli(['-v'], { cwd: root });
  assert.equal(version.stdout, `${(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  const list = runCli(['rules'], { cwd: root });
  assert.match(list.stdout, /^no-cc +error, locked +Disallow Cc recipients/m);
  const one = runCli(['rules', 'no-cc'], { cwd: root });
  assert.match(one.stdout, /^no-cc\n\nDisallow Cc recipients/);
  assert.match(one.stdout, /docs: +https:\/\/.*\/docs\/rules\/no-cc\.md/);
});
