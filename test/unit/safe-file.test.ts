/**
 * The safe reader: real path inside the repository (symlinks at any level, dangling ones too),
 * regular files only, never blocking on a FIFO, the opened file must be the checked one.
 * FIFOs and symlinks are made here, in temporary folders (git cannot commit a FIFO).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { resolveInside } from '../../src/core/paths.js';
import { checkFile, openFileForUpdate, readFileHead, readTextFile } from '../../src/core/safe-file.js';
import type { FileRefusal } from '../../src/core/safe-file.js';
import { computeDigestDetails } from '../../src/approval/digest.js';
import { tempTree } from '../helpers/campaign.js';

const canMkfifo = process.platform !== 'win32';

function tree(): { root: string; outside: string } {
  const outside = tempTree({ 'secret.txt': 'TOKEN=hunter2\n', 'dir/secret.txt': 'TOKEN=hunter2\n' });
  const root = tempTree({ 'body.txt': 'Hello\n', 'sub/inner.txt': 'inner\n' });
  return { root, outside };
}

const refusal = (result: { ok: boolean }): FileRefusal => {
  assert.equal(result.ok, false, 'expected a refusal');
  return result as FileRefusal;
};

describe('checkFile / readTextFile', () => {
  test('a regular file inside the root is read', () => {
    const { root } = tree();
    const read = readTextFile(join(root, 'body.txt'), { rootDir: root });
    assert.ok(read.ok);
    assert.equal(read.text, 'Hello\n');
    assert.equal(read.viaSymlink, false);
  });

  test('`..` out of the root is refused without reading', () => {
    const { root, outside } = tree();
    const result = refusal(readTextFile(join(root, '..', outside.split('/').pop() ?? '', 'secret.txt'), { rootDir: root }));
    assert.equal(result.kind, 'outside');
    assert.equal(result.reason, 'leaves the repository root');
  });

  test('a symlink to a file outside, a symlinked folder outside, and a dangling symlink outside are refused; the reason names neither target nor content', () => {
    const { root, outside } = tree();
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
    symlinkSync(join(outside, 'dir'), join(root, 'linkdir'));
    symlinkSync(join(outside, 'does-not-exist.txt'), join(root, 'dangling.txt'));
    symlinkSync('/proc/self/environ', join(root, 'environ.yaml'));
    for (const path of ['link.txt', 'linkdir/secret.txt', 'linkdir/missing.txt', 'dangling.txt', 'environ.yaml']) {
      const result = refusal(readTextFile(join(root, path), { rootDir: root }));
      assert.equal(result.kind, 'symlink-outside', path);
      assert.equal(result.reason, 'is a symlink that leaves the repository root');
      assert.doesNotMatch(result.reason, /hunter2|TOKEN|secret|environ|\/tmp/);
    }
  });

  test('a symlink that stays inside is read (and flagged as one)', () => {
    const { root } = tree();
    symlinkSync('sub/inner.txt', join(root, 'alias.txt'));
    const read = readTextFile(join(root, 'alias.txt'), { rootDir: root });
    assert.ok(read.ok);
    assert.equal(read.text, 'inner\n');
    assert.equal(read.viaSymlink, true);
  });

  test('a folder is not a regular file; a missing file is `missing`', () => {
    const { root } = tree();
    assert.deepEqual(refusal(checkFile(join(root, 'sub'), { rootDir: root })), { ok: false, kind: 'not-regular', reason: 'is not a regular file (a folder)' });
    assert.equal(refusal(checkFile(join(root, 'nope.txt'), { rootDir: root })).kind, 'missing');
  });

  test('a FIFO is refused at once, never opened for a blocking read', { skip: canMkfifo ? false : 'no mkfifo on this platform' }, () => {
    const { root } = tree();
    execFileSync('mkfifo', [join(root, 'pipe.csv')]);
    const started = Date.now();
    assert.deepEqual(refusal(readTextFile(join(root, 'pipe.csv'), { rootDir: root })), { ok: false, kind: 'not-regular', reason: 'is not a regular file (a FIFO)' });
    assert.equal(refusal(readFileHead(join(root, 'pipe.csv'), { rootDir: root, maxBytes: 10 })).kind, 'not-regular');
    symlinkSync('pipe.csv', join(root, 'to-pipe.csv'));
    assert.equal(refusal(readTextFile(join(root, 'to-pipe.csv'), { rootDir: root })).kind, 'not-regular');
    assert.ok(Date.now() - started < 1000);
  });

  test('maxBytes refuses a larger file; readFileHead reads only the head', () => {
    const { root } = tree();
    writeFileSync(join(root, 'big.yaml'), 'x'.repeat(5000));
    assert.deepEqual(refusal(readTextFile(join(root, 'big.yaml'), { rootDir: root, maxBytes: 4096 })), {
      ok: false,
      kind: 'too-large',
      reason: 'is 5000 bytes, over the 4096-byte limit (config max_file_size)',
    });
    const head = readFileHead(join(root, 'big.yaml'), { rootDir: root, maxBytes: 10 });
    assert.ok(head.ok);
    assert.equal(head.head.length, 10);
  });

  test('without a root (a trusted file named on purpose), a FIFO is still refused', { skip: canMkfifo ? false : 'no mkfifo on this platform' }, () => {
    const { root } = tree();
    execFileSync('mkfifo', [join(root, 'signers')]);
    assert.equal(refusal(readTextFile(join(root, 'signers'), { rootDir: undefined })).kind, 'not-regular');
  });
});

describe('a repository reached through a symlink above it (the user setup)', () => {
  test('is not a symlink out of the repository, nor one approve refuses', () => {
    const { root } = tree();
    const link = join(tempTree({}), 'link');
    symlinkSync(root, link);
    const viaLink = checkFile(join(link, 'body.txt'), { rootDir: link });
    assert.ok(viaLink.ok);
    assert.equal(viaLink.viaSymlink, false);
    assert.ok(checkFile(join(root, 'body.txt'), { rootDir: link }).ok, 'git prints the real top-level folder');
    const opened = openFileForUpdate(join(link, 'body.txt'), { rootDir: link });
    assert.ok(opened.ok);
  });
});

describe('openFileForUpdate (approve)', () => {
  test('refuses any symlink, even one inside the repository', () => {
    const { root } = tree();
    symlinkSync('body.txt', join(root, 'alias.yaml'));
    mkdirSync(join(root, 'real'));
    writeFileSync(join(root, 'real/campaign.yaml'), 'version: 1\n');
    symlinkSync('real', join(root, 'linked'));
    assert.equal(refusal(openFileForUpdate(join(root, 'alias.yaml'), { rootDir: root })).kind, 'symlink');
    assert.equal(refusal(openFileForUpdate(join(root, 'linked/campaign.yaml'), { rootDir: root })).kind, 'symlink');
    const opened = openFileForUpdate(join(root, 'real/campaign.yaml'), { rootDir: root });
    assert.ok(opened.ok);
  });
});

describe('resolveInside is the safe reader', () => {
  test('refuses a dangling symlink out of the repository and a FIFO; a missing file is ok (the rules report it)', { skip: canMkfifo ? false : 'no mkfifo on this platform' }, () => {
    const { root, outside } = tree();
    symlinkSync(join(outside, 'nope.csv'), join(root, 'dangling.csv'));
    execFileSync('mkfifo', [join(root, 'pipe.html')]);
    assert.deepEqual(resolveInside(root, root, 'dangling.csv'), { ok: false, reason: 'is a symlink that leaves the repository root', kind: 'symlink-outside' });
    assert.deepEqual(resolveInside(root, root, 'pipe.html'), { ok: false, reason: 'is not a regular file (a FIFO)', kind: 'not-regular' });
    assert.deepEqual(resolveInside(root, root, 'missing.csv'), { ok: true, path: join(root, 'missing.csv') });
  });
});

describe('the digest opens files through the safe reader', () => {
  test('a FIFO is `unreadable` at once; a symlink out of the repository is never hashed', { skip: canMkfifo ? false : 'no mkfifo on this platform' }, async () => {
    const { root, outside } = tree();
    execFileSync('mkfifo', [join(root, 'pipe.csv')]);
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
    const result = await computeDigestDetails({ id: 'x' }, root, ['pipe.csv', 'link.txt', 'body.txt'], undefined, root);
    assert.ok(result.ok);
    assert.deepEqual(result.files['pipe.csv'], 'unreadable');
    assert.deepEqual(result.files['link.txt'], 'unreadable');
    assert.deepEqual(result.unreadableFiles, [
      { path: 'pipe.csv', reason: 'is not a regular file (a FIFO)' },
      { path: 'link.txt', reason: 'is a symlink that leaves the repository root' },
    ]);
    assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), 'TOKEN=hunter2\n');
  });
});
