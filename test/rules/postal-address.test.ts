import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const WITH_HTML = VALID_CAMPAIGN.replace('  text: body.txt\n', '  html: body.html\n  text: body.txt\n');

ruleTester('postal-address', {
  valid: [
    { name: 'the address in the text body', campaign: VALID_CAMPAIGN },
    { name: 'split over lines and tags in html', campaign: WITH_HTML, files: { ...VALID_FILES, 'body.html': '<p>Example Ltd,<br>\n   1 Main <b>Street</b>, London\nN1 1AA</p>' } },
    { name: 'transactional campaigns are exempt', campaign: VALID_CAMPAIGN.replace('category: marketing', 'category: transactional'), files: { ...VALID_FILES, 'body.txt': 'Hi\n' } },
  ],
  invalid: [
    {
      name: 'missing from the html body',
      campaign: WITH_HTML,
      files: { ...VALID_FILES, 'body.html': '<p>Example Ltd</p><!-- 1 Main Street, London N1 1AA -->' },
      errors: [{ messageId: 'missing', line: 15, column: 9, message: 'the html body does not contain the postal address `Example Ltd, 1 Main Street, London N1 1AA` (organization.postal_address); CAN-SPAM and many national laws require it in marketing mail' }],
    },
    {
      name: 'no postal address configured is a warning',
      campaign: VALID_CAMPAIGN,
      config: { organization: {} },
      errors: [{ messageId: 'notConfigured', line: 4, column: 1, severity: 1 }],
    },
  ],
});
