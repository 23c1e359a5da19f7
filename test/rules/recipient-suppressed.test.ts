import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const WITH_SUPPRESS = `${VALID_CAMPAIGN}suppress: [suppression/bounced.csv]\n`;
const files = (extra: Record<string, string>) => ({ ...VALID_FILES, ...extra });
/** Two different addresses with the same 32-bit hash (see test/unit/duplicates.test.ts). */
const COLLIDING = ['umfmv@example.test', 'u100bt@example.test'] as const;
const WITHOUT_RECIPIENTS = Object.fromEntries(Object.entries(VALID_FILES).filter(([name]) => name !== 'recipients.csv'));

function suppressed(line: number, masked: string, listLine: number, list = 'suppression/bounced.csv') {
  return { messageId: 'suppressed', line, column: 1, file: 'recipients.csv', message: `\`${masked}\` is on suppression list \`${list}\` (line ${listLine}): this person must not be sent anything` };
}

function invalidEntry(line: number, column: number, shown: string, list = 'suppression/bounced.csv') {
  return {
    messageId: 'invalidEntry',
    line,
    column,
    file: list,
    message: `suppression list entry \`${shown}\` yields no valid address, so it suppresses nobody: write an address, <address>, Name <address> or mailto:address`,
  };
}

ruleTester('recipient-suppressed', {
  valid: [
    { name: 'no suppression list', campaign: VALID_CAMPAIGN },
    { name: 'nobody on the list', campaign: WITH_SUPPRESS, files: files({ 'suppression/bounced.csv': 'email\ngone@example.org\n' }) },
    {
      name: 'a recipient whose address has the hash of a suppressed address, not its bytes',
      campaign: WITH_SUPPRESS,
      files: files({ 'recipients.csv': `email,first_name,consent,token\n${COLLIDING[1]},Ann,yes,t1\n`, 'suppression/bounced.csv': `email\n${COLLIDING[0]}\n` }),
    },
    { name: 'a config glob, nobody on it', campaign: VALID_CAMPAIGN, config: { suppression: ['lists/*.csv'] }, files: files({ 'lists/a.csv': 'email\ngone@example.org\n' }) },
  ],
  invalid: [
    {
      name: 'a campaign list, matched ignoring case',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'email\ngone@example.org\n BO@Example.org\n' }),
      errors: [{ messageId: 'suppressed', line: 3, column: 1, file: 'recipients.csv', message: '`b***@example.org` is on suppression list `suppression/bounced.csv` (line 3): this person must not be sent anything' }],
    },
    {
      name: 'config globs relative to the config folder, a single-column list without email header',
      campaign: VALID_CAMPAIGN,
      config: { suppression: ['lists/*.csv'] },
      files: files({ 'lists/a.csv': 'email\ngone@example.org\n', 'lists/b.csv': 'address\nann@example.com\n' }),
      errors: [{ messageId: 'suppressed', line: 2, column: 1, file: 'recipients.csv', message: '`a***@example.com` is on suppression list `lists/b.csv` (line 2): this person must not be sent anything' }],
    },
    {
      name: 'a missing list, a list outside the repository and an empty glob',
      campaign: `${VALID_CAMPAIGN}suppress: [missing.csv, ../outside.csv]\n`,
      config: { suppression: ['nothing/*.csv'] },
      errors: [
        { messageId: 'globEmpty', line: 16, column: 1, message: 'config suppression glob `nothing/*.csv` matches no file: no address is checked against it' },
        { messageId: 'listMissing', line: 20, column: 12, message: 'suppression list `missing.csv` does not exist: its addresses cannot be checked' },
        { messageId: 'listOutside', line: 20, column: 25 },
      ],
    },
    {
      name: 'only the row with the suppressed bytes, among two rows sharing its hash',
      campaign: WITH_SUPPRESS,
      files: files({
        'recipients.csv': `email,first_name,consent,token\n${COLLIDING[1]},Ann,yes,t1\n${COLLIDING[0]},Bo,yes,t2\n`,
        'suppression/bounced.csv': `email\ngone@example.org\n${COLLIDING[0]}\n`,
      }),
      errors: [{ messageId: 'suppressed', line: 3, column: 1, file: 'recipients.csv', message: '`u***@example.test` is on suppression list `suppression/bounced.csv` (line 3): this person must not be sent anything' }],
    },
    {
      // Entries are read back from the lists to be compared: quoted, CRLF, BOM, a second column.
      name: 'an address on two lists and twice on the first: its first place, read back from any layout',
      campaign: `${VALID_CAMPAIGN}suppress: [suppression/bounced.csv, suppression/complaints.csv]\n`,
      files: files({
        'suppression/bounced.csv': '\uFEFFreason,"email"\r\nbounce,"gone@example.org"\r\n"spam, ""reported""",ANN@example.com\r\nagain,ann@example.com\r\n',
        'suppression/complaints.csv': 'email\nann@example.com\n',
      }),
      errors: [{ messageId: 'suppressed', line: 2, column: 1, file: 'recipients.csv', message: '`a***@example.com` is on suppression list `suppression/bounced.csv` (line 3): this person must not be sent anything' }],
    },
    {
      name: 'a list whose first line is an address: that address is suppressed too',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'ann@example.com\ngone@example.org\n' }),
      errors: [
        { messageId: 'suppressed', line: 2, column: 1, file: 'recipients.csv', message: '`a***@example.com` is on suppression list `suppression/bounced.csv` (line 1): this person must not be sent anything' },
      ],
    },
    {
      name: 'local parts compared case-sensitively: only the entry with the same local part',
      campaign: WITH_SUPPRESS,
      config: { recipients: { case_sensitive_local_part: true } },
      files: files({ 'suppression/bounced.csv': 'email\nAnn@example.com\nann@EXAMPLE.com\n' }),
      errors: [{ messageId: 'suppressed', line: 2, column: 1, file: 'recipients.csv', message: '`a***@example.com` is on suppression list `suppression/bounced.csv` (line 3): this person must not be sent anything' }],
    },
    {
      name: 'list problems are reported when the recipient list does not exist',
      campaign: `${VALID_CAMPAIGN}suppress: [missing.csv]\n`,
      files: WITHOUT_RECIPIENTS,
      errors: [{ messageId: 'listMissing', line: 20, column: 12 }],
    },
    {
      name: 'a list with several columns, none named like an address column and none holding an address in the first row',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'id,reason\n1,bounce\n' }),
      errors: [
        {
          messageId: 'listProblem',
          line: 1,
          column: 1,
          file: 'suppression/bounced.csv',
          message: 'suppression list problem: suppression list has several columns and none is named email, e-mail, address, email_address or EmailAddress',
        },
      ],
    },
    // Shapes people export (issue 15, item 12): each used to suppress nobody, silently.
    {
      name: 'a semicolon-separated list',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'email;reason\nbo@example.org;unsubscribed\n' }),
      errors: [suppressed(3, 'b***@example.org', 2)],
    },
    {
      name: 'a tab-separated list',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'reason\temail\tdate\nbounce\tann@example.com\t2026-01-02\n' }),
      errors: [suppressed(2, 'a***@example.com', 2)],
    },
    {
      name: 'a pipe-separated list',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'email|reason\nann@example.com|bounce\n' }),
      errors: [suppressed(2, 'a***@example.com', 2)],
    },
    {
      name: 'entries written <addr>, header-less',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': '<gone@example.net>\n<bo@example.org>\n' }),
      errors: [suppressed(3, 'b***@example.org', 2)],
    },
    {
      name: 'an entry written mailto:ADDR?subject=x, scheme in capitals',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'email\nMAILTO:ANN@example.com?subject=unsubscribe\n' }),
      errors: [suppressed(2, 'a***@example.com', 2)],
    },
    {
      name: 'an entry written Name <addr>',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'email,reason\nAnn Example <ann@example.com>,complaint\n' }),
      errors: [suppressed(2, 'a***@example.com', 2)],
    },
    {
      name: 'an entry written "Name, with comma" <addr>, CSV-quoted',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'reason,email\ncomplaint,"""Example, Ann"" <ann@example.com>"\n' }),
      errors: [suppressed(2, 'a***@example.com', 2)],
    },
    {
      name: 'BOM, CRLF, an "Email Address" header, and spaces that trim() keeps (non-breaking, zero-width)',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': '\uFEFFEmail Address;Reason\r\ngone@example.net;bounce\r\n\u00A0\u200Bbo@example.org\u200B ;bounce\r\n' }),
      errors: [suppressed(3, 'b***@example.org', 3)],
    },
    {
      name: "SES's header-less export: address,REASON",
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'bounce@example.net,BOUNCE\nann@example.com,COMPLAINT\n' }),
      errors: [suppressed(2, 'a***@example.com', 2)],
    },
    {
      name: "SES's export with its header: EmailAddress,Reason,LastUpdateTime",
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'EmailAddress,Reason,LastUpdateTime\nbo@example.org,BOUNCE,2026-11-30T10:00:00Z\n' }),
      errors: [suppressed(3, 'b***@example.org', 2)],
    },
    {
      name: 'a header-less list whose address is in its second column',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': '2026-11-30;ann@example.com\n2026-12-01;gone@example.net\n' }),
      errors: [suppressed(2, 'a***@example.com', 1)],
    },
    {
      name: 'a header-less list after a BOM and blank CRLF lines: its first entry is read back at the right byte',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': '\uFEFF\r\n\r\nAnn <ann@example.com>;BOUNCE\r\ngone@example.net;BOUNCE\r\n' }),
      errors: [suppressed(2, 'a***@example.com', 3)],
    },
    {
      name: 'a list of garbage: each entry at its line, masked, and the list as a whole',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'email\nnot an address\nann at example.com\n' }),
      errors: [
        { messageId: 'emptyList', line: 1, column: 1, file: 'suppression/bounced.csv', message: 'suppression list `suppression/bounced.csv` yields no address: check its delimiter and column' },
        invalidEntry(2, 1, 'n***'),
        invalidEntry(3, 1, 'a***'),
      ],
    },
    {
      name: 'a list with a header only yields no address',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'email\n' }),
      errors: [{ messageId: 'emptyList', line: 1, column: 1, file: 'suppression/bounced.csv' }],
    },
    {
      name: 'a mixed list: the bad lines at their exact line and column, the good ones still suppress',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'reason,email\nbounce,ann@example.com\nbounce,Jane <jane.example.com>\nbounce,\n' }),
      errors: [suppressed(2, 'a***@example.com', 2), invalidEntry(3, 8, 'J***'), invalidEntry(4, 8, '')],
    },
    {
      name: 'with --show-pii, the bad entry is shown as written',
      campaign: WITH_SUPPRESS,
      showPii: true,
      files: files({ 'suppression/bounced.csv': 'email\nann@example.com\nJane <jane.example.com>\n' }),
      errors: [{ messageId: 'suppressed', line: 2, column: 1, file: 'recipients.csv' }, invalidEntry(3, 1, 'Jane <jane.example.com>')],
    },
    {
      name: 'a semicolon-separated row under a one-column header is never silent',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'email\nann@example.com;bounce\n' }),
      errors: [{ messageId: 'emptyList', line: 1, column: 1, file: 'suppression/bounced.csv' }, invalidEntry(2, 1, 'a***@example.com;bounce')],
    },
    {
      name: 'bad entries are capped per list, then counted',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': `email\nann@example.com\n${Array.from({ length: 105 }, (_, i) => `bad ${i}\n`).join('')}` }),
      errors: [
        suppressed(2, 'a***@example.com', 2),
        ...Array.from({ length: 100 }, (_, i) => invalidEntry(i + 3, 1, 'b***')),
        {
          messageId: 'moreListProblems',
          line: 103,
          column: 1,
          file: 'suppression/bounced.csv',
          message: '5 more problems of suppression list `suppression/bounced.csv` are not listed (the first 100 are)',
        },
      ],
    },
    {
      name: 'special-category keeps it an error even when configured as a warning',
      campaign: `${WITH_SUPPRESS}sensitivity: special-category\n`,
      config: { rules: { 'recipient-suppressed': 'warn' } },
      files: files({ 'suppression/bounced.csv': 'email\nann@example.com\n' }),
      errors: [{ messageId: 'suppressed', line: 2, column: 1, file: 'recipients.csv', severity: 2 }],
    },
  ],
});
