/**
 * Each sending platform's request body mapped into the payload model: which messages the
 * platform sends and which address headers each carries, as the platform's documentation says.
 * Keys are read as the platform reads them (exact spelling; the last of a key written twice).
 */
import { classifyHeader } from '../core/header-class.js';
import type { HeaderClass } from '../core/header-class.js';
import type { JValue } from './jvalue.js';
import { member, stringMember } from './jvalue.js';
import type { PayloadField, PayloadFormat, PayloadModel, PayloadRequest, PayloadValue } from './model.js';
import { PAYLOAD_FORMATS } from './model.js';

const join = (base: string, key: string) => (base === '' ? key : `${base}.${key}`);

/** Every text of an address value: strings, list items, and the members of `{email, name}` / `{address, name}` objects. */
function valuesOf(node: JValue | undefined, role: PayloadValue['role'] = 'value', depth = 0): PayloadValue[] {
  if (node === undefined || depth > 8) return [];
  if (node.kind === 'scalar') return node.value === null || node.value === '' ? [] : [{ text: String(node.value), loc: node.loc, role }];
  if (node.kind === 'array') return node.items.flatMap((item) => valuesOf(item, role, depth + 1));
  const out: PayloadValue[] = [];
  for (const entry of node.entries) {
    const key = entry.key.toLowerCase();
    const memberRole: PayloadValue['role'] = key === 'email' || key === 'address' ? 'address' : key === 'name' ? 'name' : 'value';
    // Members no platform reads as an address are still read, so that nothing with an address in it hides in an object.
    if (memberRole === 'value' && key !== 'value') continue;
    out.push(...valuesOf(entry.value, memberRole, depth + 1));
  }
  return out;
}

class MessageBuilder {
  readonly fields: PayloadField[] = [];

  add(cls: HeaderClass, header: string, field: string, key: string, node: JValue | undefined, extra: Partial<PayloadField> = {}): void {
    if (node === undefined) return;
    this.fields.push({ cls, header, field, key, loc: node.loc, values: valuesOf(node), ...extra });
  }

  /** A header by name (any platform's custom headers), classified like the campaign's `headers`. */
  header(name: string, field: string, node: JValue | undefined): void {
    const { cls, header } = classifyHeader(name);
    this.add(cls, cls === 'other' ? name : header, field, name, node);
  }

  /** `{ "Name": "value" }` headers. */
  headerMap(node: JValue | undefined, base: string): void {
    if (node?.kind !== 'object') return;
    for (const entry of node.entries) this.header(entry.key, join(base, entry.key), entry.value);
  }

  /** `[{ "Name": …, "Value": … }]` headers (SES, Postmark) or nodemailer's `[{ key, value }]`. */
  headerList(node: JValue | undefined, base: string, nameKey: string, valueKey: string): void {
    if (node?.kind !== 'array') return;
    node.items.forEach((item, index) => {
      const name = stringMember(item, nameKey);
      if (name !== undefined) this.header(name, `${base}[${index}]`, member(item, valueKey));
    });
  }
}

const spelling = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

/**
 * Fails closed on what the model does not read and the platform may: a key spelled like one the
 * platform reads but not exactly (`cc` or `CC` for Postmark's `Cc`, `CCAddresses` for SES's
 * `CcAddresses`: a platform that binds JSON without case sends it), and a raw MIME message
 * (`raw`, SES `Content.Raw`), whose headers are sent as written and never mapped.
 */
function unread(sink: Sink, node: JValue | undefined, base: string, exact: readonly string[], raw: readonly string[] = []): void {
  if (node?.kind !== 'object') return;
  const known = new Map(exact.map((key) => [spelling(key), key]));
  for (const entry of node.entries) {
    const label = join(base, entry.key);
    if (raw.includes(entry.key)) {
      sink.model.unknown.push({ label, loc: entry.keyLoc, reason: 'is a raw MIME message, whose headers are sent as written and not read' });
      continue;
    }
    const meant = known.get(spelling(entry.key));
    if (meant !== undefined && meant !== entry.key) {
      sink.model.unknown.push({ label, loc: entry.keyLoc, reason: `is not spelled \`${meant}\`, which the platform may still read it as (write \`${meant}\`)` });
    }
  }
}

