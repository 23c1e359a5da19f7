/**
 * The campaign digest (docs/rules/two-person-approval.md): it binds an approval to the exact bytes that will be
 * sent. `sha256:` + hex SHA-256 of the RFC 8785 (JCS) canonical JSON of
 * `{ "campaign": <campaign without approvals>, "files": { <path as written>: <hex sha256> } }`.
 *
 * Choices the documentation leaves open, fixed here because every approval depends on them:
 * - `files` keys are the reference strings exactly as the campaign writes them, with `\`
 *   turned into `/`, so the digest is the same on Windows and POSIX. They are not
 *   otherwise normalised: `./body.html` and `body.html` are different keys, and the
 *   campaign document (which is part of the digest) holds the raw strings anyway.
 * - A referenced file that does not exist hashes to the marker `missing`; one that
 *   exists but cannot be read (a folder, a FIFO, no permission, a symlink out of the
 *   repository) to `unreadable`. Neither can be
 *   mistaken for a 64-hex-digit hash, so creating the file later changes the digest,
 *   and the other rules report the missing file itself.
 * - Values JSON cannot represent (YAML `.nan`, `.inf`) make the digest uncomputable:
 *   mapping them to strings would let two different campaigns share a digest.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import canonicalize from 'canonicalize';
import { FileRefusedError, openFile } from '../core/safe-file.js';
import { workerThreads } from '../core/lazy-builtins.js';
import type { Worker } from 'node:worker_threads';

export const MISSING_FILE_MARKER = 'missing';
export const UNREADABLE_FILE_MARKER = 'unreadable';

export interface DigestDetails {
  ok: true;
  /** `sha256:` followed by 64 lower-case hex digits. */
  digest: string;
  /** The `files` member that was hashed: key as written (posix separators) → hex sha256 or a marker. */
  files: Record<string, string>;
  /** Keys of `files` whose file does not exist. */
  missingFiles: string[];
  /** Keys of `files` that exist but could not be read, with the system's reason. */
  unreadableFiles: { path: string; reason: string }[];
}

export interface DigestFailure {
  ok: false;
  reason: string;
}

/** The campaign document without its `approvals` key (approvals are not part of what is approved). */
export function campaignWithoutApprovals(campaign: unknown): unknown {
  if (campaign === null || typeof campaign !== 'object' || Array.isArray(campaign)) return campaign;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(campaign)) {
    if (key !== 'approvals') copy[key] = value;
  }
  return copy;
}

/** Key under which a referenced file appears in the digest's `files` object. */
export function digestFileKey(pathAsWritten: string): string {
  return pathAsWritten.replaceAll('\\', '/');
}

/**
 * Hex SHA-256 of a file's bytes, streamed so that multi-gigabyte recipient lists stay out of memory.
 * The file is opened by the safe reader: a FIFO, socket or device is refused instead of blocking
 * the digest forever, and with `rootDir` a real path outside the repository is refused.
 */
export async function hashFile(absolutePath: string, rootDir?: string): Promise<string> {
  const opened = openFile(absolutePath, { rootDir });
  if (!opened.ok) throw new FileRefusedError(opened, absolutePath);
  try {
    // A large list is hashed on a worker thread, while this one reads it for the rules (the
    // approval rule awaits its digest at the end of the recipient pass): hashing the 1M-row bench
    // list is ≈ 50 ms, the 10M one ≈ 0.5 s. The worker reads the same open file; should it fail,
    // the file is hashed here instead, to the same result.
    if (fstatSync(opened.fd).size >= WORKER_MIN_BYTES) {
      const hex = await hashOnWorker(opened.fd);
      if (hex !== undefined) return hex;
    }
    return await hashHere(opened.fd);
  } finally {
    closeSync(opened.fd);
  }
}

/**
 * Synchronous reads into one buffer: a read stream cost ≈ 9 ms of a small campaign's start-up
 * (loading and starting Node's stream machinery) and a callback per 64 KiB of a large list.
 * The event loop still runs between slices, as it does for the recipient pass.
 */
