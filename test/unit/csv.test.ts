import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dialectOf, MAX_COLUMNS, readCsv, type CsvDialect, type CsvHeader, type CsvProblem, type CsvReadSummary, type CsvRecord } from '../../src/parsers/csv.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));

interface Collected {
  header: CsvHeader | undefined;
  records: { line: number; index: number; fields: string[]; at: string[] }[];
  problems: CsvProblem[];
  summary: CsvReadSummary;
}

/** Reads a file and keeps, per record, every field's location as "line:column". */
async function collect(path: string, options?: Parameters<typeof readCsv>[2]): Promise<Collected> {
  let header: CsvHeader | undefined;
  const records: Collected['records'] = [];
  const problems: CsvProblem[] = [];
  const summary = await readCsv(
    path,
    {
      onHeader(h) {
        header = h;
      },
      onRecord(record: CsvRecord) {
        const at = record.fields.map((_, i) => {
          const location = record.fieldLocation(i);
          return `${location.line}:${location.column}`;
        });
        records.push({ line: record.line, index: record.index, fields: record.fields, at });
      },
      onProblem(problem) {
        problems.push(problem);
      },
    },
    options,
  );
  return { header, records, problems, summary };
}

function tempFile(content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'campaign-lint-csv-')), 'list.csv');
  writeFileSync(path, content);
  return path;
}

