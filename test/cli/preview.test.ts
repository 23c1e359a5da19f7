import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRenderedMessage } from '../../src/render/index.js';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { runCli } from '../helpers/cli.js';

const CAMPAIGN = `${VALID_CAMPAIGN.replace('  text: body.txt\n', '  html: body.html\n  text: body.txt\n')}send_at: "2026-12-07T09:00:00+00:00"\nreply_to: support@mail.example.com\n`;
const ROW_2 = ['benedikta.sample@example.org', 'Benedikta', 'tok-8842'];
const FILES = {
  ...VALID_FILES,
  'recipients.csv': `email,first_name,consent,token\nann@example.com,Ann,yes,tok-1001\n${ROW_2[0]},${ROW_2[1]},yes,${ROW_2[2]}\n`,
  'body.html': '<p>Hello {{first_name}}</p>\n<p><a href="https://mail.example.com/u/{{token}}">Unsubscribe</a></p>\n<p>Example Ltd, 1 Main Street, London N1 1AA</p>\n',
};

function header(parsed: Awaited<ReturnType<typeof parseRenderedMessage>>, name: string): string | undefined {
  return parsed.headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

test('preview prints a masked message that parses with one To, the subject, List-Unsubscribe and multipart/alternative', async () => {
  const root = tempTree({ 'campaign.yaml': CAMPAIGN, ...FILES });
  const run = runCli(['preview', 'campaign.yaml', '--row', '2'], { cwd: root });
  assert.equal(run.stderr, '');
  assert.equal(run.status, 0);
  const parsed = await parseRenderedMessage(run.stdout);
  assert.deepEqual(parsed.to, [{ name: 'B***', address: 'b***@example.org' }]);
  assert.equal(parsed.subject, 'Hello B***');
  assert.equal(header(parsed, 'List-Unsubscribe'), '<https://mail.example.com/u/t***>');
  assert.equal(header(parsed, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
  assert.match(header(parsed, 'Content-Type') ?? '', /^multipart\/alternative;/);
  assert.deepEqual(parsed.from, { name: 'Example Shop', address: 'news@mail.example.com' });
  assert.deepEqual(parsed.replyTo, [{ name: '', address: 'support@mail.example.com' }]);
  assert.match(parsed.html ?? '', /<p>Hello B\*\*\*<\/p>/);
  assert.match(parsed.text ?? '', /^Hello B\*\*\*$/m);
  for (const value of ROW_2) assert.ok(!run.stdout.includes(value), `the preview shows no cell value of the row (${value.slice(0, 1)}…)`);
});

test('preview is reproducible: Date from send_at, a Message-ID naming the row, a fixed boundary', () => {
  const root = tempTree({ 'campaign.yaml': CAMPAIGN, ...FILES });
  const first = runCli(['preview', 'campaign.yaml', '--row', '2'], { cwd: root });
  assert.equal(runCli(['preview', 'campaign.yaml', '--row', '2'], { cwd: root }).stdout, first.stdout);
  assert.match(first.stdout, /^Date: Mon, 07 Dec 2026 09:00:00 \+0000\r$/m);
  assert.match(first.stdout, /^Message-ID: <preview\.row-2\.test-campaign@mail\.example\.com>\r$/m);
});

test('preview --show-pii prints the unmasked message of the row; row 1 by default', async () => {
  const root = tempTree({ 'campaign.yaml': CAMPAIGN, ...FILES });
  const shown = await parseRenderedMessage(runCli(['preview', 'campaign.yaml', '--row', '2', '--show-pii'], { cwd: root }).stdout);
  assert.deepEqual(shown.to, [{ name: 'Benedikta', address: 'benedikta.sample@example.org' }]);
  assert.equal(shown.subject, 'Hello Benedikta');
  assert.equal(header(shown, 'List-Unsubscribe'), '<https://mail.example.com/u/tok-8842>');
  const first = await parseRenderedMessage(runCli(['preview', 'campaign.yaml', '--show-pii'], { cwd: root }).stdout);
  assert.deepEqual(first.to, [{ name: 'Ann', address: 'ann@example.com' }]);
});

test('preview with only a text body is a single text/plain part', async () => {
  const root = tempTree({ 'campaign.yaml': VALID_CAMPAIGN, ...VALID_FILES });
  const run = runCli(['preview', 'campaign.yaml'], { cwd: root });
  assert.equal(run.status, 0);
  const parsed = await parseRenderedMessage(run.stdout);
  assert.match(header(parsed, 'Content-Type') ?? '', /^text\/plain/);
  assert.equal(parsed.html, undefined);
});

test('preview usage errors are exit 2 with one line on stderr', () => {
  const root = tempTree({ 'campaign.yaml': CAMPAIGN, ...FILES });
  const cases: [string[], string][] = [
    [['preview', 'campaign.yaml', '--row', '3'], 'campaign-lint: --row 3: the recipient list has 2 row(s)\n'],
    [['preview', 'campaign.yaml', '--row', '0'], 'campaign-lint: --row must be a whole number from 1, got `0`\n'],
    [['preview', 'campaign.yaml', '--row', 'two'], 'campaign-lint: --row must be a whole number from 1, got `two`\n'],
    [['preview'], 'campaign-lint: usage: campaign-lint preview <campaign.yaml>\n'],
  ];
  for (const [args, stderr] of cases) {
    const run = runCli(args, { cwd: root });
    assert.equal(run.stderr, stderr, args.join(' '));
    assert.equal(run.status, 2, args.join(' '));
    assert.equal(run.stdout, '');
  }
});

test('preview prints one line ending throughout: CRLF, as on the wire, in headers and every body part', () => {
  const root = tempTree({ 'campaign.yaml': CAMPAIGN, ...FILES });
  const run = runCli(['preview', 'campaign.yaml', '--row', '2'], { cwd: root });
  assert.equal(run.status, 0, run.stderr);
  assert.ok(run.stdout.endsWith('\r\n'));
  // Every LF is preceded by CR, and every CR followed by LF.
  assert.deepEqual([...run.stdout.matchAll(/(?<!\r)\n|\r(?!\n)/gu)].map((match) => match.index), []);
  // The text and HTML bodies (LF in their templates) are among the lines converted.
  assert.match(run.stdout, /\r\n<p>Hello B\*\*\*<\/p>\r\n/);
});
