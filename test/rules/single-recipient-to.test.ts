import { VALID_CAMPAIGN } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const withTo = (to: string) => VALID_CAMPAIGN.replace('to: "{{first_name}} <{{email}}>"', `to: ${JSON.stringify(to)}`);

ruleTester('single-recipient-to', {
  valid: [
    { name: 'display name with a merge field', campaign: VALID_CAMPAIGN },
    { name: 'the address column alone', campaign: withTo('{{email}}') },
    { name: 'triple-stash address', campaign: withTo('{{{email}}}') },
    { name: 'literal display name', campaign: withTo('Valued customer <{{email}}>') },
    { name: 'two fields in the display name', campaign: withTo('{{first_name}} {{last_name}} <{{email}}>') },
    {
      name: 'a custom email column',
      campaign: withTo('{{mail}}').replace('  file: recipients.csv\n', '  file: recipients.csv\n  email_column: mail\n'),
    },
    { name: 'an unparsable template is left to the fatal template finding', campaign: withTo('{{email') },
    { name: 'a To header of the same shape', campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  To: "{{email}}"\n') },
  ],
  invalid: [
    {
      name: 'a literal address, masked in the message',
      campaign: withTo('everyone@example.com'),
      errors: [
        {
          messageId: 'literalAddress',
          line: 9,
          column: 5,
          endLine: 9,
          endColumn: 27,
          message: "`to` contains the literal address e***@example.com: every message would go to it. Use the recipient's address column",
        },
      ],
    },
    { name: 'a literal address unmasked with --show-pii', campaign: withTo('everyone@example.com'), showPii: true, errors: [{ messageId: 'literalAddress', line: 9, column: 5, message: "`to` contains the literal address everyone@example.com: every message would go to it. Use the recipient's address column" }] },
    { name: 'a list of two fields', campaign: withTo('{{email}}, {{manager_email}}'), errors: [{ messageId: 'separator', line: 9, column: 5 }] },
    { name: 'a semicolon list', campaign: withTo('{{email}};{{email2}}'), errors: [{ messageId: 'separator', line: 9, column: 5 }] },
    {
      name: 'two fields side by side',
      campaign: withTo('{{email}} {{manager_email}}'),
      errors: [{ messageId: 'secondField', line: 9, column: 5, message: '`to` puts merge field `manager_email` next to the address: only `email` may form the address, other fields only inside a display name (`Name <…>`)' }],
    },
    { name: 'not the address column', campaign: withTo('{{manager_email}}'), errors: [{ messageId: 'missingAddressField', line: 9, column: 5 }] },
    { name: 'the address column twice', campaign: withTo('{{email}} <{{email}}>'), errors: [{ messageId: 'repeatedAddressField', line: 9, column: 5 }] },
    { name: 'a block helper', campaign: withTo('{{#if vip}}{{email}}{{/if}}'), errors: [{ messageId: 'dynamic', line: 9, column: 5 }] },
    { name: 'address outside angle brackets', campaign: withTo('<{{first_name}}> {{email}}'), errors: [{ messageId: 'secondField', line: 9, column: 5 }] },
    {
      name: 'a To header with a literal list',
      campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  to: "{{email}}, audit@example.com"\n'),
      errors: [{ messageId: 'literalAddress', line: 12, column: 7 }],
    },
  ],
});
