// Bundles the command-line tool with esbuild: node scripts/build-cli.mjs.
// A pre-commit hook must feel instant. Most of a cold start was Node resolving, reading and
// compiling module files, so the command line is one CommonJS bundle (dist/bin/campaign-lint.cjs)
// that a small CommonJS launcher (dist/bin/campaign-lint.js, src/cli/bin.ts) compiles with a V8 code
// cache. The cache is made here, by running the command on the examples: it holds the
// functions a lint compiles. The library API (dist/index.js) stays plain tsc output.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { commonOptions, root } from './esbuild-common.mjs';

const outdir = resolve(root, 'dist/bin');

// fdir (tinyglobby's walker) loads picomatch through its own createRequire, which esbuild cannot
// see: at run time Node resolved, read and compiled picomatch from node_modules, outside the
// bundle and its code cache, whenever a glob ran (a config's suppression globs, a folder that is
// not a git repository). The same require, written so that esbuild sees it, uses the picomatch
// the bundle already holds (campaign-lint's own dependency, which is also what that require
// found from dist/bin).
const fdirPicomatch = {
  name: 'fdir-bundled-picomatch',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const written = '__require.resolve("picomatch");\n\tpm = __require("picomatch");';
      if (!source.includes(written)) throw new Error(`build-cli: fdir no longer loads picomatch as ${JSON.stringify(written)}; update the fdir-bundled-picomatch plugin`);
      return { contents: source.replace(written, 'pm = require("picomatch");'), loader: 'js' };
    });
  },
};

