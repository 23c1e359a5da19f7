import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const BODY = VALID_FILES['body.txt'] ?? '';
const list = (...rows: string[]) => ({ 'body.txt': BODY, 'recipients.csv': `email,first_name,consent,token\n${rows.join('\n')}\n` });

ruleTester('recipient-role-address', {
  valid: [
    { name: 'personal mailboxes', campaign: VALID_CAMPAIGN },
    { name: 'a name that starts like a role', campaign: VALID_CAMPAIGN, files: list('information.desk.ann@example.com,Ann,yes,t1', 'infoann@example.com,A,yes,t2') },
  ],
  invalid: [
    {
      name: 'postmaster, a tagged info and a no-reply',
      campaign: VALID_CAMPAIGN,
      files: list('postmaster@example.com,P,yes,t1', 'Info+news@example.org,I,yes,t2', 'ann@example.com,Ann,yes,t3', 'no-reply@example.org,N,yes,t4'),
      errors: [
        { messageId: 'role', line: 2, column: 1, file: 'recipients.csv', severity: 1, message: '`p***@example.com` is a role mailbox (RFC 2142): it reaches a team or nobody, not the person who consented' },
        { messageId: 'role', line: 3, column: 1, file: 'recipients.csv' },
        { messageId: 'role', line: 5, column: 1, file: 'recipients.csv' },
      ],
    },
  ],
});
