import { findRepeats } from '../core/duplicates.js';
import { MAX_ROW_FINDINGS, rowPlacesOf } from './_recipients.js';
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
    // Repeats are only known at the end, when the records are gone: each address keeps its place.
    const rows = rowPlacesOf(campaign, config);
    return {
      recipientsHeader(header) {
        rows.row.setHeader(header, campaign);
      },
      recipientRow(record) {
        rows.add(record);
      },
      async recipientsEnd({ lineBreak, delimiter, encoding }) {
        const repeats = await findRepeats(rows.places, { filePath, column: rows.row.column, lineBreak, delimiter, encoding, caseSensitiveLocalPart: config.caseSensitiveLocalPart });
        for (const repeat of repeats.slice(0, MAX_ROW_FINDINGS)) {
          context.report({
            messageId: 'duplicate',
            data: { address: context.pii(repeat.address), firstLine: repeat.firstLine },
            loc: { line: repeat.line, column: repeat.column },
            filePath,
          });
        }
        const rest = repeats[MAX_ROW_FINDINGS];
        if (rest !== undefined) {
          context.report({
            messageId: 'more',
            data: { count: repeats.length - MAX_ROW_FINDINGS, limit: MAX_ROW_FINDINGS },
            loc: { line: rest.line, column: rest.column },
            filePath,
          });
        }
      },
    };
  },
});
