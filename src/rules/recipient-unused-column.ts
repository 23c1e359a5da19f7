import { headerProblem } from '../core/columns.js';
import { campaignTemplates } from '../core/templates.js';
import { emailColumnName } from './_recipients.js';
import { defineRule } from './define.js';

const key = (name: string) => name.trim().toLowerCase();

export default defineRule({
  meta: {
    id: 'recipient-unused-column',
    description: 'Require every recipient list column to be used by a template, a rule or `recipients.allowed_columns`',
    category: 'recipient-list',
    defaultSeverity: 'warn',
    privacy: true,
    messages: {
      unused: 'column `{{column}}` is not used by any template or rule: remove it from the list (data minimisation), or list it in `recipients.allowed_columns`',
    },
  },
  async check(context) {
    const { campaign, config } = context;
    const filePath = campaign.recipientsFile();
    if (filePath === undefined) return undefined;
    const { templates } = await campaignTemplates(campaign, config);
    // Without every template's fields, "unused" cannot be known.
    if (templates.some((template) => !template.parsed.ok)) return undefined;
    const used = new Set<string>([key(emailColumnName(campaign))]);
    const consent = campaign.string(['recipients', 'consent_column']);
    if (consent !== undefined) used.add(key(consent));
    const allowed = campaign.get(['recipients', 'allowed_columns']);
    if (Array.isArray(allowed)) for (const name of allowed) if (typeof name === 'string') used.add(key(name));
    for (const template of templates) if (template.parsed.ok) for (const field of template.parsed.fields) used.add(key(field.name));
    return {
      recipientsHeader(header) {
        // An unusable header is one finding (see headerProblem): read with the wrong delimiter, it
        // has no real columns; the column that looks like the address column is the fix, not unused.
        const unusable = headerProblem(campaign, header);
        if (unusable?.kind === 'delimiter') return;
        header.names.forEach((name, index) => {
          if (used.has(key(name)) || name.trim() === '' || index === unusable?.suggested) return;
          context.report({ messageId: 'unused', data: { column: header.looksLikeData ? context.pii(name.trim()) : name.trim() }, loc: header.positions[index] ?? { line: 1, column: 1 }, filePath });
        });
      },
    };
  },
});
