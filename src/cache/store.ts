/**
 * The cache file (`--cache`, `--cache-location`): per campaign, the key of its inputs and its
 * findings, plus the recorded identity of every file hashed (file-identity.ts).
 *
 * - Location: inside a git repository, `campaign-lint-cache` in its git folder by default, where
 *   `git add -A` cannot pick it up (a committed cache file that the pre-commit hook rewrites
 *   fails the commit as "files were modified by this hook"); elsewhere `.campaignlintcache` in
 *   the working directory, as ESLint's. A `--cache-location` that is a folder (or ends with a
 *   path separator) holds `.campaignlintcache_<hash of the working directory>`.
 * - A file that is not valid JSON, not ours, of another format or of another build of the
 *   tool, or whose authentication code does not verify, is ignored and rewritten.
 * - Written atomically: a temporary file in the same folder, renamed over the old one.
 * - Authenticated: the entries carry an HMAC-SHA-256 under a secret that never leaves this
 *   machine's user (`$XDG_CACHE_HOME/campaign-lint/cache-secret`, 0600, or the
 *   CAMPAIGN_LINT_CACHE_SECRET environment variable). A cache file committed to the repository
 *   or restored from elsewhere was made under another secret: it is ignored, so no one can ship
 *   a forged "this campaign passed" entry.
 * - Findings are stored as the linter makes them with masking on; with --show-pii nothing is
 *   read or written (key.ts), so no recipient value is ever unmasked in the file.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import type { ResolvedConfig } from '../core/config.js';
import { buildResults } from '../core/report.js';
import type { LintMessage, LintResult } from '../core/types.js';
import { FileIdentities } from './file-identity.js';
import type { RecordedFile } from './file-identity.js';
import { UncacheableError, campaignKey, toolFingerprint, uncacheable } from './key.js';
import { createHash } from 'node:crypto';

export const DEFAULT_CACHE_FILE = '.campaignlintcache';
const FORMAT = 'campaign-lint-cache';
const SCHEMA = 2;

interface Entry {
  key: string;
  results: LintResult[];
}

interface CacheFileBody {
  tool: string;
  entries: Record<string, Entry>;
  files: Record<string, RecordedFile>;
}

/**
 * The git folder of the repository holding `cwd`: `.git` itself, or the folder a `.git` file
 * (a worktree, a submodule) names. Found by walking up, without running git.
 */
function gitFolderOf(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    try {
      if (statSync(dotGit).isDirectory()) return dotGit;
      const named = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'))?.[1];
      if (named !== undefined) return resolve(dir, named);
    } catch {
      // No .git here: look further up.
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Where the cache lives: a file, or a folder holding one named after the working directory. */
export function cacheFilePath(cwd: string, location: string | undefined): string {
  if (location === undefined || location === '') {
    const git = gitFolderOf(cwd);
    if (git === undefined) return resolve(cwd, DEFAULT_CACHE_FILE);
    const hash = createHash('sha256').update(resolve(cwd)).digest('hex').slice(0, 12);
    return join(git, `campaign-lint-cache_${hash}`);
  }
  const path = resolve(cwd, location);
  let isDirectory = location.endsWith('/') || location.endsWith(sep);
  try {
    isDirectory ||= statSync(path).isDirectory();
  } catch {
    // Not there yet: a file, unless written with a trailing separator.
  }
  if (!isDirectory) return path;
  const hash = createHash('sha256').update(resolve(cwd)).digest('hex').slice(0, 12);
  return join(path, `${DEFAULT_CACHE_FILE}_${hash}`);
}

/** The per-user secret the cache's authentication code is made with; undefined when it cannot be had. */
export function cacheSecret(env: NodeJS.ProcessEnv): Buffer | undefined {
  const fromEnv = env.CAMPAIGN_LINT_CACHE_SECRET;
  if (fromEnv !== undefined && fromEnv !== '') return Buffer.from(fromEnv, 'utf8');
  const base = env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  const path = join(base, 'campaign-lint', 'cache-secret');
  try {
    const secret = readFileSync(path);
    if (secret.length >= 32) return secret;
  } catch {
    // Made below.
  }
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const fresh = randomBytes(32);
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, fresh, { mode: 0o600, flag: 'wx' });
    renameSync(temp, path);
    // Another process may have made one at the same time: the file's content is the secret.
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

export interface CampaignCacheOptions {
  cwd: string;
  location?: string | undefined;
  env: NodeJS.ProcessEnv;
  showPii: boolean;
}

export interface CacheLookup {
  /** The cached findings, on a hit. */
  results?: LintResult[];
  /** On a miss: records the findings just made, if the inputs did not change while linting. */
  store?: (results: LintResult[]) => Promise<void>;
}

export interface CacheStats {
  hits: number;
  misses: number;
  uncacheable: string[];
  /** Why the cache file read was not used (`corrupt`, `other build`, ...), when it was not. */
  ignored?: string;
  filesHashed: number;
}

export class CampaignCache {
  readonly path: string;
  readonly stats: CacheStats = { hits: 0, misses: 0, uncacheable: [], filesHashed: 0 };
  private readonly secret: Buffer | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly identities: FileIdentities;
  private readonly showPii: boolean;
  private dirty = false;

  constructor(options: CampaignCacheOptions) {
    this.path = cacheFilePath(options.cwd, options.location);
    this.showPii = options.showPii;
    this.secret = cacheSecret(options.env);
    const body = this.secret === undefined ? undefined : this.read(this.secret);
    this.identities = new FileIdentities(body?.files);
    for (const [path, entry] of Object.entries(body?.entries ?? {})) this.entries.set(path, entry);
  }

  /** Why no campaign can be cached, whatever its config (no secret): undefined when the cache works. */
  get disabledReason(): string | undefined {
    return this.secret === undefined ? 'no per-user cache secret could be read or made (set CAMPAIGN_LINT_CACHE_SECRET)' : undefined;
  }

  async lookup(campaignPath: string, config: ResolvedConfig): Promise<CacheLookup> {
    const why = this.disabledReason ?? uncacheable(config, this.showPii);
    if (why !== undefined) return this.skip(why);
    let key: string;
    try {
      key = await campaignKey(campaignPath, config, this.identities);
    } catch (error) {
      if (error instanceof UncacheableError) return this.skip(error.message);
      throw error;
    }
    const entry = this.entries.get(campaignPath);
    if (entry?.key === key) {
      this.stats.hits++;
      return { results: entry.results };
    }
    this.stats.misses++;
    return {
      store: async (results) => {
        // The inputs again: a file changed while it was linted must not file the findings of its
        // new content under the key of its old one.
        let after: string | undefined;
        try {
          after = await campaignKey(campaignPath, config, this.identities);
        } catch {
          after = undefined;
        }
        if (after !== key) {
          if (this.entries.delete(campaignPath)) this.dirty = true;
          return;
        }
        this.entries.set(campaignPath, { key, results });
        this.dirty = true;
      },
    };
  }

  private skip(why: string): CacheLookup {
    if (!this.stats.uncacheable.includes(why)) this.stats.uncacheable.push(why);
    return {};
  }

  /** Writes the cache file if anything changed (atomically); entries of campaigns that no longer exist are dropped. */
  save(): void {
    this.stats.filesHashed = this.identities.hashed;
    if (this.secret === undefined || (!this.dirty && this.identities.hashed === 0 && this.stats.ignored === undefined)) return;
    for (const path of this.entries.keys()) {
      try {
        statSync(path);
      } catch {
        this.entries.delete(path);
      }
    }
    const tool = toolFingerprint();
    const body = JSON.stringify({ entries: Object.fromEntries(this.entries), files: this.identities.toJSON() });
    const file = { format: FORMAT, schema: SCHEMA, tool, mac: mac(this.secret, tool, body), body };
    const temp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(temp, JSON.stringify(file), { mode: 0o600 });
      renameSync(temp, this.path);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  }

  private read(secret: Buffer): CacheFileBody | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return undefined; // No cache yet.
    }
    const body = parseCacheFile(text, secret);
    if (typeof body !== 'string') return body;
    this.stats.ignored = body;
    return undefined;
  }
}

