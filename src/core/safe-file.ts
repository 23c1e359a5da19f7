/**
 * The one way campaign-lint reads a file a repository names (a campaign, a template, a
 * recipient or suppression list, allowed_signers, the file `approve` appends to).
 *
 * Before reading, the REAL path is resolved (every symlink, at every level) and must stay
 * inside the repository root; the file must be a regular file (not a FIFO, socket, device or
 * folder). The file is then opened without following a last symlink and without blocking
 * (O_NONBLOCK: opening a FIFO never waits for a writer), and the opened file must be the one
 * that was checked (same device and inode), so a swap between check and open is refused too.
 *
 * A refusal's `reason` never holds the file's content nor a symlink's target: a committed
 * `campaign.yaml -> /proc/self/environ` must not print the CI job's environment.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { UsageError } from './errors.js';

export type FileRefusalKind = 'nul' | 'outside' | 'symlink-outside' | 'symlink' | 'not-regular' | 'missing' | 'too-large' | 'unreadable' | 'changed';

export interface FileRefusal {
  ok: false;
  kind: FileRefusalKind;
  /** Completes "`<path>` …": never the content, never a symlink's target. */
  reason: string;
}

export interface CheckedFile {
  ok: true;
  /** The path as given (absolute). */
  path: string;
  /** Every symlink resolved; inside the root. */
  realPath: string;
  /** True when some component of `path` is a symlink. */
  viaSymlink: boolean;
  stats: Stats;
}

export interface SafeFileOptions {
  /**
   * The repository root the real path must stay in. Undefined only for a file the user named
   * outside any repository on purpose (a trusted config passed with --config): it must still be
   * a regular file and is still opened without blocking.
   */
  rootDir: string | undefined;
  /** Refuse a file larger than this many bytes (kind `too-large`). */
  maxBytes?: number | undefined;
}

// Both are undefined on Windows (no FIFOs to block on, no O_NOFOLLOW): the fstat check still holds there.
const O_NONBLOCK = (constants as Partial<typeof constants>).O_NONBLOCK ?? 0;
const O_NOFOLLOW = (constants as Partial<typeof constants>).O_NOFOLLOW ?? 0;
const READ_FLAGS = constants.O_RDONLY | O_NONBLOCK | O_NOFOLLOW;

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function errorCode(error: unknown): string {
  return error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string' ? error.code : 'EIO';
}

function realRoot(rootDir: string): string {
  try {
    return realpathSync.native(rootDir);
  } catch {
    return resolve(rootDir);
  }
}

function refuse(kind: FileRefusalKind, reason: string): FileRefusal {
  return { ok: false, kind, reason };
}

/** What a non-regular file is, in a word for a finding. */
export function fileTypeName(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSymbolicLink()) return 'a symlink';
  return 'not a regular file';
}

/** True when some component of `path` below `root` (or `path` itself) is a symlink. */
function hasSymlink(root: string, path: string): boolean {
  let current = path;
  while (current !== root && dirname(current) !== current) {
    try {
      if (lstatSync(current).isSymbolicLink()) return true;
    } catch {
      // A missing component: the real path check reports it.
    }
    if (!isInside(root, current)) return false;
    current = dirname(current);
  }
  return false;
}

/**
 * Resolves `path` (absolute) and checks it without reading or opening it: inside the root by
 * its real path, and a regular file. `missing` is a refusal too; callers that treat a missing
 * file differently (a digest marker, a `does not exist` finding) look at `kind`.
 */
