/**
 * The audience figures of the reviewer's report, from one light pass of its own over the
 * recipient list. The report does not derive them from findings: recipient rules may be
 * switched off, or cap their findings with one "… and N more" summary, and the figures must
 * stay exact either way.
 *
 * What is kept in memory: the recipient and suppression addresses in compact sets (also used
 * to make sure none of them reaches the page) and the cells of one sample row.
 */
import { stat } from 'node:fs/promises';
import { AddressSet } from '../core/address-set.js';
import { isValidAddress, trimAddress } from '../core/address.js';
import type { Campaign } from '../core/campaign.js';
import { DEFAULT_EMAIL_COLUMN, emailColumnName, recipientListOptions, resolveEmailColumn } from '../core/columns.js';
import type { ResolvedConfig } from '../core/config.js';
import { isInside, resolvesInside, toPosixRelative } from '../core/paths.js';
import { recipientsPath } from '../core/recipients.js';
import type { CampaignTemplate } from '../core/templates.js';
import { readCsv } from '../parsers/csv.js';
import { readSuppressionList } from '../parsers/suppression.js';
import { STOPPING_PROBLEMS } from '../parsers/csv.js';
import { maskPii } from '../core/mask.js';

export type ColumnUse = 'email' | 'consent' | 'template' | 'allowed';

export interface ColumnInfo {
  name: string;
  uses: ColumnUse[];
  /** Labels of the templates that use it (`subject`, `body.html`…). */
  templates: string[];
}

export interface SuppressionListInfo {
  /** Repository-relative path. */
  path: string;
  /** `campaign` (its `suppress` list) or `config` (the config's `suppression` globs). */
  source: 'campaign' | 'config';
  entries: number;
  /** Why it could not be read; no cell values. */
  problem?: string;
}

export interface AudienceSummary {
  /** Repository-relative path of the recipient list, as resolved. */
  file: string | undefined;
  /** Set when the list cannot be read at all; the figures are then zero. */
  unavailable?: string;
  rows: number;
  expectedCount: number | undefined;
  emailColumn: string;
  invalid: number;
  duplicate: number;
  suppressed: number;
  consent: { column: string | undefined; present: boolean; given: number; missing: number };
  columns: ColumnInfo[];
  /** Structural CSV problems (ragged rows, bad quotes…); details are in the findings. */
  csvProblems: number;
  suppressionLists: SuppressionListInfo[];
}

export interface SampleRow {
  /** 1-based record number (header excluded). */
  index: number;
  line: number;
  /** Column name → cell, for the header's columns. */
  values: Record<string, string>;
  /** Why this row: the first one that would really be sent, or only the first valid one. */
  sendable: boolean;
}

export interface AudienceResult {
  summary: AudienceSummary;
  sample: SampleRow | undefined;
  /** Every recipient and suppression address, normalised: nothing in them may reach the page. */
  personalAddresses: AddressSet[];
}

const CONSENT = /^(?:yes|true|y|1)$/i;

