import addressparser from 'nodemailer/lib/addressparser';
import { ENVELOPE_MESSAGES, envelopeOf, reportEnvelopeProblems } from '../core/envelope.js';
import type { SourceLocation } from '../core/types.js';
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
      mergeFields: '`{{field}}` uses {{count}} merge fields: Bcc is not a bulk-send method (one visible mistake exposes everyone). Send one message per recipient through `to`',
      notArchiveMany: '`{{field}}` holds {{count}} addresses that are not configured archive addresses (organization.archive_addresses), the first {{address}}: remove them',
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
      // One finding per mistake: every merge field of one entry together, every stray address together.
      const merged: { field: string; loc: SourceLocation }[] = [];
      const strays: { field: string; address: string; loc: SourceLocation }[] = [];
      entry.parts.forEach((part, index) => {
        const field = list && entry.parts.length === entry.parts.filter((each) => each.role === 'value').length ? `${entry.field}[${index}]` : entry.field;
        if (part.source.includes('{{')) {
          merged.push({ field, loc: part.loc });
          return;
        }
        if (part.role === 'name' || part.source.trim() === '') return;
        // The composer's own parser: a group, a quoted name or a list in one string gives what a sender would send to.
        const addresses = addressparser(part.source, { flatten: true }).map((mailbox) => mailbox.address.trim());
        if (addresses.length === 0 || addresses.some((address) => address === '')) addresses.push(part.source.trim());
        for (const address of new Set(addresses)) {
          if (address !== '' && !archive.has(address.toLowerCase())) strays.push({ field, address, loc: part.loc });
        }
      });
      const [firstMerged] = merged;
      if (firstMerged && merged.length === 1) context.report({ messageId: 'mergeField', data: { field: firstMerged.field }, loc: firstMerged.loc });
      else if (firstMerged) context.report({ messageId: 'mergeFields', data: { field: entry.field, count: merged.length }, loc: firstMerged.loc });
      const [firstStray] = strays;
      if (firstStray && strays.length === 1) context.report({ messageId: 'notArchive', data: { field: firstStray.field, address: context.pii(firstStray.address) }, loc: firstStray.loc });
      else if (firstStray) context.report({ messageId: 'notArchiveMany', data: { field: entry.field, count: strays.length, address: context.pii(firstStray.address) }, loc: firstStray.loc });
    }
  },
});
