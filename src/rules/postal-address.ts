import { campaignTemplates } from '../core/templates.js';
import { collapseWhitespace } from '../parsers/html.js';
import { defineRule } from './define.js';

const normalise = (text: string) => collapseWhitespace(text).toLowerCase();

export default defineRule({
  meta: {
    id: 'postal-address',
    description: 'Require the organisation\'s postal address in every body of a marketing campaign',
    category: 'compliance',
    defaultSeverity: 'error',
    messages: {
      missing: 'the {{kind}} body does not contain the postal address `{{address}}` (organization.postal_address); CAN-SPAM and many national laws require it in marketing mail',
      notConfigured: 'no organization.postal_address is configured, so marketing bodies cannot be checked for it',
    },
  },
  async check(context) {
    const { campaign, config } = context;
    if (campaign.category !== 'marketing') return;
    const address = config.organization.postalAddress;
    if (address === undefined) {
      context.report({ messageId: 'notConfigured', loc: campaign.keyLocation(['category']), severity: 'warn' });
      return;
    }
    const wanted = normalise(address);
    const { templates } = await campaignTemplates(campaign, config);
    for (const template of templates) {
      if (template.kind === 'header') continue;
      // Line breaks, <br> and indentation may split the address anywhere; compare the words.
      const text = template.kind === 'html' ? (await import('../parsers/html-dom.js')).parseHtml(template.source).visibleText : template.source;
      if (!normalise(text).includes(wanted)) {
        context.report({ messageId: 'missing', data: { kind: template.kind, address }, loc: campaign.valueLocation(template.path) });
      }
    }
  },
});
