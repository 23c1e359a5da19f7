import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CsvProblem } from '../../src/parsers/csv.js';
import { readSuppressionList } from '../../src/parsers/suppression.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));

void describe('readSuppressionList', () => {
  async function addresses(name: string): Promise<{ found: [string, number][]; problems: CsvProblem[] }> {
    const found: [string, number][] = [];
    const problems: CsvProblem[] = [];
    await readSuppressionList(fixture(name), {
      onAddress: (address, record) => found.push([address, record.line]),
      onProblem: (problem) => problems.push(problem),
    });
    return { found, problems };
  }

  void it('reads the email column, matching the header case-insensitively, skipping blanks', async () => {
    assert.deepEqual(await addresses('suppression.csv'), {
      found: [
        ['PAVEL@Example.COM', 2],
        ['quinn@example.org', 3],
        ['rosa@example.com', 5],
      ],
      problems: [],
    });
  });

  void it('keeps the first address of a header-less single-column list, and says the header is missing', async () => {
    const { found, problems } = await addresses('suppression-no-header.csv');
    assert.deepEqual(found, [
      ['soren@example.com', 1],
      ['tove@example.org', 2],
    ]);
    assert.deepEqual(
      problems.map((problem) => problem.kind),
      ['missing-header'],
    );
  });

  void it('reports a list with several columns and none named email', async () => {
    const { found, problems } = await addresses('suppression-no-email-column.csv');
    assert.deepEqual(found, []);
    assert.deepEqual(problems, [
      { kind: 'missing-column', line: 1, column: 1, message: 'suppression list has several columns and none is named "email"' },
    ]);
  });
});
