import { Lexer, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, DocumentOptions, Node, Pair, ParseOptions, SchemaOptions } from 'yaml';
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
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const message = /maximum call stack/i.test(error.message) ? 'the document nests too deeply to be read' : firstLine(error.message);
    return { message, line, column: col };
  });
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