interface Sink {
  model: PayloadModel;
  request: number;
}

function newRequest(model: PayloadModel, format: PayloadFormat, label: string, node: JValue): Sink {
  const request: PayloadRequest = { format, label, loc: node.loc, bypass: [], marketingSignal: false };
  model.requests.push(request);
  return { model, request: model.requests.length - 1 };
}

function emit(sink: Sink, format: PayloadFormat, label: string, node: JValue, builder: MessageBuilder): void {
  sink.model.messages.push({ format, label, loc: node.loc, fields: builder.fields, request: sink.request });
  if (builder.fields.some((field) => field.header.toLowerCase() === 'list-unsubscribe')) {
    const request = sink.model.requests[sink.request];
    if (request) request.marketingSignal = true;
  }
}

/** SendGrid v3 `mail/send`: one message per `personalizations` entry. */
function sendgrid(root: JValue, base: string, sink: Sink): void {
  const request = sink.model.requests[sink.request];
  const settings = member(root, 'mail_settings');
  for (const name of ['bypass_list_management', 'bypass_spam_management', 'bypass_bounce_management', 'bypass_unsubscribe_management']) {
    const enable = member(member(settings, name), 'enable');
    if (enable?.kind === 'scalar' && enable.value === true && request) request.bypass.push({ name: `mail_settings.${name}.enable`, loc: enable.loc });
  }
  if (request && member(root, 'asm') !== undefined) {
    request.hasAsm = true;
    request.marketingSignal = true;
  }
  unread(sink, root, base, ['from', 'reply_to', 'reply_to_list', 'headers', 'personalizations', 'subject']);
  const personalizations = member(root, 'personalizations');
  const list = personalizations?.kind === 'array' ? personalizations.items : [];
  if (list.length === 0) {
    // No personalization: SendGrid refuses the request; the model has a message with no To, which single-recipient-to reports.
    const builder = new MessageBuilder();
    builder.add('from', 'From', join(base, 'from'), 'from', member(root, 'from'));
    emit(sink, 'sendgrid', join(base, 'personalizations'), personalizations ?? root, builder);
    return;
  }
  list.forEach((personalization, index) => {
    const at = `${join(base, 'personalizations')}[${index}]`;
    unread(sink, personalization, at, ['to', 'cc', 'bcc', 'from', 'headers', 'subject']);
    const builder = new MessageBuilder();
    builder.add('to', 'To', `${at}.to`, 'to', member(personalization, 'to'));
    builder.add('cc', 'Cc', `${at}.cc`, 'cc', member(personalization, 'cc'));
    builder.add('bcc', 'Bcc', `${at}.bcc`, 'bcc', member(personalization, 'bcc'));
    const from = member(personalization, 'from');
    if (from) builder.add('from', 'From', `${at}.from`, 'from', from);
    else builder.add('from', 'From', join(base, 'from'), 'from', member(root, 'from'));
    builder.add('reply-to', 'Reply-To', join(base, 'reply_to'), 'reply_to', member(root, 'reply_to'));
    builder.add('reply-to', 'Reply-To', join(base, 'reply_to_list'), 'reply_to_list', member(root, 'reply_to_list'));
    builder.add('other', 'Subject', `${at}.subject`, 'subject', member(personalization, 'subject') ?? member(root, 'subject'));
    builder.headerMap(member(root, 'headers'), join(base, 'headers'));
    builder.headerMap(member(personalization, 'headers'), `${at}.headers`);
    emit(sink, 'sendgrid', at, personalization, builder);
  });
}

