import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import picomatch from 'picomatch';
import { Campaign } from './campaign.js';
import type { ResolvedConfig } from './config.js';
import { DEFAULT_INCLUDE } from './config.js';
import { UsageError } from './errors.js';
import { findGitRoot, isInside, toPosixRelative } from './paths.js';

export interface DiscoveryOptions {
  cwd: string;
  /** Paths, folders or globs from the command line; empty means the config's include globs. */
  patterns: readonly string[];
  /** ESLint's --no-error-on-unmatched-pattern: skip, rather than fail on, a path no campaign matches. */
  errorOnUnmatchedPattern: boolean;
}

export interface Discovery {
  campaigns: string[];
  /** Given paths that matched nothing (only when errorOnUnmatchedPattern is off). */
  unmatched: string[];
}

const GLOB_CHARS = /[*?[\]{}!]/;

function isCampaignName(path: string): boolean {
  const name = basename(path);
  return name === 'campaign.yaml' || name.endsWith('.campaign.yaml');
}

/**
 * Files under `dir`, without node_modules and, inside a git work tree,
 * without what .gitignore excludes (git itself decides, nested ignore files included).
 */
async function listFiles(dir: string): Promise<string[]> {
  if (findGitRoot(dir) !== undefined) {
    try {
      const output = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--full-name', '.'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'ignore'],
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      });
      const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim();
      return output
        .split('\0')
        .filter((path) => path !== '' && !path.split('/').includes('node_modules'))
        .map((path) => resolve(top, path))
        .filter((path) => existsSync(path));
    } catch {
      // Not a usable repository (no git binary, safe.directory...): walk the folder instead.
    }
  }
  // Loaded when a glob runs: tinyglobby's fdir loads picomatch from node_modules on import (≈ 15 ms of start-up).
  const { glob } = await import('tinyglobby');
  const files = await glob(['**/*'], { cwd: dir, absolute: true, dot: true, ignore: ['**/node_modules/**', '**/.git/**'] });
  return files.map((file) => resolve(file));
}

function matcher(patterns: readonly string[]): (relativePath: string) => boolean {
  if (patterns.length === 0) return () => false;
  return picomatch([...patterns], { dot: true });
}

export async function discoverCampaigns(config: ResolvedConfig, options: DiscoveryOptions): Promise<Discovery> {
  const ignored = matcher(config.ignore);
  const isIgnored = (path: string) => ignored(toPosixRelative(config.baseDir, path));
  const found = new Set<string>();
  const unmatched: string[] = [];

  if (options.patterns.length === 0) {
    const included = matcher(config.include);
    for (const file of await listFiles(config.baseDir)) {
      if (included(toPosixRelative(config.baseDir, file)) && !isIgnored(file)) found.add(file);
    }
    return { campaigns: [...found].sort(), unmatched };
  }

  let allCampaigns: string[] | undefined;
  const repositoryCampaigns = async () => {
    if (allCampaigns) return allCampaigns;
    const included = matcher([...DEFAULT_INCLUDE, ...config.include]);
    allCampaigns = (await listFiles(config.rootDir)).filter(
      (file) => (included(toPosixRelative(config.baseDir, file)) || isCampaignName(file)) && !isIgnored(file),
    );
    return allCampaigns;
  };

  for (const pattern of options.patterns) {
    const matchedHere = new Set<string>();
    const add = (file: string) => {
      matchedHere.add(file);
      found.add(file);
    };
    const absolute = resolve(options.cwd, pattern);
    if (existsSync(absolute) && statSync(absolute).isDirectory()) {
      const inFolder = matcher(DEFAULT_INCLUDE);
      for (const file of await listFiles(absolute)) {
        if (inFolder(toPosixRelative(absolute, file)) && !isIgnored(file)) add(file);
      }
    } else if (existsSync(absolute)) {
      if (isCampaignName(absolute) || matcher(config.include)(toPosixRelative(config.baseDir, absolute))) {
        add(absolute);
      } else {
        for (const campaign of await campaignsReferencing(absolute, config, await repositoryCampaigns())) add(campaign);
      }
    } else if (GLOB_CHARS.test(pattern)) {
      const base = isAbsolute(pattern) ? '/' : options.cwd;
      const matches = matcher([isAbsolute(pattern) ? pattern.slice(1) : pattern]);
      for (const file of await listFiles(options.cwd)) {
        if (matches(toPosixRelative(base, file)) && (isCampaignName(file) || matcher(config.include)(toPosixRelative(config.baseDir, file))) && !isIgnored(file)) {
          add(file);
        }
      }
    } else {
      throw new UsageError(`no such file or folder: ${pattern}`);
    }
    if (matchedHere.size === 0) {
      if (options.errorOnUnmatchedPattern) throw new UsageError(`no campaign matches \`${pattern}\``);
      unmatched.push(pattern);
    }
  }
  return { campaigns: [...found].sort(), unmatched };
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
