import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('recipient-count', {
  valid: [
    { name: 'the count matches', campaign: VALID_CAMPAIGN },
    {
      name: 'within the default 10%',
      campaign: VALID_CAMPAIGN.replace('expected_count: 2', 'expected_count: 11'),
      files: { ...VALID_FILES, 'recipients.csv': `email,first_name,consent,token\n${Array.from({ length: 10 }, (_, i) => `r${i}@example.com,R,yes,t`).join('\n')}\n` },
    },
    { name: 'within a configured tolerance', campaign: VALID_CAMPAIGN.replace('expected_count: 2', 'expected_count: 3'), config: { rules: { 'recipient-count': ['error', { tolerance: 0.5 }] } } },
    { name: 'transactional without expected_count', campaign: VALID_CAMPAIGN.replace('category: marketing', 'category: transactional').replace('  expected_count: 2\n', '') },
  ],
  invalid: [
    {
      name: 'more rows than expected',
      campaign: VALID_CAMPAIGN.replace('expected_count: 2', 'expected_count: 40000'),
      errors: [{ messageId: 'mismatch', line: 19, column: 19, message: 'the list has 2 recipients, expected 40000 (±10%): is this the right list?' }],
    },
    {
      name: 'a strict tolerance',
      campaign: VALID_CAMPAIGN.replace('expected_count: 2', 'expected_count: 3'),
      config: { rules: { 'recipient-count': ['error', { tolerance: 0.05 }] } },
      errors: [{ messageId: 'mismatch', line: 19, column: 19, message: 'the list has 2 recipients, expected 3 (±5%): is this the right list?' }],
    },
    {
      name: 'marketing without expected_count is a warning',
      campaign: VALID_CAMPAIGN.replace('  expected_count: 2\n', ''),
      errors: [{ messageId: 'noExpectedCount', line: 16, column: 1, severity: 1 }],
    },
  ],
});
