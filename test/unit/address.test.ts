import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findAddresses, isRoleAddress, isValidAddress, isValidAddressBytes, maskAddress, maskValue, MAX_DOMAIN_OCTETS, normalizeAddress, trimAddress } from '../../src/core/address.js';
import { renderMessage } from '../../src/render/compose.js';
import { findAddressTokens } from '../../src/render/addresses.js';
import { maskAddressRuns } from '../../src/render/mask.js';
import { AddressEncoder } from '../../src/core/address-set.js';

void describe('normalizeAddress', () => {
  void it('trims and lower-cases the whole address by default', () => {
    assert.equal(normalizeAddress('  Jane.Doe@Example.COM \t'), 'jane.doe@example.com');
  });

  void it('keeps the local part as written with caseSensitiveLocalPart, lower-casing only the domain', () => {
    assert.equal(normalizeAddress(' Jane.Doe@Example.COM ', { caseSensitiveLocalPart: true }), 'Jane.Doe@example.com');
    assert.notEqual(
      normalizeAddress('Jane@example.com', { caseSensitiveLocalPart: true }),
      normalizeAddress('jane@example.com', { caseSensitiveLocalPart: true }),
    );
    assert.equal(normalizeAddress('Jane@example.com'), normalizeAddress('jane@EXAMPLE.com'));
  });

  void it('splits at the last @ and leaves a value without @ alone apart from trimming', () => {
    assert.equal(normalizeAddress('"A@B"@Example.Org', { caseSensitiveLocalPart: true }), '"A@B"@example.org');
    assert.equal(normalizeAddress(' NotAnAddress ', { caseSensitiveLocalPart: true }), 'NotAnAddress');
  });
});

void describe('isValidAddress', () => {
  const valid = [
    'jane@example.com',
    'jane.doe+news@mail.example.org',
    "o'brien@example.test",
    'a!#$%&*+/=?^_`{|}~-@example.com',
    'jane@localhost', // WHATWG allows single-label domains
    `${'a'.repeat(64)}@example.com`,
    `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, // exactly 254
    `x@${'a'.repeat(63)}.example.com`,
  ];
  const invalid = [
    '',
    'jane',
    'jane@',
    '@example.com',
    'jane@@example.com',
    'jane doe@example.com',
    ' jane@example.com', // checked as given: trimming is the caller's choice
    '"jane doe"@example.com', // quoted local parts are outside the WHATWG grammar
    'jane@-example.com',
    'jane@example-.com',
    'jane@example..com',
    'jane@exa_mple.com',
    'jané@example.com',
    'jane@exämple.com',
    `${'a'.repeat(65)}@example.com`, // local part over 64
    `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`, // 255 in all
    `x@${'a'.repeat(64)}.example.com`, // a label over 63
    'a..b@example.com', // dot-atom: no doubled dot (the composer would send "a..b"@…)
    '.a@example.com', // no leading dot
    'a.@example.com', // no trailing dot
    '.@example.com',
  ];
  // The recipient pass checks addresses as encoded bytes (trimmed, lower-cased): same answers.
  const encoder = new AddressEncoder();
  const asBytes = (address: string): boolean => {
    encoder.encode(address);
    assert.equal(encoder.ascii, Buffer.byteLength(address) === address.length, 'the encoder takes its ASCII path exactly for ASCII values');
    return encoder.ascii && isValidAddressBytes(encoder.bytes, encoder.length);
  };
  for (const address of valid) {
    void it(`accepts ${address.length > 40 ? `${address.slice(0, 12)}… (${address.length} chars)` : address}`, () => {
      assert.equal(isValidAddress(address), true);
      assert.equal(asBytes(address), true);
      assert.equal(asBytes(address.toUpperCase()), true);
    });
  }
  for (const address of invalid) {
    void it(`rejects ${address.length > 40 ? `${address.slice(0, 12)}… (${address.length} chars)` : JSON.stringify(address)}`, () => {
      assert.equal(isValidAddress(address), false);
      // Only the value with spaces around it becomes valid once trimmed, as the encoder does.
      assert.equal(asBytes(address), address === ' jane@example.com');
    });
  }
  void it('has the length limits at exactly 64 and 254', () => {
    assert.equal(`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`.length, 254);
  });
});

void describe('one address grammar (trimAddress, isValidAddress, the composer)', () => {
  const padded = [
    ['U+00A0 no-break space', '\u00A0'],
    ['U+3000 ideographic space', '\u3000'],
    ['U+2028 line separator', '\u2028'],
    ['U+FEFF byte order mark', '\uFEFF'],
    ['U+2009 thin space', '\u2009'],
    ['U+200B zero-width space', '\u200B'],
  ] as const;

  void it('trims ASCII spaces and tabs only', () => {
    assert.equal(trimAddress(' \tjane@example.com\t  '), 'jane@example.com');
    for (const [, space] of padded) assert.equal(trimAddress(`${space}jane@example.com${space}`), `${space}jane@example.com${space}`);
    assert.equal(trimAddress('jane@example.com\r'), 'jane@example.com\r');
    assert.equal(normalizeAddress(' Jane@Example.com\u00A0'), 'jane@example.com\u00A0');
  });

  for (const [name, space] of padded) {
    void it(`finds an address padded with ${name} invalid, as a string and as the encoder's bytes`, () => {
      for (const value of [`${space}jane@example.com`, `jane@example.com${space}`, ` ${space}jane@example.com `]) {
        assert.equal(isValidAddress(trimAddress(value)), false, JSON.stringify(value));
        const encoder = new AddressEncoder();
        encoder.encode(value);
        assert.equal(encoder.ascii && isValidAddressBytes(encoder.bytes, encoder.length), false, JSON.stringify(value));
      }
    });
  }

  void it('accepts exactly what the composer sends unchanged: valid addresses go out as written, the dot cases would be rewritten', async () => {
    const sent = async (address: string): Promise<string | undefined> => {
      const result = await renderMessage({ from: { name: 'Shop', address: 'news@mail.example.com' }, to: address, subject: 's', headers: {}, text: 'x', date: new Date(0), messageId: '<m@example.com>' });
      assert.ok(result.ok);
      return /^To: (.*)$/m.exec(result.message.raw)?.[1];
    };
    for (const address of ['jane.doe+news@mail.example.org', "o'brien@example.test", 'a.b.c@example.com', 'a!#$%&*+/=?^_`{|}~-@example.com']) {
      assert.equal(isValidAddress(address), true, address);
      assert.equal(await sent(address), address);
    }
    for (const address of ['a..b@example.com', '.a@example.com', 'a.@example.com']) {
      assert.equal(isValidAddress(address), false, address);
      assert.notEqual(await sent(address), address, `the composer rewrites ${address}`);
    }
  });
});

