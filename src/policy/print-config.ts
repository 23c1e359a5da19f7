/**
 * The effective policy as data: what `--print-config [campaign]` prints, and what a result cache
 * keys on. Every value says where it came from (a preset, `file:line:column`, an override, a
 * package); the object is canonical (keys sorted, RFC 8785), so equal policies print and hash the same.
 */
import { createHash } from 'node:crypto';
import { relative, sep } from 'node:path';
import canonicalize from 'canonicalize';
import type { ResolvedConfig } from '../core/config.js';
import { toolVersion } from '../core/version.js';
import { compileLinear } from './custom-rules.js';
import { SEVERITY_NAMES } from './merge.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const posix = (path: string) => path.split(sep).join('/');

function setting(config: ResolvedConfig, key: string, value: unknown, withOrigins: boolean): Json {
  const json = (value === undefined ? null : JSON.parse(JSON.stringify(value))) as Json;
  if (!withOrigins) return json;
  return { value: json, from: config.origins.get(key) ?? 'default' };
}

/** The effective policy; `withOrigins: false` leaves out where values came from (for hashing). */
export function effectiveConfig(config: ResolvedConfig, options: { withOrigins?: boolean } = {}): Record<string, Json> {
  const withOrigins = options.withOrigins ?? true;
  const at = (key: string, value: unknown) => setting(config, key, value, withOrigins);
  const rules: Record<string, Json> = {};
  for (const [id, rule] of [...config.rules].sort(([a], [b]) => a.localeCompare(b))) {
    rules[id] = {
      severity: SEVERITY_NAMES[rule.severity],
      options: JSON.parse(JSON.stringify(rule.options)) as Json,
      locked: config.locked.has(id),
      ...(config.customRules.has(id) ? { custom: true } : {}),
      ...(withOrigins ? { from: config.origins.get(`rules.${id}`) ?? 'default' } : {}),
    };
  }
  const customRules: Record<string, Json> = {};
  for (const [id, definition] of config.customRules) {
    customRules[id] = {
      definition: JSON.parse(JSON.stringify(definition.raw)) as Json,
      ...(withOrigins ? { from: definition.origin } : {}),
    };
  }
  const signers = config.approval.allowedSigners;
  const policy: Record<string, Json> = {
    preset: config.preset,
    rules,
    customRules,
    include: at('include', config.include),
    ignore: at('ignore', config.ignore),
    suppression: at('suppression', config.suppression),
    organization: {
      postal_address: at('organization.postal_address', config.organization.postalAddress),
      sending_domains: at('organization.sending_domains', config.organization.sendingDomains),
      archive_addresses: at('organization.archive_addresses', config.organization.archiveAddresses),
    },
    approval: {
      required: at('approval.required', config.approval.required),
      verify: at('approval.verify', config.approval.verify),
      approvers: at('approval.approvers', config.approval.approvers),
      allowed_signers: at(
        'approval.allowed_signers',
        signers === undefined ? undefined : { file: signers.label, ...(signers.text === undefined ? {} : { sha256: createHash('sha256').update(signers.text).digest('hex') }) },
      ),
    },
    recipients: { case_sensitive_local_part: at('recipients.case_sensitive_local_part', config.caseSensitiveLocalPart) },
    render_sample: at('render_sample', config.renderSample),
    max_file_size: at('max_file_size', config.maxFileSize),
    sensitivity: at('sensitivity', config.sensitivity),
  };
  if (!withOrigins) return policy;
  return {
    tool: toolVersion(),
    source: config.source ?? null,
    ref: config.policyRef?.ref ?? null,
    layers: config.layers.map((layer) => ({ kind: layer.kind, name: layer.label })),
    campaign: config.appliedFor === undefined ? null : posix(relative(config.rootDir, config.appliedFor.campaign)),
    overrides: {
      applied: config.appliedFor?.overrides ?? [],
      declared: (config.appliedFor?.declared ?? config.overrides).map((override) => ({ name: override.label, at: override.where, files: override.files })),
    },
    policy,
  };
}

/** The effective policy as canonical JSON (RFC 8785: keys sorted, numbers normalised). */
export function canonicalEffectiveConfig(config: ResolvedConfig, options: { withOrigins?: boolean } = {}): string {
  return canonicalize(effectiveConfig(config, options)) ?? '{}';
}

/**
 * A digest of what decides findings: the effective settings (rules, options, custom rules,
 * approval, organisation...) without where they came from, so moving a line in the config keeps
 * it. Apply the overrides first (configForCampaign) to key one campaign. The contents of files the
 * policy names (suppression lists, allowed_signers on disk) are not in it.
 */
export function effectiveConfigDigest(config: ResolvedConfig): string {
  return `sha256:${createHash('sha256').update(canonicalEffectiveConfig(config, { withOrigins: false })).digest('hex')}`;
}

/** Compiles every custom rule's regular expressions, so a bad one is a config error before any lint. */
export async function checkCustomRegexes(config: ResolvedConfig): Promise<void> {
  for (const definition of config.customRules.values()) {
    for (const [index, then] of definition.then.entries()) {
      if (then.match !== undefined) await compileLinear(then.match, then.flags, definition.matchAt[index] ?? definition.origin, `custom_rules.${definition.id}.then.match`);
    }
  }
}
