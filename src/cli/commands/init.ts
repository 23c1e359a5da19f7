import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { starterFiles } from '../../integrations/templates/starter.js';
import type { CliEnvironment } from '../io.js';
import type { CliValues } from '../main.js';
import { toolVersion } from '../../core/version.js';

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}

function cannotWrite(relativePath: string, cwd: string, error: unknown): UsageError {
  const reason = isErrnoException(error) && error.code !== undefined ? error.code : String(error);
  return new UsageError(`init: cannot write ${relativePath} in ${cwd} (${reason})`);
}

/**
 * Writes the starter files into the working directory. An existing file is
 * kept unless --force is given: `init` must be safe to run in a repository
 * that already has a config or a workflow of the same name.
 */
export async function runInit(args: string[], values: CliValues, io: CliEnvironment): Promise<number> {
  if (args.length > 0) throw new UsageError(`init takes no arguments (got \`${args.join(' ')}\`); it writes into the current folder`);
  const force = values.force === true;
  for (const [relativePath, content] of starterFiles(toolVersion())) {
    const target = resolve(io.cwd, relativePath);
    try {
      await mkdir(dirname(target), { recursive: true });
    } catch (error) {
      throw cannotWrite(relativePath, io.cwd, error);
    }
    try {
      // 'wx' fails when the file exists, so a file created meanwhile is not clobbered either.
      await writeFile(target, content, { flag: force ? 'w' : 'wx' });
    } catch (error) {
      if (!force && isErrnoException(error) && error.code === 'EEXIST') {
        io.stdout.write(`skipped  ${relativePath} (exists; --force overwrites)\n`);
        continue;
      }
      throw cannotWrite(relativePath, io.cwd, error);
    }
    io.stdout.write(`wrote    ${relativePath}\n`);
  }
  io.stdout.write('\nNext: edit campaign-lint.config.yaml (organization, approvers), then run `npx campaign-lint`.\n');
  return 0;
}
