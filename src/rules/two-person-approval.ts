import { relative } from 'node:path';
import { effectiveRequired, evaluateApprovals } from '../approval/evaluate.js';
import { checkGithubApproval } from '../approval/github.js';
import { describePerson } from '../approval/identity.js';
import { approvalSetup } from '../approval/policy.js';
import { describeApprovalMode } from '../core/config.js';
import type { RuleContext, SourceLocation } from '../core/types.js';
import { defineRule } from './define.js';

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
      draftNotApproved: '{{summary}} (draft run: a warning here, an error in CI until approved)',
      draftGithub: 'approvals are pull-request reviews ({{mode}}), checked in CI; a draft run does not check them',
      invalidApproval: 'this approval does not count: {{reason}}',
      digestFailed: 'no content digest can be computed, so no approval can be valid: {{reason}}',
      unreadableFile: '`{{file}}` cannot be read ({{reason}}): approvals cannot be bound to its content',
      github: 'GitHub review check failed ({{mode}}): {{message}}; approvals cannot be verified',
      githubNotApproved: '{{summary}} ({{mode}}: pull-request reviews on the head commit)',
      githubLoginMissing:
        'approval.approvers lists {{people}} without a github login: in github mode approvals are pull-request reviews, matched by GitHub login, so their reviews cannot count; write each as { email: …, github: <login> }',
      authorUnknown: '`author` is {{what}}: without one author, self-approval cannot be ruled out, so no approval can count. Write the author\'s email as one string',
      recordMode: 'approvals are recorded, not verified (approval.verify: record): the strict preset expects signature or github mode',
    },
  },
  async check(context) {
    const { campaign, config } = context;
    const sensitivity = campaign.sensitivity;
    const required = effectiveRequired(config.approval.required, sensitivity);
    const mode = config.approval.verify;
    const at = approvalsLocation(context);

    const modeText = describeApprovalMode(config.approval);
    const setup = await approvalSetup(config);

    // A draft run (the pre-commit hook): approvals come after the commit, so missing or stale ones
    // are warnings. Nothing else is relaxed: a forged, self- or outsider approval is still an error.
    const draft = config.approval.draft === true;

    if (mode === 'github') {
      if (required === 0) return;
      const withoutLogin = setup.identity.withoutGithubLogin();
      if (withoutLogin.length > 0) {
        const people = withoutLogin.slice(0, 5).map(describePerson).join(', ') + (withoutLogin.length > 5 ? ` and ${withoutLogin.length - 5} more` : '');
        context.report({ messageId: 'githubLoginMissing', data: { people }, loc: at });
      }
      if (draft) {
        // Reviews exist only once the pull request does; CI checks them.
        context.report({ messageId: 'draftGithub', data: { mode: modeText }, loc: at, severity: 'warn' });
        return;
      }
      const declaredAuthor = campaign.string(['author']);
      const outcome = await checkGithubApproval({
        required,
        identity: setup.identity,
        ...(declaredAuthor === undefined ? {} : { declaredAuthor }),
      });
      if (outcome.kind === 'error') context.report({ messageId: 'github', data: { message: outcome.message, mode: modeText }, loc: at });
      else if (!outcome.satisfied) context.report({ messageId: 'githubNotApproved', data: { summary: outcome.message, mode: modeText }, loc: at });
      return;
    }

    if (mode === 'record' && config.preset === 'strict') context.report({ messageId: 'recordMode', loc: at });
    if (required === 0) return;
    // The digest hashes every file the campaign uses; a large list is hashed on a worker thread
    // (src/approval/digest.ts) while the recipient pass reads it, and the verdict is made after
    // the pass (afterPass runs whether or not a list was read).
    const digest = campaign.digest();
    digest.catch(() => undefined);
    const verdict = async (): Promise<void> => {
      const details = await digest;
      if (!details.ok) {
        context.report({ messageId: 'digestFailed', data: { reason: details.reason }, loc: at });
        return;
      }
      for (const unreadable of details.unreadableFiles) {
        context.report({ messageId: 'unreadableFile', data: { file: unreadable.path, reason: unreadable.reason }, loc: at });
      }
      // Fail closed: the author is who may not approve; an author the rule cannot read lets anyone approve.
      const author = campaign.get(['author']);
      if (typeof author !== 'string' || author.trim() === '') {
        context.report({ messageId: 'authorUnknown', data: { what: author === undefined ? 'missing' : typeof author === 'string' ? 'empty' : 'not a string' }, loc: campaign.has(['author']) ? campaign.valueLocation(['author']) : at });
        return;
      }
      const evaluation = evaluateApprovals({
        approvals: campaign.get(['approvals']),
        currentDigest: details.digest,
        author: campaign.string(['author']) ?? '',
        required,
        ...(sensitivity === undefined ? {} : { sensitivity }),
        identity: setup.identity,
        mode,
        ...(setup.verifier === undefined ? {} : { verifySignature: setup.verifier }),
        campaignPath: relative(config.rootDir, campaign.filePath),
        modeNote: modeText,
      });
      let summary = evaluation.message;
      if (setup.verifierProblem !== undefined) summary = `${summary} (${setup.verifierProblem})`;
      if (!evaluation.satisfied) {
        context.report(draft ? { messageId: 'draftNotApproved', data: { summary }, loc: at, severity: 'warn' } : { messageId: 'notApproved', data: { summary }, loc: at });
      }
      for (const check of evaluation.checks) {
        // A forged or foreign signature is worth a finding even when enough others are valid.
        if (check.verdict === 'valid' || (evaluation.satisfied && check.verdict !== 'bad-signature')) continue;
        // Only an approval of an older version is what a draft expects; every other refusal stays an error.
        const warn = draft && check.verdict === 'stale-digest';
        context.report({ messageId: 'invalidApproval', data: { reason: check.reason }, loc: campaign.valueLocation(['approvals', check.index]), ...(warn ? { severity: 'warn' as const } : {}) });
      }
    };
    return { afterPass: verdict };
  },
});
