/**
 * The hostile-input corpus (issue: hardening). Every case must end with a finding or one
 * clear line on stderr, exit 1 or 2, never a stack trace, and never hang: each run is
 * killed after 5 s. Small cases live in test/fixtures/hostile/; large or binary ones are
 * generated here, deterministically, so nothing big or random is committed.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempTree } from '../helpers/campaign.js';
import { BIN, REPO_ROOT } from '../helpers/cli.js';

const HOSTILE = join(REPO_ROOT, 'test/fixtures/hostile');
const POLICY = 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\napproval:\n  required: 0\n';
const CAMPAIGN = `version: 1
id: hostile
name: Hostile input
category: transactional
author: alice@example.com
from: { name: Example Shop, address: orders@mail.example.com }
to: "{{email}}"
subject: Your order
body: { text: body.txt }
recipients: { file: recipients.csv }
`;
const CSV = 'email\nann@example.com\n';
const BODY = 'Hello\n';

/** A small deterministic generator (mulberry32): "random" bytes that are the same on every run. */
function bytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let index = 0; index < length; index++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[index] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

interface Expectation {
  /** 0 only for a case whose findings are warnings (it still must have the finding). */
  exit: 0 | 1 | 2;
  /** Output format (json unless given); for other formats the finding's rule id must appear in the output. */
  format?: 'stylish' | 'sarif' | 'github' | 'junit' | 'markdown';
  /** Largest output accepted, in bytes: every output is bounded. */
  maxStdout?: number;
  /** A finding (rule id or `null` for fatal) that must be present, in the given file. */
  finding?: { ruleId: string | null; file: string; message?: RegExp };
  /** For exit 2: the one line on stderr. */
  stderr?: RegExp;
}

interface HostileCase {
  name: string;
  /** Builds the case in `dir` (a campaign at campaign.yaml). */
  setup(dir: string): void;
  expect: Expectation;
}

const base = (dir: string, files: Record<string, string | Buffer> = {}) => {
  const all: Record<string, string | Buffer> = { 'campaign-lint.config.yaml': POLICY, 'campaign.yaml': CAMPAIGN, 'recipients.csv': CSV, 'body.txt': BODY, ...files };
  for (const [name, content] of Object.entries(all)) writeFileSync(join(dir, name), content);
};

