/**
 * Policy as code through the library: overrides (and their refusals), custom rules (model,
 * functions, positions, inline disables, RE2), extends with files (chains, cycles, escapes), and
 * the canonical effective config.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/core/config.js';
import type { ResolvedConfig } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { lintCampaign } from '../../src/core/linter.js';
import { compileLinear } from '../../src/policy/custom-rules.js';
import { configForCampaign } from '../../src/policy/merge.js';
import { checkCustomRegexes, effectiveConfigDigest } from '../../src/policy/print-config.js';
import { ruleMetas } from '../../src/rules/index.js';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';

const BASE = 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\napproval:\n  required: 0\n';

function setup(config: string, files: Record<string, string> = {}): { root: string; load: () => ResolvedConfig } {
  const root = tempTree({ 'campaign-lint.config.yaml': BASE + config, ...files });
  return { root, load: () => loadConfig({ cwd: root }, ruleMetas) };
}

function configError(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail('expected a config error');
}

async function findings(root: string, config: ResolvedConfig, campaign = 'campaign.yaml'): Promise<string[]> {
  const { results } = await lintCampaign(join(root, campaign), config);
  return results.flatMap((result) => result.messages.map((message) => `${result.filePath.slice(root.length + 1)}:${String(message.line)}:${String(message.column)} ${message.severity === 2 ? 'error' : 'warn'} ${message.ruleId ?? 'fatal'}`));
}

const campaignFiles = (dir: string, campaign = VALID_CAMPAIGN) => ({
  [`${dir}/campaign.yaml`]: campaign,
  ...Object.fromEntries(Object.entries(VALID_FILES).map(([name, text]) => [`${dir}/${name}`, text])),
});

/* ------------------------------------------------------------------ overrides */

test('overrides apply in order to matching paths only: tighten, loosen, approvals, special-category', async () => {
  const { root, load } = setup(
    'rules:\n  recipient-role-address: warn\noverrides:\n  - files: ["campaigns/hiv/**"]\n    sensitivity: special-category\n    approval:\n      required: 3\n    rules:\n      recipient-role-address: error\n  - files: ["campaigns/hiv/b/**"]\n    rules:\n      recipient-role-address: "off"\n',
    { ...campaignFiles('campaigns/hiv/a'), ...campaignFiles('campaigns/hiv/b'), ...campaignFiles('campaigns/news') },
  );
  const base = load();
  const a = configForCampaign(base, join(root, 'campaigns/hiv/a/campaign.yaml'), ruleMetas);
  const b = configForCampaign(base, join(root, 'campaigns/hiv/b/campaign.yaml'), ruleMetas);
  const news = configForCampaign(base, join(root, 'campaigns/news/campaign.yaml'), ruleMetas);
  assert.equal(a.rules.get('recipient-role-address')?.severity, 2);
  assert.equal(b.rules.get('recipient-role-address')?.severity, 0);
  assert.equal(news.rules.get('recipient-role-address')?.severity, 1);
  assert.equal(a.approval.required, 3);
  assert.equal(news.approval.required, 0);
  assert.equal(a.sensitivity, 'special-category');
  assert.equal(news.sensitivity, undefined);
  assert.deepEqual(b.appliedFor?.overrides, ['campaign-lint.config.yaml overrides[0]', 'campaign-lint.config.yaml overrides[1]']);
  assert.equal(a.origins.get('approval.required'), 'campaign-lint.config.yaml overrides[0] (campaign-lint.config.yaml:12:7)');
  // The campaign under campaigns/hiv is special-category by policy: 3 approvals needed, none given.
  assert.deepEqual(
    (await findings(root, base, 'campaigns/hiv/a/campaign.yaml')).filter((line) => line.includes('two-person-approval')),
    ['campaigns/hiv/a/campaign.yaml:5:1 error two-person-approval'],
  );
  assert.deepEqual(await findings(root, base, 'campaigns/news/campaign.yaml'), []);
});

test('an override may not set a locked rule below error: one line naming the override and key', () => {
  const { load } = setup('overrides:\n  - files: ["**"]\n  - files: ["old/**"]\n    rules:\n      no-cc: warn\n');
  assert.equal(configError(load), 'campaign-lint.config.yaml:10:7: invalid config: campaign-lint.config.yaml overrides[1]: `rules.no-cc` is locked, and an override may not set it below error (to warn)');
});

