/**
 * Shared state of the recipient rules for one campaign. The rules run in one streaming pass
 * over lists of millions of rows, so work that several of them need per row (finding the email
 * column, encoding the row's address) is done once here, and the suppression lists are read
 * once however many rules ask. Not a rule: the `_` prefix keeps it out of the rule registry.
 */
import { AddressEncoder, AddressSet } from '../core/address-set.js';
import { valueClasses } from '../core/envelope.js';
import { isValidAddress, isValidAddressBytes, trimAddress } from '../core/address.js';
import type { EncodedAddress } from '../core/address-set.js';
import { AddressPlaces, readCells, sameKey } from '../core/duplicates.js';
import type { AddressPlace, ListSource, ReadCell } from '../core/duplicates.js';
import type { Campaign } from '../core/campaign.js';
import type { ResolvedConfig } from '../core/config.js';
import { isInside, resolveInside, toPosixRelative } from '../core/paths.js';
import { refSuppressionLists } from '../core/policy-lists.js';
import type { RuleContext, SourceLocation } from '../core/types.js';
import { DEFAULT_EMAIL_COLUMN, emailColumnName as writtenEmailColumn, resolveEmailColumn } from '../core/columns.js';
import { isBlank } from '../parsers/csv.js';
import { extractAddress, readSuppressionList } from '../parsers/suppression.js';
import type { CsvDelimiter, CsvEncoding, CsvHeader, CsvProblem, CsvRecord } from '../parsers/csv.js';

/**
 * Row findings one rule reports per campaign before it sums up the rest in one finding: a
 * broken list of a million rows must not print a million lines.
 */
export const MAX_ROW_FINDINGS = 100;