const generated: HostileCase[] = [
  { name: 'random bytes as the campaign', setup: (dir) => { base(dir, { 'campaign.yaml': bytes(64 * 1024, 1) }); }, expect: { exit: 1, finding: { ruleId: null, file: 'campaign.yaml' } } },
  { name: 'random bytes as the CSV', setup: (dir) => { base(dir, { 'recipients.csv': bytes(256 * 1024, 2) }); }, expect: { exit: 1, finding: { ruleId: 'recipients-file', file: 'recipients.csv' } } },
  { name: 'YAML nested 20,000 deep', setup: (dir) => { base(dir, { 'campaign.yaml': `version: 1\nx: ${'['.repeat(20000)}${']'.repeat(20000)}\n` }); }, expect: { exit: 1, finding: { ruleId: null, file: 'campaign.yaml', message: /nests too deeply/ } } },
  { name: 'a 20 MB cell', setup: (dir) => { base(dir, { 'recipients.csv': `email,note\nann@example.com,"${'x'.repeat(20 * 1024 * 1024)}"\n` }); }, expect: { exit: 1, finding: { ruleId: 'recipients-file', file: 'recipients.csv' } } },
  { name: 'a single 100 MB line', setup: (dir) => { base(dir, { 'recipients.csv': Buffer.alloc(100 * 1024 * 1024, 0x61) }); }, expect: { exit: 1, finding: { ruleId: 'recipients-file', file: 'recipients.csv' } } },
  { name: 'a campaign file over max_file_size', setup: (dir) => { base(dir, { 'campaign.yaml': `${CAMPAIGN}# ${'x'.repeat(2 * 1024 * 1024)}\n` }); }, expect: { exit: 1, finding: { ruleId: null, file: 'campaign.yaml', message: /over the 1048576-byte limit/ } } },
  // Bounded work (issue 15, items 8 and 9). Each long run is followed by the recipient's address,
  // so the case also proves that the scan still finds an address after the run.
  {
    name: 'a 1 MB HTML body rendered for a 100-row list (the sample shrinks to the render budget)',
    setup: (dir) => {
      base(dir, {
        'campaign.yaml': CAMPAIGN.replace('body: { text: body.txt }', 'body: { html: body.html }'),
        'body.html': `<p>Hello</p>${'<p>word word word word word word</p>'.repeat(26_000)}\n`,
        'recipients.csv': `email\n${Array.from({ length: 100 }, (_, index) => `r${String(index)}@example.com`).join('\n')}\n`,
      });
    },
    expect: { exit: 0 },
  },
  { name: 'a 1 MB run of letters and no @ in the body', setup: (dir) => { base(dir, { 'body.txt': `${'a'.repeat(1_000_000)} ann@example.com\n` }); }, expect: { exit: 1, finding: { ruleId: 'no-recipient-data-leak', file: 'body.txt' } } },
  { name: 'a 1 MB x-x-x subject', setup: (dir) => { base(dir, { 'campaign.yaml': CAMPAIGN.replace('subject: Your order', `subject: "${'x-'.repeat(500_000)} ann@example.com"`) }); }, expect: { exit: 1, finding: { ruleId: 'no-recipient-data-leak', file: 'campaign.yaml' } } },
  { name: 'a.a.a.a runs around an @', setup: (dir) => { base(dir, { 'body.txt': `${'a.'.repeat(250_000)}@${'a.'.repeat(250_000)} ann@example.com\n` }); }, expect: { exit: 1, finding: { ruleId: 'no-recipient-data-leak', file: 'body.txt' } } },
  { name: 'a 1 MB run of @', setup: (dir) => { base(dir, { 'body.txt': `${'@'.repeat(1_000_000)} ann@example.com\n` }); }, expect: { exit: 1, finding: { ruleId: 'no-recipient-data-leak', file: 'body.txt' } } },
  { name: 'a@a. repeated over 1 MB', setup: (dir) => { base(dir, { 'body.txt': `${'a@a.'.repeat(250_000)} ann@example.com\n` }); }, expect: { exit: 1, finding: { ruleId: 'no-recipient-data-leak', file: 'body.txt' } } },
  { name: '64-letter local parts over 1 MB', setup: (dir) => { base(dir, { 'body.txt': `${`${'a'.repeat(70)}@`.repeat(14_000)} ann@example.com\n` }); }, expect: { exit: 1, finding: { ruleId: 'no-recipient-data-leak', file: 'body.txt' } } },
  {
    name: 'a 1 MB x-x-x subject in stylish',
    setup: (dir) => { base(dir, { 'campaign.yaml': CAMPAIGN.replace('subject: Your order', `subject: "${'x-'.repeat(500_000)} ann@example.com"`) }); },
    expect: { exit: 1, format: 'stylish', maxStdout: 16 * 1024, finding: { ruleId: 'no-recipient-data-leak', file: 'campaign.yaml' } },
  },
  {
    name: 'a one-line 900 KB campaign in stylish',
    setup: (dir) => {
      base(dir, { 'campaign.yaml': `{version: 1, id: hostile, name: Hostile, category: transactional, author: alice@example.com, from: {name: Shop, address: orders@mail.example.com}, to: "{{email}}", subject: Your order, body: {text: body.txt}, recipients: {file: recipients.csv}, unknown: "${'z'.repeat(900_000)}", cc: [bob@example.org]}\n` });
    },
    expect: { exit: 1, format: 'stylish', maxStdout: 16 * 1024, finding: { ruleId: 'no-cc', file: 'campaign.yaml' } },
  },
  {
    name: 'a header of 100,000 columns',
    setup: (dir) => { base(dir, { 'recipients.csv': `email,${Array.from({ length: 100_000 }, (_, index) => `c${index}`).join(',')}\nann@example.com${','.repeat(100_000)}\n` }); },
    expect: { exit: 1, maxStdout: 256 * 1024, finding: { ruleId: 'recipients-file', file: 'recipients.csv', message: /100001 columns, over the limit of 1000/ } },
  },
  {
    name: 'a header of 1,000,000 columns',
    setup: (dir) => { base(dir, { 'recipients.csv': `email,${Array.from({ length: 1_000_000 }, (_, index) => `c${index}`).join(',')}\nann@example.com\n` }); },
    expect: { exit: 1, maxStdout: 256 * 1024, finding: { ruleId: 'recipients-file', file: 'recipients.csv', message: /1000001 columns, over the limit of 1000/ } },
  },
  {
    name: '900 unused columns: findings capped per rule and file',
    setup: (dir) => { base(dir, { 'recipients.csv': `email,${Array.from({ length: 900 }, (_, index) => `c${index}`).join(',')}\nann@example.com${','.repeat(900)}\n` }); },
    expect: { exit: 0, maxStdout: 64 * 1024, finding: { ruleId: 'recipient-unused-column', file: 'recipients.csv', message: /^800 more recipient-unused-column findings in this file are not listed \(the first 100 are\)$/ } },
  },
  { name: '{{#if}} nested 5,000 deep', setup: (dir) => { base(dir, { 'body.txt': `${'{{#if email}}'.repeat(5000)}x${'{{/if}}'.repeat(5000)}\n` }); }, expect: { exit: 1, finding: { ruleId: null, file: 'body.txt', message: /nests blocks 101 deep/ } } },
  { name: '{{#each}} nested 5,000 deep', setup: (dir) => { base(dir, { 'body.txt': `${'{{#each email}}'.repeat(5000)}x${'{{/each}}'.repeat(5000)}\n` }); }, expect: { exit: 1, finding: { ruleId: null, file: 'body.txt', message: /nests blocks 101 deep/ } } },
  { name: 'subexpressions nested 5,000 deep', setup: (dir) => { base(dir, { 'body.txt': `{{x ${'(a '.repeat(5000)}email${')'.repeat(5000)}}}\n` }); }, expect: { exit: 1, finding: { ruleId: null, file: 'body.txt', message: /nests .* 101 deep/ } } },
  { name: 'an unclosed {{url run over 1 MB', setup: (dir) => { base(dir, { 'campaign.yaml': CAMPAIGN.replace('transactional', 'marketing'), 'body.txt': `{{${'url'.repeat(150_000)}\nhttps://{{${'https://{{'.repeat(40_000)}\n` }); }, expect: { exit: 1, finding: { ruleId: null, file: 'body.txt' } } },
  { name: '100,000 URLs on one line', setup: (dir) => { base(dir, { 'campaign.yaml': CAMPAIGN.replace('transactional', 'marketing'), 'body.txt': `${'https://example.com/a '.repeat(40_000)}\n` }); }, expect: { exit: 1, finding: { ruleId: 'unsubscribe-link', file: 'campaign.yaml' } } },
  { name: 'a subject of RE and 1 MB of spaces', setup: (dir) => { base(dir, { 'campaign.yaml': CAMPAIGN.replace('subject: Your order', `subject: "RE${' '.repeat(1_000_000)}[ ann@example.com"`) }); }, expect: { exit: 1, finding: { ruleId: 'no-recipient-data-leak', file: 'campaign.yaml' } } },
  { name: 'a subject of 1 MB of spaces and brackets', setup: (dir) => { base(dir, { 'campaign.yaml': CAMPAIGN.replace('subject: Your order', `subject: "${' ['.repeat(500_000)} RE: ann@example.com"`) }); }, expect: { exit: 1, finding: { ruleId: 'no-recipient-data-leak', file: 'campaign.yaml' } } },
  {
    name: 'recipients: a symlink to /etc/passwd',
    setup: (dir) => {
      base(dir, { 'campaign.yaml': CAMPAIGN.replace('recipients.csv', 'people.csv') });
      symlinkSync('/etc/passwd', join(dir, 'people.csv'));
    },
    expect: { exit: 1, finding: { ruleId: 'single-recipient-to', file: 'campaign.yaml', message: /is a symlink that leaves the repository/ } },
  },
  // Files (issue 15, items 6 and 7): FIFOs and symlinks are made at test time (git cannot commit a FIFO).
  ...(process.platform === 'win32'
    ? []
    : ([
        {
          name: 'a FIFO as the template',
          setup: (dir) => {
            base(dir);
            fifo(dir, 'body.txt');
          },
          expect: { exit: 1, finding: { ruleId: null, file: 'campaign.yaml', message: /^body\.text `body\.txt` is not a regular file \(a FIFO\)$/ } },
        },
        {
          name: 'a FIFO as the recipient list',
          setup: (dir) => {
            base(dir);
            fifo(dir, 'recipients.csv');
          },
          expect: { exit: 1, finding: { ruleId: 'single-recipient-to', file: 'campaign.yaml', message: /recipient list `recipients\.csv` is not a regular file/ } },
        },
        {
          name: 'a FIFO as a suppression list',
          setup: (dir) => {
            base(dir, { 'campaign.yaml': `${CAMPAIGN}suppress: [optout.csv]\n` });
            fifo(dir, 'optout.csv');
          },
          expect: { exit: 1, finding: { ruleId: 'recipient-suppressed', file: 'campaign.yaml', message: /^suppression list `optout\.csv` is not a regular file \(a FIFO\)/ } },
        },
        {
          name: 'a FIFO as a global suppression list (config glob)',
          setup: (dir) => {
            base(dir, { 'campaign-lint.config.yaml': `${POLICY}suppression: ["lists/*.csv"]\n` });
            mkdirSync(join(dir, 'lists'));
            fifo(dir, 'lists/optout.csv');
          },
          // The glob lists regular files only: the FIFO is never opened, and the glob that then matches nothing is an error.
          expect: { exit: 1, finding: { ruleId: 'recipient-suppressed', file: 'campaign.yaml', message: /^config suppression glob `lists\/\*\.csv` matches no file/ } },
        },
        {
          name: 'a FIFO as the campaign',
          setup: (dir) => {
            base(dir);
            fifo(dir, 'campaign.yaml');
          },
          expect: { exit: 1, finding: { ruleId: null, file: 'campaign.yaml', message: /^campaign file is not a regular file \(a FIFO\); only a regular file is read$/ } },
        },
        {
          name: 'campaign.yaml: a symlink to /proc/self/environ',
          setup: (dir) => {
            base(dir);
            rmSync(join(dir, 'campaign.yaml'));
            symlinkSync('/proc/self/environ', join(dir, 'campaign.yaml'));
          },
          expect: { exit: 1, finding: { ruleId: null, file: 'campaign.yaml', message: /^campaign file is a symlink that leaves the repository; lint the real file instead$/ } },
        },
        {
          name: 'body.txt: a symlink to a template outside the repository',
          setup: (dir) => {
            base(dir);
            rmSync(join(dir, 'body.txt'));
            symlinkSync(join(tempTree({ 'secret.txt': 'TOKEN=hostile-secret\n' }), 'secret.txt'), join(dir, 'body.txt'));
          },
          expect: { exit: 1, finding: { ruleId: null, file: 'campaign.yaml', message: /^body\.text `body\.txt` is a symlink that leaves the repository root$/ } },
        },
      ] satisfies HostileCase[])),
];

