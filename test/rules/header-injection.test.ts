import { VALID_CAMPAIGN } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('header-injection', {
  valid: [
    { name: 'single-line values', campaign: VALID_CAMPAIGN },
    { name: 'a folded plain scalar has no line break once parsed', campaign: VALID_CAMPAIGN.replace('subject: "Hello {{first_name}}"', 'subject: Hello\n  {{first_name}}') },
  ],
  invalid: [
    {
      name: 'an escaped newline in the subject',
      campaign: VALID_CAMPAIGN.replace('subject: "Hello {{first_name}}"', 'subject: "Hello\\nBcc: everyone@example.org"'),
      errors: [{ messageId: 'lineBreakInValue', line: 10, column: 10, endLine: 10, endColumn: 44, message: '`subject` contains a line break: in a header it would start a new header line (header injection)' }],
    },
    {
      name: 'a literal block in a header value',
      campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  X-Note: |\n    one\n    two\n'),
      errors: [{ messageId: 'lineBreakInValue', line: 12, column: 11 }],
    },
    {
      name: 'a carriage return in the sender name',
      campaign: VALID_CAMPAIGN.replace('  name: Example Shop', '  name: "Example\\rShop"'),
      errors: [{ messageId: 'lineBreakInValue', line: 7, column: 9 }],
    },
    {
      name: 'line breaks in many values of one header: one finding with the count',
      campaign: `${VALID_CAMPAIGN}cc: ["a@example.com\\nBcc: b@example.com", "c@example.com\\nX: 1", "d@example.com\\rY: 2"]\n`,
      errors: [{ messageId: 'lineBreakInValues', line: 20, column: 6, message: '`cc` has 3 values with line breaks, the first `cc[0]`: in a header each would start a new header line (header injection)' }],
    },
    { name: 'a line break in a cc entry', campaign: `${VALID_CAMPAIGN}cc: ["a@example.com\\nBcc: b@example.com"]\n`, errors: [{ messageId: 'lineBreakInValue', line: 20, column: 6 }] },
    {
      name: 'line breaks in any-case keys and in list and map values',
      campaign: `${VALID_CAMPAIGN}Subject2: x\nBCC: ["archive@example.com\\nX: y"]\nReply-To: {name: "A\\nB", address: r@mail.example.com}\n`,
      errors: [
        { messageId: 'lineBreakInValue', line: 21, column: 7, message: '`BCC[0]` contains a line break: in a header it would start a new header line (header injection)' },
        { messageId: 'lineBreakInValue', line: 22, column: 18, message: '`Reply-To.name` contains a line break: in a header it would start a new header line (header injection)' },
      ],
    },
    {
      name: 'a second headers map and a headers value of the wrong type',
      campaign: `${VALID_CAMPAIGN}Headers: "X-A: b"\n`,
      errors: [
        { messageId: 'ambiguousHeaders', line: 20, column: 1 },
        { messageId: 'headersType', line: 20, column: 1 },
      ],
    },
  ],
});

const BODY = '{{email}} {{first_name}} {{token}} {{note}}\n';
const list = (...rows: string[]) => ({ 'body.txt': BODY, 'recipients.csv': `email,first_name,consent,token,note\n${rows.join('\n')}\n` });

ruleTester('header-injection', {
  valid: [
    { name: 'line breaks in a column used only in the body', campaign: VALID_CAMPAIGN, files: list('ann@example.com,Ann,yes,t1,"two\nlines"') },
  ],
  invalid: [
    {
      name: 'a line break in a CSV value merged into the subject, to and a header',
      campaign: VALID_CAMPAIGN,
      files: list('ann@example.com,"Ann\r\nBcc: all@example.org",yes,t1,n', 'bo@example.org,Bo,yes,"t2\nX: y",n'),
      errors: [
        { messageId: 'lineBreakInRecipientValue', line: 2, column: 17, file: 'recipients.csv', message: 'the value of `first_name` in record 1 (`A***@example.org`) contains a line break, and `first_name` is used in `subject`: it would start a new header line (header injection)' },
        { messageId: 'lineBreakInRecipientValue', line: 4, column: 23, file: 'recipients.csv' },
      ],
    },
  ],
});
