/**
 * Record and signature modes of `two-person-approval` (docs/approval.md), as a pure function of
 * the approvals written in the campaign: the rule maps the result to findings, pointing
 * each verdict at `approvals[index]`.
 *
 * An approval is checked in this order, and the first failing check is its verdict:
 * malformed → author approving → not in `approvers` → digest not current → signature
 * (signature mode only) → a second valid approval by the same person.
 *
 * Identities go through the identity model (identity.ts): emails compare trimmed, case-
 * insensitively and without `+tags`; approvals count once per PERSON, where a person is
 * every email, login and key the policy ties together, plus the key that verifiably signed
 * each approval. The author is a person too: an approval whose person is the author's
 * (through an alias, a plus-tag, or a key the author's name is also listed for) is a
 * self-approval. Signatures are verified before identities are compared, because a key can
 * tie two names together; the verdict order above is unchanged.
 */
import { shortDigest } from './digest.js';
import { IdentityModel, identityToken, toPerson } from './identity.js';
import type { ApproverPerson } from './identity.js';
import type { SignatureVerification } from './ssh-signature.js';

export type ApprovalMode = 'record' | 'signature';

export type ApprovalVerdict =
  | 'valid'
  | 'malformed'
  | 'self-approval'
  | 'not-an-approver'
  | 'stale-digest'
  | 'missing-signature'
  | 'bad-signature'
  | 'duplicate';

export interface ApprovalRecord {
  by: string;
  digest: string;
  at?: string;
  signature?: string;
}

export interface ApprovalCheck {
  /** Position in the campaign's `approvals` list. */
  index: number;
  /** `by` as written, when it is a string. */
  by: string | undefined;
  verdict: ApprovalVerdict;
  /** Why it does not count, in words; empty for valid approvals. */
  reason: string;
  /** Key fingerprint of a verified signature. */
  fingerprint?: string;
  /** Self-approval or duplicate under another name: the name it is the same person as. */
  sameAs?: string;
  /** How the two names are one person, in words. */
  link?: string;
}

export type SignatureVerifier = (signature: string | undefined, principal: string, digest: string) => SignatureVerification;

export interface EvaluateApprovalsInput {
  /** The campaign's `approvals` value as parsed; anything but a list counts as none. */
  approvals: unknown;
  currentDigest: string;
  author: string;
  /** `approval.required`; defaults to 2. */
  required?: number;
  /** The campaign's `sensitivity`; `special-category` raises `required` to at least 2. */
  sensitivity?: string;
  /** `approval.approvers`; empty or absent means anyone but the author. Ignored when `identity` is given. */
  approvers?: readonly (string | ApproverPerson)[];
  /** The policy's identity model (people, their keys, allowed_signers lines); built from `approvers` when absent. */
  identity?: IdentityModel;
  mode: ApprovalMode;
  /** Needed in signature mode; without it every signature is refused. */
  verifySignature?: SignatureVerifier;
  /** How the hint names the campaign file; defaults to `<file>`. */
  campaignPath?: string;
  /** Appended to the message, e.g. `signature mode, raised from record by --approvals`. */
  modeNote?: string;
}

export interface ApprovalEvaluation {
  satisfied: boolean;
  /** The count that applied, after the special-category raise. */
  required: number;
  validCount: number;
  /** Identities (as written) whose approval counts. */
  validBy: string[];
  checks: ApprovalCheck[];
  /** One line for the finding, e.g. `1 of 2 approvals valid: …; re-approve with …`. */
  message: string;
}

export const DEFAULT_REQUIRED_APPROVALS = 2;
/** How many refused approvals the summary names one by one. */
const MAX_CLAUSES = 10;

/** Two written identities name the same address or login (trimmed, any case, `+tags` cut). */
export const sameIdentity = (a: string, b: string): boolean => identityToken(a) === identityToken(b);

const sameText = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** `approval.required`, raised to 2 for special-category campaigns. */
export function effectiveRequired(required: number | undefined, sensitivity: string | undefined): number {
  const configured = required ?? DEFAULT_REQUIRED_APPROVALS;
  return sensitivity === 'special-category' ? Math.max(configured, 2) : configured;
}

function toRecord(value: unknown): ApprovalRecord | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { by, digest, at, signature } = value as Record<string, unknown>;
  if (typeof by !== 'string' || by.trim() === '' || typeof digest !== 'string') return undefined;
  const record: ApprovalRecord = { by, digest };
  if (typeof at === 'string') record.at = at;
  if (typeof signature === 'string') record.signature = signature;
  return record;
}

function byOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { by } = value as Record<string, unknown>;
  return typeof by === 'string' ? by : undefined;
}

function describeCheck(check: ApprovalCheck, record: ApprovalRecord | undefined): string {
  const who = check.by ?? `approval ${check.index + 1}`;
  switch (check.verdict) {
    case 'valid':
      return '';
    case 'malformed':
      return `approval ${check.index + 1} needs a "by" identity and a "digest"`;
    case 'self-approval':
      return check.sameAs === undefined
        ? `${who} is the author and cannot approve their own campaign`
        : `${who} is the author ${check.sameAs} (${check.link ?? 'same person'}) and cannot approve their own campaign`;
    case 'not-an-approver':
      return `${who} is not in approval.approvers`;
    case 'stale-digest':
      return `${who} approved an older version (${shortDigest(record?.digest ?? '')})`;
    case 'missing-signature':
      return `${who}'s approval has no signature`;
    case 'bad-signature':
      return `${who}'s signature is refused: ${check.reason}`;
    case 'duplicate':
      return check.sameAs === undefined
        ? `${who} approved more than once (counted once)`
        : `${who} is the same person as ${check.sameAs} (${check.link ?? 'same person'}), who already approved (counted once)`;
  }
}

