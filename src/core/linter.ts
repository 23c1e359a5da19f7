import { Campaign } from './campaign.js';
import type { ResolvedConfig } from './config.js';
import { isEffective, isSuppressed } from './directives.js';
import { maskPii } from './mask.js';
import { STOPPING_PROBLEMS } from '../parsers/csv.js';
import { buildResults, formatMessage } from './report.js';
import { campaignTemplates } from './templates.js';
import { recipientsPath, runRecipientPass } from './recipients.js';
import { campaignRefusal } from './safe-file.js';
import type { RecipientPassOptions } from './recipients.js';
import type { LintMessage, LintResult, ReportDescriptor, Rule, RuleContext, RuleListeners, Severity } from './types.js';
import { ruleMetas, rules as allRules } from '../rules/index.js';
import { configForCampaign } from '../policy/merge.js';
import { customRule } from '../policy/custom-rules.js';

export interface LintCampaignOptions {
  showPii?: boolean;
  onProgress?: RecipientPassOptions['onProgress'];
  /** Rules to run; defaults to every rule. Tests pass one rule at a time. */
  rules?: readonly Rule<never>[];
}

export interface CampaignLintOutcome {
  /** Undefined when the campaign file could not even be read. */
  campaign: Campaign | undefined;
  results: LintResult[];
}

const UNDISABLEABLE = new Set(['disable-reason', 'locked-rule']);

/** Lints one campaign file and every file it references. */
export async function lintCampaign(filePath: string, baseConfig: ResolvedConfig, options: LintCampaignOptions = {}): Promise<CampaignLintOutcome> {
  // Per-path overrides: the policy this campaign's path gets.
  const config = configForCampaign(baseConfig, filePath, ruleMetas);
  const messages = new Map<string, LintMessage[]>([[filePath, []]]);
  const push = (file: string, message: LintMessage) => {
    const list = messages.get(file);
    if (list) list.push(message);
    else messages.set(file, [message]);
  };
  const fatal = (message: string, line = 1, column = 1) => {
    push(filePath, { ruleId: null, severity: 2, fatal: true, message, line, column });
    return { campaign: undefined, results: buildResults(messages) };
  };

  const read = Campaign.read(filePath, config.rootDir, config.maxFileSize);
  if (!(read instanceof Campaign)) return fatal(campaignRefusal(read));
  const campaign = read;
  campaign.policySensitivity = config.sensitivity;
  const syntaxErrors = campaign.yaml.errors;
  if (syntaxErrors.length > 0) {
    for (const error of syntaxErrors) {
      push(filePath, { ruleId: null, severity: 2, fatal: true, message: `YAML syntax error: ${error.message}`, line: error.line, column: error.column });
    }
    return { campaign: undefined, results: buildResults(messages) };
  }

  const { problems: templateProblems } = await campaignTemplates(campaign, config);
  for (const problem of templateProblems) {
    push(problem.filePath, { ruleId: null, severity: 2, fatal: true, message: problem.message, line: problem.line, column: problem.column });
  }

  const capFindings = new FindingsCap();
  const listeners: RuleListeners[] = [];
  for (const rule of options.rules ?? [...allRules, ...[...config.customRules.values()].map(customRule)]) {
    const severity = effectiveSeverity(rule, campaign, config);
    if (severity === 0) continue;
    const setting = config.rules.get(rule.meta.id);
    const context: RuleContext = {
      ruleId: rule.meta.id,
      options: setting?.options ?? {},
      campaign,
      config,
      pii: (value) => (options.showPii ? value : maskPii(value)),
      report(descriptor: ReportDescriptor) {
        const template = rule.meta.messages[descriptor.messageId];
        if (template === undefined) throw new Error(`rule ${rule.meta.id} reported unknown messageId ${descriptor.messageId}`);
        const file = descriptor.filePath ?? filePath;
        const reportedSeverity = descriptor.severity === 'warn' && !(rule.meta.privacy === true && campaign.isSpecialCategory) ? 1 : severity;
        if (!RULE_SUMMARY.test(descriptor.messageId) && !capFindings.admit(rule.meta.id, file, reportedSeverity, descriptor.loc)) return;
        push(file, {
          ruleId: rule.meta.id,
          severity: reportedSeverity,
          message: formatMessage(template, capData(descriptor.data)),
          messageId: descriptor.messageId,
          ...descriptor.loc,
        });
      },
    };
    const returned = await (rule as unknown as Rule).check(context);
    if (returned) listeners.push(returned);
  }
  if (listeners.length > 0) {
    const recipientsFile = await recipientsPath(campaign);
    await runRecipientPass(campaign, listeners, {
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      onUnhandledProblem: (problem) => {
        if (recipientsFile === undefined) return;
        const stops = STOPPING_PROBLEMS.has(problem.kind);
        if (stops) push(recipientsFile, { ruleId: null, severity: 2, fatal: true, message: `recipient list cannot be parsed: ${problem.message}`, line: problem.line, column: problem.column });
      },
    });
  }

  for (const listener of listeners) await listener.afterPass?.();
  capFindings.summaries(push);

  const knownRule = (id: string) => config.rules.has(id);
  const effective = campaign.directives.filter((directive) => isEffective(directive, knownRule));
  const canDisable = (id: string) => !config.locked.has(id) && !UNDISABLEABLE.has(id);
  for (const [file, list] of messages) {
    messages.set(
      file,
      list.filter((message) => !isSuppressed(message, file === filePath, effective, canDisable)),
    );
  }
  for (const [file, list] of messages) messages.set(file, reportOnce(list, config.locked));
  return { campaign, results: buildResults(messages) };
}

/** A rule's own summary of the findings it left out (`more`, `moreListProblems`, `emptyMore`): not counted against the cap. */
const RULE_SUMMARY = /^more|More$/;

