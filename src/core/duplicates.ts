/**
 * Repeated addresses in a recipient list of millions of rows, found exactly (rule
 * `recipient-duplicate`, docs/rules/recipient-duplicate.md).
 *
 * During the shared pass, `AddressPlaces` keeps for every address only its hash and where it is
 * (line, column, byte offset of its record): 12 bytes a row, 16 with an address column other
 * than the first. The addresses themselves stay in the file. At the end, `findRepeats` sorts the
 * hashes, and reads back from the file just the cells whose hash is shared, to compare them
 * exactly: a repeat is a repeat of bytes, never of hashes.
 *
 * Why not keep the addresses: on the bench machine every fresh MB costs ≈ 3.5 ms of page
 * faults, and 1M addresses kept as bytes (≈ 32 MB with their lengths) measured ≈ 0.25 s of the
 * run; a hash table answering at once pays a cache miss per row on top. Reading back a few
 * thousand cells costs milliseconds.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import Papa from 'papaparse';
import { AddressEncoder } from './address-set.js';
import type { EncodedAddress } from './address-set.js';
import { trimAddress } from './address.js';
import type { NormalizeOptions } from './address.js';
import { readCsv } from '../parsers/csv.js';
import type { CsvDelimiter, CsvEncoding } from '../parsers/csv.js';

const CHUNK_BITS = 16;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const RADIX_BITS = 16;
const RADIX_SIZE = 1 << RADIX_BITS;
/** Below this many entries a comparison sort is cheaper than the radix sort's buckets. */
const SMALL_SORT = 4096;
const TWO_TO_32 = 2 ** 32;

/** Entry `entry` of a list stored in CHUNK_SIZE chunks. */
function entryValue(chunks: readonly Uint32Array[], entry: number): number {
  return chunks[entry >>> CHUNK_BITS]?.[entry & (CHUNK_SIZE - 1)] ?? 0;
}

/** Where one address of the list is. */
export interface AddressPlace {
  /** Order of addition, from 0. */
  entry: number;
  hash: number;
  /** Line and column of the address cell. */
  line: number;
  column: number;
  /** Byte offset of the record holding it. */
  byteOffset: number;
}

/**
 * Hash and place of every address of a list, in typed-array chunks (sequential writes, no
 * look-ups). Memory per address: 12 bytes; 4 more for a column other than 1 and 4 more for
 * offsets past 4 GiB, each kept only once one occurs; 2–4 bits more while `collisions` runs.
 */
