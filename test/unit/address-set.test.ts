import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { normalizeAddress } from '../../src/core/address.js';
import { AddressEncoder, AddressSet, DuplicateFinder } from '../../src/core/address-set.js';
import { readCsv, readSuppressionList } from '../../src/parsers/csv.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));

const decode = (encoder: AddressEncoder): string => new TextDecoder().decode(encoder.bytes.subarray(0, encoder.length));

void describe('AddressEncoder', () => {
  const samples = [
    'jane@example.com',
    '  Jane.Doe@Example.COM\t',
    'ABCDEFGHIJKLMNOPQRSTUVWXYZ@[\\]^_`{|}~@example.org',
    'a@B',
    'AB',
    'ABC',
    'ABCD',
    'ABCDE@EXAMPLE.TEST',
    '',
    '   ',
    '@',
    'Zoë@Example.com',
    '\u00a0Jane@Example.com',
    'ÉMILE@ÉCOLE.example',
    'Mixed.Case+Tag@Sub.Example.ORG',
  ];

  for (const caseSensitiveLocalPart of [false, true]) {
    void it(`produces exactly normalizeAddress's bytes (caseSensitiveLocalPart: ${caseSensitiveLocalPart})`, () => {
      const encoder = new AddressEncoder({ caseSensitiveLocalPart });
      for (const sample of samples) {
        encoder.encode(sample);
        assert.equal(decode(encoder), normalizeAddress(sample, { caseSensitiveLocalPart }), JSON.stringify(sample));
      }
    });
  }

  void it('gives equal addresses equal hashes whatever the case and spaces', () => {
    const encoder = new AddressEncoder();
    encoder.encode('Jane.Doe@Example.com');
    const first = encoder.hash;
    encoder.encode(' jane.doe@EXAMPLE.COM ');
    assert.equal(encoder.hash, first);
    encoder.encode('jane.doe@example.org');
    assert.notEqual(encoder.hash, first);
  });

  void it('grows for long addresses', () => {
    const encoder = new AddressEncoder();
    const long = `${'X'.repeat(3000)}@Example.com`;
    encoder.encode(long);
    assert.equal(decode(encoder), long.toLowerCase());
  });
});

void describe('AddressSet', () => {
  void it('returns 0 for a new address and the first value for a repeat, case-insensitively by default', () => {
    const set = new AddressSet();
    assert.equal(set.addOrGet('jane@example.com', 2), 0);
    assert.equal(set.addOrGet('bram@example.org', 3), 0);
    assert.equal(set.addOrGet('jane@example.com', 7), 2);
    assert.equal(set.addOrGet(' JANE@Example.com', 9), 2);
    assert.equal(set.size, 2);
    assert.equal(set.get('bram@example.org'), 3);
    assert.equal(set.get('cleo@example.com'), 0);
    assert.equal(set.has('Jane@EXAMPLE.com'), true);
  });

  void it('compares local parts exactly with caseSensitiveLocalPart', () => {
    const set = new AddressSet({ caseSensitiveLocalPart: true });
    set.addOrGet('Jane@Example.com', 4);
    assert.equal(set.get('Jane@example.COM'), 4);
    assert.equal(set.get('jane@example.com'), 0);
  });

  void it('keeps every address exact through growth (100k addresses, no false hits)', () => {
    const set = new AddressSet({ expectedSize: 4 });
    for (let i = 0; i < 100_000; i++) assert.equal(set.addOrGet(`user${i}@example.com`, i + 1), 0);
    assert.equal(set.size, 100_000);
    for (let i = 0; i < 100_000; i++) if (set.get(`user${i}@example.com`) !== i + 1) assert.fail(`address ${i} lost its value`);
    for (let i = 0; i < 100_000; i += 991) assert.equal(set.has(`user${i}@example.org`), false);
    assert.equal(set.has('user100000@example.com'), false);
  });

  void it('stores non-ASCII and very long addresses exactly', () => {
    const set = new AddressSet();
    const long = `${'x'.repeat(5000)}@example.com`;
    assert.equal(set.addOrGet('zoë@example.com', 1), 0);
    assert.equal(set.addOrGet('zoe@example.com', 2), 0);
    assert.equal(set.addOrGet(long, 3), 0);
    assert.equal(set.addOrGet(`${long}x`, 4), 0);
    assert.equal(set.get('ZOË@example.com'), 1);
    assert.equal(set.get(long), 3);
    assert.equal(set.get(`${long}x`), 4);
    assert.equal(set.has(''), false);
    assert.equal(set.addOrGet('', 5), 0);
    assert.equal(set.get(''), 5);
  });

  void it('never confuses addresses whose 32-bit hashes collide', () => {
    // 300k keys over a 32-bit hash give about ten colliding pairs (n² / 2³³): each must still
    // map to its own value, which only the exact byte comparison guarantees.
    const set = new AddressSet({ expectedSize: 1 });
    const count = 300_000;
    for (let i = 0; i < count; i++) assert.equal(set.addOrGet(`u${i.toString(36)}@example.test`, i + 1), 0);
    for (let i = 0; i < count; i++) if (set.get(`u${i.toString(36)}@example.test`) !== i + 1) assert.fail(`key ${i} lost its value`);
    assert.equal(set.size, count);
  });

  void it('rejects values that a line number can never be', () => {
    const set = new AddressSet();
    assert.throws(() => set.addOrGet('a@example.com', 0), RangeError);
    assert.throws(() => set.addOrGet('a@example.com', 2 ** 32), RangeError);
  });

  void it('reports its memory', () => {
    const set = new AddressSet({ expectedSize: 1000 });
    set.addOrGet('a@example.com', 1);
    // 2048 slots × 12 bytes + one 4 MiB key block
    assert.equal(set.byteLength, 2048 * 12 + (1 << 22));
  });
});

