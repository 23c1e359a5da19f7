import addressparser from 'nodemailer/lib/addressparser';
import { envelopeOf } from '../core/envelope.js';
import type { EnvelopeEntry } from '../core/envelope.js';
import { PAYLOAD_MESSAGES } from '../payloads/judge.js';
import { reportPayloadFindings } from '../payloads/report.js';
import { defineRule } from './define.js';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/**
 * What a Cc list holds, counted once for the whole list (one finding per mistake, however many
 * addresses): "47 addresses", "2 addresses and 1 merge field". No address is quoted.
 */
function describeCount(entry: EnvelopeEntry): string {
  let addresses = 0;
  let merged = 0;
  for (const part of entry.parts) {
    if (part.source.trim() === '') continue;
    if (part.source.includes('{{')) merged++;
    else addresses += Math.max(1, addressparser(part.source, { flatten: true }).length);
  }
  const said = [addresses > 0 || merged === 0 ? plural(addresses, 'address', 'addresses') : '', merged > 0 ? plural(merged, 'merge field', 'merge fields') : ''];
  return said.filter((each) => each !== '').join(' and ');
}

/** What each recipient-bearing header does with its addresses, for the message. */
function effectOf(entry: EnvelopeEntry): string {
  const key = entry.header.toLowerCase();
  if (entry.cls === 'resent') return 'resends the message: its addresses receive it and every recipient sees them';
  if (key === 'envelope') return 'sets the SMTP envelope: its addresses receive the message without any header naming them';
  if (key.includes('receipt') || key.includes('notification')) return 'sends read receipts of every recipient to its addresses';
  if (key.includes('followup') || key.includes('reply')) return 'sends replies to its addresses';
  if (key.includes('errors') || key.includes('return-path')) return 'sends bounces to its addresses';
  return 'names recipients: every recipient would see its addresses';
}

export default defineRule({
  meta: {
    id: 'no-cc',
    description: 'Disallow Cc recipients and every other recipient header (Resent-*, Disposition-Notification-To...): their addresses are shown or mailed',
    category: 'recipients-visibility',
    defaultSeverity: 'error',
    lockedByDefault: true,
    privacy: true,
    messages: {
      ...PAYLOAD_MESSAGES['no-cc'],
      ccList: '{{count}} written in `{{field}}`: every recipient would see every other address. Send one message per recipient through `to` and remove `{{field}}`',
      ccHeader: '`{{field}}` adds Cc recipients: every recipient would see them. Remove it',
      recipientHeader: '`{{field}}` sets {{header}}, which {{effect}}. Remove it',
    },
  },
  check(context) {
    const envelope = envelopeOf(context.campaign);
    // A sending-platform payload (src/payloads): the same classes, judged per message the platform sends.
    if (envelope.payload) {
      reportPayloadFindings(context, envelope.payload);
      return undefined;
    }
    for (const entry of envelope.of('cc', 'resent', 'recipient')) {
      // An empty value sets no address: `cc: []` is how a campaign says "no Cc". Any other type carries something.
      const count = entry.parts.filter((part) => part.source.trim() !== '').length;
      if (count === 0 && (entry.type === 'null' || entry.type === 'string' || entry.type === 'list')) continue;
      if (entry.cls !== 'cc') {
        context.report({ messageId: 'recipientHeader', data: { field: entry.field, header: entry.header, effect: effectOf(entry) }, loc: entry.loc });
      } else if (!entry.inHeaders && entry.type === 'list') {
        context.report({ messageId: 'ccList', data: { field: entry.field, count: describeCount(entry) }, loc: entry.loc });
      } else {
        context.report({ messageId: 'ccHeader', data: { field: entry.field }, loc: entry.loc });
      }
    }
  },
});