export async function summarizeAudience(campaign: Campaign, config: ResolvedConfig, templates: readonly CampaignTemplate[]): Promise<AudienceResult> {
  const setOptions = { caseSensitiveLocalPart: config.caseSensitiveLocalPart };
  const suppressed = new AddressSet(setOptions);
  const suppressionLists = await readSuppressionLists(campaign, config, suppressed);

  const emailColumn = emailColumnName(campaign) ?? DEFAULT_EMAIL_COLUMN;
  const consentColumn = campaign.string(['recipients', 'consent_column']);
  const expected = campaign.get(['recipients', 'expected_count']);
  const allowed = campaign.get(['recipients', 'allowed_columns']);
  const allowedColumns = new Set(Array.isArray(allowed) ? allowed.filter((name): name is string => typeof name === 'string') : []);
  const written = campaign.string(['recipients', 'file']);
  const resolved = written === undefined ? undefined : campaign.resolve(written);

  const summary: AudienceSummary = {
    file: resolved?.ok === true ? toPosixRelative(config.rootDir, resolved.path) : written,
    rows: 0,
    expectedCount: typeof expected === 'number' && Number.isInteger(expected) && expected >= 0 ? expected : undefined,
    emailColumn,
    invalid: 0,
    duplicate: 0,
    suppressed: 0,
    consent: { column: consentColumn, present: false, given: 0, missing: 0 },
    columns: [],
    csvProblems: 0,
    suppressionLists,
  };
  const recipients = new AddressSet(setOptions);
  const personalAddresses = [recipients, suppressed];

  const path = await recipientsPath(campaign);
  if (path === undefined) {
    summary.unavailable = written === undefined ? 'the campaign names no recipient list' : resolved?.ok === false ? `the recipient list path ${resolved.reason}` : 'the recipient list does not exist';
    return { summary, sample: undefined, personalAddresses };
  }

  const fieldUses = new Map<string, Set<string>>();
  for (const template of templates) {
    if (!template.parsed.ok) continue;
    for (const field of template.parsed.fields) {
      const labels = fieldUses.get(field.name) ?? new Set<string>();
      labels.add(template.label);
      fieldUses.set(field.name, labels);
    }
  }

  let names: string[] = [];
  let emailIndex = -1;
  let consentIndex = -1;
  let sample: SampleRow | undefined;
  let fallback: SampleRow | undefined;
  let stopped: string | undefined;
  await readCsv(path, {
    onHeader(header) {
      names = header.names;
      emailIndex = resolveEmailColumn(campaign, names).index;
      consentIndex = consentColumn === undefined ? -1 : names.indexOf(consentColumn);
      summary.consent.present = consentIndex !== -1;
      summary.columns = names.map((name, index) => {
        const uses: ColumnUse[] = [];
        if (index === emailIndex) uses.push('email');
        if (name === consentColumn) uses.push('consent');
        const labels = [...(fieldUses.get(name) ?? [])];
        if (labels.length > 0) uses.push('template');
        if (allowedColumns.has(name)) uses.push('allowed');
        // A first row that is data (no header row): its cells are printed masked, like data.
        return { name: header.looksLikeData ? maskPii(name) : name, uses, templates: labels };
      });
    },
    onRecord(record) {
      summary.rows++;
      const address = emailIndex === -1 ? undefined : record.fields[emailIndex];
      const valid = address !== undefined && isValidAddress(trimAddress(address));
      if (!valid) summary.invalid++;
      let repeated = false;
      let onList = false;
      if (address !== undefined && trimAddress(address) !== '') {
        repeated = recipients.addOrGet(address, record.line) !== 0;
        if (repeated) summary.duplicate++;
        onList = suppressed.has(address);
        if (onList) summary.suppressed++;
      }
      let consented = true;
      if (consentIndex !== -1) {
        consented = CONSENT.test((record.fields[consentIndex] ?? '').trim());
        if (consented) summary.consent.given++;
        else summary.consent.missing++;
      }
      if (sample !== undefined || !valid) return;
      const row = (sendable: boolean): SampleRow => ({
        index: record.index,
        line: record.line,
        values: Object.fromEntries(names.map((name, at) => [name, record.fields[at] ?? ''])),
        sendable,
      });
      if (!repeated && !onList && consented) sample = row(true);
      else fallback ??= row(false);
    },
    onProblem(problem) {
      summary.csvProblems++;
      if (STOPPING_PROBLEMS.has(problem.kind)) stopped = problem.message;
    },
  }, recipientListOptions(campaign));
  if (stopped !== undefined) summary.unavailable = `the recipient list cannot be read to the end: ${stopped}`;
  return { summary, sample: sample ?? fallback, personalAddresses };
}

/** The campaign's own `suppress` lists and the config's `suppression` globs, each read once. */
async function readSuppressionLists(campaign: Campaign, config: ResolvedConfig, into: AddressSet): Promise<SuppressionListInfo[]> {
  const lists = new Map<string, SuppressionListInfo>();
  const problems: SuppressionListInfo[] = [];
  const suppress = campaign.get(['suppress']);
  for (const written of Array.isArray(suppress) ? suppress : []) {
    if (typeof written !== 'string') continue;
    const resolved = campaign.resolve(written);
    if (!resolved.ok) {
      problems.push({ path: written, source: 'campaign', entries: 0, problem: `the path ${resolved.reason}` });
      continue;
    }
    lists.set(resolved.path, { path: toPosixRelative(config.rootDir, resolved.path), source: 'campaign', entries: 0 });
  }
  if (config.suppression.length > 0) {
    // Loaded when a glob runs: tinyglobby's fdir loads picomatch from node_modules on import (≈ 15 ms of start-up).
    const { glob } = await import('tinyglobby');
    const matched = await glob(config.suppression, { cwd: config.baseDir, absolute: true, onlyFiles: true, ignore: ['**/node_modules/**', '**/.git/**'] });
    for (const file of matched.sort()) {
      if (!isInside(config.rootDir, file) || !resolvesInside(config.rootDir, file) || lists.has(file)) continue;
      lists.set(file, { path: toPosixRelative(config.rootDir, file), source: 'config', entries: 0 });
    }
  }
  for (const [file, info] of lists) {
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
    } catch {
      info.problem = 'the file does not exist';
      continue;
    }
    await readSuppressionList(file, {
      onAddress(address, record) {
        info.entries++;
        into.addOrGet(address, Math.max(1, record.line));
      },
      onProblem(problem) {
        if (problem.kind === 'missing-column' || problem.kind === 'read-error' || problem.kind === 'unterminated-quote') info.problem = problem.message;
      },
    });
  }
  return [...lists.values(), ...problems];
}
