import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lint } from '../../src/core/lint.js';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';

const CONFIG = 'extends: recommended\norganization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\napproval:\n  required: 0\n';

/** The fatal findings (no rule id) of linting a campaign tree, as `file:line:column message`. */
async function fatal(files: Record<string, string>, body?: Buffer): Promise<string[]> {
  const root = tempTree({ 'campaign.yaml': VALID_CAMPAIGN, ...VALID_FILES, 'campaign-lint.config.yaml': CONFIG, ...files });
  if (body) writeFileSync(join(root, 'body.txt'), body);
  const run = await lint({ cwd: root, patterns: ['campaign.yaml'], configFile: join(root, 'campaign-lint.config.yaml') });
  return run.results.flatMap((result) => result.messages.filter((message) => message.ruleId === null).map((message) => `${result.filePath.slice(root.length + 1)}:${message.line}:${message.column} ${message.message}`));
}

const BODY = VALID_FILES['body.txt'] ?? '';

test('a UTF-16 body file: one line naming the fix', async () => {
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BODY, 'utf16le')]);
  assert.deepEqual(await fatal({}, utf16), ['body.txt:1:1 template file looks like UTF-16: templates are read as UTF-8. Save it as UTF-8 (in most editors: Save with encoding, UTF-8)']);
});

test('a Windows-1252 body file: at the first byte that is not UTF-8, naming the fix', async () => {
  const cp1252 = Buffer.from(BODY.replace('Hello', 'Hello caf\u00e9'), 'latin1');
  assert.deepEqual(await fatal({}, cp1252), [
    'body.txt:1:10 template file is not valid UTF-8 (often a Windows-1252 or Latin-1 export): save it as UTF-8 (in most editors: Save with encoding, UTF-8)',
  ]);
});

test('template text written where the body file name goes is said as such', async () => {
  const campaign = VALID_CAMPAIGN.replace('  text: body.txt', '  text: "Hello {{first_name}}"');
  assert.deepEqual(await fatal({ 'campaign.yaml': campaign }), [
    'campaign.yaml:15:9 `body.text` holds template text, but it names a file: put the template in a file next to the campaign (such as `body.txt`) and write that file\'s name here',
  ]);
});

test('an unquoted {{merge field}} value: one fatal line at the value, with the quoted fix', async () => {
  const campaign = VALID_CAMPAIGN.replace('subject: "Hello {{first_name}}"', 'subject: {{first_name}}, hi');
  assert.deepEqual(await fatal({ 'campaign.yaml': campaign }), [
    'campaign.yaml:10:10 YAML syntax error: a value that starts with `{{` is read by YAML as a map, not as text with a merge field. Quote the value: `subject: "{{first_name}}, hi"`',
  ]);
});
