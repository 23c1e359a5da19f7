/**
 * The rendered-message audit: judges a parsed message (and its SMTP envelope)
 * against the one-recipient rule. Problems are data; their messages carry no
 * address, so callers mask `addresses` before printing them.
 */
import { readHtml } from '../parsers/html-dom.js';
import { addressReadings, decodedForms, defaultNormaliseAddress, findAddressTokens, mailboxVariants, revealAddresses } from './addresses.js';
import type { MessageEnvelope } from './compose.js';
import { ADDRESS_SINGLE_INSTANCE, headerFieldCounts } from './header-fields.js';
import { decodeHeaderValue } from './parse.js';
import type { ParsedMessage } from './parse.js';

export type RenderedProblemCode = 'to-count' | 'to-mismatch' | 'cc' | 'bcc-header' | 'bcc-envelope' | 'other-recipient' | 'stranger' | 'display-name' | 'duplicate-header' | 'unreadable';

export interface RenderedProblem {
  code: RenderedProblemCode;
  /** Plain-language explanation without any personal data. */
  message: string;
  /** Addresses involved, unmasked: mask them before output. */
  addresses: string[];
  /** Where it was found: `header:<Name>`, `html`, `text` or `envelope`. */
  where: string;
}

export interface AuditOptions {
  /** This row's address. */
  expectedTo: string;
  archiveAddresses: readonly string[];
  /** Whether a normalised address belongs to another recipient (or a suppressed one). */
  otherRecipients: (normalisedAddress: string) => boolean;
  /**
   * Whether a normalised address is the organisation's (sender, reply-to, archive, a sending
   * domain). A header that shows any address that is neither this row's nor the organisation's
   * is a `stranger` problem. Without it, every address counts as the organisation's.
   */
  organisation?: (normalisedAddress: string) => boolean;
  /** Normalised addresses that are never a problem anywhere (the fixed Message-ID). */
  ignore?: ReadonlySet<string>;
  /** Comparison key for addresses; defaults to trimmed and lower-cased. */
  normalise?: (address: string) => string;
  /**
   * The raw message (or its header block): a second From, Sender, Reply-To, To, Cc or Bcc field is
   * counted there, since a parser may keep only one of them and clients differ in which they show.
   */
  raw?: string;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 'es'}`;
}

export function auditRenderedMessage(parsed: ParsedMessage, envelope: MessageEnvelope, options: AuditOptions): RenderedProblem[] {
  const normalise = options.normalise ?? defaultNormaliseAddress;
  const expected = normalise(options.expectedTo);
  const archive = new Set(options.archiveAddresses.map(normalise));
  const problems: RenderedProblem[] = [];

  if (options.raw !== undefined) {
    for (const [key, field] of headerFieldCounts(options.raw)) {
      if (!ADDRESS_SINGLE_INSTANCE.has(key) || field.count < 2) continue;
      const name = key === 'reply-to' ? 'Reply-To' : key.charAt(0).toUpperCase() + key.slice(1);
      problems.push({
        code: 'duplicate-header',
        message: `The rendered message has ${field.count} ${name} header fields; it may have one at most (RFC 5322), and mail clients differ in which one they show`,
        addresses: [],
        where: `header:${name}`,
      });
    }
  }

  const toAddresses = parsed.to.map((entry) => entry.address);
  if (toAddresses.length !== 1) {
    problems.push({
      code: 'to-count',
      message:
        toAddresses.length === 0
          ? 'The rendered message has no To address; it must have exactly one'
          : `The rendered message has ${plural(toAddresses.length, 'address')} in To; it must have exactly one`,
      addresses: toAddresses,
      where: 'header:To',
    });
  } else if (normalise(toAddresses[0] ?? '') !== expected) {
    problems.push({
      code: 'to-mismatch',
      message: "The rendered To address is not this recipient row's address",
      addresses: toAddresses,
      where: 'header:To',
    });
  }

  const ccAddresses = parsed.cc.map((entry) => entry.address);
  if (ccAddresses.length > 0) {
    problems.push({
      code: 'cc',
      message: `The rendered message has a Cc header with ${plural(ccAddresses.length, 'address')}`,
      addresses: ccAddresses,
      where: 'header:Cc',
    });
  }

  const bccHeader = parsed.bcc.map((entry) => entry.address).filter((address) => !archive.has(normalise(address)));
  if (bccHeader.length > 0) {
    problems.push({
      code: 'bcc-header',
      message: `The rendered message has a Bcc header with ${plural(bccHeader.length, 'address')} outside the configured archive addresses`,
      addresses: bccHeader,
      where: 'header:Bcc',
    });
  }

  // A composed message drops its Bcc header; the envelope still lists every recipient.
  const visible = new Set([...toAddresses, ...ccAddresses, ...parsed.bcc.map((entry) => entry.address)].map(normalise));
  const hidden = envelope.to.filter((address) => !visible.has(normalise(address)) && !archive.has(normalise(address)));
  if (hidden.length > 0) {
    problems.push({
      code: 'bcc-envelope',
      message: `The message would also be delivered (Bcc) to ${plural(hidden.length, 'address')} outside the configured archive addresses`,
      addresses: hidden,
      where: 'envelope',
    });
  }

  const ignore = options.ignore ?? new Set<string>();
  const organisation = options.organisation ?? (() => true);

  // A display name is shown as written: one that holds address syntax shows an address, or
  // looks like one, to every recipient of the header (`=?utf-8?B?…?=` arrives here decoded).
  for (const [field, entries] of [['To', parsed.to], ['Cc', parsed.cc], ['Bcc', parsed.bcc], ['Reply-To', parsed.replyTo]] as const) {
    const shown = entries.filter((entry) => /[<>@]/.test(decodeHeaderValue(entry.name)));
    if (shown.length > 0) {
      problems.push({
        code: 'display-name',
        message: `The ${field} header has a display name with address syntax (\`<\`, \`>\` or \`@\`); every mail client shows it as written`,
        addresses: shown.flatMap((entry) => findAddressTokens(decodeHeaderValue(entry.name)).map((token) => token.address)),
        where: `header:${field}`,
      });
    }
  }

  const { places, unreadable } = placesOf(parsed);
  // Fail closed on what the HTML shows that no reading reproduces: the audit cannot say it shows no address.
  for (const reason of unreadable) problems.push({ code: 'unreadable', message: reason, addresses: [], where: 'html' });

  const leakedAt = new Map<string, Map<string, string>>();
  const strangersAt = new Map<string, Map<string, string>>();
  const add = (at: Map<string, Map<string, string>>, where: string, key: string, address: string) => {
    let found = at.get(where);
    if (!found) at.set(where, (found = new Map<string, string>()));
    if (!found.has(key)) found.set(key, address);
  };
  for (const [where, text] of places) {
    // `List-*` headers (RFC 2369/8058) are the mailing system's, not shown as addresses: an outside
    // `mailto:` there (an ESP's unsubscribe address) is no stranger; a listed address still is a leak.
    const header = where.startsWith('header:') && !/^header:list-/i.test(where);
    for (const token of findAddressTokens(text)) {
      const readings = addressReadings(token.address);
      let known = false;
      for (const reading of readings) {
        // The same mailbox written another way (`"bo"@…`, `bo+news@…`, an `xn--` domain) is the same person.
        for (const key of mailboxVariants(normalise(reading))) {
          if (key === expected || ignore.has(key)) {
            known = true;
            continue;
          }
          if (options.otherRecipients(key)) {
            known = true;
            add(leakedAt, where, key, reading);
          } else if (organisation(key)) known = true;
        }
      }
      // A header shows this token, and no reading of it is the row's, the organisation's or a listed address.
      if (header && !known) {
        const shortest = readings.at(-1) ?? token.address;
        add(strangersAt, where, normalise(shortest), shortest);
      }
    }
  }
  const placeName = (where: string) => (where.startsWith('header:') ? `The ${where.slice('header:'.length)} header` : `The ${where} body`);
  for (const [where, leaked] of leakedAt) {
    problems.push({
      code: 'other-recipient',
      message: `${placeName(where)} contains ${leaked.size === 1 ? 'the address of another recipient' : `${leaked.size} addresses of other recipients`}`,
      addresses: [...leaked.values()],
      where,
    });
  }
  for (const [where, strangers] of strangersAt) {
    problems.push({
      code: 'stranger',
      message: `${placeName(where)} shows ${strangers.size === 1 ? 'an address' : `${strangers.size} addresses`} that ${strangers.size === 1 ? 'is' : 'are'} neither this recipient's nor the organisation's (sender, reply-to, archive, sending domains)`,
      addresses: [...strangers.values()],
      where,
    });
  }
  return problems;
}

