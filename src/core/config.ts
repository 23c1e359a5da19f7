import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseYaml } from '../parsers/yaml.js';
import type { ParsedYaml } from '../parsers/yaml.js';
import { ConfigError, UsageError } from './errors.js';
import { findGitRoot, isInside } from './paths.js';
import { readTextFile } from './safe-file.js';
import { describeSchemaErrors } from './schema-errors.js';
import { validators } from './schemas.js';
import type { RuleMeta, SeverityName } from './types.js';

export const CONFIG_FILE_NAMES = ['campaign-lint.config.yaml', 'campaign-lint.config.yml', 'campaign-lint.config.json'] as const;
export const DEFAULT_INCLUDE = ['**/campaign.yaml', '**/*.campaign.yaml'];

export type Preset = 'recommended' | 'strict';
export type ApprovalMode = 'record' | 'signature' | 'github';

export interface RuleSetting {
  /** 0 off, 1 warning, 2 error. */
  severity: 0 | 1 | 2;
  options: Record<string, unknown>;
}

export interface ResolvedConfig {
  /** Where the policy came from, for messages: a path, `REF:path`, or undefined for built-in defaults. */
  source: string | undefined;
  /** Folder the config's globs and paths are relative to. */
  baseDir: string;
  /** Repository root: the git top level, else the config's folder, else the working directory. */
  rootDir: string;
  preset: Preset;
  include: string[];
  ignore: string[];
  rules: ReadonlyMap<string, RuleSetting>;
  locked: ReadonlySet<string>;
  organization: { postalAddress: string | undefined; sendingDomains: string[]; archiveAddresses: string[] };
  approval: { required: number; verify: ApprovalMode; approvers: string[]; allowedSigners: string | undefined };
  suppression: string[];
  caseSensitiveLocalPart: boolean;
  renderSample: number;
  maxFileSize: number;
}

interface RawConfig {
  extends?: Preset;
  include?: string[];
  ignore?: string[];
  rules?: Record<string, SeverityName | [SeverityName] | [SeverityName, Record<string, unknown>]>;
  locked?: string[];
  organization?: { postal_address?: string; sending_domains?: string[]; archive_addresses?: string[] };
  approval?: { required?: number; verify?: ApprovalMode; approvers?: string[]; allowed_signers?: string };
  suppression?: string[];
  recipients?: { case_sensitive_local_part?: boolean };
  render_sample?: number;
  max_file_size?: number;
}

export interface LoadConfigOptions {
  cwd: string;
  /** --config: a file path (relative to cwd). */
  configFile?: string | undefined;
  /** --config-ref: read the config from this git ref instead of the working tree. */
  configRef?: string | undefined;
  /** --approvals: overrides approval.verify. */
  approvals?: ApprovalMode | undefined;
}

const SEVERITIES: Record<SeverityName, 0 | 1 | 2> = { off: 0, warn: 1, error: 2 };

export function loadConfig(options: LoadConfigOptions, metas: readonly RuleMeta[]): ResolvedConfig {
  const cwd = resolve(options.cwd);
  const gitRoot = findGitRoot(cwd);
  const found = options.configRef !== undefined ? readConfigFromRef(options, cwd, gitRoot) : readConfigFromDisk(options, cwd);
  const rootDir = gitRoot ?? found?.baseDir ?? cwd;
  const raw = found ? validateConfig(found.parsed, found.displayName) : {};
  const config = resolveConfig(raw, metas, {
    source: found?.displayName,
    baseDir: found?.baseDir ?? rootDir,
    rootDir,
  });
  if (options.approvals !== undefined) config.approval.verify = options.approvals;
  return config;
}

interface FoundConfig {
  parsed: ParsedYaml;
  displayName: string;
  baseDir: string;
}

function readConfigFromDisk(options: LoadConfigOptions, cwd: string): FoundConfig | undefined {
  let path: string | undefined;
  if (options.configFile !== undefined) {
    path = resolve(cwd, options.configFile);
    if (!existsSync(path)) throw new UsageError(`config file not found: ${options.configFile}`);
  } else {
    path = findConfigUpward(cwd);
  }
  if (path === undefined) return undefined;
  // The safe reader: a config inside the repository must stay in it by its real path, and no config may be a FIFO.
  const gitRoot = findGitRoot(cwd);
  const read = readTextFile(path, { rootDir: gitRoot !== undefined && isInside(gitRoot, path) ? gitRoot : undefined });
  if (!read.ok) throw new ConfigError(`cannot read config ${path}: it ${read.reason}`);
  const text = read.text;
  return { parsed: parseConfigText(text, relative(cwd, path) || path), displayName: relative(cwd, path) || path, baseDir: dirname(path) };
}

