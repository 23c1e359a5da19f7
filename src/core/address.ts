/**
 * Email address helpers shared by the recipient rules: validity, the comparison form, masking
 * for output, role mailboxes, and finding addresses in text.
 *
 * One grammar for a recipient's address, the one the composer sends unchanged: a dot-atom
 * local part (no leading, trailing or doubled dot: nodemailer would quote `a..b` and send
 * `"a..b"@…`), `@`, a domain of LDH labels, RFC 5321 lengths. A value is trimmed of ASCII
 * spaces and tabs only (`trimAddress`), as a spreadsheet pads cells; any other space around it
 * (U+00A0, U+3000, U+2028, U+FEFF…) is part of the value, which is then invalid.
 */

/** Characters trimmed from a recipient's value: ASCII space and tab only. */
export function isAddressPadding(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * A recipient's value without surrounding ASCII spaces and tabs: every rule, the report and the
 * composer's caller trim with this one function, so none accepts what another reads as invalid.
 */
export function trimAddress(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isAddressPadding(value.charCodeAt(start))) start++;
  while (end > start && isAddressPadding(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

export interface NormalizeOptions {
  /** Compare local parts case-sensitively (config `recipients.case_sensitive_local_part`). */
  caseSensitiveLocalPart?: boolean;
}

/**
 * The form addresses are compared in (duplicates, suppression, leaks): trimmed (`trimAddress`),
 * domain lower-cased, local part lower-cased unless `caseSensitiveLocalPart`. The split is at
 * the last `@`; a value without `@` is treated as a local part only.
 */
export function normalizeAddress(address: string, options: NormalizeOptions = {}): string {
  const trimmed = trimAddress(address);
  if (options.caseSensitiveLocalPart !== true) return trimmed.toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at === -1) return trimmed;
  return trimmed.slice(0, at + 1) + trimmed.slice(at + 1).toLowerCase();
}

/**
 * WHATWG HTML "valid e-mail address" (the grammar of `<input type=email>`) with an RFC 5322
 * dot-atom local part: ASCII-only, single-label domains allowed, no quoted local parts, and dots
 * only between atoms (WHATWG allows `a..b` and `.a`, which the composer would send quoted).
 */
const WHATWG_EMAIL = /^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+)*@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** RFC 5321 §4.5.3.1: local part ≤ 64 octets, path ≤ 256 octets, so an address ≤ 254. */
export const MAX_LOCAL_PART_OCTETS = 64;
export const MAX_ADDRESS_OCTETS = 254;

/**
 * True when `address` is a valid e-mail address: the WHATWG grammar plus RFC 5321 length limits.
 * The value is checked as given; callers decide whether surrounding whitespace is tolerated.
 * (The grammar is ASCII-only, so characters and octets are the same here.)
 */
export function isValidAddress(address: string): boolean {
  if (address.length > MAX_ADDRESS_OCTETS) return false;
  if (!WHATWG_EMAIL.test(address)) return false;
  return address.indexOf('@') <= MAX_LOCAL_PART_OCTETS;
}

// Byte classes of the WHATWG grammar, for isValidAddressBytes.
const LOCAL_PART = 1;
const LETTER_OR_DIGIT = 2;
const HYPHEN = 4;
const DOT = 8;
const BYTE_CLASSES = new Uint8Array(256).map((_, code) => {
  const char = String.fromCharCode(code);
  return (
    (/^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]$/.test(char) ? LOCAL_PART : 0) |
    (/^[a-zA-Z0-9]$/.test(char) ? LETTER_OR_DIGIT : 0) |
    (char === '-' ? HYPHEN : 0) |
    (char === '.' ? DOT : 0)
  );
});
const AT_SIGN = 0x40;
const MAX_LABEL_OCTETS = 63;

/**
 * `isValidAddress` for an address given as its first `length` bytes (an `AddressEncoder`'s
 * ASCII form): the same grammar and limits, decided in one walk over bytes. The recipient pass
 * checks a million addresses it has already encoded this way, and the walk over bytes measured
 * ≈ 3× faster than the regular expression on the field strings. A byte over 0x7F is invalid,
 * as in the grammar; a property test (test/fuzz/properties.test.ts) checks both agree.
 */
