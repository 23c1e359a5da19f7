// Bundles the GitHub Action into one file: node scripts/build-action.mjs [outdir] (default dist/action).
// The bundle is committed; a test rebuilds it into a temporary folder and compares bytes.
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { commonOptions, root } from './esbuild-common.mjs';

const outdir = resolve(process.argv[2] ?? resolve(root, 'dist/action'));

await build({
  ...commonOptions,
  entryPoints: ['src/integrations/action.ts'],
  outfile: resolve(outdir, 'index.js'),
  minify: true,
});
