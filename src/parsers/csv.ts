/**
 * Streaming RFC 4180 reader for recipient and suppression lists.
 *
 * Built on papaparse's chunk parser, chosen by measurement (bench/parsers.mjs, 1M rows,
 * 58.6 MB, 1 MiB reads): papaparse ≈ 0.85 s, csv-parse ≈ 3.0 s (≈ 8.6 s with the `info`/`raw`
 * options needed for positions), against ≈ 0.43 s for streaming, decoding and counting
 * newlines. papaparse reports unterminated and malformed quotes; ragged rows, invalid UTF-8,
 * line numbers and field columns are handled here, because no candidate reports them all.
 *
 * The file is read in chunks; only the current chunk and the unfinished record at its end are
 * in memory. Problems are reported through `onProblem`, never thrown, and their messages never
 * contain a cell value (they end up in public CI logs).
 *
 * Known limits: line breaks are LF or CRLF, detected from the first line (a bare CR as line
 * break is understood only when the file uses it throughout); a file mixing LF and CRLF line
 * ends shows up as ragged rows or as a trailing CR in the last field. Columns count UTF-16
 * code units, as ESLint and editors' LSP positions do.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import Papa from 'papaparse';
import { looksLikeData } from '../core/mask.js';
import type { SourceLocation } from '../core/types.js';

export interface CsvHeader {
  /** Column names as written (BOM removed, not trimmed). */
  names: string[];
  positions: SourceLocation[];
  /**
   * The first row looks like data (a cell with an address, a phone number or a token): the list
   * seems to lack a header row, and its "names" are printed masked, like data.
   */
  looksLikeData: boolean;
}

/**
 * One data record. Positions are computed lazily by `fieldLocation`, because findings need a
 * handful of them: on the 1M-row × 5-field bench, computing all of them added ≈ 2.3 s to a
 * ≈ 1.1 s read.
 *
 * The reader passes one record object for every row of a pass, updated in place, so a record
 * is valid only during the `onRecord` call: rules keep lines, locations and fields, never the
 * record.
 */
export interface CsvRecord {
  /** 1-based line where the record starts. */
  readonly line: number;
  /** 1-based record number, header and blank lines excluded. */
  readonly index: number;
  /**
   * Where the record starts in the file, in bytes (after a BOM, if any). Exact in valid UTF-8;
   * after an invalid byte sequence (an `invalid-utf8` problem) it may be off by a few bytes.
   */
  readonly byteOffset: number;
  readonly fields: string[];
  /**
   * False when no field can contain a CR or LF (the record has no quotes and no stray line
   * break character): rules looking for line breaks in values can skip the record.
   */
  readonly mayHaveLineBreaks: boolean;
  /**
   * 1-based line and column where field `fieldIndex` starts (at its opening quote if quoted).
   * Fields after a quoted multi-line field are on later lines. For an index past the last
   * field, the end of the record's last field.
   */
  fieldLocation(fieldIndex: number): SourceLocation;
}

export type CsvProblemKind =
  | 'invalid-utf8'
  | 'ragged-row'
  | 'unterminated-quote'
  | 'invalid-quote'
  | 'empty-file'
  | 'missing-header'
  | 'duplicate-column'
  | 'missing-column'
  | 'too-many-columns'
  | 'read-error';

/** Problems after which the rest of the list is not read: they must be reported even when no rule listens. */
export const STOPPING_PROBLEMS: ReadonlySet<CsvProblemKind> = new Set<CsvProblemKind>(['unterminated-quote', 'read-error', 'empty-file', 'too-many-columns']);

/**
 * Most columns a recipient list may have. Spreadsheets stop at 16,384; a mailing list needs a
 * handful, and every column is reported on by the column rules and read for every row. A header
 * over the limit is a `too-many-columns` problem and the list is not read further.
 */
export const MAX_COLUMNS = 1000;

export interface CsvProblem {
  kind: CsvProblemKind;
  line: number;
  column: number;
  /** Plain English, without any cell value. */
  message: string;
  /**
   * `invalid-utf8` of a file read as UTF-8 only: the encoding to declare for it, for a message
   * that names the fix. What the bytes look like (UTF-16 when every other byte is zero), else
   * Windows-1252, the usual encoding of a spreadsheet's "CSV" that is not "CSV UTF-8".
   */
  encoding?: CsvEncoding;
}

export interface CsvProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

export interface CsvHandlers {
  onHeader?: (header: CsvHeader) => void;
  /** The same object comes back for every record, updated: keep its fields or locations, not it. */
  onRecord: (record: CsvRecord) => void;
  onProblem: (problem: CsvProblem) => void;
  /** Called after each chunk (every 64 KiB by default). */
  onProgress?: (progress: CsvProgress) => void;
}

export interface CsvReadSummary {
  /** Data records delivered to `onRecord`. */
  rows: number;
  /** Bytes read from the file. */
  bytes: number;
  /** The file's line break, as detected (`\n` when it has none). */
  lineBreak: '\n' | '\r\n' | '\r';
  /** The field separator and the encoding the file was read with (given, or found: see `dialectOf`). */
  delimiter: CsvDelimiter;
  encoding: CsvEncoding;
}

export interface CsvReadOptions {
  /**
   * Bytes per read. 64 KiB measured best on the 1M-row bench: ≈ 0.7 s and 105 MB peak RSS,
   * against ≈ 1.2 s and 190 MB with 1 MiB chunks, whose strings V8 allocates outside the young
   * generation; 16 KiB is ≈ 15% slower again.
   */
  chunkSize?: number;
  /**
   * A record still open after this many characters is treated as an unterminated quote and
   * reading stops: otherwise one stray quote would make the reader buffer the rest of the file.
   */
  maxRecordLength?: number;
  /**
   * The field separator, one character. Quoting, line breaks, BOM and positions work the same
   * whatever it is. When not given, it is found from the first records (`sniffDelimiter`).
   */
  delimiter?: CsvDelimiter;
  /**
   * The file's encoding when it has no byte order mark (a BOM always wins, as in browsers).
   * Not given: UTF-8, or UTF-16 when the first bytes are text with every other byte zero (then
   * read as such, with one `invalid-utf8` problem saying so).
   */
  encoding?: CsvEncoding;
}

/** Field separators the reader accepts. */
export type CsvDelimiter = ',' | ';' | '\t' | '|';

/**
 * Encodings the reader decodes, with Node's own TextDecoder. `latin1` is read as Windows-1252,
 * as the WHATWG Encoding Standard (and so every browser and TextDecoder) defines the label.
 */
export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

const QUOTE = 0x22;
// eslint-disable-next-line no-control-regex -- the complement of ASCII
const NON_ASCII = /[^\x00-\x7f]/;
// eslint-disable-next-line no-control-regex -- the complement of ASCII
const NON_ASCII_RUNS = /[^\x00-\x7f]+/g;
const REPLACEMENT_CHARACTER = '\uFFFD';
const DEFAULT_CHUNK_SIZE = 1 << 16;
/** Chunks read between two turns of the event loop (1 MiB at the default chunk size). */
const CHUNKS_PER_YIELD = 16;
/** Characters read without an LF before a file with CRs is taken as using CR alone (half a read). */
const CR_DECISION_LENGTH = DEFAULT_CHUNK_SIZE / 2;
const DEFAULT_MAX_RECORD_LENGTH = 16 << 20;

