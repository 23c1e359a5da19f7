import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const WITH_HTML = VALID_CAMPAIGN.replace('  text: body.txt\n', '  html: body.html\n  text: body.txt\n');
const files = (html: string, text = VALID_FILES['body.txt'] ?? '') => ({ ...VALID_FILES, 'body.html': html, 'body.txt': text });

ruleTester('unsubscribe-link', {
  valid: [
    { name: 'a text body with an unsubscribe URL', campaign: VALID_CAMPAIGN },
    { name: 'an anchor with unsubscribe text', campaign: WITH_HTML, files: files('<p><a href="https://mail.example.com/p/{{token}}">Unsubscribe</a></p>') },
    { name: 'an anchor whose URL is a merge field named for it', campaign: WITH_HTML, files: files('<a href="{{unsubscribe_url}}">click here</a>') },
    { name: 'manage preferences wording', campaign: WITH_HTML, files: files('<a href="https://mail.example.com/x">Manage your email preferences</a>') },
    { name: 'a text URL on a line that says unsubscribe', campaign: VALID_CAMPAIGN, files: { ...VALID_FILES, 'body.txt': 'To unsubscribe visit https://mail.example.com/x/{{token}}\n' } },
    { name: 'service campaigns are exempt', campaign: VALID_CAMPAIGN.replace('category: marketing', 'category: service'), files: { ...VALID_FILES, 'body.txt': 'Hello\n' } },
  ],
  invalid: [
    {
      name: 'no link in the html body, at body.html',
      campaign: WITH_HTML,
      files: files('<p>Sale! <a href="https://shop.example.com">Shop now</a></p><!-- unsubscribe -->'),
      errors: [{ messageId: 'missingHtml', line: 15, column: 9, message: 'the html body has no unsubscribe link (an <a> whose text or URL says unsubscribe, opt out or manage preferences)' }],
    },
    {
      name: 'unsubscribe text without a link in the text body',
      campaign: VALID_CAMPAIGN,
      files: { ...VALID_FILES, 'body.txt': 'Reply STOP to unsubscribe.\nShop: https://shop.example.com\n' },
      errors: [{ messageId: 'missingText', line: 15, column: 9 }],
    },
  ],
});
