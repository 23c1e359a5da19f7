import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const withTo = (to: string) => VALID_CAMPAIGN.replace('to: "{{first_name}} <{{email}}>"', `to: ${JSON.stringify(to)}`);

ruleTester('single-recipient-to', {
  valid: [
    { name: 'display name with a merge field', campaign: VALID_CAMPAIGN },
    { name: 'the address column alone', campaign: withTo('{{email}}') },
    { name: 'triple-stash address', campaign: withTo('{{{email}}}') },
    { name: 'the address column and the name as quoted and bracketed paths', campaign: withTo('{{"first_name"}} <{{[email]}}>') },
    { name: 'the address column as a quoted name', campaign: withTo("{{'email'}}") },
    { name: 'literal display name', campaign: withTo('Valued customer <{{email}}>') },
    { name: 'two fields in the display name', campaign: withTo('{{first_name}} {{last_name}} <{{email}}>') },
    {
      name: 'a custom email column',
      campaign: withTo('{{mail}}').replace('  file: recipients.csv\n', '  file: recipients.csv\n  email_column: mail\n'),
      files: { ...VALID_FILES, 'recipients.csv': 'mail,first_name,consent,token\nann@example.com,Ann,yes,t1\n' },
    },
    { name: 'a To header instead of `to`', campaign: VALID_CAMPAIGN.replace('to: "{{first_name}} <{{email}}>"\n', '').replace('headers:\n', 'headers:\n  To: "{{email}}"\n') },
    { name: 'names with spaces, accents, apostrophes and dots', campaign: VALID_CAMPAIGN, files: { ...VALID_FILES, 'recipients.csv': "email,first_name,consent,token\n ann@example.com ,Ann-Marie O'Neil Jr.,yes,t1\nbo@example.org,Zoë Bo,yes,t2\n" } },
    { name: 'defaults for fields To does not use', campaign: `${VALID_CAMPAIGN}defaults:\n  token: none\n` },
    { name: 'a plain default for a display-name field', campaign: `${VALID_CAMPAIGN}defaults:\n  first_name: there\n` },
    { name: 'a quoted display name may hold commas and semicolons', campaign: withTo('"{{first_name}}" <{{email}}>'), files: { ...VALID_FILES, 'recipients.csv': 'email,first_name,consent,token\na@example.com,"Ann, the first; and only",yes,t\n' } },
  ],
  invalid: [
    {
      name: 'a quoted name that is not the address column',
      campaign: withTo('{{"first_name"}} <{{"token"}}>'),
      errors: [{ messageId: 'missingAddressField', line: 9, column: 5 }],
    },
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
      name: 'a To header with a literal list, beside `to`',
      campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  to: "{{email}}, audit@example.com"\n'),
      errors: [
        { messageId: 'ambiguousField', line: 12, column: 3, message: '`headers.to` sets To a second time (first `to`): which one a sender uses depends on the sender. Keep one' },
        { messageId: 'literalAddress', line: 12, column: 7 },
      ],
    },
    { name: 'a To header of the same shape beside `to`', campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  To: "{{email}}"\n'), errors: [{ messageId: 'ambiguousField', line: 12, column: 3 }] },
    { name: '`to` and `To`', campaign: `${VALID_CAMPAIGN}To: "{{email}}"\n`, errors: [{ messageId: 'ambiguousField', line: 20, column: 1 }] },
    { name: 'an encoded word in the literal display name', campaign: withTo('=?utf-8?B?Ym9AZXhhbXBsZS5vcmc=?= <{{email}}>'), errors: [{ messageId: 'literalUnsafe', line: 9, column: 5, message: '`to` contains an encoded word (`=?`) in its own text: a mail client would decode or split it and could show other addresses' }] },
    { name: 'a line separator in the literal display name', campaign: withTo('Dear\u2028customer <{{email}}>'), errors: [{ messageId: 'literalUnsafe', line: 9, column: 5 }] },
    { name: 'a quote that is never closed', campaign: withTo('"{{first_name}} <{{email}}>'), errors: [{ messageId: 'literalUnsafe', line: 9, column: 5, message: '`to` contains a double quote that is never closed in its own text: a mail client would decode or split it and could show other addresses' }] },
    { name: 'an unparsable template fails closed', campaign: withTo('{{email'), errors: [{ messageId: 'unparsable', line: 9, column: 5 }] },
    {
      name: 'a list-valued to',
      campaign: VALID_CAMPAIGN.replace('to: "{{first_name}} <{{email}}>"', 'to: ["{{email}}", "{{manager_email}}"]'),
      errors: [{ messageId: 'unexpectedType', line: 9, column: 1, message: '`to` is a list, but To must be one string template: a sender would still send it, so this rule rejects it whatever `schema` says' }],
    },
    { name: 'a numeric to', campaign: VALID_CAMPAIGN.replace('to: "{{first_name}} <{{email}}>"', 'to: 12345'), errors: [{ messageId: 'unexpectedType', line: 9, column: 1 }] },
    { name: 'a map to', campaign: VALID_CAMPAIGN.replace('to: "{{first_name}} <{{email}}>"', 'to: {name: x, address: "{{email}}"}'), errors: [{ messageId: 'unexpectedType', line: 9, column: 1 }] },
    { name: 'a null to', campaign: VALID_CAMPAIGN.replace('to: "{{first_name}} <{{email}}>"', 'to: ~'), errors: [{ messageId: 'unexpectedType', line: 9, column: 1 }] },
    { name: 'no to at all', campaign: VALID_CAMPAIGN.replace('to: "{{first_name}} <{{email}}>"\n', ''), errors: [{ messageId: 'missingTo', line: 1, column: 1 }] },
    {
      name: 'email_column that matches the header only ignoring case, bound as written, with a default',
      campaign: `${withTo('{{first_name}} <{{Email}}>').replace('  file: recipients.csv\n', '  file: recipients.csv\n  email_column: Email\n')}defaults:\n  Email: x@example.com\n`,
      errors: [
        { messageId: 'defaultsEmailColumn', line: 22, column: 3 },
        { messageId: 'emailColumnSpelling', line: 1, column: 1, file: 'recipients.csv', message: 'the list has no column spelled `Email` (recipients.email_column), only `email`: templates bind fields exactly, so write `email_column` as the header spells it, and the same in `to`' },
      ],
    },
    { name: 'a default for the email column', campaign: `${VALID_CAMPAIGN}defaults:\n  email: x@example.com\n`, errors: [{ messageId: 'defaultsEmailColumn', line: 21, column: 3 }] },
    { name: 'an unsafe default for a display-name field', campaign: `${VALID_CAMPAIGN}defaults:\n  first_name: "a@example.com, b"\n`, errors: [{ messageId: 'defaultsUnsafeName', line: 21, column: 3, message: '`defaults.first_name` is merged into the display name of `to` and contains `@`: the composer could read other or more addresses from it' }] },
    {
      name: 'a quoted display name still rejects quotes, backslashes and address characters',
      campaign: withTo('"{{first_name}}" <{{email}}>'),
      files: { ...VALID_FILES, 'recipients.csv': 'email,first_name,consent,token\na@example.com,"Bo"" <x@example.net>, ""y",yes,t\nb@example.com,Bo\\,yes,t\nc@example.com,Bo <x,yes,t\n' },
      errors: [
        { messageId: 'unsafeName', line: 2, column: 15, file: 'recipients.csv' },
        { messageId: 'unsafeName', line: 3, column: 15, file: 'recipients.csv' },
        { messageId: 'unsafeName', line: 4, column: 15, file: 'recipients.csv' },
      ],
    },
    { name: 'a default smuggled by a merge key', campaign: `${VALID_CAMPAIGN}base: &base\n  email: x@example.com\ndefaults:\n  <<: *base\n`, errors: [{ messageId: 'defaultsEmailColumn', line: 23, column: 3 }] },
    { name: 'an email column missing from the list', campaign: VALID_CAMPAIGN, files: { ...VALID_FILES, 'recipients.csv': 'mail,first_name,consent,token\nann@example.com,Ann,yes,t1\n' }, errors: [{ messageId: 'emailColumnMissing', line: 1, column: 1, file: 'recipients.csv' }] },
    { name: 'email_column of the wrong type', campaign: VALID_CAMPAIGN.replace('  file: recipients.csv\n', '  file: recipients.csv\n  email_column: 7\n'), errors: [{ messageId: 'emailColumnType', line: 18, column: 3 }] },
    { name: 'the email column twice in the list', campaign: VALID_CAMPAIGN, files: { ...VALID_FILES, 'recipients.csv': 'email,first_name,consent,token,email\nann@example.com,Ann,yes,t1,x@example.net\n' }, errors: [{ messageId: 'emailColumnRepeated', line: 1, column: 32, file: 'recipients.csv' }] },
    { name: 'no recipient list', campaign: VALID_CAMPAIGN.replace('  file: recipients.csv\n', '  file: nowhere.csv\n'), errors: [{ messageId: 'noList', line: 17, column: 9 }] },
    {
      name: 'a display name with another address on a row past any sample',
      campaign: VALID_CAMPAIGN,
      files: { ...VALID_FILES, 'recipients.csv': `email,first_name,consent,token\n${Array.from({ length: 599 }, (_, index) => `r${index}@example.com,Ann,yes,t${index}`).join('\n')}\nlast@example.com,"Bo <someone@example.net>, Bo",yes,t\n` },
      errors: [
        {
          messageId: 'unsafeName',
          line: 601,
          column: 18,
          file: 'recipients.csv',
          message: '`first_name` in record 600 (`B***`) contains `<`, and `to` merges it into the display name: the composer could read other or more addresses from it. Clean the value',
        },
      ],
    },
    {
      name: 'group syntax, a list separator, an encoded word and a line separator in merged names',
      campaign: VALID_CAMPAIGN,
      files: { ...VALID_FILES, 'recipients.csv': 'email,first_name,consent,token\na@example.com,name: b@example.net;,yes,t\nc@example.com,x; y,yes,t\nd@example.com,=?utf-8?B?ZUBleGFtcGxlLm5ldA==?=,yes,t\ne@example.com,Bo\u2028Cc,yes,t\nf@example.com,Bo\\,yes,t\n' },
      errors: [
        { messageId: 'unsafeName', line: 2, column: 15, file: 'recipients.csv' },
        { messageId: 'unsafeName', line: 3, column: 15, file: 'recipients.csv', message: '`first_name` in record 2 (`x***`) contains `;`, and `to` merges it into the display name: the composer could read other or more addresses from it. Clean the value' },
        { messageId: 'unsafeName', line: 4, column: 15, file: 'recipients.csv', message: '`first_name` in record 3 (`=***`) contains an encoded word (`=?`), and `to` merges it into the display name: the composer could read other or more addresses from it. Clean the value' },
        { messageId: 'unsafeName', line: 5, column: 15, file: 'recipients.csv', message: '`first_name` in record 4 (`B***`) contains a line break (U+2028), and `to` merges it into the display name: the composer could read other or more addresses from it. Clean the value' },
        { messageId: 'unsafeName', line: 6, column: 15, file: 'recipients.csv' },
      ],
    },
    {
      name: 'an address cell holding two addresses',
      campaign: VALID_CAMPAIGN,
      files: { ...VALID_FILES, 'recipients.csv': 'email,first_name,consent,token\n"a@example.com,b@example.net",Ann,yes,t\n' },
      errors: [{ messageId: 'unsafeAddress', line: 2, column: 1, file: 'recipients.csv', message: 'the address in record 1 (`a***@example.net`) contains `,`: merged into `to` it could yield other or more addresses than one' }],
    },
  ],
});
