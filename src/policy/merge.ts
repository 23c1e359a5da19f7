/**
 * Merging the layers of a policy (presets, extended files and packages, the config) into one, and
 * applying per-path overrides to it for one campaign. Every value remembers where it came from
 * (for --print-config). Overrides may tighten or loosen unlocked rules; they never set a locked
 * rule below error and never set approval.required below 2 where they make campaigns
 * special-category: such an override is a config error naming its index and key.
 */
import { relative, sep } from 'node:path';
import picomatch from 'picomatch';
import type { Preset, RawConfig, ResolvedConfig, RuleSetting } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import type { RuleMeta, SeverityName } from '../core/types.js';
import { locateKey } from '../parsers/yaml.js';
import { defineCustomRule } from './custom-rule-definition.js';
import type { CustomRuleDefinition } from './custom-rule-definition.js';
import type { Layer } from './layers.js';

export type Origins = ReadonlyMap<string, string>;

/** The floor `approval.required` never goes below for special-category campaigns. */
export const SPECIAL_CATEGORY_APPROVALS = 2;

const SEVERITY: Record<SeverityName, 0 | 1 | 2> = { off: 0, warn: 1, error: 2 };
export const SEVERITY_NAMES = ['off', 'warn', 'error'] as const;

/** What an override does, flattened from its extends and its own keys, in order. */
interface Assignment {
  kind: 'rule' | 'custom' | 'required' | 'sensitivity';
  key: string;
  origin: string;
  severity?: 0 | 1 | 2;
  options?: Record<string, unknown>;
  definition?: CustomRuleDefinition;
  required?: number;
  replaceOptions?: boolean;
}

export interface ResolvedOverride {
  /** `campaign-lint.config.yaml overrides[0]`. */
  label: string;
  /** Where it is written (`file:line:column`). */
  where: string;
  files: string[];
  /** Folder the globs are relative to. */
  baseDir: string;
  assignments: Assignment[];
  matches: (relativePath: string) => boolean;
}

interface State {
  rules: Map<string, RuleSetting>;
  customRules: Map<string, CustomRuleDefinition>;
  origins: Map<string, string>;
}

export interface MergedLayers {
  raw: RawConfig;
  preset: Preset;
  rules: Map<string, RuleSetting>;
  locked: Set<string>;
  customRules: Map<string, CustomRuleDefinition>;
  overrides: ResolvedOverride[];
  origins: Map<string, string>;
}

export function originOf(layer: Layer, path: readonly (string | number)[]): string {
  if (layer.parsed === undefined) return layer.label;
  const loc = locateKey(layer.parsed, [...(layer.pathPrefix ?? []), ...path]);
  return `${layer.label}:${String(loc.line)}:${String(loc.column)}`;
}

function presetSeverity(meta: RuleMeta, preset: Preset): 0 | 1 | 2 {
  return preset === 'strict' ? 2 : SEVERITY[meta.defaultSeverity];
}

/** Rule settings, custom rules and approval.required a layer makes, in the order they apply. */
function assignmentsOf(layer: Layer, metas: readonly RuleMeta[], knownCustom: (id: string) => boolean): Assignment[] {
  const out: Assignment[] = [];
  if (layer.kind === 'preset') {
    const preset = layer.preset ?? 'recommended';
    for (const meta of metas) out.push({ kind: 'rule', key: meta.id, origin: layer.label, severity: presetSeverity(meta, preset) });
    return out;
  }
  const defined = new Set<string>();
  for (const [id, raw] of Object.entries(layer.raw.custom_rules ?? {})) {
    const origin = originOf(layer, ['custom_rules', id]);
    const definition = defineCustomRule(id, raw, origin, (path) => originOf(layer, ['custom_rules', id, ...path]));
    defined.add(id);
    out.push({ kind: 'custom', key: id, origin, definition, severity: SEVERITY[raw.severity ?? 'error'] });
  }
  for (const [id, setting] of Object.entries(layer.raw.rules ?? {})) {
    const origin = originOf(layer, ['rules', id]);
    if (!metas.some((meta) => meta.id === id) && !defined.has(id) && !knownCustom(id)) {
      throw new ConfigError(`${origin}: invalid config: \`rules.${id}\` names no built-in rule and no custom rule defined so far (custom_rules)`);
    }
    const [name, options] = typeof setting === 'string' ? [setting, undefined] : (setting as [SeverityName, Record<string, unknown>?]);
    out.push({ kind: 'rule', key: id, origin, severity: SEVERITY[name], ...(options === undefined ? {} : { options, replaceOptions: true }) });
  }
  const required = layer.raw.approval?.required;
  if (required !== undefined) out.push({ kind: 'required', key: 'approval.required', origin: originOf(layer, ['approval', 'required']), required });
  return out;
}

