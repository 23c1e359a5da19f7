/**
 * Property-based fuzzing of the three input paths (YAML, CSV, templates): whatever the
 * bytes, linting never throws, every finding lies inside the file it names, and the JSON
 * output parses. `npm test` runs a bounded number of cases; `npm run fuzz` runs many more
 * (FUZZ_RUNS, default 2000).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import Papa from 'papaparse';
import { readCsv } from '../../src/parsers/csv.js';
import { isValidAddress, isValidAddressBytes, trimAddress } from '../../src/core/address.js';
import { AddressEncoder } from '../../src/core/address-set.js';
import { lintCampaign } from '../../src/core/linter.js';
import type { LintResult } from '../../src/core/types.js';
import json from '../../src/formatters/json.js';
import { VALID_CAMPAIGN, VALID_FILES, tempTree, testConfig } from '../helpers/campaign.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
// A fixed seed in `npm test` keeps CI deterministic; `npm run fuzz` explores (FUZZ_SEED=random).
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() : Number(process.env.FUZZ_SEED ?? 20261125);
const root = tempTree({ 'campaign.yaml': VALID_CAMPAIGN, ...VALID_FILES, 'body.html': '<p>x</p>' });
const config = testConfig(root, { approval: { required: 0 } });

/** Text with the characters that break parsers most often, mixed into plain text. */
const nastyText = fc
  .array(fc.oneof(fc.string(), fc.constantFrom('\n', '\r\n', '\r', '"', "'", ',', ':', '-', '#', '{{', '}}', '{{#if x}}', '{{/if}}', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\t', '\u0000', '\uFEFF', 'é', '\uD800', '@', 'a@example.com')), { maxLength: 60 })
  .map((parts) => parts.join(''));

/** A valid file with a random slice replaced: close to real input, so deep paths get exercised. */
const mutated = (base: string) =>
  fc.tuple(fc.nat({ max: base.length }), fc.nat({ max: 40 }), nastyText).map(([at, length, insert]) => base.slice(0, at) + insert + base.slice(at + length));

function checkPositions(results: LintResult[]): void {
  for (const result of results) {
    let text: string;
    try {
      text = readFileSync(result.filePath, 'utf8');
    } catch {
      continue;
    }
    // CSV lines follow the file's own convention (a stray CR inside an LF file is data); YAML counts CR, LF and CRLF.
    const lines = text.split(result.filePath.endsWith('.csv') ? /\r?\n/ : /\r\n|\r|\n/);
    for (const message of result.messages) {
      const where = `${result.filePath}:${message.line}:${message.column} ${String(message.ruleId)} ${message.message}`;
      assert.ok(Number.isInteger(message.line) && message.line >= 1 && message.line <= lines.length, `line out of file: ${where}`);
      const lineLength = lines[message.line - 1]?.length ?? 0;
      assert.ok(Number.isInteger(message.column) && message.column >= 1 && message.column <= lineLength + 1, `column out of line (${lineLength}): ${where}`);
    }
  }
  assert.doesNotThrow(() => JSON.parse(json(results, undefined as never)));
}

/** Lints with these files in place and checks the findings while they are still there. */
async function lintWith(files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, name), content);
  try {
    checkPositions((await lintCampaign(join(root, 'campaign.yaml'), config)).results);
  } finally {
    for (const [name, content] of Object.entries({ 'campaign.yaml': VALID_CAMPAIGN, ...VALID_FILES })) writeFileSync(join(root, name), content);
  }
}

test('YAML -> findings: never throws, positions inside the file, JSON parses', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(mutated(VALID_CAMPAIGN), nastyText), async (campaign) => {
      await (lintWith({ 'campaign.yaml': campaign }));
    }),
    { numRuns: RUNS, seed: SEED },
  );
});

test('CSV -> findings: never throws, positions inside the file, JSON parses', async () => {
  const csv = VALID_FILES['recipients.csv'] ?? '';
  await fc.assert(
    fc.asyncProperty(fc.oneof(mutated(csv), nastyText.map((text) => `email,first_name,consent,token\n${text}`)), async (recipients) => {
      await (lintWith({ 'recipients.csv': recipients }));
    }),
    { numRuns: RUNS, seed: SEED },
  );
});

test('template -> findings: never throws, positions inside the file, JSON parses', async () => {
  const body = VALID_FILES['body.txt'] ?? '';
  const withHtml = VALID_CAMPAIGN.replace('  text: body.txt\n', '  html: body.html\n  text: body.txt\n');
  await fc.assert(
    fc.asyncProperty(mutated(body), mutated('<p>Hello {{first_name}} <a href="https://mail.example.com/u/{{token}}">Unsubscribe</a></p>'), async (text, html) => {
      await (lintWith({ 'campaign.yaml': withHtml, 'body.txt': text, 'body.html': html }));
    }),
    { numRuns: RUNS, seed: SEED },
  );
});