/**
 * Every form a reader can see: decoded headers (and the parsed display names), the HTML body's
 * source with references revealed, its visible text and link targets as a browser reads them,
 * and the text body. Kept per parsed message: the audit looks at one message twice (first for
 * candidates, then for the list's answer), and reading a large HTML body is the costly part.
 */
interface Places {
  places: readonly [where: string, text: string][];
  /** Why part of what the message shows cannot be read, each a sentence that says how to fix it. */
  unreadable: readonly string[];
}

const placesCache = new WeakMap<ParsedMessage, Places>();

function placesOf(parsed: ParsedMessage): Places {
  const cached = placesCache.get(parsed);
  if (cached) return cached;
  const places: [where: string, text: string][] = [];
  const unreadable: string[] = [];
  for (const [name, value] of parsed.headers) for (const form of decodedForms(value)) places.push([`header:${name}`, form]);
  for (const [field, entries] of [['To', parsed.to], ['Cc', parsed.cc], ['Bcc', parsed.bcc], ['Reply-To', parsed.replyTo], ['From', parsed.from ? [parsed.from] : []]] as const) {
    for (const entry of entries) places.push([`header:${field}`, `${decodeHeaderValue(entry.name)} <${entry.address}>`]);
  }
  if (parsed.html !== undefined) {
    places.push(['html', revealAddresses(parsed.html)]);
    const read = readHtml(parsed.html, { locations: false });
    for (const reading of read.readings) for (const form of decodedForms(reading.text)) places.push(['html', form]);
    // Text CSS adds is shown next to elements a selector picks; the audit does not place it. Marks
    // and spaces are harmless; anything that can be part of an address cannot be audited.
    for (const shown of read.cssText) {
      for (const form of decodedForms(shown.text)) places.push(['html', form]);
      if (shown.fromAttributes) unreadable.push('The html body shows text that CSS takes from attributes (`content: attr(…)`), which the audit cannot read; write the text into the HTML');
      else if (ADDRESS_CHARACTERS.test(shown.text)) unreadable.push('The html body shows text written in CSS (`content`, `quotes`, list markers or `text-overflow` strings with letters, digits or `@`), which the audit cannot place; write the text into the HTML');
    }
    if (read.styleSheetOverride) unreadable.push('The html body has a style sheet that forces the display order of characters (`unicode-bidi: bidi-override`), which the audit cannot place; use `dir` or `<bdo>` on the elements instead');
  }
  if (parsed.text !== undefined) for (const form of decodedForms(parsed.text)) places.push(['text', form]);
  const result = { places, unreadable: [...new Set(unreadable)] };
  placesCache.set(parsed, result);
  return result;
}

const ADDRESS_CHARACTERS = /[\p{L}\p{N}@]/u;
