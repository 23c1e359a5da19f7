import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lint } from '../../src/core/lint.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));
export const EXPECTED_FILE = 'expected.txt';

export function fixtureCases(kind: 'ok' | 'err'): string[] {
  const dir = join(FIXTURES, kind);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(dir, entry.name))
    .sort();
}

/**
 * A case's findings as stable text, one per line (actionlint-style goldens):
 * `file:line:col: severity rule-id: message`, paths relative to the case.
 * A case may carry its own campaign-lint.config.yaml; otherwise the shared
 * fixtures config applies.
 */
export async function renderCase(caseDir: string): Promise<string> {
  const own = join(caseDir, 'campaign-lint.config.yaml');
  const run = await lint({
    cwd: caseDir,
    patterns: ['.'],
    configFile: existsSync(own) ? own : join(FIXTURES, 'campaign-lint.config.yaml'),
  });
  const lines = run.results.flatMap((result) =>
    result.messages.map((message) => {
      const severity = message.severity === 2 ? 'error' : 'warning';
      return `${relative(caseDir, result.filePath)}:${message.line}:${message.column}: ${severity} ${message.ruleId ?? '(fatal)'}: ${message.message}`;
    }),
  );
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
