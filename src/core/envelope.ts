/**
 * The message's recipient surface: ONE model of every header a real send would carry that
 * names an address, derived from the campaign the way a sender builds the message.
 *
 * A sender reads `to`, `cc`, `bcc`, `reply_to`, `from`, `sender` and `headers` in whatever
 * spelling its loader and mail library accept (`Cc`, `BCC`, `Reply-To`, `replyTo`...), after
 * YAML aliases and YAML 1.1 merge keys (`<<: *base`, which this linter's YAML 1.2 parser keeps
 * as a plain key but a 1.1 loader merges), and it accepts values of any YAML type (a list `to`,
 * a string `bcc`, a number, a `{name, address}` map). The model takes all of them in, keeps
 * each entry's YAML position, and classifies it:
 *
 * - `to`: exactly one string template yielding the row's own address (single-recipient-to);
 * - `from`, `sender`, `reply-to`: one constant address each (sender-address);
 * - `bcc`: archive addresses only (no-bulk-bcc);
 * - `cc`, `resent` (any Resent-*), `recipient` (Return-Receipt-To, Delivered-To, the SMTP
 *   `envelope`...): violations whenever they carry anything (no-cc);
 * - `other`: headers that carry no address (Subject, List-Unsubscribe...), kept for
 *   header-injection.
 *
 * Spelling a field twice (`to` and `To`, `reply_to` and `headers.Reply-To`) and a value of a
 * type the model does not expect are problems of the locked rule that owns the class, whatever
 * `schema` says. The locked rules read this model; none re-derives it.
 */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node, YAMLMap } from 'yaml';
import type { Campaign } from './campaign.js';
import addressparser from 'nodemailer/lib/addressparser';
import type { Address } from 'nodemailer/lib/addressparser';
import type { RuleContext, SourceLocation } from './types.js';
import { mapScalarPosition, parseTemplate } from '../parsers/template.js';
import type { TemplateParseResult } from '../parsers/template.js';
import type { YamlPath } from '../parsers/yaml.js';
import { CANONICAL, CLASS_OWNER, RECIPIENT_HEADERS, classifyHeader, normaliseKey, words } from './header-class.js';
import type { HeaderClass } from './header-class.js';
import type { PayloadModel } from '../payloads/model.js';

export type ValueType = 'string' | 'number' | 'boolean' | 'null' | 'list' | 'map';

export { ADDRESS_CLASSES, CLASS_OWNER, classifyHeader, normaliseKey } from './header-class.js';
export type { HeaderClass } from './header-class.js';

/** One piece of text the composer reads: a scalar, or the `name` / `address` of a map. */
export interface EnvelopePart {
  /** The scalar as text (a number or boolean as the composer would stringify it). */
  source: string;
  type: 'string' | 'number' | 'boolean';
  /** `value` for a whole scalar, `name` / `address` for a `{name, address}` map's members. */
  role: 'value' | 'name' | 'address';
  loc: SourceLocation;
  /** Maps a 1-based position inside `source` to the campaign file (string scalars only). */
  locate(line: number, column: number): { line: number; column: number };
  /** The template parse, done once on first use. */
  readonly parsed: TemplateParseResult;
}

export interface EnvelopeEntry {
  /** The header this entry sets, canonically spelled: `To`, `Cc`, `Resent-Cc`, `Subject`, `X-Campaign`. */
  header: string;
  cls: HeaderClass;
  /** The field as written, for messages: `to`, `Cc`, `headers.Resent-Cc`, `from`. */
  field: string;
  /** Its YAML path in the document as written (a merged entry: the path of the `<<` key). */
  path: YamlPath;
  /** The key's spelling as written. */
  key: string;
  type: ValueType;
  parts: EnvelopePart[];
  /** From the key to the end of its value. */
  loc: SourceLocation;
  keyLoc: SourceLocation;
  valueLoc: SourceLocation;
  /** Came in through a `<<` merge key. */
  merged: boolean;
  /** In `headers` (or a top-level key that only a header-passing sender would send). */
  inHeaders: boolean;
}

