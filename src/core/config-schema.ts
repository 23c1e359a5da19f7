import type { RuleMeta } from './types.js';

const SEVERITY = { enum: ['off', 'warn', 'error'] };

/** A rule's setting without options: `error`, or `[error]`. */
const SEVERITY_SETTING = {
  description: 'off | warn | error, or [severity]',
  anyOf: [SEVERITY, { type: 'array', prefixItems: [SEVERITY], minItems: 1, maxItems: 1, items: false }],
};

/** One approver: a person, named by any of email, GitHub login and signing keys. */
const PERSON = {
  description: 'A person needs an email or a github login (a name alone identifies no one), e.g. { name: Bob, email: bob@example.com, github: bob-gh }',
  type: 'object',
  additionalProperties: false,
  anyOf: [
    { required: ['email'], properties: { email: true } },
    { required: ['github'], properties: { github: true } },
  ],
  properties: {
    name: { description: 'Display name; never used to match anyone.', type: 'string', minLength: 1 },
    email: { description: 'Matches `by:` and `author:` in record and signature mode (case and +tags ignored).', type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$' },
    github: { description: 'GitHub login: matches pull-request reviews in github mode.', type: 'string', pattern: '^@?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\[bot\\])?$' },
    keys: {
      description: 'SSH public keys (`ssh-ed25519 AAAA…`) this person signs approvals with, in addition to approval.allowed_signers.',
      type: 'array',
      minItems: 1,
      items: { type: 'string', pattern: '^(?:ssh-|ecdsa-sha2-|sk-)\\S+ [A-Za-z0-9+/]+={0,2}(?: .*)?$' },
    },
  },
};

/** `extends`: presets, relative files, npm packages (docs/policy.md). */
const EXTENDS_ENTRY = {
  type: 'string',
  minLength: 1,
  description: 'recommended | strict | ./relative/file.yaml | an npm package name (@acme/campaign-lint-config), YAML or JSON, never code',
};
const EXTENDS = {
  description: 'Preset(s) and shared policies to start from, applied in order: recommended, strict, a relative YAML/JSON file, or an npm package resolved from node_modules.',
  anyOf: [EXTENDS_ENTRY, { type: 'array', minItems: 1, items: EXTENDS_ENTRY }],
};

export const CUSTOM_ID = '^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$';
const NUMBER_OR_TEXT = { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] };
const REGEX = { description: 'A regular expression in RE2 syntax (linear time: no lookaround, no backreferences).', type: 'string', minLength: 1, maxLength: 2000 };
const FLAGS = { description: 'i (case-insensitive), m (multi-line), s (dot matches newlines)', type: 'string', pattern: '^[ims]{0,3}$' };
const fn = (name: string, description: string, properties: Record<string, unknown>, required: string[] = []) => ({
  description,
  type: 'object',
  additionalProperties: false,
  required: ['function', ...required],
  properties: { function: { const: name }, ...properties },
});
const THEN = {
  description: 'One check: { function: pattern | notPattern | enum | length | defined | undefined | contains | count | dateWindow, ... }',
  type: 'object',
  required: ['function'],
  properties: { function: { enum: ['pattern', 'notPattern', 'enum', 'length', 'defined', 'undefined', 'contains', 'count', 'dateWindow'] } },
  oneOf: [
    fn('pattern', 'Every value matches `match`.', { match: REGEX, flags: FLAGS }, ['match']),
    fn('notPattern', 'No value matches `match`.', { match: REGEX, flags: FLAGS }, ['match']),
    fn('enum', 'Every value is one of `values`.', { values: { type: 'array', minItems: 1, items: NUMBER_OR_TEXT } }, ['values']),
    fn('length', 'Every value (text or list) is `min` to `max` long.', { min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 0 } }),
    fn('defined', 'The path finds at least one value.', {}),
    fn('undefined', 'The path finds no value.', {}),
    fn('contains', 'Some value equals `value` (or, for text, contains it).', { value: NUMBER_OR_TEXT }, ['value']),
    fn('count', 'The path finds `min` to `max` values.', { min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 0 } }),
    fn('dateWindow', 'Every value is an ISO 8601 date-time inside the window (weekday and hours in its own UTC offset).', {
      after: { type: 'string', minLength: 1 },
      before: { type: 'string', minLength: 1 },
      weekdays: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] } },
      hours: { type: 'array', prefixItems: [{ type: 'number', minimum: 0, maximum: 24 }, { type: 'number', minimum: 0, maximum: 24 }], minItems: 2, maxItems: 2, items: false },
    }),
  ],
};
const CUSTOM_RULE = {
  type: 'object',
  additionalProperties: false,
  required: ['description', 'given', 'then'],
  properties: {
    description: { description: 'One line: what the rule requires.', type: 'string', minLength: 1 },
    severity: { ...SEVERITY, description: 'off | warn | error (default error)' },
    message: { description: 'Shown with each finding instead of the description.', type: 'string', minLength: 1 },
    given: {
      description: 'Path(s) into the campaign model: a campaign key (subject, headers.X, approvals[*].by), body.html.text, body.html.links[*].href, recipients.columns[*], recipients.rows[*].<column>',
      anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }],
    },
    then: { anyOf: [{ $ref: '#/$defs/then' }, { type: 'array', minItems: 1, items: { $ref: '#/$defs/then' } }] },
  },
};

