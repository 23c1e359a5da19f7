import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { checkFile } from './safe-file.js';
import type { FileRefusalKind } from './safe-file.js';

/** The nearest folder at or above `start` that holds `.git` (a folder, or a file in worktrees). */
export function findGitRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export type ResolvedPath = { ok: true; path: string } | { ok: false; reason: string; kind?: FileRefusalKind };

/**
 * Resolves a path written in a campaign relative to the campaign's folder and
 * refuses anything that leaves the repository root, by `..` or through a
 * symlink at any level (even one whose target does not exist), and anything
 * that exists but is not a regular file (a FIFO would hang the reader): a pull
 * request must not make the linter read /etc/passwd into a digest or a finding.
 * A missing file is `ok` here: the rules report it as missing. One function
 * with the safe reader ({@link checkFile}), which the read itself repeats.
 */
export function resolveInside(rootDir: string, baseDir: string, written: string): ResolvedPath {
  if (written.includes('\0')) return { ok: false, reason: 'contains a NUL byte' };
  if (isAbsolute(written)) return { ok: false, reason: 'is absolute; write it relative to the campaign file' };
  const target = resolve(baseDir, written);
  const checked = checkFile(target, { rootDir });
  if (checked.ok || checked.kind === 'missing') return { ok: true, path: target };
  return { ok: false, reason: checked.reason, kind: checked.kind };
}

/** True when `path` (absolute) is inside the repository by its real path and a regular file or missing. */
export function resolvesInside(rootDir: string, path: string): boolean {
  const checked = checkFile(path, { rootDir });
  return checked.ok || checked.kind === 'missing';
}

/** Posix-style path relative to `from`, for output and for globs. */
export function toPosixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join('/');
}
