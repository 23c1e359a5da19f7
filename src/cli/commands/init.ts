import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { EDITOR_SCHEMAS, SCHEMA_DIR, starterFiles } from '../../integrations/templates/starter.js';
import { mergeEditorSettings } from './editor-settings.js';
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
  await writeEditorSettings(io);
  io.stdout.write('\nNext: edit campaign-lint.config.yaml (organization, approvers), then run `npx campaign-lint`.\n');
  if (!existsSync(resolve(io.cwd, SCHEMA_DIR, 'campaign.schema.json'))) {
    io.stdout.write(`Editor completion reads the schemas from ${SCHEMA_DIR}/: run \`npm install --save-dev campaign-lint\`.\n`);
  }
  return 0;
}

const SETTINGS = '.vscode/settings.json';

/**
 * VS Code's `yaml.schemas` for campaign files and the config, merged into an existing settings
 * file (text inserted, nothing else touched; --force does not replace it either). A file that is
 * not JSON with comments, or is a symlink, is left alone with one line saying so.
 */
async function writeEditorSettings(io: CliEnvironment): Promise<void> {
  const target = resolve(io.cwd, SETTINGS);
  let existing: string | undefined;
  try {
    const stats = await lstat(target);
    if (!stats.isFile()) {
      io.stdout.write(`skipped  ${SETTINGS} (not a regular file; add "yaml.schemas" by hand, see docs/rules/schema.md)\n`);
      return;
    }
    existing = await readFile(target, 'utf8');
  } catch (error) {
    if (!isErrnoException(error) || error.code !== 'ENOENT') throw cannotWrite(SETTINGS, io.cwd, error);
  }
  const outcome = mergeEditorSettings(existing, EDITOR_SCHEMAS);
  if (outcome.kind === 'unchanged') {
    io.stdout.write(`skipped  ${SETTINGS} (yaml.schemas already maps the campaign-lint schemas)\n`);
    return;
  }
  if (outcome.kind === 'unreadable') {
    io.stdout.write(`skipped  ${SETTINGS} (${outcome.reason}; add "yaml.schemas" by hand, see docs/rules/schema.md)\n`);
    return;
  }
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outcome.text, { flag: existing === undefined ? 'wx' : 'w' });
  } catch (error) {
    throw cannotWrite(SETTINGS, io.cwd, error);
  }
  io.stdout.write(existing === undefined ? `wrote    ${SETTINGS}\n` : `updated  ${SETTINGS} (yaml.schemas: the campaign-lint schemas added)\n`);
}
