import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('no-recipient-data-leak', {
  valid: [
    { name: 'no literal addresses', campaign: VALID_CAMPAIGN },
    { name: 'the organisation\'s own addresses are not leaks even when on the list', campaign: VALID_CAMPAIGN, files: { ...VALID_FILES, 'recipients.csv': 'email,first_name,consent,token\nalice@example.com,A,yes,t1\nnews@mail.example.com,N,yes,t2\n' } },
    { name: 'an address that is on no list', campaign: `${VALID_CAMPAIGN}# questions: help.desk@example.com\n` },
  ],
  invalid: [
    {
      name: 'a recipient in a comment and in the body, matched ignoring case',
      campaign: `${VALID_CAMPAIGN}# test send to Ann@Example.com\n`,
      files: { ...VALID_FILES, 'body.txt': `${VALID_FILES['body.txt'] ?? ''}Questions? Write to bo@example.org\n` },
      errors: [
        { messageId: 'recipient', line: 6, column: 21, file: 'body.txt' },
        { messageId: 'recipient', line: 20, column: 16, message: '`A***@Example.com` is a recipient (line 2 of the list): written here, it would reach other recipients or the repository\'s readers. Use a merge field' },
      ],
    },
    {
      name: 'a suppressed address in a header',
      campaign: `${VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  X-Note: "was gone@example.org"\n')}suppress: [bounced.csv]\n`,
      files: { ...VALID_FILES, 'bounced.csv': 'email\ngone@example.org\n' },
      errors: [{ messageId: 'suppressed', line: 12, column: 16, message: '`g***@example.org` is on suppression list `bounced.csv` (line 2): a suppressed person\'s address must not be written in a campaign' }],
    },
    {
      name: 'an address both on the recipient list and suppressed is reported as suppressed',
      campaign: `${VALID_CAMPAIGN}# test send to bo@example.org\nsuppress: [bounced.csv]\n`,
      files: { ...VALID_FILES, 'bounced.csv': 'email\nbo@example.org\n' },
      errors: [{ messageId: 'suppressed', line: 20, column: 16 }],
    },
    {
      name: 'a suppressed address when the recipient list does not exist',
      campaign: `${VALID_CAMPAIGN}# was gone@example.org\nsuppress: [bounced.csv]\n`,
      files: { 'body.txt': VALID_FILES['body.txt'] ?? '', 'bounced.csv': 'email\ngone@example.org\n' },
      errors: [{ messageId: 'suppressed', line: 20, column: 7 }],
    },
  ],
});
