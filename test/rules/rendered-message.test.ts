import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { lintCampaign, reportOnce } from '../../src/core/linter.js';
import { RENDER_BUDGET_CHARS, sampleTarget } from '../../src/rules/rendered-message.js';
import type { LintMessage } from '../../src/core/types.js';
import { StrideSampler } from '../../src/core/sample.js';
import { VALID_CAMPAIGN, VALID_FILES, tempTree, testConfig } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const CSV_HEADER = 'email,first_name,consent,token\n';
const withCsv = (rows: string, extra: Record<string, string> = {}) => ({ ...VALID_FILES, 'recipients.csv': CSV_HEADER + rows, ...extra });
const SMUGGLED = withCsv('ann@example.com,Ann,yes,t1\nbo@example.org,"Bo <someone.else@example.org>, Bo",yes,t2\nsomeone.else@example.org,Sam,yes,t3\n');
const smugglingRows = Array.from({ length: 25 }, (_, index) => `r${index}@example.com,"X <x${index}@example.net>, X",yes,t\n`).join('');

ruleTester('rendered-message', {
  valid: [
    { name: 'a display name and address per row', campaign: VALID_CAMPAIGN },
    { name: 'the archive address in bcc', campaign: `${VALID_CAMPAIGN}bcc: [archive@example.com]\n` },
    {
      name: 'an address that is no recipient in the body',
      campaign: VALID_CAMPAIGN,
      files: { ...VALID_FILES, 'body.txt': 'Questions? support@mail.example.com\nUnsubscribe: https://mail.example.com/u/{{token}}\n' },
    },
    { name: 'a row without an address is left to recipient-email-valid', campaign: VALID_CAMPAIGN, files: withCsv(',Ann,yes,t1\nbo@example.org,Bo,yes,t2\n') },
    { name: 'a list with no data rows sends nothing, so there is nothing to audit', campaign: VALID_CAMPAIGN, files: withCsv('') },
    { name: 'a numeric header value carries no address', campaign: VALID_CAMPAIGN.replace('headers:\n', 'headers:\n  X-Priority: 1\n') },
    {
      name: 'an address at a sending domain in a header is the organisation\'s',
      campaign: VALID_CAMPAIGN.replace('List-Unsubscribe-Post: List-Unsubscribe=One-Click', 'List-Unsubscribe-Post: List-Unsubscribe=One-Click\n  X-Contact: help@mail.example.com'),
    },
  ],
  invalid: [
    {
      name: 'a display name that smuggles another recipient into To (the issue case), at the row',
      campaign: VALID_CAMPAIGN,
      files: SMUGGLED,
      errors: [
        {
          messageId: 'otherRecipient',
          line: 3,
          column: 1,
          file: 'recipients.csv',
          message: 'The Subject header contains the address of another recipient: s***@example.org (recipient list line 4)',
        },
        { messageId: 'otherRecipient', line: 3, column: 1, file: 'recipients.csv', message: 'The To header contains the address of another recipient: s***@example.org (recipient list line 4)' },
        {
          messageId: 'toCount',
          line: 3,
          column: 1,
          file: 'recipients.csv',
          message: 'The rendered message has 2 addresses in To; it must have exactly one: s***@example.org, b***@example.org. A value of this row (such as a display name) adds recipients',
        },
        { messageId: 'otherRecipient', line: 3, column: 1, file: 'recipients.csv', message: 'The text body contains the address of another recipient: s***@example.org (recipient list line 4)' },
      ],
    },
    {
      name: '--show-pii shows the addresses',
      campaign: VALID_CAMPAIGN.replace('"Hello {{first_name}}"', 'Hello').replace('Hello {{first_name}}', 'Hello'),
      files: { ...SMUGGLED, 'body.txt': 'Hello\nUnsubscribe: https://mail.example.com/u/{{token}}\n' },
      showPii: true,
      errors: [
        { messageId: 'otherRecipient', line: 3, column: 1, file: 'recipients.csv', message: 'The To header contains the address of another recipient: someone.else@example.org (recipient list line 4)' },
        {
          messageId: 'toCount',
          line: 3,
          column: 1,
          file: 'recipients.csv',
          message: 'The rendered message has 2 addresses in To; it must have exactly one: someone.else@example.org, bo@example.org. A value of this row (such as a display name) adds recipients',
        },
      ],
    },
    {
      name: 'another recipient address in a column used by the body',
      campaign: VALID_CAMPAIGN,
      files: {
        'recipients.csv': 'email,first_name,consent,token,referrer\nann@example.com,Ann,yes,t1,bo@example.org\nbo@example.org,Bo,yes,t2,\n',
        'body.txt': 'Hello {{first_name}}, invited by {{referrer}}\nUnsubscribe: https://mail.example.com/u/{{token}}\n',
      },
      errors: [{ messageId: 'otherRecipient', line: 2, column: 1, file: 'recipients.csv', message: 'The text body contains the address of another recipient: b***@example.org (recipient list line 3)' }],
    },
    {
      name: 'every row, not the sample: a cell on a row the sample skips merges another recipient into the body',
      campaign: VALID_CAMPAIGN.replace('expected_count: 2', 'expected_count: 300'),
      files: {
        'recipients.csv': `email,first_name,consent,token,referrer\n${Array.from({ length: 300 }, (_, index) => `r${String(index)}@example.com,R,yes,t${String(index)},${index === 151 ? 'r7@example.com' : ''}`).join('\n')}\n`,
        'body.txt': 'Hello {{first_name}}, invited by {{referrer}}\nUnsubscribe: https://mail.example.com/u/{{token}}\n',
      },
      errors: [{ messageId: 'mergedListed', line: 153, column: 29, file: 'recipients.csv', message: '`referrer` in record 152 holds r***@example.com, on recipient list line 9: merged into body.text, it is shown to this row\'s recipient' }],
    },
    {
      name: 'merged cells holding more addresses than the audit can look up fail closed',
      campaign: VALID_CAMPAIGN.replace('expected_count: 2', 'expected_count: 10002'),
      files: {
        'recipients.csv': `email,first_name,consent,token,referrer\n${Array.from({ length: 10_002 }, (_, index) => `r${String(index)}@example.com,R,yes,t,x${String(index)}@example.net`).join('\n')}\n`,
        'body.txt': 'Hello {{first_name}}, invited by {{referrer}}\nUnsubscribe: https://mail.example.com/u/{{token}}\n',
      },
      errors: [{ messageId: 'mergedTooMany', line: 2, column: 24, file: 'recipients.csv', message: 'cannot audit the merged values: they hold more than 10000 different addresses, too many to look up in the lists; merge no addresses into the message' }],
    },
    {
      name: 'the first 20 rows with problems are listed, the rest counted',
      campaign: VALID_CAMPAIGN.replace('expected_count: 2', 'expected_count: 25'),
      files: withCsv(smugglingRows),
      errors: [
        ...Array.from({ length: 20 }, (_, index) => [
          { messageId: 'stranger', line: index + 2, column: 1, file: 'recipients.csv' },
          { messageId: 'stranger', line: index + 2, column: 1, file: 'recipients.csv' },
          { messageId: 'toCount', line: index + 2, column: 1, file: 'recipients.csv' },
        ]).flat(),
        {
          messageId: 'moreRows',
          line: 22,
          column: 1,
          file: 'recipients.csv',
          message: '5 more sampled row(s) from here on have rendered-message problems (the first 20 rows are listed one by one)',
        },
      ],
    },
    {
      name: 'render_sample limits the rows rendered, spread over the list',
      campaign: VALID_CAMPAIGN.replace('expected_count: 2', 'expected_count: 25'),
      files: withCsv(smugglingRows),
      config: { render_sample: 2 },
      errors: [2, 18].flatMap((line) => [
        { messageId: 'stranger', line, column: 1, file: 'recipients.csv', message: `The Subject header shows an address that is neither this recipient's nor the organisation's (sender, reply-to, archive, sending domains): x***@example.net` },
        { messageId: 'stranger', line, column: 1, file: 'recipients.csv', message: `The To header shows an address that is neither this recipient's nor the organisation's (sender, reply-to, archive, sending domains): x***@example.net` },
        { messageId: 'toCount', line, column: 1, file: 'recipients.csv' },
      ]),
    },
    {
      name: 'a non-archive bcc is reported once when no-bulk-bcc is off',
      campaign: `${VALID_CAMPAIGN}bcc: [audit@example.net]\n`,
      config: { rules: { 'no-bulk-bcc': 'off' } },
      errors: [
        {
          messageId: 'campaignWide',
          line: 20,
          column: 1,
          message: 'every rendered message has this problem, whatever the recipient: The message would also be delivered (Bcc) to 1 address outside the configured archive addresses: a***@example.net',
        },
      ],
    },
    {
      name: 'a Cc in the campaign is reported by this rule itself, at the campaign key (the linter folds it into no-cc there)',
      campaign: `${VALID_CAMPAIGN}cc: [ann@example.com]\n`,
      errors: [
        {
          messageId: 'campaignWide',
          line: 20,
          column: 1,
          message: 'every rendered message has this problem, whatever the recipient: The Cc header contains the address of another recipient: a***@example.com (recipient list line 2)',
        },
        { messageId: 'campaignWide', line: 20, column: 1, message: 'every rendered message has this problem, whatever the recipient: The rendered message has a Cc header with 1 address: a***@example.com' },
      ],
    },
    {
      name: 'fail closed: no row with a valid address leaves nothing to render',
      campaign: VALID_CAMPAIGN,
      files: withCsv(',Ann,yes,t1\nnot-an-address,Bo,yes,t2\n'),
      errors: [{ messageId: 'cannotAudit', line: 17, column: 3, message: 'cannot audit the rendered messages: no row of the list has a valid address in column `email`, so no message can be rendered' }],
    },
    {
      name: 'fail closed: the email column is spelled differently in the list (exact binding only)',
      campaign: VALID_CAMPAIGN.replace('consent_column: consent', 'consent_column: consent\n  email_column: Email'),
      errors: [{ messageId: 'cannotAudit', line: 19, column: 3, message: 'cannot audit the rendered messages: the list has no column `Email` (written as `email`): a template binds a column only by its exact name' }],
    },
    {
      name: 'a reply-to that is a recipient, a sender on a suppression list: every message shows them',
      campaign: `${VALID_CAMPAIGN.replace('address: news@mail.example.com', 'address: gone@mail.example.com')}reply_to: "Desk <bo@example.org>"\nsuppress: [bounced.csv]\n`,
      files: { ...VALID_FILES, 'bounced.csv': 'email\ngone@mail.example.com\n' },
      errors: [
        { messageId: 'senderListed', line: 8, column: 3, message: '`from.address` is g***@mail.example.com, on suppression list bounced.csv (line 2): every message shows it to every recipient' },
        { messageId: 'senderListed', line: 20, column: 1, message: "`reply_to` is b***@example.org, a recipient's address (recipient list line 3): every message shows it to every recipient" },
      ],
    },
    {
      name: 'a missing helper in the body file: at its call, naming the helpers that exist',
      campaign: VALID_CAMPAIGN,
      files: { ...VALID_FILES, 'body.txt': `${VALID_FILES['body.txt'] ?? ''}Sent {{formatDate first_name}}.\n` },
      errors: [
        {
          messageId: 'helperFailed',
          line: 6,
          column: 8,
          endLine: 6,
          endColumn: 18,
          file: 'body.txt',
          message:
            "no message can be rendered: `body.text` calls helper `formatDate`, which does not exist: the helpers are Handlebars' built-ins (`if`, `unless`, `each`, `with`, `lookup`, `log`). Put the value in a column of the recipient list instead (docs/templates.md)",
        },
      ],
    },
    {
      name: 'a missing block helper in the subject: at its place inside the YAML value',
      campaign: VALID_CAMPAIGN.replace('subject: "Hello {{first_name}}"', 'subject: "Hello {{#upper first_name}}x{{/upper}}"'),
      errors: [
        {
          messageId: 'helperFailed',
          line: 10,
          column: 20,
          message: "no message can be rendered: `subject` calls helper `upper`, which does not exist: the helpers are Handlebars' built-ins (`if`, `unless`, `each`, `with`, `lookup`, `log`). Put the value in a column of the recipient list instead (docs/templates.md)",
        },
      ],
    },
    {
      name: 'a built-in block called wrongly: at its call',
      campaign: VALID_CAMPAIGN,
      files: { ...VALID_FILES, 'body.txt': `${VALID_FILES['body.txt'] ?? ''}{{#each}}x{{/each}}\n` },
      errors: [
        {
          messageId: 'helperFailed',
          line: 6,
          column: 4,
          file: 'body.txt',
          message: "no message can be rendered: `body.text` calls `#each` wrongly (Must pass iterator to #each): the helpers are Handlebars' built-ins (`if`, `unless`, `each`, `with`, `lookup`, `log`), used as docs/templates.md shows",
        },
      ],
    },
    {
      name: 'a reply-to listing many recipients: one finding with the count',
      campaign: `${VALID_CAMPAIGN}reply_to: "ann@example.com, Bo <bo@example.org>"\n`,
      errors: [
        { messageId: 'senderListedMany', line: 20, column: 1, message: "`reply_to` holds 2 listed addresses, the first a***@example.com, a recipient's address (recipient list line 2): every message shows them to every recipient" },
      ],
    },
    {
      name: 'fail closed: fields the audit cannot render as a sender reads them (another spelling, a merge key, an alias, a wrong type)',
      campaign: `x-cc: &cc [bo@example.org]\n${VALID_CAMPAIGN.replace('to: "{{first_name}} <{{email}}>"', 'to: ["{{email}}"]').replace('headers:\n', 'headers:\n  <<: { Resent-To: bo@example.org }\n  X-Ref: *cc\n')}CC: *cc\nbcc: [{ address: bo@example.org }]\n`,
      errors: [
        { messageId: 'cannotAudit', line: 10, column: 1, message: 'cannot audit the rendered messages: `to` is a list, not text: the audit renders only text, and a sender may send it as addresses' },
        { messageId: 'cannotAudit', line: 13, column: 3, message: 'cannot audit the rendered messages: a merge key (`<<`) in `headers` can bring in headers the audit does not read; write them out' },
        { messageId: 'cannotAudit', line: 14, column: 3, message: 'cannot audit the rendered messages: header `X-Ref` is a list, not text: the audit renders only text, and a sender may send it' },
        { messageId: 'cannotAudit', line: 23, column: 1, message: 'cannot audit the rendered messages: `CC` is not read as `cc` by the audit, but a sender may send it; spell it `cc`' },
        { messageId: 'cannotAudit', line: 24, column: 7, message: 'cannot audit the rendered messages: `bcc[0]` is a mapping, not text: the audit would leave out an address a sender may add' },
      ],
    },
    {
      name: 'fail closed: a value reached through an alias is not rendered by the audit',
      campaign: `x-to: &to "{{first_name}} <{{email}}>"\n${VALID_CAMPAIGN.replace('to: "{{first_name}} <{{email}}>"', 'to: *to')}`,
      errors: [
        { messageId: 'cannotAudit', line: 10, column: 1, message: 'cannot audit the rendered messages: `to` is reached through a YAML alias the audit does not render; write the value out' },
      ],
    },
    {
      name: 'fail closed: a default for the address column',
      campaign: `${VALID_CAMPAIGN}defaults:\n  email: collector@example.net\n`,
      errors: [{ messageId: 'cannotAudit', line: 21, column: 3, message: 'cannot audit the rendered messages: `defaults` supplies `email`, the address column: every row without an address would go to that one default' }],
    },
    {
      name: 'fail closed: the list has no email column at all',
      campaign: VALID_CAMPAIGN,
      files: { ...VALID_FILES, 'recipients.csv': 'mail,first_name,consent,token\nann@example.com,Ann,yes,t1\n' },
      errors: [
        {
          messageId: 'cannotAudit',
          line: 1,
          column: 1,
          file: 'recipients.csv',
          message:
            'cannot audit the rendered messages: the list has no `email` column, and column 1 `mail` looks like the address column: rename it `email`, or set `recipients.email_column: "mail"` and write `{{mail}}` in `to`',
        },
      ],
    },
    {
      name: 'fail closed: the recipient list file does not exist',
      campaign: VALID_CAMPAIGN.replace('file: recipients.csv', 'file: missing.csv'),
      errors: [{ messageId: 'cannotAudit', line: 17, column: 3, message: 'cannot audit the rendered messages: the recipient list `missing.csv` does not exist' }],
    },
    {
      name: 'fail closed: no message renders at all (a template syntax error)',
      campaign: VALID_CAMPAIGN,
      files: { ...VALID_FILES, 'body.txt': 'Hello {{#if first_name}}\n' },
      errors: [{ messageId: 'cannotAudit', line: 15, column: 3, message: 'cannot audit the rendered messages: no message can be rendered: `body.text` has a template syntax error' }],
    },
    {
      name: 'a template that cannot render for anyone is reported once, at the call that fails',
      campaign: VALID_CAMPAIGN,
      files: { ...VALID_FILES, 'body.txt': 'Hello {{shout first_name}}\n' },
      errors: [{ messageId: 'helperFailed', line: 1, column: 9, file: 'body.txt' }],
    },
  ],
});

