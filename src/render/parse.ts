/**
 * Reads a composed message back with an independent MIME parser (postal-mime), so
 * the audit judges what a mail client would show, not what we meant to build.
 */
import PostalMime, { decodeWords } from 'postal-mime';
import type { Address } from 'postal-mime';
import type { MessageAddress } from './compose.js';

export interface ParsedMessage {
  from?: MessageAddress;
  to: MessageAddress[];
  cc: MessageAddress[];
  bcc: MessageAddress[];
  replyTo: MessageAddress[];
  /** Every header in order, names as written, values unfolded and with encoded words decoded. */
  headers: [name: string, value: string][];
  subject: string;
  html?: string;
  text?: string;
}

/**
 * Encoded words decoded, again while the result still holds one: a value that was itself an
 * encoded word (`=?utf-8?Q?…?=` in a subject) is encoded once more by the composer, and a
 * client that decodes twice shows what it hides. Bounded: at most three passes.
 */
export function decodeHeaderValue(value: string): string {
  let decoded = decodeWords(value);
  for (let pass = 1; pass < 3 && decoded.includes('=?'); pass++) {
    const again = decodeWords(decoded);
    if (again === decoded) break;
    decoded = again;
  }
  return decoded;
}

function flatten(addresses: Address[] | undefined): MessageAddress[] {
  return (addresses ?? []).flatMap((entry) =>
    entry.group === undefined ? [{ name: entry.name, address: entry.address }] : entry.group.map(({ name, address }) => ({ name, address })),
  );
}

export async function parseRenderedMessage(raw: string | Uint8Array): Promise<ParsedMessage> {
  const email = await PostalMime.parse(raw);
  const from = flatten(email.from ? [email.from] : undefined)[0];
  return {
    ...(from ? { from } : {}),
    to: flatten(email.to),
    cc: flatten(email.cc),
    bcc: flatten(email.bcc),
    replyTo: flatten(email.replyTo),
    headers: email.headers.map((header) => [header.originalKey, decodeHeaderValue(header.value)]),
    subject: email.subject ?? '',
    ...(email.html !== undefined ? { html: email.html } : {}),
    ...(email.text !== undefined ? { text: email.text } : {}),
  };
}
