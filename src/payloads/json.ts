/**
 * A JSON reader that keeps where every value is (1-based line and column of its first character)
 * and every key of an object as written, duplicates included. JSON.parse keeps no positions, and
 * a YAML parser reads JSON but also accepts what JSON does not (comments, bare words, tabs as
 * indentation) and folds duplicate keys; this reader follows RFC 8259 exactly, in one pass.
 * Free of dependencies: the guard uses the tree it builds from plain values (`fromPlain`).
 */
import type { SourceLocation } from '../core/types.js';

export interface JObject {
  kind: 'object';
  loc: SourceLocation;
  /** Every member as written, in order; a key written twice appears twice. */
  entries: { key: string; keyLoc: SourceLocation; value: JValue }[];
}
export interface JArray {
  kind: 'array';
  loc: SourceLocation;
  items: JValue[];
}
export interface JScalar {
  kind: 'scalar';
  loc: SourceLocation;
  value: string | number | boolean | null;
}
export type JValue = JObject | JArray | JScalar;

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Deeper nesting than any sending platform accepts: refused instead of exhausting the stack. */
export const MAX_JSON_DEPTH = 64;

/** Parses one JSON text; `firstLine` is the line the text starts on in its file (JSON Lines). */
export function parseJson(text: string, firstLine = 1): JValue {
  let at = 0;
  let line = firstLine;
  let lineStart = 0;
  const loc = (): SourceLocation => ({ line, column: at - lineStart + 1 });
  const fail = (what: string): never => {
    throw new JsonSyntaxError(what, line, at - lineStart + 1);
  };
  const space = () => {
    for (;;) {
      const code = text.charCodeAt(at);
      if (code === 0x0a) {
        at++;
        line++;
        lineStart = at;
      } else if (code === 0x0d) {
        at++;
        if (text.charCodeAt(at) === 0x0a) at++;
        line++;
        lineStart = at;
      } else if (code === 0x20 || code === 0x09) at++;
      else return;
    }
  };
  const string = (): string => {
    at++; // the opening quote
    let out = '';
    let from = at;
    for (;;) {
      if (at >= text.length) fail('unterminated string');
      const code = text.charCodeAt(at);
      if (code === 0x22) {
        out += text.slice(from, at);
        at++;
        return out;
      }
      if (code < 0x20) fail('control character in a string (escape it)');
      if (code === 0x5c) {
        out += text.slice(from, at);
        const escape = text.charAt(at + 1);
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        const mapped = simple[escape];
        if (mapped !== undefined) {
          out += mapped;
          at += 2;
        } else if (escape === 'u') {
          const hex = text.slice(at + 2, at + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          at += 6;
        } else fail('bad escape in a string');
        from = at;
        continue;
      }
      at++;
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (depth: number): JValue => {
    if (depth > MAX_JSON_DEPTH) fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    space();
    const start = loc();
    const char = text.charAt(at);
    if (char === '{') {
      at++;
      const entries: JObject['entries'] = [];
      space();
      if (text.charAt(at) === '}') {
        at++;
        return { kind: 'object', loc: start, entries };
      }
      for (;;) {
        space();
        if (text.charAt(at) !== '"') fail('expected a key in double quotes');
        const keyLoc = loc();
        const key = string();
        space();
        if (text.charAt(at) !== ':') fail('expected `:` after a key');
        at++;
        entries.push({ key, keyLoc, value: value(depth + 1) });
        space();
        const next = text.charAt(at);
        at++;
        if (next === '}') return { kind: 'object', loc: start, entries };
        if (next !== ',') {
          at--;
          fail('expected `,` or `}`');
        }
      }
    }
    if (char === '[') {
      at++;
      const items: JValue[] = [];
      space();
      if (text.charAt(at) === ']') {
        at++;
        return { kind: 'array', loc: start, items };
      }
      for (;;) {
        items.push(value(depth + 1));
        space();
        const next = text.charAt(at);
        at++;
        if (next === ']') return { kind: 'array', loc: start, items };
        if (next !== ',') {
          at--;
          fail('expected `,` or `]`');
        }
      }
    }
    if (char === '"') return { kind: 'scalar', loc: start, value: string() };
    for (const [word, literal] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return { kind: 'scalar', loc: start, value: literal };
      }
    }
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (number) {
      at += number[0].length;
      return { kind: 'scalar', loc: start, value: Number(number[0]) };
    }
    return fail(at >= text.length ? 'unexpected end of input' : 'unexpected character');
  };
  if (text.charCodeAt(0) === 0xfeff) at = 1;
  const root = value(0);
  space();
  if (at < text.length) fail('unexpected text after the JSON value');
  return root;
}

const NOWHERE: SourceLocation = { line: 0, column: 0 };

/**
 * The same tree for a value built by code (the guard): no positions, no duplicate keys.
 * Deeper than MAX_JSON_DEPTH (or a cycle) becomes null below that depth.
 */
export function fromPlain(input: unknown, depth = 0): JValue {
  if (depth > MAX_JSON_DEPTH) return { kind: 'scalar', loc: NOWHERE, value: null };
  if (Array.isArray(input)) return { kind: 'array', loc: NOWHERE, items: input.map((item: unknown) => fromPlain(item, depth + 1)) };
  if (input !== null && typeof input === 'object') {
    // Only plain objects are request data: a Buffer, a stream or a class instance (an attachment's content) is not read.
    const proto: unknown = Object.getPrototypeOf(input);
    if (proto !== Object.prototype && proto !== null) return { kind: 'scalar', loc: NOWHERE, value: null };
    return {
      kind: 'object',
      loc: NOWHERE,
      entries: Object.keys(input).map((key) => ({ key, keyLoc: NOWHERE, value: fromPlain((input as Record<string, unknown>)[key], depth + 1) })),
    };
  }
  if (typeof input === 'string' || typeof input === 'number' || typeof input === 'boolean') return { kind: 'scalar', loc: NOWHERE, value: input };
  return { kind: 'scalar', loc: NOWHERE, value: null };
}

/** The member `key` as a platform reads it: the last one written. */
export function member(object: JValue | undefined, key: string): JValue | undefined {
  if (object?.kind !== 'object') return undefined;
  for (let index = object.entries.length - 1; index >= 0; index--) {
    const entry = object.entries[index];
    if (entry?.key === key) return entry.value;
  }
  return undefined;
}

/** A string member's value, or undefined. */
export function stringMember(object: JValue | undefined, key: string): string | undefined {
  const value = member(object, key);
  return value?.kind === 'scalar' && typeof value.value === 'string' ? value.value : undefined;
}

/** Every key written more than once in any object of the tree: the second and later ones. */
export function duplicateKeys(root: JValue): { key: string; loc: SourceLocation; path: string }[] {
  const found: { key: string; loc: SourceLocation; path: string }[] = [];
  const walk = (node: JValue, path: string) => {
    if (node.kind === 'array') {
      node.items.forEach((item, index) => {
        walk(item, `${path}[${index}]`);
      });
    }
    if (node.kind !== 'object') return;
    const seen = new Set<string>();
    for (const entry of node.entries) {
      const here = path === '' ? entry.key : `${path}.${entry.key}`;
      if (seen.has(entry.key)) found.push({ key: entry.key, loc: entry.keyLoc, path: here });
      seen.add(entry.key);
      walk(entry.value, here);
    }
  };
  walk(root, '');
  return found;
}
