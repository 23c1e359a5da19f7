// The reader's split of non-final texts (splitRows) against papaparse's chunk parser on the same
// text: the same rows, fields and cursor whenever splitRows answers (it may decline with -1 and
// leave the text to papaparse), on texts from an alphabet of the characters that matter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import Papa from 'papaparse';
import { splitRows } from '../../src/parsers/csv.js';

const SEED = Number(process.env.FUZZ_SEED ?? 1914);
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);

interface ChunkParser {
  parse(input: string, baseIndex: number, ignoreLastRow: boolean): { data: string[][]; errors: unknown[]; meta: { cursor: number } };
}
const ChunkParser = Papa.Parser as unknown as new (config: object) => ChunkParser;

function papaRows(text: string, delimiter: string, lineBreak: string) {
  const parsed = new ChunkParser({ delimiter, quoteChar: '"', newline: lineBreak, fastMode: false }).parse(text, 0, true);
  return parsed;
}


/** Where each row papaparse returned ends, from its own step parser (the cursor after each row). */
function papaEnds(text: string, delimiter: string, lineBreak: string): number[] {
  const ends: number[] = [];
  new ChunkParser({ delimiter, quoteChar: '"', newline: lineBreak, fastMode: false, step: (result: { meta: { cursor: number } }) => ends.push(result.meta.cursor) }).parse(text, 0, true);
  return ends;
}

for (const [lineBreak, delimiter] of [['\n', ','], ['\r\n', ','], ['\r', ','], ['\n', ';'], ['\r\n', '\t']] as const) {
  test(`splitRows matches papaparse (line break ${JSON.stringify(lineBreak)}, delimiter ${JSON.stringify(delimiter)})`, () => {
    const alphabet = ['a', 'b', 'é', ' ', delimiter, ',', '"', '""', '\n', '\r', '\r\n', lineBreak, lineBreak, '"x"', '" "'];
    const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((parts) => parts.join(''));
    let answered = 0;
    fc.assert(
      fc.property(text, (input) => {
        const data: string[][] = [];
        const ends: number[] = [];
        const plain: boolean[] = [];
        const cursor = splitRows(input, delimiter, lineBreak, data, ends, plain);
        if (cursor === -1) return;
        const reference = papaRows(input, delimiter, lineBreak);
        // papaparse reports a problem in a row that splitRows read: it never should. (A problem in
        // the unread rest is read again, with more text, by the reader.)
        const inRead = (reference.errors as { index: number }[]).filter((error) => error.index < cursor);
        if (inRead.length > 0) assert.fail(`splitRows read ${JSON.stringify(input)}, papaparse reports ${JSON.stringify(inRead)}`);
        answered++;
        assert.deepEqual(data, reference.data, JSON.stringify(input));
        assert.equal(cursor, reference.meta.cursor, JSON.stringify(input));
        assert.deepEqual(ends, papaEnds(input, delimiter, lineBreak).slice(0, data.length), JSON.stringify(input));
        data.forEach((fields, index) => {
          const start = index === 0 ? 0 : (ends[index - 1] ?? 0);
          const content = input.slice(start, (ends[index] ?? 0) - lineBreak.length);
          assert.equal(plain[index], content === fields.join(delimiter), `plain of row ${index} in ${JSON.stringify(input)}`);
        });
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The property must have been tested, not declined every time.
    assert.ok(answered > RUNS / 4, `splitRows answered only ${answered} of ${RUNS} texts`);
  });
}

test('splitRows: a quote-free row and a quoted row with doubled quotes and a line break inside', () => {
  const data: string[][] = [];
  const ends: number[] = [];
  const plain: boolean[] = [];
  const text = 'a,b\n"x ""y""\nz",c\nrest';
  assert.equal(splitRows(text, ',', '\n', data, ends, plain), text.indexOf('rest'));
  assert.deepEqual(data, [['a', 'b'], ['x "y"\nz', 'c']]);
  assert.deepEqual(ends, [4, text.indexOf('rest')]);
  assert.deepEqual(plain, [true, false]);
  // Spaces after a closing quote: papaparse's own rule, left to papaparse.
  assert.equal(splitRows('"a"  ,b\n', ',', '\n', data, ends, plain), -1);
  // An LF alone in a CRLF file is data: left to papaparse.
  assert.equal(splitRows('a\nb,c\r\n', ',', '\r\n', data, ends, plain), -1);
});