void describe('DuplicateFinder', () => {
  void it('reports each repeat at its line, naming the first occurrence, in the order added', () => {
    const finder = new DuplicateFinder();
    finder.add('jane@example.com', 2);
    finder.add('bram@example.org', 3);
    finder.add('JANE@example.com', 4);
    finder.add('cleo@example.com', 5);
    finder.add('Bram@Example.org ', 6);
    finder.add('jane@EXAMPLE.com', 7);
    assert.equal(finder.size, 6);
    assert.deepEqual(finder.finish(), [
      { line: 4, column: 1, firstLine: 2, address: 'jane@example.com' },
      { line: 6, column: 1, firstLine: 3, address: 'bram@example.org' },
      { line: 7, column: 1, firstLine: 2, address: 'jane@example.com' },
    ]);
    assert.throws(() => {
      finder.add('x@example.com', 8);
    }, /after finish/);
  });

  void it('finds nothing in a list without repeats, and handles an empty list', () => {
    const finder = new DuplicateFinder();
    for (let i = 1; i <= 200_000; i++) finder.add(`u${i.toString(36)}@example.test`, i + 1);
    assert.deepEqual(finder.finish(), []);
    assert.deepEqual(new DuplicateFinder().finish(), []);
  });

  void it('finds exactly the injected repeats among 300k addresses (hash collisions included)', () => {
    const finder = new DuplicateFinder();
    const expected: { line: number; firstLine: number }[] = [];
    for (let i = 1; i <= 300_000; i++) {
      if (i % 10_007 === 0) {
        finder.add(`u${(i - 5000).toString(36)}@example.test`.toUpperCase(), i + 1);
        expected.push({ line: i + 1, firstLine: i - 5000 + 1 });
      } else {
        finder.add(`u${i.toString(36)}@example.test`, i + 1);
      }
    }
    assert.deepEqual(
      finder.finish().map(({ line, firstLine }) => ({ line, firstLine })),
      expected,
    );
  });

  void it('keeps the column given with each address, and describes only the first `described` repeats', () => {
    const finder = new DuplicateFinder({ caseSensitiveLocalPart: true });
    finder.add('Ann@example.com', 2, 7);
    finder.add('ann@example.com', 3, 7);
    finder.add('Ann@EXAMPLE.com', 4, 9);
    finder.add('Ann@example.com ', 5, 11);
    assert.deepEqual(finder.finish(1), [
      { line: 4, column: 9, firstLine: 2, address: 'Ann@example.com' },
      { line: 5, column: 11, firstLine: 2, address: '' },
    ]);
  });

  void it('keeps column 1 for the entries added before the first other column', () => {
    const finder = new DuplicateFinder();
    finder.add('a@example.com', 2);
    finder.add('b@example.com', 3);
    finder.add('c@example.com', 4, 5);
    finder.add('A@example.com', 5);
    finder.add('C@example.com', 6, 5);
    assert.deepEqual(
      finder.finish().map(({ line, column }) => [line, column]),
      [
        [5, 1],
        [6, 5],
      ],
    );
  });

  void it('compares non-ASCII addresses by their normalised UTF-8 bytes', () => {
    const finder = new DuplicateFinder();
    finder.add('Zoë@Example.com', 2);
    finder.add('zoe@example.com', 3);
    finder.add('ZOË@example.COM', 4);
    finder.add('jöhn.ßmith@example.org', 5);
    finder.add('JÖHN.ßMITH@EXAMPLE.ORG', 6);
    assert.deepEqual(finder.finish(), [
      { line: 4, column: 1, firstLine: 2, address: 'zoë@example.com' },
      { line: 6, column: 1, firstLine: 5, address: 'jöhn.ßmith@example.org' },
    ]);
  });

  void it('shares one encoding with an AddressSet', () => {
    const encoder = new AddressEncoder();
    const suppressed = new AddressSet();
    suppressed.addOrGet('bram@example.org', 9);
    const finder = new DuplicateFinder();
    const hits: number[] = [];
    ['jane@example.com', 'BRAM@example.org', 'Jane@example.com'].forEach((address, i) => {
      encoder.encode(address);
      finder.addEncoded(encoder, i + 2);
      hits.push(suppressed.getEncoded(encoder));
    });
    assert.deepEqual(hits, [0, 9, 0]);
    assert.deepEqual(finder.finish(), [{ line: 4, column: 1, firstLine: 2, address: 'jane@example.com' }]);
  });
});

