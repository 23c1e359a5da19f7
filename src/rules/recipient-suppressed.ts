import { CappedReporter, maybeSuppressed, rowAddressOf, suppressionEntry, suppressionOf } from './_recipients.js';
import { defineRule } from './define.js';

export default defineRule({
  meta: {
    id: 'recipient-suppressed',
    description: 'Disallow recipients who are on a suppression list',
    category: 'recipient-list',
    defaultSeverity: 'error',
    privacy: true,
    messages: {
      suppressed: '`{{address}}` is on suppression list `{{list}}` (line {{listLine}}): this person must not be sent anything',
      more: '{{count}} more suppressed recipients are not listed (the first {{limit}} are)',
      listOutside: 'suppression list `{{file}}` {{reason}}: its addresses cannot be checked',
      listMissing: 'suppression list `{{file}}` does not exist: its addresses cannot be checked',
      globEmpty: 'config suppression glob `{{glob}}` matches no file: no address is checked against it',
      listProblem: 'suppression list problem: {{problem}}',
    },
  },
  async check(context) {
    const { campaign, config } = context;
    const suppression = await suppressionOf(campaign, config);
    for (const problem of suppression.problems) {
      const at = problem.index === undefined ? campaign.keyLocation(['recipients']) : campaign.valueLocation(['suppress', problem.index]);
      if (problem.kind === 'outside') context.report({ messageId: 'listOutside', data: { file: problem.written, reason: problem.reason }, loc: at });
      else if (problem.kind === 'missing') context.report({ messageId: 'listMissing', data: { file: problem.written }, loc: at });
      else if (problem.kind === 'empty-glob') context.report({ messageId: 'globEmpty', data: { glob: problem.written }, loc: at });
      else if (problem.source && problem.problem) {
        context.report({ messageId: 'listProblem', data: { problem: problem.reason }, loc: { line: problem.problem.line, column: problem.problem.column }, filePath: problem.source.filePath });
      }
    }
    const filePath = campaign.recipientsFile();
    if (filePath === undefined || suppression.set.size === 0) return undefined;
    const row = rowAddressOf(campaign, config);
    const { set } = suppression;
    const capped = new CappedReporter(context, filePath);
    return {
      recipientsHeader(header) {
        row.setHeader(header, campaign);
      },
      recipientRow(record) {
        const encoded = row.encode(record);
        if (encoded === undefined || !maybeSuppressed(suppression, encoded)) return;
        const ordinal = set.getEncoded(encoded);
        if (ordinal === 0) return;
        if (!capped.open) {
          capped.skip(() => record.fieldLocation(row.column));
          return;
        }
        const entry = suppressionEntry(suppression, ordinal);
        capped.report(
          'suppressed',
          { address: context.pii((record.fields[row.column] ?? '').trim()), list: entry?.source.displayPath ?? '?', listLine: entry?.line ?? 0 },
          record.fieldLocation(row.column),
        );
      },
      recipientsEnd() {
        capped.finish();
      },
    };
  },
});
