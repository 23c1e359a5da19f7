/**
 * Reading suppression lists (rule `recipient-suppressed`), on top of the CSV reader
 * (`readCsv`), which does quoting, the BOM, line breaks, invalid UTF-8 and positions.
 *
 * Suppression lists come from many tools, and a list read in the wrong shape suppresses
 * nobody: the person who unsubscribed is mailed and nothing says so. So this reader accepts the
 * shapes people export, and says so whenever an entry or a whole list yields no address:
 *
 * - **Dialect.** The delimiter is sniffed from the first records and the encoding found from a
 *   byte order mark (`sniffDialect`, the rule recipient lists use too); the rest is the CSV
 *   reader's RFC 4180.
 * - **Column.** A header names the address column (`email`, `e-mail`, `address`,
 *   `email_address`, SES's `EmailAddress`, `Email Address`: case, spaces, `-` and `_`
 *   ignored); a single-column header is that column. A first row that holds an address is
 *   data, not a header (a header-less list, as SES's `address,REASON` export), and the
 *   address column is the first one holding an address in that row.
 * - **Entries.** `addr`, `<addr>`, `Name <addr>`, `"Name" <addr>` and `mailto:addr?query`
 *   yield `addr` (`extractAddress`), trimmed of spaces, non-breaking and zero-width ones too.
 * - **Fail closed.** Every entry comes to `onAddress` with whether it is a valid address; the
 *   summary counts the valid ones, so that a caller can report a list that yields none.
 */
import { AddressEncoder } from '../core/address-set.js';
import { extractAddress, isValidAddressBytes, trimEntry } from '../core/address.js';
import type { SourceLocation } from '../core/types.js';

export { extractAddress } from '../core/address.js';
import { readCsv, sniffDialect } from './csv.js';
/** The delimiter rule shared with recipient lists (see csv.ts). */
export { sniffDelimiter } from './csv.js';
import type { CsvDelimiter, CsvHeader, CsvProblem, CsvProblemKind, CsvReadOptions, CsvReadSummary, CsvRecord } from './csv.js';

/** One entry of a suppression list, as `onAddress` sees it: one object updated in place, valid during the call. */
export interface SuppressionListEntry {
  /** 1-based line of its record. */
  readonly line: number;
  /** Byte offset of its record (after a BOM), as `CsvRecord.byteOffset`. */
  readonly byteOffset: number;
  /** The cell as written. */
  readonly cell: string;
  /** `extractAddress(cell)` is a valid address (WHATWG grammar, RFC 5321 lengths). */
  readonly valid: boolean;
  /** Holds the address encoded (hash, normalised bytes), as an `AddressEncoder` with the reader's options made it. */
  readonly encoder: AddressEncoder;
  /** Line and column of the cell. */
  location(): SourceLocation;
}

export interface SuppressionHandlers {
  /**
   * Every entry: the address extracted from its cell (see `extractAddress`), valid or not.
   * Rows whose every field is blank are skipped; a row too short to have the address column
   * is the reader's `ragged-row` problem, not an entry.
   */
  onAddress: (address: string, entry: SuppressionListEntry) => void;
  onProblem: (problem: CsvProblem) => void;
}

export interface SuppressionReadOptions extends Omit<CsvReadOptions, 'delimiter'> {
  /** As `recipients.case_sensitive_local_part`: how `entry.encoder` normalises. */
  caseSensitiveLocalPart?: boolean;
}

export interface SuppressionListSummary extends CsvReadSummary {
  /** Index of the address column; -1 when the list has none. */
  column: number;
  delimiter: CsvDelimiter;
  /** Byte offset of the first row when it is data (a header-less list), for reading it back. */
  firstRowOffset?: number;
  /** Entries delivered, and how many of them hold a valid address. */
  entries: number;
  validEntries: number;
}

/** For quote problems: the usual cause in a suppression list is a display name quoted as in a mail header. */
const QUOTED_NAME_HINT = 'write "Name" <address> as one CSV cell, """Name"" <address>", or without the quotes';

/** Header names of the address column, compared without case, spaces, `-` and `_`. */
const ADDRESS_COLUMNS: ReadonlySet<string> = new Set(['email', 'emailaddress', 'address']);
export const ADDRESS_COLUMN_NAMES = 'email, e-mail, address, email_address or EmailAddress';

/**
 * Reads a suppression list (see the top of this file). Problems are the CSV reader's, plus
 * `missing-column` when the header has several columns and none is an address column; never
 * `missing-header`, since a list may have no header.
 */
