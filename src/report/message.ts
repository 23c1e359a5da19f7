/**
 * The message one sample recipient would receive, as the report shows it: rendered with the
 * real templates and composer from the row's masked cells (masking at the source: no real value
 * reaches the composer, which folds and encodes what it is given), then masked (maskMessage:
 * addresses written in the templates), then checked once more here for the real values. A
 * value that still shows is masked in that form too; if it survives, the sample is withheld.
 */
import Handlebars from 'handlebars';
import type { Campaign } from '../core/campaign.js';
import type { ResolvedConfig } from '../core/config.js';
import { maskPii } from '../core/mask.js';
import { extractLinks } from '../parsers/html-dom.js';
import addressparser from 'nodemailer/lib/addressparser';
import { ADDRESS_CLASSES, classifyHeader, envelopeOf } from '../core/envelope.js';
import { buildRowMessage, campaignDefaults, rowData, sendAtDate } from '../core/row-message.js';
import { campaignTemplates } from '../core/templates.js';
import { createMasker, maskMessage, maskRowRecord, parseRenderedMessage, renderMessage } from '../render/index.js';
import type { SampleRow } from './audience.js';

export interface SampleMessage {
  /** Which row it is (record number and CSV line), never its content. */
  row: { index: number; line: number; sendable: boolean };
  /** Header name → value, in message order, as a mail client would show them (masked): the headers that carry no address. */
  headers: [name: string, value: string][];
  /** Every address header besides From, To and Reply-To, as sent (masked): Cc, Sender, Resent-*, Return-Receipt-To... */
  recipientHeaders: [name: string, value: string][];
  /** Who gets a blind copy (masked): not in the message itself, which drops Bcc. */
  bcc: string | undefined;
  from: string;
  to: string;
  replyTo: string | undefined;
  subject: string;
  date: string | undefined;
  html: string | undefined;
  text: string | undefined;
  /** Links of the html body (masked), since the report does not follow them. */
  links: { href: string; text: string }[];
  /** Remote resources (images, stylesheets…) the html body would load in a mail client; the report loads none. */
  remoteResources: number;
}

export type SampleOutcome = { ok: true; message: SampleMessage } | { ok: false; reason: string };

/** Headers shown in the inbox block; the rest are listed below it. */
const INBOX_HEADERS = new Set(['from', 'to', 'reply-to', 'subject', 'date']);
/** Transport headers a reviewer has no decision to make about. */
const HIDDEN_HEADERS = new Set(['mime-version', 'content-type', 'content-transfer-encoding', 'message-id']);

