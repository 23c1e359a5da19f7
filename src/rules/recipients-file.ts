import { stat } from 'node:fs/promises';
import type { CsvProblemKind } from '../parsers/csv.js';
import { resolveEmailColumn } from '../core/columns.js';
import { CappedReporter, emailColumnName } from './_recipients.js';
import { defineRule } from './define.js';

const MESSAGE_IDS: Record<CsvProblemKind, string> = {
  'invalid-utf8': 'invalidUtf8',
  'ragged-row': 'raggedRow',
  'unterminated-quote': 'unterminatedQuote',
  'invalid-quote': 'invalidQuote',
  'empty-file': 'emptyFile',
  'missing-header': 'missingHeader',
  'duplicate-column': 'duplicateColumn',
  'missing-column': 'missingEmailColumn',
  'too-many-columns': 'tooManyColumns',
  'read-error': 'unreadable',
};

export default defineRule({
  meta: {
    id: 'recipients-file',
    description: 'Require a readable UTF-8 recipient CSV inside the repository, with a header, the email column and consistent rows',
    category: 'recipient-list',
    defaultSeverity: 'error',
    messages: {
      missing: 'recipient list `{{file}}` does not exist',
      outside: 'recipient list `{{file}}` {{reason}}',
      notAFile: 'recipient list `{{file}}` is not a regular file',
      unreadable: 'recipient list cannot be read: {{problem}}',
      invalidUtf8: 'recipient list is not valid UTF-8: {{problem}}',
      raggedRow: 'inconsistent field count: {{problem}}',
      unterminatedQuote: 'broken quoting: {{problem}}',
      invalidQuote: 'broken quoting: {{problem}}',
      emptyFile: 'recipient list is empty: {{problem}}',
      missingHeader: 'no header row: {{problem}}',
      duplicateColumn: 'duplicate column name: {{problem}}',
      tooManyColumns: 'too many columns: {{problem}}',
      missingEmailColumn: 'the header has no `{{column}}` column (recipients.email_column)',
      more: '{{count}} more problems of this file are not listed (the first {{limit}} are)',
    },
  },
  async check(context) {
    const { campaign } = context;
    const written = campaign.string(['recipients', 'file']);
    if (written === undefined) return undefined;
    const at = campaign.valueLocation(['recipients', 'file']);
    const resolved = campaign.resolve(written);
    if (!resolved.ok) {
      if (resolved.kind === 'not-regular') context.report({ messageId: 'notAFile', data: { file: written }, loc: at });
      else context.report({ messageId: 'outside', data: { file: written, reason: resolved.reason }, loc: at });
      return undefined;
    }
    let isFile: boolean;
    try {
      isFile = (await stat(resolved.path)).isFile();
    } catch {
      context.report({ messageId: 'missing', data: { file: written }, loc: at });
      return undefined;
    }
    if (!isFile) {
      context.report({ messageId: 'notAFile', data: { file: written }, loc: at });
      return undefined;
    }
    const filePath = resolved.path;
    const capped = new CappedReporter(context, filePath);
    return {
      recipientsHeader(header) {
        const column = emailColumnName(campaign);
        // Only a column missing altogether: a near-miss spelling is single-recipient-to's (locked) error.
        if (resolveEmailColumn(campaign, header.names).index === -1) {
          const first = header.positions[0] ?? { line: 1, column: 1 };
          context.report({ messageId: 'missingEmailColumn', data: { column }, loc: first, filePath });
        }
      },
      recipientsProblem(problem) {
        const loc = { line: problem.line, column: problem.column };
        if (capped.open) capped.report(MESSAGE_IDS[problem.kind], { problem: problem.message }, loc);
        else capped.skip(() => loc);
      },
      recipientsEnd() {
        capped.finish();
      },
    };
  },
});
