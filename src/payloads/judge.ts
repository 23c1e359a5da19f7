/**
 * The locked visibility rules' verdict on a payload's messages. Each finding belongs to the rule
 * that owns its class (CLASS_OWNER: single-recipient-to, no-cc, no-bulk-bcc, sender-address,
 * header-injection); the rules report them in `campaign-lint` (src/payloads/report.ts) and the
 * guard throws them (src/guard). One verdict, two places: there is no second set of checks.
 * Dependency-light: nodemailer's address parser is the only import outside this project.
 */
import addressparser from 'nodemailer/lib/addressparser';
import { CLASS_OWNER, classifyHeader } from '../core/header-class.js';
import type { SourceLocation } from '../core/types.js';
import type { PayloadField, PayloadFormat, PayloadMessage, PayloadModel } from './model.js';
import { PLATFORM_NAMES } from './model.js';

/** Messages each locked rule carries for payloads (spread into its `meta.messages`). */
export const PAYLOAD_MESSAGES = {
  'single-recipient-to': {
    payloadManyTo: '`{{field}}` sends one {{platform}} message to {{count}} addresses: every recipient would see every other address. {{fix}}',
    payloadNoTo: '{{platform}} message `{{message}}` has no To address: each message must go to exactly one recipient',
    payloadDuplicateKey: '`{{field}}` is written twice in one object: {{platform}} takes the last, a reviewer reads the first. Keep one',
    payloadUnknown: '{{label}} {{reason}}: its recipients cannot be checked',
    payloadNameAddress: '`{{field}}` has a display name holding {{what}}: every recipient is shown it as a name. Remove it from the name',
  },
  'no-cc': {
    payloadCc: '`{{field}}` adds {{count}} Cc recipient(s) to the {{platform}} message{{every}}: every recipient would see them. Remove it',
    payloadRecipientHeader: '`{{field}}` sets {{header}}, which mails or names addresses that no header of the message shows to its recipient. Remove it',
    payloadDuplicateKey: '`{{field}}` is written twice in one object: {{platform}} takes the last, a reviewer reads the first. Keep one',
  },
  'no-bulk-bcc': {
    payloadNotArchive: '`{{field}}` address {{address}} is not a configured archive address (organization.archive_addresses){{every}}',
    payloadDuplicateKey: '`{{field}}` is written twice in one object: {{platform}} takes the last, a reviewer reads the first. Keep one',
  },
  'sender-address': {
    payloadMissingFrom: '{{platform}} message `{{message}}` has no From address: a message needs one constant sender',
    payloadNameAddress: '`{{field}}` has a display name holding {{what}}: every recipient is shown it as a name. Remove it from the name',
    payloadNotOne: '`{{field}}` yields {{count}} addresses: {{header}} must be exactly one address, or Reply-All and replies reach every one of them',
    payloadDuplicateKey: '`{{field}}` is written twice in one object: {{platform}} takes the last, a reviewer reads the first. Keep one',
  },
  'header-injection': {
    payloadLineBreak: '`{{field}}` contains a line break: in a header it would start a new header line (header injection)',
    payloadLineBreakInName: 'header name `{{field}}` contains a line break',
  },
} as const;

export type PayloadRuleId = keyof typeof PAYLOAD_MESSAGES;

export interface PayloadFinding {
  rule: PayloadRuleId;
  messageId: string;
  data: Record<string, string | number>;
  loc: SourceLocation;
}

export interface JudgePolicy {
  /** organization.archive_addresses: the only Bcc allowed. */
  archiveAddresses: readonly string[];
}

const FIX: Readonly<Record<PayloadFormat, string>> = {
  sendgrid: 'Give each recipient a `personalizations` entry of their own',
  mailgun: 'Add `recipient-variables` so that Mailgun sends one message per `to` address',
  mandrill: 'Set `preserve_recipients: false` so that Mandrill sends one message per recipient',
  ses: 'Send one SendEmail per recipient, or one `BulkEmailEntries` entry per recipient',
  postmark: 'Send one message per recipient (the batch endpoint takes many messages)',
  nodemailer: 'Call sendMail once per recipient',
};

