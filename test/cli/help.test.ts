import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { runCli } from '../helpers/cli.js';

/** The option flags a help page lists, in order. */
function flagsOf(page: string): string[] {
  const options = page.split('\nOptions:\n')[1]?.split('\n\n')[0] ?? '';
  return [...options.matchAll(/^ {2}(?:-\w, )? *(--[\w-]+)/gm)].map((match) => match[1] ?? '');
}

const COMMON = ['--color', '--help', '--version'];
const POLICY = ['--config', '--config-ref', '--approvals'];

test('each command has its own help page: usage, its options, examples (exit 0, stdout only)', () => {
  const root = tempTree({});
  const pages: [string[], string, string[]][] = [
    [['approve', '--help'], 'Usage: campaign-lint approve <campaign.yaml> [--by <id>] [--sign-key <file>] [--yes]\n', [...POLICY, '--by', '--sign-key', '--yes', ...COMMON]],
    [['init', '-h'], 'Usage: campaign-lint init [--force]\n', ['--force', ...COMMON]],
    [['preview', '--help'], 'Usage: campaign-lint preview <campaign.yaml> [--row <n>] [--show-pii]\n', [...POLICY, '--row', '--show-pii', ...COMMON]],
    [['report', '--help'], 'Usage: campaign-lint report <campaign.yaml> -o <report.html>\n', [...POLICY, '--output-file', ...COMMON]],
    [['rules', '--help'], 'Usage: campaign-lint rules [id] [-f json]\n', [...POLICY, '--format', ...COMMON]],
    [['digest', '--help'], 'Usage: campaign-lint digest <campaign.yaml>\n', [...POLICY, ...COMMON]],
    [['fix-list', '--help'], 'Usage: campaign-lint fix-list <campaign.yaml> (-o <file> | -o - | --in-place)\n', [...POLICY, '--output-file', '--in-place', '--show-pii', ...COMMON]],
    [['lint', '--help'], 'Usage: campaign-lint [lint] [options] [path ...]\n', [...POLICY, '--format', '--output-file', '--max-warnings', '--quiet', '--show-pii', '--input-format', '--print-config', '--draft', '--cache', '--cache-location', '--error-on-unmatched-pattern', ...COMMON]],
    // `help <command>` is the same page; --help after the arguments too.
    [['help', 'approve'], 'Usage: campaign-lint approve <campaign.yaml> [--by <id>] [--sign-key <file>] [--yes]\n', [...POLICY, '--by', '--sign-key', '--yes', ...COMMON]],
    [['approve', 'campaign.yaml', '--by', 'x', '--help'], 'Usage: campaign-lint approve <campaign.yaml> [--by <id>] [--sign-key <file>] [--yes]\n', [...POLICY, '--by', '--sign-key', '--yes', ...COMMON]],
  ];
  for (const [args, usage, flags] of pages) {
    const run = runCli(args, { cwd: root });
    assert.equal(run.status, 0, args.join(' '));
    assert.equal(run.stderr, '');
    assert.ok(run.stdout.startsWith(usage), `${args.join(' ')}:\n${run.stdout}`);
    assert.deepEqual(flagsOf(run.stdout), flags, args.join(' '));
    assert.match(run.stdout, /\nExamples:\n(?: {2}# .*\n)? {2}campaign-lint\b/, args.join(' '));
  }
  // The pages differ from the global one, which lists the commands.
  const global = runCli(['--help'], { cwd: root });
  assert.match(global.stdout, /^Usage: campaign-lint \[options\] \[path \.\.\.\]\n {7}campaign-lint <command> \[options\] \[arguments\]\n/);
  assert.match(global.stdout, /\nCommands:\n {2}lint +lint campaigns/);
  for (const name of ['approve', 'digest', 'preview', 'report', 'rules', 'init', 'fix-list']) assert.match(global.stdout, new RegExp(`^ {2}${name} +\\S`, 'm'));
  assert.match(global.stdout, /Run `campaign-lint <command> --help` for a command's options and examples\./);
  assert.equal(runCli(['help'], { cwd: root }).stdout, global.stdout);
  assert.ok(!runCli(['approve', '--help'], { cwd: root }).stdout.includes('Commands:'));
});

test('a command page lists its own exit codes', () => {
  const root = tempTree({});
  assert.match(runCli(['approve', '--help'], { cwd: root }).stdout, /\nExit codes: 0 approved; 1 not confirmed at the prompt \(nothing written\);\n2 refused, usage error or invalid config\.\n$/);
  assert.match(runCli(['report', '--help'], { cwd: root }).stdout, /\nExit codes: 0 written, no errors; 1 written, the campaign has errors;\n/);
});

test('bad options and commands: one line on stderr, exit 2, nothing on stdout, no parser boilerplate', () => {
  const root = tempTree({ 'campaign.yaml': VALID_CAMPAIGN, ...VALID_FILES });
  const cases: [string[], string][] = [
    [['--fromat', 'json'], 'unknown option --fromat; did you mean --format? (campaign-lint --help lists the options)'],
    [['campaign.yaml', '--max-warning', '3'], 'unknown option --max-warning; did you mean --max-warnings? (campaign-lint --help lists the options)'],
    [['approve', 'campaign.yaml', '--bye', 'x'], 'unknown option --bye; did you mean --by? (campaign-lint approve --help lists its options)'],
    [['--no-colour'], 'unknown option --no-colour; did you mean --no-color? (campaign-lint --help lists the options)'],
    [['--no-format'], 'unknown option --no-format: --format takes a value (campaign-lint --help lists the options)'],
    [['--zzz'], 'unknown option --zzz; campaign-lint --help lists the options'],
    [['-x'], 'unknown option -x; campaign-lint --help lists the options'],
    // An option of another command says whose it is.
    [['approve', 'campaign.yaml', '--row', '3'], '--row is an option of campaign-lint preview, not of campaign-lint approve; campaign-lint approve --help lists its options'],
    [['campaign.yaml', '--by', 'a@example.com'], '--by is an option of campaign-lint approve, not of campaign-lint; campaign-lint --help lists the options'],
    [['campaign.yaml', '-y'], '-y is an option of campaign-lint approve, not of campaign-lint; campaign-lint --help lists the options'],
    [['init', '--format', 'json'], '--format is an option of campaign-lint lint, campaign-lint rules, not of campaign-lint init; campaign-lint init --help lists its options'],
    // Values.
    [['campaign.yaml', '-f'], '-f needs a value: -f <name>'],
    [['campaign.yaml', '--format', '--quiet'], '--format needs a value: --format <name>'],
    [['campaign.yaml', '--quiet=yes'], '--quiet takes no value (got `--quiet=yes`); campaign-lint --help lists the options'],
    // Commands.
    [['aprove', 'campaign.yaml'], 'unknown command `aprove`; did you mean `campaign-lint approve`? (campaign-lint --help lists the commands)'],
    [['rule'], 'unknown command `rule`; did you mean `campaign-lint rules`? (campaign-lint --help lists the commands)'],
    [['frobnicate'], '`frobnicate` is neither a command nor a file or folder here (campaign-lint --help lists the commands)'],
    [['help', 'aprove'], 'unknown command `aprove`; did you mean `campaign-lint approve`? (campaign-lint --help lists the commands)'],
    [['help', 'frobnicate'], 'unknown command `frobnicate` (campaign-lint --help lists the commands)'],
  ];
  for (const [args, line] of cases) {
    const run = runCli(args, { cwd: root });
    assert.equal(run.stderr, `campaign-lint: ${line}\n`, args.join(' '));
    assert.equal(run.status, 2, args.join(' '));
    assert.equal(run.stdout, '', args.join(' '));
  }
});

test('a file or folder named like a command word is still linted as a path; `--` ends the options', () => {
  const root = tempTree({ 'rule/campaign.yaml': VALID_CAMPAIGN, ...Object.fromEntries(Object.entries(VALID_FILES).map(([name, text]) => [`rule/${name}`, text])) });
  // `rule` exists here, so it is a folder to lint, not a mistyped `rules`.
  const folder = runCli(['rule', '-f', 'json'], { cwd: root });
  assert.equal(folder.stderr, '');
  assert.ok(folder.stdout.startsWith('['), folder.stdout);
  // After `--`, `rules` is a path (no such file), not the command.
  const afterTerminator = runCli(['--', 'rules'], { cwd: root });
  assert.equal(afterTerminator.stderr, 'campaign-lint: no such file or folder: rules\n');
  assert.equal(afterTerminator.status, 2);
  // `lint` may be written out.
  const explicit = runCli(['lint', 'rule', '-f', 'json'], { cwd: root });
  assert.equal(explicit.stdout, folder.stdout);
  assert.equal(explicit.status, folder.status);
});

test('--version from any command', () => {
  const root = tempTree({});
  const version = runCli(['-v'], { cwd: root }).stdout;
  assert.match(version, /^\d+\.\d+\.\d+/);
  assert.equal(runCli(['approve', '--version'], { cwd: root }).stdout, version);
});
