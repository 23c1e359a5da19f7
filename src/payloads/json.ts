/**
 * JSON text read into the positioned tree of ./jvalue.ts. Parsing is @humanwhocodes/momoa's (the
 * parser of ESLint's JSON language) in strict `json` mode: every member is kept as written,
 * duplicates included, with line and column. What this module adds around it:
 * - raw control characters inside strings are refused (RFC 8259; momoa accepts them);
 * - nesting deeper than MAX_JSON_DEPTH is refused, found by a linear pre-scan before momoa runs,
 *   so hostile input (`[[[[…` a million deep) cannot exhaust the stack of a recursive parser;
 * - an error message is one line with a fix hint, and a missing end of input is reported where
 *   the input ends.
 * The guard does not import this module (it builds the tree from plain values: ./jvalue.ts).
 */
import { parse, tokenize } from '@humanwhocodes/momoa';
import type { DocumentNode, ValueNode } from '@humanwhocodes/momoa';
import type { SourceLocation } from '../core/types.js';
import { MAX_JSON_DEPTH } from './jvalue.js';
import type { JObject, JValue } from './jvalue.js';

export { MAX_JSON_DEPTH, duplicateKeys, fromPlain, member, stringMember } from './jvalue.js';
export type { JArray, JObject, JScalar, JValue } from './jvalue.js';

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

const HINT = 'payload files are strict JSON (double quotes around keys and strings, no comments, no trailing commas)';

/** What the linear pre-scan learns: where nesting first goes too deep, and whether the text ends inside a value. */
interface Scan {
  tooDeep: { offset: number; line: number; column: number } | undefined;
  unclosed: boolean;
  end: SourceLocation;
}

/** One pass over the text, tracking strings (with escapes) and bracket depth; stops at the first container nested too deep. */
function scan(text: string): Scan {
  let depth = 0;
  let inString = false;
  let line = 1;
  let lineStart = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x0a || (code === 0x0d && text.charCodeAt(at + 1) !== 0x0a)) {
      line++;
      lineStart = at + 1;
    }
    if (inString) {
      if (code === 0x5c) at++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      // A container opened with MAX_JSON_DEPTH + 1 containers around it is a value deeper than the limit.
      if (depth > MAX_JSON_DEPTH) return { tooDeep: { offset: at, line, column: at - lineStart + 1 }, unclosed: true, end: { line, column: at - lineStart + 1 } };
      depth++;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return { tooDeep: undefined, unclosed: inString || depth > 0, end: { line, column: text.length - lineStart + 1 } };
}

interface MomoaError {
  message: string;
  line: number;
  column: number;
  offset: number;
}

function isMomoaError(error: unknown): error is MomoaError {
  return error instanceof Error && typeof (error as Partial<MomoaError>).line === 'number' && typeof (error as Partial<MomoaError>).offset === 'number';
}

const TOKENS: Record<string, string> = {
  LBrace: '`{`',
  RBrace: '`}`',
  LBracket: '`[`',
  RBracket: '`]`',
  Colon: '`:`',
  Comma: '`,`',
  String: 'string',
  Number: 'number',
  Boolean: '`true`/`false`',
  Null: '`null`',
};

/** A character as the message shows it: printable ASCII in backticks, anything else by its code point. */
function showChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code > 0x20 && code < 0x7f) return code === 0x60 ? "'`'" : `\`${char}\``;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Momoa's error as one line at its position. Momoa reports a text that simply stops (`[1, 2`) at
 * its first or last token; such a text is reported where it ends, as the end of input.
 */
