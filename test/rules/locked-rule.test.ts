import { VALID_CAMPAIGN } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('locked-rule', {
  valid: [
    { name: 'disabling an unlocked rule', campaign: `# campaign-lint-disable schema -- migrating old campaigns\n${VALID_CAMPAIGN}` },
    { name: 'several unlocked rules', campaign: `# campaign-lint-disable schema, disable-reason -- fine\n${VALID_CAMPAIGN}` },
  ],
  invalid: [
    {
      name: 'disabling no-cc inline',
      campaign: `${VALID_CAMPAIGN}# campaign-lint-disable-next-line no-cc -- the board said so\ncc: [a@example.com]\n`,
      errors: [{ messageId: 'locked', line: 20, column: 1, message: '`no-cc` is locked by the policy (test config): an inline comment cannot disable it, and this one has no effect' }],
    },
    {
      name: 'a rule the config locks',
      campaign: `# campaign-lint-disable schema -- fine\n${VALID_CAMPAIGN}`,
      config: { locked: ['schema'] },
      errors: [{ messageId: 'locked', line: 1, column: 1 }],
    },
    {
      name: 'each locked rule in a list',
      campaign: `# campaign-lint-disable no-cc, header-injection, schema -- fine\n${VALID_CAMPAIGN}`,
      errors: [
        { messageId: 'locked', line: 1, column: 1, message: '`header-injection` is locked by the policy (test config): an inline comment cannot disable it, and this one has no effect' },
        { messageId: 'locked', line: 1, column: 1, message: '`no-cc` is locked by the policy (test config): an inline comment cannot disable it, and this one has no effect' },
      ],
    },
  ],
});
