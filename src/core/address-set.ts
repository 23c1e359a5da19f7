/**
 * Compact, exact structures for comparing addresses over lists of millions of rows (SPEC §3):
 * `AddressSet` answers "is this address on the list, and at which line?" at once (suppression
 * lists, leak checks), `DuplicateFinder` finds every repeated address of a recipient list in one
 * sort at the end.
 *
 * Why not `Map<string, number>`: V8 keeps every key as a heap string that the garbage collector
 * keeps tracing (bench/csv-engine.mjs --map compares). Here keys live as UTF-8 bytes in 4 MiB
 * blocks and everything else in typed arrays, which the collector never walks. Memory is also
 * time: on the bench machine, touching fresh memory costs ≈ 4 ms per MB (page faults), so the
 * bytes per entry below are worth keeping small.
 *
 * Exactness: hashes only pick candidates; two keys are equal only when their bytes are, so
 * there is never a false duplicate or a false suppression, whatever the hash does.
 *
 * Both normalise as `normalizeAddress` does (trim, lower-case domain, lower-case local part
 * unless `caseSensitiveLocalPart`) while encoding, without making a new string per address.
 */
import { normalizeAddress, type NormalizeOptions } from './address.js';

const BLOCK_BITS = 22;
const BLOCK_SIZE = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK_SIZE - 1;
const LONG_KEY_MARK = 0xff;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Turns an address into the bytes and hash of its normalised form. One encoder can feed several
 * structures (`AddressSet.getEncoded`, `DuplicateFinder.addEncoded`) so each row is encoded once.
 *
 * ASCII addresses (all valid ones) are packed four characters to a 32-bit word, lower-cased
 * four at a time and hashed a word at a time: measured ≈ 2.5× faster than a loop over bytes,
 * and without TextEncoder's call cost.
 */
export class AddressEncoder {
  /** UTF-8 bytes of the last normalised address; valid up to `length`. */
  bytes: Uint8Array;
  length = 0;
  hash = 0;
  private words: Uint32Array;
  private readonly caseSensitiveLocalPart: boolean;
  private readonly textEncoder = new TextEncoder();

  constructor(options: NormalizeOptions = {}) {
    this.caseSensitiveLocalPart = options.caseSensitiveLocalPart === true;
    this.words = new Uint32Array(256);
    this.bytes = new Uint8Array(this.words.buffer);
  }

  encode(address: string): void {
    let text = address;
    const last = text.length - 1;
    if (last >= 0 && (isAsciiSpace(text.charCodeAt(0)) || isAsciiSpace(text.charCodeAt(last)))) text = text.trim();
    const length = text.length;
    if (this.words.length * 4 < length + 4) {
      this.words = new Uint32Array((length >>> 2) + 2);
      this.bytes = new Uint8Array(this.words.buffer);
    }
    const words = this.words;
    // Characters before `lowerFrom` keep their case: the local part, when it is case-sensitive.
    // Without `@` the whole value is a local part (as in normalizeAddress).
    const lowerFrom = this.caseSensitiveLocalPart ? text.lastIndexOf('@') + 1 || length : 0;
    let hash = FNV_OFFSET;
    let seen = 0;
    let i = 0;
    for (; i + 4 <= length; i += 4) {
      const a = text.charCodeAt(i);
      const b = text.charCodeAt(i + 1);
      const c = text.charCodeAt(i + 2);
      const d = text.charCodeAt(i + 3);
      seen |= a | b | c | d;
      const word = lowerCaseWord(a | (b << 8) | (c << 16) | (d << 24), i, lowerFrom);
      words[i >>> 2] = word;
      hash = Math.imul(hash ^ word, FNV_PRIME);
    }
    if (i < length) {
      let word = 0;
      for (let shift = 0; i < length; i++, shift += 8) {
        const code = text.charCodeAt(i);
        seen |= code;
        word |= code << shift;
      }
      word = lowerCaseWord(word, length & ~3, lowerFrom);
      words[length >>> 2] = word;
      hash = Math.imul(hash ^ word, FNV_PRIME);
    }
    if (seen >= 0x80) {
      this.encodeSlowly(address);
      return;
    }
    this.length = length;
    this.hash = finalize(hash);
  }

