/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
 *
 * Choices a consumer may rely on:
 * - `tool.driver.rules` lists every rule in `rulesMeta` (sorted by id), so a
 *   rule's `ruleIndex` is the same from run to run, followed by descriptors for
 *   rule ids that only appear in the results.
 * - Findings with `ruleId: null` (a campaign that could not be parsed or read)
 *   are reported under the synthetic rule {@link FATAL_RULE_ID}, so that code
 *   scanning still raises an alert on the broken file.
 * - Columns are UTF-16 code units (JavaScript string indices, which is what the
 *   YAML and CSV parsers count), declared with `columnKind: "utf16CodeUnits"`.
 *   End columns are exclusive in both ESLint's and SARIF's model.
 * - No `partialFingerprints`: code scanning computes its own, and an invented
 *   `primaryLocationLineHash` would be wrong.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Formatter, FormatterContext, LintMessage, LintResult, RuleMeta, SeverityName } from '../core/types.js';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const TOOL_NAME = 'campaign-lint';
export const TOOL_INFORMATION_URI = 'https://www.npmjs.com/package/campaign-lint';
/** Rule id that SARIF, GitHub annotations, JUnit and Markdown show for findings whose `ruleId` is null. */
export const FATAL_RULE_ID = 'fatal';
export const SOURCE_ROOT_ID = '%SRCROOT%';

export type SarifLevel = 'none' | 'note' | 'warning' | 'error';

export interface SarifMultiformatMessage {
  text: string;
  markdown?: string;
}

export interface SarifReportingDescriptor {
  id: string;
  shortDescription: SarifMultiformatMessage;
  fullDescription: SarifMultiformatMessage;
  help: SarifMultiformatMessage;
  helpUri?: string;
  defaultConfiguration: { enabled?: boolean; level: SarifLevel };
  properties?: { tags: string[] };
}

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine?: number;
  endColumn?: number;
}

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: SarifArtifactLocation; region?: SarifRegion } }[];
}

export interface SarifNotification {
  level: SarifLevel;
  descriptor?: { id: string };
  message: { text: string };
}

export interface SarifRun {
  tool: { driver: { name: string; version: string; informationUri: string; rules: SarifReportingDescriptor[] } };
  /** Only when results were left out: a notification saying how many, and why. */
  invocations?: [{ executionSuccessful: boolean; toolExecutionNotifications: SarifNotification[] }];
  originalUriBaseIds: Record<string, { uri: string; description?: { text: string } }>;
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
  properties?: { omittedResults: number; totalResults: number };
}

/**
 * GitHub code scanning's upload limits (docs.github.com, "SARIF results exceed one or more
 * limits"): a run with more than 25,000 results is rejected whole (only the top 5,000 are
 * shown anyway); 1,000 locations per result (we send one), 20 tags per rule (we send at most
 * two), 25,000 rules per run (a run's rules are ours plus those its results name).
 */
export const SARIF_MAX_RESULTS = 25_000;

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [SarifRun];
}

/**
 * The path of `filePath` relative to `rootDir` with `/` separators, or the
 * absolute path (with `/` separators) when the file lies outside the root.
 */
export function repoRelativePath(filePath: string, rootDir: string): string {
  const relative = path.relative(rootDir, filePath);
  return (isRelativeInside(relative) ? relative : path.resolve(filePath)).split(path.sep).join('/');
}

function isRelativeInside(relative: string): boolean {
  return !(relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative));
}

function sentence(text: string): string {
  return /[.!?]$/u.test(text) ? text : `${text}.`;
}

function levelOfSeverityName(severity: SeverityName): SarifLevel {
  return severity === 'error' ? 'error' : 'warning';
}

function describeRule(meta: RuleMeta, context: FormatterContext): SarifReportingDescriptor {
  const docsUrl = context.docsUrl(meta.id);
  const details = [
    `Category: ${meta.category}.`,
    `Default severity in the recommended preset: ${meta.defaultSeverity}.`,
  ];
  if (meta.lockedByDefault === true) details.push('Locked in the recommended preset: inline comments cannot disable it.');
  if (meta.privacy === true) details.push('A privacy rule: its warnings become errors for special-category campaigns.');
  const tags: string[] = [meta.category];
  if (meta.privacy === true) tags.push('privacy');
  return {
    id: meta.id,
    shortDescription: { text: meta.description },
    fullDescription: { text: [sentence(meta.description), ...details].join(' ') },
    help: {
      text: `${sentence(meta.description)} Documentation, with failing and passing examples: ${docsUrl}`,
      markdown: `**${meta.id}**: ${sentence(meta.description)}\n\nSee [the rule's documentation](${docsUrl}) for failing and passing examples.`,
    },
    helpUri: docsUrl,
    // An `off` default still needs a level; `enabled: false` is what tells viewers it is off.
    defaultConfiguration:
      meta.defaultSeverity === 'off'
        ? { enabled: false, level: 'warning' }
        : { level: levelOfSeverityName(meta.defaultSeverity) },
    properties: { tags },
  };
}

