import { VALID_CAMPAIGN } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const from = (address: string) => VALID_CAMPAIGN.replace('address: news@mail.example.com', `address: ${JSON.stringify(address)}`);

ruleTester('from-domain', {
  valid: [
    { name: 'a configured sending domain', campaign: VALID_CAMPAIGN },
    { name: 'a subdomain of a configured domain', campaign: from('news@eu.mail.example.com') },
    { name: 'any non-free domain when none is configured', campaign: from('news@shop.example.org'), config: { organization: {} } },
  ],
  invalid: [
    {
      name: 'a free-mail sender',
      campaign: from('example.shop@gmail.com'),
      errors: [{ messageId: 'freeMail', line: 8, column: 12, message: 'the sender `example.shop@gmail.com` is on the free-mail domain `gmail.com`: its DMARC policy will reject or junk bulk mail sent from elsewhere' }],
    },
    { name: 'free-mail even without configured domains', campaign: from('news@yahoo.com'), config: { organization: {} }, errors: [{ messageId: 'freeMail', line: 8, column: 12 }] },
    {
      name: 'not a sending domain',
      campaign: from('news@other.example.org'),
      errors: [{ messageId: 'notSendingDomain', line: 8, column: 12, message: 'the sender domain `other.example.org` is not one of organization.sending_domains (mail.example.com)' }],
    },
    { name: 'a merge field', campaign: from('{{rep_email}}'), errors: [{ messageId: 'dynamic', line: 8, column: 12 }] },
    { name: 'no domain', campaign: from('news'), errors: [{ messageId: 'noDomain', line: 8, column: 12 }] },
  ],
});
