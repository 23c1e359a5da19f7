import { childProcess } from './lazy-builtins.js';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseYaml } from '../parsers/yaml.js';
import type { ParsedYaml } from '../parsers/yaml.js';
import { ConfigError, UsageError, errorMessage } from './errors.js';
import { findGitRoot, isInside } from './paths.js';
import { readTextFile } from './safe-file.js';
import { describeSchemaErrors } from './schema-errors.js';
// The config's validator alone: the campaign's is the schema rule's, and not needed to read a policy (a --cache hit).
import generatedConfigValidator from '../generated/config-validator.js';
import type { Validator } from './schemas.js';
import type { RuleMeta, SeverityName } from './types.js';
import { toPerson } from '../approval/identity.js';
import { checkPersonKeys } from '../approval/policy.js';
import type { ApproverPerson } from '../approval/identity.js';
import { loadLayers } from '../policy/layers.js';
import type { Layer } from '../policy/layers.js';
import { mergeLayers } from '../policy/merge.js';
import type { Origins, ResolvedOverride } from '../policy/merge.js';
import type { CustomRuleDefinition, RawCustomRule } from '../policy/custom-rule-definition.js';
import type { SuppressionSourceSpec } from '../parsers/suppression-sources.js';

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
  approval: ApprovalPolicy;
  /** With --config-ref: where the policy, and every file it names, is read from. */
  policyRef?: { ref: string; gitRoot: string };
  suppression: string[];
  /** Object entries of `suppression`: hashed lists and platform exports (src/parsers/suppression-sources.ts). */
  suppressionSources: SuppressionSourceSpec[];
  /** Globs of sending-platform payload files (docs/payloads.md), besides `*.payload.json`. */
  payloads: string[];
  caseSensitiveLocalPart: boolean;
  renderSample: number;
  maxFileSize: number;
  /** Declarative custom rules (`custom_rules`), by namespaced id; their severity is in `rules`. */
  customRules: ReadonlyMap<string, CustomRuleDefinition>;
  /** Per-path overrides still to apply (empty once {@link configForCampaign} has applied them). */
  overrides: readonly ResolvedOverride[];
  /** Set by an override: campaigns it matches are special-category whatever their own key says. */
  sensitivity?: 'special-category';
  /** Every layer the policy was built from, in the order applied (presets, extended files, packages, the config). */
  layers: readonly { kind: Layer['kind']; label: string }[];
  /** Where each effective value came from (`rules.no-cc` -> `preset:recommended`, `approval.required` -> `file:3:3`). */
  origins: Origins;
  /** The campaign the overrides were applied for, and which (labels, in order). */
  appliedFor?: { campaign: string; overrides: string[]; declared: readonly ResolvedOverride[] };
}

/** A file the policy names (approval.allowed_signers), read from the same place as the config. */
export interface PolicyFile {
  /** Absolute path in the working tree (for messages and, without --config-ref, for reading). */
  path: string;
  /** How messages name it: `REF:path` when read from a git ref, else the path relative to the root. */
  label: string;
  /** The content as read from the git ref; undefined when the policy comes from the working tree. */
  text?: string;
}

export interface ApprovalPolicy {
  required: number;
  /** The mode that runs: the trusted config's, or a stricter one asked for on the command line. */
  verify: ApprovalMode;
  /** approval.verify as the trusted config says (record when absent). */
  configuredVerify: ApprovalMode;
  /** Who raised the mode (`--approvals`, `input approvals`), when it was raised. */
  raisedBy?: string;
  /** Each approver is a person; a plain string entry is an email (with @) or a GitHub login. */
  approvers: ApproverPerson[];
  allowedSigners: PolicyFile | undefined;
  /**
   * A draft run (`--draft`, the pre-commit hook's default): missing and stale approvals are
   * warnings instead of errors. Never set by the config, and ignored on CI.
   */
  draft?: boolean;
}

/** Which mode ran, and why, in words for findings and summaries. */
export function describeApprovalMode(approval: ApprovalPolicy): string {
  return approval.raisedBy === undefined
    ? `${approval.verify} mode`
    : `${approval.verify} mode, raised from ${approval.configuredVerify} by ${approval.raisedBy}`;
}

export type RawRuleSetting = SeverityName | [SeverityName] | [SeverityName, Record<string, unknown>];

export interface RawOverride {
  files: string[];
  extends?: string | string[];
  rules?: Record<string, RawRuleSetting>;
  approval?: { required?: number };
  sensitivity?: 'special-category';
}

export interface RawConfig {
  extends?: string | string[];
  include?: string[];
  ignore?: string[];
  rules?: Record<string, RawRuleSetting>;
  locked?: string[];
  organization?: { postal_address?: string; sending_domains?: string[]; archive_addresses?: string[] };
  approval?: { required?: number; verify?: ApprovalMode; approvers?: unknown[]; allowed_signers?: string };
  suppression?: (string | SuppressionSourceSpec)[];
  payloads?: string[];
  recipients?: { case_sensitive_local_part?: boolean };
  render_sample?: number;
  max_file_size?: number;
  overrides?: RawOverride[];
  custom_rules?: Record<string, RawCustomRule>;
}

