import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isScalar, parseDocument, visit } from 'yaml';
import { decodeScalarValue, mapScalarPosition, MAX_TEMPLATE_NESTING, parseTemplate, renderTemplate, templateNestingProblem } from '../../src/parsers/template.js';
import type { MergeFieldUse } from '../../src/parsers/template.js';

function fieldsOf(source: string): MergeFieldUse[] {
  const result = parseTemplate(source);
  assert.ok(result.ok, 'template should parse');
  return result.fields;
}

function brief(fields: MergeFieldUse[]): string[] {
  return fields.map((field) => `${field.name}|${field.path}|${field.kind}|${field.line}:${field.column}-${field.endLine}:${field.endColumn}`);
}

void describe('parseTemplate', () => {
  void it('reports escaped, raw and nested-path fields with 1-based positions', () => {
    assert.deepEqual(brief(fieldsOf('Hi {{first_name}},\n{{{promo.code}}} {{ spaced }}')), [
      'first_name|first_name|escaped|1:6-1:16',
      'promo|promo.code|raw|2:4-2:14',
      'spaced|spaced|escaped|2:21-2:27',
    ]);
  });

  void it('counts block helper params as uses and never helper names', () => {
    const result = parseTemplate('{{#if vip}}A{{else if gold}}B{{/if}}{{#unless opted_out}}x{{/unless}}{{#with address}}{{street}}{{/with}}');
    assert.ok(result.ok);
    assert.deepEqual(brief(result.fields), [
      'vip|vip|block|1:7-1:10',
      'gold|gold|block|1:23-1:27',
      'opted_out|opted_out|block|1:47-1:56',
      'address|address|block|1:78-1:85',
    ]);
    assert.deepEqual(
      result.helpers.map((helper) => `${helper.name}:${helper.kind}:${String(helper.builtin)}`),
      ['if:block-helper:true', 'if:block-helper:true', 'unless:block-helper:true', 'with:block-helper:true'],
    );
  });

  void it('does not report item fields inside #each, but does report ../ and @root paths back to the row', () => {
    const fields = fieldsOf('{{#each orders as |order|}}{{sku}} {{order.id}} {{this}} {{@index}} {{../last_name}} {{@root.city}}{{else}}{{no_orders}}{{/each}}');
    assert.deepEqual(
      fields.map((field) => `${field.name}|${field.kind}`),
      ['orders|block', 'last_name|escaped', 'city|escaped', 'no_orders|escaped'],
    );
  });

  void it('keeps the row context inside #if, so ../ from a nested #each still reaches the row', () => {
    const fields = fieldsOf('{{#if a}}{{#each list}}{{../b}}{{../../c}}{{/each}}{{/if}}');
    assert.deepEqual(fields.map((field) => field.name), ['a', 'list', 'b', 'c']);
  });

  void it('treats a mustache section as a context change and reports its name', () => {
    assert.deepEqual(fieldsOf('{{#coupon}}{{code}}{{/coupon}}{{^coupon}}{{fallback}}{{/coupon}}').map((field) => `${field.name}|${field.kind}`), [
      'coupon|block',
      'coupon|block',
      'fallback|escaped',
    ]);
  });

  void it('reports helper params, hash values, subexpressions and lookup by string literal', () => {
    const result = parseTemplate('{{format_date signup_date "long" tz=zone}} {{lookup . "first name"}} {{#if (eq plan "pro")}}x{{/if}}');
    assert.ok(result.ok);
    assert.deepEqual(brief(result.fields), [
      'signup_date|signup_date|helper-param|1:15-1:26',
      'zone|zone|helper-param|1:37-1:41',
      'first name|first name|helper-param|1:55-1:67',
      'plan|plan|helper-param|1:80-1:84',
    ]);
    assert.deepEqual(result.helpers.map((helper) => `${helper.name}:${String(helper.builtin)}`), [
      'format_date:false',
      'lookup:true',
      'if:true',
      'eq:false',
    ]);
  });

  void it('reports partials as partials, with their arguments as uses', () => {
    const result = parseTemplate('x\n  {{> footer city=town}}{{#> layout}}{{fallback}}{{/layout}}');
    assert.ok(result.ok);
    assert.deepEqual(result.partials, [
      { name: 'footer', kind: 'partial', line: 2, column: 3, endLine: 2, endColumn: 25 },
      { name: 'layout', kind: 'partial-block', line: 2, column: 25, endLine: 2, endColumn: 61 },
    ]);
    assert.deepEqual(result.fields.map((field) => field.name), ['town', 'fallback']);
  });

  void it('ignores comments, non-string literals and data variables', () => {
    assert.deepEqual(fieldsOf('{{! {{secret}} }}{{!-- {{hidden}} --}}{{true}}{{1}}{{@first}}{{this}}'), []);
  });

  void it('reads a lone string literal as the column it names, as Handlebars looks it up', () => {
    assert.deepEqual(fieldsOf('{{"first name"}} {{\'E-mail Address\'}}').map((field) => [field.name, field.column]), [['first name', 3], ['E-mail Address', 20]]);
  });

  void it('returns syntax errors as data with a 1-based place and no echoed source', () => {
    assert.deepEqual(parseTemplate('a\n{{foo bar}'), {
      ok: false,
      error: {
        message:
          "Parse error: Expecting 'CLOSE_RAW_BLOCK', 'CLOSE', 'CLOSE_UNESCAPED', 'OPEN_SEXPR', 'CLOSE_SEXPR', 'ID', 'EQUALS', 'OPEN_BLOCK_PARAMS', 'STRING', 'NUMBER', 'BOOLEAN', 'UNDEFINED', 'NULL', 'DATA', 'SEP', got 'INVALID'",
        line: 2,
        column: 10,
      },
    });
    assert.deepEqual(parseTemplate('ab\ncd {{#if x}}{{/each}}'), { ok: false, error: { message: "if doesn't match each", line: 2, column: 7 } });
    assert.deepEqual(parseTemplate('{{#if x}}never closed'), {
      ok: false,
      error: { message: "Parse error: Expecting 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'", line: 1, column: 22 },
    });
  });
});

