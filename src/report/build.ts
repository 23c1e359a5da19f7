/**
 * Gathers everything the reviewer's report shows (docs/report.md) into plain data; html.ts turns
 * it into the page. Findings come from the linter itself (masked); the audience figures
 * from a pass of their own (audience.ts); the sample message from the real renderer.
 */
import { configForCampaign } from '../policy/merge.js';
import { ruleMetas } from '../rules/index.js';
import { relative } from 'node:path';
import type { AddressSet } from '../core/address-set.js';
import type { ResolvedConfig } from '../core/config.js';
import { lintCampaign } from '../core/linter.js';
import { totals } from '../core/report.js';
import { campaignTemplates } from '../core/templates.js';
import { approvalState } from './approval.js';
import type { ApprovalState } from './approval.js';
import { summarizeAudience } from './audience.js';
import type { AudienceSummary } from './audience.js';
import { renderSample } from './message.js';
import type { SampleOutcome } from './message.js';

export interface CampaignFacts {
  /** Repository-relative path of the campaign file. */
  file: string;
  name: string | undefined;
  id: string | undefined;
  category: string | undefined;
  sensitivity: string;
  author: string | undefined;
  from: string | undefined;
  replyTo: string | undefined;
  /** The `to` and `subject` templates as written. */
  to: string | undefined;
  subject: string | undefined;
  bcc: string[];
  sendAt: string | undefined;
}

export interface ReportFinding {
  severity: 'error' | 'warning';
  ruleId: string | null;
  message: string;
  /** `path:line:column`, repository-relative. */
  place: string;
}

export interface ReportData {
  toolVersion: string;
  generatedAt: string;
  campaign: CampaignFacts;
  /** Undefined when the campaign file cannot be parsed: the findings say why. */
  audience: AudienceSummary | undefined;
  findings: ReportFinding[];
  errorCount: number;
  warningCount: number;
  approval: ApprovalState | undefined;
  sample: SampleOutcome;
}

export interface BuiltReport {
  data: ReportData;
  /** Recipient and suppression addresses, for the last check of the written page. */
  personalAddresses: AddressSet[];
  /** Addresses the page may show even if a list holds them: written in the campaign or config. */
  publicAddresses: string[];
}

export interface BuildReportOptions {
  toolVersion: string;
  now?: Date;
}

export async function buildReport(filePath: string, baseConfig: ResolvedConfig, options: BuildReportOptions): Promise<BuiltReport> {
  const config = configForCampaign(baseConfig, filePath, ruleMetas);
  const outcome = await lintCampaign(filePath, config, { showPii: false });
  const counts = totals(outcome.results);
  const where = (path: string) => relative(config.rootDir, path).split('\\').join('/') || path;
  const findings: ReportFinding[] = outcome.results.flatMap((result) =>
    result.messages.map((message) => ({
      severity: message.severity === 2 ? ('error' as const) : ('warning' as const),
      ruleId: message.ruleId,
      message: message.message,
      place: `${where(result.filePath)}:${message.line}:${message.column}`,
    })),
  );
  const base = {
    toolVersion: options.toolVersion,
    generatedAt: (options.now ?? new Date()).toISOString(),
    findings,
    errorCount: counts.errorCount,
    warningCount: counts.warningCount,
  };
  const campaign = outcome.campaign;
  if (campaign === undefined) {
    return {
      data: {
        ...base,
        campaign: { file: where(filePath), name: undefined, id: undefined, category: undefined, sensitivity: 'standard', author: undefined, from: undefined, replyTo: undefined, to: undefined, subject: undefined, bcc: [], sendAt: undefined },
        audience: undefined,
        approval: undefined,
        sample: { ok: false, reason: 'the campaign file cannot be read or parsed' },
      },
      personalAddresses: [],
      publicAddresses: [],
    };
  }

  const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
  const fromName = campaign.string(['from', 'name']);
  const fromAddress = campaign.string(['from', 'address']);
  const bccValue = campaign.get(['bcc']);
  const bcc = (Array.isArray(bccValue) ? bccValue : [bccValue]).filter((entry): entry is string => typeof entry === 'string');
  const approvals = campaign.get(['approvals']);
  const facts: CampaignFacts = {
    file: where(campaign.filePath),
    name: campaign.string(['name']),
    id: campaign.id,
    category: text(campaign.data.category),
    sensitivity: campaign.sensitivity ?? 'standard',
    author: campaign.string(['author']),
    from: fromAddress === undefined ? undefined : fromName ? `${fromName} <${fromAddress}>` : fromAddress,
    replyTo: campaign.string(['reply_to']),
    to: campaign.string(['to']),
    subject: campaign.string(['subject']),
    bcc,
    sendAt: text(campaign.get(['send_at'])) ?? (campaign.get(['send_at']) instanceof Date ? (campaign.get(['send_at']) as Date).toISOString() : undefined),
  };

  const { templates } = await campaignTemplates(campaign, config);
  const audience = await summarizeAudience(campaign, config, templates);
  const approval = await approvalState(campaign, config);
  const sample = await renderSample(campaign, config, audience.sample);
  const publicAddresses = [
    ...[fromAddress, facts.replyTo, facts.author].filter((value): value is string => value !== undefined && !value.includes('{{')),
    ...bcc,
    ...config.organization.archiveAddresses,
    ...config.approval.approvers.flatMap((person) => (person.email === undefined ? [] : [person.email])),
    ...(Array.isArray(approvals) ? approvals.flatMap((entry: unknown) => (entry !== null && typeof entry === 'object' && typeof (entry as { by?: unknown }).by === 'string' ? [(entry as { by: string }).by] : [])) : []),
  ];
  return {
    data: { ...base, campaign: facts, audience: audience.summary, approval, sample },
    personalAddresses: audience.personalAddresses,
    publicAddresses,
  };
}
