#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ can cache compiled code between runs (TypeScript's own CLI does this); a
// pre-commit hook is a cold start every time. On Node 20 the function does not exist.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2), { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr });
