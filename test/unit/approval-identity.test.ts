import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateApprovals, type SignatureVerifier } from '../../src/approval/evaluate.js';
import { evaluateGithubReviews } from '../../src/approval/github.js';
import { IdentityModel, normalizeEmail, toPerson } from '../../src/approval/identity.js';
import { principalListed } from '../../src/approval/ssh-signature.js';
import { applyRequestedMode, describeApprovalMode } from '../../src/core/config.js';
import { testConfig, tempTree } from '../helpers/campaign.js';

const CURRENT = `sha256:${'ab12cd34'.repeat(8)}`;
const HEAD = 'c0ffee'.padEnd(40, '0');
const approval = (by: string, signature?: string) => ({ by, digest: CURRENT, at: '2026-11-20T10:00:00Z', ...(signature === undefined ? {} : { signature }) });

/** `signed-by:<key>` verifies as that key for any principal the test lists for it. */
function verifierFor(listed: Record<string, string[]>): SignatureVerifier {
  return (signature, principal) => {
    const key = signature?.replace('signed-by:', '') ?? '';
    return (listed[key] ?? []).some((name) => normalizeEmail(name) === normalizeEmail(principal))
      ? { ok: true, principal, fingerprint: `SHA256:${key}`, keyType: 'ssh-ed25519' }
      : { ok: false, reason: `key SHA256:${key} is not listed for ${principal}` };
  };
}

void describe('normalizeEmail', () => {
  void it('cuts +tags and case, leaves other strings alone', () => {
    assert.equal(normalizeEmail(' Alice+Promo@Example.COM '), 'alice@example.com');
    assert.equal(normalizeEmail('+x@example.com'), '+x@example.com', 'a local part that is only a tag stays');
    assert.equal(normalizeEmail('bob-gh'), 'bob-gh');
  });
  void it('principalListed matches a literal principal through the same normalisation, and honours negation', () => {
    assert.equal(principalListed('bob+x@example.com', ['bob@example.com']), true);
    assert.equal(principalListed('bob+x@example.com', ['*@example.com', '!bob@example.com']), false);
    assert.equal(principalListed('robert@example.com', ['bob@example.com']), false);
  });
});

void describe('evaluateApprovals counts people', () => {
  void it('one key under two principals counts once', () => {
    const model = new IdentityModel({ approvers: [], signerLines: [{ fingerprint: 'K1', principals: ['bob@example.com', 'robert@example.com'] }] });
    const result = evaluateApprovals({
      approvals: [approval('bob@example.com', 'signed-by:K1'), approval('robert@example.com', 'signed-by:K1')],
      currentDigest: CURRENT,
      author: 'alice@example.com',
      mode: 'signature',
      identity: model,
      verifySignature: verifierFor({ K1: ['bob@example.com', 'robert@example.com'] }),
    });
    assert.deepEqual(result.checks.map((check) => check.verdict), ['valid', 'duplicate']);
    assert.equal(result.checks[1]?.reason, 'robert@example.com is the same person as bob@example.com (both signed with key SHA256:K1), who already approved (counted once)');
  });

  void it('one key under a wildcard principal still counts once: the signing key is the person', () => {
    const result = evaluateApprovals({
      approvals: [approval('bob@example.com', 'signed-by:TEAM'), approval('carol@example.com', 'signed-by:TEAM')],
      currentDigest: CURRENT,
      author: 'alice@example.com',
      mode: 'signature',
      identity: new IdentityModel({ approvers: [], signerLines: [{ fingerprint: 'TEAM', principals: ['*@example.com'] }] }),
      verifySignature: verifierFor({ TEAM: ['bob@example.com', 'carol@example.com'] }),
    });
    assert.deepEqual(result.checks.map((check) => check.verdict), ['valid', 'duplicate']);
  });

  void it('a key the author is also listed for makes its approval a self-approval', () => {
    const model = new IdentityModel({ approvers: [], signerLines: [{ fingerprint: 'K9', principals: ['alice@example.com', 'bob@example.com'] }] });
    const result = evaluateApprovals({
      approvals: [approval('bob@example.com', 'signed-by:K9')],
      currentDigest: CURRENT,
      author: 'Alice+campaigns@example.com',
      required: 1,
      mode: 'signature',
      identity: model,
      verifySignature: verifierFor({ K9: ['bob@example.com'] }),
    });
    assert.equal(result.checks[0]?.verdict, 'self-approval');
    assert.equal(result.checks[0].reason, 'bob@example.com is the author Alice+campaigns@example.com (key SHA256:K9 ties them together) and cannot approve their own campaign');
  });

  void it('the policy model is not changed by an evaluation (keys joined per evaluation only)', () => {
    const model = new IdentityModel({ approvers: [] });
    evaluateApprovals({
      approvals: [approval('bob@example.com', 'signed-by:K1'), approval('carol@example.com', 'signed-by:K1')],
      currentDigest: CURRENT,
      author: 'alice@example.com',
      mode: 'signature',
      identity: model,
      verifySignature: verifierFor({ K1: ['bob@example.com', 'carol@example.com'] }),
    });
    assert.equal(model.sameEntity('bob@example.com', 'carol@example.com'), false);
  });

  void it('a person entry joins its email and login; plain strings keep working', () => {
    const people = [toPerson({ name: 'Bob', email: 'bob@example.com', github: 'bob-gh' }), toPerson('carol@example.com')].filter((person) => person !== undefined);
    const result = evaluateApprovals({
      approvals: [approval('bob-gh'), approval('BOB+x@example.com'), approval('carol@example.com')],
      currentDigest: CURRENT,
      author: 'alice@example.com',
      mode: 'record',
      approvers: people,
    });
    assert.deepEqual(result.checks.map((check) => check.verdict), ['valid', 'duplicate', 'valid']);
    assert.equal(result.checks[1]?.reason, 'BOB+x@example.com is the same person as bob-gh (one person in approval.approvers), who already approved (counted once)');
  });
});

