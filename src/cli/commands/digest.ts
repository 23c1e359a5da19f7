import { UsageError } from '../../core/errors.js';
import type { CliEnvironment } from '../io.js';
import type { CliValues } from '../main.js';
import { campaignArgument } from './campaign-arg.js';

export async function runDigest(args: string[], values: CliValues, io: CliEnvironment): Promise<number> {
  const { campaign } = await campaignArgument('digest', args, values, io);
  const details = await campaign.digest();
  if (!details.ok) throw new UsageError(`cannot compute the digest: ${details.reason}`);
  for (const missing of details.missingFiles) io.stderr.write(`campaign-lint: warning: ${missing} does not exist; the digest records it as missing\n`);
  for (const unreadable of details.unreadableFiles) io.stderr.write(`campaign-lint: warning: ${unreadable.path} cannot be read (${unreadable.reason})\n`);
  io.stdout.write(`${details.digest}\n`);
  return 0;
}
