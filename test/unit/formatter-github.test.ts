import assert from 'node:assert/strict';
import { test } from 'node:test';
import githubDefault, {
  escapeCommandData,
  escapeCommandProperty,
  formatWorkflowCommand,
  github,
} from '../../src/formatters/github.js';
import { HOSTILE_MESSAGE, cleanResults, makeFormatterContext, makeResult, sampleResults } from '../helpers/sample-results.js';

/** Decodes a workflow command the way the Actions runner does, to check that values round-trip. */
function decodeCommand(line: string): { command: string; properties: Record<string, string>; message: string } {
  const match = /^::(\w+) ([^:]*)::(.*)$/su.exec(line);
  assert.ok(match, `not a workflow command: ${line}`);
  const [, command = '', rawProperties = '', rawMessage = ''] = match;
  const unescapeData = (value: string): string =>
    value.replace(/%0D/gu, '\r').replace(/%0A/gu, '\n').replace(/%25/gu, '%');
  const unescapeProperty = (value: string): string =>
    unescapeData(value.replace(/%3A/gu, ':').replace(/%2C/gu, ','));
  const properties: Record<string, string> = {};
  for (const pair of rawProperties.split(',')) {
    const separator = pair.indexOf('=');
    properties[pair.slice(0, separator)] = unescapeProperty(pair.slice(separator + 1));
  }
  return { command, properties, message: unescapeData(rawMessage) };
}

await test('github: default export and named export are the same function', () => {
  assert.equal(githubDefault, github);
});

await test('github: one command per finding, with repository-relative paths and full positions', () => {
  const output = github(sampleResults(), makeFormatterContext());
  assert.equal(
    output,
    [
      '::error file=campaigns/broken/campaign.yaml,line=4,col=7,title=fatal::YAML syntax error: Nested mappings are not allowed in compact mappings',
      '::warning file=campaigns/spring-sale/campaign.yaml,line=9,col=10,endLine=9,endColumn=32,title=subject-honest::Subject starts with "RE:" but the message is not a reply.',
      '::error file=campaigns/spring-sale/campaign.yaml,line=12,col=5,endLine=12,endColumn=31,title=no-cc::Cc lists 2 recipients; every recipient would see the others.',
      '::error file=campaigns/spring-sale/campaign.yaml,line=15,col=13,endLine=15,endColumn=40,title=header-injection::Header "X-Note" breaks the line:%0D%0ABcc: <j***@example.com> | 100%25 & more, see a\u0007b',
      '::warning file=campaigns/spring-sale/recipients.csv,line=1,col=4,title=recipient-unused-column::Column "loyalty_tier" is not used by any template or rule.',
      '::error file=campaigns/spring-sale/recipients.csv,line=7,col=1,endLine=7,endColumn=17,title=recipient-duplicate::j***@example.com already appears on line 3.',
      '',
    ].join('\n'),
  );
});

await test('github: a clean run prints nothing', () => {
  assert.equal(github(cleanResults(), makeFormatterContext()), '');
  assert.equal(github([], makeFormatterContext()), '');
});

await test('github: escaping of data and properties', () => {
  assert.equal(escapeCommandData('100% done\r\nnext: a,b'), '100%25 done%0D%0Anext: a,b');
  assert.equal(escapeCommandProperty('100% done\r\nnext: a,b'), '100%25 done%0D%0Anext%3A a%2Cb');
  // `%` first: escaping it last would double-escape the sequences just produced.
  assert.equal(escapeCommandData('%0A'), '%250A');
  assert.equal(escapeCommandProperty('%3A'), '%253A');
});

await test('github: hostile file names, rule ids and messages survive the runner decoding', () => {
  const hostileFile = '/repo/campaigns/a,b:c%d\nline=99,x::y/campaign.yaml';
  const hostileMessage = `${HOSTILE_MESSAGE}\n::error file=evil.yaml::forged`;
  const results = [
    makeResult(hostileFile, [
      { ruleId: 'rule,with:odd%chars', severity: 1, message: hostileMessage, line: 3, column: 2, endLine: 4, endColumn: 1 },
    ]),
  ];
  const output = github(results, makeFormatterContext());
  assert.equal(output.split('\n').length, 2, 'a message must not produce a second command line');
  const line = output.trimEnd();
  assert.equal(
    line,
    '::warning file=campaigns/a%2Cb%3Ac%25d%0Aline=99%2Cx%3A%3Ay/campaign.yaml,line=3,endLine=4,' +
      'title=rule%2Cwith%3Aodd%25chars::Header "X-Note" breaks the line:%0D%0ABcc: <j***@example.com> | 100%25 & more, ' +
      'see a\u0007b%0A::error file=evil.yaml::forged',
  );
  const decoded = decodeCommand(line);
  assert.equal(decoded.command, 'warning');
  assert.deepEqual(decoded.properties, {
    file: 'campaigns/a,b:c%d\nline=99,x::y/campaign.yaml',
    line: '3',
    endLine: '4',
    title: 'rule,with:odd%chars',
  });
  assert.equal(decoded.message, hostileMessage);
});

await test('github: missing or zero positions are left out rather than sent as 0', () => {
  assert.equal(
    formatWorkflowCommand('campaigns/x/recipients.csv', {
      ruleId: null,
      severity: 2,
      fatal: true,
      message: 'Cannot read recipients.csv',
      line: 0,
      column: 0,
    }),
    '::error file=campaigns/x/recipients.csv,title=fatal::Cannot read recipients.csv',
  );
  assert.equal(
    formatWorkflowCommand('c.yaml', { ruleId: 'no-cc', severity: 2, message: 'm', line: 2, column: 0, endColumn: 9 }),
    '::error file=c.yaml,line=2,title=no-cc::m',
  );
});

await test('github: files outside the root keep an absolute path', () => {
  const results = [makeResult('/elsewhere/list.csv', [{ ruleId: 'no-cc', severity: 2, message: 'm', line: 1, column: 1 }])];
  assert.equal(github(results, makeFormatterContext()), '::error file=/elsewhere/list.csv,line=1,col=1,title=no-cc::m\n');
});

await test('github: columns only on a finding within one line (the toolkit forbids them across lines)', () => {
  const base = { ruleId: 'no-cc', severity: 2 as const, message: 'm' };
  // Spans lines 12 to 15: line and endLine only.
  assert.equal(
    formatWorkflowCommand('c.yaml', { ...base, line: 12, column: 1, endLine: 15, endColumn: 23 }),
    '::error file=c.yaml,line=12,endLine=15,title=no-cc::m',
  );
  // Within line 12: both columns.
  assert.equal(
    formatWorkflowCommand('c.yaml', { ...base, line: 12, column: 5, endLine: 12, endColumn: 25 }),
    '::error file=c.yaml,line=12,col=5,endLine=12,endColumn=25,title=no-cc::m',
  );
  // No end: one line, so the start column stays.
  assert.equal(formatWorkflowCommand('c.yaml', { ...base, line: 3, column: 7 }), '::error file=c.yaml,line=3,col=7,title=no-cc::m');
  // An end column without a start column is never sent.
  assert.equal(formatWorkflowCommand('c.yaml', { ...base, line: 3, column: 0, endLine: 3, endColumn: 9 }), '::error file=c.yaml,line=3,endLine=3,title=no-cc::m');
});
