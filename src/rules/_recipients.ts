/**
 * Shared state of the recipient rules for one campaign. The rules run in one streaming pass
 * over lists of millions of rows, so work that several of them need per row (finding the email
 * column, encoding the row's address) is done once here, and the suppression lists are read
 * once however many rules ask. Not a rule: the `_` prefix keeps it out of the rule registry.
 */
import { stat } from 'node:fs/promises';
import { AddressEncoder, AddressSet } from '../core/address-set.js';
import { AddressPlaces, readCells } from '../core/duplicates.js';
import type { AddressPlace, ListSource } from '../core/duplicates.js';
import type { Campaign } from '../core/campaign.js';
import type { ResolvedConfig } from '../core/config.js';
import { isInside, toPosixRelative } from '../core/paths.js';
import type { RuleContext, SourceLocation } from '../core/types.js';
import { findColumn, isBlank, readSuppressionList } from '../parsers/csv.js';
import type { CsvHeader, CsvProblem, CsvRecord } from '../parsers/csv.js';

/**
 * Row findings one rule reports per campaign before it sums up the rest in one finding: a
 * broken list of a million rows must not print a million lines.
 */
export const MAX_ROW_FINDINGS = 100;

/** `recipients.email_column`, default `email`. */
export function emailColumnName(campaign: Campaign): string {
  return campaign.string(['recipients', 'email_column']) ?? 'email';
}

export { findColumn } from '../parsers/csv.js';

/**
 * The current row's address, encoded once per row for every rule that compares addresses
 * (duplicate, suppressed, leak). Rules call `encode(record)`; the first call of a row encodes,
 * the others reuse the result.
 */
export class RowAddress {
  readonly encoder: AddressEncoder;
  /** Index of the email column, -1 until the header is read or when it has none. */
  column = -1;
  private last: CsvRecord | undefined;
  private lastIndex = 0;
  private lastEmpty = true;

  constructor(caseSensitiveLocalPart: boolean) {
    this.encoder = new AddressEncoder({ caseSensitiveLocalPart });
  }

  setHeader(header: CsvHeader, campaign: Campaign): void {
    this.column = findColumn(header.names, emailColumnName(campaign));
  }

  /** The encoder holding this row's normalised address, or undefined when the row has none. */
  encode(record: CsvRecord): AddressEncoder | undefined {
    // Records are one object updated in place: the index tells rows apart.
    if (record !== this.last || record.index !== this.lastIndex) {
      this.last = record;
      this.lastIndex = record.index;
      const value = this.column === -1 ? undefined : record.fields[this.column];
      this.lastEmpty = value === undefined || isBlank(value);
      if (value !== undefined && !this.lastEmpty) this.encoder.encode(value);
    }
    return this.lastEmpty ? undefined : this.encoder;
  }
}


const rowAddresses = new WeakMap<Campaign, RowAddress>();

export function rowAddressOf(campaign: Campaign, config: ResolvedConfig): RowAddress {
  let shared = rowAddresses.get(campaign);
  if (!shared) {
    shared = new RowAddress(config.caseSensitiveLocalPart);
    rowAddresses.set(campaign, shared);
  }
  return shared;
}

/**
 * Hash and place of every row's address, for the rules that compare addresses once the pass is
 * over (duplicate, suppressed): kept once per row however many of them ask.
 */
export class RowPlaces {
  readonly places = new AddressPlaces();
  private lastIndex = 0;

  constructor(readonly row: RowAddress) {}

  add(record: CsvRecord): void {
    // Records are one object updated in place, with increasing indexes: a second rule's call is a no-op.
    if (record.index === this.lastIndex) return;
    this.lastIndex = record.index;
    const encoded = this.row.encode(record);
    if (encoded === undefined) return;
    const column = this.row.column;
    const at = column === 0 ? undefined : record.fieldLocation(column);
    this.places.add(encoded.hash, at?.line ?? record.line, at?.column ?? 1, record.byteOffset);
  }
}

const rowPlaces = new WeakMap<Campaign, RowPlaces>();

export function rowPlacesOf(campaign: Campaign, config: ResolvedConfig): RowPlaces {
  let shared = rowPlaces.get(campaign);
  if (!shared) {
    shared = new RowPlaces(rowAddressOf(campaign, config));
    rowPlaces.set(campaign, shared);
  }
  return shared;
}

