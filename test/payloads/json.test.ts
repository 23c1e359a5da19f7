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

test('what JSON does not allow is a one-line syntax error at its position, with the fix', () => {
  const hint = '; payload files are strict JSON (double quotes around keys and strings, no comments, no trailing commas)';
  const cases: [string, string, number, number][] = [
    ['{"a": 1,}', `trailing comma before \`}\`: remove it${hint}`, 1, 9],
    ['[1, 2,\n]', `trailing comma before \`]\`: remove it${hint}`, 2, 1],
    ['{a: 1}', `unexpected character \`a\`${hint}`, 1, 2],
    ['{"a": 1} # comment', `unexpected character \`#\`${hint}`, 1, 10],
    ['{"a": "x\ny"}', 'control character in a string (escape it)', 1, 9],
    ['{"k\ty": 1}', 'control character in a string (escape it)', 1, 4],
    ['{"a": 01}', `unexpected character \`1\`${hint}`, 1, 8],
    ['{"a": tru}', `unexpected bare word${hint}`, 1, 7],
    ['[1 2]', `unexpected number${hint}`, 1, 4],
    ['[1]]', `unexpected \`]\`${hint}`, 1, 4],
    ['{"a": \'x\'}', `unexpected character \`'\`${hint}`, 1, 7],
    ['["\u00e9", \u00e9]', `unexpected character U+00E9${hint}`, 1, 7],
    ['[1, 2', `unexpected end of input: close every string, \`[\` and \`{\`${hint}`, 1, 6],
    ['{"a":\n\n', `unexpected end of input: close every string, \`[\` and \`{\`${hint}`, 3, 1],
    ['"abc', `unexpected end of input: close every string, \`[\` and \`{\`${hint}`, 1, 5],
    ['', `unexpected end of input: close every string, \`[\` and \`{\`${hint}`, 1, 1],
  ];
  for (const [text, message, line, column] of cases) {
    assert.throws(
      () => parseJson(text),
      (error: unknown) => error instanceof JsonSyntaxError && error.message === message && error.line === line && error.column === column && !error.message.includes('\n'),
      text,
    );
  }
});

test('JSON Lines: positions count from the line the text starts on; a BOM keeps its column', () => {
  assert.deepEqual(member(parseJson('{"a": 1}', 7), 'a')?.loc, { line: 7, column: 7 });
  assert.throws(
    () => parseJson('{"a": 1,}', 7),
    (error: unknown) => error instanceof JsonSyntaxError && error.line === 7 && error.column === 9,
  );
  assert.deepEqual(parseJson('\ufeff[1]').loc, { line: 1, column: 2 });
});

test('nesting deeper than the limit is refused, not a stack overflow', () => {
  const deep = '['.repeat(MAX_JSON_DEPTH + 2) + ']'.repeat(MAX_JSON_DEPTH + 2);
  assert.throws(
    () => parseJson(deep),
    (error: unknown) => error instanceof JsonSyntaxError && error.message === 'nested deeper than 64 levels' && error.line === 1 && error.column === MAX_JSON_DEPTH + 2,
  );
  // A scalar one level below the deepest allowed container is too deep as well.
  assert.throws(() => parseJson(`${'['.repeat(MAX_JSON_DEPTH + 1)}1${']'.repeat(MAX_JSON_DEPTH + 1)}`), /^Error: nested deeper than 64 levels$/);
  assert.equal(parseJson(`${'['.repeat(MAX_JSON_DEPTH)}1${']'.repeat(MAX_JSON_DEPTH)}`).kind, 'array');
  // Brackets inside strings are not nesting.
  assert.equal(parseJson(JSON.stringify(['['.repeat(1000)])).kind, 'array');
  for (const hostile of ['['.repeat(100_000), '{"a":'.repeat(100_000), `[${'['.repeat(100_000)}"x"${']'.repeat(100_001)}`]) {
    assert.throws(
      () => parseJson(hostile),
      (error: unknown) => error instanceof JsonSyntaxError && error.message === 'nested deeper than 64 levels' && error.line === 1,
    );
  }
  // A syntax error before the too-deep part is the one reported.
  assert.throws(
    () => parseJson(`{a: ${'['.repeat(100_000)}`),
    (error: unknown) => error instanceof JsonSyntaxError && error.message.startsWith('unexpected character `a`') && error.column === 2,
  );
});

test('fromPlain builds the same tree from a value built by code, and stops at cycles', () => {
  const cyclic: Record<string, unknown> = { to: 'a@example.com' };
  cyclic.self = cyclic;
  const tree = fromPlain(cyclic);
  assert.deepEqual(member(tree, 'to'), { kind: 'scalar', loc: { line: 0, column: 0 }, value: 'a@example.com' });
  assert.equal(member(member(tree, 'self'), 'to')?.kind, 'scalar');
});