/** Findings one rule may list for one file; the rest are summed up in one finding. */
export const MAX_FINDINGS_PER_RULE_PER_FILE = 100;

/**
 * Counts findings per rule and file: past MAX_FINDINGS_PER_RULE_PER_FILE they are not kept but
 * summed up in one finding (at the first one left out, with the highest severity left out), so a
 * header of 100,000 columns does not print 100,000 lines.
 */
class FindingsCap {
  private readonly counts = new Map<string, { ruleId: string; file: string; listed: number; more: number; severity: Severity; line: number; column: number }>();

  admit(ruleId: string, file: string, severity: Severity, loc: { line: number; column: number }): boolean {
    const key = `${ruleId}\u0000${file}`;
    const count = this.counts.get(key);
    if (count === undefined) {
      this.counts.set(key, { ruleId, file, listed: 1, more: 0, severity, line: 0, column: 0 });
      return true;
    }
    if (count.listed < MAX_FINDINGS_PER_RULE_PER_FILE) {
      count.listed++;
      return true;
    }
    if (count.more === 0) Object.assign(count, { line: loc.line, column: loc.column, severity });
    count.more++;
    if (severity > count.severity) count.severity = severity;
    return false;
  }

  summaries(push: (file: string, message: LintMessage) => void): void {
    for (const { ruleId, file, listed, more, severity, line, column } of this.counts.values()) {
      if (more === 0) continue;
      const message = `${more} more ${ruleId} findings in this file are not listed (the first ${listed} are)`;
      push(file, { ruleId, severity, message, line, column });
    }
  }
}

/**
 * Findings a locked rule makes only as a fallback: a cause that spans a campaign key, shown when
 * no other locked rule reports an error inside that span.
 */
const FOLDED_INTO_LOCKED = new Set(['rendered-message/campaignWide']);

/**
 * Locked findings whose fix removes the whole value they span (no-cc: "remove `cc`"): an unlocked
 * finding inside that span, at the same or a lower severity, is the same mistake seen again (the
 * 47 customer addresses of a `cc` list are not also 47 no-recipient-data-leak findings).
 */
const COVERS_SPAN = new Set(['no-cc/ccList', 'no-cc/ccHeader', 'no-cc/recipientHeader']);

const before = (line: number, column: number, otherLine: number, otherColumn: number) => line < otherLine || (line === otherLine && column <= otherColumn);

/**
 * One place, one finding, under the locked rule: where a locked and an unlocked rule report the
 * same line and column, only the locked one is kept (so no inline directive or severity of the
 * unlocked rule can be what decides), an unlocked finding inside a COVERS_SPAN finding's span is
 * dropped, and a locked fallback folds into another locked error.
 * Locked findings are never dropped otherwise.
 */
export function reportOnce(list: LintMessage[], locked: ReadonlySet<string>): LintMessage[] {
  const isLocked = (message: LintMessage) => message.ruleId !== null && locked.has(message.ruleId);
  // 1:1 is where findings without a place of their own go (an empty file, a missing key): different findings meet there by chance.
  // The highest severity a locked rule reports at each place: an unlocked finding is dropped only for one at least as severe.
  const lockedAt = new Map<string, number>();
  for (const message of list) {
    if (!isLocked(message) || (message.line === 1 && message.column === 1)) continue;
    const place = `${message.line}:${message.column}`;
    lockedAt.set(place, Math.max(lockedAt.get(place) ?? 0, message.severity));
  }
  // A locked finding whose fix is to remove a whole value (`cc: [...]`: remove it) covers what it spans.
  const covers = list.filter((message) => isLocked(message) && COVERS_SPAN.has(`${message.ruleId}/${message.messageId}`) && message.endLine !== undefined);
  const covered = (message: LintMessage) =>
    covers.some((cover) => cover.severity >= message.severity && before(cover.line, cover.column, message.line, message.column) && before(message.line, message.column, cover.endLine ?? cover.line, cover.endColumn ?? cover.column));
  const lockedErrorLines = list.filter((message) => isLocked(message) && message.severity === 2 && !FOLDED_INTO_LOCKED.has(`${message.ruleId}/${message.messageId}`)).map((message) => message.line);
  return list.filter((message) => {
    if (message.ruleId === null) return true;
    if (!isLocked(message)) return (lockedAt.get(`${message.line}:${message.column}`) ?? 0) < message.severity && !covered(message);
    if (!FOLDED_INTO_LOCKED.has(`${message.ruleId}/${message.messageId}`)) return true;
    const end = message.endLine ?? message.line;
    return !lockedErrorLines.some((line) => line >= message.line && line <= end);
  });
}

const MAX_DATA_LENGTH = 1000;

/** A value quoted in a message (a column name, a path) is cut short: a hostile 16 MB header must not become a 16 MB log line. */
function capData(data: ReportDescriptor['data']): ReportDescriptor['data'] {
  if (data === undefined) return undefined;
  const capped: NonNullable<ReportDescriptor['data']> = {};
  for (const [key, value] of Object.entries(data)) {
    capped[key] = typeof value === 'string' && value.length > MAX_DATA_LENGTH ? `${value.slice(0, MAX_DATA_LENGTH - 1)}…` : value;
  }
  return capped;
}

/** Special-category campaigns turn every privacy warning into an error (README.md, A campaign: `sensitivity`). */
function effectiveSeverity(rule: Rule<never>, campaign: Campaign, config: ResolvedConfig): 0 | Severity {
  const severity = config.rules.get(rule.meta.id)?.severity ?? 0;
  if (severity === 1 && rule.meta.privacy === true && campaign.isSpecialCategory) return 2;
  return severity;
}
