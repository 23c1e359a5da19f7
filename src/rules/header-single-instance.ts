import { emailColumnName } from '../core/columns.js';
import { campaignTemplates } from '../core/templates.js';
import { buildRowMessage } from '../core/row-message.js';
import type { SourceLocation } from '../core/types.js';
import { ADDRESS_SINGLE_INSTANCE, SINGLE_INSTANCE_HEADERS, headerFieldCounts } from '../render/header-fields.js';
import { defineRule } from './define.js';

/** Fields the composer writes itself; a `headers` entry of the same name is dropped by it, sent twice by others. */
const COMPOSER_FIELDS = new Map([
  ['subject', 'subject'],
  ['date', undefined],
  ['message-id', undefined],
]);
const FIXED = { date: new Date('2000-01-01T00:00:00Z'), messageId: '<header-single-instance@campaign-lint.invalid>', boundarySeed: 'headers' };
const CANONICAL = new Map(SINGLE_INSTANCE_HEADERS.map((name) => [name.toLowerCase(), name]));

/**
 * Header fields that may appear once in a message (RFC 5322 §3.6, and List-Unsubscribe /
 * List-Unsubscribe-Post): counted in the raw header block of the message a stand-in recipient
 * would get. A second From, Sender, Reply-To, To, Cc or Bcc changes who sees what and is the locked
 * `rendered-message` rule's to report; this rule reports the others.
 */
export default defineRule({
  meta: {
    id: 'header-single-instance',
    description: 'Disallow a second Subject, Date, Message-ID, In-Reply-To, References or List-Unsubscribe field in the rendered message',
    category: 'compliance',
    defaultSeverity: 'error',
    messages: {
      duplicate: 'the rendered message has {{count}} `{{name}}` fields (from {{keys}}); it may have one (RFC 5322 §3.6, RFC 8058), and Gmail and Yahoo reject bulk mail that breaks RFC 5322. Keep one spelling',
      composerField: '`headers.{{key}}` sets `{{name}}`, which the mailer writes itself{{source}}: nodemailer drops this one, other senders send both (two `{{name}}` fields). Remove it',
    },
  },
  async check(context) {
    const { campaign, config } = context;
    const keys = campaign.has(['headers']) ? campaign.keys(['headers']) : [];
    const byName = new Map<string, string[]>();
    for (const key of keys) {
      const name = key.trim().toLowerCase();
      if (!CANONICAL.has(name) || ADDRESS_SINGLE_INSTANCE.has(name)) continue;
      const found = byName.get(name);
      if (found) found.push(key);
      else byName.set(name, [key]);
    }
    for (const [name, written] of byName) {
      if (!COMPOSER_FIELDS.has(name)) continue;
      const topLevel = COMPOSER_FIELDS.get(name);
      if (topLevel !== undefined && !campaign.has([topLevel])) continue;
      const canonical = CANONICAL.get(name) ?? name;
      const source = topLevel === undefined ? '' : ` from \`${topLevel}\``;
      for (const key of written) context.report({ messageId: 'composerField', data: { key, name: canonical, source }, loc: campaign.keyLocation(['headers', key]) });
    }
    if (keys.length < 2) return;
    // The message a stand-in recipient gets: every merge field holds a harmless value.
    const templates = await campaignTemplates(campaign, config);
    const emailColumn = emailColumnName(campaign) ?? 'email';
    const data: Record<string, string> = {};
    for (const template of templates.templates) {
      if (!template.parsed.ok) return;
      for (const field of template.parsed.fields) data[field.name] = field.name === emailColumn ? 'recipient@probe.invalid' : 'x';
    }
    const built = buildRowMessage(campaign, templates, data, FIXED);
    // A campaign that does not render is the rendered-message rule's to report.
    if (!built.ok) return;
    const { renderMessage } = await import('../render/compose.js');
    const rendered = await renderMessage(built.input);
    if (!rendered.ok) return;
    for (const [name, field] of headerFieldCounts(rendered.message.raw)) {
      if (field.count < 2 || !CANONICAL.has(name) || ADDRESS_SINGLE_INSTANCE.has(name)) continue;
      const written = byName.get(name) ?? [];
      const second = written[1] ?? written[0];
      const loc: SourceLocation = second !== undefined ? campaign.keyLocation(['headers', second]) : campaign.keyLocation(['headers']);
      context.report({
        messageId: 'duplicate',
        data: { count: field.count, name: CANONICAL.get(name) ?? field.name, keys: written.length > 0 ? written.map((key) => `\`headers.${key}\``).join(', ') : '`headers`' },
        loc,
      });
    }
  },
});
