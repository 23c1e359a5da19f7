import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AddressEncoder } from '../../src/core/address-set.js';
import { AddressPlaces, findRepeats, type RepeatedAddress } from '../../src/core/duplicates.js';
import { findColumn, readCsv } from '../../src/parsers/csv.js';

function tempFile(content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'campaign-lint-dup-')), 'list.csv');
  writeFileSync(path, content);
  return path;
}

/** What recipient-duplicate does: one pass recording places, then `findRepeats`. */
async function repeatsIn(content: string | Buffer, options: { caseSensitiveLocalPart?: boolean; column?: string } = {}): Promise<RepeatedAddress[]> {
  const filePath = tempFile(content);
  const caseSensitiveLocalPart = options.caseSensitiveLocalPart === true;
  const encoder = new AddressEncoder({ caseSensitiveLocalPart });
  const places = new AddressPlaces();
  let column = -1;
  const { lineBreak } = await readCsv(filePath, {
    onHeader: (header) => (column = findColumn(header.names, options.column ?? 'email')),
    onRecord(record) {
      const value = record.fields[column];
      if (value === undefined || value.trim() === '') return;
      encoder.encode(value);
      const at = record.fieldLocation(column);
      places.add(encoder.hash, at.line, at.column, record.byteOffset);
    },
    onProblem() {
      // Problems are recipients-file's; some lists here are broken on purpose.
    },
  });
  return findRepeats(places, { filePath, column, lineBreak, caseSensitiveLocalPart });
}

const summary = (repeats: RepeatedAddress[]): string[] => repeats.map((r) => `${r.line}:${r.column} ${r.address} (first ${r.firstLine})`);

/**
 * Two different addresses with the same 32-bit hash, found once by encoding `u<n in base 36>@example.test`
 * for growing n until two hashes met (a test asserts they still do).
 */
const COLLIDING: [string, string] = ['umfmv@example.test', 'u100bt@example.test'];

void describe('findRepeats', () => {
  void it('reports each repeat at its cell, as written, naming the first occurrence, in list order', async () => {
    const csv = 'email,name\njane@example.com,J\nbram@example.org,B\n JANE@Example.com ,J2\ncleo@example.com,C\nBram@EXAMPLE.org,B2\njane@EXAMPLE.com,J3\n';
    assert.deepEqual(summary(await repeatsIn(csv)), [
      '4:1 JANE@Example.com (first 2)',
      '6:1 Bram@EXAMPLE.org (first 3)',
      '7:1 jane@EXAMPLE.com (first 2)',
    ]);
  });

  void it('compares local parts exactly with caseSensitiveLocalPart, domains never', async () => {
    const csv = 'email\nAnn@example.com\nann@example.com\nAnn@EXAMPLE.com\n';
    assert.deepEqual(summary(await repeatsIn(csv, { caseSensitiveLocalPart: true })), ['4:1 Ann@EXAMPLE.com (first 2)']);
  });

  void it('never reports two addresses that only share a hash', async () => {
    const [first, second] = COLLIDING;
    const encoder = new AddressEncoder();
    encoder.encode(first);
    const firstHash = encoder.hash;
    encoder.encode(second);
    assert.equal(encoder.hash, firstHash, 'the pair collides');
    const csv = `email\n${first}\n${second}\nreal@example.com\n${second.toUpperCase()}\nREAL@example.com\n`;
    assert.deepEqual(summary(await repeatsIn(csv)), [`5:1 ${second.toUpperCase()} (first 3)`, '6:1 REAL@example.com (first 4)']);
  });

  void it('reads cells back at the right bytes after a BOM, CRLF, non-ASCII text and quoted multi-line fields', async () => {
    const csv =
      '\uFEFFname,email\r\n"Zoë\r\nZ",zoë@example.com\r\nÉmile,emile@example.org\r\n"Ünal, Ö",ZOË@example.com\r\n"🙂 emoji",Emile@Example.org\r\n';
    assert.deepEqual(summary(await repeatsIn(csv)), ['5:11 ZOË@example.com (first 3)', '6:12 Emile@Example.org (first 4)']); // columns count UTF-16 units: the emoji is two
  });

  void it('reads back records longer than its first read, including multi-line quoted fields', async () => {
    const long = 'x'.repeat(3000);
    const csv = `note,email\n"${long}\n${long}",ann@example.com\n${long},bo@example.com\n"${long}\n",ANN@example.com\nshort,BO@example.com\n`;
    assert.deepEqual(summary(await repeatsIn(csv, { column: 'email' })), ['6:3 ANN@example.com (first 3)', '7:7 BO@example.com (first 4)']);
  });

  void it('stays exact when invalid UTF-8 makes byte offsets drift (it reads the list again)', async () => {
    const head = Buffer.from('email,name\njane@example.com,J\n');
    const bad = Buffer.concat([Buffer.from('bob@example.org,'), Buffer.from([0xff, 0xfe, 0x0a])]);
    const tail = Buffer.from('bram@example.org,B\nJane@example.com,J\nbram@EXAMPLE.org,B\n');
    assert.deepEqual(summary(await repeatsIn(Buffer.concat([head, bad, tail]))), ['5:1 Jane@example.com (first 2)', '6:1 bram@EXAMPLE.org (first 4)']);
  });

  void it('finds exactly the injected repeats among 300k rows (hash collisions included)', async () => {
    const rows: string[] = ['email,n'];
    const expected: string[] = [];
    for (let i = 1; i <= 300_000; i++) {
      if (i % 10_007 === 0) {
        const address = `u${(i - 5000).toString(36)}@example.test`.toUpperCase();
        rows.push(`${address},${i}`);
        expected.push(`${i + 1}:1 ${address} (first ${i - 5000 + 1})`);
      } else {
        rows.push(`u${i.toString(36)}@example.test,${i}`);
      }
    }
    assert.deepEqual(summary(await repeatsIn(`${rows.join('\n')}\n`)), expected);
  });

  void it('reads the list once more instead of seeking when there are very many repeats', async () => {
    const rows = ['email'];
    for (let round = 0; round < 2; round++) for (let i = 0; i < 15_000; i++) rows.push(`p${i}@example.org`);
    const repeats = await repeatsIn(`${rows.join('\n')}\n`);
    assert.equal(repeats.length, 15_000);
    assert.deepEqual(summary([repeats[0], repeats[14_999]].filter((r) => r !== undefined)), ['15002:1 p0@example.org (first 2)', '30001:1 p14999@example.org (first 15001)']);
  });

  void it('finds nothing in an empty list or one without repeats', async () => {
    assert.deepEqual(await repeatsIn('email\n'), []);
    assert.deepEqual(await repeatsIn('email\na@example.com\nb@example.com\n'), []);
  });
});