void describe('masking', () => {
  void it('masks an address to its first character and domain', () => {
    assert.equal(maskAddress('jane@example.com'), 'j***@example.com');
    assert.equal(maskAddress('  Jane.Doe@Example.com '), 'J***@Example.com');
    assert.equal(maskAddress('x@example.org'), 'x***@example.org');
    assert.equal(maskAddress('@example.org'), '***@example.org');
  });

  void it('never shows the length of the local part', () => {
    assert.equal(maskAddress('a@example.com').length, maskAddress('abcdefghijkl@example.com').length);
  });

  void it('masks a value without @ like any other cell', () => {
    assert.equal(maskAddress('not-an-address'), 'n***');
  });

  void it('masks cell values to the first character, whole code points only', () => {
    assert.equal(maskValue('Abelsen, Jr.'), 'A***');
    assert.equal(maskValue('x'), 'x***');
    assert.equal(maskValue('😀 smile'), '😀***');
    assert.equal(maskValue(''), '');
    assert.equal(maskValue('Brightwater').length, maskValue('Bo').length);
  });
});

void describe('isRoleAddress', () => {
  void it('recognises RFC 2142 and common role mailboxes, ignoring case and +tags', () => {
    for (const address of ['postmaster@example.com', 'ABUSE@example.com', 'noreply@example.org', 'no-reply@example.org', 'info+news@example.test', 'webmaster@example.com', 'security@example.com', 'admin@example.com', 'sales@example.com', 'support@example.com', 'hostmaster@example.com']) {
      assert.equal(isRoleAddress(address), true, address);
    }
  });

  void it('does not flag personal mailboxes or look-alikes', () => {
    for (const address of ['jane@example.com', 'information@example.com', 'salesperson@example.com', 'info', '@example.com', 'info.jane@example.com']) {
      assert.equal(isRoleAddress(address), false, address);
    }
  });
});

