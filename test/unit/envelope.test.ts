import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Campaign } from '../../src/core/campaign.js';
import fc from 'fast-check';
import { HAS_AT, MAY_ENCODE_AT, UNSAFE_NAME, UNSAFE_QUOTED, classifyHeader, envelopeOf, parseAddressValue, unsafeAddressIndex, unsafeNameIndex, unsafeQuotedIndex, valueClasses } from '../../src/core/envelope.js';
import type { EnvelopeEntry } from '../../src/core/envelope.js';
import { parseYaml } from '../../src/parsers/yaml.js';

const envelope = (text: string) => envelopeOf(new Campaign('/repo/c/campaign.yaml', '/repo', parseYaml(text)));
const brief = (entry: EnvelopeEntry) => ({ cls: entry.cls, header: entry.header, field: entry.field, type: entry.type, line: entry.loc.line, sources: entry.parts.map((part) => `${part.role}:${part.source}`) });

describe('header classes', () => {
  const cases: [string, string, string][] = [
    ['to', 'to', 'To'],
    ['TO', 'to', 'To'],
    ['Cc', 'cc', 'Cc'],
    ['bcc', 'bcc', 'Bcc'],
    ['From', 'from', 'From'],
    ['sender', 'sender', 'Sender'],
    ['Reply-To', 'reply-to', 'Reply-To'],
    ['reply_to', 'reply-to', 'Reply-To'],
    ['replyTo', 'reply-to', 'Reply-To'],
    ['Resent-Cc', 'resent', 'Resent-Cc'],
    ['resent-from', 'resent', 'Resent-From'],
    ['Return-Receipt-To', 'recipient', 'Return-Receipt-To'],
    ['Disposition-Notification-To', 'recipient', 'Disposition-Notification-To'],
    ['Mail-Followup-To', 'recipient', 'Mail-Followup-To'],
    ['Mail-Reply-To', 'recipient', 'Mail-Reply-To'],
    ['Errors-To', 'recipient', 'Errors-To'],
    ['Apparently-To', 'recipient', 'Apparently-To'],
    ['X-Original-To', 'recipient', 'X-Original-To'],
    ['Delivered-To', 'recipient', 'Delivered-To'],
    ['Envelope-To', 'recipient', 'Envelope-To'],
    ['X-Partner-Bcc', 'recipient', 'X-Partner-Bcc'],
    ['X-Original-Recipient', 'recipient', 'X-Original-Recipient'],
    ['In-Reply-To', 'other', 'In-Reply-To'],
    ['List-Unsubscribe', 'other', 'List-Unsubscribe'],
    ['X-Potato', 'other', 'X-Potato'],
  ];
  for (const [name, cls, header] of cases) {
    test(`${name} is ${cls}`, () => {
      assert.deepEqual(classifyHeader(name), { cls, header });
    });
  }
});

