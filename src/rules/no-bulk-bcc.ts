import addressparser from 'nodemailer/lib/addressparser';
import { ENVELOPE_MESSAGES, envelopeOf, reportEnvelopeProblems } from '../core/envelope.js';
import { PAYLOAD_MESSAGES } from '../payloads/judge.js';
import { reportPayloadFindings } from '../payloads/report.js';
import { defineRule } from './define.js';

export default defineRule({
  meta: {
    id: 'no-bulk-bcc',
    description: 'Disallow Bcc recipients other than the configured archive addresses',
    category: 'recipients-visibility',
    defaultSeverity: 'error',
    lockedByDefault: true,
    privacy: true,
    messages: {
      ...PAYLOAD_MESSAGES['no-bulk-bcc'],
      ...ENVELOPE_MESSAGES,
      mergeField: '`{{field}}` uses a merge field: Bcc is not a bulk-send method (one visible mistake exposes everyone). Send one message per recipient through `to`',
      notArchive: '`{{field}}` address {{address}} is not a configured archive address (organization.archive_addresses)',
    },
  },
  check(context) {
    const { campaign, config } = context;
    const envelope = envelopeOf(campaign);
    // A sending-platform payload (src/payloads): the same classes, judged per message the platform sends.
    if (envelope.payload) {
      reportPayloadFindings(context, envelope.payload);
      return undefined;
    }
    reportEnvelopeProblems(context, envelope);
    const archive = new Set(config.organization.archiveAddresses.map((address) => address.trim().toLowerCase()));
    for (const entry of envelope.of('bcc')) {
      const list = !entry.inHeaders && entry.type === 'list';
      entry.parts.forEach((part, index) => {
        const field = list && entry.parts.length === entry.parts.filter((each) => each.role === 'value').length ? `${entry.field}[${index}]` : entry.field;
        if (part.source.includes('{{')) {
          context.report({ messageId: 'mergeField', data: { field }, loc: part.loc });
          return;
        }
        if (part.role === 'name' || part.source.trim() === '') return;
        // The composer's own parser: a group, a quoted name or a list in one string gives what a sender would send to.
        const addresses = addressparser(part.source, { flatten: true }).map((mailbox) => mailbox.address.trim());
        if (addresses.length === 0 || addresses.some((address) => address === '')) addresses.push(part.source.trim());
        for (const address of new Set(addresses)) {
          if (address !== '' && !archive.has(address.toLowerCase())) {
            context.report({ messageId: 'notArchive', data: { field, address: context.pii(address) }, loc: part.loc });
          }
        }
      });
    }
  },
});
