/**
 * Builds the exact MIME message a recipient would receive, with nodemailer's
 * MailComposer: the same address parsing, header encoding and multipart layout a
 * real send would use. What a template renders into `to` is handed over as a string,
 * so a display name such as `Bo <someone.else@example.org>, Bo` becomes what the
 * mailer makes of it: two recipients.
 */
import MailComposer from 'nodemailer/lib/mail-composer';

export interface MessageAddress {
  name: string;
  address: string;
}

export interface RenderMessageInput {
  from: MessageAddress;
  /** The rendered `to` template, handed to the composer unparsed. */
  to: string;
  replyTo?: string;
  cc?: string[];
  bcc?: string[];
  subject: string;
  /** Extra headers (rendered), as the campaign lists them. */
  headers: Record<string, string>;
  html?: string;
  text?: string;
  /** Fixed for reproducible output (previews, tests); defaults to now. */
  date?: Date;
  /** Fixed for reproducible output; defaults to one generated from the sender's domain. */
  messageId?: string;
  /** Fixed multipart boundary seed for reproducible output; random by default. */
  boundarySeed?: string;
}

export interface MessageEnvelope {
  from: string | false;
  /** Every SMTP recipient: To, Cc and Bcc, including Bcc headers the message no longer shows. */
  to: string[];
}

export interface RenderedMessage {
  /** The message as it would go on the wire (CRLF line ends, Bcc removed). */
  raw: string;
  envelope: MessageEnvelope;
}

export type RenderMessageResult = { ok: true; message: RenderedMessage } | { ok: false; error: { message: string } };

export async function renderMessage(input: RenderMessageInput): Promise<RenderMessageResult> {
  try {
    const composer = new MailComposer({
      from: input.from,
      to: input.to,
      ...(input.cc?.length ? { cc: input.cc } : {}),
      ...(input.bcc?.length ? { bcc: input.bcc } : {}),
      ...(input.replyTo ? { replyTo: input.replyTo } : {}),
      subject: input.subject,
      headers: input.headers,
      ...(input.text !== undefined ? { text: input.text } : {}),
      ...(input.html !== undefined ? { html: input.html } : {}),
      ...(input.date ? { date: input.date } : {}),
      ...(input.messageId ? { messageId: input.messageId } : {}),
      ...(input.boundarySeed ? { baseBoundary: input.boundarySeed } : {}),
      // Templates produce text only: never let a value make the composer read files or URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
      xMailer: false,
    });
    const node = composer.compile();
    // The envelope is taken from every To, Cc and Bcc header, custom ones included,
    // before the build drops Bcc from the visible headers: that is how a Bcc is still seen.
    const envelope = node.getEnvelope();
    const raw = await node.build();
    return { ok: true, message: { raw: raw.toString('utf8'), envelope: { from: envelope.from, to: [...envelope.to] } } };
  } catch (error) {
    return { ok: false, error: { message: error instanceof Error ? error.message : String(error) } };
  }
}