export interface EnvelopeProblem {
  /** The locked rule that reports it. */
  rule: string;
  messageId: 'ambiguousField' | 'unexpectedType';
  data: Record<string, string>;
  loc: SourceLocation;
  entry: EnvelopeEntry;
}

export interface Envelope {
  entries: EnvelopeEntry[];
  problems: EnvelopeProblem[];
  /** `headers` itself spelled twice, or not a map (the owner: header-injection). */
  headerProblems: { messageId: 'ambiguousHeaders' | 'headersType'; data: Record<string, string>; loc: SourceLocation }[];
  /** Entries of the given classes, in document order. */
  of(...classes: HeaderClass[]): EnvelopeEntry[];
  /**
   * Set for a sending-platform payload file (src/payloads): its messages, mapped into the same
   * classes. The locked rules judge these instead of a campaign's keys; `entries` is empty.
   */
  payload?: PayloadModel;
}

/** Top-level keys a sender reads as headers: the address fields in any spelling, `subject`, `headers`. */
function classifyTopLevel(key: string): { cls: HeaderClass; header: string } | 'headers' | undefined {
  const norm = normaliseKey(key);
  if (norm === 'headers') return 'headers';
  const known = CANONICAL[norm];
  if (known) return { cls: known[0], header: known[1] };
  // Not the `recipient` word rule here: `recipients` is the campaign's own list key.
  const classified = classifyHeader(key);
  if (classified.cls === 'resent' || RECIPIENT_HEADERS.has(norm)) return classified;
  const last = words(key).pop() ?? '';
  return classified.cls === 'recipient' && (last === 'to' || last === 'cc' || last === 'bcc') ? classified : undefined;
}

interface RawPair {
  key: string;
  value: Node | null;
  /** The value node as written (an alias stays an alias), for positions. */
  written: Node | null;
  path: YamlPath;
  merged: boolean;
}

function resolve(doc: Document.Parsed, node: unknown): Node | null {
  let current = node;
  for (let hops = 0; isAlias(current) && hops < 20; hops++) current = current.resolve(doc);
  return isAlias(current) ? null : ((current ?? null) as Node | null);
}

/**
 * The pairs of a map as a YAML 1.1 loader sees them: its own keys, then the keys of `<<`
 * merges that it does not set itself (earlier merge sources first). Merged pairs take the
 * path of their `<<` key, which is where the campaign pulls them in.
 */
function pairsOf(doc: Document.Parsed, map: YAMLMap, path: YamlPath, seen = new Set<YAMLMap>()): RawPair[] {
  if (seen.has(map) || seen.size > 50) return [];
  seen.add(map);
  const own: RawPair[] = [];
  const merges: RawPair[] = [];
  const ownKeys = new Set<string>();
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const keyNode = resolve(doc, item.key);
    if (!isScalar(keyNode)) continue;
    const key = String(keyNode.value);
    const written = (item.value ?? null) as Node | null;
    const value = resolve(doc, written);
    if (key === '<<') {
      const sources = isSeq(value) ? value.items.map((source) => resolve(doc, source)) : [value];
      for (const source of sources) {
        if (!isMap(source)) continue;
        for (const pair of pairsOf(doc, source, [...path, key], seen)) merges.push({ ...pair, path: [...path, key], merged: true });
      }
      continue;
    }
    ownKeys.add(key);
    own.push({ key, value, written, path: [...path, key], merged: false });
  }
  seen.delete(map);
  const result = [...own];
  for (const pair of merges) {
    if (ownKeys.has(pair.key)) continue;
    ownKeys.add(pair.key);
    result.push(pair);
  }
  return result;
}

function scalarType(value: unknown): 'string' | 'number' | 'boolean' | 'null' {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'string';
}

