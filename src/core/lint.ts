import { resolve } from 'node:path';
import { loadConfig } from './config.js';
import type { ApprovalMode, ResolvedConfig } from './config.js';
import { discoverCampaigns } from './discovery.js';
import { lintCampaign } from './linter.js';
import type { LintCampaignOptions } from './linter.js';
import { buildResults } from './report.js';
import type { LintMessage, LintResult } from './types.js';
import { ruleMetas } from '../rules/index.js';

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
  errorOnUnmatchedPattern?: boolean;
  /** Called after each campaign, for progress output. */
  onCampaign?: (filePath: string, index: number, total: number) => void;
  /** Called as a recipient list is read (every 64 KiB), for a progress bar. */
  onRecipientProgress?: LintCampaignOptions['onProgress'];
}

export interface LintRun {
  results: LintResult[];
  config: ResolvedConfig;
  campaigns: string[];
  unmatched: string[];
}

/** The library entry point: what `campaign-lint [paths]` does, without printing. */
export async function lint(options: LintOptions = {}): Promise<LintRun> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const config = loadConfig(
    { cwd, configFile: options.configFile, configRef: options.configRef, approvals: options.approvals, approvalsFrom: options.approvalsFrom },
    ruleMetas,
  );
  const { campaigns, unmatched } = await discoverCampaigns(config, {
    cwd,
    patterns: options.patterns ?? [],
    errorOnUnmatchedPattern: options.errorOnUnmatchedPattern ?? true,
  });
  const byFile = new Map<string, LintMessage[]>();
  let index = 0;
  for (const campaignPath of campaigns) {
    const { results } = await lintCampaign(campaignPath, config, {
      showPii: options.showPii ?? false,
      ...(options.onRecipientProgress ? { onProgress: options.onRecipientProgress } : {}),
    });
    for (const result of results) byFile.set(result.filePath, [...(byFile.get(result.filePath) ?? []), ...result.messages]);
    options.onCampaign?.(campaignPath, index++, campaigns.length);
  }
  return { results: buildResults(byFile), config, campaigns, unmatched };
}
