/**
 * SSH signatures of campaign digests (`approval.verify: signature`, docs/approval.md).
 *
 * Approvers sign the digest with `ssh-keygen -Y sign -n campaign-lint` (OpenSSH's SSHSIG
 * format, the one git uses for SSH commit signing), and the key must be listed for their
 * identity in a file in git's `allowed_signers` format.
 *
 * Verification is done in-process with node:crypto rather than by spawning
 * `ssh-keygen -Y verify`: the result must not depend on which OpenSSH a laptop or runner
 * has (Windows runners and older macOS builds differ, and some images lack ssh-keygen
 * altogether), spawning one process per approval is slow on Windows, and only parsing
 * the signature ourselves lets a finding say which key signed and why it is refused.
 * node:crypto does the cryptography; this module only decodes the wire format, which is
 * small and fixed (PROTOCOL.sshsig). Tests cross-check against the real ssh-keygen.
 *
 * The signed message is the digest string itself, `sha256:<64 hex>`, without a newline,
 * as produced by `printf %s sha256:… | ssh-keygen -Y sign -f KEY -n campaign-lint`.
 * A signature over the digest followed by one `\n` (what `echo` gives) is accepted too:
 * it binds the same digest, and refusing it would only punish a common slip.
 *
 * Deliberate differences from ssh-keygen: principals match case-insensitively and a
 * literal email principal matches with `+tags` cut (the identity model, identity.ts); `cert-authority` lines are reported unsupported;
 * `valid-after`/`valid-before` are checked against the time of verification (an expired
 * key stops approving), as `ssh-keygen -Y verify` does without `-Overify-time`.
 */
import { childProcess } from '../core/lazy-builtins.js';
import { createHash, createPublicKey, verify as verifySignatureBytes, type KeyObject } from 'node:crypto';
import { isInside } from '../core/paths.js';
import { readTextFileAsync } from '../core/safe-file.js';
import { isLiteralPrincipal, normalizeEmail } from './identity.js';

export const SIGNATURE_NAMESPACE = 'campaign-lint';

export type SignatureVerification =
  | { ok: true; principal: string; fingerprint: string; keyType: string }
  | { ok: false; reason: string };

export interface AllowedSigner {
  /** 1-based line in the allowed_signers file. */
  line: number;
  principals: string[];
  namespaces?: string[];
  validAfter?: Date;
  validBefore?: Date;
  certAuthority: boolean;
  keyType: string;
  /** The decoded public key blob (SSH wire format). */
  keyBlob: Buffer;
  fingerprint: string;
}

export interface AllowedSigners {
  /** How findings name the file, e.g. `.campaign-lint/allowed_signers`. */
  label: string;
  signers: AllowedSigner[];
  /** Lines that were ignored, with the reason; a verifier may surface them. */
  problems: { line: number; message: string }[];
}

export interface VerifyOptions {
  /** Defaults to `campaign-lint`. */
  namespace?: string;
  /** The time `valid-after`/`valid-before` are checked against; defaults to now. */
  now?: Date;
}

// ---------------------------------------------------------------------------
// SSH wire format

class WireReader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}

  get done(): boolean {
    return this.offset === this.buffer.length;
  }

  bytes(length: number): Buffer {
    if (this.offset + length > this.buffer.length) throw new WireFormatError('truncated data');
    const slice = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  uint32(): number {
    return this.bytes(4).readUInt32BE(0);
  }

  string(): Buffer {
    return this.bytes(this.uint32());
  }

  text(): string {
    return this.string().toString('utf8');
  }
}

class WireFormatError extends Error {}

function wireString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length, 0);
  return Buffer.concat([length, bytes]);
}

function unsignedMagnitude(mpint: Buffer): Buffer {
  let start = 0;
  while (start < mpint.length - 1 && mpint[start] === 0) start++;
  return mpint.subarray(start);
}

function leftPad(bytes: Buffer, size: number): Buffer {
  const magnitude = unsignedMagnitude(bytes);
  if (magnitude.length > size) throw new WireFormatError('ECDSA signature component too long');
  return Buffer.concat([Buffer.alloc(size - magnitude.length), magnitude]);
}

const ECDSA_CURVES: Record<string, { curveId: string; jwkCurve: string; hash: string; size: number }> = {
  'ecdsa-sha2-nistp256': { curveId: 'nistp256', jwkCurve: 'P-256', hash: 'sha256', size: 32 },
  'ecdsa-sha2-nistp384': { curveId: 'nistp384', jwkCurve: 'P-384', hash: 'sha384', size: 48 },
  'ecdsa-sha2-nistp521': { curveId: 'nistp521', jwkCurve: 'P-521', hash: 'sha512', size: 66 },
};