export function typeOf(node: Node | null): ValueType {
  if (node === null) return 'null';
  if (isSeq(node)) return 'list';
  if (isMap(node)) return 'map';
  if (isScalar(node)) return scalarType(node.value);
  return 'null';
}

class Builder {
  readonly entries: EnvelopeEntry[] = [];

  constructor(private readonly campaign: Campaign) {}

  private get doc(): Document.Parsed {
    return this.campaign.yaml.doc;
  }

  private locOf(node: Node | null, fallback: SourceLocation): SourceLocation {
    return (node && this.campaign.nodeLocation(node)) ?? fallback;
  }

  /** Every scalar the composer would read from a value, with its role. */
  parts(node: Node | null, fallback: SourceLocation, role: EnvelopePart['role'] = 'value', depth = 0): EnvelopePart[] {
    const value = resolve(this.doc, node);
    if (value === null || depth > 8) return [];
    if (isScalar(value)) {
      const type = scalarType(value.value);
      if (type === 'null') return [];
      const source = String(value.value);
      const range = value.range;
      const text = this.campaign.text;
      const scalarKind = value.type ?? 'PLAIN';
      const loc = this.locOf(node, fallback);
      let parsed: TemplateParseResult | undefined;
      return [
        {
          source,
          type,
          role,
          loc,
          locate: (line, column) => (range && type === 'string' ? mapScalarPosition(text, range[0], scalarKind, line, column, range[1]) : { line: loc.line, column: loc.column }),
          get parsed() {
            parsed ??= parseTemplate(source);
            return parsed;
          },
        },
      ];
    }
    if (isSeq(value)) return value.items.flatMap((item) => this.parts(item as Node | null, this.locOf(node, fallback), role, depth + 1));
    if (isMap(value)) {
      // `{name, address}` (nodemailer's address object) and `{value, prepared}` (a prepared header): the members the composer reads.
      const out: EnvelopePart[] = [];
      for (const pair of pairsOf(this.doc, value, [])) {
        const member = pair.key === 'name' ? 'name' : pair.key === 'address' ? 'address' : pair.key === 'value' ? role : undefined;
        // Members the composer ignores are still read, so that nothing with an address in it hides in a map.
        out.push(...this.parts(pair.written, this.locOf(pair.written ?? node, fallback), member ?? role, depth + 1));
      }
      return out;
    }
    return [];
  }

  add(pair: RawPair, cls: HeaderClass, header: string, field: string, inHeaders: boolean): void {
    const keyLoc = this.campaign.keyLocation(pair.path);
    const loc = this.campaign.entryLocation(pair.path);
    const valueLoc = pair.merged ? loc : this.locOf(pair.written, this.campaign.valueLocation(pair.path));
    const parts = this.parts(pair.written, valueLoc);
    // A merged value is reported where the campaign pulls it in, not at its anchor.
    if (pair.merged) for (const part of parts) part.loc = loc;
    this.entries.push({
      header,
      cls,
      field,
      path: pair.path,
      key: pair.key,
      type: typeOf(pair.value),
      parts,
      loc,
      keyLoc,
      valueLoc,
      merged: pair.merged,
      inHeaders,
    });
  }
}

const envelopes = new WeakMap<Campaign, Envelope>();

/** The campaign's envelope model, built once per campaign whichever rules ask. */
export function envelopeOf(campaign: Campaign): Envelope {
  let envelope = envelopes.get(campaign);
  if (!envelope) {
    envelope = buildEnvelope(campaign);
    envelopes.set(campaign, envelope);
  }
  return envelope;
}

/** The envelope of a payload file's stand-in campaign, built by src/payloads from the platform's request. */
export function setPayloadEnvelope(campaign: Campaign, payload: PayloadModel): void {
  envelopes.set(campaign, { entries: [], problems: [], headerProblems: [], of: () => [], payload });
}

