import { stat } from 'node:fs/promises';
import type { CsvProblemKind } from '../parsers/csv.js';
import { headerProblem, headerProblemClaimed } from '../core/columns.js';
import type { CsvHeader } from '../parsers/csv.js';
import { CappedReporter } from './_recipients.js';
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
    description: 'Require a readable recipient CSV inside the repository, in UTF-8 or its declared encoding, with a header, the email column and consistent rows',
    category: 'recipient-list',
    defaultSeverity: 'error',
    messages: {
      missing: 'recipient list `{{file}}` does not exist',
      outside: 'recipient list `{{file}}` {{reason}}',
      notAFile: 'recipient list `{{file}}` is not a regular file',
      unreadable: 'recipient list cannot be read: {{problem}}',
      invalidUtf8: 'recipient list: {{problem}}, or declare `recipients.encoding: {{encoding}}` in the campaign',
      undecodable: 'recipient list cannot be decoded: {{problem}}',
      raggedRow: 'inconsistent field count: {{problem}}',
      unterminatedQuote: 'broken quoting: {{problem}}',
      invalidQuote: 'broken quoting: {{problem}}',
      emptyFile: 'recipient list is empty: {{problem}}',
      missingHeader: 'no header row: {{problem}}',
      duplicateColumn: 'duplicate column name: {{problem}}',
      tooManyColumns: 'too many columns: {{problem}}',
      missingEmailColumn: '{{problem}}',
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
    let header: CsvHeader | undefined;
    return {
      recipientsHeader(read) {
        header = read;
      },
      recipientsProblem(problem) {
        const loc = { line: problem.line, column: problem.column };
        if (!capped.open) capped.skip(() => loc);
        else if (problem.kind !== 'invalid-utf8') capped.report(MESSAGE_IDS[problem.kind], { problem: problem.message }, loc);
        else if (problem.encoding === undefined) capped.report('undecodable', { problem: problem.message }, loc);
        else capped.report('invalidUtf8', { problem: problem.message, encoding: problem.encoding }, loc);
      },
      recipientsEnd() {
        // Only a column missing altogether (a near-miss spelling is single-recipient-to's error),
        // and only when no locked rule reported it: one root cause, one finding, with its fix.
        const problem = header && headerProblem(campaign, header);
        if (header && problem && !headerProblemClaimed(header)) {
          context.report({ messageId: 'missingEmailColumn', data: { problem: problem.message }, loc: header.positions[0] ?? { line: 1, column: 1 }, filePath });
        }
        capped.finish();
      },
    };
  },
});