interface PapaError {
  code: string;
  index: number;
}
interface PapaStepResult {
  data: string[][];
  errors: PapaError[];
  meta: { cursor: number };
}
interface PapaChunkParser {
  parse(input: string, baseIndex: number, ignoreLastRow: boolean): { data: string[][]; errors: PapaError[]; meta: { cursor: number } };
}
const NO_ERRORS: readonly PapaError[] = [];
const COMMA = 0x2c;

/**
 * Sets `ends` to where each of `rows` ends in `text` (after its line break), and `plain` to
 * whether its text is exactly its fields joined by commas (see ParsedRecord), as papaparse
 * parsed them from the start of `text` without problems. False when a row does not match the
 * text as these rules expect, which the caller takes as "ask papaparse row by row":
 * - a row without a quote in its span is its fields joined by commas;
 * - a quoted field is the value with every quote doubled, between quotes, directly followed by
 *   a comma or the row's end (papaparse also allows spaces there: those rows take the slow path).
 */
function rowEnds(text: string, rows: readonly string[][], lineBreak: string, ends: number[], plain: boolean[], delimiter = COMMA): boolean {
  ends.length = 0;
  plain.length = 0;
  let pos = 0;
  let nextQuote = -1;
  for (const fields of rows) {
    const start = pos;
    let plainLength = fields.length - 1;
    for (const field of fields) plainLength += field.length;
    if (nextQuote < start) {
      const found = text.indexOf('"', start);
      nextQuote = found === -1 ? Number.POSITIVE_INFINITY : found;
    }
    if (nextQuote >= start + plainLength) {
      pos = start + plainLength;
    } else {
      for (let index = 0; index < fields.length; index++) {
        const field = fields[index] ?? '';
        if (text.charCodeAt(pos) === QUOTE) {
          const closing = pos + field.length + countQuotes(field) + 1;
          if (text.charCodeAt(closing) !== QUOTE) return false;
          pos = closing + 1;
        } else {
          pos += field.length;
        }
        if (index < fields.length - 1) {
          if (text.charCodeAt(pos) !== delimiter) return false;
          pos++;
        }
      }
    }
    plain.push(pos - start === plainLength);
    if (text.startsWith(lineBreak, pos)) pos += lineBreak.length;
    else if (pos !== text.length) return false;
    ends.push(pos);
  }
  return true;
}

/**
 * The rows of a text that is not the last, split without papaparse when they are of the kinds
 * these rules know, with what `rowEnds` gives: `data` the rows' fields, `ends` where each row
 * ends (after its line break), `plain` whether its text is its fields joined by the delimiter.
 * Returns where the unread rest starts (the start of a row the text may not hold whole), or -1
 * when a row is of another kind, and the caller asks papaparse (which parsed every text before).
 * The kinds, as papaparse reads them:
 * - a row without a quote: its fields are the text between delimiters (indexOf, no per-character
 *   loop); in a CRLF file, its line must end in CRLF (an LF alone is data to papaparse);
 * - a quoted field: from a quote at the field's start to the next quote not doubled, the doubled
 *   quotes made single, directly followed by the delimiter or the line break;
 * - an unquoted field in a row with quotes: no quote inside it.
 * papaparse's own scan measured ≈ 280 ms of the 1M-row bench, `rowEnds` after it ≈ 50 ms.
 */
export function splitRows(text: string, delimiter: string, lineBreak: '\n' | '\r\n' | '\r', data: string[][], ends: number[], plain: boolean[]): number {
  data.length = 0;
  ends.length = 0;
  plain.length = 0;
  const lineChar = lineBreak === '\r' ? '\r' : '\n';
  const lineCode = lineChar.charCodeAt(0);
  const delimiterCode = delimiter.charCodeAt(0);
  const crlf = lineBreak === '\r\n';
  const length = text.length;
  let pos = 0;
  let nextQuote = text.indexOf('"');
  if (nextQuote === -1) nextQuote = length;
  for (;;) {
    const lineEnd = text.indexOf(lineChar, pos);
    if (lineEnd === -1) return pos;
    if (nextQuote > lineEnd) {
      let contentEnd = lineEnd;
      if (crlf) {
        if (lineEnd === pos || text.charCodeAt(lineEnd - 1) !== 0x0d) return -1;
        contentEnd = lineEnd - 1;
      }
      const fields: string[] = [];
      let start = pos;
      for (let at = text.indexOf(delimiter, start); at !== -1 && at < contentEnd; at = text.indexOf(delimiter, start)) {
        fields.push(text.slice(start, at));
        start = at + 1;
      }
      fields.push(text.slice(start, contentEnd));
      data.push(fields);
      pos = lineEnd + 1;
      ends.push(pos);
      plain.push(true);
      continue;
    }
    // A row with a quote: field by field.
    const fields: string[] = [];
    let at = pos;
    for (;;) {
      if (text.charCodeAt(at) === QUOTE) {
        let from = at + 1;
        let close: number;
        let doubled = false;
        for (;;) {
          close = text.indexOf('"', from);
          // Not closed in this text, or closed at its end (a doubled quote may follow): read it with more text.
          if (close === -1 || close + 1 >= length) return pos;
          if (text.charCodeAt(close + 1) !== QUOTE) break;
          doubled = true;
          from = close + 2;
        }
        const raw = text.slice(at + 1, close);
        fields.push(doubled ? raw.replaceAll('""', '"') : raw);
        at = close + 1;
      } else {
        const rowEnd = text.indexOf(lineChar, at);
        if (rowEnd === -1) return pos;
        let end = text.indexOf(delimiter, at);
        if (end === -1 || end > rowEnd) end = crlf ? rowEnd - 1 : rowEnd;
        if (end < at) return -1;
        const quote = text.indexOf('"', at);
        if (quote !== -1 && quote < end) return -1;
        fields.push(text.slice(at, end));
        at = end;
      }
      const next = text.charCodeAt(at);
      if (next === delimiterCode) {
        at++;
        continue;
      }
      if (crlf ? next === 0x0d && text.charCodeAt(at + 1) === 0x0a : next === lineCode) {
        at += lineBreak.length;
        break;
      }
      return at >= length ? pos : -1;
    }
    data.push(fields);
    pos = at;
    ends.push(pos);
    plain.push(false);
    nextQuote = text.indexOf('"', pos);
    if (nextQuote === -1) nextQuote = length;
  }
}

/**
 * A record, updated in place for each row of a pass: one object instead of a million (the
 * reader's callers keep what they need, never the record).
 */
class ParsedRecord implements CsvRecord {
  line = 0;
  index = 0;
  byteOffset = 0;
  fields: string[] = [];
  mayHaveLineBreaks = false;
  private text = '';
  private start = 0;
  /** End of the record's last field: before its line break, if any. */
  private contentEnd = 0;
  private lineChar = '\n';
  /** The record's text is exactly its fields joined by commas: no quotes, one line. */
  private plain = false;

