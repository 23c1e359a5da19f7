/**
 * Property-based fuzzing of the three input paths (YAML, CSV, templates): whatever the
 * bytes, linting never throws, every finding lies inside the file it names, and the JSON
 * output parses. `npm test` runs a bounded number of cases; `npm run fuzz` runs many more
 * (FUZZ_RUNS, default 2000).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
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