/**
 * Reports row findings up to MAX_ROW_FINDINGS, then counts the rest and reports them as one
 * `more` finding (every capped rule has a `more` message with `{{count}}`) at the first row
 * left out.
 */
export class CappedReporter {
  private reported = 0;
  private omitted = 0;
  private firstOmitted: SourceLocation | undefined;

  constructor(
    private readonly context: RuleContext<never> | RuleContext,
    private readonly filePath: string | undefined,
    private readonly limit = MAX_ROW_FINDINGS,
  ) {}

  /** False when the cap is reached: the caller may skip building the finding. */
  get open(): boolean {
    return this.reported < this.limit;
  }

  report(messageId: string, data: Record<string, string | number>, loc: SourceLocation, severity?: 'warn'): void {
    this.reported++;
    this.context.report({ messageId, data, loc, ...(this.filePath === undefined ? {} : { filePath: this.filePath }), ...(severity ? { severity } : {}) });
  }

  /** A finding past the cap: counted, and its place kept if it is the first. */
  skip(loc: () => SourceLocation): void {
    if (this.omitted === 0) this.firstOmitted = loc();
    this.omitted++;
  }

  finish(): void {
    if (this.omitted === 0 || this.firstOmitted === undefined) return;
    this.context.report({
      messageId: 'more',
      data: { count: this.omitted, limit: this.limit },
      loc: this.firstOmitted,
      ...(this.filePath === undefined ? {} : { filePath: this.filePath }),
    });
  }
}

export interface SuppressionSource {
  /** Absolute path. */
  filePath: string;
  /** Path for messages: relative to the repository root. */
  displayPath: string;
}

export interface SuppressionProblem {
  kind: 'missing' | 'outside' | 'empty-glob' | 'csv';
  /** What the user wrote: a `suppress` entry or a config glob. */
  written: string;
  /** Index in the campaign's `suppress` list, for campaign entries. */
  index?: number;
  reason: string;
  /** For `csv`: the file and the problem at its line. */
  source?: SuppressionSource;
  problem?: CsvProblem;
}

export interface SuppressionData {
  set: AddressSet;
  /**
   * One bit per hash bucket, set for every entry: most recipients are on no list, and this
   * bit array (≈ 16 bits per entry, 128 KiB for 100k) answers "no" from the cache, where the
   * set's table would cost a cache miss per row (measured ≈ 0.2 s on 1M rows).
   */
  filter: Uint32Array;
  filterMask: number;
  sources: SuppressionSource[];
  /** `set` values are ordinals; entry `i` is the first ordinal of source `i`. */
  firstOrdinal: number[];
  /** Line of ordinal `n` at `lines[n - 1]`. */
  lines: Uint32Array;
  problems: SuppressionProblem[];
}

const suppressionCache = new WeakMap<Campaign, Promise<SuppressionData>>();

/** Every suppression list of a campaign (its `suppress` entries and the config's globs), read once. */
export function suppressionOf(campaign: Campaign, config: ResolvedConfig): Promise<SuppressionData> {
  let loaded = suppressionCache.get(campaign);
  if (!loaded) {
    loaded = loadSuppression(campaign, config);
    suppressionCache.set(campaign, loaded);
  }
  return loaded;
}

export interface SuppressedRow {
  place: AddressPlace;
  /** The row's cell as written, trimmed. */
  address: string;
  /** The address's ordinal in the suppression set (see `suppressionEntry`). */
  ordinal: number;
}

/**
 * The rows of the recipient list whose address is on a suppression list, in list order. Done
 * once the pass is over, from the rows' hashes: the few rows whose hash a suppressed address
 * has are read back from the file and looked up exactly. The lists are then read after the
 * recipient list, by code the pass has made fast, and no row pays a look-up.
 */
export async function findSuppressed(rows: RowPlaces, data: SuppressionData, source: ListSource): Promise<SuppressedRow[]> {
  const { set, filter, filterMask } = data;
  if (set.size === 0) return [];
  const candidates = rows.places.select((hash) => {
    const bit = hash & filterMask;
    return ((filter[bit >>> 5] ?? 0) & (1 << (bit & 31))) !== 0 && set.hasHash(hash);
  });
  if (candidates.length === 0) return [];
  const cells = await readCells(candidates, rows.places.size, source);
  const suppressed: SuppressedRow[] = [];
  for (const place of candidates) {
    const cell = cells.get(place.entry);
    if (cell === undefined) continue;
    const ordinal = set.getEncoded(cell);
    if (ordinal !== 0) suppressed.push({ place, address: cell.address, ordinal });
  }
  return suppressed;
}