void describe('duplicate and suppression checks over real files', () => {
  async function audit(caseSensitiveLocalPart: boolean): Promise<{ duplicates: string[]; suppressed: string[] }> {
    const suppression = new AddressSet({ caseSensitiveLocalPart });
    await readSuppressionList(fixture('suppression.csv'), {
      onAddress: (address, record) => suppression.addOrGet(address, record.line),
      onProblem: (problem) => assert.fail(problem.message),
    });
    const encoder = new AddressEncoder({ caseSensitiveLocalPart });
    const finder = new DuplicateFinder({ caseSensitiveLocalPart });
    const suppressed: string[] = [];
    await readCsv(fixture('audit.csv'), {
      onRecord(record) {
        encoder.encode(record.fields[0] ?? '');
        finder.addEncoded(encoder, record.line);
        const listed = suppression.getEncoded(encoder);
        if (listed !== 0) suppressed.push(`line ${record.line} is on suppression line ${listed}`);
      },
      onProblem: (problem) => assert.fail(problem.message),
    });
    const duplicates = finder.finish().map(({ line, firstLine }) => `line ${line} repeats line ${firstLine}`);
    return { duplicates, suppressed };
  }

  void it('reports a duplicate at the later record, naming the first line, case-insensitively by default', async () => {
    assert.deepEqual(await audit(false), {
      duplicates: ['line 4 repeats line 2', 'line 7 repeats line 2', 'line 8 repeats line 5'],
      suppressed: ['line 5 is on suppression line 2', 'line 8 is on suppression line 2', 'line 9 is on suppression line 3'],
    });
  });

  void it('compares local parts exactly with caseSensitiveLocalPart', async () => {
    assert.deepEqual(await audit(true), {
      duplicates: ['line 7 repeats line 2'],
      suppressed: ['line 9 is on suppression line 3'],
    });
  });
});
