import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { lintCampaign } from '../../src/core/linter.js';
import type { Rule } from '../../src/core/types.js';
import { findRule } from '../../src/rules/index.js';
import { VALID_FILES, tempTree, testConfig } from './campaign.js';

export interface ExpectedMessage {
  messageId: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** Exact message text, when the case is about the wording or its data. */
  message?: string;
  /** Path of the file the finding points into, relative to the campaign's folder (default: campaign.yaml). */
  file?: string;
  severity?: 1 | 2;
}

export interface RuleCase {
  name: string;
  campaign: string;
  files?: Record<string, string>;
  config?: Parameters<typeof testConfig>[1];
  showPii?: boolean;
}

export interface InvalidCase extends RuleCase {
  errors: ExpectedMessage[];
}

/**
 * ESLint's RuleTester, for campaigns: every valid case must produce no finding
 * from the rule, every invalid case exactly the listed findings, in order,
 * with their message ids and exact positions.
 */
export function ruleTester(ruleId: string, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  const rule = findRule(ruleId);
  assert.ok(rule, `rule ${ruleId} exists`);
  for (const valid of cases.valid) {
    test(`${ruleId} valid: ${valid.name}`, async () => {
      const messages = await run(rule, valid);
      assert.deepEqual(messages, [], `expected no findings, got ${JSON.stringify(messages, null, 2)}`);
    });
  }
  for (const invalid of cases.invalid) {
    test(`${ruleId} invalid: ${invalid.name}`, async () => {
      const messages = await run(rule, invalid);
      const actual = messages.map((message, index) => {
        const expected = invalid.errors[index];
        const picked: Record<string, unknown> = { messageId: message.messageId, line: message.line, column: message.column, file: message.file };
        if (expected?.endLine !== undefined) picked.endLine = message.endLine;
        if (expected?.endColumn !== undefined) picked.endColumn = message.endColumn;
        if (expected?.message !== undefined) picked.message = message.message;
        if (expected?.severity !== undefined) picked.severity = message.severity;
        return picked;
      });
      const wanted = invalid.errors.map((error) => ({ ...error, file: error.file ?? 'campaign.yaml' }));
      assert.deepEqual(actual, wanted);
    });
  }
}

async function run(rule: Rule<never>, testCase: RuleCase) {
  const root = tempTree({ 'campaign.yaml': testCase.campaign, ...(testCase.files ?? VALID_FILES) });
  const config = testConfig(root, testCase.config);
  const { results } = await lintCampaign(join(root, 'campaign.yaml'), config, { rules: [rule], showPii: testCase.showPii ?? false });
  // Only this rule's findings: fatal findings (ruleId null) belong to the linter and have their own tests.
  return results.flatMap((result) =>
    result.messages.filter((message) => message.ruleId === rule.meta.id).map((message) => ({ ...message, file: result.filePath.slice(root.length + 1) })),
  );
}