function buildEnvelope(campaign: Campaign): Envelope {
  const builder = new Builder(campaign);
  const headerProblems: Envelope['headerProblems'] = [];
  const doc = campaign.yaml.doc;
  const root = resolve(doc, doc.contents);
  const headerMaps: RawPair[] = [];
  if (isMap(root)) {
    for (const pair of pairsOf(doc, root, [])) {
      const classified = classifyTopLevel(pair.key);
      if (classified === undefined) continue;
      if (classified === 'headers') {
        headerMaps.push(pair);
        continue;
      }
      builder.add(pair, classified.cls, classified.header, pair.merged ? `<<.${pair.key}` : pair.key, false);
    }
  }
  if (headerMaps.length > 1) {
    const [first, ...rest] = headerMaps;
    for (const pair of rest) {
      headerProblems.push({ messageId: 'ambiguousHeaders', data: { field: pair.key, first: first?.key ?? 'headers' }, loc: campaign.entryLocation(pair.path) });
    }
  }
  for (const headers of headerMaps) {
    const value = headers.value;
    if (isMap(value)) {
      for (const pair of pairsOf(doc, value, headers.path)) {
        const { cls, header } = classifyHeader(pair.key);
        builder.add(pair, cls, cls === 'other' ? pair.key : header, `${headers.key}.${pair.merged ? '<<.' : ''}${pair.key}`, true);
      }
    } else if (isSeq(value)) {
      // nodemailer also takes `[{key, value}]`: each item one header line.
      value.items.forEach((item, index) => {
        const map = resolve(doc, item);
        if (!isMap(map)) {
          headerProblems.push({ messageId: 'headersType', data: { field: `${headers.key}[${index}]`, type: typeOf(map) }, loc: campaign.valueLocation([...headers.path, index]) });
          return;
        }
        const members = pairsOf(doc, map, [...headers.path, index]);
        const keyPair = members.find((member) => member.key === 'key');
        const valuePair = members.find((member) => member.key === 'value');
        const name = isScalar(keyPair?.value) ? String(keyPair.value.value) : '';
        const { cls, header } = classifyHeader(name);
        const path = [...headers.path, index];
        builder.add({ key: name, value: valuePair?.value ?? null, written: valuePair?.written ?? null, path: valuePair?.path ?? path, merged: false }, cls, cls === 'other' ? name : header, `${headers.key}[${index}]`, true);
      });
    } else if (typeOf(value) !== 'null') {
      headerProblems.push({ messageId: 'headersType', data: { field: headers.key, type: typeOf(value) }, loc: campaign.entryLocation(headers.path) });
    }
  }
  const entries = builder.entries;
  return { entries, problems: problemsOf(entries), headerProblems, of: (...classes) => entries.filter((entry) => classes.includes(entry.cls)) };
}

/** The value types each class accepts, and how to say so. */
function expectedTypes(entry: EnvelopeEntry): { ok: boolean; expected: string } {
  switch (entry.cls) {
    case 'to':
      return { ok: entry.type === 'string', expected: 'one string template' };
    case 'from':
      if (!entry.inHeaders) return { ok: entry.type === 'map' && fromMapOk(entry), expected: 'a map `{name, address}` of strings' };
      return { ok: entry.type === 'string' || (entry.type === 'map' && fromMapOk(entry)), expected: 'one string' };
    case 'sender':
    case 'reply-to':
      return { ok: entry.type === 'string' || entry.type === 'null' || (entry.type === 'map' && fromMapOk(entry)), expected: 'one string' };
    case 'bcc':
      return {
        ok: entry.type === 'null' || ((entry.type === 'string' || entry.type === 'list' || entry.type === 'map') && entry.parts.every((part) => part.type === 'string')),
        expected: 'a list of archive addresses',
      };
    default:
      return { ok: true, expected: '' };
  }
}

function fromMapOk(entry: EnvelopeEntry): boolean {
  return entry.parts.every((part) => part.type === 'string' && part.role !== 'value') && entry.parts.filter((part) => part.role === 'address').length === 1;
}