test('a rule locked by the config is as locked for overrides; the recommended preset in an override may not lower it either', () => {
  const { load } = setup('locked: [recipient-role-address]\nrules:\n  recipient-role-address: error\noverrides:\n  - files: ["x/**"]\n    extends: recommended\n');
  assert.match(configError(load), /^campaign-lint\.config\.yaml:11:5 \(preset:recommended\): invalid config: campaign-lint\.config\.yaml overrides\[0\]: `rules\.recipient-role-address` is locked, and an override may not set it below error \(to warn\)$/);
});

test('an override that makes campaigns special-category may not ask for fewer than 2 approvals', () => {
  const { load } = setup('overrides:\n  - files: ["hiv/**"]\n    sensitivity: special-category\n    approval:\n      required: 1\n');
  assert.equal(configError(load), 'campaign-lint.config.yaml:10:7: invalid config: campaign-lint.config.yaml overrides[0]: `approval.required` 1 is below 2, the floor for the special-category campaigns it makes');
});

test('override schema: files is required, sensitivity only tightens', () => {
  assert.match(configError(setup('overrides:\n  - rules: {}\n').load), /^campaign-lint\.config\.yaml:7:5: invalid config: missing required key `files` in `overrides\[0\]`$/);
  assert.match(configError(setup('overrides:\n  - files: [x]\n    sensitivity: standard\n').load), /^campaign-lint\.config\.yaml:8:18: invalid config: `overrides\[0\]\.sensitivity`/);
});

/* ------------------------------------------------------------------ custom rules */

const CUSTOM = `custom_rules:
  brand/subject-length:
    description: Subjects stay short
    given: subject
    then: { function: length, max: 10 }
  brand/no-free:
    description: No FREE
    severity: warn
    given: [subject, body.text.text]
    then: { function: notPattern, match: "\\\\bfree\\\\b", flags: i }
  brand/privacy-link:
    description: Bodies link the privacy policy
    given: body.text.links[*].href
    then: { function: contains, value: "https://example.com/privacy" }
  brand/consent:
    description: Consent is yes
    given: recipients.rows[*].consent
    then: { function: enum, values: ["yes"] }
  brand/columns:
    description: At most 4 columns
    given: recipients.columns[*]
    then: { function: count, max: 3 }
  brand/send-window:
    description: Weekdays, office hours
    given: send_at
    then: { function: dateWindow, weekdays: [mon, tue, wed, thu, fri], hours: [8, 18] }
`;

test('custom rules report with their id at the value: YAML line:column, template line, CSV row', async () => {
  const campaign = VALID_CAMPAIGN.replace('subject: "Hello {{first_name}}"', 'subject: "Hello {{first_name}}, free gifts"') + 'send_at: "2026-12-05T09:00:00+01:00"\n';
  const { root, load } = setup(CUSTOM, {
    ...campaignFiles('.', campaign),
    'body.txt': 'Hello {{first_name}}\n\nSee our FREE offer.\nUnsubscribe: https://mail.example.com/u/{{token}}\n\nExample Ltd, 1 Main Street, London N1 1AA\n',
    'recipients.csv': 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nbo@example.org,Bo,no,t2\n',
  });
  assert.deepEqual((await findings(root, load())).sort(), [
    'body.txt:3:9 warn brand/no-free',
    'body.txt:4:14 error brand/privacy-link',
    'campaign.yaml:10:10 error brand/subject-length',
    'campaign.yaml:10:10 warn brand/no-free',
    'campaign.yaml:20:10 error brand/send-window',
    'recipients.csv:1:1 error brand/columns',
    'recipients.csv:3:1 error brand/consent',
    'recipients.csv:3:19 error recipient-consent',
  ]);
});

test('custom rule messages mask recipient values unless --show-pii', async () => {
  const { root, load } = setup('custom_rules:\n  brand/domain:\n    description: Only example.com\n    given: recipients.rows[*].email\n    then: { function: pattern, match: "@example\\\\.com$" }\n', campaignFiles('.'));
  const { results } = await lintCampaign(join(root, 'campaign.yaml'), load());
  const messages = results.flatMap((result) => result.messages.map((message) => message.message));
  assert.equal(messages.length, 1);
  assert.ok(!messages[0]?.includes('bo@example.org'), messages[0]);
  assert.match(messages[0] ?? '', /^Only example\.com: `recipients\.rows\[2\]\.email` \(`b\*+@example\.org`\) does not match/);
});

