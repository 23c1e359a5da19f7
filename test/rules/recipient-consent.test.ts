import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const BODY = VALID_FILES['body.txt'] ?? '';
const list = (...rows: string[]) => ({ 'body.txt': BODY, 'recipients.csv': `email,first_name,consent,token\n${rows.join('\n')}\n` });

ruleTester('recipient-consent', {
  valid: [
    { name: 'every row consented', campaign: VALID_CAMPAIGN },
    { name: 'yes, TRUE, Y and 1 with spaces', campaign: VALID_CAMPAIGN, files: list('a@example.com,A,Yes,t', 'b@example.com,B, TRUE ,t', 'c@example.com,C,y,t', 'd@example.com,D,1,t') },
    { name: 'transactional campaigns need no consent column', campaign: VALID_CAMPAIGN.replace('category: marketing', 'category: transactional').replace('  consent_column: consent\n', '') },
  ],
  invalid: [
    { name: 'marketing without a consent column', campaign: VALID_CAMPAIGN.replace('  consent_column: consent\n', ''), errors: [{ messageId: 'undeclared', line: 16, column: 1 }] },
    {
      name: 'the declared column is not in the list',
      campaign: VALID_CAMPAIGN.replace('consent_column: consent', 'consent_column: opt_in'),
      errors: [{ messageId: 'missingColumn', line: 18, column: 19, message: 'consent column `opt_in` is not in the recipient list header' }],
    },
    {
      name: 'rows without consent, masked',
      campaign: VALID_CAMPAIGN,
      files: list('a@example.com,A,no,t', 'b@example.com,B,,t', 'c@example.com,C,yes please,t'),
      errors: [
        { messageId: 'noConsent', line: 2, column: 17, file: 'recipients.csv', message: 'record 1 has not consented: `consent` is `n***`, not yes/true/y/1' },
        { messageId: 'noConsent', line: 3, column: 17, file: 'recipients.csv', message: 'record 2 has not consented: `consent` is `(empty)`, not yes/true/y/1' },
        { messageId: 'noConsent', line: 4, column: 17, file: 'recipients.csv' },
      ],
    },
  ],
});
