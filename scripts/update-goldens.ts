// Rewrites every test/fixtures/err/<case>/expected.txt from the current code.
// Review the diff (git diff test/fixtures) before committing: it is the spec of what users see.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EXPECTED_FILE, fixtureCases, renderCase } from '../test/helpers/golden.js';

let changed = 0;
for (const caseDir of fixtureCases('err')) {
  const path = join(caseDir, EXPECTED_FILE);
  const next = await renderCase(caseDir);
  let previous = '';
  try {
    previous = readFileSync(path, 'utf8');
  } catch {
    // a new case
  }
  if (previous !== next) {
    writeFileSync(path, next);
    changed++;
    console.log(`updated ${basename(caseDir)}`);
  }
}
for (const caseDir of fixtureCases('ok')) {
  const output = await renderCase(caseDir);
  if (output !== '') console.log(`ok/${basename(caseDir)} is not clean:\n${output}`);
}
console.log(`${changed} golden file(s) changed`);
