/**
 * Realistic, synthetic lint results for formatter tests. Paths live under a
 * fake repository root so that tests never depend on the machine they run on.
 */
import type { FormatterContext, LintMessage, LintResult, RuleMeta } from '../../src/core/types.js';

export const FAKE_ROOT = '/repo';
export const SALE_CAMPAIGN = '/repo/campaigns/spring-sale/campaign.yaml';
export const SALE_RECIPIENTS = '/repo/campaigns/spring-sale/recipients.csv';
export const BROKEN_CAMPAIGN = '/repo/campaigns/broken/campaign.yaml';
export const CLEAN_CAMPAIGN = '/repo/campaigns/welcome/campaign.yaml';
export const DOCS_BASE = 'https://campaign-lint.example.org/rules/';

/** A message with every character that one of the output formats has to escape. */
export const HOSTILE_MESSAGE =
  'Header "X-Note" breaks the line:\r\nBcc: <j***@example.com> | 100% & more, see a\u0007b';

export const sampleRuleMetas: RuleMeta[] = [
  {
    id: 'no-cc',
    description: 'Disallow Cc recipients on bulk campaigns',
    category: 'recipients-visibility',
    defaultSeverity: 'error',
    lockedByDefault: true,
    privacy: true,
    messages: { cc: 'Cc lists {{count}} recipients; every recipient would see the others.' },
  },
  {
    id: 'recipient-duplicate',
    description: 'Disallow the same address twice in the recipient list',
    category: 'recipient-list',
    defaultSeverity: 'error',
    messages: { duplicate: '{{email}} already appears on line {{first}}.' },
  },
  {
    id: 'header-injection',
    description: 'Disallow CR or LF in header values',
    category: 'content',
    defaultSeverity: 'error',
    lockedByDefault: true,
    messages: { crlf: 'Header {{name}} contains a line break.' },
  },
  {
    id: 'recipient-unused-column',
    description: 'Require every recipient column to be used (data minimisation)',
    category: 'recipient-list',
    defaultSeverity: 'warn',
    privacy: true,
    messages: { unused: 'Column "{{column}}" is not used by any template or rule.' },
  },
  {
    id: 'subject-honest',
    description: 'Disallow subjects that fake a reply or forward',
    category: 'content',
    defaultSeverity: 'warn',
    messages: { fake: 'Subject starts with "{{prefix}}" but the message is not a reply.' },
  },
];

function result(filePath: string, messages: LintMessage[]): LintResult {
  return {
    filePath,
    messages,
    errorCount: messages.filter((m) => m.severity === 2).length,
    warningCount: messages.filter((m) => m.severity === 1).length,
    fatalErrorCount: messages.filter((m) => m.fatal === true).length,
  };
}

/** Sorted by file, line, column, rule, as the engine hands them over. */
export function sampleResults(): LintResult[] {
  return [
    result(BROKEN_CAMPAIGN, [
      {
        ruleId: null,
        severity: 2,
        fatal: true,
        message: 'YAML syntax error: Nested mappings are not allowed in compact mappings',
        line: 4,
        column: 7,
      },
    ]),
    result(SALE_CAMPAIGN, [
      {
        ruleId: 'subject-honest',
        severity: 1,
        message: 'Subject starts with "RE:" but the message is not a reply.',
        messageId: 'fake',
        line: 9,
        column: 10,
        endLine: 9,
        endColumn: 32,
      },
      {
        ruleId: 'no-cc',
        severity: 2,
        message: 'Cc lists 2 recipients; every recipient would see the others.',
        messageId: 'cc',
        line: 12,
        column: 5,
        endLine: 12,
        endColumn: 31,
      },
      {
        ruleId: 'header-injection',
        severity: 2,
        message: HOSTILE_MESSAGE,
        messageId: 'crlf',
        line: 15,
        column: 13,
        endLine: 15,
        endColumn: 40,
      },
    ]),
    result(SALE_RECIPIENTS, [
      {
        ruleId: 'recipient-unused-column',
        severity: 1,
        message: 'Column "loyalty_tier" is not used by any template or rule.',
        messageId: 'unused',
        line: 1,
        column: 4,
      },
      {
        ruleId: 'recipient-duplicate',
        severity: 2,
        message: 'j***@example.com already appears on line 3.',
        messageId: 'duplicate',
        line: 7,
        column: 1,
        endLine: 7,
        endColumn: 17,
      },
    ]),
    result(CLEAN_CAMPAIGN, []),
  ];
}

/** A run where every linted file is clean. */
export function cleanResults(): LintResult[] {
  return [result(CLEAN_CAMPAIGN, []), result(SALE_RECIPIENTS, [])];
}

export function makeResult(filePath: string, messages: LintMessage[]): LintResult {
  return result(filePath, messages);
}

export function makeFormatterContext(overrides: Partial<FormatterContext> = {}): FormatterContext {
  return {
    cwd: FAKE_ROOT,
    rootDir: FAKE_ROOT,
    rulesMeta: new Map(sampleRuleMetas.map((meta) => [meta.id, meta])),
    sourceOf: () => undefined,
    docsUrl: (ruleId) => `${DOCS_BASE}${ruleId}`,
    color: false,
    showPii: false,
    toolVersion: '0.1.0',
    ...overrides,
  };
}
