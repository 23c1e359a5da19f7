/**
 * The cache key of one campaign's findings: everything that can change them, hashed.
 *
 * - the tool: its version and the SHA-256 of the code that runs (the CLI bundle), so a rebuilt
 *   campaign-lint never reuses an older build's verdicts;
 * - the effective config: the resolved config object, whatever its shape, serialised
 *   canonically (Maps and Sets sorted, RFC 8785 JSON), so rules, options, locked rules,
 *   approval policy (trusted keys included), include globs and limits are all in it;
 * - the campaign file's exact bytes (its directives, approvals and positions, which the
 *   approval digest deliberately leaves out or normalises);
 * - every file the campaign uses, as the approval digest lists them (src/approval/digest.ts:
 *   body templates, recipient list, `suppress` lists), resolved the same way;
 * - the files the config's `suppression` globs match now, and under `--config-ref` the commit
 *   the ref resolves to (the trusted copies of those lists come from it);
 * - in signature mode, the allowed_signers file.
 *
 * Some verdicts cannot be keyed, and make a campaign's result uncacheable (see `uncacheable`):
 * they depend on the clock or on a service, and a cache must never turn a failing campaign into
 * a passing one.
 */
import { childProcess } from '../core/lazy-builtins.js';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import canonicalize from 'canonicalize';
import { Campaign } from '../core/campaign.js';
import type { ResolvedConfig } from '../core/config.js';
import { isInside } from '../core/paths.js';
import { readTextFile } from '../core/safe-file.js';
import { toolVersion } from '../core/version.js';
import { parseYaml } from '../parsers/yaml.js';
import { digestFileKey, referencedFilesOf } from '../approval/digest.js';
import { ruleMetas } from '../rules/index.js';
import type { FileIdentities } from './file-identity.js';

let fingerprint: string | undefined;

/** In the command-line bundles: the whole command line's bundle, beside the running one (the front bundle answers with its verdicts). */
declare const CAMPAIGN_LINT_CODE_FILE: string | undefined;

/**
 * The version and the identity of the running code: in the command line that is the whole
 * bundle (dist/bin/campaign-lint.cjs, also when the front bundle answers from the cache);
 * through the library API, this module's file. The
 * identity is the file's size, mtime, ctime and inode, not its hash: reading and hashing the
 * 1.4 MB bundle again cost a hit ≈ 15 ms, and a rebuilt or reinstalled bundle is a new file.
 * (Whoever can rewrite the tool's own code in place needs no cache to change its verdicts.)
 */
export function toolFingerprint(): string {
  if (fingerprint === undefined) {
    let code = 'unknown';
    try {
      const codeFile = typeof CAMPAIGN_LINT_CODE_FILE === 'string' ? new URL(CAMPAIGN_LINT_CODE_FILE, import.meta.url) : import.meta.url;
      const stats = statSync(fileURLToPath(codeFile), { bigint: true });
      code = [stats.size, stats.mtimeNs, stats.ctimeNs, stats.ino].join('.');
    } catch {
      // No code file to stat: the version alone (a cache then survives only unchanged builds of one version).
    }
    fingerprint = `${toolVersion()}+${code}`;
  }
  return fingerprint;
}

/** A plain JSON value of any config shape: Maps and Sets as sorted entries, undefined members dropped. */
export function plainValue(value: unknown, seen = new Set<object>()): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $number: String(value) };
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value === undefined) return { $undefined: true };
  if (typeof value === 'function' || typeof value === 'symbol') throw new UncacheableError('the config holds code, which cannot be part of a cache key');
  if (value instanceof Date) return { $date: value.toISOString() };
  if (value instanceof RegExp) return { $regexp: value.toString() };
  if (seen.has(value)) throw new UncacheableError('the config refers to itself');
  seen.add(value);
  try {
    if (value instanceof Map) {
      const entries = [...value.entries()].map(([key, item]) => [plainValue(key, seen), plainValue(item, seen)] as const);
      // Code-unit order: localeCompare's first call loads ICU's collator, ≈ 9 ms of every cache hit.
      return { $map: entries.map((entry) => [canonicalize(entry[0]) ?? '', entry[1]] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) };
    }
    if (value instanceof Set) return { $set: [...value].map((item) => plainValue(item, seen)).map((item) => canonicalize(item) ?? '').sort() };
    if (Array.isArray(value)) return value.map((item) => plainValue(item, seen));
    const plain: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) plain[key] = plainValue(item, seen);
    return plain;
  } finally {
    seen.delete(value);
  }
}

export class UncacheableError extends Error {
  override name = 'UncacheableError';
}

