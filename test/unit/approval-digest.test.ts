import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  computeDigest,
  computeDigestDetails,
  isDigest,
  referencedFilesOf,
  shortDigest,
} from '../../src/approval/digest.js';

const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/approval/clean');
const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

let workDir: string;
before(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'campaign-lint-digest-'));
});
after(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function copyFixture(name: string): Promise<string> {
  const dir = join(workDir, name);
  await cp(fixtureDir, dir, { recursive: true });
  return dir;
}

async function digestOf(dir: string): Promise<string> {
  const campaign: unknown = parse(await readFile(join(dir, 'campaign.yaml'), 'utf8'));
  return computeDigest(campaign, dir, referencedFilesOf(campaign));
}

void describe('computeDigest', () => {
  void it('matches a hand-written RFC 8785 serialisation of the fixture', async () => {
    const campaign: unknown = parse(await readFile(join(fixtureDir, 'campaign.yaml'), 'utf8'));
    const bodyHash = sha256(await readFile(join(fixtureDir, 'body.txt')));
    const recipientsHash = sha256(await readFile(join(fixtureDir, 'recipients.csv')));
    // Keys sorted by UTF-16 code unit, no whitespace, approvals left out.
    const jcs =
      '{"campaign":{"author":"alice@example.com","body":{"text":"body.txt"},"category":"service",' +
      '"from":{"address":"news@mail.example.com","name":"Example Ltd"},"id":"winter-note",' +
      '"name":"Winter note","recipients":{"file":"recipients.csv"},' +
      '"subject":"Opening hours over the holidays","to":"{{email}}","version":1},' +
      `"files":{"body.txt":"${bodyHash}","recipients.csv":"${recipientsHash}"}}`;
    const digest = await computeDigest(campaign, fixtureDir, ['body.txt', 'recipients.csv']);
    assert.equal(digest, `sha256:${sha256(jcs)}`);
    // Pinned so that an accidental change of the algorithm (which would make every stored approval stale) fails here.
    assert.equal(digest, 'sha256:9ee695b019ed553e8a295c73b594da85819ea582be0aac11795d2f21bd1f22c9');
  });

  void it('does not depend on key order in the campaign or the order of referenced files', async () => {
    const a = { version: 1, id: 'x', from: { name: 'N', address: 'a@example.com' }, body: { text: 'body.txt' } };
    const b = { body: { text: 'body.txt' }, from: { address: 'a@example.com', name: 'N' }, id: 'x', version: 1 };
    const first = await computeDigest(a, fixtureDir, ['body.txt', 'recipients.csv']);
    const second = await computeDigest(b, fixtureDir, ['recipients.csv', 'body.txt']);
    assert.equal(first, second);
    assert.ok(isDigest(first));
  });

  void it('ignores approvals, so approving does not make earlier approvals stale', async () => {
    const base = { version: 1, id: 'x' };
    const withApprovals = { ...base, approvals: [{ by: 'bob@example.com', digest: 'sha256:00', at: '2026-01-01' }] };
    assert.equal(await computeDigest(base, fixtureDir, []), await computeDigest(withApprovals, fixtureDir, []));
  });

  void it('changes when any byte of the campaign, a body or the recipient list changes', async () => {
    const original = await digestOf(await copyFixture('original'));

    const campaignEdited = await copyFixture('campaign-edited');
    const yamlPath = join(campaignEdited, 'campaign.yaml');
    await writeFile(yamlPath, (await readFile(yamlPath, 'utf8')).replace('Winter note', 'Winter notf'));
    assert.notEqual(await digestOf(campaignEdited), original);

    const bodyEdited = await copyFixture('body-edited');
    await writeFile(join(bodyEdited, 'body.txt'), 'Hello {{first_name}},\nwe close on 24 December!\n');
    assert.notEqual(await digestOf(bodyEdited), original);

    const listEdited = await copyFixture('list-edited');
    const csv = await readFile(join(listEdited, 'recipients.csv'));
    csv[csv.length - 2] = 'm'.charCodeAt(0); // "Ben" -> "Bem"
    await writeFile(join(listEdited, 'recipients.csv'), csv);
    assert.notEqual(await digestOf(listEdited), original);

    const untouched = await copyFixture('untouched');
    assert.equal(await digestOf(untouched), original);
  });

  void it('covers suppression lists and distinguishes a missing file from any content', async () => {
    const dir = await copyFixture('suppress');
    const campaign = { id: 'x', suppress: ['lists/optout.csv'] };
    const missing = await computeDigestDetails(campaign, dir, referencedFilesOf(campaign));
    assert.ok(missing.ok);
    assert.deepEqual(missing.files, { 'lists/optout.csv': 'missing' });
    assert.deepEqual(missing.missingFiles, ['lists/optout.csv']);

    await mkdir(join(dir, 'lists'));
    await writeFile(join(dir, 'lists/optout.csv'), '');
    const empty = await computeDigestDetails(campaign, dir, referencedFilesOf(campaign));
    assert.ok(empty.ok);
    assert.deepEqual(empty.files, { 'lists/optout.csv': sha256('') });
    assert.notEqual(empty.digest, missing.digest);

    await writeFile(join(dir, 'lists/optout.csv'), 'email\nx@example.com\n');
    const filled = await computeDigestDetails(campaign, dir, referencedFilesOf(campaign));
    assert.ok(filled.ok);
    assert.notEqual(filled.digest, empty.digest);
  });

  void it('hashes a list of 8 MiB or more on a worker thread to the same SHA-256, byte for byte', async () => {
    const dir = await copyFixture('large');
    // 9 MiB that differ at the very end, so a short read would be seen.
    const rows = Buffer.alloc(9 * 1024 * 1024, 'a@example.com\n');
    const campaign = { id: 'x', suppress: ['big.csv'] };
    await writeFile(join(dir, 'big.csv'), rows);
    const first = await computeDigestDetails(campaign, dir, referencedFilesOf(campaign));
    assert.ok(first.ok);
    assert.deepEqual(first.files, { 'big.csv': sha256(rows) });
    rows[rows.length - 1] = 0x0d;
    await writeFile(join(dir, 'big.csv'), rows);
    const second = await computeDigestDetails(campaign, dir, referencedFilesOf(campaign));
    assert.ok(second.ok);
    assert.deepEqual(second.files, { 'big.csv': sha256(rows) });
  });

  void it('marks a referenced folder as unreadable instead of throwing', async () => {
    const dir = await copyFixture('folder');
    await mkdir(join(dir, 'not-a-file.csv'));
    const result = await computeDigestDetails({ id: 'x' }, dir, ['not-a-file.csv']);
    assert.ok(result.ok);
    assert.deepEqual(result.files, { 'not-a-file.csv': 'unreadable' });
    assert.deepEqual(result.unreadableFiles, [{ path: 'not-a-file.csv', reason: 'is not a regular file (a folder)' }]);
  });

  void it('uses posix separators for file keys', async () => {
    const result = await computeDigestDetails({ id: 'x' }, fixtureDir, ['.\\body.txt']);
    assert.ok(result.ok);
    assert.deepEqual(Object.keys(result.files), ['./body.txt']);
  });

  void it('returns a reason instead of throwing for values JSON cannot hold', async () => {
    const result = await computeDigestDetails({ defaults: { limit: Number.POSITIVE_INFINITY } }, fixtureDir, []);
    assert.deepEqual(result, {
      ok: false,
      reason:
        'the campaign value at defaults.limit is not representable in JSON (NaN, Infinity or a big integer), so no digest can be computed',
    });
  });
});

void describe('referencedFilesOf and shortDigest', () => {
  void it('lists bodies, recipients and suppression lists as written', () => {
    assert.deepEqual(
      referencedFilesOf({ body: { html: 'b.html', text: 'b.txt' }, recipients: { file: 'r.csv' }, suppress: ['s1.csv', 7, 's2.csv'] }),
      ['b.html', 'b.txt', 'r.csv', 's1.csv', 's2.csv'],
    );
    assert.deepEqual(referencedFilesOf(null), []);
  });

  void it('shortens a digest to 8 hex digits', () => {
    assert.equal(shortDigest(`sha256:${'ab12cd34'.repeat(8)}`), 'sha256:ab12cd34…');
  });
});