function apply(state: State, assignment: Assignment, metas: readonly RuleMeta[]): void {
  if (assignment.kind === 'custom' && assignment.definition) {
    state.customRules.set(assignment.key, assignment.definition);
    state.rules.set(assignment.key, { severity: assignment.severity ?? 2, options: {} });
    state.origins.set(`custom_rules.${assignment.key}`, assignment.origin);
    state.origins.set(`rules.${assignment.key}`, assignment.origin);
    return;
  }
  if (assignment.kind === 'rule') {
    const previous = state.rules.get(assignment.key);
    const defaults = metas.find((meta) => meta.id === assignment.key)?.defaultOptions;
    const options = assignment.replaceOptions === true ? { ...defaults, ...assignment.options } : previous?.options ?? { ...defaults };
    state.rules.set(assignment.key, { severity: assignment.severity ?? previous?.severity ?? 0, options });
    state.origins.set(`rules.${assignment.key}`, assignment.origin);
  }
}

const PLAIN_KEYS = ['include', 'ignore', 'suppression', 'payloads', 'render_sample', 'max_file_size'] as const;
const OBJECT_KEYS = ['organization', 'approval', 'recipients'] as const;

export function mergeLayers(layers: readonly Layer[], metas: readonly RuleMeta[]): MergedLayers {
  const state: State = { rules: new Map(), customRules: new Map(), origins: new Map() };
  for (const meta of metas) {
    state.rules.set(meta.id, { severity: presetSeverity(meta, 'recommended'), options: { ...meta.defaultOptions } });
    state.origins.set(`rules.${meta.id}`, 'preset:recommended');
  }
  let preset: Preset = 'recommended';
  const merged: Record<string, unknown> = {};
  const locked = new Set(metas.filter((meta) => meta.lockedByDefault).map((meta) => meta.id));
  const rootLayer = layers.find((layer) => layer.root === true);
  for (const layer of layers) {
    if (layer.kind === 'preset') preset = layer.preset ?? preset;
    for (const assignment of assignmentsOf(layer, metas, (id) => state.customRules.has(id))) {
      if (assignment.kind !== 'required') apply(state, assignment, metas);
    }
    for (const key of PLAIN_KEYS) {
      if (layer.raw[key] === undefined) continue;
      merged[key] = layer.raw[key];
      state.origins.set(key, originOf(layer, [key]));
    }
    for (const key of OBJECT_KEYS) {
      const value = layer.raw[key] as Record<string, unknown> | undefined;
      if (value === undefined) continue;
      const target = (merged[key] ?? {}) as Record<string, unknown>;
      for (const [sub, subValue] of Object.entries(value)) {
        target[sub] = subValue;
        state.origins.set(`${key}.${sub}`, originOf(layer, [key, sub]));
      }
      merged[key] = target;
    }
    for (const id of layer.raw.locked ?? []) {
      locked.add(id);
      state.origins.set(`locked.${id}`, originOf(layer, ['locked']));
    }
  }
  if (!state.origins.has('approval.required')) state.origins.set('approval.required', 'default');

  const overrides: ResolvedOverride[] = [];
  for (const layer of layers) {
    (layer.raw.overrides ?? []).forEach((override, index) => {
      const ownLayer: Layer = { ...layer, raw: { ...(override.rules ? { rules: override.rules } : {}), ...(override.approval ? { approval: override.approval } : {}) }, pathPrefix: ['overrides', index] };
      delete ownLayer.overrideExtends;
      const known = new Set(state.customRules.keys());
      const assignments: Assignment[] = [];
      for (const extended of [...(layer.overrideExtends?.[index] ?? []), ownLayer]) {
        // A preset has no place of its own: its settings are where the override's extends names it.
        const from = extended.kind === 'preset' ? `${originOf(layer, ['overrides', index, 'extends'])} (${extended.label})` : undefined;
        for (const assignment of assignmentsOf(extended, metas, (id) => known.has(id))) {
          if (from !== undefined) assignment.origin = from;
          if (assignment.kind === 'custom') known.add(assignment.key);
          assignments.push(assignment);
        }
      }
      const label = `${layer.label} overrides[${String(index)}]`;
      const where = originOf(layer, ['overrides', index]);
      if (override.sensitivity !== undefined) assignments.push({ kind: 'sensitivity', key: 'sensitivity', origin: originOf(layer, ['overrides', index, 'sensitivity']) });
      checkOverride(label, assignments, locked, override.sensitivity !== undefined);
      // A package's globs are relative to the repository's config; a file's, to that file.
      const baseDir = layer.kind === 'package' ? (rootLayer?.baseDir ?? layer.baseDir) : layer.baseDir;
      const matcher = picomatch(override.files, { dot: true });
      overrides.push({ label, where, files: override.files, baseDir, assignments, matches: (path) => matcher(path) });
    });
  }
  // Only keys the schema validated in some layer were copied: the merged object is a RawConfig.
  const raw: RawConfig = merged;
  return { raw, preset, rules: state.rules, locked, customRules: state.customRules, overrides, origins: state.origins };
}

