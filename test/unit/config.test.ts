import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/core/config.js';
import { ConfigError, UsageError } from '../../src/core/errors.js';
import { ruleMetas } from '../../src/rules/index.js';
import { tempTree } from '../helpers/campaign.js';

const load = (files: Record<string, string>, cwdSub = '', extra: { configFile?: string } = {}) => {
  const root = tempTree(files);
  const cwd = join(root, cwdSub);
  mkdirSync(cwd, { recursive: true });
  return { root, config: () => loadConfig({ cwd, ...extra }, ruleMetas) };
};

test('defaults when no config exists: recommended, the six locked rules', () => {
  const { config } = load({});
  const resolved = config();
  assert.equal(resolved.source, undefined);
  assert.equal(resolved.preset, 'recommended');
  assert.deepEqual([...resolved.locked].sort(), ['header-injection', 'no-bulk-bcc', 'no-cc', 'single-recipient-to', ...ruleMetas.filter((m) => m.lockedByDefault && !['header-injection', 'no-bulk-bcc', 'no-cc', 'single-recipient-to'].includes(m.id)).map((m) => m.id)].sort());
  assert.equal(resolved.approval.required, 2);
  assert.equal(resolved.rules.get('no-cc')?.severity, 2);
});

test('found by searching upward from the working directory', () => {
  const { root, config } = load({ 'campaign-lint.config.yaml': 'organization:\n  sending_domains: [mail.example.com]\n' }, 'campaigns/deep/er');
  const resolved = config();
  assert.equal(resolved.baseDir, root);
  assert.deepEqual(resolved.organization.sendingDomains, ['mail.example.com']);
});

test('per-rule severity, strict preset and additive locks', () => {
  const { config } = load({ 'campaign-lint.config.yaml': 'extends: strict\nrules:\n  schema: warn\nlocked: [schema]\n' });
  const resolved = config();
  assert.equal(resolved.rules.get('schema')?.severity, 1);
  assert.equal(resolved.rules.get('disable-reason')?.severity, 2);
  assert.ok(resolved.locked.has('schema'));
  assert.ok(resolved.locked.has('no-cc'));
});

test('JSON configs are accepted', () => {
  const { config } = load({ 'campaign-lint.config.json': '{"rules": {"schema": "off"}}' });
  assert.equal(config().rules.get('schema')?.severity, 0);
});

const invalid: [string, string][] = [
  ['rules:\n  no-ccc: error\n', 'campaign-lint.config.yaml:2:3: invalid config: unknown rule `no-ccc` (did you mean `no-cc`?)'],
  ['rules:\n  no-cc: fatal\n', 'campaign-lint.config.yaml:2:10: invalid config: `rules.no-cc` must be "off", "warn" or "error", or a list [severity, options]'],
  ['organisation:\n  postal_address: x\n', 'campaign-lint.config.yaml:1:1: invalid config: unknown key `organisation` (did you mean `organization`?)'],
  ['approval:\n  verify: trust-me\n', 'campaign-lint.config.yaml:2:11: invalid config: `approval.verify` must be one of "record", "signature", "github"'],
  ['approval:\n  required: "2"\n', 'campaign-lint.config.yaml:2:13: invalid config: `approval.required` must be a whole number'],
  ['a: 1\na: 2\n', 'campaign-lint.config.yaml:2:1: invalid config: `a` is written twice in the same map: keep one (YAML keys must be unique)'],
  ['locked: [no-such-rule]\n', 'campaign-lint.config.yaml:1:10: invalid config: `locked[0]` must be one of'],
];
for (const [text, expected] of invalid) {
  test(`an invalid config is one line naming the key: ${JSON.stringify(text)}`, () => {
    const { config } = load({ 'campaign-lint.config.yaml': text });
    assert.throws(config, (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.ok(error.message.startsWith(expected), `${error.message}\n  does not start with\n${expected}`);
      assert.ok(!error.message.includes('\n'));
      return true;
    });
  });
}

test('--config names a file; a missing one is a usage error', () => {
  const { config } = load({ 'policy.yaml': 'rules:\n  schema: off\n' }, '', { configFile: 'policy.yaml' });
  assert.equal(config().rules.get('schema')?.severity, 0);
  const missing = load({}, '', { configFile: 'nope.yaml' });
  assert.throws(missing.config, UsageError);
});