function problemsOf(entries: readonly EnvelopeEntry[]): EnvelopeProblem[] {
  const problems: EnvelopeProblem[] = [];
  const firstOf = new Map<HeaderClass, EnvelopeEntry>();
  for (const entry of entries) {
    if (entry.cls === 'other') continue;
    const rule = CLASS_OWNER[entry.cls];
    const first = firstOf.get(entry.cls);
    // Violation classes are reported whatever their number; a second To, From, Reply-To or Bcc makes the message depend on the composer.
    if (first && (entry.cls === 'to' || entry.cls === 'from' || entry.cls === 'sender' || entry.cls === 'reply-to' || entry.cls === 'bcc')) {
      problems.push({ rule, messageId: 'ambiguousField', data: { field: entry.field, first: first.field, header: entry.header }, loc: entry.loc, entry });
    } else if (!first) {
      firstOf.set(entry.cls, entry);
    }
    const { ok, expected } = expectedTypes(entry);
    if (!ok) problems.push({ rule, messageId: 'unexpectedType', data: { field: entry.field, header: entry.header, type: entry.type, expected }, loc: entry.loc, entry });
  }
  return problems;
}

/**
 * Character classes for the per-row checks, one table look-up per character: 1 unsafe, 2 unsafe
 * when followed by `?` (an RFC 2047 encoded word starts `=?`). Code points from 160 on are safe
 * but for the line and paragraph separators, tested apart.
 */
function table(unsafe: string): Uint8Array {
  const classes = new Uint8Array(160);
  for (let code = 0; code < 160; code++) if (code < 0x20 || code >= 0x7f) classes[code] = 1;
  for (const char of unsafe) classes[char.charCodeAt(0)] = 1;
  classes[0x3d] = 2;
  return classes;
}
const NAME_CLASSES = table('<>,;:@"\\()');
const QUOTED_CLASSES = table('<>@"\\');

function firstUnsafe(value: string, classes: Uint8Array): number {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 160) {
      const kind = classes[code];
      if (kind === 1 || (kind === 2 && value.charCodeAt(index + 1) === 0x3f)) return index;
    } else if (code === 0x2028 || code === 0x2029) return index;
  }
  return -1;
}

/** Bits of `valueClasses`: the value is unsafe in an unquoted display name, in a quoted one, holds an `@`. */
export const UNSAFE_NAME = 1;
export const UNSAFE_QUOTED = 2;
export const HAS_AT = 4;
/** `&` or `%`: the value may write an `@` encoded (`&#64;`, `&commat;`, `%40`), which HTML or a link decodes. */
export const MAY_ENCODE_AT = 16;
/**
 * One table for the three per-row questions, built from the two above so they cannot drift:
 * bit 1 and 2 as NAME_CLASSES and QUOTED_CLASSES say 1, 4 for `@`, 8 for `=` (unsafe in both
 * when `?` follows).
 */
const VALUE_CLASSES = (() => {
  const classes = new Uint8Array(160);
  for (let code = 0; code < 160; code++) {
    if (NAME_CLASSES[code] === 2) classes[code] = 8;
    else classes[code] = (NAME_CLASSES[code] === 1 ? UNSAFE_NAME : 0) | (QUOTED_CLASSES[code] === 1 ? UNSAFE_QUOTED : 0);
  }
  classes[0x40] = (classes[0x40] ?? 0) | HAS_AT;
  classes[0x26] = (classes[0x26] ?? 0) | MAY_ENCODE_AT;
  classes[0x25] = (classes[0x25] ?? 0) | MAY_ENCODE_AT;
  return classes;
})();

