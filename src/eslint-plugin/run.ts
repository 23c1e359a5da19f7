/**
 * Runs the campaign-lint command on one campaign file, synchronously (ESLint's `parse` cannot
 * wait for a promise), and returns its JSON findings. The command runs with `--cache` in a
 * folder of the system's temporary directory, so an editor that lints a campaign on every save
 * pays for a 1M-row list once, then a cache hit (see docs/cache.md).
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CommandMessage {
  ruleId: string | null;
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fatal?: boolean;
}

export interface CommandResult {
  filePath: string;
  messages: CommandMessage[];
}

export const BIN = fileURLToPath(new URL('../bin/campaign-lint.js', import.meta.url));
export const CACHE_DIR = join(tmpdir(), 'campaign-lint-eslint');

/** The command's findings for `filePath`, or why it could not run (exit 2, no JSON). */
export function runCampaignLint(filePath: string, cwd: string): { results: CommandResult[] } | { error: string } {
  const run = spawnSync(process.execPath, [BIN, '--format', 'json', '--cache', '--cache-location', `${CACHE_DIR}/`, '--no-color', filePath], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
    windowsHide: true,
  });
  const firstLine = (text: string) => text.split('\n').find((line) => line.trim() !== '' && !line.includes('--cache')) ?? '';
  if (run.error) return { error: `campaign-lint could not be started (${run.error.message})` };
  if (run.status !== 0 && run.status !== 1) return { error: firstLine(run.stderr).replace(/^campaign-lint: /, '') || `campaign-lint exited with ${String(run.status)}` };
  try {
    return { results: JSON.parse(run.stdout) as CommandResult[] };
  } catch {
    return { error: 'campaign-lint printed no JSON report' };
  }
}