function syntaxError(text: string, error: MomoaError, scanned: Scan, firstLine: number): JsonSyntaxError {
  const at = (line: number, column: number, message: string) => new JsonSyntaxError(message, line + firstLine - 1, column);
  const endOfInput = () => at(scanned.end.line, scanned.end.column, `unexpected end of input: close every string, \`[\` and \`{\`; ${HINT}`);
  const name = error.constructor.name;
  if (name === 'UnexpectedEOF') return endOfInput();
  if (name === 'UnexpectedToken' && scanned.unclosed) {
    let last: number | undefined;
    try {
      last = tokenize(text).at(-1)?.loc.start.offset;
    } catch {
      last = undefined;
    }
    if (last === error.offset) return endOfInput();
  }
  if (name === 'UnexpectedChar') {
    // Inside a number (`01`, `1.x`) momoa names the character but points at the number's start: point at the character.
    const char = /^Unexpected character '([\s\S]+)' found/.exec(error.message)?.[1] ?? text.charAt(error.offset);
    const found = text.indexOf(char, error.offset);
    const shift = found !== -1 && found - error.offset < 64 && !/[\r\n]/.test(text.slice(error.offset, found)) ? found - error.offset : 0;
    return at(error.line, error.column + shift, `unexpected character ${showChar(char)}; ${HINT}`);
  }
  if (name === 'UnexpectedIdentifier') return at(error.line, error.column, `unexpected bare word; ${HINT}`);
  if (name === 'UnexpectedToken') {
    const type = /^Unexpected token (\w+)/.exec(error.message)?.[1] ?? '';
    const before = text.slice(0, error.offset).trimEnd();
    if ((type === 'RBrace' || type === 'RBracket') && before.endsWith(',')) return at(error.line, error.column, `trailing comma before ${TOKENS[type] ?? type}: remove it; ${HINT}`);
    return at(error.line, error.column, `unexpected ${TOKENS[type] ?? 'token'}; ${HINT}`);
  }
  return at(error.line, error.column, `${error.message.replace(/\s*\(\d+:\d+\)$/, '')}; ${HINT}`);
}

/** Momoa's tree as the JValue tree: positions moved to the file's lines, strings checked for raw control characters, depth checked. */
function convert(text: string, root: DocumentNode, firstLine: number): JValue {
  const where = (node: { loc: { start: { line: number; column: number } } }): SourceLocation => ({ line: node.loc.start.line + firstLine - 1, column: node.loc.start.column });
  const checkString = (node: { loc: { start: { line: number; column: number; offset: number }; end: { offset: number } } }) => {
    let inside = -1;
    for (let at = node.loc.start.offset; at < node.loc.end.offset; at++) {
      if (text.charCodeAt(at) < 0x20) {
        inside = at - node.loc.start.offset;
        break;
      }
    }
    // The first control character has no line break before it inside the string: same line, shifted column.
    if (inside !== -1) throw new JsonSyntaxError('control character in a string (escape it)', node.loc.start.line + firstLine - 1, node.loc.start.column + inside);
  };
  const value = (node: ValueNode, depth: number): JValue => {
    const loc = where(node);
    if (depth > MAX_JSON_DEPTH) throw new JsonSyntaxError(`nested deeper than ${MAX_JSON_DEPTH} levels`, loc.line, loc.column);
    switch (node.type) {
      case 'Object': {
        const entries: JObject['entries'] = [];
        for (const item of node.members) {
          if (item.name.type !== 'String') throw new JsonSyntaxError(`expected a key in double quotes; ${HINT}`, where(item.name).line, where(item.name).column);
          checkString(item.name);
          entries.push({ key: item.name.value, keyLoc: where(item.name), value: value(item.value, depth + 1) });
        }
        return { kind: 'object', loc, entries };
      }
      case 'Array':
        return { kind: 'array', loc, items: node.elements.map((element) => value(element.value, depth + 1)) };
      case 'String':
        checkString(node);
        return { kind: 'scalar', loc, value: node.value };
      case 'Number':
      case 'Boolean':
        return { kind: 'scalar', loc, value: node.value };
      case 'Null':
        return { kind: 'scalar', loc, value: null };
      default:
        // NaN, Infinity and identifiers exist only in momoa's json5 mode.
        throw new JsonSyntaxError(`unexpected value; ${HINT}`, loc.line, loc.column);
    }
  };
  return value(root.body, 0);
}

/** Parses one JSON text; `firstLine` is the line the text starts on in its file (JSON Lines). */
export function parseJson(text: string, firstLine = 1): JValue {
  // A byte order mark is skipped; as a space it keeps every column where the file has it.
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const scanned = scan(source);
  if (scanned.tooDeep) {
    // A syntax error before the too-deep container comes first, as a reader meets them.
    const { offset, line, column } = scanned.tooDeep;
    try {
      parse(source.slice(0, offset), { mode: 'json' });
    } catch (error) {
      if (isMomoaError(error)) {
        const earlier = syntaxError(source.slice(0, offset), error, { tooDeep: undefined, unclosed: true, end: { line, column } }, firstLine);
        if (!earlier.message.startsWith('unexpected end of input')) throw earlier;
      }
    }
    throw new JsonSyntaxError(`nested deeper than ${MAX_JSON_DEPTH} levels`, line + firstLine - 1, column);
  }
  let root: DocumentNode;
  try {
    root = parse(source, { mode: 'json' });
  } catch (error) {
    if (isMomoaError(error)) throw syntaxError(source, error, scanned, firstLine);
    throw error;
  }
  return convert(source, root, firstLine);
}