/** Mailgun messages API: one message to every `to`, or one per `to` address with `recipient-variables`. */
function mailgun(root: JValue, base: string, sink: Sink): void {
  unread(sink, root, base, ['to', 'cc', 'bcc', 'from', 'subject', 'recipient-variables']);
  const variables = member(root, 'recipient-variables');
  const batch =
    variables !== undefined &&
    ((variables.kind === 'object' && variables.entries.length > 0) || (variables.kind === 'scalar' && typeof variables.value === 'string' && variables.value.trim() !== '' && variables.value.trim() !== '{}'));
  const builder = new MessageBuilder();
  builder.add('to', 'To', join(base, 'to'), 'to', member(root, 'to'), batch ? { perRecipient: true } : {});
  builder.add('cc', 'Cc', join(base, 'cc'), 'cc', member(root, 'cc'), batch ? { everyMessage: true } : {});
  builder.add('bcc', 'Bcc', join(base, 'bcc'), 'bcc', member(root, 'bcc'), batch ? { everyMessage: true } : {});
  builder.add('from', 'From', join(base, 'from'), 'from', member(root, 'from'));
  builder.add('other', 'Subject', join(base, 'subject'), 'subject', member(root, 'subject'));
  if (root.kind === 'object') {
    for (const entry of root.entries) if (entry.key.startsWith('h:')) builder.header(entry.key.slice(2), join(base, entry.key), entry.value);
  }
  emit(sink, 'mailgun', base === '' ? 'message' : base, root, builder);
}

/** Mandrill / Mailchimp Transactional `messages/send`: `to[]` with a `type` each, one visible message unless `preserve_recipients: false`. */
function mandrill(root: JValue, base: string, sink: Sink): void {
  const inner = member(root, 'message');
  const message = inner?.kind === 'object' ? inner : root;
  const at = inner?.kind === 'object' ? join(base, 'message') : base;
  unread(sink, message, at, ['to', 'bcc_address', 'from_email', 'subject', 'headers', 'preserve_recipients']);
  const preserve = member(message, 'preserve_recipients');
  const separate = preserve?.kind === 'scalar' && preserve.value === false;
  const request = sink.model.requests[sink.request];
  if (request && preserve === undefined) request.preserveAbsent = true;
  const builder = new MessageBuilder();
  const to = member(message, 'to');
  const toList = to?.kind === 'array' ? to.items : to === undefined ? [] : [to];
  const toValues: JValue[] = [];
  toList.forEach((recipient, index) => {
    const type = stringMember(recipient, 'type') ?? 'to';
    const field = `${join(at, 'to')}[${index}]`;
    if (type !== 'to' && type !== 'cc' && type !== 'bcc') {
      sink.model.unknown.push({ label: field, loc: recipient.loc, reason: `has \`type: ${type.slice(0, 20)}\`, not to, cc or bcc` });
      return;
    }
    if (type === 'cc') builder.add('cc', 'Cc', `${field} (type: cc)`, 'to', recipient);
    else if (type === 'bcc') builder.add('bcc', 'Bcc', `${field} (type: bcc)`, 'to', recipient);
    else toValues.push(recipient);
  });
  if (toValues.length > 0 || to !== undefined) {
    const first = toValues[0] ?? to ?? message;
    builder.fields.push({
      cls: 'to',
      header: 'To',
      field: join(at, 'to'),
      key: 'to',
      // The second recipient is where one message becomes a shared one.
      loc: (toValues[1] ?? first).loc,
      values: toValues.flatMap((value) => valuesOf(value)),
      ...(separate ? { perRecipient: true } : {}),
    });
  }
  builder.add('bcc', 'Bcc', join(at, 'bcc_address'), 'bcc_address', member(message, 'bcc_address'));
  builder.add('from', 'From', join(at, 'from_email'), 'from_email', member(message, 'from_email'));
  builder.add('other', 'Subject', join(at, 'subject'), 'subject', member(message, 'subject'));
  builder.headerMap(member(message, 'headers'), join(at, 'headers'));
  emit(sink, 'mandrill', at === '' ? 'message' : at, message, builder);
}

function sesDestination(sink: Sink, builder: MessageBuilder, destination: JValue | undefined, at: string): void {
  unread(sink, destination, at, ['ToAddresses', 'CcAddresses', 'BccAddresses']);
  builder.add('to', 'To', `${at}.ToAddresses`, 'ToAddresses', member(destination, 'ToAddresses'));
  builder.add('cc', 'Cc', `${at}.CcAddresses`, 'CcAddresses', member(destination, 'CcAddresses'));
  builder.add('bcc', 'Bcc', `${at}.BccAddresses`, 'BccAddresses', member(destination, 'BccAddresses'));
}

