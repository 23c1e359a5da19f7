import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AddressPlaces, readCells } from '../../src/core/duplicates.js';
import type { CsvProblem } from '../../src/parsers/csv.js';
import { extractAddress, readSuppressionList, sniffDelimiter, type SuppressionListSummary } from '../../src/parsers/suppression.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'campaign-lint-suppression-'));
let written = 0;
function list(content: string | Buffer): string {
  const path = join(dir, `list-${written++}.csv`);
  writeFileSync(path, content);
  return path;
}

interface Read {
  /** address, line:column of its cell, valid */
  found: string[];
  problems: string[];
  summary: SuppressionListSummary;
}

async function read(path: string): Promise<Read> {
  const found: string[] = [];
  const problems: string[] = [];
  const summary = await readSuppressionList(path, {
    onAddress(address, entry) {
      const at = entry.location();
      found.push(`${address} ${at.line}:${at.column}${entry.valid ? '' : ' invalid'}`);
    },
    onProblem: (problem: CsvProblem) => problems.push(`${problem.kind} ${problem.line}:${problem.column}`),
  });
  return { found, problems, summary };
}

void describe('readSuppressionList', () => {
  void it('reads the email column, matching the header case-insensitively, skipping blank lines', async () => {
    const { found, problems } = await read(fixture('suppression.csv'));
    assert.deepEqual(found, ['PAVEL@Example.COM 2:1', 'quinn@example.org 3:1', 'rosa@example.com 5:1']);
    assert.deepEqual(problems, []);
  });

  void it('reads a header-less list from its first line, without calling it a missing header', async () => {
    const { found, problems, summary } = await read(fixture('suppression-no-header.csv'));
    assert.deepEqual(found, ['soren@example.com 1:1', 'tove@example.org 2:1']);
    assert.deepEqual(problems, []);
    assert.equal(summary.firstRowOffset, 0);
  });

  void it('finds an `address` column among several', async () => {
    const { found, summary } = await read(fixture('suppression-no-email-column.csv'));
    assert.deepEqual(found, ['ugo@example.com 2:3']);
    assert.equal(summary.column, 1);
  });

  void it('reports several columns of which none is an address column, and delivers nothing', async () => {
    const { found, problems, summary } = await read(list('id,reason\n1,bounce\n'));
    assert.deepEqual(found, []);
    assert.deepEqual(problems, ['missing-column 1:1']);
    assert.equal(summary.column, -1);
  });

  void it('reads semicolon-, tab- and pipe-separated lists', async () => {
    assert.deepEqual((await read(list('reason;email\nbounce;ann@example.com\n'))).found, ['ann@example.com 2:8']);
    assert.deepEqual((await read(list('reason\temail\nbounce\tann@example.com\n'))).found, ['ann@example.com 2:8']);
    const piped = await read(list('email|reason\nann@example.com|bounce\n'));
    assert.deepEqual(piped.found, ['ann@example.com 2:1']);
    assert.equal(piped.summary.delimiter, '|');
  });

  void it('reads a BOM and CRLF, and SES exports with and without their header', async () => {
    const bom = await read(list('\uFEFFEmail Address;Reason\r\n"ann@example.com";bounce\r\n'));
    assert.deepEqual(bom.found, ['ann@example.com 2:1']);
    assert.equal(bom.summary.lineBreak, '\r\n');
    const ses = await read(list('EmailAddress,Reason,LastUpdateTime\nann@example.com,BOUNCE,2026-11-30T10:00:00Z\n'));
    assert.deepEqual(ses.found, ['ann@example.com 2:1']);
    const bare = await read(list('\uFEFF\r\nbounce@example.net,BOUNCE\r\nann@example.com,COMPLAINT\r\n'));
    assert.deepEqual(bare.found, ['bounce@example.net 2:1', 'ann@example.com 3:1']);
    // After the BOM (3 bytes) and one blank CRLF line.
    assert.equal(bare.summary.firstRowOffset, 5);
    assert.deepEqual(bare.problems, []);
  });

  void it('gives each entry its validity and exact place, and counts the valid ones', async () => {
    const { found, summary } = await read(list('reason,email\nbounce,ann@example.com\nbounce,Jane <jane.example.com>\nbounce,\n,\nbounce\n'));
    assert.deepEqual(found, ['ann@example.com 2:8', 'jane.example.com 3:8 invalid', ' 4:8 invalid']);
    assert.equal(summary.entries, 3);
    assert.equal(summary.validEntries, 1);
  });

  void it('reports a display name in quotes that the CSV does not quote, with how to write it', async () => {
    const problems: CsvProblem[] = [];
    const summary = await readSuppressionList(list('"Example, Ann" <ann@example.com>\n"Bo" <bo@example.org>\n'), {
      onAddress: () => assert.fail('nothing can be read as entries'),
      onProblem: (problem) => problems.push(problem),
    });
    assert.deepEqual(
      problems.map((problem) => `${problem.kind} ${problem.line}:${problem.column}`),
      ['invalid-quote 1:1', 'unterminated-quote 1:1'],
    );
    assert.match(problems[0]?.message ?? '', /write "Name" <address> as one CSV cell/);
    assert.equal(summary.column, -1);
  });

  void it('counts no valid entry in a list of garbage or a header alone', async () => {
    assert.equal((await read(list('email\nnot an address\n'))).summary.validEntries, 0);
    assert.equal((await read(list('email\n'))).summary.validEntries, 0);
  });
});