void describe('renderTemplate', () => {
  void it('does not HTML-escape in text mode (subject, headers, text body)', () => {
    assert.deepEqual(renderTemplate('{{name}} & {{company}}', { name: "O'Brien <ob>", company: 'A&B' }), {
      ok: true,
      output: "O'Brien <ob> & A&B",
    });
  });

  void it('HTML-escapes {{x}} but not {{{x}}} in html mode', () => {
    assert.deepEqual(renderTemplate('<p>{{name}}</p>{{{raw}}}', { name: '<b>Bo</b>', raw: '<i>x</i>' }, { mode: 'html' }), {
      ok: true,
      output: '<p>&lt;b&gt;Bo&lt;/b&gt;</p><i>x</i>',
    });
  });

  void it('reports missing fields in strict mode, missing partials and helpers as data', () => {
    assert.deepEqual(renderTemplate('{{missing}}', {}, { strict: true }), {
      ok: false,
      error: { message: '"missing" not defined in [object Object] - 1:2' },
    });
    assert.deepEqual(renderTemplate('{{> footer}}', {}), { ok: false, error: { message: 'The partial footer could not be found' } });
    assert.deepEqual(renderTemplate('{{shout name}}', { name: 'x' }), { ok: false, error: { message: 'Missing helper: "shout"' } });
  });

  void it('never reaches prototype properties', () => {
    assert.deepEqual(renderTemplate('[{{constructor}}][{{__proto__}}][{{toString}}]', {}), { ok: true, output: '[][][]' });
  });
});

void describe('mapScalarPosition', () => {
  const yamlText = [
    'plain: Hi {{first_name}}', // 1
    'double: "Dear \\"{{name}}\\"\\t\\u00e9 {{x}}"', // 2
    "single: 'it''s {{y}}' # comment", // 3
    'literal: |', // 4
    '  Hello {{first_name}},', // 5
    '    indented {{z}}', // 6
    '', // 7
    '  end {{w}}', // 8
    'folded: >-', // 9
    '  folded {{a}}', // 10
    '  second {{b}}', // 11
    '', // 12
    '  para {{c}}', // 13
    'multi: plain over', // 14
    '   two lines {{m}}   # comment', // 15
    'keep: |+', // 16
    '  kept', // 17
    '', // 18
    'end: x', // 19
    '',
  ].join('\n');
  const doc = parseDocument(yamlText);
  const scalars = new Map<string, { start: number; end: number; type: string; value: string }>();
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && isScalar(pair.value) && pair.value.range) {
        scalars.set(String(pair.key.value), {
          start: pair.value.range[0],
          end: pair.value.range[1],
          type: String(pair.value.type),
          value: String(pair.value.value),
        });
      }
    },
  });

  /** Where the first `{{` of the value's template sits in the file, through the mapping. */
  function mapField(key: string, needle: string): { line: number; column: number } {
    const scalar = scalars.get(key);
    assert.ok(scalar, key);
    const before = scalar.value.slice(0, scalar.value.indexOf(needle)).split('\n');
    const place = mapScalarPosition(yamlText, scalar.start, scalar.type, before.length, (before.at(-1)?.length ?? 0) + 1, scalar.end);
    const fileLine = yamlText.split('\n')[place.line - 1] ?? '';
    assert.equal(fileLine.slice(place.column - 1, place.column - 1 + needle.length), needle, `${key} ${needle}`);
    return place;
  }

  void it('decodes every scalar type to the same value as the yaml package', () => {
    for (const [key, scalar] of scalars) {
      assert.equal(decodeScalarValue(yamlText, scalar.start, scalar.type, scalar.end), scalar.value, key);
    }
  });

  void it('maps exactly for single-line plain and quoted scalars, escapes included', () => {
    assert.deepEqual(mapField('plain', '{{first_name}}'), { line: 1, column: 11 });
    assert.deepEqual(mapField('double', '{{name}}'), { line: 2, column: 17 });
    assert.deepEqual(mapField('double', '{{x}}'), { line: 2, column: 36 });
    assert.deepEqual(mapField('single', '{{y}}'), { line: 3, column: 16 });
  });

  void it('maps exactly inside literal blocks, including more-indented lines', () => {
    assert.deepEqual(mapField('literal', '{{first_name}}'), { line: 5, column: 9 });
    assert.deepEqual(mapField('literal', '{{z}}'), { line: 6, column: 14 });
    assert.deepEqual(mapField('literal', '{{w}}'), { line: 8, column: 7 });
  });

  void it('maps folded blocks and multi-line plain scalars (best effort, exact on these)', () => {
    assert.deepEqual(mapField('folded', '{{b}}'), { line: 11, column: 10 });
    assert.deepEqual(mapField('folded', '{{c}}'), { line: 13, column: 8 });
    assert.deepEqual(mapField('multi', '{{m}}'), { line: 15, column: 14 });
  });

  void it('bounds a plain scalar by its line when no end is given', () => {
    const scalar = scalars.get('plain');
    assert.ok(scalar);
    assert.deepEqual(mapScalarPosition(yamlText, scalar.start, 'PLAIN', 1, 4), { line: 1, column: 11 });
    assert.deepEqual(mapScalarPosition(yamlText, scalar.start, 'PLAIN', 1, 999), { line: 1, column: 25 });
  });
});