/** `recipients.email_column`, default `email` (also when written with a wrong type, which single-recipient-to reports). */
export function emailColumnName(campaign: Campaign): string {
  return writtenEmailColumn(campaign) ?? DEFAULT_EMAIL_COLUMN;
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
    // The one resolver: an exact column, or one that differs only in case or spaces (which
    // single-recipient-to reports as an error; the list checks still read it).
    const resolved = resolveEmailColumn(campaign, header.names);
    this.column = resolved.index;
  }

  private validIndex = 0;
  private validValue = false;

  /**
   * True when the row's address is ASCII and valid by the WHATWG grammar (no space, special,
   * second `@` or control character), computed once per row for every rule that asks.
   */
  validAscii(record: CsvRecord): boolean {
    if (record.index !== this.validIndex) {
      const encoded = this.encode(record);
      this.validIndex = record.index;
      this.validValue = encoded !== undefined && encoded.ascii && isValidAddressBytes(encoded.bytes, encoded.length);
    }
    return this.validValue;
  }

  /**
   * True when the row's address is a valid email address (rule `recipient-email-valid`, and
   * `fix-list`, which drops the rows that rule reports): valid ASCII by the WHATWG grammar, or a
   * valid internationalised address.
   */
  valid(record: CsvRecord): boolean {
    const raw = this.column === -1 ? undefined : record.fields[this.column];
    if (raw === undefined) return false;
    const encoded = this.encode(record);
    return this.validAscii(record) || (encoded !== undefined && !encoded.ascii && isValidAddress(trimAddress(raw)));
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
 * The locked rules' per-row checks, computed once per row for all of them: each value's
 * character classes (`valueClasses`: unsafe in a display name, quoted or not, holds an `@`) for
 * single-recipient-to, sender-address and rendered-message, and whether the row's address is
 * one written in the campaign (the sender, reply-to) for sender-address and rendered-message.
 * Each rule still reads the answers for its own columns and reports its own findings: this
 * module decides nothing, it only spares the second look at the same characters.
 */
export class RowChecks {
  private last: CsvRecord | undefined;
  private lastIndex = 0;
  /** A number per row seen; a column's bits are this row's when its stamp equals it. */
  private generation = 0;
  private stamps = new Float64Array(8);
  private bits = new Uint8Array(8);
  private readonly watched: AddressSet;
  private watchedGeneration = 0;
  private watchedHit = 0;

  constructor(
    readonly row: RowAddress,
    caseSensitiveLocalPart: boolean,
  ) {
    this.watched = new AddressSet({ caseSensitiveLocalPart });
  }

  private sync(record: CsvRecord): void {
    // Records are one object updated in place: the index tells rows apart.
    if (record !== this.last || record.index !== this.lastIndex) {
      this.last = record;
      this.lastIndex = record.index;
      this.generation++;
    }
  }

  /** `valueClasses` of the row's value in `column` (0 when the row has no such field). */
  classes(record: CsvRecord, column: number): number {
    this.sync(record);
    if (column >= this.stamps.length) {
      const size = Math.max(column + 1, this.stamps.length * 2);
      const stamps = new Float64Array(size);
      stamps.set(this.stamps);
      const bits = new Uint8Array(size);
      bits.set(this.bits);
      this.stamps = stamps;
      this.bits = bits;
    }
    if (this.stamps[column] === this.generation) return this.bits[column] ?? 0;
    const value = record.fields[column];
    const bits = value === undefined ? 0 : valueClasses(value);
    this.stamps[column] = this.generation;
    this.bits[column] = bits;
    return bits;
  }

  /**
   * Adds an address written in the campaign that every row's address is compared with, before
   * the pass. Returns its number (the same for the same normalised address, whoever adds it).
   */
  watch(address: string): number {
    const next = this.watched.size + 1;
    const known = this.watched.addOrGet(address, next);
    return known === 0 ? next : known;
  }

  get watching(): boolean {
    return this.watched.size > 0;
  }

  /** The number `watch` gave the address this row's address equals (normalised), 0 when none. */
  watchedAddress(record: CsvRecord): number {
    this.sync(record);
    if (this.watchedGeneration !== this.generation) {
      this.watchedGeneration = this.generation;
      const encoded = this.watched.size === 0 ? undefined : this.row.encode(record);
      this.watchedHit = encoded === undefined ? 0 : this.watched.getEncoded(encoded);
    }
    return this.watchedHit;
  }
}

const rowChecks = new WeakMap<Campaign, RowChecks>();

export function rowChecksOf(campaign: Campaign, config: ResolvedConfig): RowChecks {
  let shared = rowChecks.get(campaign);
  if (!shared) {
    shared = new RowChecks(rowAddressOf(campaign, config), config.caseSensitiveLocalPart);
    rowChecks.set(campaign, shared);
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
  /**
   * `invalid-entry`: an entry that yields no valid address, at `location` (`entry` is its cell
   * as written: mask it); `empty-list`: a list with an address column and no valid address;
   * `more`: `count` problems of the list past MAX_ROW_FINDINGS, the first at `location`.
   */
  kind: 'missing' | 'outside' | 'empty-glob' | 'csv' | 'invalid-entry' | 'empty-list' | 'more';
  /** What the user wrote: a `suppress` entry or a config glob. */
  written: string;
  /** Index in the campaign's `suppress` list, for campaign entries. */
  index?: number;
  reason: string;
  /** For `csv`: the file and the problem at its line. */
  source?: SuppressionSource;
  problem?: CsvProblem;
  location?: SourceLocation;
  entry?: string;
  count?: number;
}

/** One suppression list as read: where its entries are in `SuppressionData.places`. */
interface SuppressionList {
  source: SuppressionSource;
  /** Its first entry in `places`; its entries run to the next list's first. */
  firstEntry: number;
  /** Index of its address column, and its line break: what reading cells back needs. */
  column: number;
  lineBreak: '\n' | '\r\n' | '\r';
  delimiter: CsvDelimiter;
  encoding: CsvEncoding;
  /** Byte offset of its first row when that row is an entry (a header-less list). */
  firstRowOffset?: number;
}

/**
 * Every suppression list of a campaign, kept like the recipient list: each address's hash and
 * place (12 bytes), not the address. An address is on a list only when a cell read back from
 * it has the same bytes: a hash alone never suppresses anyone. Keeping the addresses as keys
 * in a table measured ≈ 45 ms of the 1M-row bench for 100k entries, mostly fresh memory.
 */
export interface SuppressionData {
  places: AddressPlaces;
  lists: SuppressionList[];
  /** Every entry's hash in increasing order, and the entries (in list order where equal). */
  sortedHashes: Uint32Array;
  sortedEntries: Uint32Array;
  /**
   * One bit per hash bucket, set for every entry: most recipients are on no list, and this
   * bit array (≈ 16 bits per entry, 128 KiB for 100k) answers "no" from the cache.
   */
  filter: Uint32Array;
  filterMask: number;
  caseSensitiveLocalPart: boolean;
  problems: SuppressionProblem[];
}

/** A list entry that holds a given address: the first one, in list order, then line order. */
export interface SuppressionEntry {
  source: SuppressionSource;
  line: number;
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

/** Where in `sortedHashes` the entries with `hash` are: [first, end). */
function hashRange(data: SuppressionData, hash: number): [number, number] {
  const { sortedHashes } = data;
  let low = 0;
  let high = sortedHashes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sortedHashes[middle] ?? 0) < hash) low = middle + 1;
    else high = middle;
  }
  let end = low;
  while (end < sortedHashes.length && sortedHashes[end] === hash) end++;
  return [low, end];
}

/** True when some entry has this hash (its address may be on a list; only reading it back says). */
function mayBeSuppressed(data: SuppressionData, hash: number): boolean {
  const bit = hash & data.filterMask;
  if (((data.filter[bit >>> 5] ?? 0) & (1 << (bit & 31))) === 0) return false;
  const [first, end] = hashRange(data, hash);
  return end > first;
}

