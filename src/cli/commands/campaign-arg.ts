import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Campaign } from '../../core/campaign.js';
import { loadConfig } from '../../core/config.js';
import type { ResolvedConfig } from '../../core/config.js';
import { UsageError } from '../../core/errors.js';
import { campaignRefusal } from '../../core/safe-file.js';
import { ruleMetas } from '../../rules/index.js';
import type { CliEnvironment } from '../io.js';
import type { CliValues } from '../main.js';
import { parseApprovals } from './lint.js';
import { configForCampaign } from '../../policy/merge.js';

/** The single campaign a command such as `digest` or `approve` works on, with the policy that applies. */
export function campaignArgument(command: string, args: string[], values: CliValues, io: CliEnvironment): Promise<{ campaign: Campaign; config: ResolvedConfig }> {
  const [file, extra] = args;
  if (file === undefined || extra !== undefined) throw new UsageError(`usage: campaign-lint ${command} <campaign.yaml>`);
  const path = resolve(io.cwd, file);
  if (!existsSync(path)) throw new UsageError(`no such campaign file: ${file}`);
  const config = configForCampaign(
    loadConfig({ cwd: io.cwd, configFile: values.config, configRef: values['config-ref'], approvals: parseApprovals(values.approvals) }, ruleMetas),
    path,
    ruleMetas,
  );
  // The safe reader: a symlink out of the repository, a FIFO or an oversized file is refused, never read.
  const campaign = Campaign.read(path, config.rootDir, config.maxFileSize);
  if (!(campaign instanceof Campaign)) throw new UsageError(`${file}: ${campaignRefusal(campaign, command)}`);
  campaign.policySensitivity = config.sensitivity;
  const syntax = campaign.yaml.errors[0];
  if (syntax) throw new UsageError(`${file}:${syntax.line}:${syntax.column}: YAML syntax error: ${syntax.message}`);
  return Promise.resolve({ campaign, config });
}
