/**
 * Masking at the source (issue 15, item 11): `preview` and the HTML report render the message
 * from the row's masked cells, so a real value never reaches the composer. Cells that the
 * composer folds, encodes or quotes (line breaks, U+2028, long and non-ASCII values) once
 * slipped past a masker that searched the composed output for them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseRenderedMessage } from '../../src/render/index.js';
import { VALID_CAMPAIGN, tempTree } from '../helpers/campaign.js';
import { runCli } from '../helpers/cli.js';

const CAMPAIGN = VALID_CAMPAIGN.replace('subject: "Hello {{first_name}}"', 'subject: "Hello {{first_name}} {{long}} {{city}}"')
  .replace('  text: body.txt\n', '  html: body.html\n  text: body.txt\n')
  .replace('  expected_count: 2\n', '  expected_count: 1\n  allowed_columns: [note, long, city]\n');
const ROW = {
  email: 'zoe.quartermaine@example.com',
  first_name: 'Zoë\r\nWilliamson',
  consent: 'yes',
  token: 'tok-secret\nlinetwo',
  note: 'Margarethe\u2028Featherstonehaugh',
  long: `${'Quintessentially '.repeat(12)}Wolfeschlegelsteinhausen`,
  city: 'Øyvind Ågesen København',
};
const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const FILES = {
  'recipients.csv': `${Object.keys(ROW).join(',')}\n${Object.values(ROW).map(quote).join(',')}\n`,
  'body.txt': 'Hello {{first_name}}\n\nYour note: {{note}} ({{long}}, {{city}})\nWrite to carol.literal@example.net\n\nUnsubscribe: https://mail.example.com/u/{{token}}\n\nExample Ltd, 1 Main Street, London N1 1AA\n',
  'body.html': '<p>Hello {{first_name}}, {{note}}</p><p>{{long}} {{city}}</p><p><a href="https://mail.example.com/u/{{token}}">Unsubscribe</a> carol.literal@example.net</p><p>Example Ltd, 1 Main Street, London N1 1AA</p>\n',
};
/** Every part of every value that is not its first character (the masked form keeps that one). */
const FRAGMENTS = ['zoe.quartermaine', 'Williamson', 'Zoë', 'secret', 'linetwo', 'Margarethe', 'Featherstonehaugh', 'Quintessentially', 'Wolfeschlegelsteinhausen', 'Øyvind', 'Ågesen', 'København', 'carol.literal'];

function assertNoFragment(text: string, where: string): void {
  for (const fragment of FRAGMENTS) assert.ok(!text.toLowerCase().includes(fragment.toLowerCase()), `${where} shows "${fragment}"`);
}

/** Every base64 and quoted-printable body of a raw message, decoded, for a second look. */
function decodedBodies(raw: string): string {
  const base64 = [...raw.matchAll(/^(?:[A-Za-z0-9+/]{4}){8,}[A-Za-z0-9+/=]*\r?$/gm)].map((match) => Buffer.from(match[0].trim(), 'base64').toString('utf8'));
  const quotedPrintable = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return [...base64, Buffer.from(quotedPrintable, 'latin1').toString('utf8')].join('\n');
}

test('preview: no value of the row, in the raw message or decoded (base64, quoted-printable, encoded words)', async () => {
  const root = tempTree({ 'campaign.yaml': CAMPAIGN, ...FILES });
  const run = runCli(['preview', 'campaign.yaml'], { cwd: root });
  assert.equal(run.stderr, '');
  assert.equal(run.status, 0);
  assertNoFragment(run.stdout, 'raw preview');
  assertNoFragment(decodedBodies(run.stdout), 'decoded bodies');
  const parsed = await parseRenderedMessage(run.stdout);
  assertNoFragment(JSON.stringify(parsed), 'parsed preview');
  assert.deepEqual(parsed.to, [{ name: 'Z***', address: 'z***@example.com' }]);
  assert.equal(parsed.subject, 'Hello Z*** Q*** Ø***');
  assert.match(parsed.text ?? '', /^Your note: M\*\*\* \(Q\*\*\*, Ø\*\*\*\)$/m);
  assert.match(parsed.text ?? '', /^Write to c\*\*\*@example\.net$/m);
  assert.match(parsed.html ?? '', /href="https:\/\/mail\.example\.com\/u\/t\*\*\*"/);
});

test('preview --show-pii still renders the real row', async () => {
  const root = tempTree({ 'campaign.yaml': CAMPAIGN.replace(' {{long}} {{city}}"', '"'), ...FILES });
  const run = runCli(['preview', 'campaign.yaml', '--show-pii'], { cwd: root });
  const parsed = await parseRenderedMessage(run.stdout);
  assert.match(parsed.text ?? '', /Featherstonehaugh/);
});

test('report: the sample message holds no value of the row', () => {
  const root = tempTree({ 'campaign.yaml': CAMPAIGN, ...FILES });
  const run = runCli(['report', 'campaign.yaml', '-o', 'report.html'], { cwd: root });
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  const html = readFileSync(join(root, 'report.html'), 'utf8');
  assertNoFragment(html, 'report');
  assertNoFragment(decodeURIComponent(html.replace(/%(?![0-9A-F]{2})/gi, '%25')), 'report, URL-decoded');
  assert.match(html, /Hello Z\*\*\*/);
});
