import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tempTree } from '../helpers/campaign.js';
import { gitInit, runCli } from '../helpers/cli.js';
import { CONFIG } from '../integration/helpers.js';

const LEAK = '{"from": {"email": "news@mail.example.com"},\n "personalizations": [{"to": [{"email": "jane.doe@example.com"}, {"email": "omar.haddad@example.org"}]}]}\n';
const CLEAN = '{"from": {"email": "news@mail.example.com"}, "personalizations": [{"to": [{"email": "jane.doe@example.com"}]}]}\n';

test('--input-format reads a file of any name as that platform\'s payload; the finding is masked; exit 1', () => {
  const root = tempTree({ 'campaign-lint.config.yaml': CONFIG, 'out/request.json': LEAK });
  gitInit(root);
  const run = runCli(['--input-format', 'sendgrid', 'out/request.json', '-f', 'json'], { cwd: root });
  assert.equal(run.status, 1, run.stderr);
  const results = JSON.parse(run.stdout) as { filePath: string; messages: { ruleId: string; line: number; column: number }[] }[];
  assert.deepEqual(
    results.flatMap((result) => result.messages.map((message) => `${message.ruleId}@${message.line}:${message.column}`)),
    ['single-recipient-to@2:30'],
  );
  assert.doesNotMatch(run.stdout, /jane\.doe|omar\.haddad/);
});

test('an unknown --input-format is a usage error (exit 2) with the accepted values', () => {
  const root = tempTree({ 'campaign-lint.config.yaml': CONFIG, 'request.json': CLEAN });
  const run = runCli(['--input-format', 'sparkpost', 'request.json'], { cwd: root });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--input-format must be one of sendgrid, mailgun, mandrill, ses, postmark, nodemailer, not `sparkpost`/);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
});

test('in a folder, *.payload.json files and the config\'s `payloads` globs are linted; other JSON is not', () => {
  const root = tempTree({
    'campaign-lint.config.yaml': `${CONFIG}payloads: ["requests/**/*.json"]\n`,
    'send/a.payload.json': LEAK,
    'send/b.payload.jsonl': CLEAN,
    'requests/c.json': LEAK,
    'package.json': '{"name": "x", "to": "jane.doe@example.com, omar.haddad@example.org"}\n',
  });
  gitInit(root);
  const run = runCli(['-f', 'json'], { cwd: root });
  assert.equal(run.status, 1, run.stderr);
  const results = JSON.parse(run.stdout) as { filePath: string; errorCount: number }[];
  const files = results.map((result) => `${result.filePath.slice(root.length + 1)}:${result.errorCount}`).sort();
  assert.deepEqual(files, ['requests/c.json:1', 'send/a.payload.json:1', 'send/b.payload.jsonl:0']);
});

test('a payload file that is not JSON is a fatal finding at its position', () => {
  const root = tempTree({ 'campaign-lint.config.yaml': CONFIG, 'a.payload.json': '{"to": "jane.doe@example.com",\n  from: 1}\n' });
  gitInit(root);
  const run = runCli(['a.payload.json'], { cwd: root });
  assert.equal(run.status, 1);
  assert.match(run.stdout, /2:3\s+error\s+JSON syntax error: unexpected bare word; payload files are strict JSON \(double quotes around keys and strings/);
});
