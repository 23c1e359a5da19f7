import { VALID_CAMPAIGN } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('no-bulk-bcc', {
  valid: [
    { name: 'no bcc', campaign: VALID_CAMPAIGN },
    { name: 'the archive address', campaign: `${VALID_CAMPAIGN}bcc: [archive@example.com]\n` },
    { name: 'the archive address in other case', campaign: `${VALID_CAMPAIGN}bcc: [Archive@Example.com]\n` },
    { name: 'a Bcc header to the archive', campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  BCC: "Archive <archive@example.com>"\n') },
    { name: 'a string bcc that parses to the archive', campaign: `${VALID_CAMPAIGN}bcc: "Archive <archive@example.com>"\n` },
    { name: 'a top-level BCC key with the archive', campaign: `${VALID_CAMPAIGN}BCC: [archive@example.com]\n` },
  ],
  invalid: [
    {
      name: 'a merge field in bcc (bulk send through bcc)',
      campaign: `${VALID_CAMPAIGN}bcc: ["{{email}}"]\n`,
      errors: [{ messageId: 'mergeField', line: 20, column: 7, endLine: 20, endColumn: 18 }],
    },
    {
      name: 'a literal address that is not an archive',
      campaign: `${VALID_CAMPAIGN}bcc:\n  - archive@example.com\n  - partner@example.org\n`,
      errors: [
        { messageId: 'notArchive', line: 22, column: 5, message: '`bcc[1]` address p***@example.org is not a configured archive address (organization.archive_addresses)' },
      ],
    },
    { name: 'no archive configured', campaign: `${VALID_CAMPAIGN}bcc: [archive@example.com]\n`, config: { organization: {} }, errors: [{ messageId: 'notArchive', line: 20, column: 7 }] },
    {
      name: 'a bcc header with a list',
      campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  Bcc: "archive@example.com, spy@example.org"\n'),
      errors: [{ messageId: 'notArchive', line: 12, column: 8 }],
    },
    { name: 'a string bcc with a customer address', campaign: `${VALID_CAMPAIGN}bcc: "archive@example.com, ann@example.com"\n`, errors: [{ messageId: 'notArchive', line: 20, column: 6, message: '`bcc` address a***@example.com is not a configured archive address (organization.archive_addresses)' }] },
    { name: 'a top-level BCC key with a customer', campaign: `${VALID_CAMPAIGN}BCC: ann@example.com\n`, errors: [{ messageId: 'notArchive', line: 20, column: 6 }] },
    { name: 'group syntax hiding a customer', campaign: `${VALID_CAMPAIGN}bcc: ["archive: archive@example.com, ann@example.com;"]\n`, errors: [{ messageId: 'notArchive', line: 20, column: 7 }] },
    {
      name: 'a numeric bcc',
      campaign: `${VALID_CAMPAIGN}bcc: 5\n`,
      errors: [
        { messageId: 'unexpectedType', line: 20, column: 1, message: '`bcc` is a number, but Bcc must be a list of archive addresses: a sender would still send it, so this rule rejects it whatever `schema` says' },
        { messageId: 'notArchive', line: 20, column: 6 },
      ],
    },
    {
      name: '47 customer addresses in bcc: one finding with the count, the first masked',
      campaign: `${VALID_CAMPAIGN}bcc:\n  - archive@example.com\n${Array.from({ length: 47 }, (_, index) => `  - customer${index}@example.org\n`).join('')}`,
      errors: [
        {
          messageId: 'notArchiveMany',
          line: 22,
          column: 5,
          message: '`bcc` holds 47 addresses that are not configured archive addresses (organization.archive_addresses), the first c***@example.org: remove them',
        },
      ],
    },
    {
      name: 'several merge fields in bcc: one finding',
      campaign: `${VALID_CAMPAIGN}bcc: ["{{email}}", "{{manager_email}}", archive@example.com]\n`,
      errors: [{ messageId: 'mergeFields', line: 20, column: 7, message: '`bcc` uses 2 merge fields: Bcc is not a bulk-send method (one visible mistake exposes everyone). Send one message per recipient through `to`' }],
    },
    { name: 'bcc and Bcc both set', campaign: `${VALID_CAMPAIGN}bcc: [archive@example.com]\nBcc: [archive@example.com]\n`, errors: [{ messageId: 'ambiguousField', line: 21, column: 1 }] },
  ],
});
