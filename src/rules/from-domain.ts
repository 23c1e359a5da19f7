import { createRequire } from 'node:module';
import addressparser from 'nodemailer/lib/addressparser';
import { envelopeOf } from '../core/envelope.js';
import { defineRule } from './define.js';

// RFC 2606 documentation domains appear in the provider data; they are nobody's mailbox provider.
const DOCUMENTATION_DOMAINS = new Set(['example.com', 'example.org', 'example.net']);
let freeMail: ReadonlySet<string> | undefined;

/** The email-providers package's list of common free-mail providers, loaded only when this rule runs. */
function freeMailDomains(): ReadonlySet<string> {
  if (!freeMail) {
    const domains = createRequire(import.meta.url)('email-providers/common.json') as string[];
    freeMail = new Set(domains.filter((domain) => !DOCUMENTATION_DOMAINS.has(domain)));
  }
  return freeMail;
}

export default defineRule({
  meta: {
    id: 'from-domain',
    description: 'Require the sender address to be on a configured sending domain, never a free-mail domain',
    category: 'compliance',
    defaultSeverity: 'error',
    messages: {
      freeMail: 'the sender `{{address}}` is on the free-mail domain `{{domain}}`: its DMARC policy will reject or junk bulk mail sent from elsewhere',
      notSendingDomain: 'the sender domain `{{domain}}` is not one of organization.sending_domains ({{allowed}})',
      dynamic: 'the sender address uses a merge field: it must be a fixed address on a sending domain',
      noDomain: 'the sender `{{address}}` has no domain',
    },
  },
  check(context) {
    const { campaign, config } = context;
    // The From the envelope model derives (any spelling of `from`, or a From header); sender-address judges its shape.
    const from = envelopeOf(campaign).of('from')[0];
    const part = from?.parts.find((candidate) => candidate.role === 'address') ?? from?.parts.find((candidate) => candidate.role === 'value');
    if (part?.type !== 'string') return;
    const loc = part.loc;
    const address = part.role === 'address' ? part.source : (addressparser(part.source, { flatten: true })[0]?.address ?? part.source);
    if (address.includes('{{')) {
      context.report({ messageId: 'dynamic', loc });
      return;
    }
    const at = address.lastIndexOf('@');
    const domain = at === -1 ? '' : address.slice(at + 1).trim().toLowerCase();
    if (domain === '') {
      context.report({ messageId: 'noDomain', data: { address }, loc });
      return;
    }
    if (freeMailDomains().has(domain)) {
      context.report({ messageId: 'freeMail', data: { address, domain }, loc });
      return;
    }
    const allowed = config.organization.sendingDomains.map((entry) => entry.trim().toLowerCase());
    if (allowed.length > 0 && !allowed.some((entry) => domain === entry || domain.endsWith(`.${entry}`))) {
      context.report({ messageId: 'notSendingDomain', data: { domain, allowed: allowed.join(', ') }, loc });
    }
  },
});
