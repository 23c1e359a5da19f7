import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const CSV_HEADER = 'email,first_name,consent,token\n';
const withCsv = (rows: string) => ({ ...VALID_FILES, 'recipients.csv': CSV_HEADER + rows });
const manyEmpty = Array.from({ length: 25 }, (_, index) => `r${index}@example.com,,yes,t${index}\n`).join('');

ruleTester('merge-field-defined', {
  valid: [
    { name: 'every field is a column', campaign: VALID_CAMPAIGN },
    {
      name: 'a field known only from defaults',
      campaign: `${VALID_CAMPAIGN.replace('Hello {{first_name}}', 'Hello {{first_name}} from {{city}}')}defaults:\n  city: London\n`,
    },
    { name: 'an empty value with a default is not reported', campaign: `${VALID_CAMPAIGN}defaults:\n  first_name: there\n`, files: withCsv('ann@example.com,,yes,t1\n') },
    {
      name: 'an empty value guarded by #if is not reported',
      campaign: VALID_CAMPAIGN.replace('"Hello {{first_name}}"', '"Hello{{#if first_name}} {{first_name}}{{/if}}"').replace('to: "{{first_name}} <{{email}}>"', 'to: "{{email}}"'),
      files: { ...withCsv('ann@example.com,,yes,t1\n'), 'body.txt': 'Hi{{#if first_name}} {{first_name}}{{/if}}\nUnsubscribe: https://mail.example.com/u/{{token}}\n' },
    },
    { name: 'inside #each, names are the item, not columns', campaign: VALID_CAMPAIGN, files: { ...VALID_FILES, 'body.txt': '{{#each token}}{{label}}{{/each}}\n' } },
    {
      name: 'columns with spaces through a quoted name and a bracketed path bind to those columns',
      campaign: VALID_CAMPAIGN.replace('"Hello {{first_name}}"', `'Hello {{"first name"}} ({{[E-mail Address]}})'`).replace('to: "{{first_name}} <{{email}}>"', 'to: "{{[E-mail Address]}}"').replace('  consent_column: consent', '  consent_column: consent\n  email_column: E-mail Address'),
      files: {
        'recipients.csv': 'E-mail Address,first name,consent,token\nann@example.com,Ann,yes,t1\nbo@example.org,Bo,yes,t2\n',
        'body.txt': 'Hello {{[first name]}}\n\nUnsubscribe: https://mail.example.com/u/{{token}}\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a quoted name is a merge field: undefined when the list has no such column',
      campaign: VALID_CAMPAIGN.replace('"Hello {{first_name}}"', '"Hello {{\'first name\'}}"'),
      errors: [
        {
          messageId: 'undefinedField',
          line: 10,
          column: 19,
          message: 'merge field `first name` in `subject` is neither a column of the recipient list nor a `defaults` key: it would render empty (did you mean `first_name`?)',
        },
      ],
    },
    {
      name: 'an unknown field in the subject, at its YAML position, with a suggestion',
      campaign: VALID_CAMPAIGN.replace('"Hello {{first_name}}"', '"Hello {{frist_name}}"'),
      errors: [
        {
          messageId: 'undefinedField',
          line: 10,
          column: 19,
          endLine: 10,
          endColumn: 29,
          message: 'merge field `frist_name` in `subject` is neither a column of the recipient list nor a `defaults` key: it would render empty (did you mean `first_name`?)',
        },
      ],
    },
    {
      name: 'an unknown field in the body, reported in the body file',
      campaign: VALID_CAMPAIGN,
      files: { ...VALID_FILES, 'body.txt': 'Hello {{first_name}}\nYour code: {{{promo_code}}}\n' },
      errors: [{ messageId: 'undefinedField', line: 2, column: 15, file: 'body.txt' }],
    },
    {
      name: 'a partial is reported',
      campaign: VALID_CAMPAIGN,
      files: { ...VALID_FILES, 'body.txt': 'Hello {{first_name}}\n{{> footer}}\n' },
      errors: [{ messageId: 'partial', line: 2, column: 1, file: 'body.txt', message: 'partial `footer` in `body.text` cannot be checked or rendered: campaign-lint loads no partials and the message would fail to render. Put its content in the template' }],
    },
    {
      name: 'an empty value without a default is a warning at the CSV field',
      campaign: VALID_CAMPAIGN,
      files: withCsv('ann@example.com,Ann,yes,t1\nbo@example.org, ,yes,t2\n'),
      errors: [{ messageId: 'emptyValue', line: 3, column: 16, file: 'recipients.csv', severity: 1, message: 'merge field `first_name` is empty in this row and has no `defaults` value: the message would show a blank' }],
    },
    {
      name: 'empty values are listed for the first 20 rows, then counted once',
      campaign: VALID_CAMPAIGN,
      files: withCsv(manyEmpty),
      errors: [
        ...Array.from({ length: 20 }, (_, index) => ({ messageId: 'emptyValue', line: index + 2, column: index < 10 ? 16 : 17, file: 'recipients.csv' })),
        {
          messageId: 'emptyMore',
          line: 22,
          column: 17,
          file: 'recipients.csv',
          severity: 1 as const,
          message: 'merge field `first_name` is also empty in 5 more row(s) from here on (the first 20 are listed one by one); add a `defaults` value or fill the column',
        },
      ],
    },
  ],
});
