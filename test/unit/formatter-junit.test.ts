import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { SaxesParser } from 'saxes';
import junitDefault, { escapeXmlAttribute, escapeXmlText, junit } from '../../src/formatters/junit.js';
import { HOSTILE_MESSAGE, cleanResults, makeFormatterContext, makeResult, sampleResults } from '../helpers/sample-results.js';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * Parses with saxes, a conformant XML 1.0 parser: any well-formedness error
 * (bad escaping, illegal characters, unbalanced tags) fails the test.
 */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const errors: string[] = [];
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  parser.on('error', (error) => errors.push(error.message));
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: { ...tag.attributes }, children: [], text: '' };
    stack.at(-1)?.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  });
  parser.on('closetag', () => stack.pop());
  parser.write(xml).close();
  assert.deepEqual(errors, [], 'the output must be well-formed XML');
  const [documentElement] = root.children;
  assert.ok(documentElement);
  return documentElement;
}

function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

await test('junit: default export and named export are the same function', () => {
  assert.equal(junitDefault, junit);
});

await test('junit: one suite, a testcase per file, a failure per error, fatal as error, warnings in system-out', () => {
  const xml = junit(sampleResults(), makeFormatterContext());
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites '));
  const testsuites = parseXml(xml);
  assert.equal(testsuites.name, 'testsuites');
  assert.deepEqual(testsuites.attributes, { name: 'campaign-lint', tests: '4', failures: '2', errors: '1' });

  const suites = childrenNamed(testsuites, 'testsuite');
  assert.equal(suites.length, 1);
  const [suite] = suites;
  assert.ok(suite);
  assert.deepEqual(suite.attributes, { name: 'campaign-lint', tests: '4', failures: '2', errors: '1', skipped: '0' });

  const testcases = childrenNamed(suite, 'testcase');
  assert.deepEqual(
    testcases.map((testcase) => testcase.attributes),
    [
      { classname: 'campaign-lint', name: 'campaigns/broken/campaign.yaml' },
      { classname: 'campaign-lint', name: 'campaigns/spring-sale/campaign.yaml' },
      { classname: 'campaign-lint', name: 'campaigns/spring-sale/recipients.csv' },
      { classname: 'campaign-lint', name: 'campaigns/welcome/campaign.yaml' },
    ],
  );
  const [broken, sale, recipients, welcome] = testcases;
  assert.ok(broken && sale && recipients && welcome);

  assert.deepEqual(
    broken.children.map((child) => [child.name, child.attributes, child.text]),
    [
      [
        'error',
        { message: 'YAML syntax error: Nested mappings are not allowed in compact mappings', type: 'fatal' },
        'campaigns/broken/campaign.yaml:4:7 fatal: YAML syntax error: Nested mappings are not allowed in compact mappings',
      ],
    ],
  );

  const saleFailures = childrenNamed(sale, 'failure');
  assert.deepEqual(
    saleFailures.map((failure) => failure.attributes.type),
    ['no-cc', 'header-injection'],
  );
  assert.equal(saleFailures[0]?.attributes.message, 'Cc lists 2 recipients; every recipient would see the others.');
  assert.equal(
    saleFailures[0].text,
    'campaigns/spring-sale/campaign.yaml:12:5 no-cc: Cc lists 2 recipients; every recipient would see the others.',
  );
  assert.deepEqual(
    childrenNamed(sale, 'system-out').map((out) => out.text),
    ['warning campaigns/spring-sale/campaign.yaml:9:10 subject-honest: Subject starts with "RE:" but the message is not a reply.'],
  );

  assert.deepEqual(
    recipients.children.map((child) => child.name),
    ['failure', 'system-out'],
  );
  assert.deepEqual(welcome.children, []);
});

await test('junit: hostile message round-trips through a strict parser; illegal characters become U+FFFD', () => {
  const testsuites = parseXml(junit(sampleResults(), makeFormatterContext()));
  const failure = testsuites.children[0]?.children[1]?.children.find((child) => child.attributes.type === 'header-injection');
  assert.ok(failure);
  // Everything but the BEL (not allowed in XML 1.0) comes back exactly, including CR and LF in the attribute.
  const expected = HOSTILE_MESSAGE.replace('\u0007', '\uFFFD');
  assert.equal(failure.attributes.message, expected);
  assert.equal(failure.text, `campaigns/spring-sale/campaign.yaml:15:13 header-injection: ${expected}`);
});