/**
 * The per-row answers for one value in one pass over its characters, for every rule that asks
 * (single-recipient-to and sender-address: is it safe in a display name; rendered-message: does
 * it hold an `@`): `(bits & UNSAFE_NAME) !== 0` exactly when `unsafeNameIndex(value) !== -1`,
 * `(bits & UNSAFE_QUOTED) !== 0` exactly when `unsafeQuotedIndex(value) !== -1`, and
 * `(bits & HAS_AT) !== 0` exactly when `value.includes('@')` (a property test holds these).
 */
export function valueClasses(value: string): number {
  let bits = 0;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 160) {
      const kind = VALUE_CLASSES[code] ?? 0;
      if (kind === 8) {
        if (value.charCodeAt(index + 1) === 0x3f) bits |= UNSAFE_NAME | UNSAFE_QUOTED;
      } else bits |= kind;
    } else if (code === 0x2028 || code === 0x2029) bits |= UNSAFE_NAME | UNSAFE_QUOTED;
  }
  return bits;
}

/**
 * Where a value merged into an address header could change which addresses a mail client
 * reads: the first character that is an address special (`<` `>` `,` `;` `:` `@` `"` `\` `(` `)`),
 * starts an RFC 2047 encoded word (`=?`), is a control character, or separates lines
 * (U+0085, U+2028, U+2029). -1 when the value is safe. One pass over the characters.
 */
export function unsafeNameIndex(value: string): number {
  return firstUnsafe(value, NAME_CLASSES);
}

/**
 * The same for a value the template puts inside a quoted display name (`"{{name}}" <…>`): there a
 * composer reads `,` `;` `:` `(` `)` as text, so only what ends or escapes the quotes (`"` `\`),
 * looks like an address (`<` `>` `@`), is an encoded word, a control character or a line
 * separator is unsafe.
 */
export function unsafeQuotedIndex(value: string): number {
  return firstUnsafe(value, QUOTED_CLASSES);
}

/**
 * Merge fields of a template and whether every use sits inside a double-quoted string of its
 * literal text (`"{{first_name}}" <{{email}}>`): the quoting the per-row check may rely on.
 */
export function quotedFields(part: EnvelopePart): Map<string, boolean> {
  return quoteScan(part).fields;
}

/** True when the template's own text leaves a double quote open: what follows it would be read as a name. */
export function unbalancedQuote(part: EnvelopePart): boolean {
  return quoteScan(part).open;
}

function quoteScan(part: EnvelopePart): { fields: Map<string, boolean>; open: boolean } {
  const quoted = new Map<string, boolean>();
  if (!part.parsed.ok) return { fields: quoted, open: false };
  let inQuote = false;
  for (const statement of part.parsed.ast.body) {
    if (statement.type === 'ContentStatement') {
      const text = (statement as hbs.AST.ContentStatement).value;
      for (let index = 0; index < text.length; index++) {
        if (text.charCodeAt(index) === 0x5c) index++;
        else if (text.charCodeAt(index) === 0x22) inQuote = !inQuote;
      }
    } else if (statement.type === 'MustacheStatement') {
      const path = (statement as hbs.AST.MustacheStatement).path;
      if (path.type !== 'PathExpression') continue;
      const name = (path as hbs.AST.PathExpression).parts[0] ?? (path as hbs.AST.PathExpression).original;
      quoted.set(name, (quoted.get(name) ?? true) && inQuote);
    }
  }
  return { fields: quoted, open: inQuote };
}

/**
 * The same for the address cell itself: exactly one `@`, and no special, space, encoded word
 * or control character between the first and last non-space character. -1 when safe.
 */
