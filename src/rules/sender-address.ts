import {
  ENVELOPE_MESSAGES,
  UNSAFE_NAME,
  UNSAFE_QUOTED,
  describeUnsafe,
  envelopeOf,
  fieldsOf,
  literalProblem,
  unbalancedQuote,
  mergedColumns,
  mergedKeys,
  parseAddressValue,
  reportEnvelopeProblems,
  addNameUse,
  quotedFields,
  unsafeFor,
} from '../core/envelope.js';
import type { EnvelopeEntry, MergedColumn, NameUse } from '../core/envelope.js';
import { recipientsPath } from '../core/recipients.js';
import type { SourceLocation } from '../core/types.js';
import { CappedReporter, rowChecksOf, suppressedWrittenAddresses } from './_recipients.js';
import { PAYLOAD_MESSAGES } from '../payloads/judge.js';
import { reportPayloadFindings } from '../payloads/report.js';
import { defineRule } from './define.js';

interface Constant {
  address: string;
  field: string;
  header: string;
  loc: SourceLocation;
  recipientLine?: number;
}

export default defineRule({
  meta: {
    id: 'sender-address',
    description: "Require From, Sender and Reply-To to be one constant address each, never a recipient's",
    category: 'recipients-visibility',
    defaultSeverity: 'error',
    lockedByDefault: true,
    privacy: true,
    messages: {
      ...PAYLOAD_MESSAGES['sender-address'],
      ...ENVELOPE_MESSAGES,
      literalUnsafe: '`{{field}}` contains {{what}} in its own text: every recipient\'s mail client would decode or split it in {{header}} and could show other addresses',
      missingFrom: 'the campaign has no From address: a message needs one constant sender',
      unparsable: '`{{field}}` is not a valid template ({{reason}}): {{header}} cannot be checked',
      notOne: '`{{field}}` yields {{count}} addresses: {{header}} must be exactly one address, or Reply-All and replies reach every one of them',
      group: '`{{field}}` uses group syntax (`name: …;`): {{header}} must be one plain address',
      dynamicAddress: '`{{field}}` puts merge field `{{merge}}` in the address: {{header}} must be one constant address, the same for every recipient',
      recipient: '`{{field}}` is {{address}}, a recipient (line {{line}} of the list): as {{header}} every recipient would see it, and replies would reach them',
      suppressed: '`{{field}}` is {{address}}, on suppression list `{{list}}` (line {{line}}): as {{header}} every recipient would see it',
      recipientMany: '`{{field}}` holds {{count}} addresses of recipients, the first {{address}} (line {{line}} of the list): as {{header}} every recipient would see them, and replies would reach them',
      suppressedMany: '`{{field}}` holds {{count}} addresses on suppression lists, the first {{address}} on `{{list}}` (line {{line}}): as {{header}} every recipient would see them',
      defaultsUnsafeName: '`defaults.{{key}}` is merged into the display name of `{{field}}` and contains {{what}}: the composer could read other or more addresses from it',
      defaultsAddressField: '`defaults.{{key}}` supplies `{{key}}`, which `{{field}}` uses: a default in an address header is not allowed. Remove it',
      unsafeName:
        '`{{field}}` in record {{record}} (`{{value}}`) contains {{what}}, and `{{template}}` merges it into the display name of {{header}}: the composer could read other or more addresses from it. Clean the value',
      more: '{{count}} more recipient values unsafe in From, Sender or Reply-To are not listed (the first {{limit}} are)',
    },
  },
  async check(context) {
    const { campaign, config } = context;
    const envelope = envelopeOf(campaign);
    // A sending-platform payload (src/payloads): the same classes, judged per message the platform sends.
    if (envelope.payload) {
      reportPayloadFindings(context, envelope.payload);
      return undefined;
    }
    reportEnvelopeProblems(context, envelope);
    const entries = envelope.of('from', 'sender', 'reply-to');
    if (envelope.of('from').length === 0) context.report({ messageId: 'missingFrom', loc: campaign.keyLocation(['from']) });

    const constants: Constant[] = [];
    const nameFields = new Map<string, NameUse>();
    const headerOf = new Map<string, string>();
    const usedFields = new Map<string, string>();
    const checkValue = (entry: EnvelopeEntry) => {
      // `{name, address}`: the address member is the address; the name is encoded by the composer.
      const addressParts = entry.parts.filter((part) => part.role === 'address');
      const nameParts = entry.parts.filter((part) => part.role === 'name');
      const valueParts = entry.parts.filter((part) => part.role === 'value');
      for (const part of [...addressParts, ...nameParts, ...valueParts]) {
        if (!part.parsed.ok) {
          context.report({ messageId: 'unparsable', data: { field: entry.field, header: entry.header, reason: part.parsed.error.message.split('\n', 1)[0] ?? '' }, loc: part.loc });
          return;
        }
        for (const field of fieldsOf(part)) if (!usedFields.has(field)) usedFields.set(field, entry.field);
        const literal = literalProblem(part) ?? (part.role !== 'name' && unbalancedQuote(part) ? 'a double quote that is never closed' : undefined);
        if (literal !== undefined) context.report({ messageId: 'literalUnsafe', data: { field: entry.field, header: entry.header, what: literal }, loc: part.loc });
      }
      // A `{name, address}` map's name is quoted and escaped by the composer itself.
      for (const part of nameParts) {
        for (const field of fieldsOf(part)) {
          addNameUse(nameFields, field, entry.field, true);
          if (!headerOf.has(field)) headerOf.set(field, entry.header);
        }
      }
      const addressValues = addressParts.length > 0 ? addressParts : valueParts;
      const mailboxes: { address: string; loc: SourceLocation }[] = [];
      for (const part of addressValues) {
        if (part.source.trim() === '') continue;
        const parsed = parseAddressValue(part);
        if (parsed === undefined) continue;
        if (parsed.group) context.report({ messageId: 'group', data: { field: entry.field, header: entry.header }, loc: part.loc });
        const merge = parsed.addressFields[0];
        if (merge !== undefined) context.report({ messageId: 'dynamicAddress', data: { field: entry.field, header: entry.header, merge }, loc: part.loc });
        const quoted = quotedFields(part);
        for (const field of parsed.nameFields) {
          addNameUse(nameFields, field, entry.field, quoted.get(field) ?? false);
          if (!headerOf.has(field)) headerOf.set(field, entry.header);
        }
        for (const mailbox of parsed.mailboxes) if (mailbox.address !== '' || mailbox.name !== '') mailboxes.push({ address: mailbox.address, loc: part.loc });
      }
      if (mailboxes.length > 1) {
        context.report({ messageId: 'notOne', data: { field: entry.field, header: entry.header, count: mailboxes.length }, loc: entry.valueLoc });
      }
      for (const mailbox of mailboxes) {
        if (mailbox.address !== '' && !mailbox.address.includes('zzfield')) constants.push({ address: mailbox.address, field: entry.field, header: entry.header, loc: mailbox.loc });
      }
    };
    for (const entry of entries) checkValue(entry);
    for (const { key, loc, value } of mergedKeys(campaign, ['defaults'])) {
      const field = usedFields.get(key);
      if (field === undefined) continue;
      const use = nameFields.get(key);
      // A display-name default is a constant: checked once, like every row's value.
      if (use !== undefined && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
        const text = String(value);
        const bad = unsafeFor(text, use.quoted);
        if (bad !== -1) context.report({ messageId: 'defaultsUnsafeName', data: { key, field, what: describeUnsafe(text, bad) }, loc });
        continue;
      }
      context.report({ messageId: 'defaultsAddressField', data: { key, field }, loc });
    }

    // One finding per field and kind: a Reply-To of 47 customers is one mistake (notOne counts it too).
    const reportGrouped = (kind: 'recipient' | 'suppressed', hits: { constant: Constant; data: Record<string, string | number> }[]) => {
      const byField = new Map<string, typeof hits>();
      for (const hit of hits) {
        const group = byField.get(hit.constant.field);
        if (group) group.push(hit);
        else byField.set(hit.constant.field, [hit]);
      }
      for (const group of byField.values()) {
        const first = group[0];
        if (first === undefined) continue;
        const { constant, data } = first;
        const shared = { field: constant.field, header: constant.header, address: context.pii(constant.address), ...data };
        if (group.length === 1) context.report({ messageId: kind, data: shared, loc: constant.loc });
        else context.report({ messageId: `${kind}Many`, data: { ...shared, count: group.length }, loc: constant.loc });
      }
    };
    // A constant address that is a recipient's or a suppressed person's: looked up like no-recipient-data-leak's tokens.
    const checkSuppressed = async () => {
      if (constants.length === 0) return;
      const found = await suppressedWrittenAddresses(campaign, config, constants.map((constant) => constant.address));
      reportGrouped(
        'suppressed',
        constants.flatMap((constant, index) => {
          const entry = found[index];
          return entry ? [{ constant, data: { list: entry.source.displayPath, line: entry.line } }] : [];
        }),
      );
    };
    const filePath = await recipientsPath(campaign);
    if (filePath === undefined) {
      // single-recipient-to reports the missing list; the suppression lists can still be read.
      await checkSuppressed();
      return undefined;
    }
    // Every row's address against the constants, in the pass the locked rules share (one look-up
    // per row for this rule and rendered-message's sender and reply-to).
    const checks = rowChecksOf(campaign, config);
    const constantIds = constants.map((constant) => checks.watch(constant.address));
    const row = checks.row;
    const capped = new CappedReporter(context, filePath);
    let names: MergedColumn[] = [];
    return {
      recipientsHeader(header) {
        row.setHeader(header, campaign);
        names = mergedColumns(header.names, nameFields);
      },
      recipientRow(record) {
        if (constants.length > 0) {
          const hit = checks.watchedAddress(record);
          if (hit !== 0) {
            constants.forEach((constant, index) => {
              if (constantIds[index] === hit) constant.recipientLine ??= record.line;
            });
          }
        }
        for (const merged of names) {
          if ((checks.classes(record, merged.index) & (merged.quoted ? UNSAFE_QUOTED : UNSAFE_NAME)) === 0) continue;
          const value = record.fields[merged.index] ?? '';
          const bad = unsafeFor(value, merged.quoted);
          if (!capped.open) {
            capped.skip(() => record.fieldLocation(merged.index));
            continue;
          }
          const header = headerOf.get(merged.field) ?? 'From';
          capped.report(
            'unsafeName',
            { field: merged.field, record: record.index, value: context.pii(value), what: describeUnsafe(value, bad), template: merged.template, header },
            record.fieldLocation(merged.index),
          );
        }
      },
      async recipientsEnd() {
        capped.finish();
        await checkSuppressed();
        reportGrouped(
          'recipient',
          constants.flatMap((constant) => (constant.recipientLine === undefined ? [] : [{ constant, data: { line: constant.recipientLine } }])),
        );
      },
    };
  },
});
