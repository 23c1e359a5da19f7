import { DuplicateFinder } from '../core/address-set.js';
import type { SourceLocation } from '../core/types.js';
import { readCsv } from '../parsers/csv.js';
import { MAX_ROW_FINDINGS, rowAddressOf } from './_recipients.js';
import { defineRule } from './define.js';

class StopReading extends Error {}

export default defineRule({
  meta: {
    id: 'recipient-duplicate',
    description: 'Disallow recipient addresses that appear more than once in the list',
    category: 'recipient-list',
    defaultSeverity: 'error',
    messages: {
      duplicate: '`{{address}}` is already on line {{firstLine}}: this recipient would get the message twice',
      more: '{{count}} more repeated addresses are not listed (the first {{limit}} are)',
    },
  },
  check(context) {
    const { campaign, config } = context;
    const filePath = campaign.recipientsFile();
    if (filePath === undefined) return undefined;
    const row = rowAddressOf(campaign, config);
    const finder = new DuplicateFinder({ caseSensitiveLocalPart: config.caseSensitiveLocalPart });
    return {
      recipientsHeader(header) {
        row.setHeader(header, campaign);
      },
      recipientRow(record) {
        const encoded = row.encode(record);
        if (encoded !== undefined) finder.addEncoded(encoded, record.line);
      },
      async recipientsEnd() {
        // Repeats are only known once the whole list is read, when the records are gone: the
        // places and values of the few reported ones are read again in a second, targeted pass.
        const duplicates = finder.finish();
        if (duplicates.length === 0) return;
        const shown = duplicates.slice(0, MAX_ROW_FINDINGS);
        const wanted = new Map<number, { loc: SourceLocation; value: string }>(shown.map((duplicate) => [duplicate.line, { loc: { line: duplicate.line, column: 1 }, value: '' }]));
        const rest = duplicates[MAX_ROW_FINDINGS];
        if (rest !== undefined) wanted.set(rest.line, { loc: { line: rest.line, column: 1 }, value: '' });
        const lastLine = Math.max(...wanted.keys());
        const column = row.column;
        let found = 0;
        await readCsv(filePath, {
          onRecord(record) {
            const entry = wanted.get(record.line);
            if (entry === undefined) return;
            entry.loc = record.fieldLocation(column);
            entry.value = (record.fields[column] ?? '').trim();
            // The reader has no stop switch: throwing ends it (it reports a read error, ignored here).
            if (++found === wanted.size || record.line >= lastLine) throw new StopReading();
          },
          onProblem() {
            // recipients-file reports the file's problems.
          },
        });
        for (const duplicate of shown) {
          const entry = wanted.get(duplicate.line);
          if (entry === undefined) continue;
          context.report({ messageId: 'duplicate', data: { address: context.pii(entry.value), firstLine: duplicate.firstLine }, loc: entry.loc, filePath });
        }
        if (rest !== undefined) {
          const loc = wanted.get(rest.line)?.loc ?? { line: rest.line, column: 1 };
          context.report({ messageId: 'more', data: { count: duplicates.length - MAX_ROW_FINDINGS, limit: MAX_ROW_FINDINGS }, loc, filePath });
        }
      },
    };
  },
});
