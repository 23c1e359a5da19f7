import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeApprovalMode } from '../../core/config.js';
import type { ApprovalMode } from '../../core/config.js';
import { UsageError, errorMessage } from '../../core/errors.js';
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

/** ESLint's convention: -1 (the default) is no limit; any other negative number is a mistake. */
export function parseMaxWarnings(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '-1') return undefined;
  if (!/^\d+$/.test(trimmed)) throw new UsageError(`--max-warnings takes a whole number from 0, or -1 for no limit, not \`${value}\``);
  return Number(trimmed);
}

/**
 * The CI services' own markers: `CI` (set by GitHub Actions, GitLab, CircleCI, Travis, Bitbucket,
 * Buildkite, pre-commit.ci and most others) unless `false` or `0`, and the markers of the services
 * that do not set it. On CI the approval gate holds: `--draft` is ignored there, with a note.
 */
export const CI_MARKERS = ['GITHUB_ACTIONS', 'GITLAB_CI', 'TF_BUILD', 'JENKINS_URL', 'BUILDKITE', 'TEAMCITY_VERSION', 'CODEBUILD_BUILD_ID'] as const;

export function ciMarker(env: NodeJS.ProcessEnv): string | undefined {
  const ci = env.CI;
  if (ci !== undefined && ci !== '' && !/^(?:false|0)$/i.test(ci)) return `CI=${ci.slice(0, 20)}`;
  return CI_MARKERS.find((name) => env[name] !== undefined && env[name] !== '');
}

export async function runLint(patterns: string[], values: CliValues, io: CliEnvironment): Promise<number> {
  const formatName = values.format ?? 'stylish';
  const formatter = await loadFormatter(formatName);
  if (!formatter) throw new UsageError(`unknown format \`${formatName}\` (one of ${formatterNames.join(', ')})`);
  const maxWarnings = parseMaxWarnings(values['max-warnings']);
  let draft = values.draft === true;
  const ci = draft ? ciMarker(io.env) : undefined;
  if (ci !== undefined) {
    io.stderr.write(`campaign-lint: --draft ignored: ${ci} says this is CI, where missing approvals fail\n`);
    draft = false;
  }
  const showPii = values['show-pii'] === true;
  const cache = values.cache === true ? new (await import('../../cache/store.js')).CampaignCache({ cwd: io.cwd, location: values['cache-location'], env: io.env, showPii }) : undefined;
  const progress = shouldShowProgress({ stderr: io.stderr, env: io.env, format: formatName }) ? createProgress(io.stderr) : undefined;
  const run = await lint({
    cwd: io.cwd,
    patterns,
    configFile: values.config,
    configRef: values['config-ref'],
    approvals: parseApprovals(values.approvals),
    ...(values['input-format'] === undefined ? {} : { inputFormat: parseInputFormat(values['input-format']) }),
    showPii: values['show-pii'] === true,
    draft,
    errorOnUnmatchedPattern: values['error-on-unmatched-pattern'] ?? true,
    ...(progress ? { onRecipientProgress: progress.update } : {}),
    ...(cache ? { cache } : {}),
  }).finally(() => progress?.done());
  if (cache) {
    try {
      cache.save();
    } catch (error) {
      // The findings are right either way: a cache that cannot be written only costs the next run time.
      io.stderr.write(`campaign-lint: --cache: cannot write ${cache.path} (${errorMessage(error).split('\n', 1)[0] ?? ''})\n`);
    }
    for (const why of cache.stats.uncacheable) io.stderr.write(`campaign-lint: --cache: results not cached: ${why}\n`);
    if (io.env.DEBUG?.split(',').includes('campaign-lint') === true) {
      const { hits, misses, filesHashed, ignored } = cache.stats;
      io.stderr.write(`campaign-lint: cache ${cache.path}: ${hits} hit(s), ${misses} miss(es), ${filesHashed} file(s) hashed${ignored === undefined ? '' : `; old cache ignored: ${ignored}`}\n`);
    }
  }
  const approval = run.config.approval;
  if (approval.raisedBy !== undefined) io.stderr.write(`campaign-lint: approvals verified in ${describeApprovalMode(approval)}\n`);
  for (const pattern of run.unmatched) io.stderr.write(`campaign-lint: no campaign matches \`${pattern}\`; skipped\n`);
  if (run.campaigns.length === 0 && run.payloads.length === 0 && patterns.length === 0) {
    io.stderr.write(`campaign-lint: no campaign files found (include: ${run.config.include.join(', ')})\n`);
  }
  const counts = totals(run.results);
  const quiet = values.quiet === true;
  const shown: LintResult[] = quiet ? onlyErrors(run.results) : run.results;
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
    campaignCount: run.campaigns.length,
    hiddenWarnings: quiet ? counts.warningCount : 0,
  };
  const text = formatter(shown, context);
  // Synchronous: node:fs/promises is loaded for nothing else on a cache hit (src/cli/front.ts).
  if (outputFile !== undefined) writeFileSync(resolve(io.cwd, outputFile), text);
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
