/**
 * A progress bar on stderr while a large recipient list is read. Only for a person watching a
 * terminal: never in CI, when stderr is not a terminal, or with a machine-readable format (its
 * consumers parse the output; a bar adds nothing to a log).
 */
import { basename } from 'node:path';
import type { Output } from './io.js';

/** Lists smaller than this finish before a bar would be worth reading. */
export const PROGRESS_MIN_ROWS = 100_000;
const REDRAW_MS = 100;
const BAR_WIDTH = 24;

export interface ProgressState {
  filePath: string;
  bytes: number;
  totalBytes: number;
  rows: number;
  elapsedMs: number;
}

export function shouldShowProgress(options: { stderr: Output; env: NodeJS.ProcessEnv; format: string }): boolean {
  const { env } = options;
  if (options.stderr.isTTY !== true || env.TERM === 'dumb') return false;
  // CI systems set CI (GitHub Actions, GitLab, CircleCI, Travis, Buildkite...); some only their own name.
  if ((env.CI !== undefined && env.CI !== '' && env.CI !== 'false') || env.GITHUB_ACTIONS === 'true' || env.BUILD_NUMBER !== undefined) return false;
  return options.format === 'stylish';
}

function formatCount(value: number): string {
  return Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.max(0, Math.ceil(seconds));
  return whole < 60 ? `${whole}s` : `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

/** One line of progress, without colour or control characters: `recipients.csv [#####-----] 45% 450,000 rows 310,000 rows/s ETA 2s`. */
export function renderProgress(state: ProgressState): string {
  const fraction = state.totalBytes > 0 ? Math.min(1, state.bytes / state.totalBytes) : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const seconds = state.elapsedMs / 1000;
  const rate = seconds > 0 ? state.rows / seconds : 0;
  const bytesPerSecond = seconds > 0 ? state.bytes / seconds : 0;
  const eta = bytesPerSecond > 0 ? (state.totalBytes - state.bytes) / bytesPerSecond : Number.POSITIVE_INFINITY;
  return `${basename(state.filePath)} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${formatCount(state.rows)} rows ${formatCount(rate)} rows/s ETA ${formatDuration(eta)}`;
}

export interface ProgressReporter {
  update: (progress: { filePath: string; bytes: number; totalBytes: number; rows: number }) => void;
  /** Erases the bar, so that the report starts on a clean line. */
  done: () => void;
}

/** Draws at most every 100 ms, and only for lists that look larger than PROGRESS_MIN_ROWS. */
export function createProgress(stderr: Output, now: () => number = () => performance.now()): ProgressReporter {
  let file: string | undefined;
  let started = 0;
  let lastDraw = 0;
  let drawn = false;
  const clear = () => {
    if (drawn) stderr.write('\r\x1b[K');
    drawn = false;
  };
  return {
    update(progress) {
      const time = now();
      if (progress.filePath !== file) {
        clear();
        file = progress.filePath;
        started = time;
        lastDraw = time;
      }
      if (progress.bytes >= progress.totalBytes) {
        clear();
        return;
      }
      if (time - lastDraw < REDRAW_MS) return;
      // The row count of the whole list, projected from the part read so far.
      const projected = progress.bytes > 0 ? (progress.rows * progress.totalBytes) / progress.bytes : 0;
      if (projected < PROGRESS_MIN_ROWS) return;
      lastDraw = time;
      stderr.write(`\r\x1b[K${renderProgress({ ...progress, elapsedMs: time - started })}`);
      drawn = true;
    },
    done: clear,
  };
}