/** The cache file's body, or why it is ignored. */
function parseCacheFile(text: string, secret: Buffer): CacheFileBody | string {
  const ignore = (why: string): string => why;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return ignore('not JSON');
  }
  if (!isRecord(parsed) || parsed.format !== FORMAT) return ignore('not a campaign-lint cache');
  if (parsed.schema !== SCHEMA) return ignore('another cache format');
  if (parsed.tool !== toolFingerprint()) return ignore('written by another build of campaign-lint');
  if (typeof parsed.body !== 'string') return ignore('damaged');
  // The authentication code covers the body exactly as written: checked before the body is parsed.
  const expected = Buffer.from(mac(secret, parsed.tool, parsed.body), 'hex');
  const given = typeof parsed.mac === 'string' ? Buffer.from(parsed.mac, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return ignore('made under another secret, or altered');
  let body: unknown;
  try {
    body = JSON.parse(parsed.body);
  } catch {
    return ignore('damaged');
  }
  if (!isRecord(body) || !isRecord(body.entries) || !isRecord(body.files)) return ignore('damaged');
  const entries: Record<string, Entry> = {};
  for (const [path, entry] of Object.entries(body.entries)) {
    if (!isRecord(entry) || typeof entry.key !== 'string') return ignore('damaged');
    const results = validResults(entry.results);
    if (results === undefined) return ignore('damaged');
    entries[path] = { key: entry.key, results };
  }
  const files: Record<string, RecordedFile> = {};
  for (const [path, file] of Object.entries(body.files)) {
    if (!isRecord(file) || typeof file.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(file.sha256) || (file.stat !== undefined && typeof file.stat !== 'string')) return ignore('damaged');
    files[path] = typeof file.stat === 'string' ? { stat: file.stat, sha256: file.sha256 } : { sha256: file.sha256 };
  }
  return { tool: parsed.tool, entries, files };
}

/** HMAC-SHA-256 of the build and the body's exact text (not a re-serialisation: canonicalising the findings cost ≈ 0.1 s of a hit). */
function mac(secret: Buffer, tool: string, body: string): string {
  return createHmac('sha256', secret).update(`${tool}\n${body}`).digest('hex');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const isPosition = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;

/** Findings as stored, checked member by member; the counts are recomputed, never trusted. */
function validResults(value: unknown): LintResult[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const byFile = new Map<string, LintMessage[]>();
  for (const result of value) {
    if (!isRecord(result) || typeof result.filePath !== 'string' || !Array.isArray(result.messages)) return undefined;
    const messages: LintMessage[] = [];
    for (const message of result.messages) {
      if (!isRecord(message)) return undefined;
      const { ruleId, severity, line, column, endLine, endColumn, messageId, fatal } = message;
      if (!(ruleId === null || typeof ruleId === 'string') || (severity !== 1 && severity !== 2) || typeof message.message !== 'string') return undefined;
      if (!isPosition(line) || !isPosition(column) || (endLine !== undefined && !isPosition(endLine)) || (endColumn !== undefined && !isPosition(endColumn))) return undefined;
      if ((messageId !== undefined && typeof messageId !== 'string') || (fatal !== undefined && typeof fatal !== 'boolean')) return undefined;
      messages.push(message as unknown as LintMessage);
    }
    byFile.set(result.filePath, messages);
  }
  return buildResults(byFile);
}