await test('junit: hostile file names and every class of illegal character', () => {
  const illegal = 'nul\u0000 vt\u000B ff\u000C esc\u001B lone\uD800 low\uDC00 fffe\uFFFE ffff\uFFFF';
  const results = [
    makeResult('/repo/campaigns/"<&>\'/campaign.yaml', [
      { ruleId: 'no-cc', severity: 2, message: `${illegal} ]]> <!-- --> 😀 tab\there`, line: 1, column: 2 },
      { ruleId: 'subject-honest', severity: 1, message: '</system-out><injected/>', line: 3, column: 4 },
    ]),
  ];
  const xml = junit(results, makeFormatterContext());
  const testcase = parseXml(xml).children[0]?.children[0];
  assert.ok(testcase);
  assert.equal(testcase.attributes.name, 'campaigns/"<&>\'/campaign.yaml');
  const [failure, systemOut] = testcase.children;
  assert.equal(
    failure?.attributes.message,
    'nul\uFFFD vt\uFFFD ff\uFFFD esc\uFFFD lone\uFFFD low\uFFFD fffe\uFFFD ffff\uFFFD ]]> <!-- --> 😀 tab\there',
  );
  assert.equal(systemOut?.name, 'system-out');
  assert.equal(systemOut.children.length, 0);
  assert.equal(systemOut.text, 'warning campaigns/"<&>\'/campaign.yaml:3:4 subject-honest: </system-out><injected/>');
});

await test('junit: escaping helpers', () => {
  assert.equal(escapeXmlText('a<b>&c\r\n"\''), 'a&lt;b&gt;&amp;c&#13;\n"\'');
  assert.equal(escapeXmlAttribute('a<b>&c\r\n\t"\''), 'a&lt;b&gt;&amp;c&#13;&#10;&#9;&quot;&apos;');
  assert.equal(escapeXmlText('\u0001\uD83D\uDE00\uD83D'), '\uFFFD😀\uFFFD');
});

await test('junit: a clean run and an empty run are well-formed with zero failures', () => {
  const clean = parseXml(junit(cleanResults(), makeFormatterContext()));
  assert.deepEqual(clean.attributes, { name: 'campaign-lint', tests: '2', failures: '0', errors: '0' });
  assert.equal(clean.children[0]?.children.length, 2);
  const empty = parseXml(junit([], makeFormatterContext()));
  assert.deepEqual(empty.attributes, { name: 'campaign-lint', tests: '0', failures: '0', errors: '0' });
  assert.equal(childrenNamed(empty, 'testsuite').length, 1);
});

await test('junit: output is deterministic', () => {
  const context = makeFormatterContext();
  assert.equal(junit(sampleResults(), context), junit(sampleResults(), context));
});

await test('junit: a finding without a position names the file alone', () => {
  const results = [
    makeResult('/repo/campaigns/x/recipients.csv', [
      { ruleId: null, severity: 2, fatal: true, message: 'Cannot read recipients.csv', line: 0, column: 0 },
    ]),
  ];
  const error = parseXml(junit(results, makeFormatterContext())).children[0]?.children[0]?.children[0];
  assert.equal(error?.name, 'error');
  assert.equal(error.text, 'campaigns/x/recipients.csv fatal: Cannot read recipients.csv');
});

// The Jenkins JUnit schema (test/fixtures/schemas/junit-10.xsd, source and licence in its
// README), validated with libxml2's xmllint: a full XSD validator, where saxes only checks XML.
const XSD = fileURLToPath(new URL('../fixtures/schemas/junit-10.xsd', import.meta.url));
const xmllintMissing = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).error !== undefined;
// CI installs xmllint (.ci/run), so there a missing one fails rather than skips.
const xsdSkip = xmllintMissing && process.env.CI === undefined ? 'xmllint is not installed (Debian: apt-get install libxml2-utils); schema validation not run' : false;
if (xsdSkip !== false) console.log(`formatter-junit: ${xsdSkip}`);

function validateXsd(xml: string): { ok: boolean; errors: string } {
  const run = spawnSync('xmllint', ['--noout', '--schema', XSD, '-'], { input: xml, encoding: 'utf8' });
  assert.equal(run.error, undefined, 'xmllint must run');
  return { ok: run.status === 0, errors: run.stderr };
}

await test('junit: the output is valid against the Jenkins JUnit schema (junit-10.xsd)', { skip: xsdSkip }, () => {
  for (const [label, results] of [
    ['sample', sampleResults()],
    ['clean', cleanResults()],
    ['empty', []],
    ['hostile', [makeResult('/repo/campaigns/a&b<c>"d\'/campaign.yaml', [{ ruleId: 'r', severity: 2, message: HOSTILE_MESSAGE, line: 1, column: 1 }, { ruleId: 'w', severity: 1, message: HOSTILE_MESSAGE, line: 2, column: 1 }])]],
  ] as const) {
    const checked = validateXsd(junit([...results], makeFormatterContext()));
    assert.ok(checked.ok, `${label}: ${checked.errors}`);
  }
});

await test('junit: the schema check can fail: a testcase with a file attribute is refused', { skip: xsdSkip }, () => {
  const xml = junit(sampleResults(), makeFormatterContext());
  assert.ok(!/<testcase[^>]* file=/u.test(xml), 'no file attribute on a testcase');
  const withFile = xml.replace('<testcase classname="campaign-lint" name="campaigns/broken/campaign.yaml"', '$& file="campaigns/broken/campaign.yaml"');
  assert.notEqual(withFile, xml);
  const checked = validateXsd(withFile);
  assert.equal(checked.ok, false);
  assert.match(checked.errors, /Element 'testcase', attribute 'file': The attribute 'file' is not allowed/);
});
