#!/usr/bin/env node
/**
 * The command's launcher. The command line itself is one CommonJS bundle beside this file
 * (campaign-lint.cjs), compiled here with the V8 code cache the build made by running it on the
 * examples (campaign-lint.cjs.cache). A pre-commit hook is a cold start every time, and most of
 * a cold start was V8 compiling 1.4 MB of JavaScript: with the cache it deserialises the
 * compiled functions instead (bench/startup.mjs: 3.7x -> 2.8x `node -e 0`).
 *
 * A cache V8 does not accept (another Node version, other V8 flags, a rebuilt bundle) is
 * ignored and the bundle compiles as usual; a missing one too (DEBUG=campaign-lint says which).
 * Nothing is written, except for the build: with CAMPAIGN_LINT_WRITE_CODE_CACHE set, the cache
 * is written to that path at exit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const bundlePath = fileURLToPath(new URL('./campaign-lint.cjs', import.meta.url));
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
if (process.env.DEBUG?.split(',').includes('campaign-lint') === true) {
  const state = cachedData === undefined ? 'missing' : script.cachedDataRejected === true ? 'rejected by V8' : 'used';
  process.stderr.write(`campaign-lint: code cache ${state} (${cachePath})\n`);
}
const writeCacheTo = process.env.CAMPAIGN_LINT_WRITE_CODE_CACHE;
if (writeCacheTo) {
  // After the run, so that the functions it compiled are in the cache too.
  process.once('exit', () => {
    writeFileSync(writeCacheTo, script.createCachedData());
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
