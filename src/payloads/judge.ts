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

/** Addresses of one value as a composer reads it: an `email`/`address` member is one; a header value is parsed as an address list. */
export function addressesOf(field: PayloadField): { address: string; loc: SourceLocation }[] {
  const out: { address: string; loc: SourceLocation }[] = [];
  for (const value of field.values) {
    if (value.role === 'name') continue;
    if (value.role === 'address') {
      out.push({ address: value.text.trim(), loc: value.loc });
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

const hasBreak = (value: string) => value.includes('\n') || value.includes('\r');

function judgeMessage(message: PayloadMessage, policy: JudgePolicy, mask: (value: string) => string, out: PayloadFinding[]): void {
  const platform = PLATFORM_NAMES[message.format];
  const archive = new Set(policy.archiveAddresses.map((address) => address.trim().toLowerCase()));
  const of = (cls: PayloadField['cls']) => message.fields.filter((field) => field.cls === cls);
  const every = (field: PayloadField) => (field.everyMessage ? ` (on every message of the batch)` : '');

  const to = of('to');
  const toAddresses = to.flatMap((field) => addressesOf(field).map((address) => ({ ...address, field })));
  if (toAddresses.length === 0) out.push({ rule: 'single-recipient-to', messageId: 'payloadNoTo', data: { platform, message: message.label }, loc: to[0]?.loc ?? message.loc });
  for (const field of to) {
    if (field.perRecipient) continue;
    const count = toAddresses.filter((address) => address.field === field || !address.field.perRecipient).length;
    if (count > 1) {
      out.push({ rule: 'single-recipient-to', messageId: 'payloadManyTo', data: { field: field.field, platform, count, fix: FIX[message.format] }, loc: field.loc });
      break;
    }
  }

  for (const field of of('cc')) {
    const count = addressesOf(field).length;
    if (count > 0) out.push({ rule: 'no-cc', messageId: 'payloadCc', data: { field: field.field, count, platform, every: every(field) }, loc: field.loc });
  }
  for (const field of [...of('resent'), ...of('recipient')]) {
    if (addressesOf(field).length > 0) out.push({ rule: 'no-cc', messageId: 'payloadRecipientHeader', data: { field: field.field, header: field.header }, loc: field.loc });
  }
  for (const field of of('bcc')) {
    const seen = new Set<string>();
    for (const { address, loc } of addressesOf(field)) {
      const key = address.toLowerCase();
      if (archive.has(key) || seen.has(key)) continue;
      seen.add(key);
      out.push({ rule: 'no-bulk-bcc', messageId: 'payloadNotArchive', data: { field: field.field, address: mask(address), every: every(field) }, loc });
    }
  }

  if (of('from').every((field) => addressesOf(field).length === 0)) {
    out.push({ rule: 'sender-address', messageId: 'payloadMissingFrom', data: { platform, message: message.label }, loc: message.loc });
  }
  for (const cls of ['from', 'sender', 'reply-to'] as const) {
    const fields = of(cls);
    const count = fields.reduce((sum, field) => sum + addressesOf(field).length, 0);
    const last = fields[fields.length - 1];
    if (count > 1 && last) out.push({ rule: 'sender-address', messageId: 'payloadNotOne', data: { field: last.field, count, header: last.header }, loc: last.loc });
  }

  for (const field of message.fields) {
    if (hasBreak(field.key)) out.push({ rule: 'header-injection', messageId: 'payloadLineBreakInName', data: { field: JSON.stringify(field.key) }, loc: field.loc });
    const broken = field.values.find((value) => hasBreak(value.text));
    if (broken) out.push({ rule: 'header-injection', messageId: 'payloadLineBreak', data: { field: field.field }, loc: broken.loc });
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
  for (const message of model.messages) judgeMessage(message, policy, mask, out);
  return out;
}
