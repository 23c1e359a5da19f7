/**
 * Address-like tokens in free text (headers, bodies), for leak checks and masking.
 * This is a scanner, not a validator: it errs on the side of finding more.
 */
import { scanAddresses } from '../core/address.js';
import type { AddressScan } from '../core/address.js';

export interface AddressToken {
  address: string;
  /** UTF-16 offset in the scanned text. */
  index: number;
}

// Found from each `@` outwards (scanAddresses: linear, local part ≤ 64, domain ≤ 255): a
// regular expression retried from every character took minutes on a long run of letters.
const TOKEN_LOCAL = /^[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]$/u;
const ASCII_TOKEN_LOCAL = Array.from({ length: 128 }, (_, code) => TOKEN_LOCAL.test(String.fromCharCode(code)));
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