export function checkFile(path: string, options: SafeFileOptions): CheckedFile | FileRefusal {
  if (path.includes('\0')) return refuse('nul', 'contains a NUL byte');
  const absolute = resolve(path);
  const root = options.rootDir === undefined ? undefined : resolve(options.rootDir);
  const rootReal = root === undefined ? undefined : realRoot(root);
  // Lexically inside the root as written or as its real path (git prints the real top-level folder).
  if (root !== undefined && rootReal !== undefined && !isInside(root, absolute) && !isInside(rootReal, absolute)) {
    return refuse('outside', 'leaves the repository root');
  }
  let realPath: string;
  try {
    realPath = realpathSync.native(absolute);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      // A dangling symlink, or a missing file below a symlinked folder: where would it lead?
      const lexicalTarget = danglingTarget(absolute);
      if (rootReal !== undefined && lexicalTarget !== undefined && !isInside(rootReal, lexicalTarget)) {
        return refuse('symlink-outside', 'is a symlink that leaves the repository root');
      }
      return refuse('missing', 'does not exist');
    }
    if (code === 'ELOOP') return refuse('unreadable', 'is a symlink loop');
    return refuse('unreadable', `cannot be read (${code})`);
  }
  const viaSymlink = realPath !== absolute && (root === undefined || hasSymlink(isInside(root, absolute) ? root : (rootReal ?? root), absolute));
  if (rootReal !== undefined && !isInside(rootReal, realPath)) {
    return refuse('symlink-outside', 'is a symlink that leaves the repository root');
  }
  let stats: Stats;
  try {
    stats = statSync(realPath);
  } catch (error) {
    return refuse('unreadable', `cannot be read (${errorCode(error)})`);
  }
  if (!stats.isFile()) return refuse('not-regular', `is not a regular file (${fileTypeName(stats)})`);
  if (options.maxBytes !== undefined && stats.size > options.maxBytes) {
    return refuse('too-large', `is ${stats.size} bytes, over the ${options.maxBytes}-byte limit (config max_file_size)`);
  }
  return { ok: true, path: absolute, realPath, viaSymlink, stats };
}

/** Where a path that does not resolve would lead: the real path of its deepest existing folder plus the rest. */
function danglingTarget(absolute: string): string | undefined {
  let existing = absolute;
  const rest: string[] = [];
  for (let hops = 0; hops < 64; hops++) {
    let isLink = false;
    try {
      isLink = lstatSync(existing).isSymbolicLink();
    } catch {
      // Missing: go up.
    }
    if (isLink) {
      let target: string;
      try {
        target = readlinkSync(existing);
      } catch {
        return undefined;
      }
      existing = resolve(dirname(existing), target, ...rest);
      rest.length = 0;
      continue;
    }
    try {
      return resolve(realpathSync.native(existing), ...rest);
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return undefined;
      rest.unshift(existing.slice(parent.length).replace(/^[/\\]/, ''));
      existing = parent;
    }
  }
  return undefined;
}

export interface OpenedFile extends CheckedFile {
  fd: number;
}

/**
 * Checks `path` (see {@link checkFile}) and opens it for reading, without blocking and without
 * following a swapped-in symlink; the opened file must be the checked one. The caller closes `fd`.
 */
export function openFile(path: string, options: SafeFileOptions): OpenedFile | FileRefusal {
  const checked = checkFile(path, options);
  if (!checked.ok) return checked;
  let fd: number;
  try {
    fd = openSync(checked.realPath, READ_FLAGS);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ELOOP') return refuse('changed', 'changed into a symlink while being read');
    if (code === 'ENOENT') return refuse('missing', 'does not exist');
    return refuse('unreadable', `cannot be read (${code})`);
  }
  let opened: Stats;
  try {
    opened = fstatSync(fd);
  } catch (error) {
    closeSync(fd);
    return refuse('unreadable', `cannot be read (${errorCode(error)})`);
  }
  if (!opened.isFile()) {
    closeSync(fd);
    return refuse('not-regular', `is not a regular file (${fileTypeName(opened)})`);
  }
  if (opened.dev !== checked.stats.dev || opened.ino !== checked.stats.ino) {
    closeSync(fd);
    return refuse('changed', 'changed while being read');
  }
  if (options.maxBytes !== undefined && opened.size > options.maxBytes) {
    closeSync(fd);
    return refuse('too-large', `is ${opened.size} bytes, over the ${options.maxBytes}-byte limit (config max_file_size)`);
  }
  return { ...checked, stats: opened, fd };
}

/**
 * Opens a file to rewrite it in place (`approve`): the safe reader's checks, and no symlink at
 * any level (a write must never follow one, even inside the repository). The caller closes `fd`.
 */
