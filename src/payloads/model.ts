/**
 * A sending-platform request mapped into the recipient surface of the campaign model
 * (src/core/envelope.ts): the messages the platform would send, each with its address headers in
 * the same classes (to, cc, bcc, from, sender, reply-to, resent, recipient, other) and the same
 * owners (CLASS_OWNER). The locked rules judge these messages (src/payloads/judge.ts).
 */
import type { HeaderClass } from '../core/header-class.js';
import type { SourceLocation } from '../core/types.js';

export const PAYLOAD_FORMATS = ['sendgrid', 'mailgun', 'mandrill', 'ses', 'postmark', 'nodemailer'] as const;
export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];

export const PLATFORM_NAMES: Readonly<Record<PayloadFormat, string>> = {
  sendgrid: 'SendGrid',
  mailgun: 'Mailgun',
  mandrill: 'Mandrill',
  ses: 'Amazon SES',
  postmark: 'Postmark',
  nodemailer: 'nodemailer',
};

/** One text the platform reads from an address field. */
export interface PayloadValue {
  text: string;
  loc: SourceLocation;
  /** `address`: one address (SendGrid's `email`); `name`: a display name; `value`: a header value, parsed as an address list. */
  role: 'address' | 'name' | 'value';
}

/** One header (or field the platform turns into one) of one message. */
export interface PayloadField {
  cls: HeaderClass;
  /** Canonical header: `To`, `Cc`, `Disposition-Notification-To`, `Subject`. */
  header: string;
  /** The field as written, with its JSON path: `personalizations[0].cc`, `Headers[1]`. */
  field: string;
  /** The key as written (for line breaks in header names). */
  key: string;
  /** Where the value starts. */
  loc: SourceLocation;
  values: PayloadValue[];
  /** The platform sends one message per address of this field (Mailgun recipient-variables, Mandrill preserve_recipients: false). */
  perRecipient?: boolean;
  /** The platform adds this field to every message of a batch (Mailgun's cc and bcc with recipient-variables). */
  everyMessage?: boolean;
}

export interface PayloadMessage {
  format: PayloadFormat;
  /** Which message: `personalizations[1]`, `[3]`, `BulkEmailEntries[0]`, `message`. */
  label: string;
  loc: SourceLocation;
  fields: PayloadField[];
  /** The request it belongs to (index into `PayloadModel.requests`). */
  request: number;
}

/** Settings of one request that decide suppression and unsubscribe handling, for `payload-settings`. */
export interface PayloadRequest {
  format: PayloadFormat;
  label: string;
  loc: SourceLocation;
  /** SendGrid `mail_settings.bypass_*_management.enable: true`. */
  bypass: { name: string; loc: SourceLocation }[];
  /** SendGrid: an `asm` group is set. */
  hasAsm?: boolean;
  /** Postmark: the `MessageStream` (undefined: the default transactional stream `outbound`). */
  stream?: { value: string | undefined; loc: SourceLocation };
  /** Some message carries a List-Unsubscribe header (or SendGrid asm / a Postmark broadcast stream): marketing mail. */
  marketingSignal: boolean;
  /** The Mandrill hint: `preserve_recipients` is absent (Mandrill's account default then decides). */
  preserveAbsent?: boolean;
}

export interface PayloadModel {
  requests: PayloadRequest[];
  messages: PayloadMessage[];
  /** Keys written twice in one object: the platform takes the last, a reviewer reads the first. */
  duplicates: { key: string; loc: SourceLocation; path: string }[];
  /** Requests whose platform could not be told, or whose shape is not a request: never silently passed. */
  unknown: { label: string; loc: SourceLocation; reason: string }[];
}
