import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import nodemailer from 'nodemailer';
import type { PayloadFormat } from '../../src/payloads/model.js';
import { REPO_ROOT } from '../helpers/cli.js';

// The built package through its own `exports` map, as sending code imports it (run `npm run build` first).
const SPECIFIER = 'campaign-lint/guard';
const guard = (await import(SPECIFIER)) as typeof import('../../src/guard/index.js');
const { CampaignLintGuardError, assertSendable, checkSendable, guardPlugin } = guard;

function transport() {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  transporter.use('compile', guardPlugin({ archiveAddresses: ['archive@example.com'] }));
  return transporter;
}

const BASE = { from: 'Example News <news@mail.example.com>', subject: 'Hello', text: 'Hi' };

test('a real nodemailer stream transport sends a single-recipient message (with an archive Bcc) through the guard', async () => {
  const info = await transport().sendMail({ ...BASE, to: 'Jane Doe <jane.doe@example.com>', bcc: 'archive@example.com' });
  const raw = (info.message as Buffer).toString('utf8');
  assert.match(raw, /^To: Jane Doe <jane\.doe@example\.com>$/m);
  assert.deepEqual(info.envelope.to, ['jane.doe@example.com', 'archive@example.com']);
});

test('the transport refuses a multi-recipient To: a CampaignLintGuardError with masked findings, and nothing is sent', async () => {
  const rejected = transport().sendMail({ ...BASE, to: ['jane.doe@example.com', { name: 'Omar', address: 'omar.haddad@example.org' }] });
  await assert.rejects(rejected, (error: unknown) => {
    assert.ok(error instanceof CampaignLintGuardError);
    assert.equal(error.name, 'CampaignLintGuardError');
    assert.deepEqual(
      error.findings.map((finding) => `${finding.ruleId}/${finding.messageId}`),
      ['single-recipient-to/payloadManyTo'],
    );
    assert.match(error.message, /sends one nodemailer message to 2 addresses/);
    return true;
  });
});

test('the transport refuses any Cc, a recipient header, an SMTP envelope recipient and a non-archive Bcc, each under its locked rule', async () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ to: 'jane.doe@example.com', cc: 'omar.haddad@example.org' }, 'no-cc/payloadCc'],
    [{ to: 'jane.doe@example.com', headers: { 'Disposition-Notification-To': 'tracking@example.net' } }, 'no-cc/payloadRecipientHeader'],
    [{ to: 'jane.doe@example.com', envelope: { from: 'bounce@mail.example.com', to: ['jane.doe@example.com', 'li.wei@example.net'] } }, 'no-cc/payloadRecipientHeader'],
    [{ to: 'jane.doe@example.com', bcc: ['archive@example.com', 'sales.team@example.net'] }, 'no-bulk-bcc/payloadNotArchive'],
    [{ to: 'jane.doe@example.com', subject: 'Hi\r\nBcc: li.wei@example.net' }, 'header-injection/payloadLineBreak'],
  ];
  for (const [fields, expected] of cases) {
    await assert.rejects(transport().sendMail({ ...BASE, ...fields }), (error: unknown) => {
      assert.ok(error instanceof CampaignLintGuardError, expected);
      assert.deepEqual(
        error.findings.map((finding) => `${finding.ruleId}/${finding.messageId}`),
        [expected],
      );
      assert.doesNotMatch(error.message, /omar\.haddad|tracking@|li\.wei|sales\.team/, 'addresses are masked');
      return true;
    });
  }
});

test('assertSendable judges every platform\'s request body, by format or by shape; an unknown shape is refused', () => {
  assert.doesNotThrow(() => {
    assertSendable({ from: { email: 'news@mail.example.com' }, personalizations: [{ to: [{ email: 'jane.doe@example.com' }] }] }, { format: 'sendgrid' });
  });
  const refused = (payload: unknown, format?: PayloadFormat) =>
    checkSendable(payload, format === undefined ? {} : { format }).map((finding) => `${finding.ruleId}/${finding.messageId}`);
  assert.deepEqual(refused({ from: { email: 'news@mail.example.com' }, personalizations: [{ to: [{ email: 'jane.doe@example.com' }, { email: 'omar.haddad@example.org' }] }] }), ['single-recipient-to/payloadManyTo']);
  assert.deepEqual(refused({ from: 'news@mail.example.com', to: ['jane.doe@example.com', 'omar.haddad@example.org'] }, 'mailgun'), ['single-recipient-to/payloadManyTo']);
  assert.deepEqual(refused({ from: 'news@mail.example.com', to: ['jane.doe@example.com', 'omar.haddad@example.org'], 'recipient-variables': { 'jane.doe@example.com': {} } }, 'mailgun'), []);
  assert.deepEqual(refused({ message: { from_email: 'news@mail.example.com', to: [{ email: 'jane.doe@example.com' }, { email: 'omar.haddad@example.org', type: 'cc' }], preserve_recipients: false } }), ['no-cc/payloadCc']);
  assert.deepEqual(refused({ FromEmailAddress: 'news@mail.example.com', Destination: { ToAddresses: ['jane.doe@example.com'], CcAddresses: ['omar.haddad@example.org'] } }), ['no-cc/payloadCc']);
  assert.deepEqual(refused({ From: 'news@mail.example.com', To: 'jane.doe@example.com, omar.haddad@example.org', MessageStream: 'broadcast' }), ['single-recipient-to/payloadManyTo']);
  assert.deepEqual(refused({ recipients: ['jane.doe@example.com'] }), ['single-recipient-to/payloadUnknown']);
  assert.throws(() => {
    assertSendable({}, { format: 'sparkpost' as 'sendgrid' });
  }, TypeError);
});

test('an attachment\'s Buffer or stream is not walked: only plain request data is read', () => {
  const huge = Buffer.alloc(5_000_000);
  const started = process.hrtime.bigint();
  assert.deepEqual(checkSendable({ from: 'news@mail.example.com', to: 'jane.doe@example.com', attachments: [{ content: huge }] }, { format: 'nodemailer' }), []);
  assert.ok(process.hrtime.bigint() - started < 50_000_000n, 'a 5 MB Buffer is not walked key by key');
});

test('the guard imports nothing heavy: no CLI, ajv, handlebars, parse5, yaml or papaparse in its module graph', () => {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? '';
      if (specifier.startsWith('.')) walk(resolve(dirname(file), specifier));
      else packages.add(specifier);
    }
  };
  walk(join(REPO_ROOT, 'dist/guard/index.js'));
  assert.deepEqual([...packages].sort(), ['nodemailer/lib/addressparser']);
  assert.ok(![...seen].some((file) => file.includes('/dist/cli/') || file.includes('/dist/rules/')), [...seen].join('\n'));
});
