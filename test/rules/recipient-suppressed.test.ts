import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const WITH_SUPPRESS = `${VALID_CAMPAIGN}suppress: [suppression/bounced.csv]\n`;
const files = (extra: Record<string, string>) => ({ ...VALID_FILES, ...extra });
/** Two different addresses with the same 32-bit hash (see test/unit/duplicates.test.ts). */
const COLLIDING = ['umfmv@example.test', 'u100bt@example.test'] as const;
const WITHOUT_RECIPIENTS = Object.fromEntries(Object.entries(VALID_FILES).filter(([name]) => name !== 'recipients.csv'));

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
        { messageId: 'listProblem', line: 1, column: 1, file: 'suppression/bounced.csv' },
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
      name: 'a list with several columns and none named email',
      campaign: WITH_SUPPRESS,
      files: files({ 'suppression/bounced.csv': 'address,reason\ngone@example.org,bounce\n' }),
      errors: [{ messageId: 'listProblem', line: 1, column: 1, file: 'suppression/bounced.csv' }],
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