  constructor(private readonly delimiter: CsvDelimiter = ',') {}

  set(
    line: number,
    index: number,
    byteOffset: number,
    fields: string[],
    text: string,
    start: number,
    contentEnd: number,
    lineChar: string,
    plain: boolean,
    mayHaveLineBreaks: boolean,
  ): this {
    this.line = line;
    this.index = index;
    this.byteOffset = byteOffset;
    this.fields = fields;
    this.text = text;
    this.start = start;
    this.contentEnd = contentEnd;
    this.lineChar = lineChar;
    this.plain = plain;
    this.mayHaveLineBreaks = mayHaveLineBreaks;
    return this;
  }

  fieldLocation(fieldIndex: number): SourceLocation {
    if (this.plain) {
      // Most records: the column follows from the field lengths, without searching the text.
      if (fieldIndex >= this.fields.length) return { line: this.line, column: this.contentEnd - this.start + 1 };
      let column = 1 + fieldIndex;
      for (let i = 0; i < fieldIndex; i++) column += this.fields[i]?.length ?? 0;
      return { line: this.line, column };
    }
    return this.fieldLocations(fieldIndex + 1)[fieldIndex] ?? { line: this.line, column: 1 };
  }

  /**
   * Where each of the first `count` fields starts, in one walk over the record (a header of
   * 100,000 columns located field by field took quadratic time: 11 s).
   */
  fieldLocations(count: number): SourceLocation[] {
    const locations: SourceLocation[] = [];
    if (this.plain) {
      // Most records: the column follows from the field lengths, without searching the text.
      let column = 1;
      for (let i = 0; i < count; i++) {
        if (i >= this.fields.length) {
          locations.push({ line: this.line, column: this.contentEnd - this.start + 1 });
          continue;
        }
        locations.push({ line: this.line, column });
        column += (this.fields[i]?.length ?? 0) + 1;
      }
      return locations;
    }
    const { text, contentEnd, lineChar } = this;
    let line = this.line;
    let lineStart = this.start;
    let pos = this.start;
    const passLines = (to: number): void => {
      for (let at = text.indexOf(lineChar, pos); at !== -1 && at < to; at = text.indexOf(lineChar, at + 1)) {
        line++;
        lineStart = at + 1;
      }
    };
    let field = 0;
    for (; field < count - 1; field++) {
      locations.push({ line, column: pos - lineStart + 1 });
      if (text.charCodeAt(pos) === QUOTE) {
        let search = pos + 1;
        for (;;) {
          const quote = text.indexOf('"', search);
          if (quote === -1 || quote >= contentEnd) {
            search = contentEnd;
            break;
          }
          if (quote + 1 < contentEnd && text.charCodeAt(quote + 1) === QUOTE) {
            search = quote + 2;
            continue;
          }
          search = quote + 1;
          break;
        }
        passLines(search);
        pos = search;
      }
      const comma = text.indexOf(this.delimiter, pos);
      if (comma === -1 || comma >= contentEnd) {
        passLines(contentEnd);
        pos = contentEnd;
        field++;
        break;
      }
      passLines(comma);
      pos = comma + 1;
    }
    // The last one asked for, and any past the record's end (at its end).
    for (; field < count; field++) locations.push({ line, column: pos - lineStart + 1 });
    return locations;
  }
}

/** The file's line break, from the first one in `text`; undefined while `text` could still end in the middle of one. */
function lineBreakOf(text: string, final: boolean): '\n' | '\r\n' | '\r' | undefined {
  // Any LF decides it (a stray CR before the first LF is data, not the file's convention);
  // CR alone only when no LF comes in the file's first CR_DECISION_LENGTH characters. Deciding
  // at the first CR would make a field starting with a CR read differently with small reads.
  const lf = text.indexOf('\n');
  if (lf !== -1) return lf > 0 && text.charCodeAt(lf - 1) === 0x0d ? '\r\n' : '\n';
  const hasCr = text.includes('\r');
  if (final) return hasCr ? '\r' : '\n';
  return hasCr && text.length >= CR_DECISION_LENGTH ? '\r' : undefined;
}

