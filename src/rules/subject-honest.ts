import { defineRule } from './define.js';

/**
 * Reply and forward prefixes in English and the mail clients' common translations. The spaces
 * before a `[2]` count belong to the optional group: with `\s*(?:\[\d+\])?\s*`, two runs of
 * spaces could split one run every way, quadratic on `Re` and 1 MB of spaces.
 */
const FAKE_THREAD = /^\s*(?:\[[^\]]*\]\s*)?(re|fw|fwd|aw|wg|sv|vs|rif|tr|antw)(?:\s*\[\d+\])?\s*:/i;

export default defineRule({
  meta: {
    id: 'subject-honest',
    description: 'Disallow empty subjects and subjects that fake a reply or a forward',
    category: 'content',
    defaultSeverity: 'warn',
    messages: {
      empty: 'the subject is empty',
      fakeThread: 'the subject starts with `{{prefix}}:` as if it replied to or forwarded the recipient\'s own mail; CAN-SPAM forbids deceptive subject lines',
    },
  },
  check(context) {
    const { campaign } = context;
    const subject = campaign.string(['subject']);
    if (subject === undefined) return;
    const loc = campaign.valueLocation(['subject']);
    if (subject.trim() === '') {
      context.report({ messageId: 'empty', loc });
      return;
    }
    const match = FAKE_THREAD.exec(subject);
    if (match) context.report({ messageId: 'fakeThread', data: { prefix: match[1] ?? '' }, loc });
  },
});
