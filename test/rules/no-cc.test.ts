import { VALID_CAMPAIGN } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('no-cc', {
  valid: [
    { name: 'no cc key', campaign: VALID_CAMPAIGN },
    { name: 'empty cc list', campaign: `${VALID_CAMPAIGN}cc: []\n` },
    { name: 'a header merely containing cc in its name', campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  X-Accounting: "q4"\n') },
    { name: 'In-Reply-To holds message ids, not addresses', campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  In-Reply-To: "<id-1@mail.example.com>"\n') },
    { name: 'a null Cc and an empty CC', campaign: `${VALID_CAMPAIGN}Cc: ~\n` },
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
          message: '2 addresses written in `cc`: every recipient would see every other address. Send one message per recipient through `to` and remove `cc`',
        },
      ],
    },
    {
      name: '47 addresses in a flow list on one line: one finding with the count, no address quoted',
      campaign: `${VALID_CAMPAIGN}cc: [${Array.from({ length: 47 }, (_, index) => `customer${index}@example.com`).join(', ')}]\n`,
      errors: [{ messageId: 'ccList', line: 20, column: 1, message: '47 addresses written in `cc`: every recipient would see every other address. Send one message per recipient through `to` and remove `cc`' }],
    },
    {
      name: '47 addresses in a block list: one finding spanning the list',
      campaign: `${VALID_CAMPAIGN}cc:\n${Array.from({ length: 47 }, (_, index) => `  - customer${index}@example.org\n`).join('')}`,
      errors: [{ messageId: 'ccList', line: 20, column: 1, endLine: 67, message: '47 addresses written in `cc`: every recipient would see every other address. Send one message per recipient through `to` and remove `cc`' }],
    },
    {
      name: 'addresses and merge fields counted apart, a string holding two addresses counts two',
      campaign: `${VALID_CAMPAIGN}cc: ["{{manager_email}}", "Ann <ann@example.com>, bo@example.org"]\n`,
      errors: [{ messageId: 'ccList', line: 20, column: 1, message: '2 addresses and 1 merge field written in `cc`: every recipient would see every other address. Send one message per recipient through `to` and remove `cc`' }],
    },
    { name: 'a single cc merge field', campaign: `${VALID_CAMPAIGN}cc: ["{{email}}"]\n`, errors: [{ messageId: 'ccList', line: 20, column: 1, message: '1 merge field written in `cc`: every recipient would see every other address. Send one message per recipient through `to` and remove `cc`' }] },
    {
      name: 'a Cc header in any case',
      campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  cC: "{{manager_email}}"\n'),
      errors: [{ messageId: 'ccHeader', line: 12, column: 3, message: '`headers.cC` adds Cc recipients: every recipient would see them. Remove it' }],
    },
    { name: 'a top-level Cc key', campaign: `${VALID_CAMPAIGN}Cc: ann@example.com\n`, errors: [{ messageId: 'ccHeader', line: 20, column: 1, message: '`Cc` adds Cc recipients: every recipient would see them. Remove it' }] },
    { name: 'a top-level CC list', campaign: `${VALID_CAMPAIGN}CC: [ann@example.com]\n`, errors: [{ messageId: 'ccList', line: 20, column: 1 }] },
    { name: 'a numeric cc', campaign: `${VALID_CAMPAIGN}cc: 42\n`, errors: [{ messageId: 'ccHeader', line: 20, column: 1 }] },
    { name: 'a cc map', campaign: `${VALID_CAMPAIGN}cc: {name: Ann, address: ann@example.com}\n`, errors: [{ messageId: 'ccHeader', line: 20, column: 1 }] },
    {
      name: 'cc smuggled through a merge key',
      campaign: `${VALID_CAMPAIGN}base: &base\n  cc: [ann@example.com]\n<<: *base\n`,
      errors: [{ messageId: 'ccList', line: 22, column: 1, message: '1 address written in `<<.cc`: every recipient would see every other address. Send one message per recipient through `to` and remove `<<.cc`' }],
    },
    {
      name: 'a Cc header smuggled into headers through a merge key',
      campaign: VALID_CAMPAIGN.replace('headers:\n', 'extra: &extra\n  CC: "{{manager}}"\nheaders:\n  <<: *extra\n'),
      errors: [{ messageId: 'ccHeader', line: 14, column: 3 }],
    },
    {
      name: 'Resent-Cc, Resent-To and Disposition-Notification-To in headers',
      campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  Resent-Cc: ann@example.com\n  resent-to: "{{email}}"\n  Disposition-Notification-To: audit@example.net\n'),
      errors: [
        { messageId: 'recipientHeader', line: 12, column: 3, message: '`headers.Resent-Cc` sets Resent-Cc, which resends the message: its addresses receive it and every recipient sees them. Remove it' },
        { messageId: 'recipientHeader', line: 13, column: 3 },
        { messageId: 'recipientHeader', line: 14, column: 3, message: '`headers.Disposition-Notification-To` sets Disposition-Notification-To, which sends read receipts of every recipient to its addresses. Remove it' },
      ],
    },
    {
      name: 'other recipient headers, top-level or in headers',
      campaign: `${VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  Return-Receipt-To: a@example.com\n  X-Original-To: b@example.com\n  Mail-Followup-To: c@example.com\n  Errors-To: d@example.com\n')}Delivered-To: e@example.com\nenvelope: {to: [f@example.com]}\n`,
      errors: [
        { messageId: 'recipientHeader', line: 12, column: 3 },
        { messageId: 'recipientHeader', line: 13, column: 3 },
        { messageId: 'recipientHeader', line: 14, column: 3 },
        { messageId: 'recipientHeader', line: 15, column: 3 },
        { messageId: 'recipientHeader', line: 24, column: 1 },
        { messageId: 'recipientHeader', line: 25, column: 1, message: '`envelope` sets Envelope, which sets the SMTP envelope: its addresses receive the message without any header naming them. Remove it' },
      ],
    },
    {
      name: 'headers as a nodemailer list of key/value items',
      campaign: VALID_CAMPAIGN.replace('headers:\n  List-Unsubscribe: "<https://mail.example.com/u/{{token}}>"\n  List-Unsubscribe-Post: List-Unsubscribe=One-Click\n', 'headers:\n  - {key: Cc, value: ann@example.com}\n'),
      errors: [{ messageId: 'ccHeader', line: 12, column: 15 }],
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
