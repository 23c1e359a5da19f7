import { recipientsPath } from '../core/recipients.js';
import type { Rule, RuleContext } from '../core/types.js';
import { envelopeOf } from '../core/envelope.js';
import { addressesOf } from '../payloads/judge.js';
import type { PayloadModel } from '../payloads/model.js';
import { CappedReporter, MAX_ROW_FINDINGS, findSuppressed, rowPlacesOf, suppressedWrittenAddresses, suppressionOf } from './_recipients.js';
import type { SuppressionData } from './_recipients.js';
import { campaignSuppressionSourcesOf } from '../parsers/suppression-sources.js';
import type { SuppressionSources } from '../parsers/suppression-sources.js';
import { defineRule } from './define.js';

const meta: Rule['meta'] = {
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
    invalidEntry: 'suppression list entry `{{entry}}` yields no valid address, so it suppresses nobody: write an address, <address>, Name <address> or mailto:address',
    emptyList: 'suppression list `{{file}}` yields no address: check its delimiter and column',
    moreListProblems: '{{count}} more problems of suppression list `{{file}}` are not listed (the first {{limit}} are)',
    sourceProblem: 'suppression list `{{file}}` {{reason}}',
  },
};

function reportListProblems(context: RuleContext<Record<string, never>>, suppression: SuppressionData): void {
  const { campaign } = context;
  for (const problem of suppression.problems) {
    const at = problem.index === undefined ? campaign.keyLocation(['recipients']) : campaign.valueLocation(['suppress', problem.index]);
    if (problem.kind === 'outside') context.report({ messageId: 'listOutside', data: { file: problem.written, reason: problem.reason }, loc: at });
    else if (problem.kind === 'missing') context.report({ messageId: 'listMissing', data: { file: problem.written }, loc: at });
    else if (problem.kind === 'empty-glob') context.report({ messageId: 'globEmpty', data: { glob: problem.written }, loc: at });
    else if (problem.source && problem.problem) {
      context.report({ messageId: 'listProblem', data: { problem: problem.reason }, loc: { line: problem.problem.line, column: problem.problem.column }, filePath: problem.source.filePath });
    } else if (problem.source && problem.location) {
      const { source, location: loc } = problem;
      if (problem.kind === 'invalid-entry') context.report({ messageId: 'invalidEntry', data: { entry: context.pii(problem.entry ?? '') }, loc, filePath: source.filePath });
      else if (problem.kind === 'empty-list') context.report({ messageId: 'emptyList', data: { file: source.displayPath }, loc, filePath: source.filePath });
      else if (problem.kind === 'more') {
        context.report({ messageId: 'moreListProblems', data: { count: problem.count ?? 0, file: source.displayPath, limit: MAX_ROW_FINDINGS }, loc, filePath: source.filePath });
      }
    }
  }
}

function sourceMatch(sources: SuppressionSources, address: string): { list: string; listLine: number } | undefined {
  const match = sources.match(address);
  return match ? { list: match.file, listLine: match.line } : undefined;
}

/** Problems of the object-form lists (config and campaign) (hashed lists, platform exports): in the list when it was read, else at the campaign. */
function reportSourceProblems(context: RuleContext<Record<string, never>>, sources: SuppressionSources): void {
  for (const problem of sources.problems) {
    const data = { file: problem.file, reason: problem.reason };
    // A campaign entry's problem without a place in the list (a missing file) is shown at the entry.
    if (problem.filePath === undefined) context.report({ messageId: 'sourceProblem', data, loc: problem.index === undefined ? context.campaign.keyLocation(['recipients']) : context.campaign.valueLocation(['suppress', problem.index]) });
    else context.report({ messageId: 'sourceProblem', data, loc: problem.loc, filePath: problem.filePath });
  }
}

/** A sending-platform payload's recipients (To, Cc, Bcc, the SMTP envelope) against the config's suppression lists. */
async function checkPayload(context: RuleContext<Record<string, never>>, payload: PayloadModel): Promise<void> {
  const { campaign, config } = context;
  const suppression = await suppressionOf(campaign, config);
  reportListProblems(context, suppression);
  const recipients = payload.messages.flatMap((message) =>
    message.fields.filter((field) => field.cls === 'to' || field.cls === 'cc' || field.cls === 'bcc' || field.cls === 'recipient').flatMap((field) => addressesOf(field)),
  );
  const sources = await campaignSuppressionSourcesOf(campaign, config);
  reportSourceProblems(context, sources);
  const entries = await suppressedWrittenAddresses(campaign, config, recipients.map((recipient) => recipient.address));
  recipients.forEach((recipient, index) => {
    const entry = entries[index];
    const found = entry ? { list: entry.source.displayPath, listLine: entry.line } : sources.size > 0 ? sourceMatch(sources, recipient.address) : undefined;
    if (found) context.report({ messageId: 'suppressed', data: { address: context.pii(recipient.address), ...found }, loc: recipient.loc });
  });
}

export default defineRule({
  meta,
  async check(context) {
    const { campaign, config } = context;
    const payload = envelopeOf(campaign).payload;
    if (payload) {
      await checkPayload(context, payload);
      return undefined;
    }
    const filePath = await recipientsPath(campaign);
    const sources = await campaignSuppressionSourcesOf(campaign, config);
    reportSourceProblems(context, sources);
    // Without a recipient list, or without any suppression list to read, there is nothing to
    // match rows against: the lists' own problems, if any, are all there is to report.
    if (filePath === undefined || (campaign.length(['suppress']) === 0 && config.suppression.length === 0 && sources.size === 0)) {
      reportListProblems(context, await suppressionOf(campaign, config));
      return undefined;
    }
    // Hashed lists and platform exports: each row's address is looked up as it is read.
    const sourceCapped = sources.size > 0 ? new CappedReporter(context, filePath) : undefined;
    // The lists are read once the recipient list has been (see findSuppressed).
    const rows = rowPlacesOf(campaign, config);
    return {
      recipientsHeader(header) {
        rows.row.setHeader(header, campaign);
      },
      recipientRow(record) {
        rows.add(record);
        if (sourceCapped === undefined) return;
        const value = record.fields[rows.row.column];
        if (value === undefined || value === '') return;
        const found = sourceMatch(sources, value);
        if (found === undefined) return;
        if (sourceCapped.open) sourceCapped.report('suppressed', { address: context.pii(value.trim()), ...found }, record.fieldLocation(rows.row.column));
        else sourceCapped.skip(() => record.fieldLocation(rows.row.column));
      },
      async recipientsEnd({ lineBreak, delimiter, encoding }) {
        const suppression = await suppressionOf(campaign, config);
        reportListProblems(context, suppression);
        const source = { filePath, column: rows.row.column, lineBreak, delimiter, encoding, caseSensitiveLocalPart: config.caseSensitiveLocalPart };
        const capped = new CappedReporter(context, filePath);
        for (const { place, address, entry } of await findSuppressed(rows, suppression, source)) {
          const loc = { line: place.line, column: place.column };
          if (!capped.open) {
            capped.skip(() => loc);
            continue;
          }
          capped.report('suppressed', { address: context.pii(address), list: entry.source.displayPath, listLine: entry.line }, loc);
        }
        capped.finish();
        sourceCapped?.finish();
      },
    };
  },
});