/** Length of a trailing, not yet complete UTF-8 sequence (it continues in the next chunk). */
function incompleteTailLength(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let back = 1; back <= Math.min(3, length); back++) {
    const byte = bytes[length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

function problem(kind: CsvProblemKind, line: number, column: number, message: string): CsvProblem {
  return { kind, line, column, message };
}

/**
 * Where a character next occurs in a text, searched again only once a record has passed it,
 * so each text is searched once overall.
 */
class NextChar {
  private at = -1;

  constructor(public char: string) {}

  /** For a new text. */
  reset(): void {
    this.at = -1;
  }

  /** True when the character occurs in `text` from `from` (increasing between calls) to before `to`. */
  isBefore(text: string, from: number, to: number): boolean {
    if (this.at < from) {
      const found = text.indexOf(this.char, from);
      this.at = found === -1 ? Number.POSITIVE_INFINITY : found;
    }
    return this.at < to;
  }
}

/**
 * Turns the texts of one file (decoded chunks, each starting at a record) into records, lines,
 * byte offsets and problems. A class, not closures inside readCsv: V8 keeps optimised code and
 * type feedback per function object, and closures made anew for every file would start cold
 * for each list read after the first (the suppression lists, read after the recipient list,
 * measured ≈ 4× slower that way).
 */
class TextReader {
  // Per-parse state: `text` is the string papaparse is working on, `rowStart` the offset in it
  // where the next record begins, `line` that record's line.
  text = '';
  rowStart = 0;
  line = 1;
  rows = 0;
  lineBreak: '\n' | '\r\n' | '\r' | undefined;
  /** The character counted as a new line, and the length of a record terminator. */
  lineChar = '\n';
  lineBreakLength = 1;
  header: string[] | undefined;
  textHasInvalidUtf8 = false;
  stopped = false;
  sawContent = false;

  hasStopped(): boolean {
    return this.stopped;
  }

  // Byte offsets. `textByteStart` is where text[0] is in the file. In a text that is all ASCII
  // a character is a byte. Otherwise the text's runs of non-ASCII characters (a few accented
  // names per chunk, typically) are listed once with the bytes they add, and a cursor walks
  // that list as the records go forward: a character walk measured ≈ 0.2 s on the 1M-row bench.
  // readCsv finds the runs in the bytes it decodes (utf8Runs); after invalid UTF-8 they are
  // found in the text, by a regular expression.
  textByteStart = 0;
  textIsAscii = true;
  /** Per run of non-ASCII characters: start, end, and the bytes added by the runs up to its end. */
  private runs: number[] | undefined;
  private runCursor = 0;
  private extraBytes = 0;

  // The line break character that does not end records (CR in LF and CRLF files, LF in CR
  // files) can still sit inside an unquoted field.
  private readonly strayBreak = new NextChar('\r');
  /** CRLF files only: an LF alone inside an unquoted field still starts a line (mixed line ends). */
  private readonly loneLf = new NextChar('\n');

  private readonly current: ParsedRecord;
  private parser: PapaChunkParser | undefined;
  private stepParser: PapaChunkParser | undefined;
  private readonly ends: number[] = [];
  private readonly plainRows: boolean[] = [];
  private readonly splitData: string[][] = [];

  // The handlers as fields of this class's own shape: readers of differently built handler
  // objects then share optimised code instead of deoptimising it on the first unknown shape.
  private readonly onRecord: CsvHandlers['onRecord'];
  private readonly onProblem: CsvHandlers['onProblem'];
  private readonly onHeader: NonNullable<CsvHandlers['onHeader']> | undefined;

  constructor(
    handlers: CsvHandlers,
    private readonly delimiter: CsvDelimiter = ',',
  ) {
    this.current = new ParsedRecord(delimiter);
    this.onRecord = handlers.onRecord;
    this.onProblem = handlers.onProblem;
    this.onHeader = handlers.onHeader;
  }

  /** True once the line break is known and papaparse set up (after the first line). */
  get started(): boolean {
    return this.parser !== undefined;
  }

  private locate(offset: number): { line: number; column: number } {
    const { text, lineChar } = this;
    let atLine = this.line;
    let lineStart = this.rowStart;
    for (let at = text.indexOf(lineChar, this.rowStart); at !== -1 && at < offset; at = text.indexOf(lineChar, at + 1)) {
      atLine++;
      lineStart = at + 1;
    }
    return { line: atLine, column: offset - lineStart + 1 };
  }

  byteOffsetAt(charIndex: number): number {
    if (this.textIsAscii) return this.textByteStart + charIndex;
    let runs = this.runs;
    if (runs === undefined) {
      runs = [];
      let added = 0;
      for (const match of this.text.matchAll(NON_ASCII_RUNS)) {
        added += Buffer.byteLength(match[0]) - match[0].length;
        runs.push(match.index, match.index + match[0].length, added);
      }
      this.runs = runs;
    }
    while (this.runCursor < runs.length && (runs[this.runCursor + 1] ?? 0) <= charIndex) {
      this.extraBytes = runs[this.runCursor + 2] ?? 0;
      this.runCursor += 3;
    }
    const runStart = runs[this.runCursor] ?? Number.POSITIVE_INFINITY;
    // Inside a run (not at a record start, but `consumed` may be): count its first part.
    const partial = runStart < charIndex ? Buffer.byteLength(this.text.slice(runStart, charIndex)) - (charIndex - runStart) : 0;
    return this.textByteStart + charIndex + this.extraBytes + partial;
  }


  private onHeaderRow(names: string[], record: ParsedRecord): void {
    const { onProblem } = this;
    if (names.length > MAX_COLUMNS) {
      const at = record.fieldLocations(MAX_COLUMNS + 1)[MAX_COLUMNS] ?? { line: record.line, column: 1 };
      onProblem(problem('too-many-columns', at.line, at.column, `the header has ${names.length} columns, over the limit of ${MAX_COLUMNS}: the list is not read further`));
      this.stopped = true;
      return;
    }
    this.header = names;
    const positions = record.fieldLocations(names.length);
    const seen = new Map<string, number>();
    const dataCell = names.findIndex(looksLikeData);
    if (dataCell !== -1) {
      const at = positions[dataCell] ?? record.fieldLocation(dataCell);
      onProblem(problem('missing-header', at.line, at.column, `the first row looks like data (column ${dataCell + 1} holds an address, a phone number or a token): the list seems to lack a header row; add one naming the columns`));
    }
    names.forEach((name, i) => {
      const key = name.trim().toLowerCase();
      if (key === '') return;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, i);
      } else {
        const at = positions[i] ?? record.fieldLocation(i);
        onProblem(problem('duplicate-column', at.line, at.column, `column ${i + 1} repeats the name of column ${first + 1}`));
      }
    });
    this.onHeader?.({ names, positions, looksLikeData: dataCell !== -1 });
  }

  /** One row papaparse found in `text`, from `rowStart` to `end` (after its line break). */
  private deliverRow(fields: string[], end: number, errors: readonly PapaError[], knownPlain?: boolean): void {
    const { text, rowStart, lineChar } = this;
    const recordLine = this.line;
    const hasLineBreak = end > rowStart && text.charCodeAt(end - 1) === lineChar.charCodeAt(0);
    const contentEnd = hasLineBreak ? end - this.lineBreakLength : end;
    // A record whose text is exactly its fields and commas has no quotes and so no line break
    // inside: this check spares most records a search (measured ≈ 10% of the reader's time).
    let plain = knownPlain;
    if (plain === undefined) {
      let plainLength = fields.length - 1;
      for (const field of fields) plainLength += field.length;
      plain = contentEnd - rowStart === plainLength;
    }
    // Lines, and columns from field lengths, then go by the slow path.
    if (plain && this.lineBreakLength === 2 && this.loneLf.isBefore(text, rowStart, contentEnd)) plain = false;
    let linesSpanned = hasLineBreak ? 1 : 0;
    if (!plain) {
      linesSpanned = 0;
      for (let at = text.indexOf(lineChar, rowStart); at !== -1 && at < end; at = text.indexOf(lineChar, at + 1)) linesSpanned++;
    }

    const { onProblem } = this;
    let unterminated = false;
    let lastErrorIndex = -1;
    if (errors.length > 0) for (const error of errors) {
      // papaparse repeats InvalidQuotes for each stray quote of the same field: report the field once.
      if (error.index === lastErrorIndex && error.code === 'InvalidQuotes') continue;
      lastErrorIndex = error.index;
      const at = this.locate(error.index - 1);
      if (error.code === 'MissingQuotes') {
        unterminated = true;
        onProblem(problem('unterminated-quote', at.line, at.column, 'quoted field is never closed: the rest of the file cannot be read as records'));
      } else if (error.code === 'InvalidQuotes') {
        onProblem(
          problem('invalid-quote', at.line, at.column, 'quoted field has characters after its closing quote; it may have swallowed the following lines'),
        );
      }
    }
    if (this.textHasInvalidUtf8) {
      const bad = text.indexOf(REPLACEMENT_CHARACTER, rowStart);
      if (bad !== -1 && bad < end) {
        const at = this.locate(bad);
        onProblem(problem('invalid-utf8', at.line, at.column, 'this line is not valid UTF-8'));
      }
    }

    const isBlankLine = fields.length === 1 && fields[0] === '';
    if (unterminated) {
      this.stopped = true;
    } else if (!isBlankLine) {
      this.sawContent = true;
      const header = this.header;
      const record = (header === undefined ? new ParsedRecord(this.delimiter) : this.current).set(
        recordLine,
        this.rows + 1,
        this.byteOffsetAt(rowStart),
        fields,
        text,
        rowStart,
        contentEnd,
        lineChar,
        plain,
        !plain || this.strayBreak.isBefore(text, rowStart, contentEnd),
      );
      if (header === undefined) {
        this.onHeaderRow(fields, record);
      } else {
        const index = ++this.rows;
        if (fields.length !== header.length) {
          const at = fields.length > header.length ? record.fieldLocation(header.length) : { line: recordLine, column: 1 };
          onProblem(problem('ragged-row', at.line, at.column, `record ${index} has ${fields.length} fields; the header has ${header.length}`));
        }
        this.onRecord(record);
      }
    }
    this.rowStart = end;
    this.line = recordLine + linesSpanned;
  }

  private readonly step = (result: PapaStepResult): void => {
    if (!this.stopped) this.deliverRow(result.data[0] ?? [], result.meta.cursor, result.errors);
  };

  /** Reads the records `input` holds (all of them when `final`); returns where the unread rest starts. */
  parseText(input: string, final: boolean, ascii: boolean, runs?: number[]): number {
    this.text = input;
    this.textIsAscii = ascii;
    this.runs = runs;
    this.runCursor = 0;
    this.extraBytes = 0;
    this.rowStart = 0;
    this.strayBreak.reset();
    this.loneLf.reset();
    let parser = this.parser;
    if (parser === undefined) {
      const detected = lineBreakOf(input, final);
      // Not knowable yet (no line break in the text so far): keep all of it pending.
      if (detected === undefined) return 0;
      this.lineBreak = detected;
      this.lineChar = detected === '\r' ? '\r' : '\n';
      this.strayBreak.char = detected === '\r' ? '\n' : '\r';
      this.lineBreakLength = detected.length;
      // papaparse's chunk parser is undocumented in its typings' constructor options; it is the
      // piece Papa.parse itself drives, and the one that lets us own decoding and line tracking.
      // fastMode: false. papaparse's "fast mode" (splitting a text without quotes on line breaks,
      // then commas) measured 15–25% slower than its quote-aware scan on a quote-free 1M-row list.
      const ChunkParser = Papa.Parser as unknown as new (config: object) => PapaChunkParser;
      parser = new ChunkParser({ delimiter: this.delimiter, quoteChar: '"', newline: detected, fastMode: false });
      this.parser = parser;
      this.stepParser = new ChunkParser({ step: this.step, delimiter: this.delimiter, quoteChar: '"', newline: detected, fastMode: false });
    }
    // The whole text at once, rows found where papaparse's own rules put them: papaparse's
    // per-row callback costs a result object and three arrays a row. A text with a problem,
    // or a row that does not match its text as expected, is parsed again row by row, where
    // papaparse says where each row ends.
    const { ends, plainRows } = this;
    if (!final && this.lineBreak !== undefined) {
      const rows = this.splitData;
      const cursor = splitRows(input, this.delimiter, this.lineBreak, rows, ends, plainRows);
      if (cursor !== -1) {
        for (let index = 0; index < rows.length && !this.stopped; index++) this.deliverRow(rows[index] ?? [], ends[index] ?? 0, NO_ERRORS, plainRows[index]);
        return cursor;
      }
    }
    const whole = parser.parse(input, 0, !final);
    if (whole.errors.length === 0 && rowEnds(input, whole.data, this.lineBreak ?? '\n', ends, plainRows, this.delimiter.charCodeAt(0)) && (ends.at(-1) ?? 0) === whole.meta.cursor) {
      for (let index = 0; index < whole.data.length && !this.stopped; index++) this.deliverRow(whole.data[index] ?? [], ends[index] ?? 0, NO_ERRORS, plainRows[index]);
      return whole.meta.cursor;
    }
    return (this.stepParser ?? parser).parse(input, 0, !final).meta.cursor;
  }
}