/**
 * The config file's JSON Schema, generated from rule metadata so that the
 * rule ids and each rule's options schema have one source of truth
 * (`npm run generate` writes schemas/config.schema.json; a test fails when it is stale).
 */
export function buildConfigSchema(metas: readonly RuleMeta[]): Record<string, unknown> {
  const ruleIds = metas.map((meta) => meta.id).sort();
  const ruleProperties = Object.fromEntries(
    [...metas]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((meta): [string, Record<string, unknown>] => {
        const description = `${meta.description} (default: ${meta.defaultSeverity}${meta.lockedByDefault ? ', locked' : ''})`;
        // One shared definition for the severity forms: the validator compiled from this schema
        // (src/generated/config-validator.ts) checks it in one function instead of 32 copies,
        // which was 560 KB of V8 code cache to load at every start.
        if (!meta.optionsSchema) return [meta.id, { description, $ref: '#/$defs/severity' }];
        return [
          meta.id,
          {
            description,
            anyOf: [{ $ref: '#/$defs/severity' }, { type: 'array', prefixItems: [SEVERITY, meta.optionsSchema], minItems: 2, maxItems: 2, items: false }],
          },
        ];
      }),
  );
  const rules = {
    description: 'Rule id to severity (off | warn | error), or [severity, options]; custom rule ids (brand/x) take a severity.',
    type: 'object',
    propertyNames: { anyOf: [{ enum: ruleIds }, { pattern: CUSTOM_ID }] },
    additionalProperties: { $ref: '#/$defs/severity' },
    properties: ruleProperties,
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://campaign-lint.dev/schemas/v1/config.schema.json',
    title: 'campaign-lint config',
    description: 'Policy for campaign-lint (campaign-lint.config.yaml). Data only: nothing in it is ever executed.',
    type: 'object',
    additionalProperties: false,
    $defs: { rules, severity: SEVERITY_SETTING, extends: EXTENDS, then: THEN },
    properties: {
      $schema: { description: 'Editor hint; ignored.', type: 'string' },
      extends: { $ref: '#/$defs/extends' },
      include: { description: 'Globs (relative to this file) of campaign files to lint when no path is given.', type: 'array', items: { type: 'string', minLength: 1 } },
      ignore: { description: 'Globs (relative to this file) of campaign files never to lint.', type: 'array', items: { type: 'string', minLength: 1 } },
      rules: { $ref: '#/$defs/rules' },
      locked: { description: 'Rules no inline comment can disable; added to the preset\'s locked rules.', type: 'array', items: { enum: ruleIds }, uniqueItems: true },
      organization: {
        description: 'Facts about the sending organisation.',
        type: 'object',
        additionalProperties: false,
        properties: {
          postal_address: { description: 'Postal address every marketing body must contain.', type: 'string', minLength: 1 },
          sending_domains: { description: 'Domains campaigns may send from.', type: 'array', items: { type: 'string', minLength: 1 } },
          archive_addresses: { description: 'The only addresses allowed in bcc.', type: 'array', items: { type: 'string', minLength: 3 } },
        },
      },
      approval: {
        description: 'Two-person approval policy.',
        type: 'object',
        additionalProperties: false,
        properties: {
          required: { description: 'How many valid approvals a campaign needs (special-category campaigns need at least 2).', type: 'integer', minimum: 0, maximum: 20, default: 2 },
          verify: { description: 'record: trust the approvals written in the file; signature: each carries an SSH signature; github: pull-request reviews.', enum: ['record', 'signature', 'github'], default: 'record' },
          approvers: {
            description:
              'Who may approve, each person listed once; empty means anyone but the author. A string is an email (with @) or a GitHub login; an object names one person by email, GitHub login and SSH keys. Approvals count once per person (docs/approval.md).',
            type: 'array',
            items: {
              description: 'Each approver is an email, a GitHub login, or { name, email, github, keys } with an email or a github login',
              anyOf: [{ type: 'string', minLength: 1, pattern: '^\\S+$' }, PERSON],
            },
          },
          allowed_signers: {
            description:
              'allowed_signers file (git\'s format), relative to this file, for signature mode. Read from the same place as this config: with --config-ref, from that git ref, never from the working tree.',
            type: 'string',
            minLength: 1,
          },
        },
      },
      suppression: {
        description: 'Globs (relative to this file) of suppression lists applied to every campaign, or `{file, hash?, column?, where?}` for hashed lists and platform exports (docs/payloads.md).',
        type: 'array',
        items: {
          anyOf: [
            { type: 'string', minLength: 1 },
            {
              type: 'object',
              required: ['file'],
              additionalProperties: false,
              properties: {
                file: { type: 'string', minLength: 1 },
                hash: { enum: ['md5', 'sha1', 'sha256'] },
                column: { type: 'string', minLength: 1 },
                where: { type: 'object', required: ['column', 'value'], additionalProperties: false, properties: { column: { type: 'string', minLength: 1 }, value: { type: 'string' } } },
              },
            },
          ],
        },
      },
      payloads: { description: 'Globs (relative to this file) of sending-platform payload files to lint besides `*.payload.json` (docs/payloads.md).', type: 'array', items: { type: 'string', minLength: 1 } },
      recipients: {
        description: 'How recipient addresses are compared.',
        type: 'object',
        additionalProperties: false,
        properties: {
          case_sensitive_local_part: { description: 'Compare the part before @ case-sensitively (default: case-insensitive).', type: 'boolean', default: false },
        },
      },
      render_sample: { description: 'How many recipients rendered-message renders and audits.', type: 'integer', minimum: 1, maximum: 100000, default: 100 },
      max_file_size: { description: 'Largest campaign YAML or template file read, in bytes (CSV streams have no cap).', type: 'integer', minimum: 1024, default: 1048576 },
      overrides: {
        description: 'Per-path policy (docs/policy.md): applied in order to the campaigns whose path matches `files`. May tighten or loosen unlocked rules; never sets a locked rule below error.',
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['files'],
          properties: {
            files: { description: 'Globs of campaign files, relative to this config file, e.g. campaigns/hiv/**', type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
            extends: { $ref: '#/$defs/extends' },
            rules: { $ref: '#/$defs/rules' },
            approval: {
              description: 'Approval policy for these campaigns.',
              type: 'object',
              additionalProperties: false,
              properties: { required: { description: 'How many valid approvals these campaigns need (never below 2 where the override makes them special-category).', type: 'integer', minimum: 0, maximum: 20 } },
            },
            sensitivity: { description: 'Treat these campaigns as special-category whatever their own `sensitivity` says (only tightens).', enum: ['special-category'] },
          },
        },
      },
      custom_rules: {
        description: 'Declarative rules, data only (docs/policy.md): a namespaced id (brand/privacy-link) to { description, severity, given, then }.',
        type: 'object',
        propertyNames: { pattern: CUSTOM_ID, description: 'A custom rule id is namespaced: brand/privacy-link (lower-case words and dashes, one slash)' },
        additionalProperties: CUSTOM_RULE,
      },
    },
  };
}