export function openFileForUpdate(path: string, options: SafeFileOptions): OpenedFile | FileRefusal {
  const checked = checkFile(path, options);
  if (!checked.ok) return checked;
  if (checked.viaSymlink) return refuse('symlink', 'is a symlink; approve the file it points to instead');
  let fd: number;
  try {
    fd = openSync(checked.realPath, constants.O_RDWR | O_NONBLOCK | O_NOFOLLOW);
  } catch (error) {
    const code = errorCode(error);
    return code === 'ELOOP' ? refuse('changed', 'changed into a symlink while being written') : refuse('unreadable', `cannot be opened for writing (${code})`);
  }
  const opened = fstatSync(fd);
  if (!opened.isFile() || opened.dev !== checked.stats.dev || opened.ino !== checked.stats.ino) {
    closeSync(fd);
    return refuse('changed', 'changed while being written');
  }
  return { ...checked, stats: opened, fd };
}

export interface ReadFile extends CheckedFile {
  text: string;
}

/** Reads a whole file as UTF-8 (see {@link openFile}); at most `maxBytes` when given. */
export function readTextFile(path: string, options: SafeFileOptions): ReadFile | FileRefusal {
  const opened = openFile(path, options);
  if (!opened.ok) return opened;
  try {
    const limit = options.maxBytes === undefined ? opened.stats.size : Math.min(opened.stats.size, options.maxBytes);
    const buffer = readAll(opened.fd, limit);
    return { ok: true, path: opened.path, realPath: opened.realPath, viaSymlink: opened.viaSymlink, stats: opened.stats, text: buffer.toString('utf8') };
  } catch (error) {
    return refuse('unreadable', `cannot be read (${errorCode(error)})`);
  } finally {
    closeSync(opened.fd);
  }
}

/** At most the first `maxBytes` bytes of a file (for sniffing what a file is). */
export function readFileHead(path: string, options: SafeFileOptions & { maxBytes: number }): (CheckedFile & { head: Buffer }) | FileRefusal {
  const opened = openFile(path, { rootDir: options.rootDir });
  if (!opened.ok) return opened;
  try {
    const head = readAll(opened.fd, Math.min(opened.stats.size, options.maxBytes));
    return { ok: true, path: opened.path, realPath: opened.realPath, viaSymlink: opened.viaSymlink, stats: opened.stats, head };
  } catch (error) {
    return refuse('unreadable', `cannot be read (${errorCode(error)})`);
  } finally {
    closeSync(opened.fd);
  }
}

/** Reads up to `limit` bytes (the size fstat gave); a file that grows meanwhile is read to `limit`. */
function readAll(fd: number, limit: number): Buffer {
  const buffer = Buffer.alloc(limit);
  let offset = 0;
  while (offset < limit) {
    const read = readSync(fd, buffer, offset, limit - offset, offset);
    if (read === 0) break;
    offset += read;
  }
  return offset === limit ? buffer : buffer.subarray(0, offset);
}

/** Async form of {@link readTextFile}, for call sites that await a read. */
export function readTextFileAsync(path: string, options: SafeFileOptions): Promise<ReadFile | FileRefusal> {
  return Promise.resolve(readTextFile(path, options));
}

/** Throws with the refusal's reason: one clear line (a UsageError: exit 2, no stack) where nothing catches it. */
export class FileRefusedError extends UsageError {
  constructor(
    readonly refusal: FileRefusal,
    label: string,
  ) {
    super(`${label} ${refusal.reason}`);
  }
}

/** The one line for a refused campaign file (a fatal finding, or approve's refusal). */
export function campaignRefusal(refusal: FileRefusal, command = 'lint'): string {
  switch (refusal.kind) {
    case 'symlink-outside':
      return `campaign file is a symlink that leaves the repository; ${command} the real file instead`;
    case 'outside':
      return 'campaign file is outside the repository; run campaign-lint from the repository that holds it';
    case 'not-regular':
      return `campaign file ${refusal.reason}; only a regular file is read`;
    case 'symlink':
      return 'campaign file is a symlink; approve the file it points to instead';
    default:
      return `campaign file ${refusal.reason}`;
  }
}
