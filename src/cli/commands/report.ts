import { existsSync, realpathSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { Campaign } from '../../core/campaign.js';
import { loadConfig } from '../../core/config.js';
import { UsageError } from '../../core/errors.js';
import { createReport } from '../../report/index.js';
import { ruleMetas } from '../../rules/index.js';
import type { CliEnvironment } from '../io.js';
import type { CliValues } from '../main.js';
import { toolVersion } from '../../core/version.js';
import { parseApprovals } from './lint.js';

const USAGE = 'usage: campaign-lint report <campaign.yaml> -o <report.html>';

/**
 * `campaign-lint report`: the reviewer's page (docs/report.md). The page is written even when the
 * campaign has errors (exit 1), so that CI can fail the check and still upload it.
 */
export async function runReport(args: string[], values: CliValues, io: CliEnvironment): Promise<number> {
  if (values['show-pii'] === true) throw new UsageError('report never shows recipient data; --show-pii is not accepted here');
  const [file, extra] = args;
  if (file === undefined || extra !== undefined) throw new UsageError(USAGE);
  const output = values['output-file'];
  if (output === undefined || output === '') throw new UsageError(`report needs an output file (-o report.html); ${USAGE}`);
  const campaignPath = resolve(io.cwd, file);
  if (!existsSync(campaignPath) || !statSync(campaignPath).isFile()) throw new UsageError(`no such campaign file: ${file}`);
  const outputPath = resolve(io.cwd, output);
  const folder = dirname(outputPath);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`cannot write ${output}: the folder ${relative(io.cwd, folder) || folder} does not exist`);
  if (existsSync(outputPath) && statSync(outputPath).isDirectory()) throw new UsageError(`cannot write ${output}: it is a folder`);

  const config = loadConfig(
    { cwd: io.cwd, configFile: values.config, configRef: values['config-ref'], approvals: parseApprovals(values.approvals) },
    ruleMetas,
  );
  if (existsSync(outputPath)) {
    const campaign = await Campaign.load(campaignPath, config.rootDir);
    const inputs = [campaignPath, ...campaign.referencedFiles().flatMap((written) => {
      const resolved = campaign.resolve(written);
      return resolved.ok && existsSync(resolved.path) ? [resolved.path] : [];
    })];
    const target = realpathSync(outputPath);
    if (inputs.some((input) => realpathSync(input) === target)) throw new UsageError(`cannot write ${output}: it is one of the campaign's own files`);
  }
  const report = await createReport(campaignPath, config, { toolVersion: toolVersion() });
  await writeFile(outputPath, report.html);
  const { errorCount, warningCount } = report.data;
  io.stdout.write(`wrote ${output} (${errorCount} error${errorCount === 1 ? '' : 's'}, ${warningCount} warning${warningCount === 1 ? '' : 's'})\n`);
  return errorCount > 0 ? 1 : 0;
}
