import { envelopeOf, fieldsOf } from '../core/envelope.js';
import { recipientsPath } from '../core/recipients.js';
import { CappedReporter } from './_recipients.js';
import { PAYLOAD_MESSAGES } from '../payloads/judge.js';
import { reportPayloadFindings } from '../payloads/report.js';
import { defineRule } from './define.js';

const hasBreak = (value: string) => value.includes('\n') || value.includes('\r');

export default defineRule({
  meta: {
    id: 'header-injection',
    description: 'Disallow line breaks in header names and values, which would let a value add headers such as Bcc',
    category: 'recipients-visibility',
    defaultSeverity: 'error',
    lockedByDefault: true,
    privacy: true,
    messages: {
      ...PAYLOAD_MESSAGES['header-injection'],
      lineBreakInValue: '`{{field}}` contains a line break: in a header it would start a new header line (header injection)',
      lineBreakInValues: '`{{field}}` has {{count}} values with line breaks, the first `{{first}}`: in a header each would start a new header line (header injection)',
      lineBreakInName: 'header name `{{field}}` contains a line break',
      ambiguousHeaders: '`{{field}}` is a second `headers` map (first `{{first}}`): which headers a sender adds depends on the sender. Keep one',
      headersType: '`{{field}}` is a {{type}}: headers must be a map of header name to value',
      lineBreakInRecipientValue:
        'the value of `{{field}}` in record {{record}} (`{{value}}`) contains a line break, and `{{field}}` is used in `{{header}}`: it would start a new header line (header injection)',
      more: '{{count}} more recipient values with line breaks are not listed (the first {{limit}} are)',
    },
  },
  async check(context) {
    const { campaign } = context;
    const envelope = envelopeOf(campaign);
    // A sending-platform payload (src/payloads): the same classes, judged per message the platform sends.
    if (envelope.payload) {
      reportPayloadFindings(context, envelope.payload);
      return undefined;
    }
    for (const problem of envelope.headerProblems) context.report(problem);
    // Every header the model knows, whatever its key's case and its value's type (a list's items, a map's members).
    for (const entry of envelope.entries) {
      if (hasBreak(entry.key)) context.report({ messageId: 'lineBreakInName', data: { field: JSON.stringify(entry.key) }, loc: entry.keyLoc });
      const parts = entry.parts.filter((part) => part.type === 'string' && hasBreak(part.source));
      const label = (index: number) => (entry.type === 'list' ? `${entry.field}[${index}]` : entry.field);
      const fieldOf = (part: (typeof parts)[number]) => (entry.type === 'map' && part.role !== 'value' ? `${entry.field}.${part.role}` : label(entry.parts.indexOf(part)));
      const [first] = parts;
      // One finding per header, however many of its values break lines.
      if (first && parts.length === 1) context.report({ messageId: 'lineBreakInValue', data: { field: fieldOf(first) }, loc: first.loc });
      else if (first) context.report({ messageId: 'lineBreakInValues', data: { field: entry.field, count: parts.length, first: fieldOf(first) }, loc: first.loc });
    }

    // The CSV half: recipient values merged into headers that carry no address. Values merged into
    // address headers are checked on every row by the rule that owns the header, line breaks included.
    const filePath = await recipientsPath(campaign);
    if (filePath === undefined) return undefined;
    const usedIn = new Map<string, string>();
    for (const entry of envelope.of('other')) {
      for (const part of entry.parts) for (const field of fieldsOf(part)) if (!usedIn.has(field)) usedIn.set(field, entry.field);
    }
    if (usedIn.size === 0) return undefined;
    const capped = new CappedReporter(context, filePath);
    let columns: { index: number; field: string; header: string }[] = [];
    return {
      recipientsHeader(header) {
        columns = header.names.flatMap((name, index) => {
          const label = usedIn.get(name);
          return label === undefined ? [] : [{ index, field: name, header: label }];
        });
      },
      recipientRow(record) {
        if (!record.mayHaveLineBreaks) return;
        for (const column of columns) {
          const value = record.fields[column.index];
          if (value === undefined || !hasBreak(value)) continue;
          if (!capped.open) {
            capped.skip(() => record.fieldLocation(column.index));
            continue;
          }
          capped.report(
            'lineBreakInRecipientValue',
            { field: column.field, header: column.header, record: record.index, value: context.pii(value) },
            record.fieldLocation(column.index),
          );
        }
      },
      recipientsEnd() {
        capped.finish();
      },
    };
  },
});
