/**
 * The message one sample recipient would receive, as the report shows it: rendered with the
 * real templates and composer from the row's masked cells (masking at the source: no real value
 * reaches the composer, which folds and encodes what it is given), then masked (maskMessage:
 * addresses written in the templates), then checked once more here for the real values. A
 * value that still shows is masked in that form too; if it survives, the sample is withheld.
 */
import { readTextFile } from '../core/safe-file.js';
import Handlebars from 'handlebars';
import type { Campaign } from '../core/campaign.js';
import type { ResolvedConfig } from '../core/config.js';
import { maskPii } from '../core/mask.js';
import { extractLinks } from '../parsers/html-dom.js';
import { renderTemplate } from '../parsers/template.js';
import type { RenderTemplateOptions } from '../parsers/template.js';
import { createMasker, maskMessage, maskRowRecord, parseRenderedMessage, renderMessage } from '../render/index.js';
import type { SampleRow } from './audience.js';

export interface SampleMessage {
  /** Which row it is (record number and CSV line), never its content. */
  row: { index: number; line: number; sendable: boolean };
  /** Header name → value, in message order, as a mail client would show them (masked). */
  headers: [name: string, value: string][];
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
  const data = mergeData(campaign, maskRowRecord(sample.values));
  const failures: string[] = [];
  const render = (label: string, source: string | undefined, mode: RenderTemplateOptions['mode'] = 'text'): string | undefined => {
    if (source === undefined) return undefined;
    const result = renderTemplate(source, data, { mode });
    if (result.ok) return result.output;
    failures.push(`${label}: ${result.error.message}`);
    return undefined;
  };
  const fromName = render('from.name', campaign.string(['from', 'name'])) ?? '';
  const fromAddress = render('from.address', campaign.string(['from', 'address'])) ?? '';
  const to = render('to', campaign.string(['to'])) ?? '';
  const replyTo = render('reply_to', campaign.string(['reply_to']));
  const subject = render('subject', campaign.string(['subject'])) ?? '';
  const headers: Record<string, string> = {};
  for (const name of campaign.keys(['headers'])) {
    const value = render(`headers.${name}`, campaign.string(['headers', name]));
    if (value !== undefined) headers[name] = value;
  }
  const html = render('body.html', await bodySource(campaign, 'html'), 'html');
  const text = render('body.text', await bodySource(campaign, 'text'));
  if (failures.length > 0) return { ok: false, reason: `a template cannot be rendered (${failures.join('; ')})` };

  const sendAt = campaign.string(['send_at']);
  const date = sendAt !== undefined && !Number.isNaN(Date.parse(sendAt)) ? new Date(sendAt) : undefined;
  const composed = await renderMessage({
    from: { name: fromName, address: fromAddress },
    to,
    ...(replyTo !== undefined ? { replyTo } : {}),
    subject,
    headers,
    ...(html !== undefined ? { html } : {}),
    ...(text !== undefined ? { text } : {}),
    ...(date ? { date } : {}),
    messageId: '<sample@campaign-lint.invalid>',
    boundarySeed: 'report',
  });
  if (!composed.ok) return { ok: false, reason: `the message cannot be composed: ${composed.error.message}` };

  const values = Object.values(sample.values).filter((value) => value.trim() !== '');
  // Only addresses written literally in the campaign stay readable: a templated sender could be the recipient.
  const allowAddresses = [
    ...(['from.address', 'reply_to'] as const).flatMap((label) => {
      const source = campaign.string(label === 'reply_to' ? ['reply_to'] : ['from', 'address']);
      return source !== undefined && !source.includes('{{') ? [source] : [];
    }),
    ...config.organization.archiveAddresses,
  ];
  const masked = await parseRenderedMessage(await maskMessage(composed.message.raw, values, { allowAddresses }));
  const scrub = scrubber(values, allowAddresses);
  const shown: [string, string][] = masked.headers
    .filter(([name]) => !HIDDEN_HEADERS.has(name.toLowerCase()))
    .map(([name, value]) => [name, scrub(value)]);
  const header = (name: string) => shown.find(([key]) => key.toLowerCase() === name)?.[1];
  const message: SampleMessage = {
    row: { index: sample.index, line: sample.line, sendable: sample.sendable },
    headers: shown.filter(([name]) => !INBOX_HEADERS.has(name.toLowerCase())),
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

/** Row values over `defaults`: an empty cell falls back to the default, as the send would. */
function mergeData(campaign: Campaign, row: Record<string, string>): Record<string, string> {
  const data: Record<string, string> = {};
  const defaults = campaign.get(['defaults']);
  if (defaults !== null && typeof defaults === 'object' && !Array.isArray(defaults)) {
    for (const [key, value] of Object.entries(defaults as Record<string, unknown>)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') data[key] = String(value);
    }
  }
  for (const [key, value] of Object.entries(row)) if (value !== '' || !(key in data)) data[key] = value;
  return data;
}

function bodySource(campaign: Campaign, kind: 'html' | 'text'): Promise<string | undefined> {
  const written = campaign.string(['body', kind]);
  if (written === undefined) return Promise.resolve(undefined);
  const resolved = campaign.resolve(written);
  if (!resolved.ok) return Promise.resolve(undefined);
  const read = readTextFile(resolved.path, { rootDir: campaign.rootDir });
  return Promise.resolve(read.ok ? read.text : undefined);
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
  const shown = [...message.links.flatMap((link) => [link.href, link.text]), message.from, message.to, message.replyTo ?? '', message.subject, message.html ?? '', message.text ?? '', ...message.headers.flat()].join('\n');
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