void describe('templateNestingProblem (checked before Handlebars parses)', () => {
  const nested = (depth: number, open = '{{#if a}}', close = '{{/if}}') => `${open.repeat(depth)}x${close.repeat(depth)}`;

  void it('accepts nesting up to the limit and parses it', () => {
    assert.equal(templateNestingProblem(nested(MAX_TEMPLATE_NESTING)), undefined);
    assert.equal(parseTemplate(nested(MAX_TEMPLATE_NESTING)).ok, true);
  });

  void it('refuses one level more, at the block that crosses the limit, before parsing', () => {
    const source = `line one\n${nested(MAX_TEMPLATE_NESTING + 1)}`;
    assert.deepEqual(templateNestingProblem(source), { message: 'the template nests blocks 101 deep, over the limit of 100', line: 2, column: 1 + 9 * MAX_TEMPLATE_NESTING });
    const parsed = parseTemplate(source);
    assert.equal(parsed.ok, false);
    assert.equal(renderTemplate(source, { a: true }).ok, false);
  });

  void it('counts each, inverse sections, else-if chains and subexpressions', () => {
    assert.match(templateNestingProblem(nested(101, '{{#each a}}', '{{/each}}'))?.message ?? '', /blocks 101 deep/);
    assert.match(templateNestingProblem(nested(101, '{{^a}}', '{{/a}}'))?.message ?? '', /blocks 101 deep/);
    assert.match(templateNestingProblem(`{{#if a}}${'{{else if b}}'.repeat(100)}{{/if}}`)?.message ?? '', /blocks 101 deep/);
    assert.deepEqual(templateNestingProblem(`{{x ${'(a '.repeat(101)}b${')'.repeat(101)}}}`), { message: 'the template nests subexpressions 101 deep, over the limit of 100', line: 1, column: 5 + 3 * 100 });
  });

  void it('does not count comments, raw blocks, quoted parentheses, plain else or siblings', () => {
    assert.equal(templateNestingProblem(`{{!-- ${'{{#if a}}'.repeat(200)} --}}{{! ((((( }}`), undefined);
    assert.equal(templateNestingProblem(`{{{{raw}}}}${'{{#if a}}'.repeat(200)}{{{{/raw}}}}`), undefined);
    assert.equal(templateNestingProblem(`{{x "${'('.repeat(200)}"}}`), undefined);
    assert.equal(templateNestingProblem('{{#if a}}x{{else}}y{{^}}z{{/if}}'.repeat(500)), undefined);
    assert.equal(templateNestingProblem(`{{#if a}}${'{{else if b}}'.repeat(99)}{{/if}}`.repeat(50)), undefined);
  });

  void it('is linear: 5,000 levels are refused at once', () => {
    const started = Date.now();
    assert.notEqual(templateNestingProblem(nested(5000)), undefined);
    assert.notEqual(templateNestingProblem(`{{x ${'(a '.repeat(5000)}b${')'.repeat(5000)}}}`), undefined);
    assert.ok(Date.now() - started < 500);
  });
});