export function unsafeAddressIndex(value: string): number {
  let start = 0;
  let end = value.length;
  while (start < end && value.charCodeAt(start) === 0x20) start++;
  while (end > start && value.charCodeAt(end - 1) === 0x20) end--;
  let ats = 0;
  for (let index = start; index < end; index++) {
    const code = value.charCodeAt(index);
    if (code === 0x40) {
      if (++ats > 1) return index;
      continue;
    }
    if (code <= 0x20 || (code >= 0x7f && code <= 0xa0) || code === 0x2028 || code === 0x2029) return index;
    switch (code) {
      case 0x3c:
      case 0x3e:
      case 0x2c:
      case 0x3b:
      case 0x3a:
      case 0x22:
      case 0x5c:
      case 0x28: // ( a comment
      case 0x29:
      case 0x5b: // [ a domain literal
      case 0x5d:
        return index;
      case 0x3d:
        if (value.charCodeAt(index + 1) === 0x3f) return index;
        break;
      default:
        break;
    }
  }
  return -1;
}

/** What the character at `index` is, for a finding: "`<`", "an encoded word (`=?`)", "a control character (U+0007)". */
export function describeUnsafe(value: string, index: number, inAddress = false): string {
  const code = value.charCodeAt(index);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code === 0x0a || code === 0x0d || code === 0x85 || code === 0x2028 || code === 0x2029) return `a line break (${hex})`;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `a control character (${hex})`;
  if (code === 0x20 || code === 0xa0) return 'a space';
  if (code === 0x3d) return 'an encoded word (`=?`)';
  if (code === 0x40 && inAddress) return 'a second `@`';
  return `\`${value.charAt(index)}\``;
}

/** Messages every locked rule that owns a class carries for the model's own problems. */
export const ENVELOPE_MESSAGES = {
  ambiguousField: '`{{field}}` sets {{header}} a second time (first `{{first}}`): which one a sender uses depends on the sender. Keep one',
  unexpectedType:
    '`{{field}}` is a {{type}}, but {{header}} must be {{expected}}: a sender would still send it, so this rule rejects it whatever `schema` says',
} as const;

/** Reports the model's problems that belong to `context`'s rule. */
export function reportEnvelopeProblems(context: RuleContext, envelope: Envelope): void {
  for (const problem of envelope.problems) {
    if (problem.rule === context.ruleId) context.report({ messageId: problem.messageId, data: problem.data, loc: problem.loc });
  }
}

/** Keys of the map at `path` as a YAML 1.1 sender sees them (merge keys applied), with the place of each entry and its scalar value. */
export function mergedKeys(campaign: Campaign, path: YamlPath): { key: string; loc: SourceLocation; value: unknown }[] {
  const doc = campaign.yaml.doc;
  let node: Node | null = resolve(doc, doc.contents);
  const walked: (string | number)[] = [];
  for (const segment of path) {
    if (!isMap(node)) return [];
    const pair = pairsOf(doc, node, walked).find((candidate) => candidate.key === String(segment));
    if (!pair) return [];
    walked.splice(0, walked.length, ...pair.path);
    node = pair.value;
  }
  if (!isMap(node)) return [];
  return pairsOf(doc, node, walked).map((pair) => ({ key: pair.key, loc: campaign.entryLocation(pair.path), value: isScalar(pair.value) ? pair.value.value : pair.value }));
}

/** Merge-field names a part uses (its row columns); empty when it does not parse. */
export function fieldsOf(part: EnvelopePart): string[] {
  return part.parsed.ok ? [...new Set(part.parsed.fields.map((field) => field.name))] : [];
}

/**
 * What in a template's own text (not its merge fields) a mail client would decode or split on:
 * an RFC 2047 encoded word (`=?`, shown decoded, with whatever addresses it holds), a control
 * character or a line separator. Undefined when there is none.
 */
export function literalProblem(part: EnvelopePart): string | undefined {
  if (!part.parsed.ok) return undefined;
  for (const statement of part.parsed.ast.body) {
    if (statement.type !== 'ContentStatement') continue;
    const text = (statement as hbs.AST.ContentStatement).value;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === 0x3d && text.charCodeAt(index + 1) === 0x3f) return describeUnsafe(text, index);
      // Tab is folding whitespace; CR and LF are header-injection's.
      if (code === 0x09 || code === 0x0a || code === 0x0d) continue;
      if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) return describeUnsafe(text, index);
    }
  }
  return undefined;
}

