import assert from 'node:assert/strict';
import { test } from 'node:test';
import { headerFieldCounts } from '../../src/render/header-fields.js';
import { VALID_CAMPAIGN } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const headers = (block: string) => VALID_CAMPAIGN.replace(/headers:\n(?: {2}.*\n)+/, block);

test('headerFieldCounts counts fields of the header block only, folded lines once, names in any case', () => {
  const raw = 'Subject: a\r\n b\r\nsubject: c\r\nX-A: 1\r\n\r\nSubject: in the body\r\n';
  assert.deepEqual([...headerFieldCounts(raw)], [
    ['subject', { name: 'Subject', count: 2 }],
    ['x-a', { name: 'X-A', count: 1 }],
  ]);
  assert.deepEqual([...headerFieldCounts('To: a\nTO: b\n')], [['to', { name: 'To', count: 2 }]]);
});

ruleTester('header-single-instance', {
  valid: [
    { name: 'one of each', campaign: VALID_CAMPAIGN },
    { name: 'a custom header twice in two cases is not single-instance', campaign: headers('headers:\n  List-Unsubscribe: "<https://mail.example.com/u/{{token}}>"\n  List-Unsubscribe-Post: List-Unsubscribe=One-Click\n  X-Campaign: a\n  x-campaign: b\n') },
    { name: 'References once', campaign: headers('headers:\n  List-Unsubscribe: "<https://mail.example.com/u/{{token}}>"\n  List-Unsubscribe-Post: List-Unsubscribe=One-Click\n  References: "<a@mail.example.com>"\n') },
  ],
  invalid: [
    {
      name: 'List-Unsubscribe spelled in two cases goes out twice',
      campaign: headers('headers:\n  List-Unsubscribe: "<https://mail.example.com/u/{{token}}>"\n  list-unsubscribe: "<https://mail.example.com/v/{{token}}>"\n  List-Unsubscribe-Post: List-Unsubscribe=One-Click\n'),
      errors: [
        {
          messageId: 'duplicate',
          line: 13,
          column: 3,
          message:
            'the rendered message has 2 `List-Unsubscribe` fields (from `headers.List-Unsubscribe`, `headers.list-unsubscribe`); it may have one (RFC 5322 §3.6, RFC 8058), and Gmail and Yahoo reject bulk mail that breaks RFC 5322. Keep one spelling',
        },
      ],
    },
    {
      name: 'References and List-Unsubscribe-Post twice',
      campaign: headers('headers:\n  List-Unsubscribe: "<https://mail.example.com/u/{{token}}>"\n  List-Unsubscribe-Post: List-Unsubscribe=One-Click\n  LIST-UNSUBSCRIBE-POST: List-Unsubscribe=One-Click\n  references: "<a@mail.example.com>"\n  References: "<b@mail.example.com>"\n'),
      errors: [
        { messageId: 'duplicate', line: 14, column: 3 },
        { messageId: 'duplicate', line: 16, column: 3 },
      ],
    },
    {
      name: 'a second Subject, Message-ID and Date in headers',
      campaign: headers('headers:\n  List-Unsubscribe: "<https://mail.example.com/u/{{token}}>"\n  List-Unsubscribe-Post: List-Unsubscribe=One-Click\n  Subject: Other\n  message-id: "<x@mail.example.com>"\n  Date: "Mon, 1 Jan 2024 00:00:00 +0000"\n'),
      errors: [
        {
          messageId: 'composerField',
          line: 14,
          column: 3,
          message: '`headers.Subject` sets `Subject`, which the mailer writes itself from `subject`: nodemailer drops this one, other senders send both (two `Subject` fields). Remove it',
        },
        { messageId: 'composerField', line: 15, column: 3 },
        { messageId: 'composerField', line: 16, column: 3 },
      ],
    },
  ],
});

// A second address field changes who sees what: the locked audit counts it in the raw message.
ruleTester('rendered-message', {
  valid: [{ name: 'one Sender', campaign: headers('headers:\n  List-Unsubscribe: "<https://mail.example.com/u/{{token}}>"\n  List-Unsubscribe-Post: List-Unsubscribe=One-Click\n  Sender: news@mail.example.com\n') }],
  invalid: [
    {
      name: 'two Sender fields (the same address twice, so no other finding)',
      campaign: headers('headers:\n  List-Unsubscribe: "<https://mail.example.com/u/{{token}}>"\n  List-Unsubscribe-Post: List-Unsubscribe=One-Click\n  Sender: news@mail.example.com\n  SENDER: news@mail.example.com\n'),
      errors: [
        {
          messageId: 'campaignWideHeader',
          line: 14,
          column: 3,
          message:
            'every rendered message has this problem, whatever the recipient: The rendered message has 2 Sender header fields; it may have one at most (RFC 5322), and mail clients differ in which one they show',
        },
      ],
    },
  ],
});
