import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectiveRequired, evaluateApprovals, type EvaluateApprovalsInput, type SignatureVerifier } from '../../src/approval/evaluate.js';

const CURRENT = `sha256:${'ab12cd34'.repeat(8)}`;
const OLDER = `sha256:${'9f8e7d6c'.repeat(8)}`;
const AUTHOR = 'alice@example.com';

function evaluate(approvals: unknown, overrides: Partial<EvaluateApprovalsInput> = {}): ReturnType<typeof evaluateApprovals> {
  return evaluateApprovals({ approvals, currentDigest: CURRENT, author: AUTHOR, mode: 'record', campaignPath: 'campaigns/winter/campaign.yaml', ...overrides });
}

const approval = (by: string, digest = CURRENT, signature?: string): Record<string, string> => ({
  by,
  digest,
  at: '2026-11-20T10:00:00Z',
  ...(signature === undefined ? {} : { signature }),
});

/** Accepts the signature text `good-<principal>` only, so each test states what it signs. */
const fakeVerifier: SignatureVerifier = (signature, principal, digest) =>
  signature === `good-${principal}` && digest === CURRENT
    ? { ok: true, principal, fingerprint: `SHA256:fp-${principal}`, keyType: 'ssh-ed25519' }
    : { ok: false, reason: `key SHA256:other is not listed for ${principal} in .campaign-lint/allowed_signers` };

void describe('evaluateApprovals in record mode', () => {
  void it('passes with two distinct valid approvals', () => {
    const result = evaluate([approval('bob@example.com'), approval('carol@example.com')]);
    assert.equal(result.satisfied, true);
    assert.equal(result.message, '2 of 2 approvals valid');
    assert.deepEqual(result.validBy, ['bob@example.com', 'carol@example.com']);
    assert.deepEqual(result.checks.map((check) => check.verdict), ['valid', 'valid']);
  });

  void it('marks an approval of an older digest stale and says how to re-approve', () => {
    const result = evaluate([approval('bob@example.com'), approval('carol@example.com', OLDER)]);
    assert.equal(result.satisfied, false);
    assert.deepEqual(result.checks[1], {
      index: 1,
      by: 'carol@example.com',
      verdict: 'stale-digest',
      reason: 'carol@example.com approved an older version (sha256:9f8e7d6c…)',
    });
    assert.equal(
      result.message,
      '1 of 2 approvals valid: carol@example.com approved an older version (sha256:9f8e7d6c…); re-approve with campaign-lint approve campaigns/winter/campaign.yaml --by carol@example.com',
    );
  });

  void it('refuses the author approving, whatever the case of the address', () => {
    const result = evaluate([approval(' Alice@Example.COM'), approval('bob@example.com')]);
    assert.equal(result.checks[0]?.verdict, 'self-approval');
    assert.equal(
      result.message,
      '1 of 2 approvals valid:  Alice@Example.COM is the author and cannot approve their own campaign; one more reviewer other than the author must run campaign-lint approve campaigns/winter/campaign.yaml --by <id>',
    );
  });

  void it('counts a second approval by the same person once', () => {
    const result = evaluate([approval('bob@example.com'), approval('BOB@example.com')]);
    assert.deepEqual(result.checks.map((check) => check.verdict), ['valid', 'duplicate']);
    assert.equal(result.checks[1]?.reason, 'BOB@example.com approved more than once (counted once)');
    assert.equal(result.validCount, 1);
    assert.equal(result.satisfied, false);
  });

  void it('does not call a stale first approval and a current second one a duplicate', () => {
    const result = evaluate([approval('bob@example.com', OLDER), approval('bob@example.com'), approval('carol@example.com')]);
    assert.deepEqual(result.checks.map((check) => check.verdict), ['stale-digest', 'valid', 'valid']);
    assert.equal(result.satisfied, true);
  });

  void it('refuses identities outside approval.approvers, compared case-insensitively', () => {
    const result = evaluate([approval('Bob@Example.com'), approval('mallory@example.com')], { approvers: ['bob@example.com', 'carol@example.com'] });
    assert.deepEqual(result.checks.map((check) => check.verdict), ['valid', 'not-an-approver']);
    assert.equal(result.checks[1]?.reason, 'mallory@example.com is not in approval.approvers');
    const anyone = evaluate([approval('mallory@example.com'), approval('bob@example.com')], { approvers: [] });
    assert.equal(anyone.satisfied, true);
  });

  void it('reports malformed entries without failing', () => {
    const result = evaluate([{ by: 'bob@example.com' }, 'carol', null, approval('dave@example.com')], { required: 1 });
    assert.deepEqual(result.checks.map((check) => [check.verdict, check.by]), [
      ['malformed', 'bob@example.com'],
      ['malformed', undefined],
      ['malformed', undefined],
      ['valid', 'dave@example.com'],
    ]);
    assert.equal(result.checks[1]?.reason, 'approval 2 needs a "by" identity and a "digest"');
    assert.equal(result.satisfied, true);
  });

  void it('says when there are no approvals at all', () => {
    assert.equal(
      evaluate(undefined).message,
      '0 of 2 approvals valid: no approvals yet; 2 more reviewers other than the author must run campaign-lint approve campaigns/winter/campaign.yaml --by <id>',
    );
  });

  void it('uses approval.required, raised to 2 for special-category', () => {
    assert.equal(evaluate([approval('bob@example.com')], { required: 1 }).satisfied, true);
    const special = evaluate([approval('bob@example.com')], { required: 1, sensitivity: 'special-category' });
    assert.equal(special.required, 2);
    assert.equal(special.satisfied, false);
    assert.equal(effectiveRequired(3, 'special-category'), 3);
    assert.equal(effectiveRequired(undefined, 'standard'), 2);
    assert.equal(effectiveRequired(1, undefined), 1);
  });
});

