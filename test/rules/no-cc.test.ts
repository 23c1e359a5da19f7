import { VALID_CAMPAIGN } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('no-cc', {
  valid: [
    { name: 'no cc key', campaign: VALID_CAMPAIGN },
    { name: 'empty cc list', campaign: `${VALID_CAMPAIGN}cc: []\n` },
    { name: 'a header merely containing cc in its name', campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  X-Accounting: "q4"\n') },
  ],
  invalid: [
    {
      name: 'customers listed in cc (the BitMEX case)',
      campaign: `${VALID_CAMPAIGN}cc:\n  - ann@example.com\n  - bo@example.org\n`,
      errors: [
        {
          messageId: 'ccList',
          line: 20,
          column: 1,
          endLine: 22,
          endColumn: 19,
          message: '`cc` lists 2 recipient(s): every recipient would see every other address. Send one message per recipient through `to` and remove `cc`',
        },
      ],
    },
    { name: 'a single cc merge field', campaign: `${VALID_CAMPAIGN}cc: ["{{email}}"]\n`, errors: [{ messageId: 'ccList', line: 20, column: 1 }] },
    {
      name: 'a Cc header in any case',
      campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  cC: "{{manager_email}}"\n'),
      errors: [{ messageId: 'ccHeader', line: 12, column: 3, message: 'header `cC` adds Cc recipients: every recipient would see them. Remove it' }],
    },
    {
      name: 'an inline disable cannot switch off a locked rule',
      campaign: `${VALID_CAMPAIGN}# campaign-lint-disable-next-line no-cc -- legal said so\ncc: [ann@example.com]\n`,
      errors: [{ messageId: 'ccList', line: 21, column: 1 }],
    },
    {
      name: 'special-category keeps it an error',
      campaign: `${VALID_CAMPAIGN}sensitivity: special-category\ncc: [ann@example.com]\n`,
      errors: [{ messageId: 'ccList', line: 21, column: 1, severity: 2 }],
    },
  ],
});
