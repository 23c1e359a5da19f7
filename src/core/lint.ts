import { resolve } from 'node:path';
import { loadConfig } from './config.js';
import type { ApprovalMode, ResolvedConfig } from './config.js';
import { discoverCampaigns } from './discovery.js';
import { lintCampaign } from './linter.js';
import type { LintCampaignOptions } from './linter.js';
import { buildResults, formatMessage } from './report.js';
import { toPosixRelative } from './paths.js';
import type { UnlintedFile } from './discovery.js';
import type { LintMessage, LintResult } from './types.js';
import { ruleMetas } from '../rules/index.js';
import unlintedCampaign from '../rules/unlinted-campaign.js';
import { lintPayload } from '../payloads/lint.js';
import type { PayloadFormat } from '../payloads/model.js';
import { rules as allRules } from '../rules/index.js';

export interface LintOptions {
  cwd?: string;
  /** Campaign files, folders, globs, or CSV/template files (every campaign using them is linted). */
  patterns?: readonly string[];
  configFile?: string;
  configRef?: string;
  approvals?: ApprovalMode;
  /** How messages name where `approvals` came from (`--approvals`, `input approvals`). */
  approvalsFrom?: string;
  showPii?: boolean;
  /**
   * A draft run: missing or stale approvals are warnings, not errors; everything else (a forged,
   * self- or outsider approval, every other rule) is unchanged. The CLI's `--draft`, for the
   * pre-commit hook; the CLI refuses to pass it on CI.
   */
  draft?: boolean;
  errorOnUnmatchedPattern?: boolean;
  /** Called after each campaign, for progress output. */
  onCampaign?: (filePath: string, index: number, total: number) => void;
  /** Called as a recipient list is read (every 64 KiB), for a progress bar. */
  onRecipientProgress?: LintCampaignOptions['onProgress'];
  /** `--cache`: findings of unchanged campaigns are reused (src/cache/store.ts). */
  cache?: { lookup(campaignPath: string, config: ResolvedConfig): Promise<{ results?: LintResult[]; store?: (results: LintResult[]) => Promise<void> }> };
  /** --input-format: the platform of payload files, and every file named that is not a campaign is one (docs/payloads.md). */
  inputFormat?: PayloadFormat;
}

export interface LintRun {
  results: LintResult[];
  config: ResolvedConfig;
  campaigns: string[];
  /** Sending-platform payload files linted. */
  payloads: string[];
  unmatched: string[];
}

/** The library entry point: what `campaign-lint [paths]` does, without printing. */
export async function lint(options: LintOptions = {}): Promise<LintRun> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const config = loadConfig(
    { cwd, configFile: options.configFile, configRef: options.configRef, approvals: options.approvals, approvalsFrom: options.approvalsFrom },
    ruleMetas,
  );
  if (options.draft === true) config.approval.draft = true;
  // A custom rule's regular expression RE2 cannot compile stops the run before any output.
  if (config.customRules.size > 0) await (await import('../policy/print-config.js')).checkCustomRegexes(config);
  const { campaigns, payloads, unmatched, unlinted } = await discoverCampaigns(config, {
    cwd,
    patterns: options.patterns ?? [],
    errorOnUnmatchedPattern: options.errorOnUnmatchedPattern ?? true,
    anyFileIsPayload: options.inputFormat !== undefined,
  });
  const byFile = new Map<string, LintMessage[]>();
  for (const [file, message] of unlintedFindings(unlinted, config)) byFile.set(file, [message]);
  let index = 0;
  for (const campaignPath of campaigns) {
    const cached = await options.cache?.lookup(campaignPath, config);
    let results = cached?.results;
    if (results === undefined) {
      ({ results } = await lintCampaign(campaignPath, config, {
        showPii: options.showPii ?? false,
        ...(options.onRecipientProgress ? { onProgress: options.onRecipientProgress } : {}),
      }));
      await cached?.store?.(results);
    }
    for (const result of results) byFile.set(result.filePath, [...(byFile.get(result.filePath) ?? []), ...result.messages]);
    options.onCampaign?.(campaignPath, index++, campaigns.length);
  }
  for (const payloadPath of payloads) {
    const results = await lintPayload(payloadPath, config, { showPii: options.showPii ?? false, rules: allRules, ...(options.inputFormat ? { format: options.inputFormat } : {}) });
    for (const result of results) byFile.set(result.filePath, [...(byFile.get(result.filePath) ?? []), ...result.messages]);
  }
  return { results: buildResults(byFile), config, campaigns, payloads, unmatched };
}

const UNLINTED = unlintedCampaign.meta;
const MAX_INCLUDE_SHOWN = 200;

/**
 * The locked `unlinted-campaign` findings, one per file that looks like a campaign and is not
 * linted. They sit in that file, which no campaign's inline comment can reach; only the policy
 * (the config's rules or `ignore`) can turn them off.
 */
function unlintedFindings(unlinted: readonly UnlintedFile[], config: ResolvedConfig): [string, LintMessage][] {
  const severity = config.rules.get(UNLINTED.id)?.severity ?? 2;
  if (severity === 0) return [];
  const joined = config.include.map((glob) => `\`${glob}\``).join(', ');
  const include = joined.length > MAX_INCLUDE_SHOWN ? `${joined.slice(0, MAX_INCLUDE_SHOWN - 1)}…` : joined;
  return unlinted.map((file) => {
    const messageId = file.inNodeModules ? 'inNodeModules' : 'notIncluded';
    const data = {
      file: toPosixRelative(config.rootDir, file.path),
      why: file.why === 'name' ? 'by its name' : 'top-level `version:` and `recipients:`',
      include,
    };
    return [file.path, { ruleId: UNLINTED.id, severity, message: formatMessage(UNLINTED.messages[messageId] ?? '', data), messageId, line: 1, column: 1 }];
  });
}