void describe('evaluateApprovals in signature mode', () => {
  const signed = (overrides: Partial<EvaluateApprovalsInput> = {}): Partial<EvaluateApprovalsInput> => ({
    mode: 'signature',
    verifySignature: fakeVerifier,
    ...overrides,
  });

  void it('accepts verified signatures and keeps the fingerprint', () => {
    const result = evaluate(
      [approval('bob@example.com', CURRENT, 'good-bob@example.com'), approval('carol@example.com', CURRENT, 'good-carol@example.com')],
      signed(),
    );
    assert.equal(result.satisfied, true);
    assert.deepEqual(result.checks.map((check) => check.fingerprint), ['SHA256:fp-bob@example.com', 'SHA256:fp-carol@example.com']);
  });

  void it('refuses a missing signature', () => {
    const result = evaluate([approval('bob@example.com'), approval('carol@example.com', CURRENT, 'good-carol@example.com')], signed());
    assert.equal(result.checks[0]?.verdict, 'missing-signature');
    assert.equal(
      result.message,
      "1 of 2 approvals valid: bob@example.com's approval has no signature; one more reviewer other than the author must run campaign-lint approve campaigns/winter/campaign.yaml --by <id> --sign-key <key>",
    );
  });

  void it('refuses a signature the verifier rejects, with its reason', () => {
    const result = evaluate(
      [approval('bob@example.com', CURRENT, 'good-carol@example.com'), approval('carol@example.com', CURRENT, 'good-carol@example.com')],
      signed(),
    );
    assert.deepEqual(result.checks[0], {
      index: 0,
      by: 'bob@example.com',
      verdict: 'bad-signature',
      reason: 'key SHA256:other is not listed for bob@example.com in .campaign-lint/allowed_signers',
    });
    assert.match(result.message, /^1 of 2 approvals valid: bob@example\.com's signature is refused: key SHA256:other is not listed for bob@example\.com in \.campaign-lint\/allowed_signers; /);
  });

  void it('refuses every signature when no verifier is configured', () => {
    const result = evaluate([approval('bob@example.com', CURRENT, 'good-bob@example.com')], { mode: 'signature', required: 1 });
    assert.equal(result.checks[0]?.reason, 'no allowed_signers file is configured (approval.allowed_signers)');
    assert.equal(result.satisfied, false);
  });

  void it('reports a stale digest before checking the signature', () => {
    let calls = 0;
    const counting: SignatureVerifier = (...args) => {
      calls++;
      return fakeVerifier(...args);
    };
    const result = evaluate([approval('bob@example.com', OLDER, 'good-bob@example.com')], signed({ verifySignature: counting }));
    assert.equal(result.checks[0]?.verdict, 'stale-digest');
    assert.equal(calls, 0);
  });
});
