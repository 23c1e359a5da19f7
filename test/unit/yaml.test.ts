import assert from 'node:assert/strict';
import { test } from 'node:test';
import { locateEntry, locateKey, locateValue, parseYaml, yamlComments } from '../../src/parsers/yaml.js';

test('keys and values keep exact line and column', () => {
  const parsed = parseYaml('a: 1\nfrom:\n  name: "Shop"\nlist:\n  - x\n  - yy\n');
  assert.deepEqual(locateKey(parsed, ['from', 'name']), { line: 3, column: 3, endLine: 3, endColumn: 7 });
  assert.deepEqual(locateValue(parsed, ['from', 'name']), { line: 3, column: 9, endLine: 3, endColumn: 15 });
  assert.deepEqual(locateValue(parsed, ['list', 1]), { line: 6, column: 5, endLine: 6, endColumn: 7 });
  assert.deepEqual(locateEntry(parsed, ['list']), { line: 4, column: 1, endLine: 6, endColumn: 7 });
});

test('a missing path falls back to its nearest existing ancestor', () => {
  const parsed = parseYaml('a: 1\nfrom:\n  name: x\n');
  assert.deepEqual(locateKey(parsed, ['from', 'address']), { line: 2, column: 1, endLine: 2, endColumn: 5 });
  assert.deepEqual(locateKey(parsed, ['nothing']), { line: 1, column: 1 });
});

test('duplicate keys are syntax errors with a position', () => {
  const parsed = parseYaml('a: 1\nb: 2\na: 3\n');
  assert.equal(parsed.errors.length, 1);
  assert.equal(parsed.errors[0]?.line, 3);
  assert.equal(parsed.errors[0].column, 1);
  assert.match(parsed.errors[0].message, /unique/);
});

test('an alias bomb fails fast instead of expanding', () => {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 10; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const started = Date.now();
  const parsed = parseYaml(`${levels.join('\n')}\n`);
  assert.ok(Date.now() - started < 2000);
  assert.equal(parsed.value, undefined);
  assert.match(parsed.errors[0]?.message ?? '', /alias/i);
});

test('__proto__ stays plain data and pollutes nothing', () => {
  const parsed = parseYaml('__proto__:\n  polluted: true\n');
  const value = parsed.value as Record<string, unknown>;
  assert.ok(Object.hasOwn(value, '__proto__'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
});

test('custom tags are not instantiated', () => {
  const parsed = parseYaml('a: !!js/function "function () {}"\n');
  assert.ok(parsed.errors.length > 0 || typeof (parsed.value as Record<string, unknown>).a !== 'function');
});

test('comments are found by the lexer, not inside block scalars or strings', () => {
  const text = '# top\na: "x # not"\nb: |\n  # not either\nc: 1 # trailing\n';
  const parsed = parseYaml(text);
  const comments = yamlComments(text, parsed.lineCounter).map(({ text: body, line, column, ownLine }) => ({ body, line, column, ownLine }));
  assert.deepEqual(comments, [
    { body: ' top', line: 1, column: 1, ownLine: true },
    { body: ' trailing', line: 5, column: 6, ownLine: false },
  ]);
});
