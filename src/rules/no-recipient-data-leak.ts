import { basename } from 'node:path';
import { isMap, isPair, isScalar } from 'yaml';
import { AddressSet } from '../core/address-set.js';
import { findAddresses } from '../core/address.js';
import { recipientsPath } from '../core/recipients.js';
import type { Campaign } from '../core/campaign.js';
import type { SourceLocation } from '../core/types.js';
import { campaignTemplates } from '../core/templates.js';
import type { YamlPath } from '../parsers/yaml.js';
import { positionAt, rowAddressOf, suppressedWrittenAddresses } from './_recipients.js';
import { defineRule } from './define.js';

interface Token {
  address: string;
  filePath: string;
  /** Where it is written, for a grouped message: a campaign key (`cc`, `subject`) or a file name. */
  where: string;
  loc: SourceLocation;
  reported: boolean;
  /** First line of the recipient list holding this address. */
  recipientLine?: number;
}

/**
 * The organisation's own addresses by role: the author, approvers, sender, reply address and
 * archive Bcc. A colleague who is also on the customer list is not leaked by signing the campaign.
 */
const OWN_ADDRESS_PATHS: readonly YamlPath[] = [['author'], ['from', 'address'], ['reply_to']];

function spanAt(text: string, index: number, length: number): SourceLocation {
  const start = positionAt(text, index);
  return { ...start, endLine: start.line, endColumn: start.column + length };
}

/** Where in the campaign file an offset is: the top-level key whose entry holds it, else the file (a comment). */
function whereIn(campaign: Campaign): (index: number) => string {
  const root = campaign.yaml.doc.contents;
  const spans: { start: number; end: number; key: string }[] = [];
  if (isMap(root)) {
    for (const item of root.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const keyRange = item.key.range as [number, number, number] | null | undefined;
      if (!keyRange) continue;
      const value = item.value as { range?: [number, number, number] | null } | null;
      spans.push({ start: keyRange[0], end: value?.range?.[1] ?? keyRange[1], key: String(item.key.value) });
    }
  }
  const file = `\`${basename(campaign.filePath)}\``;
  return (index) => {
    const span = spans.find((each) => index >= each.start && index < each.end);
    return span === undefined ? file : `\`${span.key}\``;
  };
}

/** Positions listed in a grouped finding; the rest are counted. */
const LISTED_POSITIONS = 5;

interface DecodedAddress {
  address: string;
  /** Source offset of the place it was read from, and the source length to mark. */
  index: number;
  length: number;
}

const ENCODED_WORD = /=\?[^?\s]{1,75}\?[bq]\?[^?\s]*\?=/gi;

/**
 * Addresses that only a decoded form shows, and not already found in `seen` (lower-cased): in
 * RFC 2047 encoded words (`=?utf-8?B?…?=`, what a mail client decodes in a header), and in an HTML
 * body's visible text, link targets and shown attributes after character references are decoded
 * and tags and comments removed (`ann&#64;example.com`, `ann<span></span>@example.com`). The
 * decoders load only when the text has something to decode.
 */
async function decodedAddresses(source: string, kind: 'html' | 'text', seen: Set<string>): Promise<DecodedAddress[]> {
  const found: DecodedAddress[] = [];
  const add = (address: string, index: number, length: number) => {
    const key = address.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ address, index, length: Math.max(1, length) });
  };
  const words = [...source.matchAll(ENCODED_WORD)];
  if (words.length > 0) {
    const { decodeWords } = await import('postal-mime');
    for (const word of words) for (const entry of findAddresses(decodeWords(word[0]))) add(entry.address, word.index, word[0].length);
  }
  if (kind === 'html' && /[<&%]/.test(source)) {
    const { htmlReadings, readingOffset } = await import('../parsers/html-dom.js');
    const { decodedForms } = await import('../render/addresses.js');
    for (const reading of htmlReadings(source)) {
      for (const form of decodedForms(reading.text)) {
        for (const entry of findAddresses(form)) {
          const offset = form === reading.text ? readingOffset(reading, entry.index) : readingOffset(reading, 0);
          add(entry.address, Math.max(0, Math.min(offset, source.length - 1)), entry.address.length);
        }
      }
    }
  }
  return found;
}

