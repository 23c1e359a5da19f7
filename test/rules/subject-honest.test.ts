import { VALID_CAMPAIGN } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const subject = (value: string) => VALID_CAMPAIGN.replace('subject: "Hello {{first_name}}"', `subject: ${JSON.stringify(value)}`);

ruleTester('subject-honest', {
  valid: [
    { name: 'a plain subject', campaign: VALID_CAMPAIGN },
    { name: 'RE inside a word', campaign: subject('Results: your year in review') },
    { name: 'a colon later on', campaign: subject('Winter sale: 30% off') },
  ],
  invalid: [
    {
      name: 'a fake reply',
      campaign: subject('RE: your order'),
      errors: [{ messageId: 'fakeThread', line: 10, column: 10, severity: 1, message: "the subject starts with `RE:` as if it replied to or forwarded the recipient's own mail; CAN-SPAM forbids deceptive subject lines" }],
    },
    { name: 'a fake forward', campaign: subject('Fwd: Fwd: sale'), errors: [{ messageId: 'fakeThread', line: 10, column: 10 }] },
    { name: 'a German reply prefix after a tag', campaign: subject('[Shop] AW: Ihre Bestellung'), errors: [{ messageId: 'fakeThread', line: 10, column: 10 }] },
    { name: 'an empty subject', campaign: subject('  '), errors: [{ messageId: 'empty', line: 10, column: 10 }] },
  ],
});
