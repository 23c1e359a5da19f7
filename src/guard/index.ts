/**
 * `campaign-lint/guard`: the locked visibility rules at the moment of sending. A request body for
 * a sending platform (or a nodemailer message) is mapped into the same recipient-surface model the
 * linter uses and judged by the same verdict (src/payloads/judge.ts); a message that breaks it
 * throws before it leaves the process. Dependency-light: no CLI, no ajv, no handlebars, no parse5,
 * only nodemailer's address parser.
 */
import { maskPii } from '../core/mask.js';
import { fromPlain } from '../payloads/jvalue.js';
import { PAYLOAD_MESSAGES, judgePayload } from '../payloads/judge.js';
import type { PayloadFinding } from '../payloads/judge.js';
import { PAYLOAD_FORMATS } from '../payloads/model.js';
import type { PayloadFormat } from '../payloads/model.js';
import { emptyModel, isPayloadFormat, mapDocument } from '../payloads/platforms.js';

export { PAYLOAD_FORMATS };
export type { PayloadFormat };

export interface GuardPolicy {
  /** The only Bcc addresses allowed (the config's `organization.archive_addresses`). */
  archiveAddresses?: readonly string[];
}

export interface GuardOptions {
  /** The platform the payload is for; without it, the payload's shape decides (a shape no platform has is refused). */
  format?: PayloadFormat;
  policy?: GuardPolicy;
}

export interface GuardFinding {
  /** The locked rule that refuses the message. */
  ruleId: string;
  messageId: string;
  /** The finding, recipients' addresses masked. */
  message: string;
}

/** Thrown by assertSendable and the nodemailer plugin: the message was not sent. */
export class CampaignLintGuardError extends Error {
  override readonly name = 'CampaignLintGuardError';
  readonly code = 'ECAMPAIGNLINTGUARD';

  constructor(readonly findings: readonly GuardFinding[]) {
    const lines = findings.slice(0, 20).map((finding) => `- ${finding.ruleId}: ${finding.message}`);
    if (findings.length > 20) lines.push(`- … and ${findings.length - 20} more`);
    super(`campaign-lint guard refused to send: ${findings.length} finding(s)\n${lines.join('\n')}`);
  }
}

function format(template: string, data: PayloadFinding['data']): string {
  return template.replace(/\{\{(\w+)\}\}/g, (match, name: string) => (data[name] === undefined ? match : String(data[name])));
}

/** The findings that would stop `payload` (an empty list when it may be sent). */
export function checkSendable(payload: unknown, options: GuardOptions = {}): GuardFinding[] {
  if (options.format !== undefined && !isPayloadFormat(options.format)) {
    throw new TypeError(`campaign-lint guard: format must be one of ${PAYLOAD_FORMATS.join(', ')}`);
  }
  const model = emptyModel();
  mapDocument(model, fromPlain(payload), options.format);
  const findings = judgePayload(model, { archiveAddresses: options.policy?.archiveAddresses ?? [] }, maskPii);
  return findings.map((finding) => {
    const templates: Readonly<Record<string, string>> = PAYLOAD_MESSAGES[finding.rule];
    return { ruleId: finding.rule, messageId: finding.messageId, message: format(templates[finding.messageId] ?? finding.messageId, finding.data) };
  });
}

/** Throws a CampaignLintGuardError listing the findings (masked) when `payload` breaks the locked visibility rules. */
export function assertSendable(payload: unknown, options: GuardOptions = {}): void {
  const findings = checkSendable(payload, options);
  if (findings.length > 0) throw new CampaignLintGuardError(findings);
}

/** The fields of a nodemailer message that make its recipient surface (attachments and bodies are not read). */
const NODEMAILER_KEYS = ['from', 'sender', 'to', 'cc', 'bcc', 'replyTo', 'subject', 'headers', 'envelope'] as const;

/** What nodemailer passes a `compile` plugin: the message object as given to sendMail. */
export interface CompiledMail {
  data: object;
}

/**
 * A nodemailer plugin for the `compile` step: `transporter.use('compile', guardPlugin(policy))`.
 * A message whose recipients break the policy fails `sendMail` with a CampaignLintGuardError.
 */
export function guardPlugin(policy: GuardPolicy = {}): (mail: CompiledMail, callback: (error?: Error | null) => void) => void {
  return (mail, callback) => {
    try {
      const data = mail.data as Record<string, unknown>;
      const message: Record<string, unknown> = {};
      for (const key of NODEMAILER_KEYS) if (data[key] !== undefined) message[key] = data[key];
      assertSendable(message, { format: 'nodemailer', policy });
    } catch (error) {
      callback(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    callback();
  };
}