/** Streams `filePath` and reports its header, records and problems in file order. */
export async function readCsv(filePath: string, handlers: CsvHandlers, options: CsvReadOptions = {}): Promise<CsvReadSummary> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const maxRecordLength = options.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH;
  const { onProblem } = handlers;

  let bytes = 0;
  let fd: number | undefined;
  let totalBytes: number;
  let dialect: CsvDialect;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (the fstat below refuses it).
    fd = openSync(filePath, constants.O_RDONLY | ((constants as Partial<typeof constants>).O_NONBLOCK ?? 0));
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      closeSync(fd);
      onProblem(problem('read-error', 1, 1, 'cannot read the file: it is not a regular file'));
      return { rows: 0, bytes, lineBreak: '\n', delimiter: options.delimiter ?? ',', encoding: options.encoding ?? 'utf-8' };
    }
    totalBytes = stats.size;
    dialect = readDialect(fd, options);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    onProblem(problem('read-error', 1, 1, `cannot read the file (${errorCode(error)})`));
    return { rows: 0, bytes, lineBreak: '\n', delimiter: options.delimiter ?? ',', encoding: options.encoding ?? 'utf-8' };
  }

  const encodingProblems: EncodingProblems = { guess: undefined, reported: false };
  const reader = new TextReader(readerHandlers(handlers, dialect, encodingProblems), dialect.delimiter);
  if (dialect.encodingSource === 'guessed') {
    const name = ENCODING_NAMES[dialect.encoding];
    onProblem({ ...problem('invalid-utf8', 1, 1, `the file looks like ${name} without a byte order mark, and was read as ${name}: re-export it as CSV UTF-8`), encoding: dialect.encoding });
  }
  if (dialect.encoding !== 'utf-8') {
    try {
      bytes = await readTranscoded(fd, reader, dialect, handlers, { chunkSize, maxRecordLength, totalBytes });
    } catch (error) {
      onProblem(problem('read-error', reader.line, 1, `cannot read the file (${errorCode(error)})`));
    } finally {
      closeSync(fd);
    }
    if (!reader.sawContent && !reader.stopped) onProblem(problem('empty-file', 1, 1, 'the file has no header row and no records'));
    return { rows: reader.rows, bytes, lineBreak: reader.lineBreak ?? '\n', delimiter: dialect.delimiter, encoding: dialect.encoding };
  }

  // The BOM is removed by hand: a decoder that skips chunks (see below) must not treat a
  // later chunk as the start of the stream.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let atStart = true;
  let pending = '';
  let pendingIsAscii = true;
  let pendingQuotes = 0;
  let pendingHasInvalidUtf8 = false;
  /** The non-ASCII runs of `pending` (see TextReader), undefined when not known (invalid UTF-8). */
  let pendingRuns: number[] | undefined = [];
  let carry: Uint8Array = new Uint8Array(0);
  try {
    let chunksSinceYield = 0;
    for (const chunk of readChunks(fd, chunkSize)) {
      bytes += chunk.length;
      if (++chunksSinceYield === CHUNKS_PER_YIELD) {
        chunksSinceYield = 0;
        await yieldToEventLoop();
      }
      // Pure ASCII chunks (most recipient lists) are decoded as Latin-1, which is the same
      // string for ASCII bytes and measured ≈ 5× faster than TextDecoder; everything else, and
      // any chunk continuing a character, goes through the decoder.
      const chunkIsAscii = carry.length === 0 && isAscii(chunk);
      let decoded = chunkIsAscii ? chunk.toString('latin1') : decoder.decode(chunk, { stream: true });
      let bomLength = 0;
      if (atStart && decoded !== '') {
        if (decoded.charCodeAt(0) === 0xfeff) {
          decoded = decoded.slice(1);
          bomLength = 3;
          reader.textByteStart = 3;
        }
        atStart = false;
      }
      // `carry` is the start of a character the previous chunks left unfinished.
      const joined = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const tail = incompleteTailLength(joined);
      let chunkHasInvalidUtf8 = false;
      if (decoded.includes(REPLACEMENT_CHARACTER)) {
        // Rare path: U+FFFD is either a real character or the decoder's stand-in for bad bytes.
        chunkHasInvalidUtf8 = !isUtf8(joined.subarray(0, joined.length - tail));
        if (chunkHasInvalidUtf8 && !encodingProblems.reported) encodingProblems.guess ??= looksLikeWindows1252(joined) ? 'windows-1252' : undefined;
      }
      const decodedRuns = chunkIsAscii ? [] : chunkHasInvalidUtf8 ? undefined : utf8Runs(joined, bomLength, joined.length - tail);
      // A copy: the read buffer is reused.
      carry = Buffer.from(joined.subarray(joined.length - tail));
      const input = pending + decoded;
      const inputIsAscii: boolean = pendingIsAscii && chunkIsAscii;
      const inputRuns: number[] | undefined = pendingRuns && decodedRuns ? appendRuns(pendingRuns, pending.length, decodedRuns) : undefined;
      reader.textHasInvalidUtf8 = pendingHasInvalidUtf8 || chunkHasInvalidUtf8;
      // No record can end in this chunk when it has no line break, or when the pending record
      // is inside a quoted field and the chunk has no quote. Re-parsing the growing record on
      // every chunk would make one huge cell or line cost quadratic time, so it is only kept.
      // (The chunk's quotes are counted only when needed: most chunks end records.)
      const cannotEnd =
        !reader.started
          ? !decoded.includes('\n') && !decoded.includes('\r')
          : !decoded.includes(reader.lineChar) || (pendingQuotes % 2 === 1 && !decoded.includes('"'));
      if (cannotEnd) {
        pending = input;
        pendingIsAscii = inputIsAscii;
        pendingRuns = inputRuns;
        pendingQuotes += countQuotes(decoded);
      } else {
        const consumed = reader.parseText(input, false, inputIsAscii, inputRuns);
        reader.textByteStart = reader.byteOffsetAt(consumed);
        pending = input.slice(consumed);
        pendingRuns = inputRuns && runsFrom(inputRuns, consumed);
        pendingIsAscii = inputIsAscii || (pendingRuns ? pendingRuns.length === 0 : !NON_ASCII.test(pending));
        pendingQuotes = countQuotes(pending);
      }
      pendingHasInvalidUtf8 = reader.textHasInvalidUtf8 && pending.includes(REPLACEMENT_CHARACTER);
      handlers.onProgress?.({ bytes, totalBytes, rows: reader.rows });
      if (reader.stopped) break;
      if (pending.length > maxRecordLength) {
        reader.parseText(pending, true, pendingIsAscii, pendingRuns);
        pending = '';
        // A method, not the field: flow analysis does not see parseText set it.
        if (!reader.hasStopped()) {
          onProblem(problem('unterminated-quote', reader.line, 1, `record is longer than ${maxRecordLength} characters; reading stopped here`));
        }
        reader.stopped = true;
        break;
      }
    }
    if (!reader.stopped) {
      const flushed = decoder.decode();
      const rest = pending + flushed;
      reader.textHasInvalidUtf8 = pendingHasInvalidUtf8 || carry.length > 0;
      if (rest !== '') reader.parseText(rest, true, pendingIsAscii && flushed === '', flushed === '' ? pendingRuns : undefined);
    }
  } catch (error) {
    onProblem(problem('read-error', reader.line, 1, `cannot read the file (${errorCode(error)})`));
  } finally {
    closeSync(fd);
  }
  if (!reader.sawContent && !reader.stopped) onProblem(problem('empty-file', 1, 1, 'the file has no header row and no records'));
  return { rows: reader.rows, bytes, lineBreak: reader.lineBreak ?? '\n', delimiter: dialect.delimiter, encoding: 'utf-8' };
}