const SUPPORTED_KEY_TYPES = ['ssh-ed25519', 'ssh-rsa', ...Object.keys(ECDSA_CURVES)];

/** `SHA256:…` as `ssh-keygen -l` prints it. */
export function keyFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

function publicKeyFromBlob(keyBlob: Buffer): { keyType: string; key: KeyObject } {
  const reader = new WireReader(keyBlob);
  const keyType = reader.text();
  if (keyType === 'ssh-ed25519') {
    const raw = reader.string();
    if (raw.length !== 32) throw new WireFormatError('Ed25519 key is not 32 bytes');
    return { keyType, key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' }) };
  }
  if (keyType === 'ssh-rsa') {
    const exponent = unsignedMagnitude(reader.string());
    const modulus = unsignedMagnitude(reader.string());
    return {
      keyType,
      key: createPublicKey({
        key: { kty: 'RSA', n: modulus.toString('base64url'), e: exponent.toString('base64url') },
        format: 'jwk',
      }),
    };
  }
  const curve = ECDSA_CURVES[keyType];
  if (curve !== undefined) {
    if (reader.text() !== curve.curveId) throw new WireFormatError('ECDSA curve does not match the key type');
    const point = reader.string();
    if (point.length !== 1 + 2 * curve.size || point[0] !== 4) throw new WireFormatError('ECDSA point is not uncompressed');
    const x = point.subarray(1, 1 + curve.size).toString('base64url');
    const y = point.subarray(1 + curve.size).toString('base64url');
    return { keyType, key: createPublicKey({ key: { kty: 'EC', crv: curve.jwkCurve, x, y }, format: 'jwk' }) };
  }
  throw new UnsupportedKeyError(keyType);
}

class UnsupportedKeyError extends Error {
  constructor(readonly keyType: string) {
    super(`key type ${keyType} is not supported (supported: ${SUPPORTED_KEY_TYPES.join(', ')})`);
  }
}

/** Checks one SSH signature blob (`string format, string bytes`) over `data` with the given key. */
function verifyRawSignature(keyType: string, key: KeyObject, signatureBlob: Buffer, data: Buffer): boolean | string {
  const reader = new WireReader(signatureBlob);
  const format = reader.text();
  const bytes = reader.string();
  if (keyType === 'ssh-ed25519') {
    if (format !== 'ssh-ed25519') return `signature format ${format} does not fit an Ed25519 key`;
    return verifySignatureBytes(null, data, key, bytes);
  }
  if (keyType === 'ssh-rsa') {
    if (format === 'rsa-sha2-512') return verifySignatureBytes('sha512', data, key, bytes);
    if (format === 'rsa-sha2-256') return verifySignatureBytes('sha256', data, key, bytes);
    return `signature format ${format} is not accepted (RSA signatures must use rsa-sha2-256 or rsa-sha2-512)`;
  }
  const curve = ECDSA_CURVES[keyType];
  if (curve !== undefined) {
    if (format !== keyType) return `signature format ${format} does not fit a ${keyType} key`;
    const components = new WireReader(bytes);
    const r = leftPad(components.string(), curve.size);
    const s = leftPad(components.string(), curve.size);
    return verifySignatureBytes(curve.hash, data, { key, dsaEncoding: 'ieee-p1363' }, Buffer.concat([r, s]));
  }
  return `key type ${keyType} is not supported`;
}

// ---------------------------------------------------------------------------
// SSHSIG envelope

interface SshSig {
  keyBlob: Buffer;
  namespace: string;
  reserved: Buffer;
  hashAlgorithm: string;
  signatureBlob: Buffer;
}

const ARMOR_BEGIN = '-----BEGIN SSH SIGNATURE-----';
const ARMOR_END = '-----END SSH SIGNATURE-----';
const MAGIC = Buffer.from('SSHSIG', 'ascii');

function decodeArmor(armored: string): Buffer | string {
  const text = armored.trim();
  const begin = text.indexOf(ARMOR_BEGIN);
  const end = text.indexOf(ARMOR_END);
  if (begin === -1 || end === -1 || end < begin) {
    return `the signature is not an armored SSH signature (it must run from ${ARMOR_BEGIN} to ${ARMOR_END})`;
  }
  const body = text.slice(begin + ARMOR_BEGIN.length, end).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0 || body.length === 0) {
    return 'the signature is damaged: its body is not valid base64';
  }
  return Buffer.from(body, 'base64');
}

