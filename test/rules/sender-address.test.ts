import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const withReplyTo = (value: string) => `${VALID_CAMPAIGN}reply_to: ${JSON.stringify(value)}\n`;

ruleTester('sender-address', {
  valid: [
    { name: 'a constant From', campaign: VALID_CAMPAIGN },
    { name: 'one reply address with a name', campaign: withReplyTo('Support <support@mail.example.com>') },
    { name: 'an empty reply_to sets nothing', campaign: withReplyTo('') },
    { name: 'a Sender header', campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  Sender: bulk@mail.example.com\n') },
    { name: 'a safe default for a reply name field', campaign: `${withReplyTo('{{rep}} <support@mail.example.com>')}defaults:\n  rep: Support\n` },
    { name: 'a comma in a from.name value: the composer quotes a map name', campaign: VALID_CAMPAIGN.replace('  name: Example Shop', '  name: "{{first_name}} at Example"'), files: { ...VALID_FILES, 'recipients.csv': 'email,first_name,consent,token\nann@example.com,"Ann, Jr",yes,t1\n' } },
    {
      name: 'a merge field in the reply display name, clean on every row',
      campaign: withReplyTo('{{first_name}} at Example <support@mail.example.com>'),
    },
  ],
  invalid: [
    {
      name: 'reply_to with two addresses',
      campaign: withReplyTo('support@mail.example.com, sales@mail.example.com'),
      errors: [{ messageId: 'notOne', line: 20, column: 11, message: '`reply_to` yields 2 addresses: Reply-To must be exactly one address, or Reply-All and replies reach every one of them' }],
    },
    {
      name: 'a reply_to of many recipients: notOne and one grouped recipient finding',
      campaign: withReplyTo('ann@example.com, Bo@Example.org'),
      errors: [
        { messageId: 'recipientMany', line: 20, column: 11, message: '`reply_to` holds 2 addresses of recipients, the first a***@example.com (line 2 of the list): as Reply-To every recipient would see them, and replies would reach them' },
        { messageId: 'notOne', line: 20, column: 11 },
      ],
    },
    {
      name: 'reply_to equal to a recipient address',
      campaign: withReplyTo('Bo@Example.org'),
      errors: [{ messageId: 'recipient', line: 20, column: 11, message: '`reply_to` is B***@Example.org, a recipient (line 3 of the list): as Reply-To every recipient would see it, and replies would reach them' }],
    },
    {
      name: 'reply_to on a suppression list',
      campaign: `${withReplyTo('gone@example.net')}suppress: [suppressed.csv]\n`,
      files: { ...VALID_FILES, 'suppressed.csv': 'email\ngone@example.net\n' },
      errors: [{ messageId: 'suppressed', line: 20, column: 11 }],
    },
    { name: 'a merge field in the reply address', campaign: withReplyTo('{{email}}'), errors: [{ messageId: 'dynamicAddress', line: 20, column: 11 }] },
    { name: 'an encoded word in the From name', campaign: VALID_CAMPAIGN.replace('  name: Example Shop', '  name: "=?utf-8?B?Ym9AZXhhbXBsZS5vcmc=?="'), errors: [{ messageId: 'literalUnsafe', line: 7, column: 9 }] },
    { name: 'group syntax in Reply-To', campaign: withReplyTo('team: a@mail.example.com;'), errors: [{ messageId: 'group', line: 20, column: 11 }] },
    { name: 'a list-valued reply_to', campaign: `${VALID_CAMPAIGN}reply_to: [a@mail.example.com, b@mail.example.com]\n`, errors: [{ messageId: 'unexpectedType', line: 20, column: 1 }, { messageId: 'notOne', line: 20, column: 11 }] },
    { name: 'reply_to and Reply-To', campaign: `${withReplyTo('a@mail.example.com')}Reply-To: b@mail.example.com\n`, errors: [{ messageId: 'ambiguousField', line: 21, column: 1 }] },
    { name: 'a From header beside from', campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  from: "{{email}}"\n'), errors: [{ messageId: 'ambiguousField', line: 12, column: 3 }, { messageId: 'dynamicAddress', line: 12, column: 9 }] },
    { name: 'a string from', campaign: VALID_CAMPAIGN.replace('from:\n  name: Example Shop\n  address: news@mail.example.com\n', 'from: "Shop <news@mail.example.com>"\n'), errors: [{ messageId: 'unexpectedType', line: 6, column: 1 }] },
    { name: 'a numeric from address', campaign: VALID_CAMPAIGN.replace('  address: news@mail.example.com', '  address: 12'), errors: [{ messageId: 'unexpectedType', line: 6, column: 1 }] },
    { name: 'no from', campaign: VALID_CAMPAIGN.replace('from:\n  name: Example Shop\n  address: news@mail.example.com\n', ''), errors: [{ messageId: 'missingFrom', line: 1, column: 1 }] },
    { name: 'an unsafe default for a reply name field', campaign: `${withReplyTo('{{rep}} <support@mail.example.com>')}defaults:\n  rep: "Ann, b@example.net"\n`, errors: [{ messageId: 'defaultsUnsafeName', line: 22, column: 3 }] },
    { name: 'a default for a field in the reply address', campaign: `${withReplyTo('{{rep}}')}defaults:\n  rep: b@example.net\n`, errors: [{ messageId: 'dynamicAddress', line: 20, column: 11 }, { messageId: 'defaultsAddressField', line: 22, column: 3 }] },
    {
      name: 'a merged name with an address in it, on any row',
      campaign: VALID_CAMPAIGN.replace('  name: Example Shop', '  name: "{{first_name}} at Example"'),
      files: { ...VALID_FILES, 'recipients.csv': 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nbo@example.org,"Bo, <x@example.net>",yes,t2\n' },
      errors: [
        {
          messageId: 'unsafeName',
          line: 3,
          column: 16,
          file: 'recipients.csv',
          message: '`first_name` in record 2 (`B***@example.net>`) contains `<`, and `from` merges it into the display name of From: the composer could read other or more addresses from it. Clean the value',
        },
      ],
    },
  ],
});