test('custom rules obey inline disables like unlocked rules, and never silence a locked rule', async () => {
  const campaign = `# campaign-lint-disable brand/no-cc-word no-cc -- testing\n${VALID_CAMPAIGN}cc: [someone@example.net]\n`;
  const { root, load } = setup('custom_rules:\n  brand/no-cc-word:\n    description: No cc key\n    given: cc\n    then: { function: undefined }\n', campaignFiles('.', campaign));
  const lines = await findings(root, load());
  assert.ok(!lines.some((line) => line.includes('brand/no-cc-word')), lines.join('\n'));
  assert.ok(lines.some((line) => line.endsWith('error no-cc')), lines.join('\n'));
});

test('custom rule ids are namespaced and never collide with built-in ids; options are schema-checked', () => {
  assert.match(configError(setup('custom_rules:\n  no-cc:\n    description: x\n    given: subject\n    then: { function: defined }\n').load), /^campaign-lint\.config\.yaml:7:3: invalid config: `no-cc` is not a valid name in `custom_rules`: A custom rule id is namespaced/);
  assert.match(configError(setup('custom_rules:\n  brand/x:\n    description: x\n    given: subject\n    then: { function: matches }\n').load), /^campaign-lint\.config\.yaml:10:\d+: invalid config: /);
  assert.equal(
    configError(setup('custom_rules:\n  brand/x:\n    description: x\n    given: subjct\n    then: { function: defined }\n').load),
    'campaign-lint.config.yaml:9:5: invalid config: `custom_rules.brand/x.given` starts with `subjct`, which is no campaign key (did you mean `subject`?)',
  );
  assert.equal(
    configError(setup('rules:\n  brand/unknown: warn\n').load),
    'campaign-lint.config.yaml:7:3: invalid config: `rules.brand/unknown` names no built-in rule and no custom rule defined so far (custom_rules)',
  );
});

test('a regular expression RE2 cannot run (lookahead) is a config error at its place', async () => {
  const { load } = setup('custom_rules:\n  brand/x:\n    description: x\n    given: subject\n    then: { function: pattern, match: "(?=a)b" }\n');
  await assert.rejects(checkCustomRegexes(load()), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /^campaign-lint\.config\.yaml:10:32: invalid config: `custom_rules\.brand\/x\.then\.match` is not a regular expression RE2 accepts/);
    return true;
  });
});

test('a catastrophic pattern, (a+)+$ on a long input, returns quickly (RE2 runs in linear time)', async () => {
  const regex = await compileLinear('(a+)+$', undefined, 'test', 'match');
  const input = `${'a'.repeat(50_000)}!`;
  const started = performance.now();
  assert.equal(regex.search(input)?.index, undefined);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 2000, `took ${elapsed.toFixed(0)} ms`);
  // The same through a lint: a body of 50,000 a's and a pattern that backtracks exponentially in V8.
  const { root, load } = setup('custom_rules:\n  brand/x:\n    description: x\n    given: body.text.text\n    then: { function: pattern, match: "^(a+)+$" }\n', {
    ...campaignFiles('.'),
    'body.txt': `${'a'.repeat(50_000)}!\nhttps://mail.example.com/u/{{token}} unsubscribe Example Ltd, 1 Main Street, London N1 1AA`,
  });
  const lintStarted = performance.now();
  assert.ok((await findings(root, load())).includes('body.txt:1:1 error brand/x'));
  assert.ok(performance.now() - lintStarted < 5000);
});

/* ------------------------------------------------------------------ extends with files */

test('extends chains relative files (data only), the config applied last', () => {
  const { load } = setup('extends: [strict, ./policy/base.yaml]\nrules:\n  recipient-count: warn\n', {
    'policy/base.yaml': 'extends: ./more.json\nrules:\n  recipient-count: "off"\n  subject-honest: warn\n',
    'policy/more.json': '{"rules": {"recipient-role-address": "off"}, "approval": {"required": 2}}',
  });
  const config = load();
  assert.equal(config.rules.get('recipient-count')?.severity, 1);
  assert.equal(config.rules.get('subject-honest')?.severity, 1);
  assert.equal(config.rules.get('recipient-role-address')?.severity, 0);
  assert.equal(config.rules.get('no-cc')?.severity, 2);
  assert.equal(config.approval.required, 0, 'the config itself wins');
  assert.equal(config.preset, 'strict');
  assert.deepEqual(config.layers.map((layer) => layer.label), ['preset:strict', 'policy/more.json', 'policy/base.yaml', 'campaign-lint.config.yaml']);
  assert.equal(config.origins.get('rules.subject-honest'), 'policy/base.yaml:4:3');
});