/** Amazon SES v2 `SendEmail` (and v1's `Source`), `SendBulkEmail`: one message per `BulkEmailEntries` entry. */
function ses(root: JValue, base: string, sink: Sink): void {
  unread(sink, root, base, ['FromEmailAddress', 'Source', 'ReplyToAddresses', 'Destination', 'BulkEmailEntries', 'Content', 'DefaultContent']);
  const fromKey = member(root, 'FromEmailAddress') ? 'FromEmailAddress' : 'Source';
  const common = (builder: MessageBuilder) => {
    builder.add('from', 'From', join(base, fromKey), fromKey, member(root, fromKey));
    builder.add('reply-to', 'Reply-To', join(base, 'ReplyToAddresses'), 'ReplyToAddresses', member(root, 'ReplyToAddresses'));
  };
  const entries = member(root, 'BulkEmailEntries');
  if (entries !== undefined) {
    const list = entries.kind === 'array' ? entries.items : [];
    const defaults = member(member(root, 'DefaultContent'), 'Template');
    list.forEach((entry, index) => {
      const at = `${join(base, 'BulkEmailEntries')}[${index}]`;
      const builder = new MessageBuilder();
      sesDestination(sink, builder, member(entry, 'Destination'), `${at}.Destination`);
      common(builder);
      builder.headerList(member(defaults, 'Headers'), join(base, 'DefaultContent.Template.Headers'), 'Name', 'Value');
      builder.headerList(member(entry, 'ReplacementHeaders'), `${at}.ReplacementHeaders`, 'Name', 'Value');
      emit(sink, 'ses', at, entry, builder);
    });
    if (list.length === 0) emit(sink, 'ses', join(base, 'BulkEmailEntries'), entries, new MessageBuilder());
    return;
  }
  const builder = new MessageBuilder();
  sesDestination(sink, builder, member(root, 'Destination'), join(base, 'Destination'));
  common(builder);
  const content = member(root, 'Content');
  unread(sink, content, join(base, 'Content'), ['Simple', 'Template'], ['Raw']);
  const simple = member(content, 'Simple');
  builder.add('other', 'Subject', join(base, 'Content.Simple.Subject.Data'), 'Subject', member(member(simple, 'Subject'), 'Data'));
  builder.headerList(member(simple, 'Headers'), join(base, 'Content.Simple.Headers'), 'Name', 'Value');
  builder.headerList(member(member(content, 'Template'), 'Headers'), join(base, 'Content.Template.Headers'), 'Name', 'Value');
  emit(sink, 'ses', base === '' ? 'request' : base, root, builder);
}

/** Postmark `email` (one message) and `email/batch` (an array, or `Messages` of batchWithTemplates). */
function postmark(root: JValue, base: string, sink: Sink): void {
  const request = sink.model.requests[sink.request];
  unread(sink, root, base, ['To', 'Cc', 'Bcc', 'From', 'ReplyTo', 'Subject', 'Headers', 'MessageStream']);
  const stream = member(root, 'MessageStream');
  const streamValue = stream?.kind === 'scalar' && typeof stream.value === 'string' ? stream.value : undefined;
  if (request) {
    request.stream = { value: streamValue, loc: (stream ?? root).loc };
    if (streamValue !== undefined && streamValue !== 'outbound') request.marketingSignal = true;
  }
  const builder = new MessageBuilder();
  builder.add('to', 'To', join(base, 'To'), 'To', member(root, 'To'));
  builder.add('cc', 'Cc', join(base, 'Cc'), 'Cc', member(root, 'Cc'));
  builder.add('bcc', 'Bcc', join(base, 'Bcc'), 'Bcc', member(root, 'Bcc'));
  builder.add('from', 'From', join(base, 'From'), 'From', member(root, 'From'));
  builder.add('reply-to', 'Reply-To', join(base, 'ReplyTo'), 'ReplyTo', member(root, 'ReplyTo'));
  builder.add('other', 'Subject', join(base, 'Subject'), 'Subject', member(root, 'Subject'));
  builder.headerList(member(root, 'Headers'), join(base, 'Headers'), 'Name', 'Value');
  emit(sink, 'postmark', base === '' ? 'message' : base, root, builder);
}

