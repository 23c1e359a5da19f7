import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { normalizeAddress } from '../../src/core/address.js';
import { AddressEncoder, AddressSet } from '../../src/core/address-set.js';
import { AddressPlaces, findRepeats } from '../../src/core/duplicates.js';
import { readCsv } from '../../src/parsers/csv.js';
import { readSuppressionList } from '../../src/parsers/suppression.js';

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

void describe('duplicate and suppression checks over real files', () => {
  async function audit(caseSensitiveLocalPart: boolean): Promise<{ duplicates: string[]; suppressed: string[] }> {
    const suppression = new AddressSet({ caseSensitiveLocalPart });
    await readSuppressionList(fixture('suppression.csv'), {
      onAddress: (address, record) => suppression.addOrGet(address, record.line),
      onProblem: (problem) => assert.fail(problem.message),
    });
    const encoder = new AddressEncoder({ caseSensitiveLocalPart });
    const places = new AddressPlaces();
    const suppressed: string[] = [];
    const { lineBreak } = await readCsv(fixture('audit.csv'), {
      onRecord(record) {
        encoder.encode(record.fields[0] ?? '');
        places.add(encoder.hash, record.line, 1, record.byteOffset);
        const listed = suppression.getEncoded(encoder);
        if (listed !== 0) suppressed.push(`line ${record.line} is on suppression line ${listed}`);
      },
      onProblem: (problem) => assert.fail(problem.message),
    });
    const repeats = await findRepeats(places, { filePath: fixture('audit.csv'), column: 0, lineBreak, caseSensitiveLocalPart });
    const duplicates = repeats.map(({ line, firstLine }) => `line ${line} repeats line ${firstLine}`);
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