/**
 * For each address written in the campaign (a sender, a token in a template, an address a
 * message shows), the first suppression-list entry holding it, or undefined: the few written
 * addresses are encoded and looked up, the lists read back only for their candidates.
 */
export async function suppressedWrittenAddresses(campaign: Campaign, config: ResolvedConfig, addresses: readonly string[]): Promise<(SuppressionEntry | undefined)[]> {
  if (addresses.length === 0) return [];
  const suppression = await suppressionOf(campaign, config);
  const encoder = new AddressEncoder({ caseSensitiveLocalPart: config.caseSensitiveLocalPart });
  return suppressionEntries(
    suppression,
    addresses.map((address) => {
      encoder.encode(address);
      return encoder.copy();
    }),
  );
}

/**
 * For each address, the first list entry holding it, or undefined. The entries whose hash one of
 * the addresses has are read back from their lists and compared exactly.
 */
export async function suppressionEntries(data: SuppressionData, addresses: readonly EncodedAddress[]): Promise<(SuppressionEntry | undefined)[]> {
  const wantedHashes = new Set<number>();
  for (const address of addresses) if (mayBeSuppressed(data, address.hash)) wantedHashes.add(address.hash);
  if (wantedHashes.size === 0) return addresses.map(() => undefined);
  const wanted = data.places.select((hash) => wantedHashes.has(hash));
  const places = new Map(wanted.map((place) => [place.entry, place]));
  const cells = new Map<number, ReadCell>();
  for (const [index, list] of data.lists.entries()) {
    const end = data.lists[index + 1]?.firstEntry ?? data.places.size;
    const ofList = wanted.filter((place) => place.entry >= list.firstEntry && place.entry < end);
    if (ofList.length === 0) continue;
    const source = {
      filePath: list.source.filePath,
      column: list.column,
      lineBreak: list.lineBreak,
      delimiter: list.delimiter,
      encoding: list.encoding,
      cellValue: extractAddress,
      ...(list.firstRowOffset === undefined ? {} : { firstRowOffset: list.firstRowOffset }),
      caseSensitiveLocalPart: data.caseSensitiveLocalPart,
    };
    for (const [entry, cell] of await readCells(ofList, end - list.firstEntry, source)) cells.set(entry, cell);
  }
  return addresses.map((address) => {
    if (!wantedHashes.has(address.hash)) return undefined;
    const [first, end] = hashRange(data, address.hash);
    for (let at = first; at < end; at++) {
      const entry = data.sortedEntries[at] ?? 0;
      const cell = cells.get(entry);
      const place = places.get(entry);
      if (cell === undefined || place === undefined || !sameKey(cell, address)) continue;
      return { source: listOf(data, entry).source, line: place.line };
    }
    return undefined;
  });
}

function listOf(data: SuppressionData, entry: number): SuppressionList {
  let index = data.lists.length - 1;
  while (index > 0 && (data.lists[index]?.firstEntry ?? 0) > entry) index--;
  const list = data.lists[index];
  if (list === undefined) throw new Error('suppression entry outside every list');
  return list;
}

export interface SuppressedRow {
  place: AddressPlace;
  /** The row's cell as written, trimmed. */
  address: string;
  entry: SuppressionEntry;
}

/**
 * The rows of the recipient list whose address is on a suppression list, in list order. Done
 * once the pass is over, from the rows' hashes: the few rows whose hash a suppressed address
 * has are read back from the file, with the list entries of that hash, and compared exactly.
 * The lists are then read after the recipient list, by code the pass has made fast, and no
 * row pays a look-up.
 */
export async function findSuppressed(rows: RowPlaces, data: SuppressionData, source: ListSource): Promise<SuppressedRow[]> {
  if (data.places.size === 0) return [];
  const candidates = rows.places.select((hash) => mayBeSuppressed(data, hash));
  if (candidates.length === 0) return [];
  const cells = await readCells(candidates, rows.places.size, source);
  const read = candidates.flatMap((place) => {
    const cell = cells.get(place.entry);
    return cell === undefined ? [] : [{ place, cell }];
  });
  const entries = await suppressionEntries(
    data,
    read.map(({ cell }) => cell),
  );
  return read.flatMap(({ place, cell }, index) => {
    const entry = entries[index];
    return entry === undefined ? [] : [{ place, address: cell.address, entry }];
  });
}

