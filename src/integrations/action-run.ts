/**
 * The GitHub Action's entry point (bundled into dist/action/index.js by
 * scripts/build-action.mjs). It calls the library directly rather than the CLI
 * so that annotations, the job summary and the SARIF file come from one run.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as core from '@actions/core';
import { describeApprovalMode } from '../core/config.js';
import type { ApprovalMode, ResolvedConfig } from '../core/config.js';
import { UsageError, ConfigError, errorMessage } from '../core/errors.js';
import { lint } from '../core/lint.js';
import type { LintRun } from '../core/lint.js';
import { totals } from '../core/report.js';
import type { FormatterContext, LintMessage, LintResult, RuleMeta } from '../core/types.js';
import { markdown, truncateMarkdown } from '../formatters/markdown.js';
import { FATAL_RULE_ID, repoRelativePath, sarif } from '../formatters/sarif.js';
import { docsUrl, ruleMetas } from '../rules/index.js';
import { toolVersion } from '../core/version.js';

/** GitHub shows at most 10 annotations of each level per step; more are dropped silently. */
export const ANNOTATION_CAP = 10;
/** GitHub refuses a step summary over 1 MiB; the margin leaves room for other steps' appends. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 4 * 1024;

const APPROVAL_MODES: readonly string[] = ['record', 'signature', 'github'];

function parseApprovalsInput(value: string): ApprovalMode | undefined {
  if (value === '') return undefined;
  if (!APPROVAL_MODES.includes(value)) throw new UsageError(`input approvals must be one of ${APPROVAL_MODES.join(', ')}, not \`${value}\``);
  return value as ApprovalMode;
}

const PULL_REQUEST_EVENTS: readonly string[] = ['pull_request', 'pull_request_target', 'pull_request_review'];

/** The pull request's base commit, when the run was triggered by a pull request event. */
export function pullRequestBaseSha(env: NodeJS.ProcessEnv): string | undefined {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const eventPath = env.GITHUB_EVENT_PATH ?? '';
  // pull_request_review runs re-check approvals after a review; its payload carries the same pull request.
  if (!PULL_REQUEST_EVENTS.includes(eventName) || eventPath === '') return undefined;
  try {
    const payload = JSON.parse(readFileSync(eventPath, 'utf8')) as { pull_request?: { base?: { sha?: unknown } } };
    const sha = payload.pull_request?.base?.sha;
    return typeof sha === 'string' && /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

/**
 * actions/checkout fetches one commit by default, so the base commit may be
 * missing; checkout leaves its credentials in the git config, so fetch it.
 */
function ensureCommitPresent(sha: string, cwd: string): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe' });
  try {
    git('cat-file', '-e', `${sha}^{commit}`);
  } catch {
    try {
      git('fetch', '--no-tags', '--depth=1', 'origin', sha);
    } catch (error) {
      core.warning(`could not fetch the pull request's base commit ${sha}: ${errorMessage(error).split('\n', 1)[0] ?? ''}`);
    }
  }
}

function annotationProperties(message: LintMessage, file: string): core.AnnotationProperties {
  const properties: core.AnnotationProperties = { title: message.ruleId ?? FATAL_RULE_ID, file };
  if (message.line >= 1) {
    properties.startLine = message.line;
    properties.endLine = message.endLine ?? message.line;
    // GitHub ignores columns on annotations that span lines.
    if (message.column >= 1 && properties.endLine === message.line) {
      properties.startColumn = message.column;
      if (message.endColumn !== undefined) properties.endColumn = message.endColumn;
    }
  }
  return properties;
}

interface Finding {
  message: LintMessage;
  file: string;
}

/** Findings of one severity, fatal first, then in report order (file, line, column, rule). */
function findingsOf(results: readonly LintResult[], severity: 1 | 2, rootDir: string): Finding[] {
  const findings = results.flatMap((result) =>
    result.messages.filter((message) => message.severity === severity).map((message) => ({ message, file: repoRelativePath(result.filePath, rootDir) })),
  );
  return [...findings.filter((finding) => finding.message.fatal === true), ...findings.filter((finding) => finding.message.fatal !== true)];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * Writes the annotations and returns how many of each severity were left out.
 * When the step is going to fail, core.setFailed's message is an error
 * annotation too, so it takes one of the ten error slots.
 */
export function annotate(results: readonly LintResult[], rootDir: string, willFail: boolean): { omittedErrors: number; omittedWarnings: number } {
  const errors = findingsOf(results, 2, rootDir);
  const warnings = findingsOf(results, 1, rootDir);
  const errorSlots = willFail ? ANNOTATION_CAP - 1 : ANNOTATION_CAP;
  for (const { message, file } of errors.slice(0, errorSlots)) core.error(message.message, annotationProperties(message, file));
  for (const { message, file } of warnings.slice(0, ANNOTATION_CAP)) core.warning(message.message, annotationProperties(message, file));
  const omittedErrors = Math.max(0, errors.length - errorSlots);
  const omittedWarnings = Math.max(0, warnings.length - ANNOTATION_CAP);
  if (omittedErrors + omittedWarnings > 0) {
    core.notice(
      `${plural(omittedErrors, 'more error')} and ${plural(omittedWarnings, 'more warning')} not annotated ` +
        `(GitHub shows at most ${ANNOTATION_CAP} of each per step); the job summary lists every finding.`,
      { title: 'campaign-lint' },
    );
  }
  return { omittedErrors, omittedWarnings };
}

async function runLint(workspace: string, configRefInput: string): Promise<LintRun> {
  const paths = core.getMultilineInput('paths').map((line) => line.trim()).filter((line) => line !== '');
  const configFile = core.getInput('config') || undefined;
  const approvals = parseApprovalsInput(core.getInput('approvals'));
  const defaultedRef = configRefInput === '' ? pullRequestBaseSha(process.env) : undefined;
  const configRef = configRefInput === '' ? defaultedRef : configRefInput;
  if (defaultedRef !== undefined) {
    core.info(`campaign-lint: reading the policy from the pull request's base commit ${defaultedRef}`);
    ensureCommitPresent(defaultedRef, workspace);
  }
  // showPii is never passed: annotations and summaries are read by everyone with access to the run.
  // The input may only raise the trusted mode (record → signature or github): the workflow file is in the pull request.
  const options = { cwd: workspace, patterns: paths, configFile, approvals, approvalsFrom: 'input approvals', errorOnUnmatchedPattern: true };
  try {
    return await lint({ ...options, configRef });
  } catch (error) {
    // A base commit without any config had no policy to protect; the repository is adopting campaign-lint.
    if (defaultedRef !== undefined && error instanceof UsageError && error.message.startsWith('--config-ref: no ')) {
      core.warning(`the base commit has no campaign-lint config; using the pull request's own config this once`);
      return await lint(options);
    }
    throw error;
  }
}

/** One line for the job summary and the log: which approval mode ran, and whose policy set it. */
export function approvalModeLine(config: ResolvedConfig): string {
  const policy = config.source === undefined ? 'built-in defaults' : `\`${config.source}\``;
  return `Approvals verified in ${describeApprovalMode(config.approval)} (policy: ${policy}).`;
}

export async function run(): Promise<void> {
  const workspace = resolve(process.env.GITHUB_WORKSPACE ?? process.cwd());
  const token = core.getInput('github-token');
  // The github approval mode reads its token from the environment.
  if (token !== '' && (process.env.GITHUB_TOKEN ?? '') === '') process.env.GITHUB_TOKEN = token;

  const lintRun = await runLint(workspace, core.getInput('config-ref'));
  const { results } = lintRun;
  const counts = totals(results);
  core.setOutput('error-count', counts.errorCount);
  core.setOutput('warning-count', counts.warningCount);

  const context: FormatterContext = {
    cwd: workspace,
    rootDir: lintRun.config.rootDir,
    rulesMeta: new Map<string, RuleMeta>(ruleMetas.map((meta) => [meta.id, meta])),
    sourceOf: () => undefined,
    docsUrl,
    color: false,
    showPii: false,
    toolVersion: toolVersion(),
  };

  annotate(results, lintRun.config.rootDir, counts.errorCount > 0);

  if ((process.env.GITHUB_STEP_SUMMARY ?? '') !== '') {
    const modeLine = `\n${approvalModeLine(lintRun.config)}\n`;
    await core.summary.addRaw(`${truncateMarkdown(markdown(results, context), SUMMARY_LIMIT_BYTES - Buffer.byteLength(modeLine, 'utf8'))}${modeLine}`).write();
  }

  const sarifFile = core.getInput('sarif-file');
  if (sarifFile !== '') {
    const target = resolve(workspace, sarifFile);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, sarif(results, context));
    core.info(`campaign-lint: SARIF written to ${sarifFile}`);
  }

  core.info(`campaign-lint: ${approvalModeLine(lintRun.config)}`);
  core.info(`campaign-lint: ${plural(lintRun.campaigns.length, 'campaign')} checked, ${plural(counts.errorCount, 'error')}, ${plural(counts.warningCount, 'warning')}`);
  if (counts.errorCount > 0) core.setFailed(`campaign-lint found ${plural(counts.errorCount, 'error')}`);
}

/** Bad input and bad config fail the step with one line; anything else is a bug and keeps its stack in the debug log. */
export async function main(): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof ConfigError) && error instanceof Error) core.debug(error.stack ?? error.message);
    core.setFailed(`campaign-lint: ${errorMessage(error).split('\n', 1)[0] ?? ''}`);
  }
}
