/**
 * The rendered-message audit: judges a parsed message (and its SMTP envelope)
 * against the one-recipient rule. Problems are data; their messages carry no
 * address, so callers mask `addresses` before printing them.
 */
import { addressReadings, defaultNormaliseAddress, findAddressTokens, revealAddresses } from './addresses.js';
import type { MessageEnvelope } from './compose.js';
import type { ParsedMessage } from './parse.js';

export type RenderedProblemCode = 'to-count' | 'to-mismatch' | 'cc' | 'bcc-header' | 'bcc-envelope' | 'other-recipient';

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
  /** Comparison key for addresses; defaults to trimmed and lower-cased. */
  normalise?: (address: string) => string;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 'es'}`;
}

export function auditRenderedMessage(parsed: ParsedMessage, envelope: MessageEnvelope, options: AuditOptions): RenderedProblem[] {
  const normalise = options.normalise ?? defaultNormaliseAddress;
  const expected = normalise(options.expectedTo);
  const archive = new Set(options.archiveAddresses.map(normalise));
  const problems: RenderedProblem[] = [];

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

  const places: [where: string, text: string][] = [
    ...parsed.headers.map(([name, value]): [string, string] => [`header:${name}`, value]),
    ...(parsed.html !== undefined ? [['html', revealAddresses(parsed.html)] as [string, string]] : []),
    ...(parsed.text !== undefined ? [['text', revealAddresses(parsed.text)] as [string, string]] : []),
  ];
  for (const [where, text] of places) {
    const leaked = new Map<string, string>();
    for (const token of findAddressTokens(text)) {
      for (const reading of addressReadings(token.address)) {
        const key = normalise(reading);
        if (key !== expected && !leaked.has(key) && options.otherRecipients(key)) leaked.set(key, reading);
      }
    }
    if (leaked.size > 0) {
      problems.push({
        code: 'other-recipient',
        message: `${where.startsWith('header:') ? `The ${where.slice('header:'.length)} header` : `The ${where} body`} contains ${leaked.size === 1 ? 'the address of another recipient' : `${leaked.size} addresses of other recipients`}`,
        addresses: [...leaked.values()],
        where,
      });
    }
  }
  return problems;
}