export default defineRule({
  meta: {
    id: 'no-recipient-data-leak',
    description: 'Disallow addresses from the recipient or suppression lists written literally in the campaign or its templates',
    category: 'recipient-list',
    defaultSeverity: 'error',
    privacy: true,
    messages: {
      recipient: '`{{address}}` is a recipient (line {{line}} of the list): written here, it would reach other recipients or the repository\'s readers. Use a merge field',
      suppressed: '`{{address}}` is on suppression list `{{list}}` (line {{line}}): a suppressed person\'s address must not be written in a campaign',
      recipients:
        '{{count}} addresses of recipients are written in {{where}} (at {{positions}}), the first `{{address}}` (line {{line}} of the list): written here, they would reach other recipients or the repository\'s readers. Use merge fields',
      suppressedMany:
        '{{count}} addresses on suppression lists are written in {{where}} (at {{positions}}), the first `{{address}}` on `{{list}}` (line {{line}}): a suppressed person\'s address must not be written in a campaign',
    },
  },
  async check(context) {
    const { campaign, config } = context;
    const { templates } = await campaignTemplates(campaign, config);
    const ownRanges: [number, number][] = [];
    const addOwn = (path: YamlPath) => {
      const range = campaign.node(path)?.range;
      if (range) ownRanges.push([range[0], range[1]]);
    };
    for (const path of OWN_ADDRESS_PATHS) addOwn(path);
    for (let index = 0; index < campaign.length(['approvals']); index++) addOwn(['approvals', index, 'by']);
    for (let index = 0; index < campaign.length(['bcc']); index++) addOwn(['bcc', index]);

    const tokens: Token[] = [];
    const where = whereIn(campaign);
    for (const found of findAddresses(campaign.text)) {
      if (ownRanges.some(([start, end]) => found.index >= start && found.index < end)) continue;
      tokens.push({ address: found.address, filePath: campaign.filePath, where: where(found.index), loc: spanAt(campaign.text, found.index, found.address.length), reported: false });
    }
    // The forms a reader sees, not only the raw text: encoded words in the campaign's values are
    // decoded, and an HTML body is read as its visible text and link targets (see `decodedAddresses`).
    for (const found of await decodedAddresses(campaign.text, 'text', new Set(findAddresses(campaign.text).map((entry) => entry.address.toLowerCase())))) {
      if (ownRanges.some(([start, end]) => found.index >= start && found.index < end)) continue;
      tokens.push({ address: found.address, filePath: campaign.filePath, where: where(found.index), loc: spanAt(campaign.text, found.index, found.length), reported: false });
    }
    for (const template of templates) {
      if (template.kind === 'header') continue; // part of the campaign text, already searched
      const file = `\`${basename(template.filePath)}\``;
      const raw = findAddresses(template.source);
      for (const found of raw) {
        tokens.push({ address: found.address, filePath: template.filePath, where: file, loc: spanAt(template.source, found.index, found.address.length), reported: false });
      }
      const seen = new Set(raw.map((entry) => entry.address.toLowerCase()));
      for (const found of await decodedAddresses(template.source, template.kind === 'html' ? 'html' : 'text', seen)) {
        tokens.push({ address: found.address, filePath: template.filePath, where: file, loc: spanAt(template.source, found.index, found.length), reported: false });
      }
    }
    if (tokens.length === 0) return undefined;

    // One finding per place written and kind (all the addresses pasted into `cc` or a body are one
    // mistake): the first address, masked, with a count and the first positions.
    const hits = new Map<string, { messageId: 'recipient' | 'suppressed'; token: Token; data: Record<string, string | number> }[]>();
    const report = (token: Token, messageId: 'recipient' | 'suppressed', data: Record<string, string | number>) => {
      if (token.reported) return;
      token.reported = true;
      const key = `${token.filePath}\u0000${token.where}\u0000${messageId}`;
      const hit = hits.get(key);
      if (hit) hit.push({ messageId, token, data });
      else hits.set(key, [{ messageId, token, data }]);
    };
    const flush = () => {
      for (const group of hits.values()) {
        group.sort((a, b) => a.token.loc.line - b.token.loc.line || a.token.loc.column - b.token.loc.column);
        const first = group[0];
        if (first === undefined) continue;
        const { messageId, token, data } = first;
        const address = context.pii(token.address);
        if (group.length === 1) {
          context.report({ messageId, data: { address, ...data }, loc: token.loc, filePath: token.filePath });
          continue;
        }
        const listed = group.slice(0, LISTED_POSITIONS).map((each) => `${each.token.loc.line}:${each.token.loc.column}`).join(', ');
        const more = group.length > LISTED_POSITIONS ? ` and ${group.length - LISTED_POSITIONS} more` : '';
        context.report({
          messageId: messageId === 'recipient' ? 'recipients' : 'suppressedMany',
          data: { address, ...data, count: group.length, where: token.where, positions: `${listed}${more}` },
          loc: token.loc,
          filePath: token.filePath,
        });
      }
      hits.clear();
    };

    // Few tokens, many rows: every token is looked up in the suppression set, and every row in the token set.
    const checkSuppressed = async () => {
      const entries = await suppressedWrittenAddresses(campaign, config, tokens.map((token) => token.address));
      tokens.forEach((token, index) => {
        const entry = entries[index];
        if (entry) report(token, 'suppressed', { list: entry.source.displayPath, line: entry.line });
      });
    };
    if ((await recipientsPath(campaign)) === undefined) {
      await checkSuppressed();
      flush();
      return undefined;
    }
    const byAddress = new AddressSet({ caseSensitiveLocalPart: config.caseSensitiveLocalPart, expectedSize: tokens.length });
    const sameAddress = new Map<number, Token[]>();
    tokens.forEach((token, index) => {
      const first = byAddress.addOrGet(token.address, index + 1);
      const key = first === 0 ? index + 1 : first;
      const list = sameAddress.get(key);
      if (list) list.push(token);
      else sameAddress.set(key, [token]);
    });
    const row = rowAddressOf(campaign, config);
    return {
      recipientsHeader(header) {
        row.setHeader(header, campaign);
      },
      recipientRow(record) {
        const encoded = row.encode(record);
        if (encoded === undefined) return;
        const hit = byAddress.getEncoded(encoded);
        if (hit === 0) return;
        for (const token of sameAddress.get(hit) ?? []) token.recipientLine ??= record.line;
      },
      // After the pass, like recipient-suppressed: the lists are then read by code the pass has made
      // fast. A token on both lists is reported as suppressed.
      async recipientsEnd() {
        await checkSuppressed();
        for (const token of tokens) if (token.recipientLine !== undefined) report(token, 'recipient', { line: token.recipientLine });
        flush();
      },
    };
  },
});
