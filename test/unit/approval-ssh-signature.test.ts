import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createSshSignatureVerifier,
  loadAllowedSigners,
  matchesPatternList,
  parseAllowedSigners,
  signDigest,
  verifySshSignature,
} from '../../src/approval/ssh-signature.js';
import { evaluateApprovals } from '../../src/approval/evaluate.js';

const DIGEST = `sha256:${'ab12cd34'.repeat(8)}`;
const OTHER_DIGEST = `sha256:${'ef56ab78'.repeat(8)}`;
const LABEL = '.campaign-lint/allowed_signers';

const hasSshKeygen = spawnSync('ssh-keygen', ['-?'], { encoding: 'utf8' }).error === undefined;
const skipReason = hasSshKeygen ? false : 'ssh-keygen is not installed; these tests need the real OpenSSH tool';
if (!hasSshKeygen) console.log(`# skipping SSH signature tests: ${String(skipReason)}`);

interface TestKey {
  path: string;
  publicLine: string;
  fingerprint: string;
}

let dir = '';
const keys: Record<'bob' | 'carol' | 'dora', TestKey> = {} as Record<'bob' | 'carol' | 'dora', TestKey>;

function keygen(args: string[], input?: string): string {
  const result = spawnSync('ssh-keygen', args, { encoding: 'utf8', input });
  assert.equal(result.status, 0, `ssh-keygen ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

async function makeKey(name: string, type: string[]): Promise<TestKey> {
  const path = join(dir, name);
  keygen([...type, '-N', '', '-C', `${name}@example.com`, '-f', path, '-q']);
  const publicLine = (await readFile(`${path}.pub`, 'utf8')).trim();
  const fingerprint = /(SHA256:\S+)/.exec(keygen(['-l', '-E', 'sha256', '-f', `${path}.pub`]))?.[1] ?? '';
  return { path, publicLine, fingerprint };
}

/** Signs exactly `message` the way a person would by hand: `printf %s … | ssh-keygen -Y sign`. */
function signByHand(key: TestKey, message: string, namespace = 'campaign-lint'): string {
  return keygen(['-Y', 'sign', '-f', key.path, '-n', namespace], message).trim();
}

function keyPart(key: TestKey): string {
  return key.publicLine.split(' ').slice(0, 2).join(' ');
}

function allowed(lines: string[]): ReturnType<typeof parseAllowedSigners> {
  return parseAllowedSigners(lines.join('\n'), LABEL);
}

function armor(blob: Buffer): string {
  const lines = blob.toString('base64').match(/.{1,70}/g) ?? [];
  return ['-----BEGIN SSH SIGNATURE-----', ...lines, '-----END SSH SIGNATURE-----'].join('\n');
}

function unarmor(signature: string): Buffer {
  return Buffer.from(signature.split('\n').slice(1, -1).join(''), 'base64');
}

before(async () => {
  if (!hasSshKeygen) return;
  dir = await mkdtemp(join(tmpdir(), 'campaign-lint-ssh-'));
  keys.bob = await makeKey('bob', ['-t', 'ed25519']);
  keys.carol = await makeKey('carol', ['-t', 'rsa', '-b', '2048']);
  keys.dora = await makeKey('dora', ['-t', 'ecdsa', '-b', '256']);
});
after(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

void describe('verifySshSignature with keys made by ssh-keygen', { skip: skipReason }, () => {
  const standardSigners = (): ReturnType<typeof parseAllowedSigners> =>
    allowed([
      '# reviewers',
      `bob@example.com ${keyPart(keys.bob)}`,
      `carol@example.com namespaces="campaign-lint,git" ${keys.carol.publicLine}`,
      `"dora@example.com" ${keyPart(keys.dora)}`,
    ]);

  void it('accepts an Ed25519 signature made by signDigest, naming the key fingerprint', async () => {
    const signed = await signDigest(keys.bob.path, DIGEST);
    assert.ok(signed.ok, signed.ok ? '' : signed.reason);
    assert.deepEqual(verifySshSignature(signed.signature, 'bob@example.com', DIGEST, standardSigners()), {
      ok: true,
      principal: 'bob@example.com',
      fingerprint: keys.bob.fingerprint,
      keyType: 'ssh-ed25519',
    });
  });

  void it('accepts an RSA (rsa-sha2-512) and an ECDSA P-256 signature', async () => {
    const rsa = await signDigest(keys.carol.path, DIGEST);
    assert.ok(rsa.ok);
    const rsaResult = verifySshSignature(rsa.signature, 'carol@example.com', DIGEST, standardSigners());
    assert.deepEqual(rsaResult, { ok: true, principal: 'carol@example.com', fingerprint: keys.carol.fingerprint, keyType: 'ssh-rsa' });
    const ecdsa = signByHand(keys.dora, DIGEST);
    const ecdsaResult = verifySshSignature(ecdsa, 'dora@example.com', DIGEST, standardSigners());
    assert.deepEqual(ecdsaResult, {
      ok: true,
      principal: 'dora@example.com',
      fingerprint: keys.dora.fingerprint,
      keyType: 'ecdsa-sha2-nistp256',
    });
  });

  void it('agrees with ssh-keygen -Y verify on what the signed message is', async () => {
    const signed = await signDigest(keys.bob.path, DIGEST);
    assert.ok(signed.ok);
    const signatureFile = join(dir, 'agree.sig');
    const signersFile = join(dir, 'agree_signers');
    await writeFile(signatureFile, `${signed.signature}\n`);
    await writeFile(signersFile, `bob@example.com ${keyPart(keys.bob)}\n`);
    const verify = (message: string): number | null =>
      spawnSync(
        'ssh-keygen',
        ['-Y', 'verify', '-f', signersFile, '-I', 'bob@example.com', '-n', 'campaign-lint', '-s', signatureFile],
        { input: message },
      ).status;
    assert.equal(verify(DIGEST), 0);
    assert.notEqual(verify(OTHER_DIGEST), 0);
  });

  void it('accepts a hand-made signature with or without the trailing newline echo adds', () => {
    const signers = standardSigners();
    assert.equal(verifySshSignature(signByHand(keys.bob, DIGEST), 'bob@example.com', DIGEST, signers).ok, true);
    assert.equal(verifySshSignature(signByHand(keys.bob, `${DIGEST}\n`), 'bob@example.com', DIGEST, signers).ok, true);
    assert.equal(verifySshSignature(signByHand(keys.bob, `${DIGEST}\n\n`), 'bob@example.com', DIGEST, signers).ok, false);
  });

  void it('refuses a valid signature by a key not listed for that principal', () => {
    const signature = signByHand(keys.carol, DIGEST);
    assert.deepEqual(verifySshSignature(signature, 'bob@example.com', DIGEST, standardSigners()), {
      ok: false,
      reason: `key ${keys.carol.fingerprint} is not listed for bob@example.com in ${LABEL} (it is listed for carol@example.com)`,
    });
    assert.deepEqual(verifySshSignature(signature, 'carol@example.com', DIGEST, allowed([`bob@example.com ${keyPart(keys.bob)}`])), {
      ok: false,
      reason: `key ${keys.carol.fingerprint} is not listed for carol@example.com in ${LABEL}`,
    });
  });

  void it('refuses a mangled signature', () => {
    const blob = unarmor(signByHand(keys.bob, DIGEST));
    const flipped = Buffer.from(blob);
    flipped[flipped.length - 5] = (flipped[flipped.length - 5] ?? 0) ^ 0x01;
    assert.deepEqual(verifySshSignature(armor(flipped), 'bob@example.com', DIGEST, standardSigners()), {
      ok: false,
      reason: `the signature by key ${keys.bob.fingerprint} is not a signature of ${DIGEST}; it was made for other content or is damaged`,
    });
    assert.deepEqual(verifySshSignature(armor(blob.subarray(0, 40)), 'bob@example.com', DIGEST, standardSigners()), {
      ok: false,
      reason: 'the signature is damaged (truncated data)',
    });
    assert.deepEqual(verifySshSignature('-----BEGIN SSH SIGNATURE-----\n%%%\n-----END SSH SIGNATURE-----', 'bob@example.com', DIGEST, standardSigners()), {
      ok: false,
      reason: 'the signature is damaged: its body is not valid base64',
    });
    assert.deepEqual(verifySshSignature('looks good to me', 'bob@example.com', DIGEST, standardSigners()), {
      ok: false,
      reason: 'the signature is not an armored SSH signature (it must run from -----BEGIN SSH SIGNATURE----- to -----END SSH SIGNATURE-----)',
    });
  });

  void it('refuses a signature over another digest', () => {
    const result = verifySshSignature(signByHand(keys.bob, OTHER_DIGEST), 'bob@example.com', DIGEST, standardSigners());
    assert.deepEqual(result, {
      ok: false,
      reason: `the signature by key ${keys.bob.fingerprint} is not a signature of ${DIGEST}; it was made for other content or is damaged`,
    });
  });

  void it('refuses a signature made for another namespace', () => {
    const result = verifySshSignature(signByHand(keys.bob, DIGEST, 'git'), 'bob@example.com', DIGEST, standardSigners());
    assert.deepEqual(result, {
      ok: false,
      reason: `the signature by key ${keys.bob.fingerprint} was made for namespace "git", not "campaign-lint"; sign with ssh-keygen -Y sign -n campaign-lint`,
    });
  });

  void it('refuses a missing signature', () => {
    const expected = { ok: false, reason: 'no signature; sign the digest with campaign-lint approve --sign-key <key>' };
    assert.deepEqual(verifySshSignature(undefined, 'bob@example.com', DIGEST, standardSigners()), expected);
    assert.deepEqual(verifySshSignature('  ', 'bob@example.com', DIGEST, standardSigners()), expected);
  });

  void it('honours wildcards, negation, namespaces, validity windows and refuses cert-authority lines', () => {
    const signature = signByHand(keys.bob, DIGEST);
    const check = (line: string, principal = 'bob@example.com'): ReturnType<typeof verifySshSignature> =>
      verifySshSignature(signature, principal, DIGEST, allowed([line]), { now: new Date('2026-06-01T00:00:00Z') });
    assert.equal(check(`*@example.com ${keyPart(keys.bob)}`).ok, true);
    assert.equal(check(`Bob@Example.COM ${keyPart(keys.bob)}`).ok, true);
    assert.equal(check(`*@example.com,!bob@example.com ${keyPart(keys.bob)}`).ok, false);
    assert.deepEqual(check(`bob@example.com namespaces="git" ${keyPart(keys.bob)}`), {
      ok: false,
      reason: `${LABEL}:1 limits key ${keys.bob.fingerprint} to namespaces "git", which excludes "campaign-lint"`,
    });
    assert.deepEqual(check(`bob@example.com valid-after="20270101Z" ${keyPart(keys.bob)}`), {
      ok: false,
      reason: `${LABEL}:1 makes key ${keys.bob.fingerprint} valid only after 2027-01-01T00:00:00Z`,
    });
    assert.deepEqual(check(`bob@example.com valid-before="202601011200Z" ${keyPart(keys.bob)}`), {
      ok: false,
      reason: `${LABEL}:1 made key ${keys.bob.fingerprint} valid only before 2026-01-01T12:00:00Z`,
    });
    assert.equal(check(`bob@example.com valid-after="20260101Z",valid-before="20270101Z" ${keyPart(keys.bob)}`).ok, true);
    assert.deepEqual(check(`bob@example.com cert-authority ${keyPart(keys.bob)}`), {
      ok: false,
      reason: `${LABEL}:1 is a cert-authority line, which campaign-lint does not support`,
    });
  });

  void it('createSshSignatureVerifier binds the allowed signers', () => {
    const verifier = createSshSignatureVerifier(standardSigners());
    assert.equal(verifier(signByHand(keys.bob, DIGEST), 'bob@example.com', DIGEST).ok, true);
    assert.equal(verifier(signByHand(keys.bob, DIGEST), 'carol@example.com', DIGEST).ok, false);
  });
});

void describe('signature mode end to end', { skip: skipReason }, () => {
  void it('counts two real signatures and refuses one by the wrong key', async () => {
    const bob = await signDigest(keys.bob.path, DIGEST);
    const carol = await signDigest(keys.carol.path, DIGEST);
    assert.ok(bob.ok && carol.ok);
    const signers = allowed([`bob@example.com ${keyPart(keys.bob)}`, `carol@example.com ${keyPart(keys.carol)}`]);
    const approvals = [
      { by: 'bob@example.com', digest: DIGEST, at: '2026-11-20T10:00:00Z', signature: bob.signature },
      { by: 'carol@example.com', digest: DIGEST, at: '2026-11-20T11:00:00Z', signature: carol.signature },
    ];
    const input = { currentDigest: DIGEST, author: 'alice@example.com', mode: 'signature' as const, verifySignature: createSshSignatureVerifier(signers) };
    assert.equal(evaluateApprovals({ ...input, approvals }).message, '2 of 2 approvals valid');
    const forged = [approvals[0], { ...approvals[1], signature: bob.signature }];
    assert.equal(
      evaluateApprovals({ ...input, approvals: forged, campaignPath: 'campaign.yaml' }).message,
      `1 of 2 approvals valid: carol@example.com's signature is refused: key ${keys.bob.fingerprint} is not listed for carol@example.com in ${LABEL} (it is listed for bob@example.com); one more reviewer other than the author must run campaign-lint approve campaign.yaml --by <id> --sign-key <key>`,
    );
  });
});