void describe('readCsv', () => {
  void it('gives each record its byte offset in the file, whatever the chunking (BOM, CRLF, multi-byte text, multi-line fields)', async () => {
    const content = Buffer.from('\uFEFFname,email\r\n"Zoë\r\nZ",z@example.com\r\n\r\nÉmile,e@example.org\r\n"🙂, ok",s@example.net\r\nAnn,a@example.com', 'utf8');
    const path = tempFile(content);
    for (const chunkSize of [1, 2, 3, 5, 7, 64, 1 << 16]) {
      const starts: string[] = [];
      await readCsv(path, {
        onRecord: (record) => starts.push(content.subarray(record.byteOffset, record.byteOffset + 8).toString('utf8').slice(0, 4)),
        onProblem: (problem) => assert.fail(problem.message),
      }, { chunkSize });
      assert.deepEqual(starts, ['"Zoë', 'Émil', '"🙂,', 'Ann,'], `chunk size ${chunkSize}`);
    }
  });

  void it('places fields after a quote inside an unquoted field, and after quoted fields, in whole texts and row by row', async () => {
    const content = 'name,email,city\nA"b,a@example.com,X\n"Bo, Jr",b@example.org,"Y ""Z"""\nC,c@example.net,W\n';
    for (const chunkSize of [3, 1 << 16]) {
      const result = await collect(tempFile(content), { chunkSize });
      assert.deepEqual(result.problems, [], `chunk size ${chunkSize}`);
      assert.deepEqual(
        result.records.map((record) => record.at.join(' ')),
        ['2:1 2:5 2:19', '3:1 3:10 3:24', '4:1 4:3 4:17'],
        `chunk size ${chunkSize}`,
      );
    }
  });

  void it('counts a lone LF inside an unquoted field of a CRLF file as a line, for the fields and records after it', async () => {
    const result = await collect(tempFile('email,name,city\r\na@example.com,x\ny,P\r\nb@example.org,z,Q\r\n'));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.records.map((record) => `${record.line} ${record.at.join(' ')}`),
      ['2 2:1 2:15 3:3', '4 4:1 4:15 4:17'],
    );
  });

  void it('takes a first line with a CR and no LF as data until it knows, whatever the read size', async () => {
    for (const chunkSize of [1, 3, 1 << 16]) {
      const result = await collect(tempFile('\ra,b\r\nc,d\r\n'), { chunkSize });
      assert.deepEqual([result.header?.names, ...result.records.map((record) => record.fields)], [['\ra', 'b'], ['c', 'd']], `chunk size ${chunkSize}`);
    }
  });

  void it('says which records may hold a line break in a field (quoted, or a stray CR), for LF, CRLF and CR files', async () => {
    const flags = async (content: string): Promise<[number, boolean][]> => {
      const seen: [number, boolean][] = [];
      await readCsv(tempFile(content), { onRecord: (record) => seen.push([record.line, record.mayHaveLineBreaks]), onProblem: (problem) => assert.fail(problem.message) });
      return seen;
    };
    assert.deepEqual(await flags('email,name\na@example.com,Ann\nb@example.com,"B\nB"\nc@example.com,C\rC\nd@example.com,"D"\ne@example.com,E\n'), [
      [2, false],
      [3, true],
      [5, true],
      [6, true],
      [7, false],
    ]);
    assert.deepEqual(await flags('email,name\r\na@example.com,Ann\r\nb@example.com,B\rB\r\nc@example.com,C\r\n'), [
      [2, false],
      [3, true],
      [4, false],
    ]);
    // A CR file has no LF at all (any LF makes it an LF file), so only quotes can hide a break.
    assert.deepEqual(await flags('email,name\ra@example.com,Ann\rb@example.com,"B\rB"\rc@example.com,C\r'), [
      [2, false],
      [3, true],
      [5, false],
    ]);
  });

  void it('reads LF files with quoted commas and doubled quotes, with field positions', async () => {
    const result = await collect(fixture('lf.csv'));
    assert.deepEqual(result.header, {
      names: ['email', 'first_name', 'last_name'],
      positions: [
        { line: 1, column: 1 },
        { line: 1, column: 7 },
        { line: 1, column: 18 },
      ],
      looksLikeData: false,
    });
    assert.deepEqual(result.records, [
      { line: 2, index: 1, fields: ['ada@example.com', 'Ada', 'Abelsen, Jr.'], at: ['2:1', '2:17', '2:21'] },
      { line: 3, index: 2, fields: ['bram@example.org', 'Bram "B"', 'Brightwater'], at: ['3:1', '3:20', '3:33'] },
    ]);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.summary, { rows: 2, bytes: 106, lineBreak: '\n', delimiter: ',', encoding: 'utf-8' });
  });

  void it('locates a quoted, multi-line header in one pass: the same places as field by field', async () => {
    const result = await collect(tempFile('"e,mail","two\nlines",x,"q""q"\nann@example.com,a,b,c\n'));
    assert.deepEqual(result.header?.positions, [
      { line: 1, column: 1 },
      { line: 1, column: 10 },
      { line: 2, column: 8 },
      { line: 2, column: 10 },
    ]);
  });

  void it('refuses a header over MAX_COLUMNS, at the first column past it, and reads no record', async () => {
    const result = await collect(tempFile(`${Array.from({ length: MAX_COLUMNS + 5 }, (_, index) => `c${index}`).join(',')}\nann@example.com\n`));
    assert.equal(result.header, undefined);
    assert.deepEqual(result.records, []);
    const column = Array.from({ length: MAX_COLUMNS }, (_, index) => `c${index},`).join('').length + 1;
    assert.deepEqual(result.problems, [{ kind: 'too-many-columns', line: 1, column, message: `the header has ${MAX_COLUMNS + 5} columns, over the limit of ${MAX_COLUMNS}: the list is not read further` }]);
  });

  void it('strips the BOM, handles CRLF, and puts fields after a multi-line field on the later line', async () => {
    const result = await collect(fixture('bom-crlf-multiline.csv'));
    assert.deepEqual(result.header, {
      names: ['email', 'first_name', 'notes'],
      positions: [
        { line: 1, column: 1 },
        { line: 1, column: 7 },
        { line: 1, column: 18 },
      ],
      looksLikeData: false,
    });
    assert.deepEqual(result.records, [
      { line: 2, index: 1, fields: ['cleo@example.com', 'Cleo', 'two\r\nlines, here'], at: ['2:1', '2:18', '2:23'] },
      { line: 4, index: 2, fields: ['dario@example.test', 'Dario', 'plain'], at: ['4:1', '4:20', '4:26'] },
    ]);
    assert.deepEqual(result.problems, []);
  });

  void it('locates a field that follows a multi-line quoted field on the same record', async () => {
    const path = tempFile('email,notes,city\r\nada@example.com,"a\r\nb\r\nc",Springfield\r\nbram@example.com,x,y\r\n');
    const result = await collect(path);
    assert.deepEqual(result.records[0]?.at, ['2:1', '2:17', '4:4']);
    assert.deepEqual(result.records[1], { line: 5, index: 2, fields: ['bram@example.com', 'x', 'y'], at: ['5:1', '5:18', '5:20'] });
  });

  void it('reports ragged rows at their line and keeps reading', async () => {
    const result = await collect(fixture('ragged.csv'));
    assert.deepEqual(result.problems, [
      { kind: 'ragged-row', line: 3, column: 1, message: 'record 2 has 1 fields; the header has 2' },
      { kind: 'ragged-row', line: 4, column: 25, message: 'record 3 has 3 fields; the header has 2' },
    ]);
    assert.deepEqual(
      result.records.map((record) => [record.line, record.index, record.fields.length]),
      [
        [2, 1, 2],
        [3, 2, 1],
        [4, 3, 3],
        [5, 4, 2],
      ],
    );
  });

  void it('stops cleanly at an unterminated quote, reporting the opening quote', async () => {
    const result = await collect(fixture('unterminated.csv'));
    assert.deepEqual(result.problems, [
      {
        kind: 'unterminated-quote',
        line: 3,
        column: 19,
        message: 'quoted field is never closed: the rest of the file cannot be read as records',
      },
    ]);
    assert.deepEqual(
      result.records.map((record) => record.line),
      [2],
    );
    assert.equal(result.summary.rows, 1);
  });

  void it('stops at a record longer than maxRecordLength instead of buffering the rest of the file', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `user${i}@example.com,x`).join('\n');
    const path = tempFile(`email,name\nada@example.com,"never closed\n${rows}\n`);
    const result = await collect(path, { chunkSize: 1024, maxRecordLength: 4096 });
    assert.deepEqual(result.problems, [
      {
        kind: 'unterminated-quote',
        line: 2,
        column: 17,
        message: 'quoted field is never closed: the rest of the file cannot be read as records',
      },
    ]);
    assert.equal(result.summary.rows, 0);
  });

  void it('reports a quote followed by other characters once, at the opening quote', async () => {
    const result = await collect(fixture('invalid-quote.csv'));
    const [first] = result.problems;
    assert.ok(first);
    assert.deepEqual([first.kind, first.line, first.column], ['invalid-quote', 2, 18]);
    assert.equal(result.problems.filter((problem) => problem.kind === 'invalid-quote').length, 1);
  });

  void it('reports invalid UTF-8 at its line and column, and reads on', async () => {
    const result = await collect(fixture('invalid-utf8.csv'));
    assert.deepEqual(result.problems, [
      {
        kind: 'invalid-utf8',
        line: 3,
        column: 19,
        message: 'this line is the first that is not valid UTF-8 (its bytes look like Windows-1252); later ones are not listed: re-export the file as CSV UTF-8',
        encoding: 'windows-1252',
      },
    ]);
    assert.deepEqual(
      result.records.map((record) => record.line),
      [2, 3, 4],
    );
  });

  void it('does not mistake a real U+FFFD character for invalid UTF-8', async () => {
    const result = await collect(tempFile('email,name\nada@example.com,A\uFFFDa\n'));
    assert.deepEqual(result.problems, []);
    assert.equal(result.records[0]?.fields[1], 'A\uFFFDa');
  });

  void it('finds invalid UTF-8 split across chunk boundaries and at the end of the file', async () => {
    const head = Buffer.from('email,name\nada@example.com,caf');
    const body = Buffer.concat([head, Buffer.from([0xc3, 0xa9]), Buffer.from('\nbram@example.com,x'), Buffer.from([0xe2, 0x82])]);
    for (const chunkSize of [4, 7, 1024]) {
      const result = await collect(tempFile(body), { chunkSize });
      assert.deepEqual(
        result.problems.map((problem) => [problem.kind, problem.line, problem.column]),
        [['invalid-utf8', 3, 19]],
        `chunk size ${chunkSize}`,
      );
      assert.equal(result.records[0]?.fields[1], 'café');
    }
  });

  void it('gives the same records and positions whatever the chunk size', async () => {
    const expected = await collect(fixture('bom-crlf-multiline.csv'));
    for (const chunkSize of [1, 2, 3, 5, 16]) {
      assert.deepEqual(await collect(fixture('bom-crlf-multiline.csv'), { chunkSize }), expected, `chunk size ${chunkSize}`);
    }
  });

  void it('finds the same rows whether a text is taken whole or row by row (space after a closing quote, doubled quotes, blank lines)', async () => {
    // A quoted field followed by spaces is a row papaparse accepts but the whole-text path does
    // not predict: that text is parsed again row by row. The positions must not depend on it.
    const content = 'email,name\na@example.com,"Ann ""A"" Lee"\n\nb@example.com,"Bo"  \nc@example.com,"C, ""x"""\nd@example.com,D\n';
    const expected = {
      fields: [
        ['a@example.com', 'Ann "A" Lee'],
        ['b@example.com', 'Bo'],
        ['c@example.com', 'C, "x"'],
        ['d@example.com', 'D'],
      ],
      lines: [2, 4, 5, 6],
      at: [
        ['2:1', '2:15'],
        ['4:1', '4:15'],
        ['5:1', '5:15'],
        ['6:1', '6:15'],
      ],
    };
    for (const chunkSize of [1, 7, 1 << 16]) {
      const result = await collect(tempFile(content), { chunkSize });
      assert.deepEqual(result.problems, []);
      assert.deepEqual(
        { fields: result.records.map((r) => r.fields), lines: result.records.map((r) => r.line), at: result.records.map((r) => r.at) },
        expected,
        `chunk size ${chunkSize}`,
      );
    }
  });

  void it('removes the BOM only at the start of the file, whatever the chunking', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('email,note\nada@example.com,'), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x\n')]);
    for (const chunkSize of [3, 4, 30, 1024]) {
      const result = await collect(tempFile(body), { chunkSize });
      assert.deepEqual(result.header?.names, ['email', 'note'], `chunk size ${chunkSize}`);
      assert.deepEqual(result.records[0]?.fields, ['ada@example.com', '\uFEFFx'], `chunk size ${chunkSize}`);
    }
  });

  void it('reports an empty file', async () => {
    const result = await collect(fixture('empty.csv'));
    assert.deepEqual(result.problems, [{ kind: 'empty-file', line: 1, column: 1, message: 'the file has no header row and no records' }]);
    assert.equal(result.header, undefined);
    assert.deepEqual(result.summary, { rows: 0, bytes: 0, lineBreak: '\n', delimiter: ',', encoding: 'utf-8' });
  });

  void it('treats a BOM-only file as empty', async () => {
    const result = await collect(tempFile(Buffer.from([0xef, 0xbb, 0xbf])));
    assert.deepEqual(
      result.problems.map((problem) => problem.kind),
      ['empty-file'],
    );
  });

  void it('accepts a header-only file with no records and no problem', async () => {
    const result = await collect(fixture('header-only.csv'));
    assert.deepEqual(result.header?.names, ['email', 'name']);
    assert.deepEqual(result.records, []);
    assert.deepEqual(result.problems, []);
  });

  void it('skips blank lines but counts them for line numbers', async () => {
    const result = await collect(fixture('blank-lines.csv'));
    assert.deepEqual(
      result.records.map((record) => [record.line, record.index]),
      [[3, 1]],
    );
    assert.deepEqual(result.problems, []);
  });

  void it('reports a repeated column name (ignoring case) at the repeat', async () => {
    const result = await collect(fixture('duplicate-column.csv'));
    assert.deepEqual(result.problems, [{ kind: 'duplicate-column', line: 1, column: 12, message: 'column 3 repeats the name of column 1' }]);
  });

  void it('reports a first row that looks like data as a missing header', async () => {
    const result = await collect(tempFile('ada@example.com,Ada\nbram@example.com,Bram\n'));
    assert.deepEqual(result.problems, [
      {
        kind: 'missing-header',
        line: 1,
        column: 1,
        message: 'the first row looks like data (column 1 holds an address, a phone number or a token): the list seems to lack a header row; add one naming the columns',
      },
    ]);
  });

  void it('reports a missing file as a read error', async () => {
    const result = await collect(fixture('does-not-exist.csv'));
    assert.deepEqual(result.problems, [{ kind: 'read-error', line: 1, column: 1, message: 'cannot read the file (ENOENT)' }]);
  });

  void it('reports a directory as a read error', async () => {
    const result = await collect(fileURLToPath(new URL('../fixtures/csv/', import.meta.url)));
    assert.deepEqual(
      result.problems.map((problem) => problem.kind),
      ['read-error'],
    );
  });

  void it('never puts a cell value in a problem message', async () => {
    const all: CsvProblem[] = [];
    for (const name of ['ragged.csv', 'unterminated.csv', 'invalid-utf8.csv', 'invalid-quote.csv', 'duplicate-column.csv']) {
      all.push(...(await collect(fixture(name))).problems);
    }
    assert.ok(all.length >= 6);
    for (const problem of all) assert.doesNotMatch(problem.message, /example|Jonas|Greta|Vera|Oona/);
  });

  void it('reports progress in bytes and rows', async () => {
    const progress: { bytes: number; rows: number; totalBytes: number }[] = [];
    await readCsv(
      fixture('lf.csv'),
      { onRecord: () => undefined, onProblem: () => undefined, onProgress: (p) => progress.push(p) },
      { chunkSize: 64 },
    );
    assert.deepEqual(progress, [
      { bytes: 64, totalBytes: 106, rows: 1 },
      { bytes: 106, totalBytes: 106, rows: 2 },
    ]);
  });
});

