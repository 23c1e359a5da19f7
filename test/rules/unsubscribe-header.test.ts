import { VALID_CAMPAIGN } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const headers = (block: string) => VALID_CAMPAIGN.replace(/headers:\n(?: {2}.*\n)+/, block);

ruleTester('unsubscribe-header', {
  valid: [
    { name: 'https URI and one-click post', campaign: VALID_CAMPAIGN },
    { name: 'header names in any case, mailto next to https', campaign: headers('headers:\n  list-unsubscribe: "<mailto:u@mail.example.com>, <https://mail.example.com/u/{{token}}>"\n  LIST-UNSUBSCRIBE-POST: "List-Unsubscribe=One-Click"\n') },
    { name: 'transactional campaigns are exempt', campaign: headers('').replace('category: marketing', 'category: transactional') },
  ],
  invalid: [
    {
      name: 'no headers at all, at the category',
      campaign: headers(''),
      errors: [
        { messageId: 'missingPost', line: 4, column: 1 },
        { messageId: 'missingHeader', line: 4, column: 1, message: 'marketing campaigns need a `List-Unsubscribe` header with an https: URI (RFC 8058; Gmail and Yahoo require it for bulk senders)' },
      ],
    },
    {
      name: 'only a mailto URI',
      campaign: headers('headers:\n  List-Unsubscribe: "<mailto:unsubscribe@mail.example.com>"\n  List-Unsubscribe-Post: List-Unsubscribe=One-Click\n'),
      errors: [{ messageId: 'noHttpsUri', line: 12, column: 21, message: '`List-Unsubscribe` has no `<https:…>` URI: one-click unsubscribe (RFC 8058) needs an https: URI in angle brackets' }],
    },
    {
      name: 'an http URI without brackets',
      campaign: headers('headers:\n  List-Unsubscribe: "http://mail.example.com/u"\n  List-Unsubscribe-Post: List-Unsubscribe=One-Click\n'),
      errors: [{ messageId: 'noHttpsUri', line: 12, column: 21 }],
    },
    {
      name: 'a wrong post value and a missing post header',
      campaign: headers('headers:\n  List-Unsubscribe: "<https://mail.example.com/u>"\n  List-Unsubscribe-Post: One-Click\n'),
      errors: [
        { messageId: 'notPerRecipient', line: 12, column: 21 },
        { messageId: 'wrongPost', line: 13, column: 26, message: '`List-Unsubscribe-Post` must be exactly `List-Unsubscribe=One-Click` (RFC 8058)' },
      ],
    },
    {
      name: 'post header missing, at the headers key',
      campaign: headers('headers:\n  List-Unsubscribe: "<https://mail.example.com/u>"\n'),
      errors: [
        { messageId: 'missingPost', line: 11, column: 1 },
        { messageId: 'notPerRecipient', line: 12, column: 21 },
      ],
    },
    {
      name: 'the same https URI for every recipient (bulk senders need a per-recipient one-click URL)',
      campaign: headers('headers:\n  List-Unsubscribe: "<mailto:u@mail.example.com?subject={{token}}>, <https://mail.example.com/unsubscribe>"\n  List-Unsubscribe-Post: List-Unsubscribe=One-Click\n'),
      errors: [
        {
          messageId: 'notPerRecipient',
          line: 12,
          column: 21,
          message:
            '`List-Unsubscribe` has the same https: URI for every recipient (no merge field): a one-click POST to it cannot tell who unsubscribes. Put a per-recipient token in it (`https://…/u/{{token}}`)',
        },
      ],
    },
  ],
});
