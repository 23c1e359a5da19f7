import { DuplicateFinder } from '../core/address-set.js';
import { MAX_ROW_FINDINGS, rowAddressOf } from './_recipients.js';
import { defineRule } from './define.js';

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
        if (encoded === undefined) return;
        // Repeats are only known at the end, when the records are gone: each address keeps its place.
        const at = row.column === 0 ? undefined : record.fieldLocation(row.column);
        finder.addEncoded(encoded, at?.line ?? record.line, at?.column ?? 1);
      },
      recipientsEnd() {
        // The address shown is the compared form (trimmed, lower-cased as configured): the
        // cell as written is gone with its record, and the finding points at it.
        const duplicates = finder.finish(MAX_ROW_FINDINGS);
        for (const duplicate of duplicates.slice(0, MAX_ROW_FINDINGS)) {
          context.report({
            messageId: 'duplicate',
            data: { address: context.pii(duplicate.address), firstLine: duplicate.firstLine },
            loc: { line: duplicate.line, column: duplicate.column },
            filePath,
          });
        }
        const rest = duplicates[MAX_ROW_FINDINGS];
        if (rest !== undefined) {
          context.report({
            messageId: 'more',
            data: { count: duplicates.length - MAX_ROW_FINDINGS, limit: MAX_ROW_FINDINGS },
            loc: { line: rest.line, column: rest.column },
            filePath,
          });
        }
      },
    };
  },
});
