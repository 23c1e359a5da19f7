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
      name: 'decoded forms in an HTML body: references, an empty element, a comment, an entity-encoded mailto',
      campaign: VALID_CAMPAIGN.replace('  text: body.txt', '  html: body.html'),
      files: {
        ...VALID_FILES,
        'recipients.csv': 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nbo@example.org,Bo,yes,t2\ncy@example.net,Cy,yes,t3\ndee@example.com,Dee,yes,t4\neve@example.org,Eve,yes,t5\n',
        'body.html': '<p>Hi</p>\n<p>bo&#64;example.org</p>\n<p>cy<span></span>@example&#x2E;net and dee<!-- x -->&commat;example.com</p>\n<p><a href="mailto:eve&#x40;example.org">mail</a></p>\n',
      },
      errors: [
        { messageId: 'recipient', line: 2, column: 4, file: 'body.html', message: '`b***@example.org` is a recipient (line 3 of the list): written here, it would reach other recipients or the repository\'s readers. Use a merge field' },
        { messageId: 'recipient', line: 3, column: 4, file: 'body.html' },
        { messageId: 'recipient', line: 3, column: 36, file: 'body.html' }, // at or before the address: a reference before it is longer in the source
        { messageId: 'recipient', line: 4, column: 4, file: 'body.html' },
      ],
    },
    {
      name: 'an address inside an RFC 2047 encoded word in a campaign value',
      campaign: VALID_CAMPAIGN.replace('subject: "Hello {{first_name}}"', 'subject: "=?utf-8?B?Qm8gPGJvQGV4YW1wbGUub3JnPg==?= says hi"'),
      errors: [{ messageId: 'recipient', line: 10, column: 11, message: '`b***@example.org` is a recipient (line 3 of the list): written here, it would reach other recipients or the repository\'s readers. Use a merge field' }],
    },
    {
      name: 'a suppressed address when the recipient list does not exist',
      campaign: `${VALID_CAMPAIGN}# was gone@example.org\nsuppress: [bounced.csv]\n`,
      files: { 'body.txt': VALID_FILES['body.txt'] ?? '', 'bounced.csv': 'email\ngone@example.org\n' },
      errors: [{ messageId: 'suppressed', line: 20, column: 7 }],
    },
  ],
});