void describe('findAddresses', () => {
  void it('returns addresses and their offsets, leaving markup around them out', () => {
    const text = `Hi {{first_name}},\n<a href='mailto:jane.doe@example.com'>write</a> or "bram@example.org".\nCc=cleo+x@mail.example.test. To='o'brien@example.org'`;
    assert.deepEqual(findAddresses(text), [
      { address: 'jane.doe@example.com', index: 35 },
      { address: 'bram@example.org', index: 71 },
      { address: 'cleo+x@mail.example.test', index: 93 },
      { address: "o'brien@example.org", index: 123 },
    ]);
    for (const found of findAddresses(text)) assert.equal(text.slice(found.index, found.index + found.address.length), found.address);
  });

  void it('ignores single-label domains and bare @ signs in templates', () => {
    assert.deepEqual(findAddresses('{{#if a}}@{{b}} user@localhost @example.com'), []);
  });
});

void describe('address scanning from each @ (linear)', () => {
  // The expressions the scanners replaced: the same results on text whose local parts and
  // domains are within the bounds, found in linear instead of quadratic time.
  const OLD_ASCII = /[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+/g;
  const OLD_TOKEN = /[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-](?:[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]*[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-])?@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+/gu;
  const MARKUP = /^.*[=/{}|]/;
  const QUOTES = /^['`.]+/;
  const oldFindAddresses = (text: string) =>
    [...text.matchAll(OLD_ASCII)].flatMap((match) => {
      const candidate = match[0];
      const at = candidate.lastIndexOf('@');
      let start = MARKUP.exec(candidate.slice(0, at))?.[0].length ?? 0;
      start += QUOTES.exec(candidate.slice(start, at))?.[0].length ?? 0;
      return start >= at ? [] : [{ address: candidate.slice(start), index: match.index + start }];
    });
  const oldTokens = (text: string) => [...text.matchAll(OLD_TOKEN)].map((match) => ({ address: match[0], index: match.index }));

  void it('finds what the old expressions found, on 5,000 random short texts', () => {
    const alphabet = ['a', 'b', '1', '.', '@', '-', '_', ' ', '=', "'", 'é', '<', 'x', '.', '@'];
    let state = 7;
    const next = () => (state = (state * 1103515245 + 12345) % 2147483648);
    for (let round = 0; round < 5000; round++) {
      const text = Array.from({ length: next() % 40 }, () => alphabet[next() % alphabet.length]).join('');
      assert.deepEqual(findAddresses(text), oldFindAddresses(text), JSON.stringify(text));
      assert.deepEqual(findAddressTokens(text), oldTokens(text), JSON.stringify(text));
    }
  });

  void it('reads at most 64 characters of local part and 255 of domain', () => {
    const local = `${'x'.repeat(100)}jane`;
    assert.deepEqual(findAddresses(`${local}@example.com`), [{ address: `${local.slice(-64)}@example.com`, index: 100 - 60 }]);
    const domain = `${'a.'.repeat(300)}com`;
    const found = findAddresses(`jane@${domain}`);
    assert.equal(found.length, 1);
    assert.equal(found[0]?.address.length, 'jane@'.length + MAX_DOMAIN_OCTETS);
  });

  void it('stays linear on runs without @, runs of @ and dotted runs', () => {
    const started = Date.now();
    for (const text of ['a'.repeat(1_000_000), '@'.repeat(1_000_000), 'a.'.repeat(500_000), 'x-'.repeat(500_000), 'a@a.'.repeat(250_000)]) {
      findAddresses(text);
      findAddressTokens(text);
    }
    assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
  });
});

void describe('maskAddressRuns (the masker, linear)', () => {
  const oldMask = (text: string, replace: (address: string) => string) =>
    text.replace(/[^\s<>"',;:()[\]]+@[^\s<>"',;:()[\]]+/gu, (candidate) => {
      let masked = candidate;
      for (const token of findAddressTokens(candidate)) masked = masked.replace(token.address, replace(token.address));
      return masked;
    });

  void it('masks what the old expression masked, on 5,000 random short texts', () => {
    const alphabet = ['a', 'b', '.', '@', '@', '-', ' ', ',', "'", '(', 'é', 'c', 'o', 'm'];
    let state = 11;
    const next = () => (state = (state * 1103515245 + 12345) % 2147483648);
    const replace = (address: string) => `[${address.length}]`;
    for (let round = 0; round < 5000; round++) {
      const text = Array.from({ length: next() % 40 }, () => alphabet[next() % alphabet.length]).join('');
      assert.equal(maskAddressRuns(text, replace), oldMask(text, replace), JSON.stringify(text));
    }
  });

  void it('is linear on a long run without @ and on one long run with many addresses', () => {
    const started = Date.now();
    maskAddressRuns(`${'a'.repeat(1_000_000)}@`, (address) => address);
    maskAddressRuns('a@b.test.'.repeat(150_000), () => 'x');
    assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
  });
});