describe('the model', () => {
  test('every spelling and place, in document order, with positions', () => {
    const model = envelope(
      'from: {name: Shop, address: news@mail.example.com}\nto: "{{email}}"\nReply-To: r@mail.example.com\nBCC: archive@example.com\nrecipients: {file: r.csv}\nheaders:\n  Resent-Cc: c@example.com\n  List-Unsubscribe: "<x>"\n',
    );
    assert.deepEqual(model.entries.map(brief), [
      { cls: 'from', header: 'From', field: 'from', type: 'map', line: 1, sources: ['name:Shop', 'address:news@mail.example.com'] },
      { cls: 'to', header: 'To', field: 'to', type: 'string', line: 2, sources: ['value:{{email}}'] },
      { cls: 'reply-to', header: 'Reply-To', field: 'Reply-To', type: 'string', line: 3, sources: ['value:r@mail.example.com'] },
      { cls: 'bcc', header: 'Bcc', field: 'BCC', type: 'string', line: 4, sources: ['value:archive@example.com'] },
      { cls: 'resent', header: 'Resent-Cc', field: 'headers.Resent-Cc', type: 'string', line: 7, sources: ['value:c@example.com'] },
      { cls: 'other', header: 'List-Unsubscribe', field: 'headers.List-Unsubscribe', type: 'string', line: 8, sources: ['value:<x>'] },
    ]);
    assert.deepEqual(model.problems, []);
  });

  test('every YAML type is read, and the unexpected ones are problems of the owning rule', () => {
    const model = envelope('to: [a, b]\ncc: 5\nbcc: true\nreply_to: {name: R, address: r@example.com}\nfrom: "Shop <s@example.com>"\nsender: ~\n');
    assert.deepEqual(
      model.entries.map((entry) => [entry.cls, entry.type, entry.parts.map((part) => part.type)]),
      [
        ['to', 'list', ['string', 'string']],
        ['cc', 'number', ['number']],
        ['bcc', 'boolean', ['boolean']],
        ['reply-to', 'map', ['string', 'string']],
        ['from', 'string', ['string']],
        ['sender', 'null', []],
      ],
    );
    assert.deepEqual(
      model.problems.map((problem) => [problem.rule, problem.messageId, problem.data.field]),
      [
        ['single-recipient-to', 'unexpectedType', 'to'],
        ['no-bulk-bcc', 'unexpectedType', 'bcc'],
        ['sender-address', 'unexpectedType', 'from'],
      ],
    );
  });

  test('two spellings of one field are ambiguous', () => {
    const model = envelope('to: "{{email}}"\nTo: "{{email}}"\nreply_to: a@example.com\nheaders:\n  reply-to: b@example.com\n');
    assert.deepEqual(
      model.problems.map((problem) => [problem.rule, problem.messageId, problem.data.field, problem.data.first, problem.loc.line]),
      [
        ['single-recipient-to', 'ambiguousField', 'To', 'to', 2],
        ['sender-address', 'ambiguousField', 'headers.reply-to', 'reply_to', 5],
      ],
    );
  });

  test('aliases and merge keys are applied as a YAML 1.1 sender applies them, own keys first', () => {
    const model = envelope('base: &base\n  cc: [a@example.com]\n  to: "{{other}}"\nhdr: &hdr\n  Cc: b@example.com\nto: "{{email}}"\n<<: *base\nheaders:\n  <<: [*hdr]\n');
    assert.deepEqual(model.entries.map(brief), [
      { cls: 'to', header: 'To', field: 'to', type: 'string', line: 6, sources: ['value:{{email}}'] },
      { cls: 'cc', header: 'Cc', field: '<<.cc', type: 'list', line: 7, sources: ['value:a@example.com'] },
      { cls: 'cc', header: 'Cc', field: 'headers.<<.Cc', type: 'string', line: 9, sources: ['value:b@example.com'] },
    ]);
  });

  test('headers as nodemailer key/value items, and a second headers map', () => {
    const model = envelope('headers:\n  - {key: Resent-To, value: x@example.com}\nHeaders: {X-A: b}\n');
    assert.deepEqual(
      model.entries.map((entry) => [entry.cls, entry.header, entry.field]),
      [
        ['resent', 'Resent-To', 'headers[0]'],
        ['other', 'X-A', 'Headers.X-A'],
      ],
    );
    assert.deepEqual(model.headerProblems.map((problem) => problem.messageId), ['ambiguousHeaders']);
  });

  test('the campaign keys `recipients` and `subject` are not recipient headers', () => {
    const model = envelope('recipients: {file: r.csv}\nsubject: Hi\n');
    assert.deepEqual(model.entries.map((entry) => [entry.cls, entry.header]), [['other', 'Subject']]);
  });
});

