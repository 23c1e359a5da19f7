import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { normalizeAddress } from '../../src/core/address.js';
import { AddressSet } from '../../src/core/address-set.js';
import { readCsv, readSuppressionList } from '../../src/parsers/csv.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));

void describe('AddressSet', () => {
  void it('returns 0 for a new key and the first value for a repeat', () => {
    const set = new AddressSet();
    assert.equal(set.addOrGet('jane@example.com', 2), 0);
    assert.equal(set.addOrGet('bram@example.org', 3), 0);
    assert.equal(set.addOrGet('jane@example.com', 7), 2);
    assert.equal(set.addOrGet('jane@example.com', 9), 2);
    assert.equal(set.size, 2);
    assert.equal(set.get('bram@example.org'), 3);
    assert.equal(set.get('cleo@example.com'), 0);
    assert.equal(set.has('jane@example.com'), true);
    assert.equal(set.has('Jane@example.com'), false);
  });

  void it('keeps every key exact through growth (100k keys, no false hits)', () => {
    const set = new AddressSet(4);
    for (let i = 0; i < 100_000; i++) assert.equal(set.addOrGet(`user${i}@example.com`, i + 1), 0);
    assert.equal(set.size, 100_000);
    for (let i = 0; i < 100_000; i += 997) assert.equal(set.get(`user${i}@example.com`), i + 1);
    for (let i = 0; i < 100_000; i += 991) assert.equal(set.has(`user${i}@example.org`), false);
    assert.equal(set.has('user100000@example.com'), false);
  });

  void it('stores non-ASCII and very long keys exactly', () => {
    const set = new AddressSet();
    const long = `${'x'.repeat(5000)}@example.com`;
    assert.equal(set.addOrGet('zoë@example.com', 1), 0);
    assert.equal(set.addOrGet('zoe@example.com', 2), 0);
    assert.equal(set.addOrGet(long, 3), 0);
    assert.equal(set.addOrGet(`${long}x`, 4), 0);
    assert.equal(set.get('zoë@example.com'), 1);
    assert.equal(set.get(long), 3);
    assert.equal(set.get(`${long}x`), 4);
    assert.equal(set.has(''), false);
    assert.equal(set.addOrGet('', 5), 0);
    assert.equal(set.get(''), 5);
  });

  void it('never confuses keys whose 32-bit hashes collide', () => {
    // 300k keys over a 32-bit hash give about ten colliding pairs (n² / 2³³): each must still
    // map to its own value, which only the exact byte comparison guarantees.
    const set = new AddressSet(1);
    const count = 300_000;
    for (let i = 0; i < count; i++) assert.equal(set.addOrGet(`u${i.toString(36)}@example.test`, i + 1), 0);
    for (let i = 0; i < count; i++) {
      if (set.get(`u${i.toString(36)}@example.test`) !== i + 1) assert.fail(`key ${i} lost its value`);
    }
    assert.equal(set.size, count);
  });

  void it('rejects values that a line number can never be', () => {
    const set = new AddressSet();
    assert.throws(() => set.addOrGet('a@example.com', 0), RangeError);
    assert.throws(() => set.addOrGet('a@example.com', 2 ** 32), RangeError);
  });

  void it('reports its memory', () => {
    const set = new AddressSet(1000);
    set.addOrGet('a@example.com', 1);
    // 2048 slots × 12 bytes + one 4 MiB key block
    assert.equal(set.byteLength, 2048 * 12 + (1 << 22));
  });
});

void describe('duplicate and suppression checks over real files', () => {
  async function audit(caseSensitiveLocalPart: boolean): Promise<{ duplicates: string[]; suppressed: string[] }> {
    const suppression = new AddressSet();
    await readSuppressionList(fixture('suppression.csv'), {
      onAddress: (address, record) => suppression.addOrGet(normalizeAddress(address, { caseSensitiveLocalPart }), record.line),
      onProblem: (problem) => assert.fail(problem.message),
    });
    const seen = new AddressSet();
    const duplicates: string[] = [];
    const suppressed: string[] = [];
    await readCsv(fixture('audit.csv'), {
      onRecord(record) {
        const key = normalizeAddress(record.fields[0] ?? '', { caseSensitiveLocalPart });
        const first = seen.addOrGet(key, record.line);
        if (first !== 0) duplicates.push(`line ${record.line} repeats line ${first}`);
        const listed = suppression.get(key);
        if (listed !== 0) suppressed.push(`line ${record.line} is on suppression line ${listed}`);
      },
      onProblem: (problem) => assert.fail(problem.message),
    });
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
