import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const BODY = VALID_FILES['body.txt'] ?? '';
const HEADER = 'email,first_name,consent,token\n';
const withList = (csv: string) => ({ 'body.txt': BODY, 'recipients.csv': csv });

ruleTester('recipients-file', {
  valid: [
    { name: 'a well-formed list', campaign: VALID_CAMPAIGN },
    { name: 'BOM and CRLF', campaign: VALID_CAMPAIGN, files: withList(`\uFEFF${HEADER.replace('\n', '\r\n')}ann@example.com,Ann,yes,t1\r\n"bo@example.org","Bo, Jr.",yes,t2\r\n`) },
    { name: 'a custom email column', campaign: VALID_CAMPAIGN.replace('  file: recipients.csv\n', '  file: recipients.csv\n  email_column: Address\n'), files: withList('Address,first_name,consent,token\nann@example.com,Ann,yes,t1\n') },
  ],
  invalid: [
    { name: 'the list does not exist', campaign: VALID_CAMPAIGN, files: { 'body.txt': BODY }, errors: [{ messageId: 'missing', line: 17, column: 9, message: 'recipient list `recipients.csv` does not exist' }] },
    { name: 'the list is outside the repository', campaign: VALID_CAMPAIGN.replace('file: recipients.csv', 'file: ../recipients.csv'), errors: [{ messageId: 'outside', line: 17, column: 9 }] },
    { name: 'the list is a folder', campaign: VALID_CAMPAIGN.replace('file: recipients.csv', 'file: lists'), files: { 'body.txt': BODY, 'lists/a.csv': HEADER }, errors: [{ messageId: 'notAFile', line: 17, column: 9 }] },
    { name: 'an empty file', campaign: VALID_CAMPAIGN, files: withList(''), errors: [{ messageId: 'emptyFile', line: 1, column: 1, file: 'recipients.csv' }] },
    {
      name: 'no email column',
      campaign: VALID_CAMPAIGN,
      files: withList('mail,first_name,consent,token\nann@example.com,Ann,yes,t1\n'),
      errors: [{ messageId: 'missingEmailColumn', line: 1, column: 1, file: 'recipients.csv', message: 'the list has no `email` column, and column 1 `mail` looks like the address column: rename it `email`, or set `recipients.email_column: "mail"` and write `{{mail}}` in `to`' }],
    },
    {
      name: 'no header row',
      campaign: VALID_CAMPAIGN,
      files: withList('ann@example.com,Ann,yes,t1\nbo@example.org,Bo,yes,t2\n'),
      errors: [
        { messageId: 'missingHeader', line: 1, column: 1, file: 'recipients.csv' },
        { messageId: 'missingEmailColumn', line: 1, column: 1, file: 'recipients.csv' },
      ],
    },
    {
      name: 'a short and a long row',
      campaign: VALID_CAMPAIGN,
      files: withList(`${HEADER}ann@example.com,Ann,yes\nbo@example.org,Bo,yes,t2,extra\n`),
      errors: [
        { messageId: 'raggedRow', line: 2, column: 1, file: 'recipients.csv', message: 'inconsistent field count: record 1 has 3 fields; the header has 4' },
        { messageId: 'raggedRow', line: 3, column: 26, file: 'recipients.csv' },
      ],
    },
    {
      name: 'an unterminated quote',
      campaign: VALID_CAMPAIGN,
      files: withList(`${HEADER}ann@example.com,"Ann,yes,t1\nbo@example.org,Bo,yes,t2\n`),
      errors: [{ messageId: 'unterminatedQuote', line: 2, column: 17, file: 'recipients.csv' }],
    },
    {
      name: 'a duplicate column name',
      campaign: VALID_CAMPAIGN,
      files: withList('email,first_name,consent,token,Email\nann@example.com,Ann,yes,t1,x\n'),
      errors: [{ messageId: 'duplicateColumn', line: 1, column: 32, file: 'recipients.csv' }],
    },
    {
      name: 'problems past the first 100 are summed up in one finding',
      campaign: VALID_CAMPAIGN,
      files: withList(HEADER + 'ann@example.com,Ann\n'.repeat(130)),
      errors: [
        ...Array.from({ length: 100 }, (_, i) => ({ messageId: 'raggedRow', line: i + 2, column: 1, file: 'recipients.csv' })),
        { messageId: 'more', line: 102, column: 1, file: 'recipients.csv', message: '30 more problems of this file are not listed (the first 100 are)' },
      ],
    },
  ],
});