export function isValidAddressBytes(bytes: Uint8Array, length: number): boolean {
  if (length > MAX_ADDRESS_OCTETS) return false;
  let at = 0;
  // Dot-atom: a dot only after an atom character, and the local part ends with one.
  let afterDot = true;
  for (; at < length; at++) {
    const byteClass = BYTE_CLASSES[bytes[at] ?? 0] ?? 0;
    if ((byteClass & LOCAL_PART) === 0) break;
    if (byteClass & DOT) {
      if (afterDot) return false;
      afterDot = true;
    } else afterDot = false;
  }
  if (at === 0 || afterDot || at > MAX_LOCAL_PART_OCTETS || at >= length || bytes[at] !== AT_SIGN) return false;
  // Labels: 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.
  let labelLength = 0;
  let endsWithLetterOrDigit = false;
  for (let index = at + 1; index < length; index++) {
    const byteClass = BYTE_CLASSES[bytes[index] ?? 0] ?? 0;
    if (byteClass & LETTER_OR_DIGIT) {
      endsWithLetterOrDigit = true;
    } else if (byteClass & HYPHEN) {
      if (labelLength === 0) return false;
      endsWithLetterOrDigit = false;
    } else if (byteClass & DOT) {
      if (!endsWithLetterOrDigit) return false;
      labelLength = 0;
      endsWithLetterOrDigit = false;
      continue;
    } else {
      return false;
    }
    if (++labelLength > MAX_LABEL_OCTETS) return false;
  }
  return endsWithLetterOrDigit;
}

const MASK = '***';

/** First code point (not a lone surrogate half), so emoji and astral letters stay whole. */
function firstCharacter(value: string): string {
  const code = value.codePointAt(0);
  return code === undefined ? '' : String.fromCodePoint(code);
}

/**
 * `jane@example.com` → `j***@example.com`: the first character of the local part and the
 * domain, never the length. A value without `@` is masked like any other cell.
 */
export function maskAddress(address: string): string {
  const trimmed = trimAddress(address);
  const at = trimmed.lastIndexOf('@');
  if (at === -1) return maskValue(trimmed);
  return `${firstCharacter(trimmed.slice(0, at))}${MASK}${trimmed.slice(at)}`;
}

/** Any non-address cell: its first character and `***` (never the length); empty stays empty. */
export function maskValue(value: string): string {
  if (value === '') return '';
  return `${firstCharacter(value)}${MASK}`;
}

/**
 * Role mailboxes that do not belong to one person. RFC 2142 §3–§5 (info, marketing, sales,
 * support, abuse, noc, security, postmaster, hostmaster, usenet, news, webmaster, www, uucp,
 * ftp), plus the ones mail systems and teams commonly use: no-reply variants, admin, root,
 * mailer-daemon, billing, contact, help and a few office aliases.
 */
export const ROLE_MAILBOXES: ReadonlySet<string> = new Set([
  // RFC 2142
  'info',
  'marketing',
  'sales',
  'support',
  'abuse',
  'noc',
  'security',
  'postmaster',
  'hostmaster',
  'usenet',
  'news',
  'webmaster',
  'www',
  'uucp',
  'ftp',
  // common practice
  'admin',
  'administrator',
  'root',
  'mailer-daemon',
  'noreply',
  'no-reply',
  'no_reply',
  'donotreply',
  'do-not-reply',
  'do_not_reply',
  'bounce',
  'bounces',
  'billing',
  'contact',
  'help',
  'helpdesk',
  'office',
  'enquiries',
  'inquiries',
  'privacy',
  'legal',
  'compliance',
  'hr',
  'jobs',
  'careers',
  'press',
  'team',
]);

/** True for a role mailbox, ignoring case and a `+tag` subaddress (`Info+news@…` is a role). */
export function isRoleAddress(address: string): boolean {
  const trimmed = trimAddress(address);
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return false;
  let local = trimmed.slice(0, at).toLowerCase();
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  return ROLE_MAILBOXES.has(local);
}

export interface FoundAddress {
  /** The address as written in the text. */
  address: string;
  /** UTF-16 offset of its first character in the text. */
  index: number;
}

/** RFC 1035 / RFC 5321: a domain is at most 255 octets. */
export const MAX_DOMAIN_OCTETS = 255;

export interface AddressScan {
  /** True when the code point may be part of a local part. */
  isLocal(codePoint: number): boolean;
  /** Matches `@domain` at the start of the text it is given (anchored with `^`, not global). */
  domain: RegExp;
  /** Where the local part really starts, given the run of local characters from `start` to `at`; `at` rejects the candidate. */
  localStart?(text: string, start: number, at: number): number;
}

/**
 * Address candidates in `text`, found from each `@` outwards: the local part is the run of
 * `isLocal` characters before it (at most MAX_LOCAL_PART_OCTETS code units, and never reaching
 * back into the previous candidate), the domain what `scan.domain` matches in at most
 * MAX_DOMAIN_OCTETS characters after it. Each `@` costs a bounded amount of work, so the scan is
 * linear in the text whatever it holds: a regular expression that starts a match at every
 * character of a long run of letters and then looks for `@` takes time quadratic in the run
 * (a 1 MB body without `@` took minutes).
 */
