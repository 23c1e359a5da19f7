import { Lexer, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, DocumentOptions, Node, Pair, ParseOptions, SchemaOptions } from 'yaml';
import { maskAddressesInText } from '../core/mask.js';
import type { SourceLocation } from '../core/types.js';

export type YamlPath = readonly (string | number)[];

export interface YamlComment {
  /** The comment text without the leading `#`. */
  text: string;
  line: number;
  column: number;
  endColumn: number;
  /** True when nothing but whitespace precedes the comment on its line. */
  ownLine: boolean;
}

export interface YamlSyntaxError {
  message: string;
  line: number;
  column: number;
}

/** Offset to 1-based line and column, the interface of yaml's LineCounter. */
export interface LinePositions {
  linePos(offset: number): { line: number; col: number };
}

/**
 * Line starts computed from the text itself (LF, CRLF and lone CR, as YAML counts
 * them). yaml's own LineCounter only learns the lines the parser reached, so after
 * some syntax errors it places later offsets on the wrong line.
 */
export class LineIndex implements LinePositions {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === 10 || (code === 13 && text.charCodeAt(index + 1) !== 10)) this.starts.push(index + 1);
    }
  }

  linePos(offset: number): { line: number; col: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, col: offset - (this.starts[low] ?? 0) + 1 };
  }
}

export interface ParsedYaml {
  text: string;
  doc: Document.Parsed;
  lineCounter: LinePositions;
  /** Plain JS value of the document; `__proto__` keys stay ordinary data. */
  value: unknown;
  errors: YamlSyntaxError[];
}

// Lexer tokens that mark structure but do not stand for source characters.
const STRUCTURAL_TOKENS = new Set(['\u0002', '\u0018', '\u001f']);

/**
 * Parses YAML the way campaign-lint wants it: YAML 1.2 core schema (no custom
 * tags, so a campaign can never instantiate anything), duplicate keys as
 * errors, and a hard alias budget so an alias bomb fails fast instead of
 * expanding.
 */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineIndex(text);
  const options: ParseOptions & DocumentOptions & SchemaOptions = { uniqueKeys: true, prettyErrors: false, strict: true, schema: 'core', customTags: [], keepSourceTokens: false };
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, options);
  } catch (error) {
    // Deep enough nesting exhausts the parser's stack; the document is hostile or broken either way.
    const empty = parseDocument('', options);
    return { text, doc: empty, lineCounter, value: undefined, errors: [{ message: conversionFailure(error), line: 1, column: 1 }] };
  }
  const errors: YamlSyntaxError[] = doc.errors.map((error) => {
    if (/maximum call stack/i.test(error.message)) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return { message: 'the document nests too deeply to be read', line, column: col };
    }
    return explainYamlError(text, lineCounter, error.code, error.pos[0], firstLine(error.message));
  });
  // `subject: {{first_name}}` is valid YAML, a map whose key is a map: never what a campaign means.
  if (errors.length === 0) errors.push(...templateMaps(doc, text, lineCounter));
  let value: unknown = undefined;
  if (errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      errors.push({ message: conversionFailure(error), line: 1, column: 1 });
    }
  }
  return { text, doc, lineCounter, value, errors };
}

/** The line holding `offset`: its text and start. */
function lineAt(text: string, offset: number): { line: string; start: number } {
  const start = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const ends = [text.indexOf('\n', start), text.indexOf('\r', start)].filter((at) => at !== -1);
  return { line: text.slice(start, ends.length > 0 ? Math.min(...ends) : text.length), start };
}

