/**
 * The one resolver for the recipient list's email column. Every rule, the renderer and the
 * report ask here, so that the column the list checks read is the column the templates bind:
 * a template binds `{{Email}}` only to a header spelled exactly `Email`.
 */
import type { Campaign } from './campaign.js';
import { sniffDelimiter } from '../parsers/csv.js';
import type { CsvDelimiter, CsvEncoding, CsvHeader, CsvReadOptions } from '../parsers/csv.js';
import type { RuleContext } from './types.js';

export const DEFAULT_EMAIL_COLUMN = 'email';

export type EmailColumn =
  /** The header has a column spelled exactly as `recipients.email_column`. */
  | { ok: true; name: string; index: number }
  /**
   * Only a column that differs in case or surrounding spaces (`found`): list checks may read it,
   * but a template written with `name` binds nothing, so the locked rules must report it.
   */
  | { ok: false; reason: 'spelling'; name: string; found: string; index: number }
  /** No such column at all. */
  | { ok: false; reason: 'missing'; name: string; index: -1 }
  /** `recipients.email_column` is not a non-empty string: nothing can be bound. */
  | { ok: false; reason: 'type'; name: string; index: -1 };

/** `recipients.email_column` as written, `email` when absent; undefined when present with a wrong type or empty. */
export function emailColumnName(campaign: Campaign): string | undefined {
  if (!campaign.has(['recipients', 'email_column'])) return DEFAULT_EMAIL_COLUMN;
  const written = campaign.get(['recipients', 'email_column']);
  return typeof written === 'string' && written !== '' ? written : undefined;
}

export function resolveEmailColumn(campaign: Campaign, headerNames: readonly string[]): EmailColumn {
  const name = emailColumnName(campaign);
  if (name === undefined) return { ok: false, reason: 'type', name: String(campaign.get(['recipients', 'email_column'])), index: -1 };
  const exact = headerNames.indexOf(name);
  if (exact !== -1) return { ok: true, name, index: exact };
  const key = name.trim().toLowerCase();
  const loose = headerNames.findIndex((header) => header.trim().toLowerCase() === key);
  if (loose !== -1) return { ok: false, reason: 'spelling', name, found: headerNames[loose] ?? '', index: loose };
  return { ok: false, reason: 'missing', name, index: -1 };
}

const DELIMITER_VALUES: Readonly<Record<string, CsvDelimiter>> = { ',': ',', ';': ';', '\t': '\t', tab: '\t', '|': '|' };
const ENCODING_VALUES: Readonly<Record<string, CsvEncoding>> = {
  'utf-8': 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'windows-1252': 'windows-1252',
  latin1: 'windows-1252',
};

/**
 * How every reader of the recipient list reads it (the rules' pass, the report, `preview`, cells
 * read back): `recipients.delimiter` and `recipients.encoding` when the campaign declares them
 * (a value the schema refuses counts as undeclared), else what the reader finds (see csv.ts).
 */
export function recipientListOptions(campaign: Campaign): Pick<CsvReadOptions, 'delimiter' | 'encoding'> {
  const delimiter = campaign.get(['recipients', 'delimiter']);
  const encoding = campaign.get(['recipients', 'encoding']);
  const declaredDelimiter = typeof delimiter === 'string' ? DELIMITER_VALUES[delimiter] : undefined;
  const declaredEncoding = typeof encoding === 'string' ? ENCODING_VALUES[encoding.toLowerCase()] : undefined;
  return { ...(declaredDelimiter ? { delimiter: declaredDelimiter } : {}), ...(declaredEncoding ? { encoding: declaredEncoding } : {}) };
}

/** Header names that say "the address column", compared without case, spaces, `-`, `_` and `.`. */
const ADDRESS_COLUMN_KEYS: ReadonlySet<string> = new Set(['email', 'emailaddress', 'emailaddr', 'mail', 'mailaddress', 'emailid', 'primaryemail', 'workemail', 'courriel', 'correo', 'epost', 'emailadresse']);

/** True when a header name reads as an address column (`E-mail Address`, `Email Address`, `e_mail`, `Mail`). */
export function looksLikeEmailColumn(name: string): boolean {
  return ADDRESS_COLUMN_KEYS.has(name.toLowerCase().replace(/[\s_.-]+/g, ''));
}