  /** Non-ASCII: the exact `normalizeAddress` semantics (Unicode trim and lower-casing). */
  private encodeSlowly(address: string): void {
    const normalised = normalizeAddress(address, { caseSensitiveLocalPart: this.caseSensitiveLocalPart });
    if (this.bytes.length < normalised.length * 3) {
      this.words = new Uint32Array(((normalised.length * 3) >>> 2) + 2);
      this.bytes = new Uint8Array(this.words.buffer);
    }
    this.length = this.textEncoder.encodeInto(normalised, this.bytes).written;
    let hash = FNV_OFFSET;
    for (let i = 0; i < this.length; i++) hash = Math.imul(hash ^ (this.bytes[i] ?? 0), FNV_PRIME);
    this.hash = finalize(hash);
  }
}

/**
 * Lower-cases the ASCII letters of a word of four ASCII characters (SWAR: a byte is upper-case
 * when adding 0x3F sets its top bit and adding 0x25 does not), except those before character
 * index `lowerFrom`, the word's first character being at index `start`.
 */
function lowerCaseWord(word: number, start: number, lowerFrom: number): number {
  let upper = (word + 0x3f3f3f3f) & ~(word + 0x25252525) & 0x80808080;
  if (lowerFrom > start) upper = lowerFrom - start >= 4 ? 0 : upper & (-1 << ((lowerFrom - start) * 8));
  return (word | (upper >>> 2)) >>> 0;
}