export function scanAddresses(text: string, scan: AddressScan): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  let lastEnd = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', Math.max(at + 1, lastEnd))) {
    const floor = Math.max(lastEnd, at - MAX_LOCAL_PART_OCTETS);
    let start = at;
    while (start > floor) {
      const low = text.charCodeAt(start - 1);
      // A surrogate pair is one code point (an astral letter in a Unicode local part).
      const isPair = low >= 0xdc00 && low <= 0xdfff && start - 2 >= floor && (text.charCodeAt(start - 2) & 0xfc00) === 0xd800;
      const codePoint = isPair ? (text.codePointAt(start - 2) ?? 0) : low;
      if (!scan.isLocal(codePoint)) break;
      start -= isPair ? 2 : 1;
    }
    if (scan.localStart) start = scan.localStart(text, start, at);
    if (start >= at) continue;
    const domain = scan.domain.exec(text.slice(at, at + 1 + MAX_DOMAIN_OCTETS));
    if (domain === null) continue;
    lastEnd = at + domain[0].length;
    found.push({ start, end: lastEnd });
  }
  return found;
}

const ASCII_LOCAL: AddressScan['isLocal'] = (code) => code < 0x80 && ((BYTE_CLASSES[code] ?? 0) & LOCAL_PART) !== 0;
// The local part uses the WHATWG character set; the domain needs a dot, which keeps
// template placeholders and `user@localhost`-like noise out of leak findings.
const ASCII_SCAN: AddressScan = {
  isLocal: ASCII_LOCAL,
  domain: /^@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+/,
};
// Characters that are legal in a local part but in text usually belong to the markup in front
// of an address (`href=jane@…`, `Cc=…`, `{{x}}`): the address is taken after the last of them.
// Quotes only count at the start, so `o'brien@example.com` stays whole. An address whose local
// part really contains `= / { } |` is found by its tail: a leak check then misses it rather
// than flagging markup. (Applied to local parts of at most 64 characters.)
const MARKUP_IN_LOCAL_PART = /^.*[=/{}|]/;
const LEADING_QUOTES_OR_DOTS = /^['`.]+/;

/**
 * Addresses written in `text` (templates, campaign files), with their UTF-16 offsets. Linear
 * in the text (see scanAddresses); a local part longer than 64 characters is read as its last 64.
 */
export function findAddresses(text: string): FoundAddress[] {
  const found: FoundAddress[] = [];
  for (const span of scanAddresses(text, ASCII_SCAN)) {
    const candidate = text.slice(span.start, span.end);
    const at = candidate.lastIndexOf('@');
    let start = MARKUP_IN_LOCAL_PART.exec(candidate.slice(0, at))?.[0].length ?? 0;
    start += LEADING_QUOTES_OR_DOTS.exec(candidate.slice(start, at))?.[0].length ?? 0;
    if (start >= at) continue;
    found.push({ address: candidate.slice(start), index: span.start + start });
  }
  return found;
}

/**
 * White space as `String.prototype.trim` sees it (which includes U+00A0 and U+FEFF), plus the
 * zero-width space, non-joiner, joiner and word joiner that it keeps. For entries of lists that
 * say whom not to mail (suppression lists) and who someone is (approvals), read generously on
 * purpose: a wider reading there can only suppress more. A recipient's value is `trimAddress`'s.
 */
function isEntrySpace(code: number): boolean {
  if (code <= 0x20) return true;
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200d) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x2060 ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Trimmed of the spaces `isEntrySpace` knows (a walk from each end: linear in any cell). */
export function trimEntry(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isEntrySpace(value.charCodeAt(start))) start++;
  while (end > start && isEntrySpace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

const MAILTO = 'mailto:';

/**
 * The address an entry holds: `addr`, `<addr>`, `Name <addr>`, `"Name" <addr>` (the address
 * in the last angle brackets), `mailto:addr` (scheme in any case, `?query` dropped, `%xx`
 * decoded), trimmed of spaces including non-breaking and zero-width ones. Anything else comes
 * back trimmed, as written, for the caller to find invalid. Suppression lists read entries with it, and
 * read them back with it (`ListSource.cellValue`); approval identities use it too, so
 * `Name <addr>` and `mailto:` mean the same person everywhere.
 */
export function extractAddress(cell: string): string {
  let value = trimEntry(cell);
  if (value.charCodeAt(value.length - 1) === 0x3e /* > */) {
    const open = value.lastIndexOf('<');
    if (open !== -1) value = trimEntry(value.slice(open + 1, -1));
  }
  if (value.length > MAILTO.length && value.charCodeAt(MAILTO.length - 1) === 0x3a /* : */ && value.slice(0, MAILTO.length).toLowerCase() === MAILTO) {
    value = value.slice(MAILTO.length);
    const query = value.indexOf('?');
    if (query !== -1) value = value.slice(0, query);
    if (value.includes('%')) {
      try {
        value = decodeURIComponent(value);
      } catch {
        // Not valid percent-encoding: kept as written, and found invalid.
      }
    }
    value = trimEntry(value);
  }
  return value;
}