void describe('AddressPlaces', () => {
  void it('keeps columns other than 1 and offsets past 4 GiB, made only once one occurs', () => {
    const places = new AddressPlaces();
    places.add(7, 2, 1, 10);
    places.add(7, 3, 5, 2 ** 32 + 9);
    places.add(9, 4, 1, 40);
    places.add(7, 5, 1, 50);
    assert.equal(places.size, 4);
    assert.deepEqual(places.collisions(), [
      [
        { entry: 0, hash: 7, line: 2, column: 1, byteOffset: 10 },
        { entry: 1, hash: 7, line: 3, column: 5, byteOffset: 2 ** 32 + 9 },
        { entry: 3, hash: 7, line: 5, column: 1, byteOffset: 50 },
      ],
    ]);
  });

  void it('sorts by hash, equal hashes in the order added, the same below and above the short-list sort', () => {
    for (const count of [0, 1, 17, 4095, 4096, 70_000]) {
      const places = new AddressPlaces();
      // Hashes across the whole 32-bit range, many repeated.
      const hashes = Array.from({ length: count }, (_, i) => ((Math.imul(i % 997, 0x9e3779b1) ^ (i % 3 === 0 ? 0x80000000 : 0)) >>> 0));
      hashes.forEach((hash, i) => {
        places.add(hash, i + 2, 1, i);
      });
      const expected = hashes.map((hash, entry) => ({ hash, entry })).sort((a, b) => a.hash - b.hash || a.entry - b.entry);
      const sorted = places.sortedByHash();
      assert.deepEqual([...sorted.hashes], expected.map((item) => item.hash), `${count} entries`);
      assert.deepEqual([...sorted.entries], expected.map((item) => item.entry), `${count} entries`);
    }
  });

  void it('selects places by hash in the order added, across chunks', () => {
    const places = new AddressPlaces();
    for (let i = 0; i < 70_000; i++) places.add(i % 1000, i + 2, 1, i * 30);
    const selected = places.select((hash) => hash === 999);
    assert.equal(selected.length, 70);
    assert.deepEqual(selected[0], { entry: 999, hash: 999, line: 1001, column: 1, byteOffset: 29_970 });
    assert.deepEqual(selected.at(-1), { entry: 69_999, hash: 999, line: 70_001, column: 1, byteOffset: 2_099_970 });
  });
});
