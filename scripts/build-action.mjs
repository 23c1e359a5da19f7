// Bundles the GitHub Action into one file: node scripts/build-action.mjs [outdir] (default dist/action).
// The bundle is committed; a test rebuilds it into a temporary folder and compares bytes.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';

// handlebars requires source-map only to attach source maps to compiled templates, which
// campaign-lint never asks for, and falls back to plain strings when it gets nothing: not
// bundling it saves 60 KB of code to load on every run.
const withoutSourceMap = {
  name: 'without-source-map',
  setup(builder) {
    builder.onResolve({ filter: /^source-map$/ }, () => ({ path: 'source-map', namespace: 'without-source-map' }));
    builder.onLoad({ filter: /.*/, namespace: 'without-source-map' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

const root = resolve(import.meta.dirname, '..');
const outdir = resolve(process.argv[2] ?? resolve(root, 'dist/action'));
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));

await build({
  absWorkingDir: root,
  entryPoints: ['src/integrations/action.ts'],
  outfile: resolve(outdir, 'index.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  charset: 'ascii',
  logLevel: 'warning',
  define: { CAMPAIGN_LINT_VERSION: JSON.stringify(version) },
  plugins: [withoutSourceMap],
  // CommonJS dependencies (nodemailer, ajv, handlebars) call require() for node builtins;
  // an ESM bundle has no require unless it makes one.
  banner: { js: "import { createRequire as __campaignLintCreateRequire } from 'node:module';\nconst require = __campaignLintCreateRequire(import.meta.url);" },
});