function parseSshSig(blob: Buffer): SshSig {
  const reader = new WireReader(blob);
  if (!reader.bytes(6).equals(MAGIC)) throw new WireFormatError('missing SSHSIG preamble');
  const version = reader.uint32();
  if (version !== 1) throw new WireFormatError(`unsupported SSHSIG version ${version}`);
  const signature: SshSig = {
    keyBlob: reader.string(),
    namespace: reader.text(),
    reserved: reader.string(),
    hashAlgorithm: reader.text(),
    signatureBlob: reader.string(),
  };
  if (!reader.done) throw new WireFormatError('trailing data after the signature');
  return signature;
}

function signedData(signature: SshSig, message: Buffer): Buffer {
  const messageHash = createHash(signature.hashAlgorithm).update(message).digest();
  return Buffer.concat([
    MAGIC,
    wireString(signature.namespace),
    wireString(signature.reserved),
    wireString(signature.hashAlgorithm),
    wireString(messageHash),
  ]);
}

// ---------------------------------------------------------------------------
// allowed_signers

/** OpenSSH pattern: `*` any run, `?` one character. Case-insensitive, see the module comment. */
function matchesPattern(value: string, pattern: string): boolean {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'is').test(value);
}

/** OpenSSH pattern list: a match of a `!pattern` denies, otherwise any match allows. */
export function matchesPatternList(value: string, patterns: readonly string[]): boolean {
  let allowed = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (matchesPattern(value, pattern.slice(1))) return false;
    } else if (matchesPattern(value, pattern)) {
      allowed = true;
    }
  }
  return allowed;
}

/** `principal` is listed: an OpenSSH pattern match, or the same email once case and `+tags` are ignored. */
export function principalListed(principal: string, patterns: readonly string[]): boolean {
  const normalized = normalizeEmail(principal);
  // A negation excludes the person however the name is written (`!bob@` also excludes `bob+x@`).
  if (patterns.some((pattern) => pattern.startsWith('!') && (matchesPattern(normalized, pattern.slice(1)) || matchesPattern(normalized, normalizeEmail(pattern.slice(1)))))) {
    return false;
  }
  if (matchesPatternList(principal, patterns)) return true;
  return patterns.some((pattern) => isLiteralPrincipal(pattern) && normalizeEmail(pattern) === normalized);
}

/** Reads one whitespace-delimited token, honouring double quotes; returns it and the rest. */
function nextToken(text: string): [string, string] | undefined {
  const trimmed = text.replace(/^\s+/, '');
  if (trimmed === '') return undefined;
  let inQuotes = false;
  let index = 0;
  for (; index < trimmed.length; index++) {
    const char = trimmed[index];
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (char === ' ' || char === '\t')) break;
  }
  return [trimmed.slice(0, index), trimmed.slice(index)];
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  for (const char of text) {
    if (char === '"') inQuotes = !inQuotes;
    if (char === separator && !inQuotes) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/** `YYYYMMDD[HHMM[SS]][Z]`, local time unless `Z`, as in ssh-keygen(1). */
function parseSignerTime(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?(Z)?$/i.exec(value);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part: string | undefined) => Number(part ?? '0')) as [
    number, number, number, number, number, number,
  ];
  const date =
    match[7] === undefined
      ? new Date(year, month - 1, day, hour, minute, second)
      : new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function applyOptions(signer: AllowedSigner, optionText: string): string | undefined {
  for (const option of splitOutsideQuotes(optionText, ',')) {
    const equals = option.indexOf('=');
    const name = (equals === -1 ? option : option.slice(0, equals)).toLowerCase();
    const value = equals === -1 ? undefined : unquote(option.slice(equals + 1));
    if (name === 'cert-authority' && value === undefined) {
      signer.certAuthority = true;
    } else if (name === 'namespaces' && value !== undefined) {
      signer.namespaces = value.split(',').map((entry) => entry.trim());
    } else if ((name === 'valid-after' || name === 'valid-before') && value !== undefined) {
      const time = parseSignerTime(value);
      if (time === undefined) return `${name}="${value}" is not a YYYYMMDD[HHMM[SS]][Z] time`;
      if (name === 'valid-after') signer.validAfter = time;
      else signer.validBefore = time;
    } else {
      return `unknown option "${option}"`;
    }
  }
  return undefined;
}

function isKeyType(token: string): boolean {
  return /^(ssh-|ecdsa-sha2-|sk-ssh-|sk-ecdsa-)/.test(token) || token.endsWith('-cert-v01@openssh.com');
}

