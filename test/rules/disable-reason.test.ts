import { VALID_CAMPAIGN } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('disable-reason', {
  valid: [
    { name: 'no directives', campaign: VALID_CAMPAIGN },
    { name: 'a directive with a reason', campaign: `# campaign-lint-disable schema -- list refreshed nightly, see ticket 12\n${VALID_CAMPAIGN}` },
    { name: 'directive-like text inside a block scalar', campaign: `${VALID_CAMPAIGN}defaults:\n  note: |\n    # campaign-lint-disable schema\n` },
  ],
  invalid: [
    {
      name: 'no reason',
      campaign: `# campaign-lint-disable schema\n${VALID_CAMPAIGN}`,
      errors: [{ messageId: 'missingReason', line: 1, column: 1, endLine: 1, endColumn: 31, message: '`campaign-lint-disable` needs a reason after `--`, e.g. `# campaign-lint-disable schema -- approved by DPO, ticket 123`; it has no effect without one' }],
    },
    { name: 'an empty reason', campaign: `${VALID_CAMPAIGN}  # campaign-lint-disable-next-line schema --   \n`, errors: [{ messageId: 'missingReason', line: 20, column: 3 }] },
    { name: 'no rule named', campaign: `# campaign-lint-disable -- everything is fine\n${VALID_CAMPAIGN}`, errors: [{ messageId: 'missingRule', line: 1, column: 1 }] },
    {
      name: 'an unknown rule',
      campaign: `# campaign-lint-disable no-ccc -- typo\n${VALID_CAMPAIGN}`,
      errors: [{ messageId: 'unknownRule', line: 1, column: 1, message: '`campaign-lint-disable` names unknown rule `no-ccc`; the comment has no effect' }],
    },
    {
      name: 'a directive without reason does not silence the finding',
      campaign: `${VALID_CAMPAIGN}# campaign-lint-disable-next-line disable-reason\nextra: 1\n`,
      errors: [{ messageId: 'missingReason', line: 20, column: 1 }],
    },
  ],
});
