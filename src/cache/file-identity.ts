/**
 * What a file's content is, for a cache key: its SHA-256, or a marker when it cannot be read.
 *
 * Two strategies, as ESLint's cache has (`metadata`, `content`), combined: a file is opened by
 * the safe reader (src/core/safe-file.ts: inside the repository by its real path, a regular
 * file), and when its real path, device, inode, size, mtime and ctime (nanoseconds) are the ones
 * recorded the last time it was hashed, the recorded hash is reused; otherwise it is hashed.
 *
 * The stat shortcut is what makes a hit on a 58 MB list cheap (hashing it costs ≈ 0.3 s, a
 * quarter of a full lint here). It is only trusted when the recorded times are older than the
 * hash by RACY_MS (git's "racy clean" rule): a write within the file system's timestamp
 * granularity of the read could otherwise keep every recorded value. ctime cannot be set by a
 * user (`touch -d` sets mtime and moves ctime to now), so an edit that restores size and mtime
 * still changes the identity. In CI a fresh checkout has new inodes and times: there the
 * content hash decides, and a restored cache still hits when the bytes are the same.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, readSync } from 'node:fs';
import { openFile } from '../core/safe-file.js';

/** Recorded times this close to the hash (or later) are not trusted: the file may have changed within one timestamp tick. */
export const RACY_MS = 3000;

export interface RecordedFile {
  /** `realPath|dev|ino|size|mtimeNs|ctimeNs` when trusted, else undefined (hash again next time). */
  stat?: string;
  sha256: string;
}

export class FileIdentities {
  /** By absolute path as asked for: what the cache file recorded, updated as files are hashed. */
  readonly files = new Map<string, RecordedFile>();
  /** Files hashed in this run (a measure for tests and DEBUG output). */
  hashed = 0;

  constructor(recorded: Record<string, RecordedFile> = {}) {
    for (const [path, file] of Object.entries(recorded)) this.files.set(path, file);
  }

  /** `sha256:<hex>`, or `refused:<kind>` (missing, outside the repository, a FIFO, ...). */
  identity(absolutePath: string, rootDir: string | undefined): string {
    const opened = openFile(absolutePath, { rootDir });
    if (!opened.ok) return `refused:${opened.kind}`;
    try {
      const before = fstatSync(opened.fd, { bigint: true });
      const stat = [opened.realPath, before.dev, before.ino, before.size, before.mtimeNs, before.ctimeNs].join('|');
      const recorded = this.files.get(absolutePath);
      if (recorded?.stat !== undefined && recorded.stat === stat) return `sha256:${recorded.sha256}`;
      const startedMs = BigInt(Date.now());
      const sha256 = hashFd(opened.fd);
      this.hashed++;
      const after = fstatSync(opened.fd, { bigint: true });
      const changedWhileRead = after.size !== before.size || after.mtimeNs !== before.mtimeNs || after.ctimeNs !== before.ctimeNs;
      if (changedWhileRead) return `changing:${sha256}`;
      const newest = before.mtimeNs > before.ctimeNs ? before.mtimeNs : before.ctimeNs;
      const trusted = newest / 1_000_000n + BigInt(RACY_MS) < startedMs;
      this.files.set(absolutePath, trusted ? { stat, sha256 } : { sha256 });
      return `sha256:${sha256}`;
    } finally {
      closeSync(opened.fd);
    }
  }

  toJSON(): Record<string, RecordedFile> {
    return Object.fromEntries(this.files);
  }
}

const CHUNK = 1 << 20;

/** Synchronous reads into one 1 MiB buffer: a key is computed before and after a lint, never concurrently with it. */
function hashFd(fd: number): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK);
  for (;;) {
    const read = readSync(fd, buffer, 0, CHUNK, null);
    if (read === 0) break;
    hash.update(buffer.subarray(0, read));
  }
  return hash.digest('hex');
}