void describe('extractAddress', () => {
  const cases: [string, string][] = [
    ['ann@example.com', 'ann@example.com'],
    ['  ann@example.com\t', 'ann@example.com'],
    ['\u00A0\u200Bann@example.com\u200D\uFEFF', 'ann@example.com'],
    ['<ann@example.com>', 'ann@example.com'],
    ['< ann@example.com >', 'ann@example.com'],
    ['Ann Example <ann@example.com>', 'ann@example.com'],
    ['"Example, Ann" <ann@example.com>', 'ann@example.com'],
    ['"A <b>" <ann@example.com>', 'ann@example.com'],
    ['mailto:ann@example.com', 'ann@example.com'],
    ['MailTo:ANN@example.com?subject=unsubscribe&body=x', 'ANN@example.com'],
    ['<mailto:ann@example.com>', 'ann@example.com'],
    ['mailto:ann%40example.com', 'ann@example.com'],
    ['mailto:ann%zz@example.com', 'ann%zz@example.com'],
    ['mailto:', 'mailto:'],
    ['not an address', 'not an address'],
    ['Ann <ann@example.com', 'Ann <ann@example.com'],
    ['', ''],
  ];
  for (const [cell, address] of cases) {
    void it(`${JSON.stringify(cell)} -> ${JSON.stringify(address)}`, () => {
      assert.equal(extractAddress(cell), address);
    });
  }

  void it('is linear in a cell of spaces', () => {
    const cell = `${' '.repeat(200_000)}x${'\u200B'.repeat(200_000)}y${' '.repeat(200_000)}`;
    const started = performance.now();
    assert.equal(extractAddress(cell).length, 200_002);
    assert.ok(performance.now() - started < 500);
  });
});

void describe('sniffDelimiter', () => {
  const cases: [string, string][] = [
    ['email\nann@example.com\n', ','],
    ['email;reason\nann@example.com;bounce\n', ';'],
    ['email\treason\n', '\t'],
    ['email|reason\n', '|'],
    ['"a;b",c\n', ','],
    ['"x,y";z\n', ';'],
    // A comma in a name on one line only, a semicolon on every line: the consistent one.
    ['Doe, Jane <jane@example.com>;BOUNCE\nann@example.com;BOUNCE\n', ';'],
    // Equal and consistent: the order , ; TAB |
    ['a,b;c\nd,e;f\n', ','],
    ['a;b;c,d\ne;f;g\n', ';'],
    ['\n\nann@example.com;x\n', ';'],
    ['', ','],
  ];
  for (const [text, delimiter] of cases) {
    void it(`${JSON.stringify(text)} -> ${JSON.stringify(delimiter)}`, () => {
      assert.equal(sniffDelimiter(text), delimiter);
    });
  }
});

