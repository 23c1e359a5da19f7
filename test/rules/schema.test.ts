import { VALID_CAMPAIGN } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('schema', {
  valid: [
    { name: 'a complete marketing campaign', campaign: VALID_CAMPAIGN },
    { name: 'send_at with an offset', campaign: `${VALID_CAMPAIGN}send_at: "2026-12-01T09:00:00+01:00"\n` },
    { name: 'an editor schema comment', campaign: `# yaml-language-server: $schema=../schemas/campaign.schema.json\n${VALID_CAMPAIGN}` },
  ],
  invalid: [
    {
      name: 'a misspelt key, with a suggestion',
      campaign: `${VALID_CAMPAIGN}sendd_at: "2026-12-01T09:00:00+01:00"\n`,
      errors: [{ messageId: 'invalid', line: 20, column: 1, endLine: 20, endColumn: 9, message: 'unknown key `sendd_at` (did you mean `send_at`?)' }],
    },
    {
      name: 'a missing required key, at the document',
      campaign: VALID_CAMPAIGN.replace('to: "{{first_name}} <{{email}}>"\n', ''),
      errors: [{ messageId: 'invalid', line: 1, column: 1, message: 'missing required key `to`' }],
    },
    {
      name: 'a missing nested key, at its parent key',
      campaign: VALID_CAMPAIGN.replace('  address: news@mail.example.com\n', ''),
      errors: [{ messageId: 'invalid', line: 6, column: 1, message: 'missing required key `address` in `from`' }],
    },
    {
      name: 'a wrong type, at the value',
      campaign: VALID_CAMPAIGN.replace('  expected_count: 2', '  expected_count: two'),
      errors: [{ messageId: 'invalid', line: 19, column: 19, endLine: 19, endColumn: 22, message: '`recipients.expected_count` must be a whole number' }],
    },
    {
      name: 'a value outside an enum',
      campaign: VALID_CAMPAIGN.replace('category: marketing', 'category: newsletter'),
      errors: [{ messageId: 'invalid', line: 4, column: 11, message: '`category` must be one of "marketing", "transactional", "service"' }],
    },
    {
      name: 'a date-time without offset',
      campaign: `${VALID_CAMPAIGN}send_at: "2026-12-01 09:00"\n`,
      errors: [{ messageId: 'invalid', line: 20, column: 10, message: '`send_at` must be an RFC 3339 date-time with offset, e.g. 2026-12-01T09:00:00+01:00' }],
    },
    {
      name: 'an empty body map',
      campaign: VALID_CAMPAIGN.replace('body:\n  text: body.txt\n', 'body: {}\n'),
      errors: [{ messageId: 'invalid', line: 14, column: 1, message: '`body` needs at least one of `html`, `text`' }],
    },
    { name: 'a document that is a list', campaign: '- version: 1\n', errors: [{ messageId: 'notAMap', line: 1, column: 1 }] },
    {
      name: 'a __proto__ key is plain data and unknown',
      campaign: `${VALID_CAMPAIGN}__proto__: { polluted: true }\n`,
      errors: [{ messageId: 'invalid', line: 20, column: 1, message: 'unknown key `__proto__`' }],
    },
    {
      name: 'a version other than 1',
      campaign: VALID_CAMPAIGN.replace('version: 1', 'version: 2'),
      errors: [{ messageId: 'invalid', line: 1, column: 10, message: '`version` must be 1' }],
    },
    {
      name: 'an id that is not kebab-case',
      campaign: VALID_CAMPAIGN.replace('id: test-campaign', 'id: Test_Campaign'),
      errors: [{ messageId: 'invalid', line: 2, column: 5, message: '`id` must match the pattern ^[a-z0-9]+(-[a-z0-9]+)*$' }],
    },
  ],
});