/** Replaces `name` in `dir` with a FIFO nobody writes to: a blocking open would hang the run forever. */
function fifo(dir: string, name: string): void {
  rmSync(join(dir, name), { force: true });
  execFileSync('mkfifo', [join(dir, name)]);
}

/** Committed cases: test/fixtures/hostile/<case>/ with an expect.json. */
function committedCases(): HostileCase[] {
  return readdirSync(HOSTILE, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const source = join(HOSTILE, entry.name);
      const spec = JSON.parse(readFileSync(join(source, 'expect.json'), 'utf8')) as { exit: 1 | 2; finding?: { ruleId: string | null; file: string; message?: string }; stderr?: string };
      return {
        name: entry.name,
        setup: (dir: string) => {
          base(dir);
          cpSync(source, dir, { recursive: true });
        },
        expect: {
          exit: spec.exit,
          ...(spec.finding
            ? { finding: { ruleId: spec.finding.ruleId, file: spec.finding.file, ...(spec.finding.message ? { message: new RegExp(spec.finding.message) } : {}) } }
            : {}),
          ...(spec.stderr ? { stderr: new RegExp(spec.stderr) } : {}),
        },
      } satisfies HostileCase;
    });
}

for (const hostile of [...committedCases(), ...generated]) {
  test(`hostile: ${hostile.name}`, () => {
    const dir = tempTree({});
    hostile.setup(dir);
    const format = hostile.expect.format ?? 'json';
    const started = Date.now();
    const run = spawnSync(process.execPath, [BIN, 'campaign.yaml', '-f', format], { cwd: dir, encoding: 'utf8', timeout: 5000, maxBuffer: 64 * 1024 * 1024 });
    assert.equal(run.signal, null, `killed after 5 s (${String(run.signal)})`);
    if (process.env.HOSTILE_TIMES) process.stderr.write(`# ${hostile.name}: ${Date.now() - started} ms, ${Buffer.byteLength(run.stdout)} bytes\n`);
    if (hostile.expect.maxStdout !== undefined) assert.ok(Buffer.byteLength(run.stdout) <= hostile.expect.maxStdout, `output of ${Buffer.byteLength(run.stdout)} bytes`);
    assert.equal(run.status, hostile.expect.exit, run.stderr);
    assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
    if (hostile.expect.exit === 2) {
      assert.match(run.stderr, hostile.expect.stderr ?? /^campaign-lint: .+\n$/);
      assert.equal(run.stderr.split('\n').length, 2, 'one line');
      return;
    }
    if (format !== 'json') {
      if (hostile.expect.finding?.ruleId) assert.match(run.stdout, new RegExp(hostile.expect.finding.ruleId));
      return;
    }
    const results = JSON.parse(run.stdout) as { filePath: string; messages: { ruleId: string | null; message: string }[] }[];
    const wanted = hostile.expect.finding;
    if (wanted) {
      const inFile = results.find((result) => result.filePath === join(dir, wanted.file))?.messages ?? [];
      assert.ok(
        inFile.some((message) => message.ruleId === wanted.ruleId && (wanted.message?.test(message.message) ?? true)),
        `expected a ${String(wanted.ruleId)} finding in ${wanted.file}, got ${JSON.stringify(results.map((result) => [result.filePath, result.messages.map((message) => [message.ruleId, message.message])]))}`,
      );
    }
  });
}