export function findConfigUpward(start: string): string | undefined {
  let dir = start;
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The pull request's own config must not judge it: with --config-ref the
 * policy is read from a trusted commit (the base branch) through git, and the
 * working tree's copy is ignored.
 */
function readConfigFromRef(options: LoadConfigOptions, cwd: string, gitRoot: string | undefined): FoundConfig {
  const ref = options.configRef ?? '';
  if (gitRoot === undefined) throw new UsageError(`--config-ref ${ref}: ${cwd} is not inside a git repository`);
  if (ref.startsWith('-')) throw new UsageError(`--config-ref: invalid git ref \`${ref}\``);
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: gitRoot, stdio: 'pipe' });
  } catch {
    throw new UsageError(`--config-ref: git ref \`${ref}\` not found`);
  }
  const candidates: string[] = [];
  if (options.configFile !== undefined) {
    candidates.push(resolve(cwd, options.configFile));
  } else {
    for (let dir = cwd; ; dir = dirname(dir)) {
      for (const name of CONFIG_FILE_NAMES) candidates.push(join(dir, name));
      if (dir === gitRoot || dirname(dir) === dir) break;
    }
  }
  for (const candidate of candidates) {
    const inRepo = relative(gitRoot, candidate).split(sep).join('/');
    if (inRepo.startsWith('..')) continue;
    let text: string;
    try {
      text = execFileSync('git', ['show', `${ref}:${inRepo}`], { cwd: gitRoot, stdio: 'pipe', encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    } catch {
      continue;
    }
    const displayName = `${ref}:${inRepo}`;
    return { parsed: parseConfigText(text, displayName), displayName, baseDir: dirname(candidate) };
  }
  const wanted = options.configFile ?? CONFIG_FILE_NAMES[0];
  throw new UsageError(`--config-ref: no ${wanted} in git ref \`${ref}\``);
}

function parseConfigText(text: string, displayName: string): ParsedYaml {
  const parsed = parseYaml(text);
  const first = parsed.errors[0];
  if (first) throw new ConfigError(`${displayName}:${first.line}:${first.column}: invalid config: ${first.message}`);
  return parsed;
}

function validateConfig(parsed: ParsedYaml, displayName: string): RawConfig {
  if (parsed.value === null || parsed.value === undefined) return {};
  const configValidator = validators.config;
  if (!configValidator(parsed.value)) {
    const [problem] = describeSchemaErrors(configValidator.errors ?? [], parsed);
    if (problem) throw new ConfigError(`${displayName}:${problem.loc.line}:${problem.loc.column}: invalid config: ${problem.message}`);
    throw new ConfigError(`${displayName}: invalid config`);
  }
  return parsed.value;
}

export function resolveConfig(
  raw: RawConfig,
  metas: readonly RuleMeta[],
  where: { source: string | undefined; baseDir: string; rootDir: string },
): ResolvedConfig {
  const preset = raw.extends ?? 'recommended';
  const rules = new Map<string, RuleSetting>();
  for (const meta of metas) {
    const presetSeverity = preset === 'strict' ? 2 : SEVERITIES[meta.defaultSeverity];
    rules.set(meta.id, { severity: presetSeverity, options: { ...meta.defaultOptions } });
  }
  for (const [id, setting] of Object.entries(raw.rules ?? {})) {
    const [severityName, options] = typeof setting === 'string' ? [setting, undefined] : setting;
    const meta = metas.find((candidate) => candidate.id === id);
    rules.set(id, { severity: SEVERITIES[severityName], options: { ...meta?.defaultOptions, ...options } });
  }
  const locked = new Set(metas.filter((meta) => meta.lockedByDefault).map((meta) => meta.id));
  for (const id of raw.locked ?? []) locked.add(id);
  const allowedSigners = raw.approval?.allowed_signers;
  return {
    source: where.source,
    baseDir: where.baseDir,
    rootDir: where.rootDir,
    preset,
    include: raw.include ?? DEFAULT_INCLUDE,
    ignore: raw.ignore ?? [],
    rules,
    locked,
    organization: {
      postalAddress: raw.organization?.postal_address,
      sendingDomains: raw.organization?.sending_domains ?? [],
      archiveAddresses: raw.organization?.archive_addresses ?? [],
    },
    approval: {
      required: raw.approval?.required ?? 2,
      verify: raw.approval?.verify ?? 'record',
      approvers: raw.approval?.approvers ?? [],
      allowedSigners: allowedSigners === undefined ? undefined : resolve(where.baseDir, allowedSigners),
    },
    suppression: raw.suppression ?? [],
    caseSensitiveLocalPart: raw.recipients?.case_sensitive_local_part ?? false,
    renderSample: raw.render_sample ?? 100,
    maxFileSize: raw.max_file_size ?? 1024 * 1024,
  };
}
