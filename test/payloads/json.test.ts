import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonSyntaxError, MAX_JSON_DEPTH, duplicateKeys, fromPlain, member, parseJson } from '../../src/payloads/json.js';

test('every value keeps the line and column of its first character', () => {
  const root = parseJson('{\n  "to": [\n    "a@example.com",\n\t"b@example.com"\n  ],\n  "n": -1.5e3, "t": true, "z": null\n}');
  assert.equal(root.kind, 'object');
  const to = member(root, 'to');
  assert.ok(to?.kind === 'array');
  assert.deepEqual(to.loc, { line: 2, column: 9 });
  assert.deepEqual(to.items[0]?.loc, { line: 3, column: 5 });
  assert.deepEqual(to.items[1]?.loc, { line: 4, column: 2 });
  assert.deepEqual(member(root, 'n'), { kind: 'scalar', loc: { line: 6, column: 8 }, value: -1500 });
  assert.deepEqual(member(root, 't'), { kind: 'scalar', loc: { line: 6, column: 21 }, value: true });
});

test('CRLF and lone CR end lines; a BOM is skipped; escapes are decoded', () => {
  const root = parseJson('\ufeff{\r\n"a": "x\\n\\u0041\\/",\r"b": 1}');
  assert.deepEqual(member(root, 'a'), { kind: 'scalar', loc: { line: 2, column: 6 }, value: 'x\nA/' });
  assert.deepEqual(member(root, 'b')?.loc, { line: 3, column: 6 });
});

test('a key written twice is kept twice; the platform reading (member) takes the last', () => {
  const root = parseJson('{"cc": [], "x": {"cc": 1}, "cc": ["b@example.com"]}');
  assert.equal(member(root, 'cc')?.kind, 'array');
  const cc = member(root, 'cc');
  assert.equal(cc?.kind === 'array' ? cc.items.length : -1, 1);
  assert.deepEqual(duplicateKeys(root), [{ key: 'cc', loc: { line: 1, column: 28 }, path: 'cc' }]);
});

test('what JSON does not allow is a syntax error at its position', () => {
  const cases: [string, string, number, number][] = [
    ['{"a": 1,}', 'expected a key in double quotes', 1, 9],
    ['{a: 1}', 'expected a key in double quotes', 1, 2],
    ['{"a": 1} # comment', 'unexpected text after the JSON value', 1, 10],
    ['{"a": "x\ny"}', 'control character in a string (escape it)', 1, 9],
    ['{"a": 01}', 'expected `,` or `}`', 1, 8],
    ['[1, 2', 'expected `,` or `]`', 1, 6],
    ['{"a": \'x\'}', 'unexpected character', 1, 7],
  ];
  for (const [text, message, line, column] of cases) {
    assert.throws(
      () => parseJson(text),
      (error: unknown) => error instanceof JsonSyntaxError && error.message === message && error.line === line && error.column === column,
      text,
    );
  }
});

test('nesting deeper than the limit is refused, not a stack overflow', () => {
  const deep = '['.repeat(MAX_JSON_DEPTH + 2) + ']'.repeat(MAX_JSON_DEPTH + 2);
  assert.throws(() => parseJson(deep), /nested deeper than 64 levels/);
  const hostile = '['.repeat(200_000);
  assert.throws(() => parseJson(hostile), JsonSyntaxError);
});

test('fromPlain builds the same tree from a value built by code, and stops at cycles', () => {
  const cyclic: Record<string, unknown> = { to: 'a@example.com' };
  cyclic.self = cyclic;
  const tree = fromPlain(cyclic);
  assert.deepEqual(member(tree, 'to'), { kind: 'scalar', loc: { line: 0, column: 0 }, value: 'a@example.com' });
  assert.equal(member(member(tree, 'self'), 'to')?.kind, 'scalar');
});
