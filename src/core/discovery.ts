import { childProcess } from './lazy-builtins.js';
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import picomatch from 'picomatch';
import { Campaign } from './campaign.js';
import type { ResolvedConfig } from './config.js';
import { DEFAULT_INCLUDE } from './config.js';
import { UsageError } from './errors.js';
import { findGitRoot, isInside, toPosixRelative } from './paths.js';
import { readFileHead } from './safe-file.js';

export interface DiscoveryOptions {
  cwd: string;
  /** Paths, folders or globs from the command line; empty means the config's include globs. */
  patterns: readonly string[];
  /** ESLint's --no-error-on-unmatched-pattern: skip, rather than fail on, a path no campaign matches. */
  errorOnUnmatchedPattern: boolean;
  /** --input-format: a file named on the command line that is not a campaign is a payload (src/payloads). */
  anyFileIsPayload?: boolean;
}

export interface Discovery {
  campaigns: string[];
  /** Sending-platform payload files (`*.payload.json`, the config's `payloads` globs, files named with --input-format). */
  payloads: string[];
  /** Given paths that matched nothing (only when errorOnUnmatchedPattern is off). */
  unmatched: string[];
  /** Files the run looked at that look like a campaign but are not linted (rule unlinted-campaign). */
  unlinted: UnlintedFile[];
}

const GLOB_CHARS = /[*?[\]{}!]/;

function isCampaignName(path: string): boolean {
  const name = basename(path);
  return name === 'campaign.yaml' || name.endsWith('.campaign.yaml');
}

/** `*.payload.json`, `*.payload.jsonl`, `*.payload.ndjson`: a sending-platform request saved as a file (docs/payloads.md). */
export function isPayloadName(path: string): boolean {
  return /\.payload\.(?:json|jsonl|ndjson)$/.test(basename(path));
}

interface ListedFiles {
  /** Files to consider, without node_modules and git-ignored files. */
  files: string[];
  /** Files git tracks under a node_modules folder: never linted, but checked for hidden campaigns. */
  trackedInNodeModules: string[];
}

/**
 * Files under `dir`, without node_modules and, inside a git work tree,
 * without what .gitignore excludes (git itself decides, nested ignore files included).
 */
async function listFiles(dir: string): Promise<string[]> {
  return (await listAllFiles(dir)).files;
}

async function listAllFiles(dir: string): Promise<ListedFiles> {
  if (findGitRoot(dir) !== undefined) {
    try {
      // -t tags each entry: `? ` untracked, anything else tracked (a committed node_modules is the author's choice, and checked).
      const output = childProcess().execFileSync('git', ['ls-files', '-z', '-t', '--cached', '--others', '--exclude-standard', '--full-name', '.'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'ignore'],
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      });
      const top = childProcess().execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim();
      const files: string[] = [];
      const trackedInNodeModules: string[] = [];
      const seen = new Set<string>();
      for (const entry of output.split('\0')) {
        if (entry.length < 3) continue;
        const tracked = !entry.startsWith('?');
        const path = entry.slice(2);
        const absolute = resolve(top, path);
        if (seen.has(absolute) || !existsSync(absolute)) continue;
        seen.add(absolute);
        if (!path.split('/').includes('node_modules')) files.push(absolute);
        else if (tracked) trackedInNodeModules.push(absolute);
      }
      return { files, trackedInNodeModules };
    } catch {
      // Not a usable repository (no git binary, safe.directory...): walk the folder instead.
    }
  }
  // Loaded when a glob runs: tinyglobby's fdir loads picomatch from node_modules on import (≈ 15 ms of start-up).
  const { glob } = await import('tinyglobby');
  const files = await glob(['**/*'], { cwd: dir, absolute: true, dot: true, ignore: ['**/node_modules/**', '**/.git/**'] });
  return { files: files.map((file) => resolve(file)), trackedInNodeModules: [] };
}

function matcher(patterns: readonly string[]): (relativePath: string) => boolean {
  if (patterns.length === 0) return () => false;
  return picomatch([...patterns], { dot: true });
}

