// Bundles the command-line tool with esbuild: node scripts/build-cli.mjs.
// A pre-commit hook must feel instant, and most of a cold start is Node resolving and
// reading hundreds of small module files (yaml, handlebars, parse5...). One bundle, split
// at the dynamic imports so commands and formatters still load only when used, starts
// in a fraction of that. The library API (dist/index.js) stays plain tsc output.
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const outdir = resolve(root, 'dist/bin');
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
rmSync(outdir, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { 'campaign-lint': 'src/cli/bin.ts' },
  outdir,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  define: { CAMPAIGN_LINT_VERSION: JSON.stringify(version) },
  // CommonJS dependencies call require() for node builtins; an ESM bundle has none unless it makes one.
  banner: { js: "import { createRequire as __campaignLintCreateRequire } from 'node:module';\nconst require = __campaignLintCreateRequire(import.meta.url);" },
});
