/**
 * What one recipient row turns into: every template of the campaign rendered with
 * that row (defaults filling empty values), ready for the MIME composer. Shared by
 * the rendered-message rule and the `preview` command so that both show the same
 * message. Loads no mail library: the composer is imported by the callers, lazily.
 */
import type { Campaign } from './campaign.js';
import type { CampaignTemplate, CampaignTemplates } from './templates.js';
import { renderTemplate } from '../parsers/template.js';
import type { RenderMessageInput } from '../render/compose.js';

export type RowMessageResult =
  | { ok: true; input: RenderMessageInput }
  /** `skip`: the campaign itself cannot be rendered (a missing or broken template); other rules report that. */
  | { ok: false; skip: true; reason: string }
  /** A template failed for this row's data (e.g. a missing partial or helper); the message names no cell value. */
  | { ok: false; skip: false; template: string; reason: string };

/** `defaults` as strings; values of other types are not usable as text and are left out. */
export function campaignDefaults(campaign: Campaign): Map<string, string> {
  const defaults = new Map<string, string>();
  const raw = campaign.get(['defaults']);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return defaults;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') defaults.set(key, String(value));
  }
  return defaults;
}

/** The template context for a row: its cells by column name, with defaults for empty or missing values. */
export function rowData(names: readonly string[], fields: readonly string[], defaults: ReadonlyMap<string, string>): Record<string, string> {
  // Object.fromEntries defines own properties, so a column named `__proto__` stays a plain value.
  const data: Record<string, string> = Object.fromEntries(names.map((name, index) => [name, fields[index] ?? '']));
  const filled: [string, string][] = [];
  for (const [key, value] of defaults) {
    if (!Object.hasOwn(data, key) || (data[key] ?? '').trim() === '') filled.push([key, value]);
  }
  return filled.length === 0 ? data : { ...data, ...Object.fromEntries(filled) };
}

function listOf(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() === '' ? [] : [value];
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

export interface RowMessageOptions {
  date?: Date;
  messageId?: string;
  boundarySeed?: string;
}

/** The `send_at` date when it is a valid date-time, for reproducible previews. */
export function sendAtDate(campaign: Campaign): Date | undefined {
  const sendAt = campaign.string(['send_at']);
  if (sendAt === undefined) return undefined;
  const date = new Date(sendAt);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function buildRowMessage(
  campaign: Campaign,
  { templates }: CampaignTemplates,
  data: Readonly<Record<string, string>>,
  options: RowMessageOptions = {},
): RowMessageResult {
  const byLabel = new Map<string, CampaignTemplate>(templates.map((template) => [template.label, template]));
  let failure: RowMessageResult | undefined;
  const render = (label: string, source?: string): string | undefined => {
    const template = byLabel.get(label);
    if (template && !template.parsed.ok) {
      failure ??= { ok: false, skip: true, reason: `\`${label}\` has a template syntax error` };
      return undefined;
    }
    const text = template?.source ?? source;
    if (text === undefined) return undefined;
    const result = renderTemplate(text, data, { mode: template?.kind === 'html' ? 'html' : 'text' });
    if (!result.ok) {
      failure ??= { ok: false, skip: false, template: label, reason: result.error.message };
      return undefined;
    }
    return result.output;
  };

  if (!byLabel.has('to')) return { ok: false, skip: true, reason: '`to` is missing' };
  if (!byLabel.has('from.address')) return { ok: false, skip: true, reason: '`from.address` is missing' };
  const to = render('to') ?? '';
  const from = { name: render('from.name') ?? '', address: render('from.address') ?? '' };
  const replyTo = render('reply_to');
  const subject = render('subject') ?? '';
  const headers: Record<string, string> = {};
  for (const template of templates) {
    if (template.label.startsWith('headers.')) headers[template.label.slice('headers.'.length)] = render(template.label) ?? '';
  }
  // cc and bcc are plain lists, not templates in the schema; rendering them anyway shows what a merge field there would do.
  const cc = listOf(campaign.get(['cc'])).map((entry, index) => render(`cc[${index}]`, entry) ?? '');
  const bcc = listOf(campaign.get(['bcc'])).map((entry, index) => render(`bcc[${index}]`, entry) ?? '');
  const html = byLabel.has('body.html') ? render('body.html') : undefined;
  const text = byLabel.has('body.text') ? render('body.text') : undefined;
  if (failure) return failure;
  return {
    ok: true,
    input: {
      from,
      to,
      ...(replyTo !== undefined && replyTo.trim() !== '' ? { replyTo } : {}),
      ...(cc.length > 0 ? { cc } : {}),
      ...(bcc.length > 0 ? { bcc } : {}),
      subject,
      headers,
      ...(html !== undefined ? { html } : {}),
      ...(text !== undefined ? { text } : {}),
      ...(options.date ? { date: options.date } : {}),
      ...(options.messageId ? { messageId: options.messageId } : {}),
      ...(options.boundarySeed ? { boundarySeed: options.boundarySeed } : {}),
    },
  };
}

/** Addresses written into the campaign that a recipient may legitimately see: sender, reply-to and archive. */
export function allowedAddresses(input: RenderMessageInput, archiveAddresses: readonly string[]): string[] {
  return [input.from.address, ...(input.replyTo !== undefined ? input.replyTo.split(',').map((part) => part.replace(/^.*<|>.*$/g, '').trim()) : []), ...archiveAddresses].filter(
    (address) => address !== '',
  );
}