/** What `readerHandlers` reports of a file's encoding: one `invalid-utf8` problem per file. */
interface EncodingProblems {
  /** What the first invalid bytes look like, found by readCsv where it sees them. */
  guess: CsvEncoding | undefined;
  reported: boolean;
}

const ENCODING_NAMES: Record<CsvEncoding, string> = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE', 'windows-1252': 'Windows-1252' };

/**
 * The handlers the TextReader calls: the caller's, with one `invalid-utf8` problem per file (a
 * Windows-1252 export has an accented name on every other line: one cause, one finding, naming
 * the fix), and for UTF-16 files record offsets turned from UTF-16 units into bytes. The UTF-8
 * path keeps the caller's `onRecord` itself: no cost per row.
 */
function readerHandlers(handlers: CsvHandlers, dialect: CsvDialect, state: EncodingProblems): CsvHandlers {
  const onProblem = (found: CsvProblem): void => {
    if (found.kind !== 'invalid-utf8') {
      handlers.onProblem(found);
      return;
    }
    if (state.reported) return;
    state.reported = true;
    const name = ENCODING_NAMES[dialect.encoding];
    const looks = state.guess === undefined ? '' : ` (its bytes look like ${ENCODING_NAMES[state.guess]})`;
    const message =
      dialect.encoding === 'utf-8'
        ? `this line is the first that is not valid UTF-8${looks}; later ones are not listed: re-export the file as CSV UTF-8`
        : `this line is the first that cannot be read as ${name}; later ones are not listed`;
    handlers.onProblem({ ...found, message, ...(dialect.encoding === 'utf-8' ? { encoding: state.guess ?? 'windows-1252' } : {}) });
  };
  if (dialect.encoding !== 'utf-16le' && dialect.encoding !== 'utf-16be') return { ...handlers, onProblem };
  const { onRecord } = handlers;
  const bom = dialect.bomLength;
  return {
    ...handlers,
    onProblem,
    onRecord(record) {
      // The reader counts UTF-16 units from the text's start; every unit is two bytes.
      (record as { byteOffset: number }).byteOffset = bom + record.byteOffset * 2;
      onRecord(record);
    },
  };
}

/**
 * readCsv's loop for files that are not UTF-8: each chunk decoded by a streaming TextDecoder
 * (a character cut between two reads is kept by the decoder), the text handed to the reader as
 * in the UTF-8 loop. Offsets: a Windows-1252 character is one byte; in UTF-16 the reader counts
 * units and `readerHandlers` doubles them. Returns the bytes read.
 */
