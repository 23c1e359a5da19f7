import { campaignTemplates } from '../core/templates.js';
import { findUrls, isUnsubscribeLink } from '../parsers/html.js';
import { defineRule } from './define.js';

export default defineRule({
  meta: {
    id: 'unsubscribe-link',
    description: 'Require an unsubscribe link in every body of a marketing campaign',
    category: 'compliance',
    defaultSeverity: 'error',
    messages: {
      missingHtml: 'the html body has no unsubscribe link (an <a> whose text or URL says unsubscribe, opt out or manage preferences)',
      missingText: 'the text body has no unsubscribe URL (a URL about unsubscribing, or a URL on a line that says unsubscribe)',
    },
  },
  async check(context) {
    const { campaign } = context;
    if (campaign.category !== 'marketing') return;
    const { templates } = await campaignTemplates(campaign, context.config);
    for (const template of templates) {
      if (template.kind === 'html') {
        // parse5 loads only for campaigns with an HTML body.
        const { links } = (await import('../parsers/html-dom.js')).parseHtml(template.source);
        if (!links.some((link) => isUnsubscribeLink(link.href, link.text))) {
          context.report({ messageId: 'missingHtml', loc: campaign.valueLocation(template.path) });
        }
      } else if (template.kind === 'text') {
        const lines = template.source.split('\n');
        // A line's wording is tested once, however many URLs it holds (per URL it was quadratic).
        const lineSays = new Map<number, boolean>();
        const says = (line: number): boolean => {
          let result = lineSays.get(line);
          if (result === undefined) lineSays.set(line, (result = isUnsubscribeLink('', lines[line - 1] ?? '')));
          return result;
        };
        const found = findUrls(template.source).some((url) => isUnsubscribeLink(url.url, '') || says(url.line));
        if (!found) context.report({ messageId: 'missingText', loc: campaign.valueLocation(template.path) });
      }
    }
  },
});
