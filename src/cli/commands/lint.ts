import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeApprovalMode } from '../../core/config.js';
import type { ApprovalMode } from '../../core/config.js';
import { UsageError } from '../../core/errors.js';
import { lint } from '../../core/lint.js';
import { readTextFile } from '../../core/safe-file.js';
import { totals } from '../../core/report.js';
import type { FormatterContext, LintResult, RuleMeta } from '../../core/types.js';
import { formatterNames, loadFormatter } from '../../formatters/index.js';
import { docsUrl, ruleMetas } from '../../rules/index.js';
import type { CliEnvironment } from '../io.js';
import { useColor } from '../io.js';
import { createProgress, shouldShowProgress } from '../progress.js';
import type { CliValues } from '../main.js';
import { toolVersion } from '../../core/version.js';
import { PAYLOAD_FORMATS } from '../../payloads/model.js';
import type { PayloadFormat } from '../../payloads/model.js';
import { isPayloadFormat } from '../../payloads/platforms.js';

const APPROVAL_MODES: readonly ApprovalMode[] = ['record', 'signature', 'github'];

export function parseApprovals(value: string | undefined): ApprovalMode | undefined {
  if (value === undefined) return undefined;
  if (!(APPROVAL_MODES as readonly string[]).includes(value)) throw new UsageError(`--approvals must be one of ${APPROVAL_MODES.join(', ')}, not \`${value}\``);
  return value as ApprovalMode;
}

function parseInputFormat(value: string | undefined): PayloadFormat | undefined {
  if (value === undefined) return undefined;
  if (!isPayloadFormat(value)) throw new UsageError(`--input-format must be one of ${PAYLOAD_FORMATS.join(', ')}, not \`${value}\``);
  return value;
}

function parseMaxWarnings(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--max-warnings takes a whole number, not \`${value}\``);
  return Number(value);
}

export async function runLint(patterns: string[], values: CliValues, io: CliEnvironment): Promise<number> {
  const formatName = values.format ?? 'stylish';
  const formatter = await loadFormatter(formatName);
  if (!formatter) throw new UsageError(`unknown format \`${formatName}\` (one of ${formatterNames.join(', ')})`);
  const maxWarnings = parseMaxWarnings(values['max-warnings']);
  const progress = shouldShowProgress({ stderr: io.stderr, env: io.env, format: formatName }) ? createProgress(io.stderr) : undefined;
  const run = await lint({
    cwd: io.cwd,
    patterns,
    configFile: values.config,
    configRef: values['config-ref'],
    approvals: parseApprovals(values.approvals),
    ...(values['input-format'] === undefined ? {} : { inputFormat: parseInputFormat(values['input-format']) }),
    showPii: values['show-pii'] === true,
    errorOnUnmatchedPattern: values['error-on-unmatched-pattern'] ?? true,
    ...(progress ? { onRecipientProgress: progress.update } : {}),
  }).finally(() => progress?.done());
  const approval = run.config.approval;
  if (approval.raisedBy !== undefined) io.stderr.write(`campaign-lint: approvals verified in ${describeApprovalMode(approval)}\n`);
  for (const pattern of run.unmatched) io.stderr.write(`campaign-lint: no campaign matches \`${pattern}\`; skipped\n`);
  if (run.campaigns.length === 0 && run.payloads.length === 0 && patterns.length === 0) {
    io.stderr.write(`campaign-lint: no campaign files found (include: ${run.config.include.join(', ')})\n`);
  }
  const counts = totals(run.results);
  const shown: LintResult[] = values.quiet === true ? onlyErrors(run.results) : run.results;
  const outputFile = values['output-file'];
  const context: FormatterContext = {
    cwd: io.cwd,
    rootDir: run.config.rootDir,
    rulesMeta: new Map<string, RuleMeta>(ruleMetas.map((meta) => [meta.id, meta])),
    sourceOf: campaignSourceReader(new Set(run.campaigns), run.config.rootDir, run.config.maxFileSize),
    docsUrl,
    color: outputFile === undefined && useColor(values.color, io.env, io.stdout),
    showPii: values['show-pii'] === true,
    maxWarnings,
    toolVersion: toolVersion(),
  };
  const text = formatter(shown, context);
  if (outputFile !== undefined) await writeFile(resolve(io.cwd, outputFile), text);
  else io.stdout.write(text);
  const tooManyWarnings = maxWarnings !== undefined && counts.warningCount > maxWarnings;
  return counts.errorCount > 0 || tooManyWarnings ? 1 : 0;
}

function onlyErrors(results: LintResult[]): LintResult[] {
  return results.map((result) => {
    const messages = result.messages.filter((message) => message.severity === 2);
    return { ...result, messages, warningCount: 0 };
  });
}

/** Only campaign YAML files may be quoted in output; CSVs and templates hold personal data. */
function campaignSourceReader(campaigns: ReadonlySet<string>, rootDir: string, maxBytes: number): (filePath: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (filePath) => {
    if (!campaigns.has(filePath)) return undefined;
    if (!cache.has(filePath)) {
      // The safe reader: a campaign refused as a symlink out of the repository or a FIFO is never quoted.
      const read = readTextFile(filePath, { rootDir, maxBytes });
      cache.set(filePath, read.ok ? read.text : undefined);
    }
    return cache.get(filePath);
  };
}
