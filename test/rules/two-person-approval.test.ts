import { computeDigest, referencedFilesOf } from '../../src/approval/digest.js';
import { parseYaml } from '../../src/parsers/yaml.js';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const REQUIRE_TWO = { approval: { required: 2, approvers: [] as string[] } };
const digest = await digestOf(VALID_CAMPAIGN);
const approval = (by: string, value = digest) => `  - by: ${by}\n    digest: ${value}\n    at: 2026-11-20T10:00:00Z\n`;
const withApprovals = (...items: string[]) => `${VALID_CAMPAIGN}approvals:\n${items.join('')}`;
const OLD = `sha256:${'ab12'.repeat(16)}`;

async function digestOf(campaign: string): Promise<string> {
  const root = tempTree({ 'campaign.yaml': campaign, ...VALID_FILES });
  const value = parseYaml(campaign).value;
  return computeDigest(value, root, referencedFilesOf(value));
}

ruleTester('two-person-approval', {
  valid: [
    { name: 'two approvals of the current digest', campaign: withApprovals(approval('bob@example.com'), approval('carol@example.com')), config: REQUIRE_TWO },
    { name: 'a stale approval next to two current ones', campaign: withApprovals(approval('dan@example.com', OLD), approval('bob@example.com'), approval('carol@example.com')), config: REQUIRE_TWO },
    { name: 'identities compare case-insensitively with approvers', campaign: withApprovals(approval('Bob@Example.com'), approval('carol@example.com')), config: { approval: { required: 2, approvers: ['bob@example.com', 'CAROL@example.com'] } } },
    { name: 'required 0 turns it off for standard campaigns', campaign: VALID_CAMPAIGN, config: { approval: { required: 0 } } },
  ],
  invalid: [
    {
      name: 'no approvals, at the author key',
      campaign: VALID_CAMPAIGN,
      config: REQUIRE_TWO,
      errors: [{ messageId: 'notApproved', line: 5, column: 1, message: '0 of 2 approvals valid (record mode): no approvals yet; 2 more reviewers other than the author must run campaign-lint approve campaign.yaml --by <id>' }],
    },
    {
      // The verdict waits for the digest until after the recipient pass: with no list to read, it is still made.
      name: 'no approvals and no recipient list: the verdict is still made',
      campaign: VALID_CAMPAIGN.replace('  file: recipients.csv\n', '  file: missing.csv\n'),
      config: REQUIRE_TWO,
      errors: [{ messageId: 'notApproved', line: 5, column: 1, message: '0 of 2 approvals valid (record mode): no approvals yet; 2 more reviewers other than the author must run campaign-lint approve campaign.yaml --by <id>' }],
    },
    {
      name: 'one stale approval: names it and how to fix it',
      campaign: withApprovals(approval('bob@example.com'), approval('carol@example.com', OLD)),
      config: REQUIRE_TWO,
      errors: [
        { messageId: 'notApproved', line: 20, column: 1, message: '1 of 2 approvals valid (record mode): carol@example.com approved an older version (sha256:ab12ab12…); re-approve with campaign-lint approve campaign.yaml --by carol@example.com' },
        { messageId: 'invalidApproval', line: 24, column: 5, message: 'this approval does not count: carol@example.com approved an older version (sha256:ab12ab12…)' },
      ],
    },
    {
      name: 'the author approving their own campaign',
      campaign: withApprovals(approval('alice@example.com'), approval('bob@example.com')),
      config: REQUIRE_TWO,
      errors: [
        { messageId: 'notApproved', line: 20, column: 1 },
        { messageId: 'invalidApproval', line: 21, column: 5, message: 'this approval does not count: alice@example.com is the author and cannot approve their own campaign' },
      ],
    },
    {
      name: 'the same person twice',
      campaign: withApprovals(approval('bob@example.com'), approval('BOB@example.com')),
      config: REQUIRE_TWO,
      errors: [
        { messageId: 'notApproved', line: 20, column: 1 },
        { messageId: 'invalidApproval', line: 24, column: 5, message: 'this approval does not count: BOB@example.com approved more than once (counted once)' },
      ],
    },
    {
      name: 'someone outside approvers',
      campaign: withApprovals(approval('mallory@example.org'), approval('bob@example.com')),
      config: { approval: { required: 2, approvers: ['bob@example.com', 'carol@example.com'] } },
      errors: [
        { messageId: 'notApproved', line: 20, column: 1 },
        { messageId: 'invalidApproval', line: 21, column: 5, message: 'this approval does not count: mallory@example.org is not in approval.approvers' },
      ],
    },
    {
      name: 'special-category needs two whatever the config says',
      campaign: `${VALID_CAMPAIGN}sensitivity: special-category\n`,
      config: { approval: { required: 0 } },
      errors: [{ messageId: 'notApproved', line: 5, column: 1 }],
    },
    {
      name: 'record mode under the strict preset says approvals are unverified',
      campaign: withApprovals(approval('bob@example.com'), approval('carol@example.com')),
      config: { extends: 'strict', approval: { required: 2 } },
      errors: [{ messageId: 'recordMode', line: 20, column: 1 }],
    },
    {
      name: 'signature mode without allowed_signers',
      campaign: withApprovals(approval('bob@example.com'), approval('carol@example.com')),
      config: { approval: { required: 2, verify: 'signature' } },
      errors: [
        { messageId: 'notApproved', line: 20, column: 1 },
        { messageId: 'invalidApproval', line: 21, column: 5, message: "this approval does not count: bob@example.com's approval has no signature" },
        { messageId: 'invalidApproval', line: 24, column: 5 },
      ],
    },
    {
      name: 'a recipients file outside the repository cannot be bound',
      campaign: VALID_CAMPAIGN.replace('file: recipients.csv', 'file: ../../../../etc/hostname'),
      config: REQUIRE_TWO,
      errors: [
        { messageId: 'notApproved', line: 5, column: 1 },
        { messageId: 'unreadableFile', line: 5, column: 1, message: '`../../../../etc/hostname` cannot be read (outside the repository): approvals cannot be bound to its content' },
      ],
    },
  ],
});