export function evaluateApprovals(input: EvaluateApprovalsInput): ApprovalEvaluation {
  const required = effectiveRequired(input.required, input.sensitivity);
  const model =
    input.identity?.clone() ??
    new IdentityModel({ approvers: (input.approvers ?? []).map(toPerson).filter((person): person is ApproverPerson => person !== undefined) });
  const entries: readonly unknown[] = Array.isArray(input.approvals) ? input.approvals : [];
  const checks: ApprovalCheck[] = [];
  const records: (ApprovalRecord | undefined)[] = [];

  // First the signatures: a verified key joins the approval's name to everyone that key is listed for.
  const verifications = entries.map((entry): SignatureVerification | undefined => {
    const record = toRecord(entry);
    if (input.mode !== 'signature' || record?.digest !== input.currentDigest) return undefined;
    if (record.signature === undefined || record.signature.trim() === '') return undefined;
    const verification: SignatureVerification =
      input.verifySignature === undefined
        ? { ok: false, reason: 'no allowed_signers file is configured (approval.allowed_signers)' }
        : input.verifySignature(record.signature, record.by, input.currentDigest);
    if (verification.ok) model.joinKey(record.by, verification.fingerprint);
    return verification;
  });
  const author = input.author.trim() === '' ? undefined : model.personOf(input.author);
  const counted = new Map<string, { by: string; fingerprint: string | undefined }>();
  const link = (by: string, other: string, fingerprint: string | undefined, otherFingerprint: string | undefined): string => {
    if (fingerprint !== undefined && fingerprint === otherFingerprint) return `both signed with key ${fingerprint}`;
    if (identityToken(by).slice(2) === identityToken(other).slice(2)) return 'the same address once case and +tags are ignored';
    return fingerprint === undefined ? 'one person in approval.approvers' : `key ${fingerprint} ties them together`;
  };

  entries.forEach((entry, index) => {
    const record = toRecord(entry);
    records.push(record);
    const check: ApprovalCheck = { index, by: byOf(entry), verdict: 'valid', reason: '' };
    checks.push(check);
    if (record === undefined) {
      check.verdict = 'malformed';
      return;
    }
    const person = model.personOf(record.by);
    const verification = verifications[index];
    if (person === author) {
      check.verdict = 'self-approval';
      if (!sameText(record.by, input.author)) {
        check.sameAs = input.author.trim();
        check.link = link(record.by, input.author, verification?.ok === true ? verification.fingerprint : undefined, undefined);
      }
    } else if (!model.isApprover(record.by)) {
      check.verdict = 'not-an-approver';
    } else if (record.digest !== input.currentDigest) {
      check.verdict = 'stale-digest';
    } else if (input.mode === 'signature' && verification === undefined) {
      check.verdict = 'missing-signature';
    } else if (verification !== undefined) {
      if (verification.ok) check.fingerprint = verification.fingerprint;
      else {
        check.verdict = 'bad-signature';
        check.reason = verification.reason;
      }
    }
    if (check.verdict === 'valid') {
      const first = counted.get(person);
      if (first === undefined) counted.set(person, { by: record.by, fingerprint: check.fingerprint });
      else {
        check.verdict = 'duplicate';
        if (!sameText(record.by, first.by)) {
          check.sameAs = first.by.trim();
          check.link = link(record.by, first.by, check.fingerprint, first.fingerprint);
        }
      }
    }
  });

  for (const check of checks) {
    if (check.verdict !== 'bad-signature') check.reason = describeCheck(check, records[check.index]);
  }
  const validChecks = checks.filter((check) => check.verdict === 'valid');
  const validBy = validChecks.map((check) => check.by ?? '');
  const satisfied = validChecks.length >= required;
  const note = input.modeNote === undefined ? '' : ` (${input.modeNote})`;
  const headline = `${validChecks.length} of ${required} approvals valid`;
  if (satisfied) return { satisfied, required, validCount: validChecks.length, validBy, checks, message: `${headline}${note}` };

  const refused = checks.filter((check) => check.verdict !== 'valid');
  // Bounded: a campaign with thousands of approvals still gets a one-line summary.
  const clauses = refused.slice(0, MAX_CLAUSES).map((check) => describeCheck(check, records[check.index]));
  if (refused.length > MAX_CLAUSES) clauses.push(`${refused.length - MAX_CLAUSES} more approvals do not count`);
  const file = input.campaignPath ?? '<file>';
  const signFlag = input.mode === 'signature' ? ' --sign-key <key>' : '';
  const stale = checks.filter((check) => check.verdict === 'stale-digest');
  let hint: string;
  if (stale.length > 0) {
    const who = stale.length === 1 && stale[0]?.by !== undefined ? stale[0].by : '<id>';
    hint = `re-approve with campaign-lint approve ${file} --by ${who}${signFlag}`;
  } else {
    const missing = required - validChecks.length;
    hint = `${missing === 1 ? 'one more reviewer' : `${missing} more reviewers`} other than the author must run campaign-lint approve ${file} --by <id>${signFlag}`;
  }
  if (entries.length === 0) clauses.push('no approvals yet');
  const message = `${headline}${note}: ${[...clauses, hint].join('; ')}`;
  return { satisfied, required, validCount: validChecks.length, validBy, checks, message };
}
