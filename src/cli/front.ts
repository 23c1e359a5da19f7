/**
 * Entry point of the front bundle (dist/bin/campaign-lint-front.cjs): the command line without
 * the linter, for `--cache` runs. scripts/build-cli.mjs builds it from the same sources as the
 * whole command line, with the linter, the rules' code, payload linting and every command but
 * lint replaced by modules that throw EngineNeeded. So a hit runs the same code as in the whole
 * command line (config, discovery, cache keys, formatters) and prints the same bytes; a miss, or
 * anything else this bundle cannot do, gives no answer, and the launcher runs the whole command.
 *
 * Its output is held until the end: the front writes nothing (no file, no cache, no output) before
 * it knows it can answer. The cache file and `--output-file` are written after every campaign was
 * a hit, as in the whole command line.
 */
import { tty } from '../core/lazy-builtins.js';
import { main } from './main.js';
import type { Output } from './io.js';

export interface FrontAnswer {
  code: number;
  /** Every write in the order it was made (1: stdout, 2: stderr): `2>&1` and a pre-commit hook read one pipe. */
  writes: [fd: 1 | 2, text: string][];
}

class HeldOutput implements Output {
  private tty: boolean | undefined;
  constructor(
    private readonly fd: 1 | 2,
    private readonly writes: [1 | 2, string][],
  ) {}
  /**
   * Whether the real stream is a terminal, asked only when something asks (colours, the progress
   * bar): not process.stdout.isTTY, which makes the stream, nor a static node:tty import, which
   * loads node:net; a run that prints nothing, as with --output-file, needs neither.
   */
  get isTTY(): boolean {
    this.tty ??= tty().isatty(this.fd);
    return this.tty;
  }
  write(text: string): boolean {
    if (text !== '') this.writes.push([this.fd, text]);
    return true;
  }
}

/** The run's exit code and output, or undefined when the whole command line must run. */
export async function answerFromCache(argv: string[]): Promise<FrontAnswer | undefined> {
  const writes: [1 | 2, string][] = [];
  const stdout = new HeldOutput(1, writes);
  const stderr = new HeldOutput(2, writes);
  try {
    const code = await main(argv, { cwd: process.cwd(), env: process.env, stdout, stderr });
    // An error (exit 2) is left to the whole command line, which reports it the same way.
    return code === 2 ? undefined : { code, writes };
  } catch {
    return undefined;
  }
}