export async function discoverCampaigns(config: ResolvedConfig, options: DiscoveryOptions): Promise<Discovery> {
  const ignored = matcher(config.ignore);
  const isIgnored = (path: string) => ignored(toPosixRelative(config.baseDir, path));
  const isIncluded = matcher(config.include);
  const included = (path: string) => isIncluded(toPosixRelative(config.baseDir, path));
  const found = new Set<string>();
  const payloads = new Set<string>();
  const payloadGlob = matcher(config.payloads);
  const isPayload = (path: string) => isPayloadName(path) || payloadGlob(toPosixRelative(config.baseDir, path));
  const unmatched: string[] = [];
  // Every file the run looked at: those that look like a campaign but are not linted are findings.
  const looked = new Set<string>();
  const lookedInNodeModules = new Set<string>();
  const likenessCache = new Map<string, CampaignLikeness | undefined>();
  const likeness = (path: string) => {
    if (!likenessCache.has(path)) likenessCache.set(path, campaignLikeness(path, config.rootDir));
    return likenessCache.get(path);
  };
  const finish = (): Discovery => ({ campaigns: [...found].filter((file) => !payloads.has(file)).sort(), payloads: [...payloads].sort(), unmatched, unlinted: unlintedAmong(looked, lookedInNodeModules, found, isIgnored, likeness) });

  if (options.patterns.length === 0) {
    const listed = await listAllFiles(config.baseDir);
    for (const file of listed.files) {
      looked.add(file);
      if (included(file) && !isIgnored(file)) found.add(file);
      else if (isPayload(file) && !isIgnored(file)) payloads.add(file);
    }
    for (const file of listed.trackedInNodeModules) lookedInNodeModules.add(file);
    return finish();
  }

  let allCampaigns: string[] | undefined;
  const repositoryCampaigns = async () => {
    if (allCampaigns) return allCampaigns;
    const anyIncluded = matcher([...DEFAULT_INCLUDE, ...config.include]);
    allCampaigns = (await listFiles(config.rootDir)).filter(
      (file) => (anyIncluded(toPosixRelative(config.baseDir, file)) || isCampaignName(file)) && !isIgnored(file),
    );
    return allCampaigns;
  };

  for (const pattern of options.patterns) {
    const matchedHere = new Set<string>();
    const add = (file: string) => {
      matchedHere.add(file);
      found.add(file);
    };
    const addPayload = (file: string) => {
      matchedHere.add(file);
      payloads.add(file);
    };
    const absolute = resolve(options.cwd, pattern);
    if (existsSync(absolute) && statSync(absolute).isDirectory()) {
      const inFolder = matcher(DEFAULT_INCLUDE);
      const listed = await listAllFiles(absolute);
      for (const file of listed.files) {
        looked.add(file);
        if ((inFolder(toPosixRelative(absolute, file)) || included(file)) && !isIgnored(file)) add(file);
        else if (isPayload(file) && !isIgnored(file)) addPayload(file);
        else if (!isIgnored(file) && likeness(file) !== undefined) matchedHere.add(file);
      }
      for (const file of listed.trackedInNodeModules) lookedInNodeModules.add(file);
    } else if (existsSync(absolute)) {
      if (isCampaignName(absolute) || included(absolute)) {
        add(absolute);
      } else if (isPayload(absolute) || options.anyFileIsPayload === true) {
        addPayload(absolute);
      } else if (!isIgnored(absolute) && likeness(absolute) !== undefined) {
        // A campaign-like file given by name (pre-commit passes changed files) is reported, not skipped.
        looked.add(absolute);
        matchedHere.add(absolute);
      } else {
        for (const campaign of await campaignsReferencing(absolute, config, await repositoryCampaigns())) add(campaign);
      }
    } else if (GLOB_CHARS.test(pattern)) {
      const base = isAbsolute(pattern) ? '/' : options.cwd;
      const matches = matcher([isAbsolute(pattern) ? pattern.slice(1) : pattern]);
      for (const file of await listFiles(options.cwd)) {
        if (!matches(toPosixRelative(base, file)) || isIgnored(file)) continue;
        looked.add(file);
        if (isCampaignName(file) || included(file)) add(file);
        else if (isPayload(file)) addPayload(file);
        else if (likeness(file) !== undefined) matchedHere.add(file);
      }
    } else {
      throw new UsageError(`no such file or folder: ${pattern}`);
    }
    if (matchedHere.size === 0) {
      if (options.errorOnUnmatchedPattern) throw new UsageError(`no campaign matches \`${pattern}\``);
      unmatched.push(pattern);
    }
  }
  return finish();
}

