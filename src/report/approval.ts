import { relative } from 'node:path';
import { effectiveRequired, evaluateApprovals } from '../approval/evaluate.js';
import type { ApprovalVerdict } from '../approval/evaluate.js';
import { describePerson } from '../approval/identity.js';
import { approvalSetup } from '../approval/policy.js';
import type { Campaign } from '../core/campaign.js';
import { describeApprovalMode } from '../core/config.js';
import type { ApprovalMode, ResolvedConfig } from '../core/config.js';

export interface ApprovalEntry {
  by: string;
  at: string | undefined;
  digest: string;
  /** The digest it approved is the content described by this report. */
  current: boolean;
  verdict: ApprovalVerdict;
  /** Why it does not count; empty when it counts. */
  reason: string;
}

export interface ApprovalState {
  mode: ApprovalMode;
  /** The mode in words, with where it came from (`signature mode, raised from record by --approvals`). */
  modeText: string;
  /** Who may approve, one line per person (empty: anyone but the author). */
  approvers: string[];
  required: number;
  /** The digest of what this report shows; undefined with the reason when it cannot be computed. */
  digest: string | undefined;
  digestProblem?: string;
  /** Files the digest records as missing or unreadable. */
  digestFileProblems: string[];
  /** Record and signature modes: what the campaign file records. Empty in github mode. */
  entries: ApprovalEntry[];
  validCount: number;
  satisfied: boolean;
  /** What is missing, in words (the two-person-approval rule's summary). */
  summary: string;
  /** The command the approver runs once satisfied with this report. */
  approveCommand: string;
}

export async function approvalState(campaign: Campaign, config: ResolvedConfig): Promise<ApprovalState> {
  const sensitivity = campaign.sensitivity;
  const required = effectiveRequired(config.approval.required, sensitivity);
  const mode = config.approval.verify;
  const file = relative(config.rootDir, campaign.filePath).split('\\').join('/');
  const signFlag = mode === 'signature' ? ' --sign-key <key>' : '';
  const state: ApprovalState = {
    mode,
    modeText: describeApprovalMode(config.approval),
    approvers: config.approval.approvers.map((person) =>
      [person.name, person.email, person.github === undefined ? undefined : `@${person.github}`, person.keys.length > 0 ? `${person.keys.length} key${person.keys.length === 1 ? '' : 's'}` : undefined]
        .filter((part): part is string => part !== undefined && part !== '')
        .join(' · ') || describePerson(person),
    ),
    required,
    digest: undefined,
    digestFileProblems: [],
    entries: [],
    validCount: 0,
    satisfied: false,
    summary: '',
    approveCommand: `campaign-lint approve ${file} --by <your id>${signFlag}`,
  };
  const details = await campaign.digest();
  if (details.ok) {
    state.digest = details.digest;
    state.digestFileProblems = [
      ...details.missingFiles.map((path) => `${path} does not exist`),
      ...details.unreadableFiles.map((entry) => `${entry.path} cannot be read (${entry.reason})`),
    ];
  } else {
    state.digestProblem = details.reason;
  }

  if (mode === 'github') {
    state.summary = `Approvals are the pull request's reviews: at least ${required} approving review${required === 1 ? '' : 's'} on the head commit by people other than the pull request's author. Approvals written in the campaign file are not used; the two-person-approval finding, if any, is listed under findings.`;
    state.approveCommand = 'approve the pull request on GitHub';
    return state;
  }

  const setup = await approvalSetup(config);
  const verifier = setup.verifier;
  const verifierProblem = setup.verifierProblem;
  const approvals = campaign.get(['approvals']);
  const evaluation = evaluateApprovals({
    approvals,
    currentDigest: state.digest ?? '',
    author: campaign.string(['author']) ?? '',
    required,
    ...(sensitivity === undefined ? {} : { sensitivity }),
    identity: setup.identity,
    mode,
    ...(verifier ? { verifySignature: verifier } : {}),
    campaignPath: file,
  });
  const list: readonly unknown[] = Array.isArray(approvals) ? approvals : [];
  state.entries = evaluation.checks.map((check) => {
    const entry = list[check.index];
    const record = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
    const digest = typeof record.digest === 'string' ? record.digest : '';
    const at = record.at instanceof Date ? record.at.toISOString() : typeof record.at === 'string' ? record.at : undefined;
    return {
      by: check.by ?? '',
      at,
      digest,
      current: state.digest !== undefined && digest === state.digest,
      verdict: check.verdict,
      reason: check.reason,
    };
  });
  state.validCount = evaluation.validCount;
  state.satisfied = state.digest !== undefined && evaluation.satisfied;
  state.summary = state.digest === undefined ? `no content digest can be computed, so no approval can be valid: ${state.digestProblem ?? ''}` : evaluation.message;
  if (verifierProblem !== undefined) state.summary = `${state.summary} (${verifierProblem})`;
  return state;
}