/** Parses git's allowed_signers format: `principals [options] keytype base64-key [comment]`. */
export function parseAllowedSigners(text: string, label: string): AllowedSigners {
  const signers: AllowedSigner[] = [];
  const problems: { line: number; message: string }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    const principalsToken = nextToken(content);
    if (principalsToken === undefined) return;
    let rest = principalsToken[1];
    let token = nextToken(rest);
    let optionText: string | undefined;
    if (token !== undefined && !isKeyType(token[0])) {
      optionText = token[0];
      rest = token[1];
      token = nextToken(rest);
    }
    const keyToken = token === undefined ? undefined : nextToken(token[1]);
    if (token === undefined || keyToken === undefined) {
      problems.push({ line, message: 'expected "principals [options] key-type base64-key"' });
      return;
    }
    const keyType = token[0];
    const keyBlob = Buffer.from(keyToken[0], 'base64');
    let declaredType: string;
    try {
      declaredType = new WireReader(keyBlob).text();
    } catch {
      declaredType = '';
    }
    if (declaredType !== keyType) {
      problems.push({ line, message: `the ${keyType} key is not valid base64 key data of that type` });
      return;
    }
    const signer: AllowedSigner = {
      line,
      principals: unquote(principalsToken[0]).split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''),
      certAuthority: false,
      keyType,
      keyBlob,
      fingerprint: keyFingerprint(keyBlob),
    };
    if (optionText !== undefined) {
      const problem = applyOptions(signer, optionText);
      if (problem !== undefined) {
        problems.push({ line, message: problem });
        return;
      }
    }
    signers.push(signer);
  });
  return { label, signers, problems };
}

/**
 * Reads and parses an allowed_signers file; a missing or unreadable file is a reason, not a throw.
 * `text` is the content already read from the trusted git ref (--config-ref): then the
 * working tree is not read at all.
 */
export async function loadAllowedSigners(
  path: string,
  label: string = path,
  text?: string,
  /** The repository root: a file inside it must stay inside by its real path (the safe reader). */
  rootDir?: string,
): Promise<{ ok: true; allowedSigners: AllowedSigners } | { ok: false; reason: string }> {
  if (text !== undefined) return { ok: true, allowedSigners: parseAllowedSigners(text, label) };
  const read = await readTextFileAsync(path, { rootDir: rootDir !== undefined && isInside(rootDir, path) ? rootDir : undefined });
  if (!read.ok) {
    return {
      ok: false,
      reason:
        read.kind === 'missing'
          ? `the allowed signers file ${label} does not exist; create it in git's allowed_signers format (approval.allowed_signers)`
          : `the allowed signers file ${label} ${read.reason}`,
    };
  }
  return { ok: true, allowedSigners: parseAllowedSigners(read.text, label) };
}

// ---------------------------------------------------------------------------
// Verification