/** `  subject: value # note` → the prefix up to the value (`  subject: `), the value (`value`). */
const KEY_VALUE = /^(\s*(?:-[ \t]+)*(?:(?:"[^"]*"|'[^']*'|[^\s#'"{[][^#]*?):[ \t]+)?)(\S.*?)(?:[ \t]+#.*)?$/;

/** The value quoted as a fix to paste: addresses masked, and only when short enough to read. */
function quotedFix(prefix: string, value: string): string {
  const key = prefix.trim();
  if (value.length > 120) return `\`${key}${key === '' ? '' : ' '}"…"\``;
  const quoted = value.startsWith('"') && !value.startsWith("'") ? `'${value.replace(/'/g, "''")}'` : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return `\`${maskAddressesInText(`${key}${key === '' ? '' : ' '}${quoted}`)}\``;
}

/**
 * A YAML syntax error as one line that says how to fix it. The commonest mistakes in a campaign
 * are values that YAML reads as something else: `subject: {{first_name}}, hi` (a `{` starts a
 * map), `subject: Note: sale` (`: ` starts a map), `subject: @home`; then tabs, duplicate keys,
 * misaligned keys and unclosed quotes. Anything else keeps the parser's own words.
 */
export function explainYamlError(text: string, lines: LinePositions, code: string, offset: number, raw: string): YamlSyntaxError {
  const at = (index: number, message: string): YamlSyntaxError => {
    const { line, col } = lines.linePos(index);
    return { message, line, column: col };
  };
  const { line, start } = lineAt(text, Math.min(offset, Math.max(0, text.length - 1)));
  const match = KEY_VALUE.exec(line);
  const prefix = match?.[1] ?? '';
  const value = match?.[2] ?? '';
  const valueAt = start + prefix.length;
  const quote = (why: string) => at(valueAt, `${why}. Quote the value: ${quotedFix(prefix, value)}`);
  const valueCodes = new Set(['UNEXPECTED_TOKEN', 'BAD_SCALAR_START', 'BLOCK_AS_IMPLICIT_KEY', 'MISSING_CHAR', 'UNEXPECTED_FLOW_SCALAR']);
  if (match && value !== '' && valueCodes.has(code)) {
    if (value.startsWith('{{')) return quote('a value that starts with `{{` is read by YAML as a map, not as text with a merge field');
    if (value.startsWith('{') || value.startsWith('[')) {
      if (code !== 'MISSING_CHAR') return quote(`a value that starts with \`${value.charAt(0)}\` is read by YAML as a ${value.startsWith('{') ? 'map' : 'list'}`);
    }
    if (/^[*&!]/.test(value)) return quote(`a value that starts with \`${value.charAt(0)}\` is read by YAML as ${value.startsWith('*') ? 'an alias' : value.startsWith('&') ? 'an anchor' : 'a tag'}`);
    if (code === 'BAD_SCALAR_START') return quote(`a plain value cannot start with \`${value.charAt(0)}\``);
    if (code === 'BLOCK_AS_IMPLICIT_KEY' && /:[ \t]/.test(value)) return quote('a plain value cannot contain `: ` (a colon and a space): YAML reads it as a key');
    if (code === 'UNEXPECTED_TOKEN' && /^["']/.test(value)) return quote('text follows the closing quote');
  }
  switch (code) {
    case 'TAB_AS_INDENT':
      return at(offset, 'a tab is used for indentation: YAML allows only spaces. Indent with spaces');
    case 'DUPLICATE_KEY': {
      const key = /^\s*(?:-[ \t]+)*("[^"]*"|'[^']*'|[^:#]+?)\s*:/.exec(line)?.[1];
      return at(offset, `${key === undefined ? 'a key' : `\`${maskAddressesInText(key)}\``} is written twice in the same map: keep one (YAML keys must be unique)`);
    }
    case 'BAD_INDENT':
      if (/end with a ([\]}])/.test(raw)) {
        const mark = /end with a ([\]}])/.exec(raw)?.[1] ?? ']';
        const open = lastOpening(text, offset, mark === ']' ? '\\[' : '\\{');
        return at(open === -1 ? offset : open, `a \`${mark === ']' ? '[' : '{'}\` is not closed: add the closing \`${mark}\` on the same line, or quote the value if it is text`);
      }
      if (raw.includes('same column')) return at(offset, 'this key is not lined up with the keys beside it: indent it with the same number of spaces');
      return at(offset, `${raw}: check the indentation (spaces only, the same number for keys of one map)`);
    case 'MISSING_CHAR': {
      const mark = /closing (["'\]}])/.exec(raw)?.[1];
      if (mark === '"' || mark === "'") {
        // Where the open quote is: the last value before the error that starts with it.
        const open = lastOpening(text, offset, mark);
        return at(open === -1 ? offset : open, `a ${mark === '"' ? 'double' : 'single'}-quoted value is not closed: add the closing ${mark} at the end of the value`);
      }
      if (mark === ']' || mark === '}') return at(offset, `a \`${mark === ']' ? '[' : '{'}\` is not closed: add the closing ${mark}, or quote the value if it is text`);
      return at(offset, raw);
    }
    case 'MULTILINE_IMPLICIT_KEY':
      return at(offset, `${raw}: a key must be on one line; check for a missing \`:\` or an unclosed quote above`);
    default:
      return at(offset, raw);
  }
}

/** Offset of the last value before `offset` that starts with `mark` (a regex-escaped character), or -1. */
function lastOpening(text: string, offset: number, mark: string): number {
  let open = -1;
  for (const found of text.slice(0, offset).matchAll(new RegExp(`(?:^|:[ \\t]+|-[ \\t]+)${mark}`, 'gm'))) open = found.index + found[0].length - 1;
  return open;
}

/** Flow maps that start with `{{` where the document parsed: `subject: {{first_name}}` and `- {{manager}}`. */
function templateMaps(doc: Document.Parsed, text: string, lines: LinePositions): YamlSyntaxError[] {
  const found: YamlSyntaxError[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (depth > 64 || found.length >= 10) return;
    if (isMap(node) || isSeq(node)) {
      const range = node.range;
      if (isMap(node) && node.flow === true && range && text.startsWith('{{', range[0])) {
        found.push(explainYamlError(text, lines, 'UNEXPECTED_TOKEN', range[0], 'a value that starts with `{{` is read by YAML as a map'));
        return;
      }
      for (const item of node.items) {
        if (isPair(item)) {
          visit(item.key, depth + 1);
          visit(item.value, depth + 1);
        } else visit(item, depth + 1);
      }
    }
  };
  visit(doc.contents, 0);
  return found;
}

function conversionFailure(error: unknown): string {
  if (error instanceof RangeError) return 'the document nests too deeply to be read';
  return firstLine(error instanceof Error ? error.message : String(error));
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0]?.trim() ?? message;
}

/** Every comment in the text with its position, found by the YAML lexer (so `#` inside strings is not a comment). */
export function yamlComments(text: string, lineCounter: LinePositions): YamlComment[] {
  const comments: YamlComment[] = [];
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (STRUCTURAL_TOKENS.has(token)) continue;
    if (token.startsWith('#')) {
      const { line, col } = lineCounter.linePos(offset);
      const lineStart = offset - (col - 1);
      comments.push({
        text: token.slice(1),
        line,
        column: col,
        endColumn: col + token.length,
        ownLine: text.slice(lineStart, offset).trim() === '',
      });
    }
    offset += token.length;
  }
  return comments;
}

/** Offsets to a location; trailing line breaks and spaces a YAML range includes are left out of the end. */
export function rangeToLocation(parsed: Pick<ParsedYaml, 'text' | 'lineCounter'>, start: number, end: number): SourceLocation {
  let stop = Math.max(start, end);
  while (stop > start && /\s/.test(parsed.text.charAt(stop - 1))) stop--;
  const from = parsed.lineCounter.linePos(start);
  const to = parsed.lineCounter.linePos(stop);
  return { line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
}

export function nodeLocation(parsed: Pick<ParsedYaml, 'text' | 'lineCounter'>, node: Node | null | undefined): SourceLocation | undefined {
  const range = node?.range;
  if (!range) return undefined;
  return rangeToLocation(parsed, range[0], range[1]);
}

/** The map pair at `path` (its last segment must be a key of a map). */
export function pairAt(doc: Document.Parsed, path: YamlPath): Pair<Node, Node | null> | undefined {
  if (path.length === 0) return undefined;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const last = path[path.length - 1];
  for (const item of parent.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(last)) {
      return item as Pair<Node, Node | null>;
    }
  }
  return undefined;
}

/** The value node at `path`, or undefined when the path does not exist. */
export function nodeAt(doc: Document.Parsed, path: YamlPath): Node | undefined {
  if (path.length === 0) return doc.contents ?? undefined;
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    const parent = nodeAt(doc, path.slice(0, -1));
    return isSeq(parent) ? ((parent.items[last] ?? undefined) as Node | undefined) : undefined;
  }
  const pair = pairAt(doc, path);
  return pair?.value ?? undefined;
}

/**
 * The location of the key at `path` (or of the item, for sequence indexes),
 * falling back to the nearest ancestor that exists so a finding always has a place.
 */
export function locateKey(parsed: ParsedYaml, path: YamlPath): SourceLocation {
  for (let depth = path.length; depth > 0; depth--) {
    const prefix = path.slice(0, depth);
    const last = prefix[prefix.length - 1];
    if (typeof last === 'number') {
      const loc = nodeLocation(parsed, nodeAt(parsed.doc, prefix));
      if (loc) return loc;
      continue;
    }
    const pair = pairAt(parsed.doc, prefix);
    const loc = nodeLocation(parsed, pair?.key);
    if (loc) return loc;
  }
  return documentStart(parsed);
}

/** The location of the value at `path`, falling back like {@link locateKey}. */
export function locateValue(parsed: ParsedYaml, path: YamlPath): SourceLocation {
  const loc = nodeLocation(parsed, nodeAt(parsed.doc, path));
  return loc ?? locateKey(parsed, path);
}

/** From the key at `path` to the end of its value: the whole entry, for findings about a key and its value. */
export function locateEntry(parsed: ParsedYaml, path: YamlPath): SourceLocation {
  const pair = pairAt(parsed.doc, path);
  const keyRange = pair?.key.range;
  const valueRange = pair?.value?.range;
  if (keyRange && valueRange) return rangeToLocation(parsed, keyRange[0], valueRange[1]);
  return locateKey(parsed, path);
}

function documentStart(parsed: ParsedYaml): SourceLocation {
  const range = parsed.doc.contents?.range;
  const start = range ? range[0] : 0;
  const { line, col } = parsed.lineCounter.linePos(start);
  return { line, column: col };
}
