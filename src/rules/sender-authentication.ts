import type { Resolver } from 'node:dns/promises';
import { dnsPromises } from '../core/lazy-builtins.js';
import { envelopeOf } from '../core/envelope.js';
import type { SourceLocation } from '../core/types.js';
import { addressesOf } from '../payloads/judge.js';
import { defineRule } from './define.js';

interface Options {
  /** DKIM selectors to look up (`selector._domainkey.domain`). */
  dkimSelectors?: string[];
  /** DNS servers (`ip` or `ip:port`); the system's resolvers when absent. */
  servers?: string[];
  /** Milliseconds per query. */
  timeout?: number;
}

type Lookup = { ok: true; records: string[] } | { ok: false; reason: string };

/** TXT records of a name, joined; none for NXDOMAIN and NODATA; a failure for anything else (fail closed). */
async function txt(resolver: Resolver, name: string): Promise<Lookup> {
  try {
    return { ok: true, records: (await resolver.resolveTxt(name)).map((chunks) => chunks.join('')) };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code === 'ENOTFOUND' || code === 'ENODATA') return { ok: true, records: [] };
    return { ok: false, reason: code === '' ? String(error) : code };
  }
}

export default defineRule<Options>({
  meta: {
    id: 'sender-authentication',
    description: 'Require SPF, DMARC and (for declared selectors) DKIM records for the From domain, looked up in DNS (opt-in)',
    category: 'compliance',
    defaultSeverity: 'off',
    messages: {
      missingSpf: 'the From domain `{{domain}}` has no SPF record (a TXT record starting `v=spf1`): Gmail, Yahoo and Microsoft require SPF for bulk senders',
      multipleSpf: 'the From domain `{{domain}}` has {{count}} SPF records: SPF fails with more than one (RFC 7208 §4.5). Merge them',
      missingDmarc: 'the From domain `{{domain}}` has no DMARC record (TXT at `_dmarc.{{domain}}` starting `v=DMARC1`): bulk senders need one',
      dmarcNoPolicy: 'the DMARC record of `{{domain}}` has no `p=` policy tag',
      missingDkim: 'no DKIM key at `{{selector}}._domainkey.{{domain}}` (a TXT record with `p=`): the declared selector cannot sign',
      lookupFailed: '`{{name}}` could not be looked up ({{reason}}): sender authentication cannot be checked. Check the network or `servers`',
      noDomain: 'the From address has no domain to look up',
    },
    optionsSchema: {
      type: 'object',
      properties: {
        dkimSelectors: { type: 'array', items: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9._-]+$' }, description: 'DKIM selectors to look up.' },
        servers: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'DNS servers (`ip` or `ip:port`); the system resolvers when absent.' },
        timeout: { type: 'integer', minimum: 100, maximum: 30000, description: 'Milliseconds per query.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { dkimSelectors: [], timeout: 3000 },
  },
  async check(context) {
    const { campaign, options } = context;
    // The From addresses: a campaign's one, or every message's of a payload file.
    const froms: { address: string; loc: SourceLocation }[] = [];
    const payload = envelopeOf(campaign).payload;
    if (payload) {
      for (const message of payload.messages) for (const field of message.fields) if (field.cls === 'from') froms.push(...addressesOf(field));
    } else {
      const from = campaign.get(['from']);
      const address = typeof from === 'string' ? from : typeof from === 'object' && from !== null ? (from as Record<string, unknown>).address : undefined;
      if (typeof address === 'string') froms.push({ address, loc: campaign.has(['from', 'address']) ? campaign.valueLocation(['from', 'address']) : campaign.valueLocation(['from']) });
    }
    const domains = new Map<string, SourceLocation>();
    for (const { address, loc } of froms) {
      const match = /@([^\s@<>]+?)>?\s*$/.exec(address.trim());
      const domain = match?.[1]?.toLowerCase();
      if (domain === undefined || domain.includes('{{')) {
        context.report({ messageId: 'noDomain', loc });
        continue;
      }
      if (!domains.has(domain)) domains.set(domain, loc);
    }
    if (domains.size === 0) return;
    const resolver = new (dnsPromises().Resolver)({ timeout: options.timeout ?? 3000, tries: 1 });
    if (options.servers && options.servers.length > 0) resolver.setServers(options.servers);
    for (const [domain, loc] of domains) {
      const failed = (name: string, lookup: Lookup): lookup is { ok: false; reason: string } => {
        if (lookup.ok) return false;
        context.report({ messageId: 'lookupFailed', data: { name, reason: lookup.reason }, loc });
        return true;
      };
      const spf = await txt(resolver, domain);
      if (!failed(domain, spf)) {
        const count = spf.records.filter((record) => /^v=spf1(\s|$)/i.test(record.trim())).length;
        if (count === 0) context.report({ messageId: 'missingSpf', data: { domain }, loc });
        else if (count > 1) context.report({ messageId: 'multipleSpf', data: { domain, count }, loc });
      }
      const dmarcName = `_dmarc.${domain}`;
      const dmarc = await txt(resolver, dmarcName);
      if (!failed(dmarcName, dmarc)) {
        const record = dmarc.records.find((each) => /^v=DMARC1\s*(;|$)/i.test(each.trim()));
        if (record === undefined) context.report({ messageId: 'missingDmarc', data: { domain }, loc });
        else if (!/(^|;)\s*p\s*=\s*(none|quarantine|reject)\s*(;|$)/i.test(record)) context.report({ messageId: 'dmarcNoPolicy', data: { domain }, loc });
      }
      for (const selector of options.dkimSelectors ?? []) {
        const name = `${selector}._domainkey.${domain}`;
        const dkim = await txt(resolver, name);
        if (failed(name, dkim)) continue;
        if (!dkim.records.some((record) => /(^|;)\s*p\s*=\s*[A-Za-z0-9+/=]+/.test(record))) context.report({ messageId: 'missingDkim', data: { selector, domain }, loc });
      }
    }
  },
});