async function loadSuppression(campaign: Campaign, config: ResolvedConfig): Promise<SuppressionData> {
  const problems: SuppressionProblem[] = [];
  /** `fromRef`: the trusted ref's copy of a policy-named list, read besides the working tree's (src/core/policy-lists.ts). */
  const files: { path: string; written: string; index?: number; fromRef?: string }[] = [];
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
    // The safe reader's check: a matched symlink out of the repository, or a FIFO, is a finding, never a silent skip.
    for (const path of inside) {
      const written = toPosixRelative(config.rootDir, path);
      const resolved = resolveInside(config.rootDir, config.rootDir, written);
      if (resolved.ok) files.push({ path, written });
      else problems.push({ kind: 'outside', written, reason: resolved.reason });
    }
    for (const list of await refSuppressionLists(config, pattern)) files.push({ path: list.path, written: list.displayPath, fromRef: list.displayPath });
  }
  const places = new AddressPlaces();
  const lists: SuppressionList[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    const source = { filePath: file.path, displayPath: file.fromRef ?? toPosixRelative(config.rootDir, file.path) };
    const firstEntry = places.size;
    const where = file.index === undefined ? {} : { index: file.index };
    // A list's problems and bad entries, up to MAX_ROW_FINDINGS, then counted.
    let listed = 0;
    let more: SuppressionProblem | undefined;
    const keep = (problem: () => SuppressionProblem, location: () => SourceLocation): void => {
      // The ref's copy only adds suppressions: its own problems belong to the commit that made them.
      if (file.fromRef !== undefined) return;
      if (listed < MAX_ROW_FINDINGS) {
        listed++;
        problems.push(problem());
      } else if (more) {
        more.count = (more.count ?? 0) + 1;
      } else {
        more = { kind: 'more', written: file.written, ...where, reason: '', source, location: location(), count: 1 };
      }
    };
    const summary = await readSuppressionList(
      file.path,
      {
        onAddress(address, entry) {
          // Every entry that is not blank is kept, valid or not: matching is exact, so a bad
          // entry can only ever suppress someone whose address is the same bad text.
          if (address !== '') places.add(entry.encoder.hash, entry.line, 1, entry.byteOffset);
          if (entry.valid) return;
          keep(
            // A copy of the cell: a cell string from the reader keeps its whole read chunk alive.
            () => ({ kind: 'invalid-entry', written: file.written, ...where, reason: '', source, location: entry.location(), entry: Buffer.from(entry.cell).toString() }),
            () => entry.location(),
          );
        },
        onProblem(problem) {
          if (problem.kind === 'read-error' && problem.message.includes('ENOENT')) {
            problems.push({ kind: 'missing', written: file.written, ...where, reason: 'does not exist' });
            return;
          }
          keep(
            () => ({ kind: 'csv', written: file.written, ...where, reason: problem.message, source, problem }),
            () => ({ line: problem.line, column: problem.column }),
          );
        },
      },
      { caseSensitiveLocalPart: config.caseSensitiveLocalPart },
    );
    // A list read with an address column that holds no valid address suppresses nobody: it was
    // read in the wrong shape (delimiter, column), or it is not a suppression list.
    if (file.fromRef === undefined && summary.column !== -1 && summary.validEntries === 0) {
      problems.push({ kind: 'empty-list', written: file.written, ...where, reason: 'yields no address', source, location: { line: 1, column: 1 } });
    }
    if (more) problems.push(more);
    lists.push({
      source,
      firstEntry,
      column: summary.column,
      lineBreak: summary.lineBreak,
      delimiter: summary.delimiter,
      encoding: summary.encoding,
      ...(summary.firstRowOffset === undefined ? {} : { firstRowOffset: summary.firstRowOffset }),
    });
  }
  const { hashes: sortedHashes, entries: sortedEntries } = places.sortedByHash();
  let bits = 1 << 10;
  while (bits < places.size * 16) bits *= 2;
  const filter = new Uint32Array(bits >>> 5);
  const filterMask = bits - 1;
  for (const hash of sortedHashes) {
    const bit = hash & filterMask;
    filter[bit >>> 5] = (filter[bit >>> 5] ?? 0) | (1 << (bit & 31));
  }
  return { places, lists, sortedHashes, sortedEntries, filter, filterMask, caseSensitiveLocalPart: config.caseSensitiveLocalPart, problems };
}

// The line starts of the text positionAt was last asked about: callers ask about many offsets of
// one text in a row, and searching from the start each time was quadratic (a 1 MB line of addresses).
let indexedText: string | undefined;
let indexedStarts: number[] = [];

/** 1-based line and column of UTF-16 offset `index` in `text`. */
export function positionAt(text: string, index: number): SourceLocation {
  if (text !== indexedText) {
    indexedStarts = [0];
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) indexedStarts.push(at + 1);
    indexedText = text;
  }
  let low = 0;
  let high = indexedStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((indexedStarts[middle] ?? 0) <= index) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: index - (indexedStarts[low] ?? 0) + 1 };
}
