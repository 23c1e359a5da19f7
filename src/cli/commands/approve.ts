import { execFileSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { appendApproval, appendApprovalToFile } from '../../approval/append.js';
import type { NewApproval } from '../../approval/append.js';
import { shortDigest } from '../../approval/digest.js';
import { approvalSetup } from '../../approval/policy.js';
import { signDigest } from '../../approval/ssh-signature.js';
import type { Campaign } from '../../core/campaign.js';
import { UsageError, errorMessage } from '../../core/errors.js';
import { campaignRefusal, checkFile } from '../../core/safe-file.js';
import type { CliEnvironment } from '../io.js';
import type { CliValues } from '../main.js';
import { campaignArgument } from './campaign-arg.js';

function gitUserEmail(cwd: string): string | undefined {
  try {
    const email = execFileSync('git', ['config', 'user.email'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return email === '' ? undefined : email;
  } catch {
    return undefined;
  }
}

/**
 * The one command that writes to a campaign file: it appends an approval of
 * the current digest, and refuses anything that could never count.
 */
export async function runApprove(args: string[], values: CliValues, io: CliEnvironment, stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<number> {
  const { campaign, config } = await campaignArgument('approve', args, values, io);
  const by = values.by ?? gitUserEmail(io.cwd);
  if (by === undefined || by.trim() === '') throw new UsageError('approve needs --by <id> (or a git user.email)');
  const file = relative(io.cwd, campaign.filePath) || campaign.filePath;
  refuseUnsafeOrInvalid(campaign, config.rootDir, file);

  // Identities go through the policy's identity model: case, +tags, and every alias of a listed person.
  const { identity, verifier } = await approvalSetup(config);
  const author = campaign.string(['author']);
  if (author !== undefined && author.trim() !== '' && identity.personOf(author) === identity.personOf(by)) {
    const same = author.trim().toLowerCase() === by.trim().toLowerCase() ? '' : ` (${author.trim()}, the same person)`;
    throw new UsageError(`refused: ${by} is the author of ${file}${same}; a second person must approve`);
  }
  if (!identity.isApprover(by)) {
    throw new UsageError(`refused: ${by} is not in approval.approvers (${config.source ?? 'config'})`);
  }
  const details = await campaign.digest();
  if (!details.ok) throw new UsageError(`refused: ${details.reason}`);
  const absent = [...details.missingFiles, ...details.unreadableFiles.map((entry) => entry.path)];
  if (absent.length > 0) throw new UsageError(`refused: ${absent.join(', ')} cannot be read, so the approval could not be bound to it`);
  const existing = campaign.get(['approvals']);
  if (Array.isArray(existing) && existing.some((entry: unknown) => isRecord(entry) && typeof entry.by === 'string' && identity.personOf(entry.by) === identity.personOf(by) && entry.digest === details.digest)) {
    throw new UsageError(`refused: ${by} has already approved this exact content (${shortDigest(details.digest)})`);
  }
  // A shape approve cannot append to is refused before anyone is asked to confirm.
  try {
    appendApproval(campaign.text, { by, digest: details.digest, at: new Date(0).toISOString() });
  } catch (error) {
    throw new UsageError(`cannot append to ${file}: ${errorMessage(error)}`);
  }
  const signKey = values['sign-key'];
  if (config.approval.verify === 'signature' && signKey === undefined) throw new UsageError('refused: the policy verifies signatures (approval.verify: signature); pass --sign-key <ssh key>');

  io.stderr.write(
    `Approving ${file} (${shortDigest(details.digest)}) as ${by}.\n` +
      `You confirm that you reviewed this exact content: the campaign, its templates and its recipient list\n` +
      `(campaign-lint report ${file} -o report.html shows all of it on one page).\n`,
  );
  if (stdin.isTTY === true && values.yes !== true) {
    const prompt = createInterface({ input: stdin, output: process.stderr });
    const answer = await prompt.question('Approve? [y/N] ');
    prompt.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.stderr.write('Not approved; nothing was written.\n');
      return 1;
    }
  }

  const approval: NewApproval = { by, digest: details.digest, at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') };
  if (signKey !== undefined) {
    const signed = await signDigest(resolve(io.cwd, signKey), details.digest);
    if (!signed.ok) throw new UsageError(`cannot sign: ${signed.reason}`);
    approval.signature = signed.signature;
    // The key is an identity too: one the policy also lists for the author makes this a self-approval.
    const verified = verifier?.(signed.signature, by, details.digest);
    if (verified?.ok === true && author !== undefined && author.trim() !== '') {
      const joined = identity.clone();
      joined.joinKey(by, verified.fingerprint);
      if (joined.personOf(by) === joined.personOf(author)) {
        throw new UsageError(`refused: key ${verified.fingerprint} is also listed for the author ${author.trim()} of ${file}; a second person must approve`);
      }
    } else if (verified !== undefined && !verified.ok) {
      io.stderr.write(`warning: this approval will not count under the current policy: ${verified.reason}\n`);
    }
  }
  try {
    appendApprovalToFile(campaign.filePath, config.rootDir, campaign.text, approval);
  } catch (error) {
    throw new UsageError(`cannot append to ${file}: ${errorMessage(error)}`);
  }
  io.stdout.write(`approved ${file} as ${by} (${shortDigest(details.digest)})\n`);
  return 0;
}

/**
 * approve writes, so it refuses more than lint reads: a campaign file that is a symlink (at any
 * level, even inside the repository), is not a regular file, leaves the repository, or is not a
 * campaign at all (not a map, no `version`, no `id`).
 */
function refuseUnsafeOrInvalid(campaign: Campaign, rootDir: string, file: string): void {
  const checked = checkFile(campaign.filePath, { rootDir });
  if (!checked.ok) throw new UsageError(`refused: ${file}: ${campaignRefusal(checked, 'approve')}`);
  if (checked.viaSymlink) throw new UsageError(`refused: ${file}: campaign file is a symlink; approve the file it points to instead`);
  const value = campaign.yaml.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`refused: ${file} is not a campaign: it must be a YAML map of keys (version, id, name, ...)`);
  }
  if (campaign.get(['version']) === undefined) throw new UsageError(`refused: ${file} is not a campaign: it has no \`version\``);
  const id = campaign.get(['id']);
  if (typeof id !== 'string' || id.trim() === '') throw new UsageError(`refused: ${file} is not a campaign: it has no \`id\` (a non-empty string)`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}