async function hashHere(fd: number): Promise<string> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(HASH_CHUNK);
  for (let position = 0, chunks = 1; ; chunks++) {
    const bytesRead = readSync(fd, buffer, 0, HASH_CHUNK, position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
    if (chunks % CHUNKS_PER_YIELD === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return hash.digest('hex');
}

const HASH_CHUNK = 1024 * 1024;
const CHUNKS_PER_YIELD = 16;
/** Below this a worker's start (≈ 20 ms of its own thread) is not worth it. */
const WORKER_MIN_BYTES = 8 * 1024 * 1024;

// The worker's whole program: file descriptors belong to the process, so it reads the file this
// thread opened (and checked) itself, from the start, and posts the hex digest.
const HASH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readSync } = require('node:fs');
const hash = require('node:crypto').createHash('sha256');
const buffer = Buffer.allocUnsafe(${HASH_CHUNK});
for (let position = 0; ; ) {
  const bytesRead = readSync(workerData.fd, buffer, 0, buffer.length, position);
  if (bytesRead === 0) break;
  hash.update(buffer.subarray(0, bytesRead));
  position += bytesRead;
}
parentPort.postMessage(hash.digest('hex'));
`;

function hashOnWorker(fd: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new (workerThreads().Worker)(HASH_WORKER, { eval: true, workerData: { fd } });
    } catch {
      resolve(undefined);
      return;
    }
    worker.once('message', (hex: unknown) => {
      resolve(typeof hex === 'string' && /^[0-9a-f]{64}$/.test(hex) ? hex : undefined);
    });
    worker.once('error', () => {
      resolve(undefined);
    });
    worker.once('exit', () => {
      resolve(undefined);
    });
  });
}

function errorCode(error: unknown): string | undefined {
  if (error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

function findUnrepresentable(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (typeof value === 'bigint') return path;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnrepresentable(item, `${path}[${index}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      const found = findUnrepresentable(item, path === '' ? key : `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * The digest with everything that went into it, or a reason it cannot be computed.
 * Never throws for bad input: missing and unreadable files become markers.
 */
export async function computeDigestDetails(
  campaign: unknown,
  campaignDir: string,
  referencedFiles: readonly string[],
  /** Maps a path as written to the file to read, or undefined to refuse it (outside the repository). */
  resolveFile: (written: string) => string | undefined = (written) => resolve(campaignDir, written),
  /** The repository root every file's real path must stay in (the safe reader's check, repeated at open). */
  rootDir?: string,
): Promise<DigestDetails | DigestFailure> {
  const document = campaignWithoutApprovals(campaign);
  const badValueAt = findUnrepresentable(document, '');
  if (badValueAt !== undefined) {
    return {
      ok: false,
      reason: `the campaign value at ${badValueAt === '' ? 'the top level' : badValueAt} is not representable in JSON (NaN, Infinity or a big integer), so no digest can be computed`,
    };
  }

  const files: Record<string, string> = {};
  const missingFiles: string[] = [];
  const unreadableFiles: { path: string; reason: string }[] = [];
  for (const written of referencedFiles) {
    const key = digestFileKey(written);
    if (key in files) continue;
    const target = resolveFile(written);
    if (target === undefined) {
      files[key] = UNREADABLE_FILE_MARKER;
      unreadableFiles.push({ path: key, reason: 'outside the repository' });
      continue;
    }
    try {
      files[key] = await hashFile(target, rootDir);
    } catch (error) {
      if (error instanceof FileRefusedError) {
        if (error.refusal.kind === 'missing') {
          files[key] = MISSING_FILE_MARKER;
          missingFiles.push(key);
        } else {
          files[key] = UNREADABLE_FILE_MARKER;
          unreadableFiles.push({ path: key, reason: error.refusal.reason });
        }
        continue;
      }
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        files[key] = MISSING_FILE_MARKER;
        missingFiles.push(key);
      } else {
        files[key] = UNREADABLE_FILE_MARKER;
        unreadableFiles.push({ path: key, reason: code ?? (error instanceof Error ? error.message : String(error)) });
      }
    }
  }

  let canonical: string | undefined;
  try {
    canonical = canonicalize({ campaign: document, files });
  } catch (error) {
    // Lone UTF-16 surrogates and cycles cannot come from a YAML file, but a caller could pass them.
    return { ok: false, reason: `the campaign cannot be canonicalised: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (canonical === undefined) return { ok: false, reason: 'the campaign document is empty' };
  const digest = `sha256:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
  return { ok: true, digest, files, missingFiles, unreadableFiles };
}

/**
 * The campaign digest string. Missing or unreadable files hash to markers (see above);
 * the only failure left is a campaign holding NaN/Infinity, returned as `{ ok: false }` by
 * {@link computeDigestDetails} and thrown here as a {@link DigestError} for callers that
 * want the plain string.
 */
export async function computeDigest(
  campaign: unknown,
  campaignDir: string,
  referencedFiles: readonly string[],
  resolveFile?: (written: string) => string | undefined,
  rootDir?: string,
): Promise<string> {
  const result = await computeDigestDetails(campaign, campaignDir, referencedFiles, resolveFile, rootDir);
  if (!result.ok) throw new DigestError(result.reason);
  return result.digest;
}

export class DigestError extends Error {
  override name = 'DigestError';
}

/**
 * Paths the campaign references, as written: body templates, the recipient list and the
 * campaign's own suppression lists. Entries of the wrong type are skipped; the schema rule
 * reports them.
 */
export function referencedFilesOf(campaign: unknown): string[] {
  const files: string[] = [];
  if (campaign === null || typeof campaign !== 'object') return files;
  const record = campaign as Record<string, unknown>;
  const body = record.body;
  if (body !== null && typeof body === 'object') {
    const { html, text } = body as Record<string, unknown>;
    if (typeof html === 'string') files.push(html);
    if (typeof text === 'string') files.push(text);
  }
  const recipients = record.recipients;
  if (recipients !== null && typeof recipients === 'object') {
    const { file } = recipients as Record<string, unknown>;
    if (typeof file === 'string') files.push(file);
  }
  if (Array.isArray(record.suppress)) {
    for (const entry of record.suppress) {
      if (typeof entry === 'string') files.push(entry);
      // An object entry (`{ file, hash?, column?, where? }`): its list is content like any other.
      else if (entry !== null && typeof entry === 'object' && typeof (entry as { file?: unknown }).file === 'string') files.push((entry as { file: string }).file);
    }
  }
  return files;
}

/** True for a string shaped like a digest this module produces. */
export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && /^sha256:[0-9a-f]{64}$/.test(value);
}

/** `sha256:ab12cd34…`, short enough for a finding message. */
export function shortDigest(digest: string): string {
  return digest.startsWith('sha256:') && digest.length > 15 ? `${digest.slice(0, 15)}…` : digest;
}
