import type { Campaign } from '../core/campaign.js';
import { headerProblem } from '../core/columns.js';
import { CappedReporter, findColumn } from './_recipients.js';
import { defineRule } from './define.js';

const CONSENTING = new Set(['yes', 'true', 'y', '1']);

/** yes / true / y / 1, any case, surrounding spaces ignored. */
export function isConsent(value: string): boolean {
  // `yes` first: comparing with a constant is cheaper than hashing a fresh cell string for the set.
  return value === 'yes' || CONSENTING.has(value) || CONSENTING.has(value.trim().toLowerCase());
}

/** The consent column a campaign's rows are checked against: marketing campaigns only, as declared. */
export function consentColumnOf(campaign: Campaign): string | undefined {
  return campaign.category === 'marketing' ? campaign.string(['recipients', 'consent_column']) : undefined;
}

export default defineRule({
  meta: {
    id: 'recipient-consent',
    description: 'Require marketing campaigns to declare a consent column and every recipient to have consented',
    category: 'recipient-list',
    defaultSeverity: 'error',
    privacy: true,
    messages: {
      undeclared: 'a marketing campaign must name its consent column in `recipients.consent_column`',
      missingColumn: 'consent column `{{column}}` is not in the recipient list header',
      noConsent: 'record {{record}} has not consented: `{{column}}` is `{{value}}`, not yes/true/y/1',
      more: '{{count}} more recipients without consent are not listed (the first {{limit}} are)',
    },
  },
  check(context) {
    const { campaign } = context;
    if (campaign.category !== 'marketing') return undefined;
    const columnName = consentColumnOf(campaign);
    if (columnName === undefined) {
      if (campaign.has(['recipients']) && !campaign.has(['recipients', 'consent_column'])) {
        context.report({ messageId: 'undeclared', loc: campaign.keyLocation(['recipients']) });
      }
      return undefined;
    }
    const filePath = campaign.recipientsFile();
    if (filePath === undefined) return undefined;
    const capped = new CappedReporter(context, filePath);
    let column = -1;
    return {
      recipientsHeader(header) {
        column = findColumn(header.names, columnName);
        // A header read with the wrong delimiter has no known column: one finding, elsewhere (see headerProblem).
        if (column === -1 && headerProblem(campaign, header)?.kind !== 'delimiter') context.report({ messageId: 'missingColumn', data: { column: columnName }, loc: campaign.valueLocation(['recipients', 'consent_column']) });
      },
      recipientRow(record) {
        if (column === -1) return;
        const value = record.fields[column];
        if (value === undefined || isConsent(value)) return;
        if (!capped.open) {
          capped.skip(() => record.fieldLocation(column));
          return;
        }
        capped.report('noConsent', { record: record.index, column: columnName, value: value === '' ? '(empty)' : context.pii(value) }, record.fieldLocation(column));
      },
      recipientsEnd() {
        capped.finish();
      },
    };
  },
});
