// Entry point of the command-line bundle (dist/bin/campaign-lint.cjs), which bin.ts loads.
import { main } from './main.js';

void main(process.argv.slice(2), { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