function describeFatalRule(): SarifReportingDescriptor {
  const text =
    'The file could not be linted: the campaign YAML has a syntax error, or a file it references cannot be read or parsed.';
  const help = `${text} Fix the file so that campaign-lint can check it; until then none of its rules ran.`;
  return {
    id: FATAL_RULE_ID,
    shortDescription: { text: 'File could not be parsed or read' },
    fullDescription: { text },
    help: { text: help, markdown: help },
    defaultConfiguration: { level: 'error' },
  };
}

function describeUnknownRule(ruleId: string, context: FormatterContext): SarifReportingDescriptor {
  const docsUrl = context.docsUrl(ruleId);
  return {
    id: ruleId,
    shortDescription: { text: ruleId },
    fullDescription: { text: `Findings of the rule ${ruleId}.` },
    help: { text: `Documentation: ${docsUrl}`, markdown: `See [the rule's documentation](${docsUrl}).` },
    helpUri: docsUrl,
    defaultConfiguration: { level: 'warning' },
  };
}

function artifactLocationOf(filePath: string, rootDir: string): SarifArtifactLocation {
  if (!isRelativeInside(path.relative(rootDir, filePath))) return { uri: pathToFileURL(filePath).href };
  const encoded = repoRelativePath(filePath, rootDir).split('/').map(encodeURIComponent).join('/');
  return { uri: encoded, uriBaseId: SOURCE_ROOT_ID };
}

/** SARIF positions start at 1; a finding without a usable line points at the whole file. */
function regionOf(message: LintMessage): SarifRegion | undefined {
  if (!Number.isInteger(message.line) || message.line < 1) return undefined;
  const region: SarifRegion = { startLine: message.line, startColumn: Math.max(1, message.column) };
  if (message.endLine !== undefined && message.endLine >= message.line) {
    region.endLine = message.endLine;
    if (message.endColumn !== undefined && message.endColumn >= 1) region.endColumn = message.endColumn;
  }
  return region;
}

function ensureTrailingSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** The SARIF log as an object, for callers (the GitHub Action) that post-process it. */
export function buildSarifLog(results: LintResult[], context: FormatterContext): SarifLog {
  const rules = [...context.rulesMeta.values()]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((meta) => describeRule(meta, context));
  const ruleIndexById = new Map(rules.map((rule, index) => [rule.id, index]));

  function indexOfRule(ruleId: string | null): number {
    const id = ruleId ?? FATAL_RULE_ID;
    const known = ruleIndexById.get(id);
    if (known !== undefined) return known;
    rules.push(ruleId === null ? describeFatalRule() : describeUnknownRule(ruleId, context));
    ruleIndexById.set(id, rules.length - 1);
    return rules.length - 1;
  }

  const total = results.reduce((sum, result) => sum + result.messages.length, 0);
  // Over the limit, errors are kept before warnings (GitHub also ranks by severity); what is kept stays in report order.
  const capped = total > SARIF_MAX_RESULTS;
  const errorsKept = capped ? Math.min(SARIF_MAX_RESULTS, results.reduce((sum, result) => sum + result.messages.filter((message) => message.severity === 2).length, 0)) : 0;
  let errorsLeft = errorsKept;
  let warningsLeft = SARIF_MAX_RESULTS - errorsKept;
  const sarifResults: SarifResult[] = [];
  for (const result of results) {
    const artifactLocation = artifactLocationOf(result.filePath, context.rootDir);
    for (const message of result.messages) {
      if (capped) {
        if (message.severity === 2 ? errorsLeft <= 0 : warningsLeft <= 0) continue;
        if (message.severity === 2) errorsLeft -= 1;
        else warningsLeft -= 1;
      }
      const region = regionOf(message);
      sarifResults.push({
        ruleId: message.ruleId ?? FATAL_RULE_ID,
        ruleIndex: indexOfRule(message.ruleId),
        level: message.severity === 2 ? 'error' : 'warning',
        message: { text: message.message },
        locations: [{ physicalLocation: region ? { artifactLocation, region } : { artifactLocation } }],
      });
    }
  }

  const omitted = total - sarifResults.length;
  const note: Pick<SarifRun, 'invocations' | 'properties'> =
    omitted === 0
      ? {}
      : {
          invocations: [
            {
              executionSuccessful: true,
              toolExecutionNotifications: [
                {
                  level: 'warning',
                  descriptor: { id: 'results-capped' },
                  message: {
                    text:
                      `${omitted} of ${total} results left out: GitHub code scanning rejects a run with more than ${SARIF_MAX_RESULTS} results, ` +
                      'so errors were kept first, then warnings. campaign-lint -f json lists them all.',
                  },
                },
              ],
            },
          ],
          properties: { omittedResults: omitted, totalResults: total },
        };
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: TOOL_NAME, version: context.toolVersion, informationUri: TOOL_INFORMATION_URI, rules },
        },
        ...(note.invocations ? { invocations: note.invocations } : {}),
        originalUriBaseIds: {
          [SOURCE_ROOT_ID]: {
            uri: ensureTrailingSlash(pathToFileURL(context.rootDir).href),
            description: { text: 'The repository root' },
          },
        },
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
        ...(note.properties ? { properties: note.properties } : {}),
      },
    ],
  };
}

/** Pretty-printed SARIF JSON with a final newline. */
export const sarif: Formatter = (results, context) => `${JSON.stringify(buildSarifLog(results, context), null, 2)}\n`;

export default sarif;