export async function readSuppressionList(filePath: string, handlers: SuppressionHandlers, options: SuppressionReadOptions = {}): Promise<SuppressionListSummary> {
  const dialect = sniffDialect(filePath);
  const encoder = new AddressEncoder({ caseSensitiveLocalPart: options.caseSensitiveLocalPart === true });
  const entry = new EntryView(encoder);
  const { onAddress, onProblem } = handlers;
  let column = -1;
  let firstRowOffset: number | undefined;
  let entries = 0;
  let validEntries = 0;
  /** Problems of the first row, held until it is known to be a header or data (then undefined). */
  const first: { held: CsvProblem[] | undefined } = { held: [] };

  const deliver = (): void => {
    const address = extractAddress(entry.cell);
    encoder.encode(address);
    entry.valid = encoder.ascii && isValidAddressBytes(encoder.bytes, encoder.length);
    entries++;
    if (entry.valid) validEntries++;
    onAddress(address, entry);
  };

  const summary = await readCsv(
    filePath,
    {
      onHeader(header) {
        const problems = first.held ?? [];
        first.held = undefined;
        const named = header.names.findIndex((name) => ADDRESS_COLUMNS.has(columnKey(name)));
        const holding = named === -1 ? header.names.findIndex((name) => extractAddress(name).includes('@')) : -1;
        if (holding !== -1) {
          // A header-less list: the first row is an entry, and its problems as a header are not.
          column = holding;
          // Where the row starts: only blank lines (line breaks alone) can come before it.
          const rowLine = header.positions[0]?.line ?? 1;
          firstRowOffset = dialect.bomLength + (rowLine - 1) * dialect.lineBreakLength;
          for (const problem of problems) if (problem.kind !== 'missing-header' && problem.kind !== 'duplicate-column') onProblem(problem);
          entry.setHeaderRow(header, holding, firstRowOffset);
          deliver();
          return;
        }
        for (const problem of problems) onProblem(problem);
        column = named !== -1 ? named : header.names.length === 1 ? 0 : -1;
        if (column === -1) {
          const at = header.positions[0] ?? { line: 1, column: 1 };
          onProblem(problem('missing-column', at.line, at.column, `suppression list has several columns and none is named ${ADDRESS_COLUMN_NAMES}`));
        }
      },
      onRecord(record) {
        if (column === -1 || column >= record.fields.length) return;
        // A row of blank fields is no entry; a blank address beside other fields is a bad one.
        if (trimEntry(record.fields[column] ?? '') === '' && isBlankRow(record.fields)) return;
        entry.setRecord(record, column);
        deliver();
      },
      onProblem(problem) {
        const told = problem.kind === 'invalid-quote' || problem.kind === 'unterminated-quote' ? { ...problem, message: `${problem.message} (${QUOTED_NAME_HINT})` } : problem;
        if (first.held !== undefined) first.held.push(told);
        else onProblem(told);
      },
    },
    { ...options, delimiter: dialect.delimiter },
  );
  // A file without a header row reports its problems before any header comes.
  for (const problem of first.held ?? []) onProblem(problem);
  return { ...summary, column, delimiter: dialect.delimiter, ...(firstRowOffset === undefined ? {} : { firstRowOffset }), entries, validEntries };
}

function isBlankRow(fields: readonly string[]): boolean {
  for (const field of fields) if (trimEntry(field) !== '') return false;
  return true;
}

/** A header name as compared with ADDRESS_COLUMNS. */
function columnKey(name: string): string {
  return trimEntry(name).toLowerCase().replace(/[\s_-]+/g, '');
}

/** The entry handed to `onAddress`: a record's cell, or the first row of a header-less list. */
class EntryView implements SuppressionListEntry {
  line = 0;
  byteOffset = 0;
  cell = '';
  valid = false;
  private record: CsvRecord | undefined;
  private column = 0;
  private headerLocation: SourceLocation | undefined;

  constructor(readonly encoder: AddressEncoder) {}

  setRecord(record: CsvRecord, column: number): void {
    this.record = record;
    this.column = column;
    this.headerLocation = undefined;
    this.line = record.line;
    this.byteOffset = record.byteOffset;
    this.cell = record.fields[column] ?? '';
  }

  setHeaderRow(header: CsvHeader, column: number, byteOffset: number): void {
    this.record = undefined;
    this.headerLocation = header.positions[column] ?? { line: 1, column: 1 };
    this.line = this.headerLocation.line;
    this.byteOffset = byteOffset;
    this.cell = header.names[column] ?? '';
  }

  location(): SourceLocation {
    if (this.headerLocation) return this.headerLocation;
    return this.record ? this.record.fieldLocation(this.column) : { line: this.line, column: 1 };
  }
}

function problem(kind: CsvProblemKind, line: number, column: number, message: string): CsvProblem {
  return { kind, line, column, message };
}