describe('address values', () => {
  const first = (text: string) => {
    const part = envelope(`reply_to: ${JSON.stringify(text)}\n`).entries[0]?.parts[0];
    assert.ok(part);
    return parseAddressValue(part);
  };
  test('one address with a merged display name', () => {
    assert.deepEqual(first('{{rep}} at Shop <s@example.com>'), { mailboxes: [{ name: 'zzfield0zz at Shop', address: 's@example.com' }], group: false, addressFields: [], nameFields: ['rep'] });
  });
  test('a merge field alone is an address', () => {
    assert.deepEqual(first('{{email}}')?.addressFields, ['email']);
  });
  test('a group and a list', () => {
    assert.equal(first('team: a@example.com, b@example.com;')?.group, true);
    assert.equal(first('a@example.com, b@example.com')?.mailboxes.length, 2);
  });
});

describe('per-row character checks', () => {
  test('names: every special, encoded words, controls and line separators', () => {
    for (const bad of ['<', '>', ',', ';', ':', '@', '"', '\\', '(', ')', '=?', '\u0000', '\t', '\n', '\r', '\u007f', '\u0085', '\u2028', '\u2029']) {
      assert.equal(unsafeNameIndex(`Bo${bad}x`), 2, JSON.stringify(bad));
    }
    for (const good of ['', 'Ann-Marie', "O'Neil Jr.", 'Zoë Bo', 'a=b', 'Why?', '李']) assert.equal(unsafeNameIndex(good), -1, good);
  });
  test('addresses: one @, no space, special or control inside; surrounding spaces allowed', () => {
    assert.equal(unsafeAddressIndex(' ann@example.com '), -1);
    assert.equal(unsafeAddressIndex('a@b@example.com'), 3);
    assert.equal(unsafeAddressIndex('a@example.com b@example.net'), 13);
    assert.equal(unsafeAddressIndex('a@example.com,b@example.net'), 13);
    assert.equal(unsafeAddressIndex('=?utf-8?q?x?=@example.com'), 0);
    assert.equal(unsafeAddressIndex('a@example.com\u2028'), 13);
  });
});

describe('buildRowMessage composes what the model derived', () => {
  test('top-level Cc and BCC, a list to, a merged cc, a top-level Resent-Cc and headers in any form reach the composer', async () => {
    const { buildRowMessage } = await import('../../src/core/row-message.js');
    const campaign = new Campaign(
      '/repo/c/campaign.yaml',
      '/repo',
      parseYaml(
        'base: &base\n  cc: [m@example.net]\nfrom: {name: "{{first_name}} at Shop", address: s@mail.example.com}\nto: ["{{email}}", x@example.net]\nCc: c@example.net\nBCC: archive@example.com\nReply-To: r@mail.example.com\nResent-Cc: "{{email}}"\nSubject: Hi {{first_name}}\n<<: *base\nheaders:\n  - {key: Resent-To, value: y@example.net}\n',
      ),
    );
    const built = buildRowMessage(campaign, { templates: [], problems: [] }, { email: 'ann@example.com', first_name: 'Ann' });
    assert.ok(built.ok);
    assert.deepEqual(
      { to: built.input.to, cc: built.input.cc, bcc: built.input.bcc, replyTo: built.input.replyTo, from: built.input.from, subject: built.input.subject, headers: built.input.headers },
      {
        to: 'ann@example.com, x@example.net',
        cc: ['c@example.net', 'm@example.net'],
        bcc: ['archive@example.com'],
        replyTo: 'r@mail.example.com',
        from: { name: 'Ann at Shop', address: 's@mail.example.com' },
        subject: 'Hi Ann',
        headers: { 'Resent-Cc': 'ann@example.com', 'Resent-To': 'y@example.net' },
      },
    );
  });
});