/** Where a suppression list came from in the source, once the ordinal is known. */
export function suppressionEntry(data: SuppressionData, ordinal: number): { source: SuppressionSource; line: number } | undefined {
  let index = data.firstOrdinal.length - 1;
  while (index > 0 && (data.firstOrdinal[index] ?? 0) > ordinal) index--;
  const source = data.sources[index];
  return source ? { source, line: data.lines[ordinal - 1] ?? 0 } : undefined;
}

async function loadSuppression(campaign: Campaign, config: ResolvedConfig): Promise<SuppressionData> {
  const problems: SuppressionProblem[] = [];
  const files: { path: string; written: string; index?: number }[] = [];
  const suppress = campaign.get(['suppress']);
  if (Array.isArray(suppress)) {
    suppress.forEach((written: unknown, index) => {
      if (typeof written !== 'string') return;
      const resolved = campaign.resolve(written);
      if (!resolved.ok) problems.push({ kind: 'outside', written, index, reason: resolved.reason });
      else files.push({ path: resolved.path, written, index });
    });
  }
  for (const pattern of config.suppression) {
    // Loaded when a glob runs: tinyglobby's fdir loads picomatch from node_modules on import (≈ 15 ms of start-up).
    const { glob } = await import('tinyglobby');
    const matched = (await glob([pattern], { cwd: config.baseDir, absolute: true, dot: true, onlyFiles: true })).sort();
    const inside = matched.filter((path) => isInside(config.rootDir, path));
    if (inside.length === 0) problems.push({ kind: 'empty-glob', written: pattern, reason: 'matches no file' });
    for (const path of inside) files.push({ path, written: toPosixRelative(config.rootDir, path) });
  }
  // Sized from the files' bytes (an address line is rarely under 20 bytes), so that the table
  // and the line list are allocated once rather than grown and copied: every fresh MB costs.
  let totalBytes = 0;
  for (const file of files) totalBytes += await fileSize(file.path);
  const expectedSize = Math.ceil(totalBytes / 20);
  const set = new AddressSet({ caseSensitiveLocalPart: config.caseSensitiveLocalPart, expectedSize });
  const encoder = new AddressEncoder({ caseSensitiveLocalPart: config.caseSensitiveLocalPart });
  const sources: SuppressionSource[] = [];
  const firstOrdinal: number[] = [];
  let lines = new Uint32Array(Math.max(1024, expectedSize));
  let ordinal = 0;
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    const source = { filePath: file.path, displayPath: toPosixRelative(config.rootDir, file.path) };
    sources.push(source);
    firstOrdinal.push(ordinal + 1);
    const where = file.index === undefined ? {} : { index: file.index };
    await readSuppressionList(file.path, {
      onAddress(address, record) {
        if (isBlank(address)) return;
        // An address listed twice keeps its first place; ordinals only grow for new entries.
        encoder.encode(address);
        if (set.addOrGetEncoded(encoder, ordinal + 1) !== 0) return;
        ordinal++;
        if (ordinal > lines.length) {
          const grown = new Uint32Array(lines.length * 2);
          grown.set(lines);
          lines = grown;
        }
        lines[ordinal - 1] = record.line;
      },
      onProblem(problem) {
        if (problem.kind === 'read-error' && problem.message.includes('ENOENT')) {
          problems.push({ kind: 'missing', written: file.written, ...where, reason: 'does not exist' });
          return;
        }
        problems.push({ kind: 'csv', written: file.written, ...where, reason: problem.message, source, problem });
      },
    });
  }
  let bits = 1 << 10;
  while (bits < set.size * 16) bits *= 2;
  const filter = new Uint32Array(bits >>> 5);
  const filterMask = bits - 1;
  set.forEachHash((hash) => {
    const bit = hash & filterMask;
    filter[bit >>> 5] = (filter[bit >>> 5] ?? 0) | (1 << (bit & 31));
  });
  return { set, sources, firstOrdinal, lines, problems, filter, filterMask };
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** 1-based line and column of UTF-16 offset `index` in `text`. */
export function positionAt(text: string, index: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: index - lineStart + 1 };
}
