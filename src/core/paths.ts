import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

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

export type ResolvedPath = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Resolves a path written in a campaign relative to the campaign's folder and
 * refuses anything that leaves the repository root, by `..` or through a
 * symlink: a pull request must not make the linter read /etc/passwd into a
 * digest or a finding.
 */
export function resolveInside(rootDir: string, baseDir: string, written: string): ResolvedPath {
  if (written.includes('\0')) return { ok: false, reason: 'contains a NUL byte' };
  if (isAbsolute(written)) return { ok: false, reason: 'is absolute; write it relative to the campaign file' };
  const target = resolve(baseDir, written);
  if (!isInside(rootDir, target)) return { ok: false, reason: 'leaves the repository root' };
  if (existsSync(target)) {
    let real: string;
    try {
      real = realpathSync(target);
    } catch {
      return { ok: true, path: target };
    }
    const realRoot = safeRealpath(rootDir);
    if (!isInside(realRoot, real)) return { ok: false, reason: 'is a symlink that leaves the repository root' };
  }
  return { ok: true, path: target };
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Posix-style path relative to `from`, for output and for globs. */
export function toPosixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join('/');
}