function checkOverride(label: string, assignments: readonly Assignment[], locked: ReadonlySet<string>, special: boolean): void {
  for (const assignment of assignments) {
    if (assignment.kind === 'rule' && locked.has(assignment.key) && (assignment.severity ?? 2) < 2) {
      throw new ConfigError(
        `${assignment.origin}: invalid config: ${label}: \`rules.${assignment.key}\` is locked, and an override may not set it below error (to ${SEVERITY_NAMES[assignment.severity ?? 0]})`,
      );
    }
    if (assignment.kind === 'required' && special && (assignment.required ?? 0) < SPECIAL_CATEGORY_APPROVALS) {
      throw new ConfigError(
        `${assignment.origin}: invalid config: ${label}: \`approval.required\` ${String(assignment.required)} is below ${String(SPECIAL_CATEGORY_APPROVALS)}, the floor for the special-category campaigns it makes`,
      );
    }
  }
}

/**
 * The policy for one campaign: the config with every override whose `files` match the campaign's
 * path applied in order. Idempotent: the result has no overrides left to apply.
 */
export function configForCampaign(config: ResolvedConfig, campaignPath: string, metas: readonly RuleMeta[]): ResolvedConfig {
  if (config.appliedFor !== undefined) return config;
  if (config.overrides.length === 0) return { ...config, appliedFor: { campaign: campaignPath, overrides: [], declared: [] } };
  const state: State = { rules: new Map(config.rules), customRules: new Map(config.customRules), origins: new Map(config.origins) };
  let required = config.approval.required;
  let sensitivity = config.sensitivity;
  const applied: string[] = [];
  for (const override of config.overrides) {
    const path = relative(override.baseDir, campaignPath).split(sep).join('/');
    if (path.startsWith('../') || !override.matches(path)) continue;
    applied.push(override.label);
    for (const assignment of override.assignments) {
      const origin = { ...assignment, origin: `${override.label} (${assignment.origin})` };
      if (assignment.kind === 'required') {
        required = assignment.required ?? required;
        state.origins.set('approval.required', origin.origin);
      } else if (assignment.kind === 'sensitivity') {
        sensitivity = 'special-category';
        state.origins.set('sensitivity', origin.origin);
      } else {
        apply(state, origin, metas);
      }
    }
  }
  return {
    ...config,
    rules: state.rules,
    customRules: state.customRules,
    origins: state.origins,
    approval: { ...config.approval, required },
    ...(sensitivity === undefined ? {} : { sensitivity }),
    overrides: [],
    appliedFor: { campaign: campaignPath, overrides: applied, declared: config.overrides },
  };
}
