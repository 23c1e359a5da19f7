/**
 * Suppression lists the policy names, as the trusted ref holds them. With `--config-ref` the config
 * comes from a trusted commit, and so must every file it points at: a pull request that deletes
 * entries from a policy-named suppression list must not un-suppress anyone. The working tree's copy
 * is still read (a pull request may add entries); the ref's copy is read as well wherever the two
 * differ, so the lists only ever grow. Git reads the ref; the ref's copy is written to a private
 * temporary folder, because the suppression matcher reads candidates back from files by offset.
 */
import { childProcess } from './lazy-builtins.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { ResolvedConfig } from './config.js';

export interface RefList {
  /** Where the ref's copy was written, for reading. */
  path: string;
  /** `REF:path/in/repo.csv`, for messages. */
  displayPath: string;
}

const MAX_LIST_BYTES = 512 * 1024 * 1024;
let scratch: string | undefined;

function scratchDir(): string {
  if (scratch === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'campaign-lint-policy-'));
    scratch = dir;
    process.once('exit', () => {
      rmSync(dir, { recursive: true, force: true });
    });
  }
  return scratch;
}

const gitPath = (path: string) => path.split(sep).join('/');

function git(gitRoot: string, args: string[], maxBuffer = 64 * 1024 * 1024): Buffer {
  return childProcess().execFileSync('git', ['--literal-pathspecs', ...args], { cwd: gitRoot, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer });
}

/**
 * The ref's copies of the files `pattern` (a config `suppression` glob, relative to the config's
 * folder) matches in the ref, where they differ from the working tree or are missing from it.
 */
export async function refSuppressionLists(config: ResolvedConfig, pattern: string): Promise<RefList[]> {
  const policy = config.policyRef;
  if (policy === undefined) return [];
  const base = gitPath(relative(policy.gitRoot, config.baseDir));
  const listing = git(policy.gitRoot, ['ls-tree', '-r', '-z', policy.ref, '--', base === '' ? '.' : base]).toString('utf8');
  // Loaded only under --config-ref: a lint of the working tree alone never pays for it.
  const { default: picomatch } = await import('picomatch');
  const matches = picomatch(pattern, { dot: true });
  const lists: RefList[] = [];
  for (const line of listing.split('\0')) {
    // `<mode> blob <id>\t<path>`: only regular files; a symlink or submodule in the ref is not a list.
    const tab = line.indexOf('\t');
    if (tab === -1) continue;
    const [mode, type, id] = line.slice(0, tab).split(' ');
    const inRepo = line.slice(tab + 1);
    if (type !== 'blob' || (mode !== '100644' && mode !== '100755') || id === undefined) continue;
    const fromBase = base === '' ? inRepo : inRepo.slice(base.length + 1);
    if (!matches(fromBase)) continue;
    let workingId: string | undefined;
    try {
      workingId = git(policy.gitRoot, ['hash-object', '--', inRepo]).toString('utf8').trim();
    } catch {
      workingId = undefined; // deleted in the working tree: the ref's copy is all there is
    }
    if (workingId === id) continue;
    const path = join(scratchDir(), `${String(lists.length)}-${inRepo.replace(/[^A-Za-z0-9._-]/g, '_')}`);
    writeFileSync(path, git(policy.gitRoot, ['cat-file', 'blob', id], MAX_LIST_BYTES), { mode: 0o600 });
    lists.push({ path, displayPath: `${policy.ref}:${inRepo}` });
  }
  return lists;
}
