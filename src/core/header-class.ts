/**
 * The classes of the recipient surface and the header-name classifier, shared by the campaign model
 * (src/core/envelope.ts) and the sending-platform payload model (src/payloads). Free of runtime
 * dependencies, so that the guard for sending code can use it.
 */
export type HeaderClass = 'to' | 'from' | 'sender' | 'reply-to' | 'bcc' | 'cc' | 'resent' | 'recipient' | 'other';

/** The locked rule that owns each class. */
export const CLASS_OWNER: Readonly<Record<HeaderClass, string>> = {
  to: 'single-recipient-to',
  from: 'sender-address',
  sender: 'sender-address',
  'reply-to': 'sender-address',
  bcc: 'no-bulk-bcc',
  cc: 'no-cc',
  resent: 'no-cc',
  recipient: 'no-cc',
  other: 'header-injection',
};

/** Classes whose entries are address headers (everything but `other`). */
export const ADDRESS_CLASSES: ReadonlySet<HeaderClass> = new Set(['to', 'from', 'sender', 'reply-to', 'bcc', 'cc', 'resent', 'recipient']);

/** Lower case without `-`, `_`, spaces and dots: `Reply-To`, `reply_to` and `replyTo` are one key. */
export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[\s_.-]+/g, '');
}

export const CANONICAL: Readonly<Record<string, [HeaderClass, string]>> = {
  to: ['to', 'To'],
  cc: ['cc', 'Cc'],
  bcc: ['bcc', 'Bcc'],
  from: ['from', 'From'],
  sender: ['sender', 'Sender'],
  replyto: ['reply-to', 'Reply-To'],
  subject: ['other', 'Subject'],
};

/** Headers that carry addresses and that no campaign may set. */
export const RECIPIENT_HEADERS: ReadonlySet<string> = new Set([
  'returnreceiptto',
  'dispositionnotificationto',
  'mailfollowupto',
  'mailreplyto',
  'errorsto',
  'apparentlyto',
  'xapparentlyto',
  'xoriginalto',
  'deliveredto',
  'envelopeto',
  'xenvelopeto',
  'xforwardedto',
  'xrcptto',
  'returnpath',
  'originalrecipient',
  'finalrecipient',
  'xoriginalrecipient',
  'followupto',
  'envelope',
]);

/** Words of a header or key name: `X-Original-To`, `x_original_to` and `xOriginalTo` give x, original, to. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.-]+/)
    .filter((word) => word !== '');
}

/** The class of a header name (any case or spelling), and its canonical spelling. */
export function classifyHeader(name: string): { cls: HeaderClass; header: string } {
  const key = normaliseKey(name);
  const known = CANONICAL[key];
  if (known) return { cls: known[0], header: known[1] };
  const parts = words(name);
  const canonical = parts.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('-');
  if (parts[0] === 'resent' || key.startsWith('resent')) return { cls: 'resent', header: canonical };
  if (RECIPIENT_HEADERS.has(key)) return { cls: 'recipient', header: canonical };
  const last = parts[parts.length - 1] ?? '';
  // Any other `…-To`, `…-Cc`, `…-Bcc` header, or one naming recipients, carries addresses. In-Reply-To holds message ids.
  if (key !== 'inreplyto' && (last === 'to' || last === 'cc' || last === 'bcc')) return { cls: 'recipient', header: canonical };
  if (parts.some((word) => word === 'recipient' || word === 'recipients' || word === 'rcpt')) return { cls: 'recipient', header: canonical };
  return { cls: 'other', header: name };
}