const NODEMAILER_FIELDS: readonly [string, HeaderClass, string][] = [
  ['to', 'to', 'To'],
  ['cc', 'cc', 'Cc'],
  ['bcc', 'bcc', 'Bcc'],
  ['from', 'from', 'From'],
  ['sender', 'sender', 'Sender'],
  ['replyTo', 'reply-to', 'Reply-To'],
  ['subject', 'other', 'Subject'],
];

/** A nodemailer message object: its address fields, `headers`, and the SMTP `envelope` (recipients no header names). */
function nodemailer(root: JValue, base: string, sink: Sink): void {
  unread(sink, root, base, [...NODEMAILER_FIELDS.map(([key]) => key), 'headers', 'envelope'], ['raw']);
  const builder = new MessageBuilder();
  for (const [key, cls, header] of NODEMAILER_FIELDS) builder.add(cls, header, join(base, key), key, member(root, key));
  const headers = member(root, 'headers');
  if (headers?.kind === 'array') builder.headerList(headers, join(base, 'headers'), 'key', 'value');
  else builder.headerMap(headers, join(base, 'headers'));
  const envelope = member(root, 'envelope');
  for (const key of ['to', 'cc', 'bcc']) {
    builder.add('recipient', 'Envelope-To', join(base, `envelope.${key}`), key, member(envelope, key));
  }
  emit(sink, 'nodemailer', base === '' ? 'message' : base, root, builder);
}

const MAPPERS: Readonly<Record<PayloadFormat, (root: JValue, base: string, sink: Sink) => void>> = { sendgrid, mailgun, mandrill, ses, postmark, nodemailer };

/** The platform a request is for, from its shape; undefined when it matches none. */
export function detectFormat(node: JValue): PayloadFormat | undefined {
  if (node.kind !== 'object') return undefined;
  const keys = new Set(node.entries.map((entry) => entry.key));
  if (keys.has('personalizations')) return 'sendgrid';
  if (keys.has('BulkEmailEntries') || keys.has('FromEmailAddress') || keys.has('Destination')) return 'ses';
  if (member(node, 'message')?.kind === 'object' || keys.has('from_email') || keys.has('preserve_recipients')) return 'mandrill';
  if (keys.has('From') || keys.has('To') || keys.has('MessageStream')) return 'postmark';
  if (keys.has('recipient-variables') || [...keys].some((key) => /^[hovt]:/.test(key))) return 'mailgun';
  if (keys.has('to') || keys.has('from') || keys.has('envelope')) return 'nodemailer';
  return undefined;
}

export function isPayloadFormat(value: string): value is PayloadFormat {
  return (PAYLOAD_FORMATS as readonly string[]).includes(value);
}

/**
 * Maps one JSON document (a request, or an array of requests: Postmark's batch, a saved list)
 * into `model`. `format` forces the platform; otherwise each request's shape decides.
 */
export function mapDocument(model: PayloadModel, root: JValue, format: PayloadFormat | undefined, label = ''): void {
  if (root.kind === 'array') {
    root.items.forEach((item, index) => {
      mapDocument(model, item, format, `${label}[${index}]`);
    });
    return;
  }
  // Postmark's batchWithTemplates wraps its messages.
  const messages = member(root, 'Messages');
  if (messages?.kind === 'array' && (format === 'postmark' || format === undefined)) {
    messages.items.forEach((item, index) => {
      mapDocument(model, item, 'postmark', `${join(label, 'Messages')}[${index}]`);
    });
    return;
  }
  const chosen = format ?? detectFormat(root);
  if (chosen === undefined || root.kind !== 'object') {
    const reason = root.kind !== 'object' ? 'is a plain value, not a request object' : 'matches no known platform shape (pass `--input-format`)';
    model.unknown.push({ label: label === '' ? 'the document' : label, loc: root.loc, reason });
    return;
  }
  const sink = newRequest(model, chosen, label, root);
  MAPPERS[chosen](root, label, sink);
}

export function emptyModel(): PayloadModel {
  return { requests: [], messages: [], duplicates: [], unknown: [] };
}
