import type { RuleMeta } from './types.js';

const SEVERITY = { enum: ['off', 'warn', 'error'] };

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
      .map((meta) => {
        const withOptions = meta.optionsSchema
          ? [{ type: 'array', prefixItems: [SEVERITY, meta.optionsSchema], minItems: 2, maxItems: 2, items: false }]
          : [];
        return [
          meta.id,
          {
            description: `${meta.description} (default: ${meta.defaultSeverity}${meta.lockedByDefault ? ', locked' : ''})`,
            anyOf: [SEVERITY, { type: 'array', prefixItems: [SEVERITY], minItems: 1, maxItems: 1, items: false }, ...withOptions],
          },
        ];
      }),
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://campaign-lint.dev/schemas/v1/config.schema.json',
    title: 'campaign-lint config',
    description: 'Policy for campaign-lint (campaign-lint.config.yaml). Data only: nothing in it is ever executed.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { description: 'Editor hint; ignored.', type: 'string' },
      extends: { description: 'Preset to start from: recommended locks the visible-recipient and approval rules; strict makes every rule an error.', enum: ['recommended', 'strict'], default: 'recommended' },
      include: { description: 'Globs (relative to this file) of campaign files to lint when no path is given.', type: 'array', items: { type: 'string', minLength: 1 } },
      ignore: { description: 'Globs (relative to this file) of campaign files never to lint.', type: 'array', items: { type: 'string', minLength: 1 } },
      rules: {
        description: 'Rule id to severity (off | warn | error), or [severity, options].',
        type: 'object',
        propertyNames: { enum: ruleIds },
        additionalProperties: false,
        properties: ruleProperties,
      },
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
    },
  };
}
