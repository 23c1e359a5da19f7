import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseYaml } from '../../src/parsers/yaml.js';

/** One finding per mistake, at the value (or key) to fix, saying how to fix it. */
const CASES: { name: string; text: string; errors: [line: number, column: number, message: string][] }[] = [
  {
    name: 'an unquoted value starting with a merge field and going on (Unexpected scalar at node end)',
    text: 'version: 1\nsubject: {{first_name}}, hi\nname: x\n',
    errors: [[2, 10, 'a value that starts with `{{` is read by YAML as a map, not as text with a merge field. Quote the value: `subject: "{{first_name}}, hi"`']],
  },
  {
    name: 'an unquoted value that is only a merge field (valid YAML: a map with a map key)',
    text: 'version: 1\nsubject: {{first_name}}\nname: x\n',
    errors: [[2, 10, 'a value that starts with `{{` is read by YAML as a map, not as text with a merge field. Quote the value: `subject: "{{first_name}}"`']],
  },
  {
    name: 'a list item and a nested header with a comment',
    text: 'cc:\n  - {{manager}}\nheaders:\n  X-Ref: {{ref}} # ref\n',
    errors: [
      [2, 5, 'a value that starts with `{{` is read by YAML as a map, not as text with a merge field. Quote the value: `- "{{manager}}"`'],
      [4, 10, 'a value that starts with `{{` is read by YAML as a map, not as text with a merge field. Quote the value: `X-Ref: "{{ref}}"`'],
    ],
  },
  {
    name: 'an address in the suggested fix is masked',
    text: 'to: {{first_name}} <ann@example.com>\n',
    errors: [[1, 5, 'a value that starts with `{{` is read by YAML as a map, not as text with a merge field. Quote the value: `to: "{{first_name}} <a***@example.com>"`']],
  },
  { name: 'a tab as indentation', text: 'from:\n\tname: x\n', errors: [[2, 1, 'a tab is used for indentation: YAML allows only spaces. Indent with spaces']] },
  { name: 'a duplicate key, named', text: 'a: 1\nfrom:\n  name: 2\n  name: 3\n', errors: [[4, 3, '`name` is written twice in the same map: keep one (YAML keys must be unique)']] },
  { name: 'a key out of line', text: 'from:\n  name: x\n address: y\n', errors: [[3, 1, 'this key is not lined up with the keys beside it: indent it with the same number of spaces']] },
  { name: 'an unclosed double quote, at the opening quote', text: 'a: 1\nsubject: "hello\nname: x\n', errors: [[2, 10, 'a double-quoted value is not closed: add the closing " at the end of the value']] },
  { name: 'an unclosed single quote', text: "subject: 'hello\nname: x\n", errors: [[1, 10, "a single-quoted value is not closed: add the closing ' at the end of the value"]] },
  { name: 'an unclosed flow list, at its `[`', text: 'version: 1\nid: x\nname: [unclosed\n', errors: [[3, 7, 'a `[` is not closed: add the closing `]` on the same line, or quote the value if it is text']] },
  { name: 'a colon and space in a plain value', text: 'subject: Note: this is it\n', errors: [[1, 10, 'a plain value cannot contain `: ` (a colon and a space): YAML reads it as a key. Quote the value: `subject: "Note: this is it"`']] },
  { name: 'a reserved first character', text: 'subject: @home\n', errors: [[1, 10, 'a plain value cannot start with `@`. Quote the value: `subject: "@home"`']] },
  { name: 'an alias-looking value', text: 'subject: *bold* offer\n', errors: [[1, 10, 'a value that starts with `*` is read by YAML as an alias. Quote the value: `subject: "*bold* offer"`']] },
  { name: 'text after a closing quote, quoted the other way', text: 'subject: "Hi" there\n', errors: [[1, 10, 'text follows the closing quote. Quote the value: `subject: \'"Hi" there\'`']] },
];

for (const { name, text, errors } of CASES) {
  test(`YAML hint: ${name}`, () => {
    assert.deepEqual(
      parseYaml(text).errors.map((error) => [error.line, error.column, error.message]),
      errors,
    );
  });
}

test('quoted merge fields and a `{{` inside a value parse clean', () => {
  assert.deepEqual(parseYaml('subject: "{{first_name}}, hi"\nname: Hi {{first_name}}\ncc: []\nmap: {a: 1}\n').errors, []);
});