void describe('dialects and encodings (recipient and suppression lists alike)', () => {
  const text = 'name;email\r\n"Zoë\r\nZ";z@example.com\r\n\r\nÉmile;e@example.org\r\n"🙂; ok";s@example.net\r\nAnn;a@example.com\r\n';
  const encodings = {
    'utf-16le': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    'utf-16be': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
  };
  for (const [encoding, content] of Object.entries(encodings)) {
    void it(`reads ${encoding} with a BOM: fields, positions and byte offsets whatever the chunking (units and surrogate pairs cut between reads)`, async () => {
      const decode = (bytes: Buffer): string => new TextDecoder(encoding).decode(bytes);
      for (const chunkSize of [1, 2, 3, 5, 7, 64, 1 << 16]) {
        const starts: string[] = [];
        const result = await collect(tempFile(content), { chunkSize });
        await readCsv(tempFile(content), { onRecord: (record) => starts.push(decode(content.subarray(record.byteOffset, record.byteOffset + 8))), onProblem: (problem) => assert.fail(problem.message) }, { chunkSize });
        assert.deepEqual(result.problems, [], `chunk size ${chunkSize}`);
        assert.deepEqual(result.header?.names, ['name', 'email']);
        assert.deepEqual(
          result.records.map((record) => [record.fields, record.at.join(' ')]),
          [
            [['Zoë\r\nZ', 'z@example.com'], '2:1 3:4'],
            [['Émile', 'e@example.org'], '5:1 5:7'],
            [['🙂; ok', 's@example.net'], '6:1 6:10'],
            [['Ann', 'a@example.com'], '7:1 7:5'],
          ],
          `chunk size ${chunkSize}`,
        );
        assert.deepEqual(starts, ['"Zoë', 'Émil', '"🙂;', 'Ann;'], `chunk size ${chunkSize}`);
        assert.deepEqual({ ...result.summary, bytes: 0 }, { rows: 4, bytes: 0, lineBreak: '\r\n', delimiter: ';', encoding });
      }
    });
  }

  void it('reads declared Windows-1252 (é, €, the C1 range as browsers map it) with byte offsets, whatever the chunking', async () => {
    const content = Buffer.concat([Buffer.from('email\tname\nrenee@example.com\tRen'), Buffer.from([0xe9, 0x65, 0x20, 0x80]), Buffer.from('\nann@example.com\tAnn\n')]);
    for (const chunkSize of [1, 3, 1 << 16]) {
      const offsets: number[] = [];
      const result = await collect(tempFile(content), { chunkSize, encoding: 'windows-1252' });
      await readCsv(tempFile(content), { onRecord: (record) => offsets.push(record.byteOffset), onProblem: () => undefined }, { chunkSize, encoding: 'windows-1252' });
      assert.deepEqual(result.problems, []);
      assert.deepEqual(result.records.map((record) => record.fields), [['renee@example.com', 'Renée €'], ['ann@example.com', 'Ann']], `chunk size ${chunkSize}`);
      assert.deepEqual(offsets, [11, 37], `chunk size ${chunkSize}`);
      assert.equal(result.summary.encoding, 'windows-1252');
      assert.equal(result.summary.delimiter, '\t');
    }
  });

  void it('gives ONE invalid-utf8 problem for a Windows-1252 export with an accent on every line, at the first, with the encoding to declare', async () => {
    const lines = ['email,name', ...Array.from({ length: 500 }, (_, i) => `p${i}@example.com,Ren\u00e9e`)];
    const result = await collect(tempFile(Buffer.from(`${lines.join('\n')}\n`, 'latin1')), { chunkSize: 4096 });
    assert.deepEqual(
      result.problems.map((problem) => [problem.kind, problem.line, problem.column, problem.encoding]),
      [['invalid-utf8', 2, 19, 'windows-1252']],
    );
    assert.equal(result.records.length, 500);
  });

  void it('says nothing of what invalid bytes look like when they are not single-byte text, and still names windows-1252 to declare', async () => {
    const result = await collect(tempFile(Buffer.concat([Buffer.from('email\na@example.com\xc3'.slice(0, 19)), Buffer.from([0xc3, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xe2, 0x82, 0xac, 0x0a])])));
    assert.deepEqual(
      result.problems.map((problem) => [problem.kind, problem.line, problem.encoding, problem.message]),
      [['invalid-utf8', 2, 'windows-1252', 'this line is the first that is not valid UTF-8; later ones are not listed: re-export the file as CSV UTF-8']],
    );
  });

  void it('decides the dialect: BOM over declaration, declaration over guess, UTF-16 guessed from zero bytes, delimiter sniffed or declared', () => {
    const ascii = (value: string): Buffer => Buffer.from(value, 'latin1');
    const le = (value: string): Buffer => Buffer.from(value, 'utf16le');
    const cases: [string, Buffer, Parameters<typeof dialectOf>[2], Partial<CsvDialect>][] = [
      ['plain UTF-8', ascii('email;name\na@example.com;A\n'), {}, { delimiter: ';', delimiterSource: 'sniffed', encoding: 'utf-8', encodingSource: 'default', bomLength: 0, lineBreakLength: 1 }],
      ['UTF-8 BOM, CRLF, TAB', Buffer.from('\uFEFFemail\tname\r\n', 'utf8'), {}, { delimiter: '\t', encoding: 'utf-8', encodingSource: 'bom', bomLength: 3, lineBreakLength: 2 }],
      ['UTF-16LE BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), le('email|name\r\n')]), {}, { delimiter: '|', encoding: 'utf-16le', encodingSource: 'bom', bomLength: 2, lineBreakLength: 4 }],
      ['BOM wins over a declaration', Buffer.concat([Buffer.from([0xff, 0xfe]), le('email,name\n')]), { encoding: 'windows-1252' }, { encoding: 'utf-16le', encodingSource: 'bom' }],
      ['declared', ascii('email,name\n'), { encoding: 'windows-1252', delimiter: ';' }, { delimiter: ';', delimiterSource: 'declared', encoding: 'windows-1252', encodingSource: 'declared' }],
      ['UTF-16LE without BOM', le('email,name\na@example.com,A\n'), {}, { delimiter: ',', encoding: 'utf-16le', encodingSource: 'guessed', bomLength: 0, lineBreakLength: 2 }],
      ['UTF-16BE without BOM', le('email,name\na@example.com,A\n').swap16(), {}, { encoding: 'utf-16be', encodingSource: 'guessed' }],
      ['a declaration wins over the guess', le('email,name\na@example.com,A\n'), { encoding: 'utf-8' }, { encoding: 'utf-8', encodingSource: 'declared' }],
      ['too short to guess', le('e,n\n'), {}, { encoding: 'utf-8', encodingSource: 'default' }],
    ];
    for (const [name, bytes, declared, expected] of cases) {
      const dialect = dialectOf(bytes, true, declared);
      assert.deepEqual(Object.fromEntries(Object.keys(expected).map((key) => [key, dialect[key as keyof CsvDialect]])), expected, name);
    }
  });
});
