/**
 * What one recipient row turns into: every template of the campaign rendered with
 * that row (defaults filling empty values), ready for the MIME composer. Shared by
 * the rendered-message rule and the `preview` command so that both show the same
 * message. Loads no mail library: the composer is imported by the callers, lazily.
 */
import type { Campaign } from './campaign.js';
import type { CampaignTemplate, CampaignTemplates } from './templates.js';
import { envelopeOf, mergedKeys } from './envelope.js';
import type { EnvelopeEntry } from './envelope.js';
import { parseTemplate, renderTemplate } from '../parsers/template.js';
import type { RenderMessageInput } from '../render/compose.js';

export type RowMessageResult =
  | { ok: true; input: RenderMessageInput }
  /** `skip`: the campaign itself cannot be rendered (a missing or broken template); other rules report that. */
  | { ok: false; skip: true; reason: string }
  /** A template failed for this row's data (e.g. a missing partial or helper); the message names no cell value. */
  | { ok: false; skip: false; template: string; reason: string };

/** `defaults` as strings (merge keys applied, as a YAML 1.1 sender reads them); values of other types are not usable as text and are left out. */
export function campaignDefaults(campaign: Campaign): Map<string, string> {
  const defaults = new Map<string, string>();
  for (const { key, value } of mergedKeys(campaign, ['defaults'])) {
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

/**
 * The composer's input for one row, derived from the envelope model: every address header
 * in whatever spelling, type or place the campaign wrote it (a top-level `Cc`, a list `to`,
 * a `Resent-Cc` header) reaches the composer as a sender would send it, so the rendered
 * audit sees what the static rules see.
 */
export function buildRowMessage(
  campaign: Campaign,
  { templates }: CampaignTemplates,
  data: Readonly<Record<string, string>>,
  options: RowMessageOptions = {},
): RowMessageResult {
  const byLabel = new Map<string, CampaignTemplate>(templates.map((template) => [template.label, template]));
  let failure: RowMessageResult | undefined;
  const render = (label: string, source?: string, kind?: CampaignTemplate['kind']): string | undefined => {
    const template = source === undefined ? byLabel.get(label) : undefined;
    if (template && !template.parsed.ok) {
      failure ??= { ok: false, skip: true, reason: `\`${label}\` has a template syntax error` };
      return undefined;
    }
    const text = template?.source ?? source;
    if (text === undefined) return undefined;
    const result = renderTemplate(text, data, { mode: (template?.kind ?? kind) === 'html' ? 'html' : 'text' });
    if (!result.ok) {
      failure ??= parseTemplate(text).ok ? { ok: false, skip: false, template: label, reason: result.error.message } : { ok: false, skip: true, reason: `\`${label}\` has a template syntax error` };
      return undefined;
    }
    return result.output;
  };
  const envelope = envelopeOf(campaign);
  /** Every part of an entry rendered; a `{name, address}` pair becomes `name <address>`. */
  const renderEntry = (entry: EnvelopeEntry): string[] => {
    const out: string[] = [];
    let name: string | undefined;
    entry.parts.forEach((part, index) => {
      const label = entry.parts.length > 1 ? `${entry.field}[${index}]` : entry.field;
      const rendered = render(label, part.source) ?? '';
      if (part.role === 'name') name = rendered;
      else if (part.role === 'address') {
        out.push(name !== undefined && name.trim() !== '' ? `${name} <${rendered}>` : rendered);
        name = undefined;
      } else out.push(rendered);
    });
    if (name !== undefined && name.trim() !== '') out.push(name);
    return out;
  };
  const joined = (entries: readonly EnvelopeEntry[]) => entries.flatMap(renderEntry).filter((value) => value.trim() !== '');

  const topLevel = (entry: EnvelopeEntry) => !entry.inHeaders;
  const toEntries = envelope.of('to').filter(topLevel);
  if (toEntries.length === 0 && envelope.of('to').length === 0) return { ok: false, skip: true, reason: '`to` is missing' };
  const fromEntry = envelope.of('from').find(topLevel);
  const fromAddressPart = fromEntry?.parts.find((part) => part.role === 'address') ?? fromEntry?.parts.find((part) => part.role === 'value');
  if (fromAddressPart === undefined && envelope.of('from').length === 0) return { ok: false, skip: true, reason: '`from.address` is missing' };

  const to = joined(toEntries).join(', ');
  let from = { name: '', address: '' };
  if (fromEntry && fromAddressPart) {
    const namePart = fromEntry.parts.find((part) => part.role === 'name');
    const address = render(fromEntry.field, fromAddressPart.source) ?? '';
    if (fromAddressPart.role === 'address') from = { name: namePart ? (render(`${fromEntry.field}.name`, namePart.source) ?? '') : '', address };
    else {
      const angle = /^(.*)<([^<>]*)>\s*$/s.exec(address);
      from = angle ? { name: (angle[1] ?? '').trim().replace(/^"(.*)"$/s, '$1'), address: (angle[2] ?? '').trim() } : { name: '', address };
    }
  }
  const replyTo = joined(envelope.of('reply-to').filter(topLevel)).join(', ');
  const subjectEntry = envelope.entries.find((entry) => !entry.inHeaders && entry.header === 'Subject');
  const subject = subjectEntry ? joined([subjectEntry]).join(' ') : '';
  const cc = joined(envelope.of('cc').filter(topLevel));
  const bcc = joined(envelope.of('bcc').filter(topLevel));
  const headers: Record<string, string> = {};
  const addHeader = (name: string, values: string[]) => {
    const value = values.join(', ');
    headers[name] = Object.hasOwn(headers, name) && headers[name] !== '' ? `${headers[name] ?? ''}, ${value}` : value;
  };
  // Top-level keys a sender passes on as headers (a top-level `Sender`, `Resent-Cc`, `Delivered-To`...).
  for (const entry of envelope.entries) {
    if (entry.inHeaders || ['to', 'from', 'reply-to', 'cc', 'bcc', 'other'].includes(entry.cls) || entry.key === 'envelope') continue;
    addHeader(entry.header, renderEntry(entry));
  }
  for (const entry of envelope.entries) if (entry.inHeaders) addHeader(entry.key, renderEntry(entry));
  const html = byLabel.has('body.html') ? render('body.html') : undefined;
  const text = byLabel.has('body.text') ? render('body.text') : undefined;
  if (failure) return failure;
  return {
    ok: true,
    input: {
      from,
      to,
      ...(replyTo.trim() !== '' ? { replyTo } : {}),
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
