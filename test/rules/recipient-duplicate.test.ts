import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const BODY = VALID_FILES['body.txt'] ?? '';
const list = (header: string, ...rows: string[]) => ({ 'body.txt': BODY, 'recipients.csv': `${header}\n${rows.join('\n')}\n` });
const HEADER = 'email,first_name,consent,token';

ruleTester('recipient-duplicate', {
  valid: [
    { name: 'distinct addresses', campaign: VALID_CAMPAIGN },
    { name: 'local parts differ in case, compared case-sensitively', campaign: VALID_CAMPAIGN, config: { recipients: { case_sensitive_local_part: true } }, files: list(HEADER, 'Ann@example.com,A,yes,t1', 'ann@example.com,A,yes,t2') },
    { name: 'empty addresses are not duplicates of each other', campaign: VALID_CAMPAIGN, files: list(HEADER, ',A,yes,t1', ',B,yes,t2') },
  ],
  invalid: [
    {
      name: 'a repeat differing in case and spaces, reported at the later record',
      campaign: VALID_CAMPAIGN,
      files: list(HEADER, 'ann@example.com,Ann,yes,t1', 'bo@example.org,Bo,yes,t2', ' ANN@Example.COM,Ann,yes,t3'),
      errors: [{ messageId: 'duplicate', line: 4, column: 1, file: 'recipients.csv', message: '`A***@Example.COM` is already on line 2: this recipient would get the message twice' }],
    },
    {
      name: 'the domain is compared case-insensitively even with case-sensitive local parts',
      campaign: VALID_CAMPAIGN,
      config: { recipients: { case_sensitive_local_part: true } },
      files: list(HEADER, 'Ann@example.com,Ann,yes,t1', 'Ann@EXAMPLE.com,Ann,yes,t2'),
      errors: [{ messageId: 'duplicate', line: 3, column: 1, file: 'recipients.csv' }],
    },
    {
      name: 'the email column after a quoted multi-line field',
      campaign: VALID_CAMPAIGN.replace('  file: recipients.csv\n', '  file: recipients.csv\n  email_column: mail\n'),
      files: { 'body.txt': BODY, 'recipients.csv': 'first_name,mail\nAnn,ann@example.com\n"Ann\nMarie",ann@example.com\n' },
      errors: [{ messageId: 'duplicate', line: 4, column: 8, file: 'recipients.csv', message: '`a***@example.com` is already on line 2: this recipient would get the message twice' }],
    },
    {
      name: 'more than 100 repeats: the first 100 and one summary',
      campaign: VALID_CAMPAIGN,
      files: list(HEADER, ...Array.from({ length: 103 }, (_, i) => `same@example.com,N${i},yes,t`)),
      errors: [
        ...Array.from({ length: 100 }, (_, i) => ({ messageId: 'duplicate', line: i + 3, column: 1, file: 'recipients.csv' })),
        { messageId: 'more', line: 103, column: 1, file: 'recipients.csv', message: '2 more repeated addresses are not listed (the first 100 are)' },
      ],
    },
  ],
});
