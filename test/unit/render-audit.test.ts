/**
 * The rendered-message audit reads what a mail client shows: decoded display names and header
 * values, the HTML body's visible text and link targets (parse5), the text body. One test per
 * header class and per decoding.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlReadings, readingOffset } from '../../src/parsers/html-dom.js';
import { ASCII_TOKEN_LOCAL, TOKEN_LOCAL, decodedForms } from '../../src/render/addresses.js';
import { auditRenderedMessage, parseRenderedMessage, renderMessage } from '../../src/render/index.js';
import type { RenderMessageInput, RenderedProblem } from '../../src/render/index.js';

const LISTED = new Set(['bo@example.org', 'cy@example.net']);
const OWN = 'ann@example.com';

async function audit(change: Partial<RenderMessageInput>): Promise<{ code: string; where: string; addresses: string[] }[]> {
  const input: RenderMessageInput = {
    from: { name: 'Example Shop', address: 'news@mail.example.com' },
    to: `Ann <${OWN}>`,
    subject: 'Hello',
    headers: {},
    text: 'Hello',
    messageId: '<fixed@mail.example.com>',
    ...change,
  };
  const rendered = await renderMessage(input);
  assert.ok(rendered.ok);
  const parsed = await parseRenderedMessage(rendered.message.raw);
  const problems = auditRenderedMessage(parsed, rendered.message.envelope, {
    expectedTo: OWN,
    archiveAddresses: ['archive@example.com'],
    otherRecipients: (key) => LISTED.has(key),
    organisation: (key) => key === 'news@mail.example.com' || key === 'archive@example.com' || key.endsWith('@mail.example.com'),
    ignore: new Set(['fixed@mail.example.com']),
  });
  return problems.map((problem: RenderedProblem) => ({ code: problem.code, where: problem.where, addresses: [...problem.addresses].sort() }));
}

const b64 = (text: string) => `=?utf-8?B?${Buffer.from(text).toString('base64')}?=`;

void describe('address scan tables', () => {
  void it('the ASCII table of local-part characters is the Unicode class below 128', () => {
    const fromClass = Array.from({ length: 128 }, (_, code) => TOKEN_LOCAL.test(String.fromCharCode(code)));
    assert.deepEqual(ASCII_TOKEN_LOCAL, fromClass);
  });
});

void describe('rendered-message audit: header classes', () => {
  void it('a clean message has no problem', async () => {
    assert.deepEqual(await audit({ headers: { 'X-Contact': 'help@mail.example.com' } }), []);
  });

  void it('To: an encoded word in the display name is read decoded (display name, listed addresses, strangers)', async () => {
    const problems = await audit({ to: `${b64('Ann, bo@example.org, mallory@example.net')} <${OWN}>` });
    assert.deepEqual(
      problems.filter((problem) => problem.where === 'header:To'),
      [
        { code: 'display-name', where: 'header:To', addresses: ['bo@example.org', 'mallory@example.net'] },
        { code: 'other-recipient', where: 'header:To', addresses: ['bo@example.org'] },
        { code: 'stranger', where: 'header:To', addresses: ['mallory@example.net'] },
      ],
    );
  });

  void it('Resent-To and other custom headers: an address that is neither the row\'s nor the organisation\'s is a stranger', async () => {
    assert.deepEqual(await audit({ headers: { 'Resent-To': 'mallory@example.net' } }), [{ code: 'stranger', where: 'header:Resent-To', addresses: ['mallory@example.net'] }]);
  });

  void it('List-* headers: an outside mailto (an ESP\'s unsubscribe address) is no stranger; a listed address still leaks', async () => {
    assert.deepEqual(await audit({ headers: { 'List-Unsubscribe': '<mailto:unsub-1@esp.example.net>' } }), []);
    assert.deepEqual(await audit({ headers: { 'List-Help': '<mailto:bo@example.org>' } }), [{ code: 'other-recipient', where: 'header:List-Help', addresses: ['bo@example.org'] }]);
  });

  void it('Reply-To: a listed address is another recipient even though Reply-To is a sender field', async () => {
    const problems = await audit({ replyTo: 'cy@example.net' });
    assert.deepEqual(problems, [{ code: 'other-recipient', where: 'header:Reply-To', addresses: ['cy@example.net'] }]);
  });

  void it('Subject: an encoded word hiding a listed address', async () => {
    assert.deepEqual(await audit({ subject: `Hi ${b64('from bo@example.org')}` }), [{ code: 'other-recipient', where: 'header:Subject', addresses: ['bo@example.org'] }]);
  });

  void it('Cc and Bcc stay their own classes; the envelope shows a Bcc the headers drop', async () => {
    const problems = await audit({ cc: ['mallory@example.net'], bcc: ['zed@example.test'] });
    assert.deepEqual(problems.map((problem) => problem.code).sort(), ['bcc-envelope', 'cc', 'stranger']);
  });
});

void describe('rendered-message audit: decoded bodies', () => {
  for (const [name, html] of [
    ['decimal reference', '<p>bo&#64;example.org</p>'],
    ['hex reference', '<p>bo&#x40;example.org</p>'],
    ['named reference', '<p>bo&commat;example.org</p>'],
    ['empty inline element', '<p>bo<span></span>@example.org</p>'],
    ['unknown (inline) element', '<p>bo<x-y></x-y>@example.org</p>'],
    ['comment', '<p>bo<!-- -->@example.org</p>'],
    ['hidden text inside', '<p>bo<span style="display:none">zz</span>@example.org</p>'],
    ['mailto with a reference', '<a href="mailto:bo&#64;example.org">mail</a>'],
    ['mailto percent-encoded', '<a href="mailto:bo%40example.org">mail</a>'],
    ['title attribute', '<p title="bo@example.org">hover</p>'],
    ['soft hyphen', '<p>bo&shy;@example.org</p>'],
    ['zero-width space', '<p>bo\u200B@example\u2060.org</p>'],
  ] as const) {
    void it(`HTML: ${name}`, async () => {
      assert.deepEqual(await audit({ html }), [{ code: 'other-recipient', where: 'html', addresses: ['bo@example.org'] }]);
    });
  }

  void it('HTML: block boundaries separate words, so no address is made up across them', async () => {
    assert.deepEqual(await audit({ html: '<p>bo</p><p>@example.org</p>' }), []);
  });

  void it('text: zero-width characters inside an address', async () => {
    assert.deepEqual(await audit({ text: 'ask b\u200Do@example.org' }), [{ code: 'other-recipient', where: 'text', addresses: ['bo@example.org'] }]);
  });

  void it('text: a percent-encoded address', async () => {
    assert.deepEqual(await audit({ text: 'see https://x.example/?u=bo%40example.org' }), [{ code: 'other-recipient', where: 'text', addresses: ['bo@example.org'] }]);
  });

  void it('bodies: an address on no list is no problem (an account manager may be named)', async () => {
    assert.deepEqual(await audit({ text: 'Your manager: mallory@example.net', html: '<p>mallory&#64;example.net</p>' }), []);
  });
});

void describe('HTML readings', () => {
  void it('joins inline text, decodes references and maps back into the source', () => {
    const source = '<p>x</p>\n<p>ann<span></span>&#64;example.com</p>';
    const [all] = htmlReadings(source);
    assert.ok(all);
    const index = all.text.indexOf('ann@example.com');
    assert.notEqual(index, -1);
    assert.equal(source.slice(readingOffset(all, index), readingOffset(all, index) + 3), 'ann');
  });

  void it('decodedForms: percent-decoding leaves malformed escapes as written', () => {
    assert.deepEqual(decodedForms('a%40b.test %E0%A4%A'), ['a%40b.test %E0%A4%A', 'a@b.test %E0%A4%A']);
  });
});

void describe('rendered-message audit: display order and CSS text', () => {
  void it('reads text in display order: a right-to-left override, <bdo>, an inline bidi-override, marks between runs', async () => {
    for (const html of [
      '<p>Ask \u202egro.elpmaxe@ob\u202c now</p>',
      '<p>Ask <bdo dir="rtl">gro.elpmaxe@ob</bdo> now</p>',
      '<p>Ask <span style="unicode-bidi: bidi-override; direction: rtl">gro.elpmaxe@ob</span></p>',
      '<p>Ask <span dir="rtl">example.org&rlm;@&rlm;bo</span></p>',
    ]) {
      assert.deepEqual(await audit({ html }), [{ code: 'other-recipient', where: 'html', addresses: ['bo@example.org'] }], html);
    }
  });

  void it('legitimate right-to-left text and decorative CSS content are no problem', async () => {
    const html = '<html dir="rtl"><style>li::before{content:"\\2022  "} a::after{content:""} q{quotes:"\\201C" "\\201D"}</style><p>שלום, מבצע החורף מתחיל ביום שני</p><p>مرحبا <bdo dir="ltr">help@mail.example.com</bdo></p><ul><li>אחד</li></ul></html>';
    assert.deepEqual(await audit({ html, text: 'שלום Ann' }), []);
  });

  void it('CSS text that could hold an address, or comes from attributes, cannot be audited (fail closed)', async () => {
    const cases: [string, number][] = [
      ['<style>.c::after{content:"bo\\40 example.org"}</style><p class="c">x</p>', 2],
      ['<style>.c::before{content:"bo\\40"}</style><p class="c">example.org</p>', 1],
      ['<style>.c::after{content:attr(data-a) "\\40" attr(data-d)}</style><p class="c" data-a="bo" data-d="example.org">x</p>', 1],
      ['<p style="cont\\65nt: \'Call us\'">x</p>', 1],
      ['<style>.r{unicode-bidi:bidi-override;direction:rtl}</style><p class="r">x</p>', 1],
    ];
    for (const [html, count] of cases) {
      const problems = await audit({ html });
      assert.equal(problems.filter((problem) => problem.code === 'unreadable').length, 1, html);
      assert.equal(problems.length, count, html);
    }
  });

  void it('the same mailbox written another way is the listed one: quoted local part, sub-address, IDN domain', async () => {
    // The finding shows the address as the message writes it (unquoted, where the reader sees it so).
    for (const [text, shown] of [['Ask "bo"@example.org', 'bo@example.org'], ['Ask bo+news@example.org', 'bo+news@example.org'], ['Ask BO@EXAMPLE.ORG', 'BO@EXAMPLE.ORG']]) {
      assert.deepEqual(await audit({ text }), [{ code: 'other-recipient', where: 'text', addresses: [shown] }], text);
    }
  });
});
