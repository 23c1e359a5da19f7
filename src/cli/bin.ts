#!/usr/bin/env node
/**
 * The command's launcher. The command line itself is one CommonJS bundle beside this file
 * (campaign-lint.cjs), compiled here with the V8 code cache the build made by running it on the
 * examples (campaign-lint.cjs.cache). A pre-commit hook is a cold start every time, and most of
 * a cold start was V8 compiling 1.4 MB of JavaScript: with the cache it deserialises the
 * compiled functions instead (bench/startup.mjs: 3.7x -> 2.8x `node -e 0`).
 *
 * With `--cache`, a second, smaller bundle goes first (campaign-lint-front.cjs, src/cli/front.ts):
 * the same command line without the linter, which answers when every campaign is a cache hit.
 * Loading the whole linter was most of a hit's time. When the front cannot answer, nothing it
 * did is kept (it writes nothing) and the whole command runs as without it.
 *
 * A cache V8 does not accept (another Node version, other V8 flags, a rebuilt bundle) is
 * ignored and the bundle compiles as usual; a missing one too (DEBUG=campaign-lint says which).
 * Nothing is written, except for the build: with CAMPAIGN_LINT_WRITE_CODE_CACHE set to a folder,
 * each bundle's cache is written there at exit.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const debug = process.env.DEBUG?.split(',').includes('campaign-lint') === true;

/** Compiles and runs one bundle of this folder (with its code cache), and returns its exports. */
function load(name: string): unknown {
  const bundlePath = fileURLToPath(new URL(`./${name}`, import.meta.url));
  const cachePath = `${bundlePath}.cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    // No cache: compile as usual.
  }
  // Node's own CommonJS wrapper, on the bundle's first line so that line numbers stay right. The
  // bundle is ASCII (esbuild's charset option), so Latin-1 reads it the same, without the UTF-8
  // validation: ≈ 5 ms of a 1.4 MB read at every start.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${readFileSync(bundlePath, 'latin1')}\n})`, {
    filename: bundlePath,
    ...(cachedData ? { cachedData } : {}),
  });
  if (debug) {
    const state = cachedData === undefined ? 'missing' : script.cachedDataRejected === true ? 'rejected by V8' : 'used';
    process.stderr.write(`campaign-lint: code cache ${state} (${cachePath})\n`);
  }
  const writeCachesTo = process.env.CAMPAIGN_LINT_WRITE_CODE_CACHE;
  if (writeCachesTo) {
    // After the run, so that the functions it compiled are in the cache too.
    process.once('exit', () => {
      writeFileSync(join(writeCachesTo, `${basename(bundlePath)}.cache`), script.createCachedData());
    });
  }
  const bundleModule = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void).call(
    bundleModule.exports,
    bundleModule.exports,
    createRequire(bundlePath),
    bundleModule,
    bundlePath,
    dirname(bundlePath),
  );
  return bundleModule.exports;
}

interface FrontAnswer {
  code: number;
  /** The writes in the order the command made them (1: stdout, 2: stderr). */
  writes: [1 | 2, string][];
}
interface Front {
  answerFromCache(argv: string[]): Promise<FrontAnswer | undefined>;
}

const FRONT = 'campaign-lint-front.cjs';

async function launch(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--cache') && existsSync(fileURLToPath(new URL(`./${FRONT}`, import.meta.url)))) {
    const answer = await (load(FRONT) as Front).answerFromCache(argv);
    if (answer !== undefined) {
      // In the order the command wrote them, as the whole command line prints them: one pipe (2>&1) sees the same bytes.
      for (const [fd, text] of answer.writes) (fd === 1 ? process.stdout : process.stderr).write(text);
      process.exitCode = answer.code;
      return;
    }
    if (debug) process.stderr.write('campaign-lint: not answered from the cache (a miss, an error, another command): loading the linter\n');
  }
  // The whole command line runs on load (src/cli/run.ts).
  load('campaign-lint.cjs');
}

void launch();