export interface LoadConfigOptions {
  cwd: string;
  /** --config: a file path (relative to cwd). */
  configFile?: string | undefined;
  /** --config-ref: read the config from this git ref instead of the working tree. */
  configRef?: string | undefined;
  /** --approvals: may raise approval.verify from record, never lower or change it. */
  approvals?: ApprovalMode | undefined;
  /** How messages name where `approvals` came from; defaults to `--approvals`. */
  approvalsFrom?: string | undefined;
}

const SEVERITIES: Record<SeverityName, 0 | 1 | 2> = { off: 0, warn: 1, error: 2 };

export function loadConfig(options: LoadConfigOptions, metas: readonly RuleMeta[]): ResolvedConfig {
  const cwd = resolve(options.cwd);
  const gitRoot = findGitRoot(cwd);
  const found = options.configRef !== undefined ? readConfigFromRef(options, cwd, gitRoot) : readConfigFromDisk(options, cwd);
  const rootDir = gitRoot ?? found?.baseDir ?? cwd;
  const raw = found ? validateConfig(found.parsed, found.displayName) : {};
  const baseDir = found?.baseDir ?? rootDir;
  const layers = loadLayers(
    { raw, parsed: found?.parsed, label: found?.displayName ?? 'built-in defaults', baseDir },
    { rootDir, gitRoot, ...(found?.ref !== undefined && gitRoot !== undefined ? { ref: found.ref } : {}) },
  );
  const config = resolveLayers(layers, metas, { source: found?.displayName, baseDir, rootDir });
  const keyProblem = checkPersonKeys(config.approval.approvers);
  if (keyProblem !== undefined) throw new ConfigError(`${found?.displayName ?? 'config'}: invalid config: ${keyProblem}`);
  if (found?.ref !== undefined && gitRoot !== undefined) config.policyRef = { ref: found.ref, gitRoot };
  const signers = config.approval.allowedSigners;
  if (signers !== undefined && config.policyRef !== undefined) {
    // Policy closure: what the trusted config names is read from the trusted ref too.
    signers.text = readPolicyFile(config, signers.path, 'approval.allowed_signers');
    signers.label = `${config.policyRef.ref}:${toGitPath(relative(config.policyRef.gitRoot, signers.path))}`;
  }
  applyRequestedMode(config, options.approvals, options.approvalsFrom ?? '--approvals');
  return config;
}

/**
 * Only tighten: the mode the trusted config names may be raised from record (to
 * signature or github) by the command line or the Action's input, never lowered. signature
 * and github prove different things (keys from the trusted ref, reviews on GitHub), so
 * neither replaces the other: asking for the other one is refused as well.
 */
export function applyRequestedMode(config: ResolvedConfig, requested: ApprovalMode | undefined, from: string): void {
  const configured = config.approval.configuredVerify;
  if (requested === undefined || requested === configured) return;
  if (configured !== 'record') {
    const where = config.source ?? 'the policy';
    throw new UsageError(
      `${from} ${requested} refused: ${where} sets approval.verify: ${configured}, and a mode given here may only raise record to signature or github, never replace a stricter one`,
    );
  }
  config.approval.verify = requested;
  config.approval.raisedBy = from;
}

function toGitPath(path: string): string {
  return path.split(sep).join('/');
}

/**
 * A file the trusted config names (`key` for messages), read from the same place as the
 * config: with --config-ref through git from that ref, the working tree's copy never used;
 * undefined without --config-ref (read it from disk as usual). Absent, outside the
 * repository, or not a regular file in the ref: a ConfigError (exit 2, one line).
 */
export function readPolicyFile(config: ResolvedConfig, path: string, key: string): string | undefined {
  if (config.policyRef === undefined) return undefined;
  return readPolicyFileFromRef(config.policyRef.ref, config.policyRef.gitRoot, path, key, config.source ?? config.policyRef.ref);
}

