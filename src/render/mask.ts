/**
 * Masked previews. Masking the raw MIME text would miss values hidden by encodings
 * (quoted-printable, base64, encoded words), so the message is parsed, masked in its
 * decoded form and composed again: the preview stays a parseable message with the
 * same headers and parts, only personal values and foreign addresses masked.
 */
import Handlebars from 'handlebars';
import { maskAddress } from '../core/address.js';
import { maskPii as maskValue } from '../core/mask.js';
import { defaultNormaliseAddress, findAddressTokens, revealAddresses } from './addresses.js';
import { renderMessage } from './compose.js';
import type { MessageAddress } from './compose.js';
import { parseRenderedMessage } from './parse.js';

// One masking policy for every output: the same forms as findings use.
export { maskAddress } from '../core/address.js';
export { maskPii as maskValue } from '../core/mask.js';

export interface MaskOptions {
  /** Addresses shown as they are: the sender, reply-to and archive addresses. */
  allowAddresses?: readonly string[];
}

/** Headers the composer writes itself from the fields it is given. */
const COMPOSED_HEADERS: ReadonlySet<string> = new Set([
  'from', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'date', 'message-id', 'mime-version', 'content-type', 'content-transfer-encoding',
]);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function createMasker(values: readonly string[], options: MaskOptions = {}): (text: string, html?: boolean) => string {
  const allowed = new Set((options.allowAddresses ?? []).map(defaultNormaliseAddress));
  // Longest first, so that "Jo Ann" is masked before "Jo"; one-character values are
  // skipped because masking every "a" would make the preview unreadable.
  const personal = [...new Set(values.map((value) => value.trim()))]
    .filter((value) => Array.from(value).length > 1)
    .sort((left, right) => right.length - left.length);
  const patterns = personal.map((value) => ({ value, masked: maskValue(value) }));
  return (text, html = false) => {
    // Entity- or percent-encoded addresses render the same once decoded, so decode them to mask them.
    let result = revealAddresses(text);
    for (const { value, masked } of patterns) {
      for (const form of html ? [value, Handlebars.escapeExpression(value)] : [value]) {
        // Whole words only: the value "Bo" must not turn "Boots" into "B***ots".
        const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(form)}(?![\\p{L}\\p{N}])`, 'gu');
        result = result.replace(pattern, masked);
      }
    }
    return maskAddressRuns(result, (address) => (allowed.has(defaultNormaliseAddress(address)) ? address : maskAddress(address)));
  };
}

/** Characters that end a run of text around an `@` (the masker's idea of a word). */
const RUN_BREAK = /[\s<>"',;:()[\]]/u;

/**
 * Every address token in `text` replaced by `replace(token)`, token by token at its offset.
 * Tokens are read within runs of characters free of RUN_BREAK (so `'jane@…'` loses its quotes),
 * each run found from an `@` outwards: linear in the text, where a regular expression
 * `[^…]+@[^…]+` retried from every character was quadratic on a long run without `@`.
 */
export function maskAddressRuns(text: string, replace: (address: string) => string): string {
  let out = '';
  let copied = 0;
  let runEnd = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', Math.max(at + 1, runEnd))) {
    let start = at;
    while (start > runEnd && !RUN_BREAK.test(text[start - 1] ?? ' ')) start--;
    let end = at + 1;
    while (end < text.length && !RUN_BREAK.test(text[end] ?? ' ')) end++;
    runEnd = end;
    const run = text.slice(start, end);
    for (const token of findAddressTokens(run)) {
      out += text.slice(copied, start + token.index) + replace(token.address);
      copied = start + token.index + token.address.length;
    }
  }
  return out + text.slice(copied);
}

/**
 * A row's cells masked before anything is rendered from them (masking at the source): each cell
 * becomes its masked form (`a***@example.com`, `J***`), a blank cell stays as it is so that
 * `{{#if}}` reads the same. A message composed from these never holds a real value, however the
 * composer folds, encodes or quotes it (a cell with a line break, folded, once slipped past a
 * masker that searched the composed output for the value).
 */
export function maskRowValues(fields: readonly string[]): string[] {
  return fields.map((value) => (value.trim() === '' ? value : maskValue(value)));
}

/** Every value of a column → value record masked (see maskRowValues). */
export function maskRowRecord(values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value.trim() === '' ? value : maskValue(value)]));
}

/** The composer ends each part with a line break that the parser hands back as content. */
function withoutComposerNewline(body: string): string {
  return body.endsWith('\n') ? body.slice(0, -1) : body;
}

/**
 * The message with `values` (the row's cells) and every address outside
 * `allowAddresses` masked, composed again as a parseable message.
 */
export async function maskMessage(raw: string, values: readonly string[], options: MaskOptions = {}): Promise<string> {
  const parsed = await parseRenderedMessage(raw);
  const mask = createMasker(values, options);
  const allowed = new Set((options.allowAddresses ?? []).map(defaultNormaliseAddress));
  const maskAddressEntry = (entry: MessageAddress): string => {
    const isAllowed = allowed.has(defaultNormaliseAddress(entry.address));
    const address = isAllowed ? entry.address : maskAddress(entry.address);
    // A recipient's display name is personal data even when it is no cell value.
    const name = isAllowed || entry.name.trim() === '' ? entry.name : maskValue(entry.name);
    return name ? `"${name.replace(/["\\]/g, '\\$&')}" <${address}>` : address;
  };
  const header = (name: string): string | undefined => parsed.headers.find(([key]) => key.toLowerCase() === name)?.[1];
  const extraHeaders = Object.fromEntries(
    parsed.headers.filter(([name]) => !COMPOSED_HEADERS.has(name.toLowerCase())).map(([key, value]) => [key, mask(value)]),
  );
  const date = header('date');
  const messageId = header('message-id');
  const result = await renderMessage({
    from: parsed.from ?? { name: '', address: '' },
    to: parsed.to.map(maskAddressEntry).join(', '),
    ...(parsed.cc.length ? { cc: parsed.cc.map(maskAddressEntry) } : {}),
    ...(parsed.replyTo.length ? { replyTo: parsed.replyTo.map(maskAddressEntry).join(', ') } : {}),
    subject: mask(parsed.subject),
    headers: extraHeaders,
    ...(parsed.html !== undefined ? { html: mask(withoutComposerNewline(parsed.html), true) } : {}),
    ...(parsed.text !== undefined ? { text: mask(withoutComposerNewline(parsed.text)) } : {}),
    ...(date ? { date: new Date(date) } : {}),
    ...(messageId ? { messageId } : {}),
    boundarySeed: 'preview',
  });
  if (!result.ok) throw new Error(`could not compose the masked preview: ${result.error.message}`);
  return result.message.raw;
}
