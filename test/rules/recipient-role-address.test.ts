import { ROLE_MAILBOXES } from '../../src/core/address.js';
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
    {
      // The rule rules out most rows by a hash that stops at a dot or digit: every role must still get through it.
      name: 'every role mailbox on the list, upper-cased, is found',
      campaign: VALID_CAMPAIGN,
      files: list(...[...ROLE_MAILBOXES].map((role, i) => `${role.toUpperCase()}@example.com,R,yes,t${i}`)),
      errors: [...ROLE_MAILBOXES].map((_, i) => ({ messageId: 'role', line: i + 2, column: 1, file: 'recipients.csv' })),
    },
    {
      // Local parts keep their case in the shared encoded form then; roles are matched without case.
      name: 'upper-case roles with local parts compared case-sensitively, and a non-ASCII address',
      campaign: VALID_CAMPAIGN,
      config: { recipients: { case_sensitive_local_part: true } },
      files: list('  ABUSE@example.com,A,yes,t1', 'Ann@example.com,B,yes,t2', 'info@bücher.example,C,yes,t3', 'zoë@example.org,D,yes,t4'),
      errors: [
        { messageId: 'role', line: 2, column: 1, file: 'recipients.csv' },
        { messageId: 'role', line: 4, column: 1, file: 'recipients.csv' },
      ],
    },
    {
      name: 'a dot or digit in the local part is not a role, unless after the tag',
      campaign: VALID_CAMPAIGN,
      files: list('info.2@example.com,A,yes,t1', 'sales1@example.com,B,yes,t2', 'support+2024.q1@example.com,C,yes,t3'),
      errors: [{ messageId: 'role', line: 4, column: 1, file: 'recipients.csv' }],
    },
  ],
});
