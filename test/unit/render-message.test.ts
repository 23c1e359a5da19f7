import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTemplate, renderTemplate } from '../../src/parsers/template.js';
import { auditRenderedMessage, maskMessage, parseRenderedMessage, renderMessage } from '../../src/render/index.js';
import type { AuditOptions, RenderMessageInput, RenderedMessage } from '../../src/render/index.js';

const sender = { name: 'Example Shop', address: 'news@mail.example.com' };
const fixed = { date: new Date('2026-12-01T10:00:00Z'), messageId: '<fixed-1@mail.example.com>', boundarySeed: 'test' };

function input(overrides: Partial<RenderMessageInput> = {}): RenderMessageInput {
  return {
    from: sender,
    to: 'Jane Doe <jane@example.com>',
    subject: 'Winter sale for Jörg ✓',
    headers: {
      'List-Unsubscribe': '<https://example.com/u/abc>, <mailto:unsubscribe@example.com>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    html: '<p>Hello Jane</p>',
    text: 'Hello Jane',
    ...fixed,
    ...overrides,
  };
}

async function compose(overrides: Partial<RenderMessageInput> = {}): Promise<RenderedMessage> {
  const result = await renderMessage(input(overrides));
  assert.ok(result.ok, 'message should compose');
  return result.message;
}

const recipients = new Set(['jane@example.com', 'someone.else@example.org', 'carl@example.org']);
const auditOptions: AuditOptions = {
  expectedTo: 'jane@example.com',
  archiveAddresses: ['archive@example.com'],
  otherRecipients: (address) => recipients.has(address),
};

void describe('renderMessage and parseRenderedMessage', () => {
  void it('round-trips one To, an encoded non-ASCII subject, List-Unsubscribe headers and multipart/alternative', async () => {
    const message = await compose();
    assert.match(message.raw, /^Subject: =\?UTF-8\?Q\?Winter_sale_for_J=C3=B6rg_=E2=9C=93\?=\r$/m);
    assert.match(message.raw, /^Content-Type: multipart\/alternative; boundary="--_NmP-test-Part_1"\r$/m);
    assert.deepEqual(message.envelope, { from: 'news@mail.example.com', to: ['jane@example.com'] });
    const parsed = await parseRenderedMessage(message.raw);
    assert.deepEqual(parsed.to, [{ name: 'Jane Doe', address: 'jane@example.com' }]);
    assert.deepEqual(parsed.from, sender);
    assert.equal(parsed.subject, 'Winter sale for Jörg ✓');
    assert.deepEqual(
      parsed.headers.filter(([name]) => name.startsWith('List-')),
      [
        ['List-Unsubscribe', '<https://example.com/u/abc>, <mailto:unsubscribe@example.com>'],
        ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
      ],
    );
    assert.equal(parsed.html, '<p>Hello Jane</p>\n');
    assert.equal(parsed.text, 'Hello Jane\n');
    assert.deepEqual(auditRenderedMessage(parsed, message.envelope, auditOptions), []);
  });

  void it('is reproducible with a fixed date, message id and boundary seed', async () => {
    assert.equal((await compose()).raw, (await compose()).raw);
  });

  void it('drops Bcc from the headers but keeps it in the envelope', async () => {
    const message = await compose({ bcc: ['archive@example.com', 'carl@example.org'] });
    assert.doesNotMatch(message.raw, /^Bcc:/im);
    assert.deepEqual(message.envelope.to, ['jane@example.com', 'archive@example.com', 'carl@example.org']);
  });
});

void describe('auditRenderedMessage', () => {
  async function audit(overrides: Partial<RenderMessageInput>): Promise<ReturnType<typeof auditRenderedMessage>> {
    const message = await compose(overrides);
    return auditRenderedMessage(await parseRenderedMessage(message.raw), message.envelope, auditOptions);
  }

  void it('catches a CSV display name that smuggles a second address into To', async () => {
    const row = { first_name: 'Bo <someone.else@example.org>, Bo', email: 'jane@example.com' };
    const toTemplate = '{{first_name}} <{{email}}>';
    assert.ok(parseTemplate(toTemplate).ok);
    const to = renderTemplate(toTemplate, row);
    assert.ok(to.ok);
    assert.deepEqual(await audit({ to: to.output }), [
      {
        code: 'to-count',
        message: 'The rendered message has 2 addresses in To; it must have exactly one',
        addresses: ['someone.else@example.org', 'jane@example.com'],
        where: 'header:To',
      },
      {
        code: 'other-recipient',
        message: 'The To header contains the address of another recipient',
        addresses: ['someone.else@example.org'],
        where: 'header:To',
      },
    ]);
  });

  void it('reports a To that is not the row address, and a message without To', async () => {
    assert.deepEqual(await audit({ to: 'Someone <someone.else@example.org>' }), [
      { code: 'to-mismatch', message: "The rendered To address is not this recipient row's address", addresses: ['someone.else@example.org'], where: 'header:To' },
      { code: 'other-recipient', message: 'The To header contains the address of another recipient', addresses: ['someone.else@example.org'], where: 'header:To' },
    ]);
    const problems = await audit({ to: '' });
    assert.deepEqual(problems.map((problem) => [problem.code, problem.message]), [['to-count', 'The rendered message has no To address; it must have exactly one']]);
  });

  void it('compares the row address case-insensitively', async () => {
    assert.deepEqual(await audit({ to: 'JANE@Example.COM' }), []);
  });

  void it('reports any Cc', async () => {
    assert.deepEqual(await audit({ cc: ['archive@example.com'] }), [
      { code: 'cc', message: 'The rendered message has a Cc header with 1 address', addresses: ['archive@example.com'], where: 'header:Cc' },
    ]);
  });

  void it('reports a Bcc beyond the archive addresses through the envelope, and allows the archive', async () => {
    assert.deepEqual(await audit({ bcc: ['archive@example.com'] }), []);
    assert.deepEqual(await audit({ bcc: ['archive@example.com', 'list@example.net'] }), [
      {
        code: 'bcc-envelope',
        message: 'The message would also be delivered (Bcc) to 1 address outside the configured archive addresses',
        addresses: ['list@example.net'],
        where: 'envelope',
      },
    ]);
  });

  void it('reports a Bcc header when the message keeps one', async () => {
    const message = await compose();
    const parsed = await parseRenderedMessage(message.raw);
    const withBcc = { ...parsed, bcc: [{ name: '', address: 'list@example.net' }, { name: '', address: 'archive@example.com' }] };
    assert.deepEqual(auditRenderedMessage(withBcc, message.envelope, auditOptions), [
      {
        code: 'bcc-header',
        message: 'The rendered message has a Bcc header with 1 address outside the configured archive addresses',
        addresses: ['list@example.net'],
        where: 'header:Bcc',
      },
    ]);
  });

  void it("finds other recipients' addresses in encoded headers and in bodies, also entity- or percent-encoded", async () => {
    const problems = await audit({
      headers: { 'X-Campaign-Note': 'Grüße an Carl@Example.org' },
      html: '<p>Hello Jane, <a href="https://example.com/?ref=someone.else%40example.org">x</a></p>',
      text: 'Forwarded by carl&#64;example.org; unknown@example.net is nobody',
    });
    assert.deepEqual(problems, [
      { code: 'other-recipient', message: 'The X-Campaign-Note header contains the address of another recipient', addresses: ['Carl@Example.org'], where: 'header:X-Campaign-Note' },
      { code: 'other-recipient', message: 'The html body contains the address of another recipient', addresses: ['someone.else@example.org'], where: 'html' },
      { code: 'other-recipient', message: 'The text body contains the address of another recipient', addresses: ['carl@example.org'], where: 'text' },
    ]);
  });
});

void describe('maskMessage', () => {
  void it('masks row values and foreign addresses and stays a parseable message', async () => {
    const message = await compose({
      to: "Jane O'Hara <jane@example.com>",
      replyTo: 'help@example.com',
      subject: "Jane O'Hara, your order",
      html: "<p>Hello Jane O&#x27;Hara, your code 4711-XY. Ask carl@example.org</p>",
      text: "Hello Jane O'Hara, your code 4711-XY.",
    });
    const preview = await maskMessage(message.raw, ["Jane O'Hara", 'jane@example.com', '4711-XY', 'x'], {
      allowAddresses: ['news@mail.example.com', 'help@example.com'],
    });
    assert.doesNotMatch(preview, /O'Hara|O&#x27;Hara|4711|jane@example\.com|carl@example\.org/);
    const parsed = await parseRenderedMessage(preview);
    assert.deepEqual(parsed.to, [{ name: 'J***', address: 'j***@example.com' }]);
    assert.deepEqual(parsed.from, sender);
    assert.deepEqual(parsed.replyTo, [{ name: '', address: 'help@example.com' }]);
    assert.equal(parsed.subject, 'J***, your order');
    assert.equal(parsed.html, '<p>Hello J***, your code 4***. Ask c***@example.org</p>\n');
    assert.equal(parsed.text, 'Hello J***, your code 4***.\n');
    assert.deepEqual(
      parsed.headers.filter(([name]) => name.startsWith('List-')),
      [
        ['List-Unsubscribe', '<https://example.com/u/abc>, <mailto:u***@example.com>'],
        ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
      ],
    );
    assert.match(preview, /^Content-Type: multipart\/alternative;/m);
  });
});