/** A CSV field as a writer might produce it: plain, quoted with doubled quotes, or quoted with a line break. */
const plainField = fc.stringMatching(/^(?:[a-zA-Z0-9 .@éß€-]|🙂){0,8}$/);
const csvField = fc.oneof(
  plainField,
  // A CR alone is data in an unquoted field of an LF or CRLF file (inside it: a CR ending a
  // field before an LF would make that line break a CRLF).
  fc.tuple(plainField, fc.stringMatching(/^[a-z]{1,3}$/)).map(([before, after]) => `${before}\r${after}`),
  fc.stringMatching(/^[a-zA-Z0-9 ,"\n.@é-]{0,8}$/).map((value) => `"${value.replaceAll('"', '""')}"`),
  // papaparse allows spaces after a closing quote; the reader takes such texts row by row.
  fc.stringMatching(/^[a-z,]{0,4}$/).map((value) => `"${value}"  `),
);
const csvFile = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.boolean())
  .chain(([columns, lineBreak, bom, finalBreak]) =>
    // Ragged rows (a field fewer or more than the header) and blank lines (no field) too.
    fc.array(fc.array(csvField, { minLength: Math.max(0, columns - 1), maxLength: columns + 1 }), { minLength: 1, maxLength: 12 }).map((rows) => {
      const body = rows.map((row) => row.join(',').replaceAll('\n', lineBreak)).join(lineBreak);
      return { content: `${bom ? '\uFEFF' : ''}${body}${finalBreak ? lineBreak : ''}`, lineBreak };
    }),
  );

test('CSV reader: same fields as papaparse on the whole file; every location and byte offset points at its field, whatever the chunk size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'campaign-lint-reader-'));
  await fc.assert(
    fc.asyncProperty(csvFile, fc.constantFrom(1, 3, 17, 1 << 16), async ({ content, lineBreak }, chunkSize) => {
      const path = join(dir, 'list.csv');
      writeFileSync(path, content);
      const bytes = Buffer.from(content, 'utf8');
      const text = content.replace(/^\uFEFF/, '');
      const lines = text.split(lineBreak);
      const reference = Papa.parse<string[]>(text, { delimiter: ',', newline: lineBreak, quoteChar: '"' });
      // A quoted field with spaces after it at the very end of a file is one papaparse itself rejects.
      fc.pre(reference.errors.length === 0);
      // A file with CRs and no LF at all reads as using CR line breaks, by design.
      fc.pre(text.includes('\n') || !text.includes('\r'));
      const expected = reference.data.filter((row) => !(row.length === 1 && row[0] === ''));
      const seen: string[][] = [];
      const problems: string[] = [];
      await readCsv(
        path,
        {
          onHeader: (header) => seen.push(header.names),
          onRecord(record) {
            seen.push(record.fields);
            record.fields.forEach((value, index) => {
              const at = record.fieldLocation(index);
              const char = lines[at.line - 1]?.[at.column - 1] ?? '';
              // A field starts with its opening quote or its first character (or, when empty, a comma or the line's end).
              if (!(char === '"' || char === value[0] || (value === '' && (char === ',' || char === '')))) assert.fail(`field ${index} of record ${record.index} is not at ${at.line}:${at.column}`);
            });
            const startsThere = bytes.subarray(record.byteOffset).toString('utf8');
            const raw = record.fields[0] ?? '';
            assert.ok(startsThere.startsWith('"') || startsThere.startsWith(raw), `record ${record.index} is not at byte ${record.byteOffset}`);
          },
          onProblem: (problem) => problems.push(problem.kind),
        },
        { chunkSize },
      );
      // Random rows may be ragged, look like data in the header, repeat a column name or all be blank; nothing else.
      const allowed = new Set(['ragged-row', 'missing-header', 'duplicate-column', 'empty-file']);
      assert.deepEqual(problems.filter((kind) => !allowed.has(kind)), []);
      assert.deepEqual(seen, expected);
    }),
    { numRuns: RUNS * 5, seed: SEED },
  );
});

/** Address-like strings: the grammar's edge cases (label lengths, hyphens, dots, case, spaces, non-ASCII). */
const nearLimit = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 59, max: 66 }));
const edge = fc.constantFrom('', '', '', '-', '.', '_', 'é', 'Z', '\u212A');
const label = fc.tuple(edge, fc.constantFrom('a', 'B', '7'), nearLimit, edge).map(([start, letter, length, end]) => start + letter.repeat(length) + end);
const localPart = fc
  .array(fc.oneof(fc.constantFrom('a', 'Z', '.', '..', '+', "'", '!', '~', '"', ' ', '(', ',', ';', '[', '\\', 'é', '\u212A', '\u0130'), nearLimit.map((length) => 'q'.repeat(length))), { maxLength: 4 })
  .map((parts) => parts.join(''));
const space = fc.constantFrom('', '', ' ', '\t', '\u00A0', '\r\n');
const addressLike = fc
  .tuple(space, localPart, fc.constantFrom('@', '@', '@', '', '@@'), fc.array(label, { minLength: 1, maxLength: 5 }), space)
  .map(([before, local, at, labels, after]) => `${before}${local}${at}${labels.join('.')}${after}`);

test('address validity: the encoded-bytes check says what isValidAddress says of the trimmed value', () => {
  for (const caseSensitiveLocalPart of [false, true]) {
    const encoder = new AddressEncoder({ caseSensitiveLocalPart });
    fc.assert(
      fc.property(addressLike, (value) => {
        encoder.encode(value);
        const fast = encoder.ascii ? isValidAddressBytes(encoder.bytes, encoder.length) : isValidAddress(trimAddress(value));
        assert.equal(fast, isValidAddress(trimAddress(value)), JSON.stringify(value));
      }),
      { numRuns: RUNS * 100, seed: SEED },
    );
  }
});
