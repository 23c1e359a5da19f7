// Bundles the command-line tool with esbuild: node scripts/build-cli.mjs.
// A pre-commit hook must feel instant, and most of a cold start is Node resolving and
// reading hundreds of small module files (yaml, handlebars, parse5...). One bundle, split
// at the dynamic imports so commands and formatters still load only when used, starts
// in a fraction of that. The library API (dist/index.js) stays plain tsc output.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { commonOptions, root } from './esbuild-common.mjs';

const outdir = resolve(root, 'dist/bin');
rmSync(outdir, { recursive: true, force: true });

await build({
  ...commonOptions,
  entryPoints: { 'campaign-lint': 'src/cli/bin.ts' },
  outdir,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // No comments (see charset); names stay, for profiles.
  minifyWhitespace: true,
});
