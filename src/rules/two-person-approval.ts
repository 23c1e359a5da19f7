import { relative } from 'node:path';
import { effectiveRequired, evaluateApprovals } from '../approval/evaluate.js';
import type { SignatureVerifier } from '../approval/evaluate.js';
import { checkGithubApproval } from '../approval/github.js';
import { createSshSignatureVerifier, loadAllowedSigners } from '../approval/ssh-signature.js';
import type { ResolvedConfig } from '../core/config.js';
import type { RuleContext, SourceLocation } from '../core/types.js';
import { defineRule } from './define.js';

const verifiers = new Map<string, Promise<SignatureVerifier | string>>();

/** allowed_signers is read once per run however many campaigns use it. */
function signatureVerifier(config: ResolvedConfig): Promise<SignatureVerifier | string> {
  const path = config.approval.allowedSigners;
  if (path === undefined) return Promise.resolve('signature mode needs approval.allowed_signers in the config');
  let verifier = verifiers.get(path);
  if (!verifier) {
    verifier = loadAllowedSigners(path, relative(config.rootDir, path), config.rootDir).then((loaded) =>
      loaded.ok ? createSshSignatureVerifier(loaded.allowedSigners) : loaded.reason,
    );
    verifiers.set(path, verifier);
  }
  return verifier;
}

function approvalsLocation(context: RuleContext): SourceLocation {
  const { campaign } = context;
  return campaign.has(['approvals']) ? campaign.keyLocation(['approvals']) : campaign.keyLocation(['author']);
}

export default defineRule({
  meta: {
    id: 'two-person-approval',
    description: 'Require approvals of the exact content by enough people other than the author',
    category: 'approval',
    defaultSeverity: 'error',
    lockedByDefault: true,
    messages: {
      notApproved: '{{summary}}',
      invalidApproval: 'this approval does not count: {{reason}}',
      digestFailed: 'no content digest can be computed, so no approval can be valid: {{reason}}',
      unreadableFile: '`{{file}}` cannot be read ({{reason}}): approvals cannot be bound to its content',
      github: 'GitHub review check failed: {{message}}; approvals cannot be verified',
      githubNotApproved: '{{summary}} (pull-request reviews on the head commit)',
      recordMode: 'approvals are recorded, not verified (approval.verify: record): the strict preset expects signature or github mode',
    },
  },
  async check(context) {
    const { campaign, config } = context;
    const sensitivity = typeof campaign.data.sensitivity === 'string' ? campaign.data.sensitivity : undefined;
    const required = effectiveRequired(config.approval.required, sensitivity);
    const mode = config.approval.verify;
    const at = approvalsLocation(context);

    if (mode === 'github') {
      if (required === 0) return;
      const outcome = await checkGithubApproval({ required, approvers: config.approval.approvers });
      if (outcome.kind === 'error') context.report({ messageId: 'github', data: { message: outcome.message }, loc: at });
      else if (!outcome.satisfied) context.report({ messageId: 'githubNotApproved', data: { summary: outcome.message }, loc: at });
      return;
    }

    if (mode === 'record' && config.preset === 'strict') context.report({ messageId: 'recordMode', loc: at });
    if (required === 0) return;
    const details = await campaign.digest();
    if (!details.ok) {
      context.report({ messageId: 'digestFailed', data: { reason: details.reason }, loc: at });
      return;
    }
    for (const unreadable of details.unreadableFiles) {
      context.report({ messageId: 'unreadableFile', data: { file: unreadable.path, reason: unreadable.reason }, loc: at });
    }
    const verifier = mode === 'signature' ? await signatureVerifier(config) : undefined;
    const evaluation = evaluateApprovals({
      approvals: campaign.get(['approvals']),
      currentDigest: details.digest,
      author: campaign.string(['author']) ?? '',
      required,
      ...(sensitivity === undefined ? {} : { sensitivity }),
      approvers: config.approval.approvers,
      mode,
      ...(typeof verifier === 'function' ? { verifySignature: verifier } : {}),
      campaignPath: relative(config.rootDir, campaign.filePath),
    });
    let summary = evaluation.message;
    if (typeof verifier === 'string') summary = `${summary} (${verifier})`;
    if (!evaluation.satisfied) context.report({ messageId: 'notApproved', data: { summary }, loc: at });
    for (const check of evaluation.checks) {
      // A forged or foreign signature is worth a finding even when enough others are valid.
      if (check.verdict === 'valid' || (evaluation.satisfied && check.verdict !== 'bad-signature')) continue;
      context.report({ messageId: 'invalidApproval', data: { reason: check.reason }, loc: campaign.valueLocation(['approvals', check.index]) });
    }
  },
});