export async function renderSample(campaign: Campaign, config: ResolvedConfig, sample: SampleRow | undefined): Promise<SampleOutcome> {
  if (sample === undefined) return { ok: false, reason: 'the recipient list has no row with a valid address' };
  // Masked at the source: rendered from the masked cells, so no real value reaches the composer.
  // Built like `preview` builds it (buildRowMessage reads the envelope model): every address header
  // in whatever spelling or place the campaign wrote it, so the page shows what a send would carry.
  const data = rowData(Object.keys(sample.values), Object.values(maskRowRecord(sample.values)), campaignDefaults(campaign));
  const built = buildRowMessage(campaign, await campaignTemplates(campaign, config), data, {
    ...(sendAtDate(campaign) ? { date: sendAtDate(campaign) } : {}),
    messageId: '<sample@campaign-lint.invalid>',
    boundarySeed: 'report',
  });
  if (!built.ok) return { ok: false, reason: `a template cannot be rendered (${built.skip ? built.reason : `${built.template}: ${built.reason}`})` };
  const composed = await renderMessage(built.input);
  if (!composed.ok) return { ok: false, reason: `the message cannot be composed: ${composed.error.message}` };

  const values = Object.values(sample.values).filter((value) => value.trim() !== '');
  // Only addresses written literally in the campaign stay readable: a templated sender could be the recipient.
  const allowAddresses = [
    ...(['from.address', 'reply_to'] as const).flatMap((label) => {
      const source = campaign.string(label === 'reply_to' ? ['reply_to'] : ['from', 'address']);
      return source !== undefined && !source.includes('{{') ? [source] : [];
    }),
    // A literal Sender is the organisation's, like From.
    ...envelopeOf(campaign)
      .of('sender')
      .flatMap((entry) => entry.parts)
      .filter((part) => part.role !== 'name' && !part.source.includes('{{'))
      .flatMap((part) => addressparser(part.source, { flatten: true }).map((mailbox) => mailbox.address)),
    ...config.organization.archiveAddresses,
  ];
  const masked = await parseRenderedMessage(await maskMessage(composed.message.raw, values, { allowAddresses }));
  const scrub = scrubber(values, allowAddresses);
  const shown: [string, string][] = masked.headers
    .filter(([name]) => !HIDDEN_HEADERS.has(name.toLowerCase()))
    .map(([name, value]) => [name, scrub(value)]);
  const header = (name: string) => shown.find(([key]) => key.toLowerCase() === name)?.[1];
  const isRecipientHeader = (name: string) => !INBOX_HEADERS.has(name.toLowerCase()) && ADDRESS_CLASSES.has(classifyHeader(name).cls);
  const message: SampleMessage = {
    row: { index: sample.index, line: sample.line, sendable: sample.sendable },
    headers: shown.filter(([name]) => !INBOX_HEADERS.has(name.toLowerCase()) && !isRecipientHeader(name)),
    recipientHeaders: shown.filter(([name]) => isRecipientHeader(name)),
    // The wire message drops Bcc; the composer's input still says who gets a copy.
    bcc: built.input.bcc?.length ? scrub(built.input.bcc.join(', ')) : undefined,
    from: header('from') ?? '',
    to: header('to') ?? '',
    replyTo: header('reply-to'),
    subject: header('subject') ?? '',
    date: header('date'),
    html: masked.html === undefined ? undefined : scrub(masked.html, true),
    text: masked.text === undefined ? undefined : scrub(masked.text),
    remoteResources: masked.html === undefined ? 0 : countRemoteResources(masked.html),
    links: [],
  };
  if (message.html !== undefined) {
    // The body is masked already; masking its links' addresses again would eat URL text around them.
    message.links = extractLinks(message.html).map((link) => ({ href: scrub(link.href, false, false), text: scrub(link.text, false, false) }));
  }
  const survivor = survivingValue(message, values);
  if (survivor !== undefined) return { ok: false, reason: `a value of the sample row (column ${survivorColumn(sample, survivor)}) could not be masked in the rendered message, so the message is not shown` };
  return { ok: true, message };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The forms a cell can take in a message besides itself: HTML-escaped and URL-encoded. */
function formsOf(value: string): string[] {
  return [...new Set([value, Handlebars.escapeExpression(value), encodeURIComponent(value), encodeURI(value)])];
}

function wholeWord(form: string, flags = 'gu'): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(form)}(?![\\p{L}\\p{N}])`, flags);
}

/** Each value in its encoded forms too; `withMasker` first applies the masker maskMessage uses. */
function scrubber(values: readonly string[], allowAddresses: readonly string[]): (text: string, html?: boolean, withMasker?: boolean) => string {
  const mask = createMasker(values, { allowAddresses });
  const personal = [...new Set(values.map((value) => value.trim()))].filter((value) => Array.from(value).length > 1);
  return (text, html = false, withMasker = true) => {
    let result = withMasker ? mask(text, html) : text;
    for (const value of personal) {
      for (const form of formsOf(value)) result = result.replace(wholeWord(form, 'giu'), maskPii(value));
    }
    return result;
  };
}

function survivingValue(message: SampleMessage, values: readonly string[]): string | undefined {
  const shown = [...message.links.flatMap((link) => [link.href, link.text]), message.from, message.to, message.replyTo ?? '', message.bcc ?? '', message.subject, message.html ?? '', message.text ?? '', ...message.headers.flat(), ...message.recipientHeaders.flat()].join('\n');
  const personal = [...new Set(values.map((value) => value.trim()))].filter((value) => Array.from(value).length > 1);
  return personal.find((value) => formsOf(value).some((form) => wholeWord(form, 'iu').test(shown)));
}

function survivorColumn(sample: SampleRow, value: string): string {
  return Object.entries(sample.values).find(([, cell]) => cell.trim() === value)?.[0] ?? '?';
}

/** `src`, `background`, `poster`, `srcset` or CSS `url()` pointing off the message. */
function countRemoteResources(html: string): number {
  const attributes = html.match(/\b(?:src|background|poster|srcset|data)\s*=\s*["']?\s*(?:https?:)?\/\//gi) ?? [];
  const css = html.match(/url\(\s*["']?\s*(?:https?:)?\/\//gi) ?? [];
  const links = html.match(/<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?\/\//gi) ?? [];
  return attributes.length + css.length + links.length;
}