function formatDate(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/**
 * Verifies an armored SSHSIG signature of `message` (the digest string) for `principal`.
 * Every failure is a reason a person can act on; nothing throws.
 */
export function verifySshSignature(
  armored: string | undefined,
  principal: string,
  message: string,
  allowedSigners: AllowedSigners,
  options: VerifyOptions = {},
): SignatureVerification {
  const namespace = options.namespace ?? SIGNATURE_NAMESPACE;
  const now = options.now ?? new Date();
  if (armored === undefined || armored.trim() === '') {
    return { ok: false, reason: `no signature; sign the digest with campaign-lint approve --sign-key <key>` };
  }
  const blob = decodeArmor(armored);
  if (typeof blob === 'string') return { ok: false, reason: blob };

  let signature: SshSig;
  let keyType: string;
  let key: KeyObject;
  try {
    signature = parseSshSig(blob);
    ({ keyType, key } = publicKeyFromBlob(signature.keyBlob));
  } catch (error) {
    if (error instanceof UnsupportedKeyError) return { ok: false, reason: `the signature's ${error.message}` };
    return { ok: false, reason: `the signature is damaged (${error instanceof Error ? error.message : String(error)})` };
  }
  const fingerprint = keyFingerprint(signature.keyBlob);

  if (signature.namespace !== namespace) {
    return {
      ok: false,
      reason: `the signature by key ${fingerprint} was made for namespace "${signature.namespace}", not "${namespace}"; sign with ssh-keygen -Y sign -n ${namespace}`,
    };
  }
  if (signature.hashAlgorithm !== 'sha256' && signature.hashAlgorithm !== 'sha512') {
    return { ok: false, reason: `the signature uses hash algorithm "${signature.hashAlgorithm}" (expected sha256 or sha512)` };
  }

  let matched = false;
  for (const candidate of [message, `${message}\n`]) {
    let outcome: boolean | string;
    try {
      outcome = verifyRawSignature(keyType, key, signature.signatureBlob, signedData(signature, Buffer.from(candidate, 'utf8')));
    } catch (error) {
      return { ok: false, reason: `the signature is damaged (${error instanceof Error ? error.message : String(error)})` };
    }
    if (typeof outcome === 'string') return { ok: false, reason: outcome };
    if (outcome) {
      matched = true;
      break;
    }
  }
  if (!matched) {
    return {
      ok: false,
      reason: `the signature by key ${fingerprint} is not a signature of ${message}; it was made for other content or is damaged`,
    };
  }

  const sameKey = allowedSigners.signers.filter((signer) => signer.keyBlob.equals(signature.keyBlob));
  const forPrincipal = sameKey.filter((signer) => principalListed(principal, signer.principals));
  const notListed = `key ${fingerprint} is not listed for ${principal} in ${allowedSigners.label}`;
  if (forPrincipal.length === 0) {
    const others = sameKey.flatMap((signer) => signer.principals);
    return { ok: false, reason: others.length > 0 ? `${notListed} (it is listed for ${others.join(', ')})` : notListed };
  }
  const refusals: string[] = [];
  for (const signer of forPrincipal) {
    const where = `${allowedSigners.label}:${signer.line}`;
    if (signer.certAuthority) {
      refusals.push(`${where} is a cert-authority line, which campaign-lint does not support`);
    } else if (signer.namespaces !== undefined && !matchesPatternList(namespace, signer.namespaces)) {
      refusals.push(`${where} limits key ${fingerprint} to namespaces "${signer.namespaces.join(',')}", which excludes "${namespace}"`);
    } else if (signer.validAfter !== undefined && now < signer.validAfter) {
      refusals.push(`${where} makes key ${fingerprint} valid only after ${formatDate(signer.validAfter)}`);
    } else if (signer.validBefore !== undefined && now >= signer.validBefore) {
      refusals.push(`${where} made key ${fingerprint} valid only before ${formatDate(signer.validBefore)}`);
    } else {
      return { ok: true, principal, fingerprint, keyType };
    }
  }
  return { ok: false, reason: refusals.join('; ') };
}

/** A verifier bound to one allowed_signers file, in the shape `evaluateApprovals` takes. */
export function createSshSignatureVerifier(
  allowedSigners: AllowedSigners,
  options: VerifyOptions = {},
): (signature: string | undefined, principal: string, digest: string) => SignatureVerification {
  return (signature, principal, digest) => verifySshSignature(signature, principal, digest, allowedSigners, options);
}

// ---------------------------------------------------------------------------
// Signing

/**
 * Signs the digest string (no trailing newline) with `ssh-keygen -Y sign -f KEY -n campaign-lint`.
 * KEY may be a private key, or a public key whose private half is in ssh-agent; a
 * passphrase prompt goes to the terminal as usual.
 */
export function signDigest(
  keyPath: string,
  digest: string,
  options: { sshKeygen?: string; namespace?: string } = {},
): Promise<{ ok: true; signature: string } | { ok: false; reason: string }> {
  const program = options.sshKeygen ?? 'ssh-keygen';
  const namespace = options.namespace ?? SIGNATURE_NAMESPACE;
  return new Promise((resolvePromise) => {
    let settled = false;
    const finish = (result: { ok: true; signature: string } | { ok: false; reason: string }): void => {
      if (!settled) {
        settled = true;
        resolvePromise(result);
      }
    };
    const child = childProcess().spawn(program, ['-Y', 'sign', '-f', keyPath, '-n', namespace], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish({
        ok: false,
        reason:
          error.code === 'ENOENT'
            ? `${program} was not found; install OpenSSH 8.2 or later to sign approvals`
            : `${program} could not be started (${error.message})`,
      });
    });
    child.stdin.on('error', () => {
      // ssh-keygen may exit before reading stdin (bad key path); the exit code tells the story.
    });
    child.on('close', (code) => {
      const output = Buffer.concat(stdout).toString('utf8');
      if (code === 0 && output.includes(ARMOR_BEGIN)) {
        finish({ ok: true, signature: output.trim() });
        return;
      }
      const detail = Buffer.concat(stderr)
        .toString('utf8')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .join('; ');
      finish({
        ok: false,
        reason: `${program} -Y sign -f ${keyPath} failed${code === null ? '' : ` (exit ${code})`}${detail === '' ? '' : `: ${detail}`}`,
      });
    });
    child.stdin.end(digest);
  });
}