export interface HeaderProblem {
  /**
   * `delimiter`: the header is one column holding another delimiter (the list is read with the
   * wrong one): every column is unknown. `email-column`: the columns are read, and none is the
   * address column.
   */
  kind: 'delimiter' | 'email-column';
  /** What is wrong and the fix, in one sentence without a cell value (column names only when the header is a header). */
  message: string;
  /** `email-column`: a column that looks like the address column, or -1. */
  suggested: number;
}

const DELIMITER_NAMES: Readonly<Record<CsvDelimiter, string>> = { ',': '","', ';': '";"', '\t': '"\\t"', '|': '"|"' };
const headerProblems = new WeakMap<CsvHeader, HeaderProblem | null>();

/**
 * Why the recipient list's header cannot be used, as one root cause with its fix, or undefined
 * when the email column resolves (exactly, or as a near-miss spelling that single-recipient-to
 * reports). The rules that depend on the columns stay quiet about what follows from it; the
 * locked rules that cannot check report it once (see `claimHeaderProblem`).
 */
export function headerProblem(campaign: Campaign, header: CsvHeader): HeaderProblem | undefined {
  const known = headerProblems.get(header);
  if (known !== undefined) return known ?? undefined;
  const found = diagnoseHeader(campaign, header);
  headerProblems.set(header, found ?? null);
  return found;
}

function diagnoseHeader(campaign: Campaign, header: CsvHeader): HeaderProblem | undefined {
  const resolved = resolveEmailColumn(campaign, header.names);
  if (resolved.ok || resolved.reason !== 'missing') return undefined;
  const declared = recipientListOptions(campaign).delimiter;
  const only = header.names.length === 1 ? (header.names[0] ?? '') : undefined;
  if (only !== undefined) {
    const likely = sniffDelimiter(only);
    const count = only.split(likely).length - 1;
    if (count > 0 && likely !== (declared ?? ',')) {
      const readWith = declared === undefined ? 'as one column' : `with \`recipients.delimiter: ${DELIMITER_NAMES[declared]}\``;
      return {
        kind: 'delimiter',
        message: `the header is read ${readWith}, and holds ${count} \`${likely === '\t' ? '\\t' : likely}\`: set \`recipients.delimiter: ${DELIMITER_NAMES[likely]}\` in the campaign`,
        suggested: -1,
      };
    }
  }
  const suggested = header.looksLikeData ? -1 : header.names.findIndex(looksLikeEmailColumn);
  const name = resolved.name;
  if (suggested === -1) {
    return { kind: 'email-column', message: `the list has no \`${name}\` column (\`recipients.email_column\`): add it, or name the address column in \`recipients.email_column\``, suggested };
  }
  const found = header.names[suggested] ?? '';
  const binding = /^[A-Za-z_$][\w$-]*$/.test(found) ? `{{${found}}}` : `{{[${found}]}}`;
  return {
    kind: 'email-column',
    message: `the list has no \`${name}\` column, and column ${suggested + 1} \`${found}\` looks like the address column: rename it \`${name}\`, or set \`recipients.email_column: ${JSON.stringify(found)}\` and write \`${binding}\` in \`to\``,
    suggested,
  };
}

const claims = new WeakMap<CsvHeader, string>();

/**
 * True when the calling rule is the one to report the header's problem: the first locked rule
 * at error severity that asks, during `recipientsHeader`. A locked rule that cannot check
 * fails closed, and one error is enough: the others (and unlocked rules) stay quiet. A rule
 * that is not locked, or not at error, never claims, so the one error is always a locked one.
 */
export function claimHeaderProblem(context: RuleContext<never> | RuleContext, header: CsvHeader): boolean {
  const { config, ruleId } = context;
  if (!config.locked.has(ruleId) || config.rules.get(ruleId)?.severity !== 2) return false;
  const claimed = claims.get(header);
  if (claimed === undefined) claims.set(header, ruleId);
  return (claimed ?? ruleId) === ruleId;
}

/** True when a locked rule has claimed the header's problem (ask from `recipientsEnd`, after every header listener). */
export function headerProblemClaimed(header: CsvHeader): boolean {
  return claims.has(header);
}
