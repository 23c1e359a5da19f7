/**
 * Address-like tokens in free text (headers, bodies), for leak checks and masking.
 * This is a scanner, not a validator: it errs on the side of finding more.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import bidiModule from 'bidi-js';
import { normalizeEmail } from '../approval/identity.js';
import { scanAddresses } from '../core/address.js';
import type { AddressScan } from '../core/address.js';

export interface AddressToken {
  address: string;
  /** UTF-16 offset in the scanned text. */
  index: number;
}

// Found from each `@` outwards (scanAddresses: linear, local part ≤ 64, domain ≤ 255): a
// regular expression retried from every character took minutes on a long run of letters.
export const TOKEN_LOCAL = /^[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]$/u;
// The same class below 128 (\p{L} and \p{N} there are the ASCII letters and digits), without
// compiling the Unicode class at start-up (≈ 2.5 ms); a unit test holds the two equal.
export const ASCII_TOKEN_LOCAL = Array.from({ length: 128 }, (_, code) => /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]$/.test(String.fromCharCode(code)));
const TOKEN_SCAN: AddressScan = {
  isLocal: (codePoint) => (codePoint < 128 ? ASCII_TOKEN_LOCAL[codePoint] === true : TOKEN_LOCAL.test(String.fromCodePoint(codePoint))),
  // Neither starting nor ending with a dot.
  localStart(text, start, at) {
    if (text.charCodeAt(at - 1) === 0x2e) return at;
    while (start < at && text.charCodeAt(start) === 0x2e) start++;
    return start;
  },
  domain: /^@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+/u,
};

/**
 * Addresses hidden behind common encodings in HTML and URLs: `&#64;`, `&#x40;`,
 * `&commat;`, `%40` for "@" and `&#46;`, `%2E` for ".". Each replacement is one
 * character for several, so offsets found in the revealed text are not source offsets.
 */
export function revealAddresses(text: string): string {
  return text.replace(/&#0*64;|&#x0*40;|&commat;|%40/gi, '@').replace(/&#0*46;|&#x0*2e;|&period;|%2e/gi, '.');
}

/** Runs of percent-escapes decoded where they are valid UTF-8 (`ann%40example.com`), left as written where not. */
export function percentDecode(text: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/**
 * The forms of a text an address scan reads: as given, with HTML-style references and
 * percent-escapes for `@` and `.` revealed, and percent-decoded (link targets). Each form is
 * scanned; duplicates are dropped.
 */
export function decodedForms(text: string): string[] {
  // Characters no reader sees (soft hyphen, zero-width space and joiners, word joiner, BOM, …)
  // split nothing for the reader: `bo&shy;@example.org` shows `bo@example.org`.
  const visible = text.replace(INVISIBLE, '');
  const forms = visible === text ? [text] : [text, visible];
  // Text in display order, for either paragraph direction: `\u202egro.elpmaxe@ob\u202c` shows `bo@example.org`.
  for (const form of displayOrders(text)) {
    const shown = form.replace(INVISIBLE, '');
    if (!forms.includes(shown)) forms.push(shown);
  }
  // A quoted local part (`"bo"@example.org`, RFC 5321) is the mailbox without quotes when none are needed.
  if (text.includes('"@')) {
    const unquoted = visible.replace(QUOTED_LOCAL, (_, local: string) => `${local.replace(/\\(.)/g, '$1')}@`);
    if (!forms.includes(unquoted)) forms.push(unquoted);
  }
  for (const form of [...forms]) {
    const revealed = revealAddresses(form);
    if (!forms.includes(revealed)) forms.push(revealed);
    if (form.includes('%')) {
      const decoded = percentDecode(form);
      if (!forms.includes(decoded)) forms.push(decoded);
    }
  }
  return forms;
}

const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
// At most 64 characters between the quotes (a local part's limit): bounded work from each quote.
const QUOTED_LOCAL = /"((?:[^"\\\r\n]|\\[^\r\n]){1,64})"@/g;

/**
 * Characters that can make display order differ from the order in the text: the explicit
 * controls and marks, and right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko, …).
 */
const REORDERING = /[\p{Bidi_Control}\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;

type BidiFactory = typeof bidiModule.default;
// bidi-js is CommonJS whose typings say `export default`: Node hands over the function itself,
// the typings a namespace holding it.
const bidiFactory: BidiFactory = typeof (bidiModule as unknown) === 'function' ? (bidiModule as unknown as BidiFactory) : bidiModule.default;
let bidi: ReturnType<BidiFactory> | undefined;

/**
 * The text as a mail client lays it out, left to right, for a left-to-right and a right-to-left
 * paragraph (the audit does not know which the client picks), by the Unicode Bidirectional
 * Algorithm (bidi-js). Empty when nothing in the text can reorder it, which is almost always.
 */
export function displayOrders(text: string): string[] {
  if (!REORDERING.test(text)) return [];
  bidi ??= bidiFactory();
  const orders: string[] = [];
  for (const direction of ['ltr', 'rtl'] as const) {
    const levels = bidi.getEmbeddingLevels(text, direction);
    const characters = text.split('');
    for (const [start = 0, end = -1] of bidi.getReorderSegments(text, levels)) {
      const segment = characters.slice(start, end + 1).reverse();
      characters.splice(start, segment.length, ...segment);
    }
    // Reversal is by UTF-16 unit; put surrogate pairs back in order.
    orders.push(characters.join('').replace(/([\udc00-\udfff])([\ud800-\udbff])/g, '$2$1'));
  }
  return orders;
}

/**
 * The other ways a mail system may write the same mailbox as a normalised address, for leak
 * look-ups: the identity model's reading (`normalizeEmail`: a quoted local part, a sub-address
 * `+tag`, which every large provider delivers to the base mailbox, a trailing dot), each with
 * its domain in the ASCII (`xn--`) and the Unicode form. The address itself comes first.
 */
export function mailboxVariants(address: string): string[] {
  const variants = [address];
  const add = (variant: string) => {
    if (!variants.includes(variant)) variants.push(variant);
  };
  for (const mailbox of [address, normalizeEmail(address)]) {
    const at = mailbox.lastIndexOf('@');
    if (at <= 0) continue;
    const local = mailbox.slice(0, at);
    const domain = mailbox.slice(at + 1);
    add(mailbox);
    for (const form of [domainToASCII(domain), domainToUnicode(domain)]) if (form !== '') add(`${local}@${form.toLowerCase()}`);
  }
  return variants;
}

export function findAddressTokens(text: string): AddressToken[] {
  const tokens: AddressToken[] = [];
  for (const { start, end } of scanAddresses(text, TOKEN_SCAN)) tokens.push({ address: text.slice(start, end), index: start });
  return tokens;
}

/** Comparison key by the default of docs/rules/recipient-duplicate.md: trimmed, case-insensitive local part and domain. */
export function defaultNormaliseAddress(address: string): string {
  return address.trim().toLowerCase();
}

/**
 * A token and its shorter readings: in `?ref=jane@example.com` the scanner sees
 * `?ref=jane@example.com` (those characters are legal in a local part), but a leak
 * check must also try `ref=jane@example.com` and `jane@example.com`. Cuts are made
 * after URL-ish punctuation, never after `.`, `-`, `_` or `+`.
 */
export function addressReadings(token: string): string[] {
  const at = token.lastIndexOf('@');
  const readings = [token];
  for (let index = 0; index < at; index++) {
    if ("!#$%&'*/=?^`{|}~".includes(token[index] ?? '') && index + 1 < at) readings.push(token.slice(index + 1));
  }
  return readings;
}
