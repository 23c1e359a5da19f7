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
        {
          messageId: 'recipients',
          line: 2,
          column: 4,
          file: 'body.html',
          // 3:36 is at or before the address: a reference before it is longer in the source
          message:
            "4 addresses of recipients are written in `body.html` (at 2:4, 3:4, 3:36, 4:4), the first `b***@example.org` (line 3 of the list): written here, they would reach other recipients or the repository's readers. Use merge fields",
        },
      ],
    },
    {
      name: 'many recipients pasted into one field: one finding with the count and the first positions',
      campaign: `${VALID_CAMPAIGN}cc: [${Array.from({ length: 47 }, (_, index) => `customer${index}@example.com`).join(', ')}]\n`,
      files: { ...VALID_FILES, 'recipients.csv': `email,first_name,consent,token\n${Array.from({ length: 47 }, (_, index) => `customer${index}@example.com,C,yes,t${index}\n`).join('')}` },
      errors: [
        {
          messageId: 'recipients',
          line: 20,
          column: 6,
          message:
            "47 addresses of recipients are written in `cc` (at 20:6, 20:29, 20:52, 20:75, 20:98 and 42 more), the first `c***@example.com` (line 2 of the list): written here, they would reach other recipients or the repository's readers. Use merge fields",
        },
      ],
    },
    {
      name: 'grouped per place: a key and a comment are two findings, suppressed apart from recipients',
      campaign: `${VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  X-Note: "ann@example.com, bo@example.org, gone@example.org, left@example.org"\n')}# test send to ann@example.com\nsuppress: [bounced.csv]\n`,
      files: { ...VALID_FILES, 'bounced.csv': 'email\ngone@example.org\nleft@example.org\n' },
      errors: [
        { messageId: 'recipients', line: 12, column: 12, message: "2 addresses of recipients are written in `headers` (at 12:12, 12:29), the first `a***@example.com` (line 2 of the list): written here, they would reach other recipients or the repository's readers. Use merge fields" },
        { messageId: 'suppressedMany', line: 12, column: 45, message: '2 addresses on suppression lists are written in `headers` (at 12:45, 12:63), the first `g***@example.org` on `bounced.csv` (line 2): a suppressed person\'s address must not be written in a campaign' },
        { messageId: 'recipient', line: 21, column: 16 },
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