void describe('StrideSampler', () => {
  const sample = (target: number, length: number) => {
    const sampler = new StrideSampler<number>(target);
    for (let position = 0; position < length; position++) sampler.offer(position, () => position);
    return sampler.result();
  };

  void it('keeps everything from a stream shorter than the target', () => {
    assert.deepEqual(sample(5, 3), [0, 1, 2]);
  });

  void it('spreads the sample evenly over a long stream, deterministically', () => {
    const picked = sample(10, 1000);
    assert.equal(picked.length, 10);
    assert.deepEqual(picked, sample(10, 1000));
    assert.equal(picked[0], 0);
    assert.ok((picked.at(-1) ?? 0) >= 800, `last pick ${String(picked.at(-1))} reaches the end of the list`);
    const gaps = picked.slice(1).map((value, index) => value - (picked[index] ?? 0));
    assert.ok(Math.max(...gaps) <= 2 * Math.min(...gaps), `gaps ${gaps.join(',')} are even`);
  });

  void it('rejects a target below 1', () => {
    assert.throws(() => new StrideSampler(0), RangeError);
  });
});

/** Every rule, as a real lint runs them: what the locked audit decides must not move with the unlocked rules. */
void describe('rendered-message among all rules: no hand-offs', () => {
  const THANKS = `${VALID_FILES['body.txt'] ?? ''}Thank you all: ann@example.com, bo@example.org!\n`;
  const lintAll = async (campaign: string, files: Record<string, string>, config: Parameters<typeof testConfig>[1] = {}) => {
    const root = tempTree({ 'campaign.yaml': campaign, ...files });
    const { results } = await lintCampaign(join(root, 'campaign.yaml'), testConfig(root, { approval: { required: 0 }, ...config }));
    return results.flatMap((result) => result.messages.map((message) => ({ ...message, file: relative(root, result.filePath) })));
  };
  const leakErrors = (messages: Awaited<ReturnType<typeof lintAll>>) =>
    messages.filter((message) => message.ruleId === 'rendered-message' && message.severity === 2).map((message) => `${message.file}:${message.line}:${message.column} ${message.message}`);

  void it('an inline disable of no-recipient-data-leak does not silence the locked audit', async () => {
    const campaign = VALID_CAMPAIGN.replace('body:\n', '# campaign-lint-disable no-recipient-data-leak -- thank-you list\nbody:\n');
    const messages = await lintAll(campaign, { ...VALID_FILES, 'body.txt': THANKS });
    assert.deepEqual(messages.filter((message) => message.ruleId === 'no-recipient-data-leak'), []);
    assert.deepEqual(leakErrors(messages), [
      'campaign.yaml:16:3 every rendered message has this problem, whatever the recipient: The text body contains 2 addresses of other recipients: a***@example.com, b***@example.org (recipient list line 2; recipient list line 3)',
    ]);
  });

  void it('no-recipient-data-leak at warn leaves the locked audit an error', async () => {
    const messages = await lintAll(VALID_CAMPAIGN, { ...VALID_FILES, 'body.txt': THANKS }, { rules: { 'no-recipient-data-leak': 'warn' } });
    assert.ok(messages.some((message) => message.ruleId === 'no-recipient-data-leak' && message.severity === 1));
    assert.equal(leakErrors(messages).length, 1);
  });

  void it('a campaign-wide cause is reported once: folded into the locked no-cc error inside its span', async () => {
    const messages = await lintAll(`${VALID_CAMPAIGN}cc: [ann@example.com]\n`, VALID_FILES);
    assert.deepEqual(
      messages.filter((message) => message.ruleId === 'no-cc' || message.ruleId === 'rendered-message').map((message) => `${String(message.ruleId)} ${message.line}:${message.column}`),
      ['no-cc 20:1'],
    );
  });

  void it('a locked and an unlocked rule at the same place: only the locked one is kept (unless it is only a warning); 1:1 is no shared place', () => {
    const at = (ruleId: string | null, line: number, column: number, messageId = 'x', endLine?: number): LintMessage => ({ ruleId, severity: 2, message: ruleId ?? 'fatal', messageId, line, column, ...(endLine ? { endLine } : {}) });
    const locked = new Set(['rendered-message', 'no-cc']);
    const kept = reportOnce(
      [
        at('no-recipient-data-leak', 5, 3),
        at('rendered-message', 5, 3),
        at('schema', 1, 1),
        at('rendered-message', 1, 1),
        at(null, 5, 3),
        at('rendered-message', 20, 1, 'campaignWide', 22),
        at('no-cc', 21, 5),
        at('rendered-message', 30, 1, 'campaignWide', 31),
        at('no-recipient-data-leak', 30, 1),
        { ...at('no-cc', 40, 2), severity: 1 },
        at('schema', 40, 2),
      ],
      locked,
    );
    assert.deepEqual(
      kept.map((message) => `${String(message.ruleId)} ${message.line}:${message.column}`),
      ['rendered-message 5:3', 'schema 1:1', 'rendered-message 1:1', 'null 5:3', 'no-cc 21:5', 'rendered-message 30:1', 'no-cc 40:2', 'schema 40:2'],
    );
  });
});

describe('rendered-message sample size', () => {
  it('renders render_sample rows while the templates are small', () => {
    assert.equal(sampleTarget(100, [{ source: 'x'.repeat(10_000) }]), 100);
  });
  it('renders fewer rows of a very large template, within the render budget', () => {
    assert.equal(sampleTarget(100, [{ source: 'x'.repeat(256 * 1024) }, { source: 'Hello' }]), Math.floor(RENDER_BUDGET_CHARS / (256 * 1024 + 5)));
    assert.equal(sampleTarget(100, [{ source: 'x'.repeat(256 * 1024) }]), 32);
  });
  it('never renders fewer than eight rows (or render_sample, when smaller)', () => {
    assert.equal(sampleTarget(100, [{ source: 'x'.repeat(64 * 1024 * 1024) }]), 8);
    assert.equal(sampleTarget(3, [{ source: 'x'.repeat(64 * 1024 * 1024) }]), 3);
  });
});