export class AddressPlaces {
  private readonly hashes: Uint32Array[] = [];
  private readonly lines: Uint32Array[] = [];
  private readonly offsets: Uint32Array[] = [];
  /** Empty while every column is 1 (the address is the first field, as in most lists). */
  private readonly columns: Uint32Array[] = [];
  /** Empty while every offset is below 4 GiB. */
  private readonly offsetsHigh: Uint32Array[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  get byteLength(): number {
    return (this.hashes.length * 3 + this.columns.length + this.offsetsHigh.length) * CHUNK_SIZE * 4;
  }

  add(hash: number, line: number, column: number, byteOffset: number): void {
    if (!(line > 0 && line <= 0xffffffff)) throw new RangeError('lines must be positive 32-bit integers');
    const entry = this.count;
    const at = entry & (CHUNK_SIZE - 1);
    if (at === 0) {
      this.hashes.push(new Uint32Array(CHUNK_SIZE));
      this.lines.push(new Uint32Array(CHUNK_SIZE));
      this.offsets.push(new Uint32Array(CHUNK_SIZE));
    }
    const chunk = entry >>> CHUNK_BITS;
    const hashes = this.hashes[chunk];
    const lines = this.lines[chunk];
    const offsets = this.offsets[chunk];
    if (!hashes || !lines || !offsets) return;
    hashes[at] = hash;
    lines[at] = line;
    offsets[at] = byteOffset % TWO_TO_32;
    if (column !== 1 || this.columns.length > 0) setLazily(this.columns, entry, column, 1);
    if (byteOffset >= TWO_TO_32 || this.offsetsHigh.length > 0) setLazily(this.offsetsHigh, entry, Math.floor(byteOffset / TWO_TO_32), 0);
    this.count++;
  }

  /** Entries used in chunk `chunk` (the last one is partly filled). */
  private chunkLength(chunk: number): number {
    return Math.min(CHUNK_SIZE, this.count - chunk * CHUNK_SIZE);
  }

  private place(entry: number, hash: number): AddressPlace {
    const high = this.offsetsHigh.length === 0 ? 0 : entryValue(this.offsetsHigh, entry);
    return {
      entry,
      hash,
      line: entryValue(this.lines, entry),
      column: this.columns.length === 0 ? 1 : entryValue(this.columns, entry),
      byteOffset: high * TWO_TO_32 + entryValue(this.offsets, entry),
    };
  }

  /** The places whose hash passes `test`, in the order added. */
  select(test: (hash: number) => boolean): AddressPlace[] {
    const selected: AddressPlace[] = [];
    this.hashes.forEach((hashes, chunk) => {
      const end = this.chunkLength(chunk);
      for (let i = 0; i < end; i++) {
        const hash = hashes[i] ?? 0;
        if (test(hash)) selected.push(this.place(chunk * CHUNK_SIZE + i, hash));
      }
    });
    return selected;
  }

  /** Every entry's hash in increasing order, with the entries in the order added where hashes are equal. */
  sortedByHash(): { hashes: Uint32Array; entries: Uint32Array } {
    const all = new Uint32Array(this.count);
    for (let entry = 0; entry < this.count; entry++) all[entry] = entry;
    return this.sortByHash(all);
  }

  /** Groups of two or more addresses with one hash, each in the order added. */
  collisions(): AddressPlace[][] {
    const { hashes, entries } = this.sortByHash(this.sharedSlotEntries());
    const groups: AddressPlace[][] = [];
    for (let start = 0; start < hashes.length; ) {
      const hash = hashes[start] ?? 0;
      let end = start + 1;
      while (end < hashes.length && hashes[end] === hash) end++;
      if (end - start > 1) {
        const group: AddressPlace[] = [];
        for (let i = start; i < end; i++) group.push(this.place(entries[i] ?? 0, hash));
        groups.push(group);
      }
      start = end;
    }
    return groups;
  }

  /**
   * The entries whose hash falls in a slot (8 per entry) that another entry's hash falls in too:
   * every repeat and ≈ 1 in 8 other addresses. Two passes over the hashes with 2-bit counters
   * (a quarter of a byte per slot) spare sorting all of them: a radix sort of every hash
   * measured ≈ 0.1 s and 16 bytes a row on 1M rows.
   */
  private sharedSlotEntries(): Uint32Array {
    let slots = 1 << 16;
    while (slots < this.count * 8) slots *= 2;
    const mask = slots - 1;
    const counters = new Uint8Array(slots >>> 2);
    this.hashes.forEach((hashes, chunk) => {
      const end = this.chunkLength(chunk);
      for (let i = 0; i < end; i++) {
        const slot = (hashes[i] ?? 0) & mask;
        const shift = (slot & 3) << 1;
        const byte = counters[slot >>> 2] ?? 0;
        if (((byte >>> shift) & 3) < 2) counters[slot >>> 2] = byte + (1 << shift);
      }
    });
    let shared = new Uint32Array(1024);
    let count = 0;
    this.hashes.forEach((hashes, chunk) => {
      const end = this.chunkLength(chunk);
      for (let i = 0; i < end; i++) {
        const slot = (hashes[i] ?? 0) & mask;
        if ((((counters[slot >>> 2] ?? 0) >>> ((slot & 3) << 1)) & 3) < 2) continue;
        if (count === shared.length) {
          const grown = new Uint32Array(shared.length * 2);
          grown.set(shared);
          shared = grown;
        }
        shared[count++] = chunk * CHUNK_SIZE + i;
      }
    });
    return shared.subarray(0, count);
  }

  /** `entries` (in the order added) ordered by hash, equal hashes in the order added: a stable LSD radix sort in two passes. */
  private sortByHash(entries: Uint32Array): { hashes: Uint32Array; entries: Uint32Array } {
    const count = entries.length;
    // A short list (every small campaign): two passes over 65,536 buckets cost more than sorting it.
    if (count < SMALL_SORT) {
      const order = [...entries].map((entry) => ({ entry, hash: entryValue(this.hashes, entry) }));
      order.sort((a, b) => a.hash - b.hash || a.entry - b.entry);
      return { hashes: Uint32Array.from(order, (item) => item.hash), entries: Uint32Array.from(order, (item) => item.entry) };
    }
    const spareHashes = new Uint32Array(count);
    const spareEntries = new Uint32Array(count);
    const buckets = new Uint32Array(RADIX_SIZE);
    for (const entry of entries) {
      const bucket = entryValue(this.hashes, entry) & (RADIX_SIZE - 1);
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    prefixSums(buckets);
    for (const entry of entries) {
      const hash = entryValue(this.hashes, entry);
      const to = buckets[hash & (RADIX_SIZE - 1)] ?? 0;
      buckets[hash & (RADIX_SIZE - 1)] = to + 1;
      spareHashes[to] = hash;
      spareEntries[to] = entry;
    }
    const sortedHashes = new Uint32Array(count);
    const sortedEntries = new Uint32Array(count);
    buckets.fill(0);
    for (let i = 0; i < count; i++) {
      const bucket = (spareHashes[i] ?? 0) >>> RADIX_BITS;
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    prefixSums(buckets);
    for (let i = 0; i < count; i++) {
      const hash = spareHashes[i] ?? 0;
      const to = buckets[hash >>> RADIX_BITS] ?? 0;
      buckets[hash >>> RADIX_BITS] = to + 1;
      sortedHashes[to] = hash;
      sortedEntries[to] = spareEntries[i] ?? 0;
    }
    return { hashes: sortedHashes, entries: sortedEntries };
  }
}

/** Sets `chunks[entry] = value`, making the chunks first (filled with `fill`) when none exist yet. */
function setLazily(chunks: Uint32Array[], entry: number, value: number, fill: number): void {
  while (chunks.length <= entry >>> CHUNK_BITS) chunks.push(new Uint32Array(CHUNK_SIZE).fill(fill));
  const chunk = chunks[entry >>> CHUNK_BITS];
  if (chunk) chunk[entry & (CHUNK_SIZE - 1)] = value;
}

/** Turns bucket sizes into each bucket's first index. */
function prefixSums(buckets: Uint32Array): void {
  let total = 0;
  for (let b = 0; b < buckets.length; b++) {
    const size = buckets[b] ?? 0;
    buckets[b] = total;
    total += size;
  }
}

export interface RepeatedAddress {
  /** Line and column of the repeat's address cell. */
  line: number;
  column: number;
  /** Line of the address's first occurrence. */
  firstLine: number;
  /** The repeat's cell as written, trimmed. */
  address: string;
  /** Byte offset of the repeat's record (what `fix-list` drops). */
  byteOffset: number;
}

export interface ListSource extends NormalizeOptions {
  filePath: string;
  /** Index of the address column. */
  column: number;
  /** The file's line break, as the reader detected it. */
  lineBreak: '\n' | '\r\n' | '\r';
  /** The field separator the list was read with (default `,`). */
  delimiter?: CsvDelimiter;
  /** The encoding the list was read with (default UTF-8): offsets are in its bytes. */
  encoding?: CsvEncoding;
  /**
   * The address a cell holds, when it is not the cell itself (suppression lists: `Name <addr>`,
   * `mailto:addr`): applied to every cell read back, as it was in the pass, so hashes agree.
   */
  cellValue?: (cell: string) => string;
  /** Byte offset of the first row when it is data, not a header (a header-less list). */
  firstRowOffset?: number;
}

/**
 * Cells are read back one by one (≈ 10–20 µs each) unless there are more than this many per
 * row of the list, when one more pass over the whole file (≈ 1 µs a row) is cheaper. A 10M-row
 * list has ≈ 22,000 pairs of different addresses sharing a 32-bit hash, so seeking must stay
 * the choice there.
 */
const CELLS_READ_BY_OFFSET_PER_ROW = 1 / 16;
const MIN_CELLS_READ_BY_OFFSET = 20_000;
// Most records are well under this; a longer one is read again with a window four times larger.
const FIRST_WINDOW = 512;
/**
 * Bytes read at a time for cells read back, so that cells close together cost one read: a read
 * costs ≈ 10 µs whatever its size up to here (1M-row bench: 3,200 -> 2,000 reads for ≈ 3,000 cells).
 */
const SHARED_READ = 32 << 10;
const MAX_WINDOW = 16 << 20;

/** A cell read back: its normalised key and hash (an `EncodedAddress`), and its value as written, trimmed. */
export interface ReadCell extends EncodedAddress {
  address: string;
}

/**
 * Every repeated address, in list order, each naming its first occurrence: the cells whose
 * hash another cell shares are read back and compared exactly.
 */
export async function findRepeats(places: AddressPlaces, source: ListSource): Promise<RepeatedAddress[]> {
  const groups = places.collisions();
  if (groups.length === 0) return [];
  const cells = await readCells(groups.flat(), places.size, source);
  const repeats: { entry: number; repeat: RepeatedAddress }[] = [];
  for (const group of groups) {
    for (let later = 1; later < group.length; later++) {
      const laterPlace = group[later];
      const laterCell = laterPlace && cells.get(laterPlace.entry);
      if (!laterPlace || !laterCell) continue;
      for (let earlier = 0; earlier < later; earlier++) {
        const earlierPlace = group[earlier];
        const earlierCell = earlierPlace && cells.get(earlierPlace.entry);
        if (!earlierPlace || !earlierCell || !sameKey(earlierCell, laterCell)) continue;
        repeats.push({ entry: laterPlace.entry, repeat: { line: laterPlace.line, column: laterPlace.column, firstLine: earlierPlace.line, address: laterCell.address, byteOffset: laterPlace.byteOffset } });
        break;
      }
    }
  }
  return repeats.sort((a, b) => a.entry - b.entry).map(({ repeat }) => repeat);
}

/**
 * The cells at `wanted` (places of a list of `listSize` rows), keyed by entry: read one by one
 * at their offsets, or in one more pass over the file when there are many, or when a cell read
 * back does not have the hash it had in the pass.
 */
export async function readCells(wanted: readonly AddressPlace[], listSize: number, source: ListSource): Promise<Map<number, ReadCell>> {
  const seek = wanted.length <= Math.max(MIN_CELLS_READ_BY_OFFSET, listSize * CELLS_READ_BY_OFFSET_PER_ROW);
  return (seek ? readCellsByOffset(wanted, source) : undefined) ?? (await readCellsInOnePass(wanted, source));
}

/** True when two encoded addresses are the same address (the same normalised bytes). */
export function sameKey(left: EncodedAddress, right: EncodedAddress): boolean {
  if (left.length !== right.length) return false;
  const wordCount = (left.length + 3) >>> 2;
  for (let i = 0; i < wordCount; i++) if (left.words[i] !== right.words[i]) return false;
  return true;
}

function cellOf(value: string, encoder: AddressEncoder): ReadCell {
  encoder.encode(value);
  // A copy, not a slice: a cell string from the reader keeps its whole 64 KiB text alive, and
  // 44,000 of them kept a 10M-row list's every text (≈ 600 MB).
  const address = Buffer.from(trimAddress(value), 'utf8').toString('utf8');
  return { ...encoder.copy(), address };
}

/**
 * Reads each wanted record at its byte offset. Undefined when a cell read back does not have
 * the hash it had in the pass (offsets drift after invalid UTF-8, or the file changed).
 *
 * Synchronous reads on purpose: a few thousand small reads through the thread pool measured
 * ≈ 0.14 ms each, against a few microseconds for `readSync`.
 */
function readCellsByOffset(wanted: readonly AddressPlace[], source: ListSource): Map<number, ReadCell> | undefined {
  const encoder = new AddressEncoder({ caseSensitiveLocalPart: source.caseSensitiveLocalPart === true });
  const decoder = new TextDecoder(source.encoding ?? 'utf-8', { ignoreBOM: true });
  const parser = new RecordParser(source.lineBreak, source.delimiter ?? ',');
  const cells = new Map<number, ReadCell>();
  let fd: number | undefined;
  try {
    fd = openSync(source.filePath, 'r');
    // Places in file order share reads: a cell within the last read is taken from it.
    const shared = Buffer.alloc(SHARED_READ);
    let sharedStart = -1;
    let sharedLength = 0;
    let buffer = Buffer.alloc(0);
    for (const place of [...wanted].sort((a, b) => a.byteOffset - b.byteOffset)) {
      let at = place.byteOffset - sharedStart;
      if (sharedStart === -1 || at + FIRST_WINDOW > sharedLength) {
        sharedLength = readSync(fd, shared, 0, SHARED_READ, place.byteOffset);
        sharedStart = place.byteOffset;
        at = 0;
      }
      const end = Math.min(sharedLength, at + FIRST_WINDOW);
      let fields = parser.firstRecord(decoder.decode(shared.subarray(at, end)), sharedLength < SHARED_READ && end === sharedLength);
      // A record longer than the first window: read again, with windows four times larger.
      for (let size = FIRST_WINDOW * 4; fields === undefined && size <= MAX_WINDOW; size *= 4) {
        if (buffer.length < size) buffer = Buffer.alloc(size);
        const bytesRead = readSync(fd, buffer, 0, size, place.byteOffset);
        fields = parser.firstRecord(decoder.decode(buffer.subarray(0, bytesRead)), bytesRead < size);
      }
      const value = fields?.[source.column];
      if (value === undefined) return undefined;
      const cell = cellOf(source.cellValue ? source.cellValue(value) : value, encoder);
      if (encoder.hash !== place.hash) return undefined;
      cells.set(place.entry, cell);
    }
    return cells;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** papaparse's chunk parser, kept for every record read back (Papa.parse sets up a new one per call). */
class RecordParser {
  private fields: string[] | undefined;
  private readonly parser: { parse(input: string, baseIndex: number, ignoreLastRow: boolean): unknown; abort(): void };

  constructor(lineBreak: ListSource['lineBreak'], delimiter: CsvDelimiter) {
    const ChunkParser = Papa.Parser as unknown as new (config: object) => RecordParser['parser'];
    this.parser = new ChunkParser({
      // Without fastMode, papaparse stops at the first record instead of splitting the window into lines.
      fastMode: false,
      delimiter,
      quoteChar: '"',
      newline: lineBreak,
      // Only the first record is wanted. The abort flag stays set, so every later parse also
      // stops after its first record.
      step: (result: { data: string[][] }) => {
        this.fields = result.data[0];
        this.parser.abort();
      },
    });
  }

  /**
   * The fields of the record `text` starts with; undefined when `text` may end before the record
   * does (more text is needed), unless `atEnd` says the file ends there.
   */
  firstRecord(text: string, atEnd: boolean): string[] | undefined {
    this.fields = undefined;
    // Without `ignoreLastRow` a record cut by the window's end would look whole: parse as if
    // more may follow, and accept an unterminated last record only at the end of the file.
    this.parser.parse(text, 0, !atEnd);
    return this.fields;
  }
}

/** Reads the wanted cells in one pass over the file, matching records by their byte offsets. */
async function readCellsInOnePass(wanted: readonly AddressPlace[], source: ListSource): Promise<Map<number, ReadCell>> {
  const encoder = new AddressEncoder({ caseSensitiveLocalPart: source.caseSensitiveLocalPart === true });
  const byOffset = new Map(wanted.map((place) => [place.byteOffset, place.entry]));
  const cells = new Map<number, ReadCell>();
  const { cellValue } = source;
  const add = (entry: number | undefined, value: string | undefined): void => {
    if (entry !== undefined && value !== undefined) cells.set(entry, cellOf(cellValue ? cellValue(value) : value, encoder));
  };
  await readCsv(
    source.filePath,
    {
      onHeader(header) {
        // A header-less list's first row is an entry too.
        if (source.firstRowOffset !== undefined) add(byOffset.get(source.firstRowOffset), header.names[source.column]);
      },
      onRecord(record) {
        add(byOffset.get(record.byteOffset), record.fields[source.column]);
      },
      onProblem() {
        // recipients-file and recipient-suppressed report the files' problems.
      },
    },
    { delimiter: source.delimiter ?? ',', ...(source.encoding === undefined ? {} : { encoding: source.encoding }) },
  );
  return cells;
}
