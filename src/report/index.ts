import type { AddressSet } from '../core/address-set.js';
import { maskAddress } from '../core/address.js';
import type { ResolvedConfig } from '../core/config.js';
import { addressReadings, defaultNormaliseAddress, findAddressTokens, revealAddresses } from '../render/addresses.js';
import { buildReport } from './build.js';
import type { BuildReportOptions, ReportData } from './build.js';
import { escapeHtml, renderReportHtml } from './html.js';

export { buildReport } from './build.js';
export type { BuildReportOptions, BuiltReport, CampaignFacts, ReportData, ReportFinding } from './build.js';
export { renderReportHtml, escapeHtml } from './html.js';

export interface CampaignReport {
  html: string;
  data: ReportData;
}

/**
 * The page for one campaign. Whatever the parts did, the finished page is searched once more
 * for any address of the recipient or suppression lists (in text, attributes and the email's
 * srcdoc, entities decoded); one that was written literally somewhere shown (a subject, a
 * finding) is masked, and a page that would still show one is refused.
 */
export async function createReport(filePath: string, config: ResolvedConfig, options: BuildReportOptions): Promise<CampaignReport> {
  const built = await buildReport(filePath, config, options);
  const publicAddresses = new Set(built.publicAddresses.map(defaultNormaliseAddress));
  const leaks = (page: string) => personalAddressesIn(page, built.personalAddresses, publicAddresses);
  let html = renderReportHtml(built.data);
  const found = leaks(html);
  for (const address of found) {
    const masked = maskAddress(address);
    for (const form of [address, escapeHtml(address), escapeHtml(escapeHtml(address))]) html = html.split(form).join(masked);
  }
  if (found.length > 0 && leaks(html).length > 0) throw new Error('the report would show a recipient address; it was not written');
  return { html, data: built.data };
}

/** `&amp;`, `&lt;`…, and numeric references: what a browser shows for the page's text and attributes. */
export function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  return text.replace(/&(?:#(\d+)|#x([0-9a-f]+)|([a-z]+));/gi, (whole, decimal?: string, hex?: string, name?: string) => {
    if (decimal !== undefined) return String.fromCodePoint(Number(decimal));
    if (hex !== undefined) return String.fromCodePoint(parseInt(hex, 16));
    return named[(name ?? '').toLowerCase()] ?? whole;
  });
}

function personalAddressesIn(page: string, sets: readonly AddressSet[], publicAddresses: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  // Twice: the email's html sits escaped inside an attribute of the page.
  for (const text of [page, decodeEntities(page), decodeEntities(decodeEntities(page))]) {
    for (const token of findAddressTokens(revealAddresses(text))) {
      for (const reading of addressReadings(token.address)) {
        if (publicAddresses.has(defaultNormaliseAddress(reading))) continue;
        if (sets.some((set) => set.has(reading))) found.add(reading);
      }
    }
  }
  return [...found];
}
