import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import sarifDefault, { FATAL_RULE_ID, SARIF_MAX_RESULTS, SARIF_SCHEMA_URI, buildSarifLog, repoRelativePath, sarif } from '../../src/formatters/sarif.js';
import type { SarifLog } from '../../src/formatters/sarif.js';
import {
  DOCS_BASE,
  HOSTILE_MESSAGE,
  cleanResults,
  makeFormatterContext,
  makeResult,
  sampleResults,
} from '../helpers/sample-results.js';

const SCHEMA_PATH = path.resolve(import.meta.dirname, '../../../shared/data/sarif-schema-2.1.0.json');
const schemaMissingReason = existsSync(SCHEMA_PATH)
  ? false
  : `the official SARIF schema is absent at ${SCHEMA_PATH}; schema validation not run`;
if (schemaMissingReason !== false) console.log(`formatter-sarif: ${schemaMissingReason}`);

function validateAgainstSchema(text: string): string[] {
  const Ajv = AjvDraft04Module.default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormatsModule.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  const valid = validate(JSON.parse(text));
  return valid ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

function parse(text: string): SarifLog {
  return JSON.parse(text) as SarifLog;
}

const hostilePathResults = [
  makeResult('/repo/campaigns/a b#1,x:y/100%.campaign.yaml', [
    { ruleId: 'no-cc', severity: 2, message: HOSTILE_MESSAGE, line: 2, column: 1 },
  ]),
  makeResult('/elsewhere/shared list.csv', [
    { ruleId: 'recipient-duplicate', severity: 2, message: 'j***@example.com again', line: 3, column: 1 },
  ]),
  makeResult('/repo/campaigns/unreadable/recipients.csv', [
    { ruleId: null, severity: 2, fatal: true, message: 'Cannot read recipients.csv: permission denied', line: 0, column: 0 },
  ]),
  makeResult('/repo/campaigns/x/campaign.yaml', [
    { ruleId: 'rule-not-in-meta', severity: 1, message: 'from a plugin', line: 1, column: 1 },
  ]),
];

await test('sarif: default export and named export are the same function', () => {
  assert.equal(sarifDefault, sarif);
});

await test('sarif: the sample run is valid against the official SARIF 2.1.0 schema', { skip: schemaMissingReason }, () => {
  assert.deepEqual(validateAgainstSchema(sarif(sampleResults(), makeFormatterContext())), []);
});

await test('sarif: hostile paths, outside-root files, missing positions and a clean run stay schema-valid', { skip: schemaMissingReason }, () => {
  const context = makeFormatterContext();
  assert.deepEqual(validateAgainstSchema(sarif(hostilePathResults, context)), []);
  assert.deepEqual(validateAgainstSchema(sarif(cleanResults(), context)), []);
  assert.deepEqual(validateAgainstSchema(sarif([], context)), []);
});

await test('sarif: the validator does reject a broken log (the schema check can fail)', { skip: schemaMissingReason }, () => {
  const log = parse(sarif(sampleResults(), makeFormatterContext()));
  const broken = { ...log, runs: [{ ...log.runs[0], columnKind: 'bytes' }] };
  assert.notDeepEqual(validateAgainstSchema(JSON.stringify(broken)), []);
});

await test('sarif: log header and driver', () => {
  const log = parse(sarif(sampleResults(), makeFormatterContext({ toolVersion: '1.2.3' })));
  assert.equal(log.$schema, SARIF_SCHEMA_URI);
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  assert.equal(run.tool.driver.name, 'campaign-lint');
  assert.equal(run.tool.driver.version, '1.2.3');
  assert.equal(run.tool.driver.informationUri, 'https://www.npmjs.com/package/campaign-lint');
  assert.equal(run.columnKind, 'utf16CodeUnits');
  assert.deepEqual(run.originalUriBaseIds, {
    '%SRCROOT%': { uri: 'file:///repo/', description: { text: 'The repository root' } },
  });
});

await test('sarif: rules: every known rule sorted by id, then the synthetic fatal rule', () => {
  const rules = parse(sarif(sampleResults(), makeFormatterContext())).runs[0].tool.driver.rules;
  assert.deepEqual(
    rules.map((rule) => rule.id),
    ['header-injection', 'no-cc', 'recipient-duplicate', 'recipient-unused-column', 'subject-honest', FATAL_RULE_ID],
  );
  assert.deepEqual(rules[1], {
    id: 'no-cc',
    shortDescription: { text: 'Disallow Cc recipients on bulk campaigns' },
    fullDescription: {
      text:
        'Disallow Cc recipients on bulk campaigns. Category: recipients-visibility. ' +
        'Default severity in the recommended preset: error. ' +
        'Locked in the recommended preset: inline comments cannot disable it. ' +
        'A privacy rule: its warnings become errors for special-category campaigns.',
    },
    help: {
      text: `Disallow Cc recipients on bulk campaigns. Documentation, with failing and passing examples: ${DOCS_BASE}no-cc`,
      markdown: `**no-cc**: Disallow Cc recipients on bulk campaigns.\n\nSee [the rule's documentation](${DOCS_BASE}no-cc) for failing and passing examples.`,
    },
    helpUri: `${DOCS_BASE}no-cc`,
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['recipients-visibility', 'privacy'] },
  });
  assert.deepEqual(rules[3]?.defaultConfiguration, { level: 'warning' });
  assert.equal(rules[5]?.defaultConfiguration.level, 'error');
  assert.equal(rules[5].shortDescription.text, 'File could not be parsed or read');
});