describe('the per-row check is sound against the composer\'s own address parser', () => {
  test('every name it accepts yields exactly the row\'s own address, quoted or not (seeded)', async () => {
    const { default: addressparser } = await import('nodemailer/lib/addressparser');
    const { unsafeFor } = await import('../../src/core/envelope.js');
    const alphabet = ['a', 'B', ' ', ',', ';', ':', '<', '>', '@', '"', '\\', '(', ')', '[', ']', '=', '?', '.', "'", 'é', '\t', '\u2028', 'x@y.z', '=?utf-8?q?a?='];
    let seed = 20261203;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let accepted = 0;
    for (let run = 0; run < Number(process.env.FUZZ_RUNS ?? 3000); run++) {
      const length = 1 + Math.floor(next() * 8);
      let name = '';
      for (let index = 0; index < length; index++) name += alphabet[Math.floor(next() * alphabet.length)] ?? '';
      for (const quoted of [false, true]) {
        if (unsafeFor(name, quoted) !== -1) continue;
        accepted++;
        const header = quoted ? `"${name}" <own@example.com>` : `${name} <own@example.com>`;
        const mailboxes = addressparser(header, { flatten: true });
        assert.deepEqual(
          mailboxes.map((mailbox) => mailbox.address),
          ['own@example.com'],
          `${JSON.stringify(name)} (${quoted ? 'quoted' : 'plain'}) gives ${JSON.stringify(mailboxes)}`,
        );
      }
    }
    assert.ok(accepted > 100, `only ${String(accepted)} names accepted: the generator must exercise the accepting side`);
  });

  test('every address cell it accepts is the one address the composer reads (seeded)', async () => {
    const { default: addressparser } = await import('nodemailer/lib/addressparser');
    const pieces = ['a', 'b.c', '@', 'example.com', ' ', ',', ';', '<', '>', '"', '(', ')', ':', '\\', '=?', 'é', '+tag', '\u2028'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let accepted = 0;
    for (let run = 0; run < Number(process.env.FUZZ_RUNS ?? 3000); run++) {
      let cell = '';
      for (let index = 0, length = 1 + Math.floor(next() * 6); index < length; index++) cell += pieces[Math.floor(next() * pieces.length)] ?? '';
      if (unsafeAddressIndex(cell) !== -1 || !cell.includes('@')) continue;
      accepted++;
      const own = cell.trim();
      for (const header of [cell, `Ann <${cell}>`]) {
        const addresses = addressparser(header, { flatten: true }).map((mailbox) => mailbox.address);
        assert.deepEqual(addresses, [own], `${JSON.stringify(header)} gives ${JSON.stringify(addresses)}`);
      }
    }
    assert.ok(accepted > 50, `only ${String(accepted)} cells accepted`);
  });
});

test('valueClasses: the shared per-row pass answers as unsafeNameIndex, unsafeQuotedIndex and includes("@") do', () => {
  const character = fc.oneof(
    fc.constantFrom('<', '>', ',', ';', ':', '@', '"', '\\', '(', ')', '=', '?', '=?', ' ', '\u00a0', '\u0085', '\u2028', '\u2029', '\t', '\n', '\u007f', '\u009f', '\u00a0', 'é', '🙂'),
    fc.string({ unit: 'binary', maxLength: 2 }),
    fc.stringMatching(/^[a-zA-Z0-9 .'-]{1,4}$/),
  );
  fc.assert(
    fc.property(fc.array(character, { maxLength: 12 }).map((parts) => parts.join('')), (value) => {
      const bits = valueClasses(value);
      assert.equal((bits & UNSAFE_NAME) !== 0, unsafeNameIndex(value) !== -1, JSON.stringify(value));
      assert.equal((bits & UNSAFE_QUOTED) !== 0, unsafeQuotedIndex(value) !== -1, JSON.stringify(value));
      assert.equal((bits & HAS_AT) !== 0, value.includes('@'), JSON.stringify(value));
      assert.equal((bits & MAY_ENCODE_AT) !== 0, value.includes('&') || value.includes('%'), JSON.stringify(value));
    }),
    { numRuns: 5000, seed: 1914 },
  );
  assert.equal(valueClasses('Ann =?utf-8?B?QQ==?='), UNSAFE_NAME | UNSAFE_QUOTED);
  assert.equal(valueClasses('a=b'), 0);
  assert.equal(valueClasses('Smith, Jr'), UNSAFE_NAME);
  assert.equal(valueClasses('bo@example.net'), UNSAFE_NAME | UNSAFE_QUOTED | HAS_AT);
});