void describe('reading suppression entries back', () => {
  async function placesOf(path: string): Promise<{ places: AddressPlaces; summary: SuppressionListSummary }> {
    const places = new AddressPlaces();
    const summary = await readSuppressionList(path, {
      onAddress: (_address, entry) => {
        places.add(entry.encoder.hash, entry.line, 1, entry.byteOffset);
      },
      onProblem: (problem) => assert.fail(problem.message),
    });
    return { places, summary };
  }

  async function readBack(path: string): Promise<string[]> {
    const { places, summary } = await placesOf(path);
    const wanted = places.select(() => true);
    const cells = await readCells(wanted, places.size, {
      filePath: path,
      column: summary.column,
      lineBreak: summary.lineBreak,
      delimiter: summary.delimiter,
      encoding: summary.encoding,
      cellValue: extractAddress,
      ...(summary.firstRowOffset === undefined ? {} : { firstRowOffset: summary.firstRowOffset }),
    });
    return wanted.map((place) => cells.get(place.entry)?.address ?? 'MISSING');
  }

  void it('extracts the address again from the cell read back at its offset', async () => {
    assert.deepEqual(await readBack(list('\uFEFF\r\n"""Example, Ann"" <ann@example.com>";BOUNCE\r\nmailto:BO@example.org?x=1;COMPLAINT\r\n')), [
      'ann@example.com',
      'BO@example.org',
    ]);
  });

  void it('reads a header-less list back in one pass when there are many entries, first row included', async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => `Person ${i} <p${i}@example.test>;BOUNCE`);
    const back = await readBack(list(`\uFEFF\n${rows.join('\n')}\n`));
    assert.equal(back.length, 25_000);
    assert.equal(back[0], 'p0@example.test');
    assert.equal(back[24_999], 'p24999@example.test');
    assert.ok(!back.includes('MISSING'));
  });

  void it('reads a UTF-16LE list (BOM, header-less, semicolons) back at its byte offsets and in one pass', async () => {
    const few = list(Buffer.from('\uFEFFZoë <zoe@example.test>;BOUNCE\r\nann@example.com;COMPLAINT\r\n', 'utf16le'));
    assert.deepEqual(await readBack(few), ['zoe@example.test', 'ann@example.com']);
    const rows = Array.from({ length: 25_000 }, (_, i) => `Person ${i} <p${i}@example.test>;BOUNCE`);
    const back = await readBack(list(Buffer.from(`\uFEFF${rows.join('\n')}\n`, 'utf16le')));
    assert.equal(back.length, 25_000);
    assert.equal(back[0], 'p0@example.test');
    assert.equal(back[24_999], 'p24999@example.test');
  });
});

void describe('every shape, delimiter and line end, read and read back', () => {
  // A seeded generator: the same lists on every run.
  let seed = 20261203;
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const csvCell = (value: string, delimiter: string): string =>
    /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replaceAll('"', '""')}"` : value;
  const shapes: ((address: string) => string)[] = [
    (address) => address,
    (address) => `<${address}>`,
    (address) => `Person Example <${address}>`,
    (address) => `"Example, Person" <${address}>`,
    (address) => `mailto:${address}?subject=stop`,
    (address) => `MAILTO:${address}`,
    (address) => `\u00A0${address}\u200B `,
  ];

  for (let round = 0; round < 24; round++) {
    const delimiter = pick([',', ';', '\t', '|']);
    const lineBreak = pick(['\n', '\r\n']);
    const encoding = pick(['utf-8', 'utf-8', 'utf-16le', 'utf-16be'] as const);
    const bom = random() < 0.5 || encoding !== 'utf-8' ? '\uFEFF' : '';
    const headed = random() < 0.5;
    const addresses = Array.from({ length: 30 }, (_, i) => `p${round}.${i}@example.test`);
    const rows = addresses.map((address) => [csvCell(pick(shapes)(address), delimiter), 'BOUNCE'].join(delimiter));
    const text = `${bom}${headed ? `Email${delimiter}Reason${lineBreak}` : ''}${rows.join(lineBreak)}${lineBreak}`;
    void it(`round ${round}: ${encoding} ${JSON.stringify(delimiter)} ${JSON.stringify(lineBreak)}${bom ? ' BOM' : ''}${headed ? ' header' : ' header-less'}`, async () => {
      const bytes = encoding === 'utf-8' ? Buffer.from(text, 'utf8') : Buffer.from(text, 'utf16le');
      if (encoding === 'utf-16be') bytes.swap16();
      const path = list(bytes);
      const places = new AddressPlaces();
      const found: string[] = [];
      const summary = await readSuppressionList(path, {
        onAddress(address, entry) {
          assert.ok(entry.valid, address);
          found.push(address);
          places.add(entry.encoder.hash, entry.line, 1, entry.byteOffset);
        },
        onProblem: (problem) => assert.fail(`${problem.kind} ${problem.line}:${problem.column} ${problem.message}`),
      });
      assert.deepEqual(found, addresses);
      assert.equal(summary.delimiter, delimiter);
      assert.equal(summary.encoding, encoding);
      const wanted = places.select(() => true);
      const cells = await readCells(wanted, places.size, {
        filePath: path,
        column: summary.column,
        lineBreak: summary.lineBreak,
        delimiter: summary.delimiter,
        encoding: summary.encoding,
        cellValue: extractAddress,
        ...(summary.firstRowOffset === undefined ? {} : { firstRowOffset: summary.firstRowOffset }),
      });
      assert.deepEqual(
        wanted.map((place) => cells.get(place.entry)?.address),
        addresses,
      );
    });
  }
});
