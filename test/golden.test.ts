import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { EXPECTED_FILE, fixtureCases, renderCase } from './helpers/golden.js';

for (const caseDir of fixtureCases('ok')) {
  test(`fixtures/ok/${basename(caseDir)} lints clean`, async () => {
    assert.equal(await renderCase(caseDir), '');
  });
}

for (const caseDir of fixtureCases('err')) {
  test(`fixtures/err/${basename(caseDir)} matches ${EXPECTED_FILE}`, async () => {
    const expected = readFileSync(join(caseDir, EXPECTED_FILE), 'utf8');
    assert.notEqual(expected, '', 'an err case must expect at least one finding');
    assert.equal(await renderCase(caseDir), expected, 'run `npm run update-goldens` and review the diff if the change is intended');
  });
}
