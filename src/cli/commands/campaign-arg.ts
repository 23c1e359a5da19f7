import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Campaign } from '../../core/campaign.js';
import { loadConfig } from '../../core/config.js';
import type { ResolvedConfig } from '../../core/config.js';
import { UsageError } from '../../core/errors.js';
import { ruleMetas } from '../../rules/index.js';
import type { CliEnvironment } from '../io.js';
import type { CliValues } from '../main.js';
import { parseApprovals } from './lint.js';

/** The single campaign a command such as `digest` or `approve` works on, with the policy that applies. */
export async function campaignArgument(command: string, args: string[], values: CliValues, io: CliEnvironment): Promise<{ campaign: Campaign; config: ResolvedConfig }> {
  const [file, extra] = args;
  if (file === undefined || extra !== undefined) throw new UsageError(`usage: campaign-lint ${command} <campaign.yaml>`);
  const path = resolve(io.cwd, file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`no such campaign file: ${file}`);
  const config = loadConfig(
    { cwd: io.cwd, configFile: values.config, configRef: values['config-ref'], approvals: parseApprovals(values.approvals) },
    ruleMetas,
  );
  const campaign = await Campaign.load(path, config.rootDir);
  const syntax = campaign.yaml.errors[0];
  if (syntax) throw new UsageError(`${file}:${syntax.line}:${syntax.column}: YAML syntax error: ${syntax.message}`);
  return { campaign, config };
}