/** The ASCII characters String.prototype.trim removes: TAB, LF, VT, FF, CR and space. */
function isAsciiSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/** murmur3's finaliser, so that the low bits (the table slot) depend on every byte. */
function finalize(fnv: number): number {
  let hash = fnv ^ (fnv >>> 16);
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Append-only store of keys: a length (1 byte, or 0xFF + 4 bytes) then the bytes; offsets are 32-bit. */
class KeyStore {
  private readonly blocks: Uint8Array[] = [];
  private current = new Uint8Array(0);
  /** Bytes used in `current`; starts full so that the first key allocates a block. */
  private used = BLOCK_SIZE;

  get byteLength(): number {
    return this.blocks.reduce((sum, block) => sum + block.byteLength, 0);
  }

  /** Appends `bytes[0, length)`; returns its offset. A key never straddles two blocks. */
  append(bytes: Uint8Array, length: number): number {
    const header = length < LONG_KEY_MARK ? 1 : 5;
    const needed = header + length;
    if (this.used + needed > BLOCK_SIZE) {
      if (this.blocks.length + 1 >= 1 << (32 - BLOCK_BITS)) throw new RangeError('address store is full (4 GiB of keys)');
      this.current = new Uint8Array(Math.max(BLOCK_SIZE, needed));
      this.blocks.push(this.current);
      this.used = 0;
    }
    const block = this.current;
    let at = this.used;
    const offset = (this.blocks.length - 1) * BLOCK_SIZE + at;
    if (header === 1) {
      block[at++] = length;
    } else {
      block[at++] = LONG_KEY_MARK;
      block[at++] = length & 0xff;
      block[at++] = (length >>> 8) & 0xff;
      block[at++] = (length >>> 16) & 0xff;
      block[at++] = (length >>> 24) & 0xff;
    }
    // A byte loop: `block.set(bytes.subarray(…))` allocates a view per key, which measured slower.
    for (let i = 0; i < length; i++) block[at + i] = bytes[i] ?? 0;
    // A key longer than a block has a block of its own, and the next key starts a fresh one.
    this.used = needed > BLOCK_SIZE ? BLOCK_SIZE : at + length;
    return offset;
  }

  /** True when the key stored at `offset` equals `bytes[0, length)`. */
  equals(offset: number, bytes: Uint8Array, length: number): boolean {
    const block = this.blocks[offset >>> BLOCK_BITS];
    if (block === undefined) return false;
    let at = offset & BLOCK_MASK;
    let storedLength = block[at++] ?? 0;
    if (storedLength === LONG_KEY_MARK) {
      storedLength = ((block[at] ?? 0) | ((block[at + 1] ?? 0) << 8) | ((block[at + 2] ?? 0) << 16) | ((block[at + 3] ?? 0) << 24)) >>> 0;
      at += 4;
    }
    if (storedLength !== length) return false;
    for (let i = 0; i < length; i++) if (block[at + i] !== bytes[i]) return false;
    return true;
  }

  /** The key stored at `offset`, as bytes (a view, not a copy). */
  view(offset: number): Uint8Array {
    const block = this.blocks[offset >>> BLOCK_BITS] ?? new Uint8Array(0);
    let at = offset & BLOCK_MASK;
    let length = block[at++] ?? 0;
    if (length === LONG_KEY_MARK) {
      length = ((block[at] ?? 0) | ((block[at + 1] ?? 0) << 8) | ((block[at + 2] ?? 0) << 16) | ((block[at + 3] ?? 0) << 24)) >>> 0;
      at += 4;
    }
    return block.subarray(at, at + length);
  }
}

const MAX_LOAD = 0.75;
// A slot is three consecutive words: hash, key offset + 1 (0 = empty), value. One array rather
// than three keeps a probe to one cache miss, which is what a lookup in a large table costs.
const SLOT_WORDS = 3;

export interface AddressSetOptions extends NormalizeOptions {
  /** Entries expected; the table starts large enough for them (it grows anyway). */
  expectedSize?: number;
}

/**
 * A set of addresses, each mapped to a positive number (typically the line it was read from).
 *
 * Memory per entry: 12 bytes per slot at a load factor kept between 0.375 and 0.75
 * (16–32 bytes per entry), plus the key's UTF-8 length + 1 (+ 5 above 254 bytes):
 * ≈ 43–59 bytes for a 26-byte address. 100k suppression entries ≈ 6 MB with one key block.
 */
export class AddressSet {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  private readonly keys = new KeyStore();
  private readonly encoder: AddressEncoder;

  constructor(options: AddressSetOptions = {}) {
    let capacity = 16;
    while (capacity * MAX_LOAD < (options.expectedSize ?? 0)) capacity *= 2;
    this.slots = new Uint32Array(capacity * SLOT_WORDS);
    this.mask = capacity - 1;
    this.encoder = new AddressEncoder(options);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table and key blocks (what the set adds to the process's memory). */
  get byteLength(): number {
    return this.slots.byteLength + this.keys.byteLength;
  }

  /**
   * Adds `address` with `value` (a positive integer below 2^32) unless it is present. Returns 0
   * when added, or the value stored when the same (normalised) address was first added.
   */
  addOrGet(address: string, value: number): number {
    this.encoder.encode(address);
    return this.addOrGetEncoded(this.encoder, value);
  }

  /** The value stored for `address`, or 0 when absent. */
  get(address: string): number {
    this.encoder.encode(address);
    return this.getEncoded(this.encoder);
  }

  has(address: string): boolean {
    return this.get(address) !== 0;
  }

  /** `addOrGet` for an address already encoded (by an encoder with the same options). */
  addOrGetEncoded(encoded: AddressEncoder, value: number): number {
    if (!(value > 0 && value <= 0xffffffff)) throw new RangeError('AddressSet values must be positive 32-bit integers');
    const { hash, bytes, length } = encoded;
    const slots = this.slots;
    let slot = hash & this.mask;
    for (;;) {
      const at = slot * SLOT_WORDS;
      const offset = slots[at + 1] ?? 0;
      if (offset === 0) break;
      if (slots[at] === hash && this.keys.equals(offset - 1, bytes, length)) return slots[at + 2] ?? 0;
      slot = (slot + 1) & this.mask;
    }
    const at = slot * SLOT_WORDS;
    slots[at] = hash;
    slots[at + 1] = this.keys.append(bytes, length) + 1;
    slots[at + 2] = value;
    this.count++;
    if (this.count > (this.mask + 1) * MAX_LOAD) this.grow();
    return 0;
  }

  /** `get` for an address already encoded (by an encoder with the same options). */
  getEncoded(encoded: AddressEncoder): number {
    const { hash, bytes, length } = encoded;
    const slots = this.slots;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = slot * SLOT_WORDS;
      const offset = slots[at + 1] ?? 0;
      if (offset === 0) return 0;
      if (slots[at] === hash && this.keys.equals(offset - 1, bytes, length)) return slots[at + 2] ?? 0;
    }
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    const slots = new Uint32Array(capacity * SLOT_WORDS);
    const mask = capacity - 1;
    for (let from = 0; from < old.length; from += SLOT_WORDS) {
      if (old[from + 1] === 0) continue;
      const hash = old[from] ?? 0;
      let slot = hash & mask;
      while (slots[slot * SLOT_WORDS + 1] !== 0) slot = (slot + 1) & mask;
      const to = slot * SLOT_WORDS;
      slots[to] = hash;
      slots[to + 1] = old[from + 1] ?? 0;
      slots[to + 2] = old[from + 2] ?? 0;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

export interface Duplicate {
  /** Line of the repeat. */
  line: number;
  /** Line of the address's first occurrence. */
  firstLine: number;
}

const CHUNK_BITS = 16;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const RADIX_BITS = 11;
const RADIX_SIZE = 1 << RADIX_BITS;

/**
 * Finds repeated addresses in a list, exactly, for lists of millions of rows.
 *
 * `add` only appends (hash, key offset, line) to typed-array chunks and the key bytes to the
 * store: sequential writes, no lookups. `finish` sorts the hashes (stable LSD radix sort) and
 * compares the bytes of entries whose hashes are equal. A hash table answers at once but pays
 * a cache miss per row once the table outgrows the cache: on 1M addresses (in memory, shared
 * machine), AddressSet's adds measured 0.55–0.85 s, these appends 0.27–0.31 s plus 0.1–0.2 s
 * for `finish`, encoding included in both.
 * Repeats are therefore known only at the end: a rule reports them from `recipientsEnd`.
 *
 * Memory per entry: 12 bytes (hash, offset, line) + the key's UTF-8 length + 1, and during
 * `finish` 16 bytes more. For 26-byte addresses: ≈ 39 bytes, ≈ 55 at the peak of `finish`
 * (10M rows ≈ 390 MB, ≈ 550 MB at the peak).
 */
export class DuplicateFinder {
  private readonly hashes: Uint32Array[] = [];
  private readonly offsets: Uint32Array[] = [];
  private readonly lines: Uint32Array[] = [];
  private currentHashes = new Uint32Array(0);
  private currentOffsets = new Uint32Array(0);
  private currentLines = new Uint32Array(0);
  private count = 0;
  private readonly keys = new KeyStore();
  private readonly encoder: AddressEncoder;
  private finished = false;

  constructor(options: NormalizeOptions = {}) {
    this.encoder = new AddressEncoder(options);
  }

  get size(): number {
    return this.count;
  }

  get byteLength(): number {
    return this.hashes.length * CHUNK_SIZE * 12 + this.keys.byteLength;
  }

  add(address: string, line: number): void {
    this.encoder.encode(address);
    this.addEncoded(this.encoder, line);
  }

  /** `add` for an address already encoded (by an encoder with the same options). */
  addEncoded(encoded: AddressEncoder, line: number): void {
    if (this.finished) throw new Error('DuplicateFinder.add after finish');
    if (!(line > 0 && line <= 0xffffffff)) throw new RangeError('lines must be positive 32-bit integers');
    const at = this.count & (CHUNK_SIZE - 1);
    if (at === 0) {
      this.currentHashes = new Uint32Array(CHUNK_SIZE);
      this.currentOffsets = new Uint32Array(CHUNK_SIZE);
      this.currentLines = new Uint32Array(CHUNK_SIZE);
      this.hashes.push(this.currentHashes);
      this.offsets.push(this.currentOffsets);
      this.lines.push(this.currentLines);
    }
    this.currentHashes[at] = encoded.hash;
    this.currentOffsets[at] = this.keys.append(encoded.bytes, encoded.length);
    this.currentLines[at] = line;
    this.count++;
  }

  /** Every repeat, in the order added, each naming the first occurrence's line. Call once. */
  finish(): Duplicate[] {
    this.finished = true;
    const count = this.count;
    let sortedHashes = new Uint32Array(count);
    let sortedEntries = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      sortedHashes[i] = this.hashes[i >>> CHUNK_BITS]?.[i & (CHUNK_SIZE - 1)] ?? 0;
      sortedEntries[i] = i;
    }
    let spareHashes = new Uint32Array(count);
    let spareEntries = new Uint32Array(count);
    const buckets = new Uint32Array(RADIX_SIZE);
    for (let shift = 0; shift < 32; shift += RADIX_BITS) {
      buckets.fill(0);
      for (let i = 0; i < count; i++) {
        const bucket = ((sortedHashes[i] ?? 0) >>> shift) & (RADIX_SIZE - 1);
        buckets[bucket] = (buckets[bucket] ?? 0) + 1;
      }
      let total = 0;
      for (let b = 0; b < RADIX_SIZE; b++) {
        const size = buckets[b] ?? 0;
        buckets[b] = total;
        total += size;
      }
      for (let i = 0; i < count; i++) {
        const hash = sortedHashes[i] ?? 0;
        const bucket = (hash >>> shift) & (RADIX_SIZE - 1);
        const to = buckets[bucket] ?? 0;
        buckets[bucket] = to + 1;
        spareHashes[to] = hash;
        spareEntries[to] = sortedEntries[i] ?? 0;
      }
      [sortedHashes, spareHashes] = [spareHashes, sortedHashes];
      [sortedEntries, spareEntries] = [spareEntries, sortedEntries];
    }

    const duplicates: Duplicate[] = [];
    const offsetOf = (entry: number): number => this.offsets[entry >>> CHUNK_BITS]?.[entry & (CHUNK_SIZE - 1)] ?? 0;
    const lineOf = (entry: number): number => this.lines[entry >>> CHUNK_BITS]?.[entry & (CHUNK_SIZE - 1)] ?? 0;
    const repeats: number[] = [];
    for (let start = 0; start < count; ) {
      let end = start + 1;
      while (end < count && sortedHashes[end] === sortedHashes[start]) end++;
      // Entries with one hash are in the order added (the sort is stable): each is compared
      // with the earlier ones and, when equal to one, names the earliest.
      for (let later = start + 1; later < end; later++) {
        const laterEntry = sortedEntries[later] ?? 0;
        const key = this.keys.view(offsetOf(laterEntry));
        for (let earlier = start; earlier < later; earlier++) {
          const earlierEntry = sortedEntries[earlier] ?? 0;
          if (this.keys.equals(offsetOf(earlierEntry), key, key.length)) {
            repeats.push(laterEntry, earlierEntry);
            break;
          }
        }
      }
      start = end;
    }
    const pairs: [number, number][] = [];
    for (let i = 0; i < repeats.length; i += 2) pairs.push([repeats[i] ?? 0, repeats[i + 1] ?? 0]);
    pairs.sort((a, b) => a[0] - b[0]);
    for (const [laterEntry, earlierEntry] of pairs) duplicates.push({ line: lineOf(laterEntry), firstLine: lineOf(earlierEntry) });
    return duplicates;
  }
}