async function readTranscoded(
  fd: number,
  reader: TextReader,
  dialect: CsvDialect,
  handlers: CsvHandlers,
  limits: { chunkSize: number; maxRecordLength: number; totalBytes: number },
): Promise<number> {
  const decoder = new TextDecoder(dialect.encoding, { ignoreBOM: true });
  const singleByte = dialect.encoding === 'windows-1252';
  let skip = dialect.bomLength;
  let bytes = 0;
  let pending = '';
  let pendingQuotes = 0;
  let chunksSinceYield = 0;
  for (const chunk of readChunks(fd, limits.chunkSize)) {
    bytes += chunk.length;
    if (++chunksSinceYield === CHUNKS_PER_YIELD) {
      chunksSinceYield = 0;
      await yieldToEventLoop();
    }
    let part: Uint8Array = chunk;
    if (skip > 0) {
      const skipped = Math.min(skip, part.length);
      part = part.subarray(skipped);
      skip -= skipped;
    }
    // ASCII bytes are the same characters in Windows-1252, and latin1 is the fastest decode.
    const decoded = singleByte && isAscii(part) ? Buffer.from(part.buffer, part.byteOffset, part.length).toString('latin1') : decoder.decode(part, { stream: true });
    const input = pending + decoded;
    reader.textHasInvalidUtf8 = !singleByte && input.includes(REPLACEMENT_CHARACTER);
    const cannotEnd = !reader.started
      ? !decoded.includes('\n') && !decoded.includes('\r')
      : !decoded.includes(reader.lineChar) || (pendingQuotes % 2 === 1 && !decoded.includes('"'));
    if (cannotEnd) {
      pending = input;
      pendingQuotes += countQuotes(decoded);
    } else {
      const consumed = reader.parseText(input, false, true);
      reader.textByteStart = reader.byteOffsetAt(consumed);
      pending = input.slice(consumed);
      pendingQuotes = countQuotes(pending);
    }
    handlers.onProgress?.({ bytes, totalBytes: limits.totalBytes, rows: reader.rows });
    if (reader.stopped) return bytes;
    if (pending.length > limits.maxRecordLength) {
      reader.parseText(pending, true, true);
      if (!reader.hasStopped()) {
        handlers.onProblem(problem('unterminated-quote', reader.line, 1, `record is longer than ${limits.maxRecordLength} characters; reading stopped here`));
      }
      reader.stopped = true;
      return bytes;
    }
  }
  const rest = pending + decoder.decode();
  reader.textHasInvalidUtf8 = !singleByte && rest.includes(REPLACEMENT_CHARACTER);
  if (rest !== '') reader.parseText(rest, true, true);
  return bytes;
}

/** How a list is to be read: found by `dialectOf` from its first bytes and what the campaign declares. */
export interface CsvDialect {
  delimiter: CsvDelimiter;
  /** `declared`: given by the caller; `sniffed`: found in the first records. */
  delimiterSource: 'declared' | 'sniffed';
  encoding: CsvEncoding;
  /**
   * `bom`: a byte order mark says so (it wins over a declaration); `declared`: given by the
   * caller; `guessed`: UTF-16 without a BOM, from its zero bytes; `default`: UTF-8.
   */
  encodingSource: 'bom' | 'declared' | 'guessed' | 'default';
  /** Bytes of the byte order mark (3 for UTF-8, 2 for UTF-16, else 0). */
  bomLength: number;
  /** Bytes of the file's line break (2 for CRLF in UTF-8; 4 in UTF-16), as the reader will detect it. */
  lineBreakLength: number;
}

/** Delimiters tried, in the order that breaks ties. */
const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t', '|'];
const SNIFF_BYTES = 64 << 10;
const SNIFF_RECORDS = 10;

/** The dialect of the file open as `fd`, from its first SNIFF_BYTES (see dialectOf). */
function readDialect(fd: number, declared: CsvReadOptions): CsvDialect {
  const buffer = Buffer.allocUnsafe(SNIFF_BYTES);
  const length = readSync(fd, buffer, 0, SNIFF_BYTES, 0);
  return dialectOf(buffer.subarray(0, length), length < SNIFF_BYTES, declared);
}

/**
 * The one place lists' dialects are decided (recipient and suppression lists alike), from the
 * file's first bytes (`whole`: they are the whole file):
 * - encoding: a byte order mark (UTF-8, UTF-16LE, UTF-16BE) wins; else the declared one; else
 *   UTF-16 when the bytes are text with every other byte zero (guessed: readCsv says so); else UTF-8;
 * - delimiter: the declared one, else `sniffDelimiter` over the first records.
 */
export function dialectOf(bytes: Uint8Array, whole: boolean, declared: Pick<CsvReadOptions, 'delimiter' | 'encoding'> = {}): CsvDialect {
  let encoding: CsvEncoding = 'utf-8';
  let encodingSource: CsvDialect['encodingSource'] = 'default';
  let bomLength = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    encodingSource = 'bom';
    bomLength = 3;
  } else if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    encoding = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
    encodingSource = 'bom';
    bomLength = 2;
  } else if (declared.encoding !== undefined) {
    encoding = declared.encoding;
    encodingSource = 'declared';
  } else {
    const guessed = utf16WithoutBom(bytes);
    if (guessed !== undefined) {
      encoding = guessed;
      encodingSource = 'guessed';
    }
  }
  const body = bytes.subarray(bomLength);
  const text = encoding === 'utf-8' && isAscii(body) ? Buffer.from(body.buffer, body.byteOffset, body.length).toString('latin1') : new TextDecoder(encoding, { ignoreBOM: true }).decode(body);
  const unit = encoding === 'utf-16le' || encoding === 'utf-16be' ? 2 : 1;
  return {
    delimiter: declared.delimiter ?? sniffDelimiter(text, whole),
    delimiterSource: declared.delimiter === undefined ? 'sniffed' : 'declared',
    encoding,
    encodingSource,
    bomLength,
    lineBreakLength: lineBreakLengthOf(text) * unit,
  };
}

/** `dialectOf` for a file by its path; an unreadable file gets the defaults (the reader then reports it). */
export function sniffDialect(filePath: string, declared: Pick<CsvReadOptions, 'delimiter' | 'encoding'> = {}): CsvDialect {
  let fd: number | undefined;
  try {
    // Non-blocking: opening a FIFO must not wait for a writer (the reader refuses non-files).
    fd = openSync(filePath, constants.O_RDONLY | ((constants as Partial<typeof constants>).O_NONBLOCK ?? 0));
    if (fstatSync(fd).isFile()) return readDialect(fd, declared);
  } catch {
    // Reported by the reader.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return dialectOf(new Uint8Array(0), true, declared);
}

/** As the CSV reader decides: the first LF (after a CR or not), else CR alone, else LF. In characters. */
function lineBreakLengthOf(text: string): number {
  const lf = text.indexOf('\n');
  if (lf !== -1) return lf > 0 && text.charCodeAt(lf - 1) === 0x0d ? 2 : 1;
  return 1;
}

/**
 * UTF-16 without a byte order mark, by its zero bytes: in text that is mostly ASCII (as a
 * list's header and addresses are), every other byte is zero. At least 8 code units, a zero in
 * at least half of the high bytes and none in the low ones (where UTF-8 text has none either).
 */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const units = Math.min(bytes.length, 4096) >>> 1;
  if (units < 8) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let unit = 0; unit < units; unit++) {
    if (bytes[unit * 2] === 0) evenZeros++;
    if (bytes[unit * 2 + 1] === 0) oddZeros++;
  }
  if (oddZeros * 2 >= units && evenZeros === 0) return 'utf-16le';
  if (evenZeros * 2 >= units && oddZeros === 0) return 'utf-16be';
  return undefined;
}

