import { parseArgs } from 'node:util';
import { ConfigError, UsageError, errorMessage } from '../core/errors.js';
import { toolVersion } from '../core/version.js';
import { HELP } from './help.js';
import type { CliEnvironment } from './io.js';

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  'config-ref': { type: 'string' },
  format: { type: 'string', short: 'f' },
  'output-file': { type: 'string', short: 'o' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean' },
  'show-pii': { type: 'boolean' },
  approvals: { type: 'string' },
  'input-format': { type: 'string' },
  'error-on-unmatched-pattern': { type: 'boolean' },
  color: { type: 'boolean' },
  by: { type: 'string' },
  'sign-key': { type: 'string' },
  row: { type: 'string' },
  force: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export type CliValues = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, allowNegative: true, strict: true });
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[], io: CliEnvironment): Promise<number> {
  try {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(argv);
    } catch (error) {
      throw new UsageError(`${errorMessage(error).split('\n', 1)[0] ?? ''} (see campaign-lint --help)`);
    }
    const { values, positionals } = parsed;
    if (values.help === true) {
      io.stdout.write(HELP);
      return 0;
    }
    if (values.version === true) {
      io.stdout.write(`${toolVersion()}\n`);
      return 0;
    }
    const [first, ...rest] = positionals;
    switch (first) {
      case 'digest':
        return await (await import('./commands/digest.js')).runDigest(rest, values, io);
      case 'approve':
        return await (await import('./commands/approve.js')).runApprove(rest, values, io, io.stdin ?? process.stdin);
      case 'preview':
        return await (await import('./commands/preview.js')).runPreview(rest, values, io);
      case 'rules':
        return (await import('./commands/rules.js')).runRules(rest, values, io);
      case 'report':
        return await (await import('./commands/report.js')).runReport(rest, values, io);
      case 'init':
        return await (await import('./commands/init.js')).runInit(rest, values, io);
      default:
        return await (await import('./commands/lint.js')).runLint(positionals, values, io);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr.write(`campaign-lint: ${error.message}\n`);
      return 2;
    }
    if (io.env.DEBUG?.split(',').includes('campaign-lint') === true && error instanceof Error) {
      io.stderr.write(`${error.stack ?? error.message}\n`);
    } else {
      io.stderr.write(`campaign-lint: internal error: ${errorMessage(error).split('\n', 1)[0] ?? ''} (DEBUG=campaign-lint shows the stack)\n`);
    }
    return 2;
  }
}