void describe('evaluateGithubReviews with people', () => {
  const people = [
    { name: 'Alice', email: 'alice@example.com', github: 'alice-gh', keys: [] },
    { name: 'Bob', email: 'bob@example.com', github: 'Bob-GH', keys: [] },
    { email: 'carol@example.com', keys: [] },
  ];
  const review = (id: number, login: string) => ({ id, user: { login }, state: 'APPROVED', commit_id: HEAD });

  void it('matches logins through the person entry, case-insensitively, and explains a person without a login', () => {
    const result = evaluateGithubReviews([review(1, 'bob-gh'), review(2, 'carol')], { headSha: HEAD, author: 'dave-gh', required: 2, approvers: people });
    assert.deepEqual(result.validApprovers, ['bob-gh']);
    assert.equal(
      result.message,
      '1 of 2 required pull request approvals on the head commit c0ffee0: carol is not in approval.approvers (github mode matches reviews by GitHub login; carol@example.com has no github login in approval.approvers)',
    );
  });

  void it('refuses the declared author by login, and the pull request author through their person', () => {
    const result = evaluateGithubReviews([review(1, 'alice-gh'), review(2, 'bob-gh')], {
      headSha: HEAD,
      author: 'bob-gh',
      required: 1,
      approvers: people,
      declaredAuthor: 'Alice+news@example.com',
    });
    assert.deepEqual(result.reviewers.map((reviewer) => reviewer.verdict), ['campaign-author', 'pull-request-author']);
    assert.equal(result.satisfied, false);
  });
});

void describe('only tighten', () => {
  const root = tempTree({});
  for (const [configured, requested, outcome] of [
    ['record', 'signature', 'signature mode, raised from record by --approvals'],
    ['record', 'github', 'github mode, raised from record by --approvals'],
    ['record', 'record', 'record mode'],
    ['signature', 'signature', 'signature mode'],
    ['signature', 'record', 'refused'],
    ['github', 'record', 'refused'],
    ['signature', 'github', 'refused'],
    ['github', 'signature', 'refused'],
  ] as const) {
    void it(`trusted ${configured}, asked ${requested}: ${outcome}`, () => {
      const config = testConfig(root, { approval: { verify: configured } });
      if (outcome === 'refused') {
        assert.throws(() => {
          applyRequestedMode(config, requested, '--approvals');
        }, { name: 'UsageError', message: new RegExp(`^--approvals ${requested} refused: `) });
        assert.equal(config.approval.verify, configured);
      } else {
        applyRequestedMode(config, requested, '--approvals');
        assert.equal(describeApprovalMode(config.approval), outcome);
      }
    });
  }
});

void describe('bounded work', () => {
  void it('20 000 approvals against 2 000 listed people: linear, and a one-line summary', () => {
    const approvers = Array.from({ length: 2000 }, (_, index) => ({ email: `person${index}@example.com`, github: `person-${index}`, keys: [] }));
    const approvals = Array.from({ length: 20_000 }, (_, index) => approval(`person${index % 3000}+${index}@example.com`));
    const started = performance.now();
    const result = evaluateApprovals({ approvals, currentDigest: CURRENT, author: 'person1@example.com', mode: 'record', approvers, required: 2500 });
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 3000, `took ${Math.round(elapsed)} ms`);
    assert.equal(result.validCount, 1999, 'each listed person once, the author never');
    assert.ok(result.message.length < 2000, `summary of ${result.message.length} characters`);
    assert.match(result.message, /; \d+ more approvals do not count; /);
  });
});

void describe('written forms of one address', () => {
  void it('"Name <addr>" and mailto:addr are the address, so the author cannot approve under them', () => {
    assert.equal(normalizeEmail('Alice Example <Alice+x@Example.com>'), 'alice@example.com');
    assert.equal(normalizeEmail('mailto:alice@example.com'), 'alice@example.com');
    const result = evaluateApprovals({
      approvals: [approval('"Alice" <alice@example.com>'), approval('mailto:Alice@example.com'), approval('bob@example.com')],
      currentDigest: CURRENT,
      author: 'alice@example.com',
      mode: 'record',
    });
    assert.deepEqual(result.checks.map((check) => check.verdict), ['self-approval', 'self-approval', 'valid']);
    assert.equal(result.satisfied, false);
  });
});
