/**
 * SPEC §8 for the CI formats: they print message text (already masked by the
 * rules) and positions, never source text, so an address that is only in the
 * source cannot reach a log, summary or code-scanning alert.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Formatter, LintResult } from '../../src/core/types.js';
import github from '../../src/formatters/github.js';
import junit from '../../src/formatters/junit.js';
import markdown from '../../src/formatters/markdown.js';
import sarif from '../../src/formatters/sarif.js';
import { makeFormatterContext, sampleResults } from '../helpers/sample-results.js';

const formatters: Record<string, Formatter> = { sarif, github, junit, markdown };
/** How each format spells the masked address that the rules put in messages. */
const maskedAs: Record<string, string> = {
  sarif: 'j***@example.com',
  github: 'j***@example.com',
  junit: 'j***@example.com',
  markdown: 'j\\*\\*\\*\\@example.com',
};
const UNMASKED = 'jane.doe@example.com';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

for (const [name, format] of Object.entries(formatters)) {
  await test(`${name}: prints no source text, only the masked messages`, () => {
    let sourceReads = 0;
    const context = makeFormatterContext({
      sourceOf: () => {
        sourceReads += 1;
        return `version: 1\nto: "{{email}}"\ncc: ["${UNMASKED}"]\n`;
      },
    });
    const output = format(sampleResults(), context);
    assert.equal(sourceReads, 0);
    assert.equal(output.includes(UNMASKED), false);
    assert.equal(output.includes('jane.doe'), false);
    assert.ok(output.includes(maskedAs[name] ?? '?'), 'the masked form from the message is kept');
  });

  await test(`${name}: pure: frozen input, same output twice`, () => {
    const results: LintResult[] = deepFreeze(sampleResults());
    const context = makeFormatterContext();
    assert.equal(format(results, context), format(results, context));
  });
}