/**
 * True when the bytes that are not ASCII mostly stand alone, as a single-byte encoding writes
 * them (`é` is 0xE9 followed by ASCII in Windows-1252), rather than in UTF-8 sequences.
 */
function looksLikeWindows1252(bytes: Uint8Array): boolean {
  let single = 0;
  let sequences = 0;
  for (let at = 0; at < bytes.length; at++) {
    const lead = bytes[at] ?? 0;
    if (lead < 0x80) continue;
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    let valid = length > 0 && at + length <= bytes.length;
    for (let next = 1; valid && next < length; next++) valid = ((bytes[at + next] ?? 0) & 0xc0) === 0x80;
    if (valid) {
      sequences++;
      at += length - 1;
    } else {
      single++;
    }
  }
  return single > 0 && single >= sequences;
}

/**
 * The delimiter of a list, from its first records (at most SNIFF_RECORDS within the first
 * SNIFF_BYTES), counting `,` `;` TAB `|` outside quotes:
 * - none of them in the first record: `,` (a one-column list);
 * - else the ones found in the first record that occur the same number of times in every
 *   sampled record win over the others (a delimiter is consistent, a comma inside a name is
 *   not); among those, the most frequent in the first record; ties go to `,` `;` TAB `|`.
 * `whole`: the text is the whole file, so its last record is complete.
 */
export function sniffDelimiter(text: string, whole = true): CsvDelimiter {
  const counts: number[][] = [];
  let current = [0, 0, 0, 0];
  let content = false;
  let quoted = false;
  const endRecord = (): void => {
    if (content) counts.push(current);
    current = [0, 0, 0, 0];
    content = false;
  };
  for (let at = 0; at < text.length && counts.length < SNIFF_RECORDS; at++) {
    const char = text[at] ?? '';
    if (char === '"') {
      quoted = !quoted;
      content = true;
    } else if (quoted) {
      continue;
    } else if (char === '\n' || char === '\r') {
      endRecord();
    } else {
      const index = DELIMITERS.indexOf(char as CsvDelimiter);
      if (index !== -1) current[index] = (current[index] ?? 0) + 1;
      content = true;
    }
  }
  if (whole && !quoted) endRecord();
  const first = counts[0] ?? current;
  let best: CsvDelimiter = ',';
  let bestScore = 0;
  DELIMITERS.forEach((delimiter, index) => {
    const inFirst = first[index] ?? 0;
    if (inFirst === 0) return;
    const consistent = counts.every((record) => record[index] === inFirst);
    // Consistent ones first, then by count: a score that orders both.
    const score = (consistent ? 1 << 20 : 0) + Math.min(inFirst, (1 << 20) - 1);
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  });
  return best;
}

/**
 * The file's bytes in chunks of `chunkSize`, read synchronously into one reused buffer: a chunk
 * is valid until the next one is asked for. Synchronous reads, because a recipient list is
 * almost always in the page cache (just checked out or written), where a 64 KiB `readSync`
 * is a copy of ≈ 15 µs, while each asynchronous read cost ≈ 30–50 µs on the main thread to
 * submit and settle, more than the copy it hands to the thread pool (1M-row bench: all the
 * reads took ≈ 15 ms, against ≈ 45 ms for submitting reads ahead).
 */
function* readChunks(fd: number, chunkSize: number): Generator<Buffer> {
  const buffer = Buffer.allocUnsafe(chunkSize);
  let position = 0;
  for (;;) {
    const bytesRead = readSync(fd, buffer, 0, chunkSize, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

/** Lets timers and I/O callbacks run between chunks of a long synchronous pass. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The runs of non-ASCII characters (see TextReader) of the text that the valid UTF-8 in
 * `bytes[from, to)` decodes to, in its character offsets. Found a word at a time in the bytes,
 * where a regular expression over the text measured ≈ 40 ms on the 1M-row bench (4% of rows
 * with an accented name, so a non-ASCII character in nearly every chunk).
 */
function utf8Runs(bytes: Uint8Array, from: number, to: number): number[] {
  const runs: number[] = [];
  // Bytes over UTF-16 code units so far: a character of 2 or 3 bytes is one unit, of 4 bytes two.
  let extra = 0;
  const words = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2) : undefined;
  const wordEnd = to >>> 2;
  let at = from;
  while (at < to) {
    if (words !== undefined && (at & 3) === 0) {
      let word = at >>> 2;
      while (word < wordEnd && ((words[word] ?? 0) & 0x80808080) === 0) word++;
      at = Math.max(at, word << 2);
      if (at >= to) break;
    }
    const lead = bytes[at] ?? 0;
    if (lead < 0x80) {
      at++;
      continue;
    }
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    const units = length === 4 ? 2 : 1;
    const start = at - from - extra;
    extra += length - units;
    if (runs.length > 0 && runs[runs.length - 2] === start) {
      runs[runs.length - 2] = start + units;
      runs[runs.length - 1] = extra;
    } else {
      runs.push(start, start + units, extra);
    }
    at += length;
  }
  return runs;
}

/** The runs of `first` (of `firstLength` characters) followed by `second`'s, as one text's. */
function appendRuns(first: number[], firstLength: number, second: number[]): number[] {
  if (second.length === 0) return first;
  const added = first.at(-1) ?? 0;
  const runs = first.slice();
  for (let i = 0; i < second.length; i += 3) runs.push((second[i] ?? 0) + firstLength, (second[i + 1] ?? 0) + firstLength, (second[i + 2] ?? 0) + added);
  return runs;
}

/** The runs of the text from character `from` (a record's start, so outside any run). */
function runsFrom(runs: number[], from: number): number[] | undefined {
  let first = 0;
  while (first < runs.length && (runs[first + 1] ?? 0) <= from) first += 3;
  if (first < runs.length && (runs[first] ?? 0) < from) return undefined;
  const before = first === 0 ? 0 : (runs[first - 1] ?? 0);
  const rest: number[] = [];
  for (let i = first; i < runs.length; i += 3) rest.push((runs[i] ?? 0) - from, (runs[i + 1] ?? 0) - from, (runs[i + 2] ?? 0) - before);
  return rest;
}

function countQuotes(text: string): number {
  let count = 0;
  for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) count++;
  return count;
}

function errorCode(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return 'unknown error';
}

/** Index of the column named `wanted`: exact match first, else ignoring case and surrounding spaces; -1 when absent. */
export function findColumn(names: readonly string[], wanted: string): number {
  const exact = names.indexOf(wanted);
  if (exact !== -1) return exact;
  const key = wanted.trim().toLowerCase();
  return names.findIndex((name) => name.trim().toLowerCase() === key);
}

/** Empty or spaces only, without the string `trim` would make. */
export function isBlank(value: string): boolean {
  const first = value.charCodeAt(0);
  // NaN (empty) is not > 0x20; a value starting with a visible character is not blank.
  if (first > 0x20) return false;
  return value.trim() === '';
}
