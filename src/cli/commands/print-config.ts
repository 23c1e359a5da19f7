import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../core/config.js';
import { UsageError } from '../../core/errors.js';
import { configForCampaign } from '../../policy/merge.js';
import { checkCustomRegexes, effectiveConfig } from '../../policy/print-config.js';
import { ruleMetas } from '../../rules/index.js';
import type { CliEnvironment } from '../io.js';
import type { CliValues } from '../main.js';
import { parseApprovals } from './lint.js';

/** `campaign-lint --print-config [campaign]`: the effective policy as JSON, with where each value came from. */
export async function runPrintConfig(args: string[], values: CliValues, io: CliEnvironment): Promise<number> {
  const [file, extra] = args;
  if (extra !== undefined) throw new UsageError('usage: campaign-lint --print-config [campaign.yaml]');
  const base = loadConfig({ cwd: io.cwd, configFile: values.config, configRef: values['config-ref'], approvals: parseApprovals(values.approvals) }, ruleMetas);
  let config = base;
  if (file !== undefined) {
    const path = resolve(io.cwd, file);
    if (!existsSync(path)) throw new UsageError(`no such campaign file: ${file}`);
    config = configForCampaign(base, path, ruleMetas);
  }
  await checkCustomRegexes(config);
  const printed = effectiveConfig(config);
  io.stdout.write(`${JSON.stringify(sortKeys(printed), null, 2)}\n`);
  return 0;
}

/** Keys sorted at every level (as the canonical form has them), for a stable, diffable print. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, item]) => [key, sortKeys(item)]));
}
