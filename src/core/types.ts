/**
 * The shapes every part of campaign-lint agrees on: findings, results, rule
 * metadata and the context a rule receives. Kept free of runtime imports so
 * that formatters and integrations can depend on it without loading the engine.
 */

export type SeverityName = 'off' | 'warn' | 'error';
/** ESLint's numeric severities: 1 warning, 2 error. */
export type Severity = 1 | 2;

export interface SourceLocation {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** One finding, in ESLint's result-message shape (ESLint's LintMessage). */
export interface LintMessage extends SourceLocation {
  ruleId: string | null;
  severity: Severity;
  message: string;
  messageId?: string;
  /** Set on findings that stop a file from being linted (syntax errors, unreadable files). */
  fatal?: boolean;
}

export interface LintResult {
  /** Absolute path of the file the messages point into. */
  filePath: string;
  messages: LintMessage[];
  errorCount: number;
  warningCount: number;
  fatalErrorCount: number;
}

export type RuleCategory =
  | 'schema'
  | 'recipients-visibility'
  | 'recipient-list'
  | 'content'
  | 'compliance'
  | 'approval'
  | 'directives';

export interface RuleMeta {
  /** Kebab-case id; equals the rule's file name. */
  id: string;
  /** One line starting with Disallow, Require or Enforce. */
  description: string;
  category: RuleCategory;
  /** Severity in the `recommended` preset. */
  defaultSeverity: SeverityName;
  /** Locked in `recommended`: inline comments cannot disable it. */
  lockedByDefault?: boolean;
  /**
   * A privacy rule: under `sensitivity: special-category` its warnings become errors.
   */
  privacy?: boolean;
  /**
   * The verdict depends on the date (a list's age, a send window): `--cache` never reuses the
   * results of a run where this rule is on.
   */
  timeDependent?: boolean;
  /** Message templates by id; `{{name}}` placeholders are filled from report data. */
  messages: Record<string, string>;
  /** JSON Schema (draft 2020-12) of the rule's options object, if it takes any. */
  optionsSchema?: Record<string, unknown>;
  defaultOptions?: Record<string, unknown>;
}

export interface Rule<Options extends object = Record<string, unknown>> {
  meta: RuleMeta;
  // A rule either reports directly or returns listeners for the recipient pass; void keeps plain checks terse.
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
  check(context: RuleContext<Options>): void | RuleListeners | Promise<void | RuleListeners>;
}

// CsvHeader and CsvRecord are owned by the streaming reader (src/parsers/csv.ts).
import type { CsvDelimiter, CsvEncoding, CsvHeader, CsvProblem, CsvRecord } from '../parsers/csv.js';

/**
 * Rules that look at recipients subscribe to one shared streaming pass over
 * the recipient CSV: the list is read once whatever the number of rules.
 */
export interface RuleListeners {
  recipientsHeader?: (header: CsvHeader) => void;
  recipientRow?: (record: CsvRecord) => void;
  /** Problems of the file itself (encoding, quoting, ragged rows), never containing a cell value. */
  recipientsProblem?: (problem: CsvProblem) => void;
  recipientsEnd?: (summary: RecipientsSummary) => void | Promise<void>;
  /**
   * Called once after the recipient pass, whether or not a list was read: a verdict that waits
   * for work done meanwhile (two-person-approval's digest) is always made, never skipped.
   */
  afterPass?: () => void | Promise<void>;
}

export interface RecipientsSummary {
  /** Data records read. */
  rows: number;
  bytes: number;
  /** Absolute path of the recipient list. */
  filePath: string;
  /** The list's line break, as the reader detected it. */
  lineBreak: '\n' | '\r\n' | '\r';
  /** The delimiter and encoding it was read with: cells read back must use the same. */
  delimiter: CsvDelimiter;
  encoding: CsvEncoding;
}

export type ReportData = Record<string, string | number>;

export interface ReportDescriptor {
  messageId: string;
  data?: ReportData;
  /** Absolute path; defaults to the campaign file. */
  filePath?: string;
  loc: SourceLocation;
  /**
   * A rule whose findings come in two strengths (e.g. merge-field-defined's
   * empty values) asks for a warning here; the configured severity still caps it.
   */
  severity?: 'warn';
}

export interface RuleContext<Options extends object = Record<string, unknown>> {
  readonly ruleId: string;
  readonly options: Options;
  readonly campaign: import('./campaign.js').Campaign;
  readonly config: import('./config.js').ResolvedConfig;
  /** Masks a recipient's address or value unless the user asked for --show-pii. */
  pii(value: string): string;
  report(descriptor: ReportDescriptor): void;
}

export interface FormatterContext {
  cwd: string;
  /** Repository root: SARIF and annotations use paths relative to it. */
  rootDir: string;
  rulesMeta: ReadonlyMap<string, RuleMeta>;
  /** Text of a campaign YAML file, for code frames; undefined where no source may be shown. */
  sourceOf(filePath: string): string | undefined;
  docsUrl(ruleId: string): string;
  color: boolean;
  showPii: boolean;
  maxWarnings?: number;
  toolVersion: string;
  /** How many campaigns the run linted, for a summary line (results also hold CSVs and templates). */
  campaignCount?: number;
  /** Warnings left out of the results by --quiet, so that a summary does not call the run clean. */
  hiddenWarnings?: number;
}

/** Formatters are pure: the same results and context always give the same text. */
export type Formatter = (results: LintResult[], context: FormatterContext) => string;