export function readPolicyFileFromRef(ref: string, gitRoot: string, path: string, key: string, configName: string): string {
  const inRepo = toGitPath(relative(gitRoot, path));
  const refuse = (why: string): ConfigError =>
    new ConfigError(`${configName}: ${key} ${why}; the policy and the files it names are read from git ref \`${ref}\`, never from the working tree`);
  if (inRepo === '' || inRepo.startsWith('../') || inRepo === '..' || isAbsolute(inRepo)) throw refuse(`\`${path}\` is outside the repository`);
  let entry: string;
  try {
    entry = childProcess().execFileSync('git', ['--literal-pathspecs', 'ls-tree', '-z', ref, '--', inRepo], { cwd: gitRoot, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    throw refuse(`\`${inRepo}\` cannot be listed (${errorMessage(error).split('\n', 1)[0] ?? ''})`);
  }
  const [mode, type] = entry.split(/\s/, 2);
  if (entry === '') throw refuse(`\`${inRepo}\` does not exist in \`${ref}\``);
  if (type !== 'blob' || (mode !== '100644' && mode !== '100755')) throw refuse(`\`${inRepo}\` is not a regular file in \`${ref}\` (git mode ${mode ?? '?'})`);
  try {
    return childProcess().execFileSync('git', ['show', `${ref}:${inRepo}`], { cwd: gitRoot, stdio: 'pipe', encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 });
  } catch (error) {
    throw refuse(`\`${inRepo}\` cannot be read from \`${ref}\` (${errorMessage(error).split('\n', 1)[0] ?? ''})`);
  }
}

interface FoundConfig {
  parsed: ParsedYaml;
  displayName: string;
  baseDir: string;
  /** The git ref it was read from (--config-ref). */
  ref?: string;
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
    childProcess().execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: gitRoot, stdio: 'pipe' });
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
      text = childProcess().execFileSync('git', ['show', `${ref}:${inRepo}`], { cwd: gitRoot, stdio: 'pipe', encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    } catch {
      continue;
    }
    const displayName = `${ref}:${inRepo}`;
    return { parsed: parseConfigText(text, displayName), displayName, baseDir: dirname(candidate), ref };
  }
  const wanted = options.configFile ?? CONFIG_FILE_NAMES[0];
  throw new UsageError(`--config-ref: no ${wanted} in git ref \`${ref}\``);
}

export function parseConfigText(text: string, displayName: string): ParsedYaml {
  const parsed = parseYaml(text);
  const first = parsed.errors[0];
  if (first) throw new ConfigError(`${displayName}:${first.line}:${first.column}: invalid config: ${first.message}`);
  return parsed;
}

export function validateConfig(parsed: ParsedYaml, displayName: string): RawConfig {
  if (parsed.value === null || parsed.value === undefined) return {};
  const configValidator = generatedConfigValidator as Validator;
  if (!configValidator(parsed.value)) {
    const [problem] = describeSchemaErrors(configValidator.errors ?? [], parsed);
    if (problem) throw new ConfigError(`${displayName}:${problem.loc.line}:${problem.loc.column}: invalid config: ${problem.message}`);
    throw new ConfigError(`${displayName}: invalid config`);
  }
  return parsed.value;
}

/** One config object (with preset names only in `extends`), as tests and the library build it. */
export function resolveConfig(
  raw: RawConfig,
  metas: readonly RuleMeta[],
  where: { source: string | undefined; baseDir: string; rootDir: string },
): ResolvedConfig {
  const layers = loadLayers({ raw, parsed: undefined, label: where.source ?? 'config', baseDir: where.baseDir }, { rootDir: where.rootDir, gitRoot: undefined });
  return resolveLayers(layers, metas, where);
}

/** The policy the layers make, applied in order: presets, extended files and packages, then the config itself. */
export function resolveLayers(
  layers: readonly Layer[],
  metas: readonly RuleMeta[],
  where: { source: string | undefined; baseDir: string; rootDir: string },
): ResolvedConfig {
  const merged = mergeLayers(layers, metas);
  const raw = merged.raw;
  const allowedSigners = raw.approval?.allowed_signers;
  const verify = raw.approval?.verify ?? 'record';
  const signersPath = allowedSigners === undefined ? undefined : resolve(where.baseDir, allowedSigners);
  return {
    source: where.source,
    baseDir: where.baseDir,
    rootDir: where.rootDir,
    preset: merged.preset,
    include: raw.include ?? DEFAULT_INCLUDE,
    ignore: raw.ignore ?? [],
    rules: merged.rules,
    locked: merged.locked,
    organization: {
      postalAddress: raw.organization?.postal_address,
      sendingDomains: raw.organization?.sending_domains ?? [],
      archiveAddresses: raw.organization?.archive_addresses ?? [],
    },
    approval: {
      required: raw.approval?.required ?? 2,
      verify,
      configuredVerify: verify,
      approvers: (raw.approval?.approvers ?? []).map(toPerson).filter((person): person is ApproverPerson => person !== undefined),
      allowedSigners: signersPath === undefined ? undefined : { path: signersPath, label: toGitPath(relative(where.rootDir, signersPath)) || signersPath },
    },
    suppression: (raw.suppression ?? []).filter((entry): entry is string => typeof entry === 'string'),
    suppressionSources: (raw.suppression ?? []).filter((entry): entry is SuppressionSourceSpec => typeof entry !== 'string'),
    payloads: raw.payloads ?? [],
    caseSensitiveLocalPart: raw.recipients?.case_sensitive_local_part ?? false,
    renderSample: raw.render_sample ?? 100,
    maxFileSize: raw.max_file_size ?? 1024 * 1024,
    customRules: merged.customRules,
    overrides: merged.overrides,
    layers: layers.map((layer) => ({ kind: layer.kind, label: layer.label })),
    origins: merged.origins,
  };
}

export { SEVERITIES };