const configHashes = new WeakMap<ResolvedConfig, string>();

function configHash(config: ResolvedConfig): string {
  let hash = configHashes.get(config);
  if (hash === undefined) {
    const plain = plainValue(config);
    const ref = config.policyRef === undefined ? undefined : resolveCommit(config.policyRef.gitRoot, config.policyRef.ref);
    hash = sha256(canonicalize({ config: plain, refCommit: ref ?? null }) ?? '');
    configHashes.set(config, hash);
  }
  return hash;
}

function resolveCommit(gitRoot: string, ref: string): string {
  try {
    return childProcess().execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: gitRoot, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim();
  } catch {
    throw new UncacheableError(`the git ref \`${ref}\` does not resolve to a commit`);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Why this run's results cannot be cached at all, or undefined. A verdict that depends on the
 * clock or on a service is never reused:
 * - `--show-pii`: its findings hold recipients' values, which a cache file must never hold;
 * - `approval.verify: github`: reviews live on GitHub and change without any file changing;
 * - signature mode with a trusted key limited in time (`valid-after`/`valid-before`): the same
 *   signature is valid today and expired tomorrow;
 * - a rule that declares `meta.timeDependent` (a `send_at` window, an approval's age) and is on.
 */
export function uncacheable(config: ResolvedConfig, showPii: boolean): string | undefined {
  if (showPii) return '--show-pii findings hold unmasked recipient values';
  if (config.approval.verify === 'github') return 'approval.verify: github asks GitHub for reviews on every run';
  if (config.approval.verify === 'signature') {
    const keyTexts = config.approval.approvers.flatMap((person) => person.keys);
    const signers = config.approval.allowedSigners;
    if (signers !== undefined) {
      const text = signers.text ?? readSmallText(signers.path, config.rootDir);
      keyTexts.push(text ?? 'valid-before (unreadable)');
    }
    if (keyTexts.some((text) => /valid-(after|before)/i.test(text))) return 'a trusted signing key is limited in time (valid-after/valid-before)';
  }
  for (const meta of ruleMetas) {
    if (meta.timeDependent === true && (config.rules.get(meta.id)?.severity ?? 0) > 0) return `rule ${meta.id} depends on the date`;
  }
  return undefined;
}

function readSmallText(path: string, rootDir: string): string | undefined {
  const read = readTextFile(path, { rootDir: isInside(rootDir, path) ? rootDir : undefined, maxBytes: 4 * 1024 * 1024 });
  return read.ok ? read.text : undefined;
}

/**
 * The key of one campaign's findings under `config`, or an UncacheableError. Files are read
 * through `files` (the stat shortcut, see file-identity.ts).
 */
export async function campaignKey(campaignPath: string, config: ResolvedConfig, files: FileIdentities): Promise<string> {
  const read = readTextFile(campaignPath, { rootDir: config.rootDir, maxBytes: config.maxFileSize });
  if (!read.ok) throw new UncacheableError(`the campaign file ${read.reason}`);
  const campaign = new Campaign(campaignPath, config.rootDir, parseYaml(read.text));
  const used: Record<string, string> = {};
  for (const written of referencedFilesOf(campaign.data)) {
    const key = digestFileKey(written);
    if (key in used) continue;
    const resolved = campaign.resolve(written);
    used[key] = resolved.ok ? files.identity(resolved.path, config.rootDir) : `refused:${resolved.kind ?? 'outside'}`;
  }
  const policyLists: Record<string, string> = {};
  for (const pattern of config.suppression) {
    // The same glob the suppression rules run (src/rules/_recipients.ts): the files it matches now.
    const { glob } = await import('tinyglobby');
    const matched = (await glob([pattern], { cwd: config.baseDir, absolute: true, dot: true, onlyFiles: true })).sort();
    for (const path of matched) policyLists[`${pattern}\u0000${path}`] = isInside(config.rootDir, path) ? files.identity(path, config.rootDir) : 'outside';
    if (matched.length === 0) policyLists[pattern] = 'no match';
  }
  const signers = config.approval.verify === 'signature' ? config.approval.allowedSigners : undefined;
  const signersIdentity = signers === undefined || signers.text !== undefined ? null : files.identity(signers.path, isInside(config.rootDir, signers.path) ? config.rootDir : undefined);
  return sha256(
    canonicalize({
      tool: toolFingerprint(),
      config: configHash(config),
      campaign: { path: campaignPath, sha256: sha256(read.text) },
      used,
      policyLists,
      signers: signersIdentity,
    }) ?? '',
  );
}