void describe('signDigest failures', { skip: skipReason }, () => {
  void it('says when the key file does not exist', async () => {
    const missing = join(dir, 'no-such-key');
    const result = await signDigest(missing, DIGEST);
    if (result.ok) assert.fail('signing with a missing key succeeded');
    assert.match(result.reason, new RegExp(`^ssh-keygen -Y sign -f ${missing} failed \\(exit 255\\): `));
  });

  void it('says when ssh-keygen is missing', async () => {
    const result = await signDigest(keys.bob.path, DIGEST, { sshKeygen: 'ssh-keygen-not-installed' });
    assert.deepEqual(result, {
      ok: false,
      reason: 'ssh-keygen-not-installed was not found; install OpenSSH 8.2 or later to sign approvals',
    });
  });
});

void describe('allowed_signers parsing', () => {
  void it('reports malformed lines and keeps good ones', () => {
    const parsed = parseAllowedSigners(
      [
        'bob@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP7QmjmxNMVqiaIrMpmbp62Z8LbddtcLRCYE/qz6ytqR',
        'carol@example.com',
        'dora@example.com frobnicate="1" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP7QmjmxNMVqiaIrMpmbp62Z8LbddtcLRCYE/qz6ytqR',
        'erin@example.com ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIP7QmjmxNMVqiaIrMpmbp62Z8LbddtcLRCYE/qz6ytqR',
      ].join('\r\n'),
      LABEL,
    );
    assert.deepEqual(parsed.signers.map((signer) => [signer.line, signer.principals, signer.keyType]), [[1, ['bob@example.com'], 'ssh-ed25519']]);
    assert.deepEqual(parsed.problems, [
      { line: 2, message: 'expected "principals [options] key-type base64-key"' },
      { line: 3, message: 'unknown option "frobnicate="1""' },
      { line: 4, message: 'the ssh-rsa key is not valid base64 key data of that type' },
    ]);
  });

  void it('matches OpenSSH pattern lists', () => {
    assert.equal(matchesPatternList('bob@example.com', ['*@example.com']), true);
    assert.equal(matchesPatternList('bob@example.com', ['b?b@example.com']), true);
    assert.equal(matchesPatternList('bob@example.com', ['*.example.com']), false);
    assert.equal(matchesPatternList('bob@example.com', ['*', '!bob@*']), false);
    assert.equal(matchesPatternList('a.b@example.com', ['a?b@example.com']), true);
    assert.equal(matchesPatternList('axb@example.com', ['a.b@example.com']), false);
  });

  void it('turns a missing file into a reason', async () => {
    assert.deepEqual(await loadAllowedSigners(join(tmpdir(), 'campaign-lint-no-such-file'), LABEL), {
      ok: false,
      reason: `the allowed signers file ${LABEL} does not exist; create it in git's allowed_signers format (approval.allowed_signers)`,
    });
  });
});