// nodemailer's composer imports its URL fetcher (node:http, node:https, node:zlib) at the top of
// mime-node and shared, and esbuild turns those imports into requires run at start-up. The audit
// composes messages from strings and never fetches, so the fetcher is bundled behind a function
// that requires it on its first call: the three builtins (and what they load: tls, _http_*) are
// no longer compiled at every start. Measured with bench/startup.mjs.
const lazyFetch = {
  name: 'lazy-nodemailer-fetch',
  setup(builder) {
    builder.onResolve({ filter: /^\.\.\/fetch\/index\.js$/ }, (args) =>
      /[\\/]nodemailer[\\/]dist[\\/]esm[\\/]/.test(args.importer) ? { path: resolve(args.resolveDir, args.path), namespace: 'lazy-nodemailer-fetch' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'lazy-nodemailer-fetch' }, (args) => ({
      contents: `let real;\nexport default function nmfetch(...args) {\n  real ??= require(${JSON.stringify(args.path)}).default;\n  return real(...args);\n}\n`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};
/**
 * The front bundle (src/cli/front.ts, see there and src/cli/bin.ts): these sources are replaced by
 * modules that throw EngineNeeded, so that neither they nor anything only they import is in it.
 * What is left is the command line, the config, discovery, the cache and the formatters.
 */
const engineNeeded = resolve(root, 'src/cli/engine-needed.ts');
const throwing = `import { EngineNeeded } from ${JSON.stringify(engineNeeded)};\nthrow new EngineNeeded();\n`;
const frontStubs = new Map([
  ['src/core/linter.ts', `import { EngineNeeded } from ${JSON.stringify(engineNeeded)};\nexport function lintCampaign() { throw new EngineNeeded(); }\nexport function reportOnce() { throw new EngineNeeded(); }\n`],
  ['src/payloads/lint.ts', `import { EngineNeeded } from ${JSON.stringify(engineNeeded)};\nexport function lintPayload() { throw new EngineNeeded(); }\n`],
  [
    'src/rules/index.ts',
    [
      `import { EngineNeeded } from ${JSON.stringify(engineNeeded)};`,
      `export { ruleMetas } from ${JSON.stringify(resolve(root, 'src/generated/rule-metas.ts'))};`,
      `export { DOCS_BASE_URL, docsUrl } from ${JSON.stringify(resolve(root, 'src/rules/_docs-url.ts'))};`,
      'export const rules = new Proxy([], { get() { throw new EngineNeeded(); } });',
      'export function findRule() { throw new EngineNeeded(); }',
      '',
    ].join('\n'),
  ],
  ['src/policy/print-config.ts', throwing],
  ...['approve', 'digest', 'fix-list', 'init', 'preview', 'print-config', 'report', 'rules', 'test'].map((name) => [`src/cli/commands/${name}.ts`, throwing]),
]);
const frontOnly = {
  name: 'front-stubs',
  setup(builder) {
    const stubbed = new Map([...frontStubs].map(([path, contents]) => [resolve(root, path), contents]));
    builder.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const contents = stubbed.get(args.path);
      return contents === undefined ? undefined : { contents, loader: 'ts', resolveDir: dirname(args.path) };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });

const bundleOptions = {
  ...commonOptions,
  format: 'cjs',
  // CommonJS has require; import.meta.url (for createRequire) becomes the bundle's own URL.
  banner: { js: "const __campaignLintImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  // CAMPAIGN_LINT_CODE_FILE: the code whose verdicts a cache holds, for both bundles (src/cache/key.ts).
  define: { ...commonOptions.define, 'import.meta.url': '__campaignLintImportMetaUrl', CAMPAIGN_LINT_CODE_FILE: '"./campaign-lint.cjs"' },
  // No comments (see charset); names stay, for profiles.
  minifyWhitespace: true,
};
// BUILD_META=1: what each bundle holds, module by module, in dist/bin/<bundle>.meta.json (esbuild's metafile).
const withMeta = async (options) => {
  const result = await build({ ...options, metafile: process.env.BUILD_META === '1' });
  if (result.metafile) writeFileSync(`${options.outfile}.meta.json`, JSON.stringify(result.metafile));
};
await withMeta({
  ...bundleOptions,
  entryPoints: ['src/cli/run.ts'],
  plugins: [...commonOptions.plugins, lazyFetch, fdirPicomatch],
  outfile: resolve(outdir, 'campaign-lint.cjs'),
});
await withMeta({
  ...bundleOptions,
  entryPoints: ['src/cli/front.ts'],
  plugins: [...commonOptions.plugins, lazyFetch, fdirPicomatch, frontOnly],
  outfile: resolve(outdir, 'campaign-lint-front.cjs'),
});
// The launcher is CommonJS too: Node starts an ES module through its ESM loader, which measured
// 13 ms of every start (bench/startup.mjs) for a file of 40 lines. dist/bin/package.json makes
// `.js` files there CommonJS, so the command keeps its name.
await build({
  ...commonOptions,
  format: 'cjs',
  entryPoints: ['src/cli/bin.ts'],
  outfile: resolve(outdir, 'campaign-lint.js'),
  banner: { js: "const __campaignLintImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { ...commonOptions.define, 'import.meta.url': '__campaignLintImportMetaUrl' },
});
writeFileSync(resolve(outdir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

// The code caches, from lints of every bundled example (stylish output, discarded): one plain,
// then one with --cache (a miss: the front gives up, the whole command runs), then the same again
// (a hit: the front answers). Without them the command works the same, only starts slower: a
// failure here is a warning, not an error.
const caches = ['campaign-lint.cjs', 'campaign-lint-front.cjs'].map((name) => resolve(outdir, `${name}.cache`));
const trainingCache = mkdtempSync(join(tmpdir(), 'campaign-lint-build-'));
for (const args of [[], ['--cache', '--cache-location', trainingCache], ['--cache', '--cache-location', trainingCache]]) {
  const training = spawnSync(process.execPath, [resolve(outdir, 'campaign-lint.js'), ...args], {
    cwd: resolve(root, 'examples'),
    env: { ...process.env, CAMPAIGN_LINT_WRITE_CODE_CACHE: outdir, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (training.status !== 0 && training.status !== 1) {
    console.warn(`build-cli: the example lint (${args.join(' ') || 'no options'}) exited with ${String(training.status)}; no code cache\n${training.stderr}`);
    for (const cache of caches) rmSync(cache, { force: true });
    break;
  }
}
rmSync(trainingCache, { recursive: true, force: true });
for (const cache of caches) if (!existsSync(cache) || statSync(cache).size === 0) console.warn(`build-cli: no code cache was written at ${cache}`);