test('extends: cycles, escapes, missing files, code and file-naming keys fail closed with one line', () => {
  assert.equal(
    configError(setup('extends: ./a.yaml\n', { 'a.yaml': 'extends: ./b.yaml\n', 'b.yaml': 'extends: [./a.yaml]\n' }).load),
    'b.yaml:1:11: invalid config: extends cycle: campaign-lint.config.yaml -> a.yaml -> b.yaml -> a.yaml',
  );
  assert.equal(configError(setup('extends: ../outside.yaml\n').load), 'campaign-lint.config.yaml:6:1: invalid config: extends `../outside.yaml` points outside the repository');
  assert.equal(configError(setup('extends: ./nope.yaml\n').load), 'campaign-lint.config.yaml:6:1: invalid config: extends `./nope.yaml` cannot be read: it does not exist');
  assert.equal(configError(setup('extends: ./policy.js\n', { 'policy.js': 'export default {}' }).load), 'campaign-lint.config.yaml:6:1: invalid config: extends `./policy.js` must name a .yaml, .yml or .json file: a policy is data, never code');
  assert.equal(
    configError(setup('extends: ./p.yaml\n', { 'p.yaml': 'suppression: ["/etc/*"]\n' }).load),
    "p.yaml:1:1: invalid config: `suppression` names files, which only the repository's own config may do; move it there",
  );
  assert.match(configError(setup('extends: ./p.yaml\n', { 'p.yaml': 'rules:\n  no-ccc: error\n' }).load), /^p\.yaml:2:3: invalid config: unknown rule `no-ccc`/);
});

/* ------------------------------------------------------------------ the effective config */

test('effectiveConfigDigest: same policy, same digest (wherever the lines are); a changed value changes it', () => {
  const a = setup('rules:\n  subject-honest: warn\n').load();
  const b = setup('\n\nrules:\n    subject-honest: warn\n').load();
  const c = setup('rules:\n  subject-honest: error\n').load();
  assert.match(effectiveConfigDigest(a), /^sha256:[0-9a-f]{64}$/);
  assert.equal(effectiveConfigDigest(a), effectiveConfigDigest(b));
  assert.notEqual(effectiveConfigDigest(a), effectiveConfigDigest(c));
});

test('a campaign outside an override keeps the base digest; inside it, another', () => {
  const { root, load } = setup('overrides:\n  - files: ["hiv/**"]\n    approval:\n      required: 3\n');
  const base = load();
  writeFileSync(join(root, 'x.yaml'), '');
  assert.equal(effectiveConfigDigest(configForCampaign(base, join(root, 'news/campaign.yaml'), ruleMetas)), effectiveConfigDigest(base));
  assert.notEqual(effectiveConfigDigest(configForCampaign(base, join(root, 'hiv/campaign.yaml'), ruleMetas)), effectiveConfigDigest(base));
});

test('HTML bodies: visible text (a match points at its place in the template) and links at their tags', async () => {
  const campaign = VALID_CAMPAIGN.replace('body:\n  text: body.txt', 'body:\n  text: body.txt\n  html: body.html');
  const { root, load } = setup(
    'custom_rules:\n  brand/no-free:\n    description: No FREE\n    given: body.html.text\n    then: { function: notPattern, match: "FREE" }\n  brand/https:\n    description: Links use https\n    given: body.html.links[*].href\n    then: { function: pattern, match: "^(https://|\\\\{\\\\{)" }\n  brand/no-script-text:\n    description: Scripts are not text\n    given: body.html.text\n    then: { function: notPattern, match: "hidden-in-script" }\n',
    {
      ...campaignFiles('.', campaign),
      'body.html': '<html><head><script>hidden-in-script</script></head>\n<body>\n<p>Get it <b>FREE</b> today</p>\n  <a href="http://example.com/x">x</a> <a href="{{unsubscribe_url}}">unsubscribe</a>\n<p>Example Ltd, 1 Main Street, London N1 1AA</p></body></html>\n',
    },
  );
  const lines = (await findings(root, load())).filter((line) => line.includes('brand/'));
  assert.deepEqual(lines.sort(), ['body.html:3:14 error brand/no-free', 'body.html:4:3 error brand/https']);
});
