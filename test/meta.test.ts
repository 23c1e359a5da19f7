import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generatedFiles } from '../scripts/generated.js';
import { docsUrl, ruleMetas } from '../src/rules/index.js';
import { REPO_ROOT } from './helpers/cli.js';

const NOT_RULES = new Set(['index.ts', 'define.ts']);

test('every file in src/rules is a registered rule named after its id', () => {
  const files = readdirSync(join(REPO_ROOT, 'src/rules')).filter((name) => name.endsWith('.ts') && !NOT_RULES.has(name) && !name.startsWith('_'));
  assert.deepEqual(files.map((name) => name.replace(/\.ts$/, '')).sort(), ruleMetas.map((meta) => meta.id).sort());
});

test('the generated rule metadata (for the front bundle) is the rules\' own', async () => {
  const generated = (await import('../src/generated/rule-metas.js')).ruleMetas;
  assert.deepEqual(generated, ruleMetas);
});

for (const meta of ruleMetas) {
  test(`${meta.id}: metadata, docs page and tests`, () => {
    assert.match(meta.id, /^[a-z]+(-[a-z]+)*$/);
    assert.match(meta.description, /^(Disallow|Require|Enforce) /);
    assert.ok(Object.keys(meta.messages).length > 0);
    const docPath = join(REPO_ROOT, 'docs/rules', `${meta.id}.md`);
    assert.ok(existsSync(docPath), `docs/rules/${meta.id}.md is missing`);
    const doc = readFileSync(docPath, 'utf8');
    assert.ok(doc.startsWith(`# ${meta.id}\n\n${meta.description}\n`), `docs/rules/${meta.id}.md must start with its id and the rule's description`);
    assert.match(doc, /^## Failing\n\n```/m, 'a failing example');
    assert.match(doc, /^## Passing\n\n```/m, 'a passing example');
    assert.ok(existsSync(join(REPO_ROOT, 'test/rules', `${meta.id}.test.ts`)), `test/rules/${meta.id}.test.ts is missing`);
    if (meta.optionsSchema) assert.ok(meta.defaultOptions, 'a rule with options has default options');
  });
}

test('generated files are fresh (run `npm run generate`)', () => {
  const files = generatedFiles(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
  assert.ok(files.has('README.md'), 'README.md has the generated rules section markers');
  for (const [path, content] of files) {
    assert.equal(readFileSync(join(REPO_ROOT, path), 'utf8'), content, `${path} is stale: run npm run generate`);
  }
});

test('a custom rule id (namespace/name) links to how custom rules work, never to a missing rule page', () => {
  assert.equal(docsUrl('brand/privacy-link'), 'https://github.com/campaign-lint/campaign-lint/blob/main/docs/policy.md#custom-rules');
  assert.equal(docsUrl('no-cc'), 'https://github.com/campaign-lint/campaign-lint/blob/main/docs/rules/no-cc.md');
  assert.ok(readFileSync(join(REPO_ROOT, 'docs/policy.md'), 'utf8').includes('\n## Custom rules\n'));
});
