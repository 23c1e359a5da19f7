import { defineRule } from './define.js';

export default defineRule<{ tolerance: number }>({
  meta: {
    id: 'recipient-count',
    description: 'Require the recipient count to match `recipients.expected_count` within a tolerance',
    category: 'recipient-list',
    defaultSeverity: 'error',
    messages: {
      mismatch: 'the list has {{rows}} recipients, expected {{expected}} (±{{percent}}%): is this the right list?',
      noExpectedCount: 'a marketing campaign should state `recipients.expected_count`, so that a wrong or truncated list is noticed',
    },
    optionsSchema: {
      type: 'object',
      properties: { tolerance: { type: 'number', minimum: 0, maximum: 1, description: 'Allowed relative difference (0.1 = 10%).' } },
      additionalProperties: false,
    },
    defaultOptions: { tolerance: 0.1 },
  },
  check(context) {
    const { campaign } = context;
    const expected = campaign.get(['recipients', 'expected_count']);
    if (expected === undefined) {
      if (campaign.category === 'marketing' && campaign.has(['recipients'])) {
        context.report({ messageId: 'noExpectedCount', loc: campaign.keyLocation(['recipients']), severity: 'warn' });
      }
      return undefined;
    }
    // A wrong type is the schema rule's finding.
    if (typeof expected !== 'number' || !Number.isInteger(expected) || expected < 0) return undefined;
    if (campaign.recipientsFile() === undefined) return undefined;
    const tolerance = context.options.tolerance;
    return {
      recipientsEnd({ rows }) {
        if (Math.abs(rows - expected) <= tolerance * expected) return;
        context.report({
          messageId: 'mismatch',
          data: { rows, expected, percent: Math.round(tolerance * 1000) / 10 },
          loc: campaign.valueLocation(['recipients', 'expected_count']),
        });
      },
    };
  },
});
