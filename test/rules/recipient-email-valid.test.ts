import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const BODY = VALID_FILES['body.txt'] ?? '';
const list = (...rows: string[]) => ({ 'body.txt': BODY, 'recipients.csv': `email,first_name,consent,token\n${rows.join('\n')}\n` });
const long = `${'a'.repeat(65)}@example.com`;

ruleTester('recipient-email-valid', {
  valid: [
    { name: 'valid addresses', campaign: VALID_CAMPAIGN },
    { name: 'surrounding spaces, plus tags, quoted fields', campaign: VALID_CAMPAIGN, files: list(' ann@example.com ,Ann,yes,t1', '"bo+news@example.org",Bo,yes,t2') },
    { name: 'no email column: recipients-file reports it', campaign: VALID_CAMPAIGN, files: { 'body.txt': BODY, 'recipients.csv': 'mail,first_name\nnot an address,Ann\n' } },
  ],
  invalid: [
    {
      name: 'malformed, empty and too long addresses',
      campaign: VALID_CAMPAIGN,
      files: list('ann@@example.com,Ann,yes,t1', ',Bo,yes,t2', `${long},Cy,yes,t3`, 'dee at example.com,Dee,yes,t4'),
      errors: [
        { messageId: 'invalid', line: 2, column: 1, file: 'recipients.csv', message: '`a***@example.com` is not a valid email address' },
        { messageId: 'empty', line: 3, column: 1, file: 'recipients.csv', message: 'record 2 has no address in column `email`' },
        { messageId: 'tooLong', line: 4, column: 1, file: 'recipients.csv', message: '`a***@example.com` is longer than RFC 5321 allows (local part 64, whole address 254 octets)' },
        { messageId: 'invalid', line: 5, column: 1, file: 'recipients.csv', message: '`d***` is not a valid email address' },
      ],
    },
    {
      name: 'the email column is not the first; a quoted multi-line field before it',
      campaign: VALID_CAMPAIGN.replace('  file: recipients.csv\n', '  file: recipients.csv\n  email_column: mail\n'),
      files: { 'body.txt': BODY, 'recipients.csv': 'first_name,mail\n"Ann\nMarie",ann.example.com\n' },
      errors: [{ messageId: 'invalid', line: 3, column: 8, file: 'recipients.csv' }],
    },
    {
      name: '--show-pii prints the address',
      campaign: VALID_CAMPAIGN,
      showPii: true,
      files: list('ann@@example.com,Ann,yes,t1'),
      errors: [{ messageId: 'invalid', line: 2, column: 1, file: 'recipients.csv', message: '`ann@@example.com` is not a valid email address' }],
    },
  ],
});
