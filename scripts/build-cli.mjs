// Bundles the command-line tool with esbuild: node scripts/build-cli.mjs.
// A pre-commit hook must feel instant. Most of a cold start was Node resolving, reading and
// compiling module files, so the command line is one CommonJS bundle (dist/bin/campaign-lint.cjs)
// that a small CommonJS launcher (dist/bin/campaign-lint.js, src/cli/bin.ts) compiles with a V8 code
// cache. The cache is made here, by running the command on the examples: it holds the
// functions a lint compiles. The library API (dist/index.js) stays plain tsc output.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
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
rmSync(outdir, { recursive: true, force: true });

await build({
  ...commonOptions,
  format: 'cjs',
  entryPoints: ['src/cli/run.ts'],
  plugins: [...commonOptions.plugins, lazyFetch, fdirPicomatch],
  outfile: resolve(outdir, 'campaign-lint.cjs'),
  // CommonJS has require; import.meta.url (for createRequire) becomes the bundle's own URL.
  banner: { js: "const __campaignLintImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { ...commonOptions.define, 'import.meta.url': '__campaignLintImportMetaUrl' },
  // No comments (see charset); names stay, for profiles.
  minifyWhitespace: true,
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

// The code cache, from a lint of every bundled example (stylish output, discarded). Without
// it the command works the same, only starts slower: a failure here is a warning, not an error.
const cache = resolve(outdir, 'campaign-lint.cjs.cache');
const training = spawnSync(process.execPath, [resolve(outdir, 'campaign-lint.js')], {
  cwd: resolve(root, 'examples'),
  env: { ...process.env, CAMPAIGN_LINT_WRITE_CODE_CACHE: cache, NO_COLOR: '1' },
  stdio: ['ignore', 'ignore', 'pipe'],
  encoding: 'utf8',
});
if (training.status !== 0 && training.status !== 1) {
  console.warn(`build-cli: the example lint exited with ${String(training.status)}; no code cache\n${training.stderr}`);
  rmSync(cache, { force: true });
} else if (!existsSync(cache) || statSync(cache).size === 0) {
  console.warn('build-cli: no code cache was written');
}