// One plain address, or `Display Name <address>` whose name has no special character: what the
// address parser would read as exactly that one mailbox, without running it (the guard's hot path).
const PLAIN = /^\s*[^\s<>,;:"()[\]\\@]+@[^\s<>,;:"()[\]\\@]+\s*$/;
const NAMED = /^[^<>,;:"()[\]\\@=]*<\s*([^\s<>,;:"()[\]\\@]+@[^\s<>,;:"()[\]\\@]+)\s*>\s*$/;

/** Addresses of one value as a composer reads it: an `email`/`address` member is one; a header value is parsed as an address list. */
export function addressesOf(field: PayloadField): { address: string; loc: SourceLocation }[] {
  const out: { address: string; loc: SourceLocation }[] = [];
  for (const value of field.values) {
    if (value.role === 'name') continue;
    if (value.role === 'address') {
      out.push({ address: value.text.trim(), loc: value.loc });
      continue;
    }
    if (PLAIN.test(value.text)) {
      out.push({ address: value.text.trim(), loc: value.loc });
      continue;
    }
    const named = NAMED.exec(value.text);
    if (named?.[1] !== undefined) {
      out.push({ address: named[1], loc: value.loc });
      continue;
    }
    const parsed = addressparser(value.text, { flatten: true });
    for (const mailbox of parsed) {
      const address = mailbox.address.trim() !== '' ? mailbox.address.trim() : mailbox.name.trim();
      if (address !== '') out.push({ address, loc: value.loc });
    }
    // A value the parser reads as nothing (`undisclosed-recipients:;`) still is a value.
    if (parsed.length === 0 && value.text.trim() !== '' && !/^[^:]*:\s*;$/.test(value.text.trim())) out.push({ address: value.text.trim(), loc: value.loc });
  }
  return out;
}

/**
 * What a display name of an address field shows that a name must not: an address (`Bo,
 * bo@example.org` as a name) or an encoded word a mail client decodes into one. Names come from
 * `name` members and from the names the address parser reads in a header value.
 */
function nameProblem(field: PayloadField): string | undefined {
  for (const value of field.values) {
    if (value.role === 'address' || (value.role === 'value' && (PLAIN.test(value.text) || NAMED.test(value.text)))) continue;
    const names = value.role === 'name' ? [value.text] : addressparser(value.text, { flatten: true }).map((mailbox) => mailbox.name);
    for (const name of names) {
      if (name.includes('@')) return 'an `@`';
      if (/=\?[^?]*\?[bq]\?/i.test(name)) return 'an encoded word (`=?charset?B?…?=`)';
    }
  }
  return undefined;
}

const hasBreak = (value: string) => value.includes('\n') || value.includes('\r');

interface Judged {
  field: PayloadField;
  addresses: { address: string; loc: SourceLocation }[];
}

const NO_ADDRESSES: Judged['addresses'] = [];

function judgeMessage(message: PayloadMessage, archive: ReadonlySet<string>, mask: (value: string) => string, out: PayloadFinding[]): void {
  const platform = PLATFORM_NAMES[message.format];
  const every = (field: PayloadField) => (field.everyMessage ? ` (on every message of the batch)` : '');
  // Each field's addresses, read once.
  const to: Judged[] = [];
  const senders: Record<'from' | 'sender' | 'reply-to', Judged[]> = { from: [], sender: [], 'reply-to': [] };
  for (const field of message.fields) {
    if (hasBreak(field.key)) out.push({ rule: 'header-injection', messageId: 'payloadLineBreakInName', data: { field: JSON.stringify(field.key) }, loc: field.loc });
    for (const value of field.values) {
      if (hasBreak(value.text)) {
        out.push({ rule: 'header-injection', messageId: 'payloadLineBreak', data: { field: field.field }, loc: value.loc });
        break;
      }
    }
    const cls = field.cls;
    if (cls === 'other') continue;
    const addresses = field.values.length === 0 ? NO_ADDRESSES : addressesOf(field);
    if (cls === 'to' || cls === 'from' || cls === 'sender' || cls === 'reply-to') {
      const what = nameProblem(field);
      if (what !== undefined) out.push({ rule: cls === 'to' ? 'single-recipient-to' : 'sender-address', messageId: 'payloadNameAddress', data: { field: field.field, what }, loc: field.loc });
    }
    if (cls === 'to') to.push({ field, addresses });
    else if (cls === 'from' || cls === 'sender' || cls === 'reply-to') senders[cls].push({ field, addresses });
    else if (cls === 'cc') {
      if (addresses.length > 0) out.push({ rule: 'no-cc', messageId: 'payloadCc', data: { field: field.field, count: addresses.length, platform, every: every(field) }, loc: field.loc });
    } else if (cls === 'resent' || cls === 'recipient') {
      if (addresses.length > 0) out.push({ rule: 'no-cc', messageId: 'payloadRecipientHeader', data: { field: field.field, header: field.header }, loc: field.loc });
    } else {
      // Bcc: archive addresses only, each reported once per field.
      const seen = new Set<string>();
      for (const { address, loc } of addresses) {
        const key = address.toLowerCase();
        if (archive.has(key) || seen.has(key)) continue;
        seen.add(key);
        out.push({ rule: 'no-bulk-bcc', messageId: 'payloadNotArchive', data: { field: field.field, address: mask(address), every: every(field) }, loc });
      }
    }
  }

  let toCount = 0;
  let shared = 0;
  let sharedField: PayloadField | undefined;
  for (const { field, addresses } of to) {
    toCount += addresses.length;
    if (field.perRecipient) continue;
    shared += addresses.length;
    if (shared > 1 && sharedField === undefined) sharedField = field;
  }
  if (toCount === 0) out.push({ rule: 'single-recipient-to', messageId: 'payloadNoTo', data: { platform, message: message.label }, loc: to[0]?.field.loc ?? message.loc });
  if (sharedField) out.push({ rule: 'single-recipient-to', messageId: 'payloadManyTo', data: { field: sharedField.field, platform, count: shared, fix: FIX[message.format] }, loc: sharedField.loc });

  if (senders.from.every(({ addresses }) => addresses.length === 0)) {
    out.push({ rule: 'sender-address', messageId: 'payloadMissingFrom', data: { platform, message: message.label }, loc: message.loc });
  }
  for (const cls of ['from', 'sender', 'reply-to'] as const) {
    const fields = senders[cls];
    let count = 0;
    for (const { addresses } of fields) count += addresses.length;
    const last = fields[fields.length - 1];
    if (count > 1 && last) out.push({ rule: 'sender-address', messageId: 'payloadNotOne', data: { field: last.field.field, count, header: last.field.header }, loc: last.field.loc });
  }
}

/** Every finding of the locked rules on `model`, in file order per rule. */
export function judgePayload(model: PayloadModel, policy: JudgePolicy, mask: (value: string) => string): PayloadFinding[] {
  const out: PayloadFinding[] = [];
  for (const unknown of model.unknown) out.push({ rule: 'single-recipient-to', messageId: 'payloadUnknown', data: { label: unknown.label, reason: unknown.reason }, loc: unknown.loc });
  for (const duplicate of model.duplicates) {
    // A recipient-surface key written twice belongs to its class's owner; any other key (personalizations, preserve_recipients...) decides who sees whom: single-recipient-to's.
    const cls = classifyHeader(duplicate.key).cls;
    const owner = CLASS_OWNER[cls];
    const rule: PayloadRuleId = owner === 'header-injection' ? 'single-recipient-to' : (owner as PayloadRuleId);
    const format = model.requests[0]?.format ?? 'nodemailer';
    out.push({ rule, messageId: 'payloadDuplicateKey', data: { field: duplicate.path, platform: PLATFORM_NAMES[format] }, loc: duplicate.loc });
  }
  const archive = new Set(policy.archiveAddresses.map((address) => address.trim().toLowerCase()));
  for (const message of model.messages) judgeMessage(message, archive, mask, out);
  return out;
}