/** One address header value as the composer reads it, with merge fields replaced by inert words. */
export interface ParsedAddressValue {
  /** Mailboxes in it (groups flattened), each address and display name with placeholders. */
  mailboxes: { name: string; address: string }[];
  /** True when it uses group syntax (`name: a@b;`). */
  group: boolean;
  /** Merge fields in some mailbox's address, and in some display name. */
  addressFields: string[];
  nameFields: string[];
}

const PLACEHOLDER = /zzfield(\d+)zz/g;

/**
 * Parses an address header value with nodemailer's own address parser, each merge field
 * replaced by a placeholder word: what a composer makes of the value's constant parts, and
 * which merge fields land in an address and which in a display name.
 */
export function parseAddressValue(part: EnvelopePart): ParsedAddressValue | undefined {
  if (!part.parsed.ok) return undefined;
  const fields: string[] = [];
  let text = '';
  for (const statement of part.parsed.ast.body) {
    if (statement.type === 'ContentStatement') text += (statement as hbs.AST.ContentStatement).value;
    else if (statement.type === 'CommentStatement') continue;
    else {
      const path = statement.type === 'MustacheStatement' ? (statement as hbs.AST.MustacheStatement).path : undefined;
      const name = path?.type === 'PathExpression' ? ((path as hbs.AST.PathExpression).parts[0] ?? (path as hbs.AST.PathExpression).original) : '(dynamic)';
      fields.push(name);
      text += `zzfield${fields.length - 1}zz`;
    }
  }
  const parsed = addressparser(text);
  const mailboxes: { name: string; address: string }[] = [];
  let group = false;
  const walk = (items: readonly Address[]) => {
    for (const item of items) {
      if (item.group) {
        group = true;
        walk(item.group);
      } else if (item.address === '' && item.name !== '') {
        // A bare word (a merge field alone) is what a composer would try as the address.
        mailboxes.push({ name: '', address: item.name });
      } else mailboxes.push({ name: item.name, address: item.address });
    }
  };
  walk(parsed);
  const used = (value: string) => [...value.matchAll(PLACEHOLDER)].map((match) => fields[Number(match[1])] ?? '(dynamic)');
  return {
    mailboxes,
    group,
    addressFields: [...new Set(mailboxes.flatMap((mailbox) => used(mailbox.address)))],
    nameFields: [...new Set(mailboxes.flatMap((mailbox) => used(mailbox.name)))],
  };
}

/** A merged column and the header it is merged into, for the per-row checks. */
export interface MergedColumn {
  index: number;
  field: string;
  /** The entry's field as written (`to`, `reply_to`, `from.name`). */
  template: string;
  /** Every use is inside a quoted display name: the check is `unsafeQuotedIndex`, else `unsafeNameIndex`. */
  quoted: boolean;
}

export interface NameUse {
  template: string;
  quoted: boolean;
}

/** Every column of the header bound to one of `fields` (exact names, as the renderer binds; every copy of a repeated name). */
export function mergedColumns(names: readonly string[], fields: ReadonlyMap<string, NameUse>): MergedColumn[] {
  const columns: MergedColumn[] = [];
  names.forEach((name, index) => {
    const use = fields.get(name);
    if (use !== undefined) columns.push({ index, field: name, template: use.template, quoted: use.quoted });
  });
  return columns;
}

/** Records one use of a display-name field: quoted only while every use is. */
export function addNameUse(fields: Map<string, NameUse>, field: string, template: string, quoted: boolean): void {
  const known = fields.get(field);
  if (known === undefined) fields.set(field, { template, quoted });
  else known.quoted &&= quoted;
}

/** Where a display-name value is unsafe for its use, -1 when safe. */
export function unsafeFor(value: string, quoted: boolean): number {
  return quoted ? unsafeQuotedIndex(value) : unsafeNameIndex(value);
}
