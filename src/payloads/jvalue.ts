/**
 * The tree the payload linter and the guard read a request body as: every value with where it is
 * (1-based line and column of its first character) and every key of an object as written,
 * duplicates included. Built from JSON text by ./json.ts, or from a value built by code by
 * `fromPlain` (the guard). Free of dependencies, so the guard's module graph stays light.
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

/** Deeper nesting than any sending platform accepts: refused instead of exhausting the stack. */
export const MAX_JSON_DEPTH = 64;

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