/** Why a file looks like a campaign: `name` (any case of campaign.yaml/.yml, *.campaign.yaml/.yml) or `content`. */
export type CampaignLikeness = 'name' | 'content';

export interface UnlintedFile {
  path: string;
  why: CampaignLikeness;
  /** Committed under a node_modules folder, which discovery never lints. */
  inNodeModules: boolean;
}

/** At most this much of a .yaml/.yml file is read to tell whether it is a campaign: reading is bounded whatever the file's size. */
export const SNIFF_BYTES = 8 * 1024;
const TOP_LEVEL_VERSION = /^\uFEFF?["']?version["']?[ \t]*:/m;
const TOP_LEVEL_RECIPIENTS = /^\uFEFF?["']?recipients["']?[ \t]*:/m;

/**
 * Whether a file looks like a campaign, by its name in any case, or (for .yaml/.yml) by top-level
 * `version:` and `recipients:` keys in its first {@link SNIFF_BYTES} bytes. The head is read by the
 * safe reader: a FIFO, a symlink out of the repository or a folder is never opened (its name still counts).
 */
export function campaignLikeness(path: string, rootDir: string): CampaignLikeness | undefined {
  const name = basename(path).toLowerCase();
  if (name === 'campaign.yaml' || name === 'campaign.yml' || name.endsWith('.campaign.yaml') || name.endsWith('.campaign.yml')) return 'name';
  if (!name.endsWith('.yaml') && !name.endsWith('.yml')) return undefined;
  const read = readFileHead(path, { rootDir, maxBytes: SNIFF_BYTES });
  if (!read.ok) return undefined;
  const head = read.head.toString('utf8');
  return TOP_LEVEL_VERSION.test(head) && TOP_LEVEL_RECIPIENTS.test(head) ? 'content' : undefined;
}

function unlintedAmong(
  looked: ReadonlySet<string>,
  lookedInNodeModules: ReadonlySet<string>,
  linted: ReadonlySet<string>,
  isIgnored: (path: string) => boolean,
  likeness: (path: string) => CampaignLikeness | undefined,
): UnlintedFile[] {
  const unlinted: UnlintedFile[] = [];
  for (const [files, inNodeModules] of [
    [looked, false],
    [lookedInNodeModules, true],
  ] as const) {
    for (const path of files) {
      if (linted.has(path) || isIgnored(path)) continue;
      const why = likeness(path);
      if (why !== undefined) unlinted.push({ path, why, inNodeModules });
    }
  }
  return unlinted.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * pre-commit and lint-staged pass only the changed files: a changed CSV or
 * template must re-lint every campaign that uses it, and a changed global
 * suppression list every campaign.
 */
async function campaignsReferencing(file: string, config: ResolvedConfig, campaigns: readonly string[]): Promise<string[]> {
  const suppression = matcher(config.suppression);
  if (isInside(config.baseDir, file) && suppression(toPosixRelative(config.baseDir, file))) return [...campaigns];
  const users: string[] = [];
  for (const campaignPath of campaigns) {
    let campaign: Campaign;
    try {
      campaign = await Campaign.load(campaignPath, config.rootDir);
    } catch {
      continue;
    }
    const references = campaign.referencedFiles().map((written) => join(campaign.dir, written));
    if (references.some((reference) => resolve(reference) === file)) users.push(campaignPath);
  }
  return users;
}