await test('sarif: the fatal rule is only described when a fatal finding exists', () => {
  const rules = parse(sarif(cleanResults(), makeFormatterContext())).runs[0].tool.driver.rules;
  assert.equal(rules.some((rule) => rule.id === FATAL_RULE_ID), false);
  assert.equal(rules.length, 5);
});

await test('sarif: results carry rule, index, level, message and a repository-relative region', () => {
  const run = parse(sarif(sampleResults(), makeFormatterContext())).runs[0];
  const summary = run.results.map((result) => ({
    ruleId: result.ruleId,
    ruleIndex: result.ruleIndex,
    level: result.level,
    uri: result.locations[0]?.physicalLocation.artifactLocation.uri,
    region: result.locations[0]?.physicalLocation.region,
  }));
  assert.deepEqual(summary, [
    { ruleId: 'fatal', ruleIndex: 5, level: 'error', uri: 'campaigns/broken/campaign.yaml', region: { startLine: 4, startColumn: 7 } },
    {
      ruleId: 'subject-honest',
      ruleIndex: 4,
      level: 'warning',
      uri: 'campaigns/spring-sale/campaign.yaml',
      region: { startLine: 9, startColumn: 10, endLine: 9, endColumn: 32 },
    },
    {
      ruleId: 'no-cc',
      ruleIndex: 1,
      level: 'error',
      uri: 'campaigns/spring-sale/campaign.yaml',
      region: { startLine: 12, startColumn: 5, endLine: 12, endColumn: 31 },
    },
    {
      ruleId: 'header-injection',
      ruleIndex: 0,
      level: 'error',
      uri: 'campaigns/spring-sale/campaign.yaml',
      region: { startLine: 15, startColumn: 13, endLine: 15, endColumn: 40 },
    },
    {
      ruleId: 'recipient-unused-column',
      ruleIndex: 3,
      level: 'warning',
      uri: 'campaigns/spring-sale/recipients.csv',
      region: { startLine: 1, startColumn: 4 },
    },
    {
      ruleId: 'recipient-duplicate',
      ruleIndex: 2,
      level: 'error',
      uri: 'campaigns/spring-sale/recipients.csv',
      region: { startLine: 7, startColumn: 1, endLine: 7, endColumn: 17 },
    },
  ]);
  for (const result of run.results) {
    assert.equal(result.locations[0]?.physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.equal(run.tool.driver.rules[result.ruleIndex]?.id, result.ruleId);
  }
  assert.equal(run.results[3]?.message.text, HOSTILE_MESSAGE);
});

await test('sarif: no fingerprints are invented', () => {
  const text = sarif(sampleResults(), makeFormatterContext());
  assert.equal(text.includes('primaryLocationLineHash'), false);
  assert.equal(text.includes('Fingerprints'), false);
});

await test('sarif: URIs are percent-encoded; files outside the root get an absolute file URI; no line means no region', () => {
  const run = parse(sarif(hostilePathResults, makeFormatterContext())).runs[0];
  const locations = run.results.map((result) => result.locations[0]?.physicalLocation);
  assert.deepEqual(locations[0]?.artifactLocation, {
    uri: 'campaigns/a%20b%231%2Cx%3Ay/100%25.campaign.yaml',
    uriBaseId: '%SRCROOT%',
  });
  assert.deepEqual(locations[1]?.artifactLocation, { uri: 'file:///elsewhere/shared%20list.csv' });
  assert.equal(locations[2]?.region, undefined);
  assert.equal(run.results[3]?.ruleId, 'rule-not-in-meta');
  assert.equal(run.tool.driver.rules[run.results[3].ruleIndex]?.helpUri, `${DOCS_BASE}rule-not-in-meta`);
});

await test('sarif: output is deterministic and does not mutate the input', () => {
  const results = sampleResults();
  const before = JSON.stringify(results);
  const context = makeFormatterContext();
  assert.equal(sarif(results, context), sarif(results, context));
  assert.equal(JSON.stringify(results), before);
  assert.deepEqual(buildSarifLog(results, context), JSON.parse(sarif(results, context)));
});

await test('sarif: repoRelativePath', () => {
  assert.equal(repoRelativePath('/repo/campaigns/x/campaign.yaml', '/repo'), 'campaigns/x/campaign.yaml');
  assert.equal(repoRelativePath('/repo/..hidden/campaign.yaml', '/repo'), '..hidden/campaign.yaml');
  assert.equal(repoRelativePath('/other/campaign.yaml', '/repo'), '/other/campaign.yaml');
  assert.equal(repoRelativePath('/repo', '/repo'), '/repo');
});

await test('sarif: over GitHub\'s 25,000 results per run, errors are kept first and the run says how many were left out', () => {
  const messages = (count: number, severity: 1 | 2, from: number) =>
    Array.from({ length: count }, (_, index) => ({ ruleId: 'no-cc', severity, message: `m${from + index}`, line: from + index + 1, column: 1 }));
  // 20,000 warnings in the first file, 10,000 errors in the second: 30,000 in all.
  const results = [makeResult('/repo/a/campaign.yaml', messages(20_000, 1, 0)), makeResult('/repo/b/campaign.yaml', messages(10_000, 2, 0))];
  const log = buildSarifLog(results, makeFormatterContext());
  const [run] = log.runs;
  assert.equal(SARIF_MAX_RESULTS, 25_000);
  assert.equal(run.results.length, 25_000);
  assert.equal(run.results.filter((result) => result.level === 'error').length, 10_000, 'every error kept');
  assert.equal(run.results.filter((result) => result.level === 'warning').length, 15_000);
  // What is kept stays in report order: the first file's warnings, then the second file's errors.
  assert.equal(run.results[0]?.message.text, 'm0');
  assert.equal(run.results[14_999]?.message.text, 'm14999');
  assert.equal(run.results[15_000]?.level, 'error');
  assert.deepEqual(run.properties, { omittedResults: 5_000, totalResults: 30_000 });
  assert.deepEqual(run.invocations, [
    {
      executionSuccessful: true,
      toolExecutionNotifications: [
        {
          level: 'warning',
          descriptor: { id: 'results-capped' },
          message: {
            text: '5000 of 30000 results left out: GitHub code scanning rejects a run with more than 25000 results, so errors were kept first, then warnings. campaign-lint -f json lists them all.',
          },
        },
      ],
    },
  ]);
  // At the limit exactly, nothing is left out and no note is added.
  const exact = buildSarifLog([makeResult('/repo/a/campaign.yaml', messages(25_000, 1, 0))], makeFormatterContext()).runs[0];
  assert.equal(exact.results.length, 25_000);
  assert.equal(exact.invocations, undefined);
  assert.equal(exact.properties, undefined);
});

await test('sarif: a capped run is still valid SARIF 2.1.0', { skip: schemaMissingReason }, () => {
  const many = Array.from({ length: 25_001 }, (_, index) => ({ ruleId: 'no-cc', severity: 1 as const, message: 'm', line: index + 1, column: 1 }));
  const text = sarif([makeResult('/repo/a/campaign.yaml', many)], makeFormatterContext());
  assert.equal(parse(text).runs[0].properties?.omittedResults, 1);
  assert.deepEqual(validateAgainstSchema(text), []);
});