// approve writes: it must never follow a symlink, nor wait on a FIFO, nor append to a file that is not a campaign.
for (const [name, setup, wanted] of [
  [
    'approve on a campaign.yaml that is a symlink out of the repository',
    (dir: string) => {
      const outside = tempTree({ 'target.yaml': CAMPAIGN });
      rmSync(join(dir, 'campaign.yaml'));
      symlinkSync(join(outside, 'target.yaml'), join(dir, 'campaign.yaml'));
      return join(outside, 'target.yaml');
    },
    /^campaign-lint: campaign\.yaml: campaign file is a symlink that leaves the repository; approve the real file instead\n$/,
  ],
  [
    'approve on a campaign.yaml that is a symlink inside the repository',
    (dir: string) => {
      writeFileSync(join(dir, 'real.yaml'), CAMPAIGN);
      rmSync(join(dir, 'campaign.yaml'));
      symlinkSync('real.yaml', join(dir, 'campaign.yaml'));
      return join(dir, 'real.yaml');
    },
    /^campaign-lint: refused: campaign\.yaml: campaign file is a symlink; approve the file it points to instead\n$/,
  ],
  [
    'approve on a FIFO',
    (dir: string) => {
      fifo(dir, 'campaign.yaml');
      return undefined;
    },
    /^campaign-lint: campaign\.yaml: campaign file is not a regular file \(a FIFO\); only a regular file is read\n$/,
  ],
] as const) {
  test(`hostile: ${name}`, { skip: process.platform === 'win32' ? 'no FIFOs or symlinks here' : false }, () => {
    const dir = tempTree({});
    base(dir);
    const target = setup(dir);
    const before = target === undefined ? undefined : readFileSync(target, 'utf8');
    const run = spawnSync(process.execPath, [BIN, 'approve', 'campaign.yaml', '--by', 'bob@example.com', '--yes'], { cwd: dir, encoding: 'utf8', timeout: 5000 });
    assert.equal(run.signal, null, `killed after 5 s (${String(run.signal)})`);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, wanted);
    assert.equal(run.stdout, '');
    if (target !== undefined) assert.equal(readFileSync(target, 'utf8'), before, 'nothing was appended to the target');
  });
}
