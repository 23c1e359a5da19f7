/**
 * Compact, exact structures for comparing addresses over lists of millions of rows (docs/performance.md):
 * `AddressEncoder` gives an address's compared form as bytes and a hash, once per row for every
 * rule; `AddressSet` answers "is this address in the set, and with which value?" at once
 * (the few addresses written in a campaign, for leak checks). Repeats within the recipient list
 * and suppression lists are handled by `duplicates.ts` and `rules/_recipients.ts`, which keep
 * hashes and places rather than the addresses.
 *
 * Why not `Map<string, number>`: V8 keeps every key as a heap string that the garbage collector
 * keeps tracing (bench/csv-engine.mjs --map compares). Here keys live as UTF-8 bytes, four to a word, in 4 MiB
 * blocks and everything else in typed arrays, which the collector never walks. Memory is also
 * time: on the bench machine, touching fresh memory costs ≈ 4 ms per MB (page faults), so the
 * bytes per entry below are worth keeping small.
 *
 * Exactness: hashes only pick candidates; two keys are equal only when their bytes are, so
 * there is never a false duplicate or a false suppression, whatever the hash does.
 *
 * Both normalise as `normalizeAddress` does (`trimAddress`, lower-case domain, lower-case local part
 * unless `caseSensitiveLocalPart`) while encoding, without making a new string per address.
 */
import { isAddressPadding, normalizeAddress, trimAddress, type NormalizeOptions } from './address.js';

/** Key blocks of 2^20 words (4 MiB). */
const BLOCK_BITS = 20;
const BLOCK_WORDS = 1 << BLOCK_BITS;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Turns an address into the bytes and hash of its normalised form. One encoder can feed several
 * structures (`AddressSet.getEncoded`, `AddressPlaces.add` with its hash) so each row is encoded once.
 *
 * ASCII addresses (all valid ones) are packed four characters to a 32-bit word, lower-cased
 * four at a time and hashed a word at a time: measured ≈ 2.5× faster than a loop over bytes,
 * and without TextEncoder's call cost.
 */
export class AddressEncoder {
  /** UTF-8 bytes of the last normalised address; valid up to `length`. */
  bytes: Uint8Array;
  /**
   * The same bytes four to a word (little-endian), the bytes after `length` in the last word
   * zero: stores copy and compare keys a word at a time.
   */
  words: Uint32Array;
  length = 0;
  hash = 0;
  /**
   * The address was ASCII once trimmed: `bytes` are its characters, lower-cased (false for
   * the exact `normalizeAddress` path, whose lower-casing can turn other characters into ASCII).
   */
  ascii = true;
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
    if (last >= 0 && (isAddressPadding(text.charCodeAt(0)) || isAddressPadding(text.charCodeAt(last)))) text = trimAddress(text);
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
    this.ascii = true;
    this.length = length;
    this.hash = finalize(hash);
  }

  /** The last encoded address, copied: it stays the same when the encoder encodes the next one. */
  copy(): EncodedAddress {
    return { hash: this.hash, length: this.length, words: this.words.slice(0, (this.length + 3) >>> 2) };
  }

  /** Non-ASCII: the exact `normalizeAddress` semantics (Unicode lower-casing). */
  private encodeSlowly(address: string): void {
    this.ascii = false;
    const normalised = normalizeAddress(address, { caseSensitiveLocalPart: this.caseSensitiveLocalPart });
    if (this.bytes.length < normalised.length * 3) {
      this.words = new Uint32Array(((normalised.length * 3) >>> 2) + 2);
      this.bytes = new Uint8Array(this.words.buffer);
    }
    this.length = this.textEncoder.encodeInto(normalised, this.bytes).written;
    this.bytes.fill(0, this.length, (this.length + 3) & ~3);
    let hash = FNV_OFFSET;
    for (let i = 0; i < this.length; i++) hash = Math.imul(hash ^ (this.bytes[i] ?? 0), FNV_PRIME);
    this.hash = finalize(hash);
  }
}

/** An address's compared form: what an `AddressEncoder` holds after `encode`, or a key read back (`ReadCell`). */
export interface EncodedAddress {
  readonly hash: number;
  /** Length in bytes. */
  readonly length: number;
  /** The bytes four to a word, the bytes after `length` in the last word zero. */
  readonly words: Uint32Array;
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

/** murmur3's finaliser, so that the low bits (the table slot) depend on every byte. */
function finalize(fnv: number): number {
  let hash = fnv ^ (fnv >>> 16);
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * Append-only store of keys, a word at a time: the key's byte length, then its words (see
 * `AddressEncoder.words`). Offsets count words. Copying and comparing words rather than bytes
 * measured ≈ 3× faster on 26-byte addresses.
 */
class KeyStore {
  private readonly blocks: Uint32Array[] = [];
  private current = new Uint32Array(0);
  /** Words used in `current`; starts full so that the first key allocates a block. */
  private used = BLOCK_WORDS;

  get byteLength(): number {
    return this.blocks.reduce((sum, block) => sum + block.byteLength, 0);
  }

  /** Appends the key in `encoded`; returns its offset. A key never straddles two blocks. */
  append(encoded: EncodedAddress): number {
    const { words, length } = encoded;
    const wordCount = (length + 3) >>> 2;
    const needed = 1 + wordCount;
    if (this.used + needed > BLOCK_WORDS) {
      if (this.blocks.length + 1 >= 1 << (32 - BLOCK_BITS)) throw new RangeError('address store is full (16 GiB of keys)');
      this.current = new Uint32Array(Math.max(BLOCK_WORDS, needed));
      this.blocks.push(this.current);
      this.used = 0;
    }
    const block = this.current;
    const at = this.used;
    block[at] = length;
    for (let i = 0; i < wordCount; i++) block[at + 1 + i] = words[i] ?? 0;
    // A key longer than a block has a block of its own, and the next key starts a fresh one.
    this.used = needed > BLOCK_WORDS ? BLOCK_WORDS : at + needed;
    return (this.blocks.length - 1) * BLOCK_WORDS + at;
  }

  /** True when the key stored at `offset` equals the one in `encoded`. */
  equalsEncoded(offset: number, encoded: EncodedAddress): boolean {
    const block = this.blocks[Math.floor(offset / BLOCK_WORDS)];
    const at = offset % BLOCK_WORDS;
    if (block?.[at] !== encoded.length) return false;
    const { words } = encoded;
    const wordCount = (encoded.length + 3) >>> 2;
    for (let i = 0; i < wordCount; i++) if (block[at + 1 + i] !== words[i]) return false;
    return true;
  }

  /** True when the keys stored at `left` and `right` are equal. */
  equals(left: number, right: number): boolean {
    const leftBlock = this.blocks[Math.floor(left / BLOCK_WORDS)];
    const rightBlock = this.blocks[Math.floor(right / BLOCK_WORDS)];
    const leftAt = left % BLOCK_WORDS;
    const rightAt = right % BLOCK_WORDS;
    if (leftBlock === undefined || rightBlock === undefined) return false;
    const length = leftBlock[leftAt] ?? 0;
    if (rightBlock[rightAt] !== length) return false;
    const wordCount = (length + 3) >>> 2;
    for (let i = 1; i <= wordCount; i++) if (leftBlock[leftAt + i] !== rightBlock[rightAt + i]) return false;
    return true;
  }

  /** The key stored at `offset`, as UTF-8 bytes (a view, not a copy). */
  view(offset: number): Uint8Array {
    const block = this.blocks[Math.floor(offset / BLOCK_WORDS)] ?? new Uint32Array(1);
    const at = offset % BLOCK_WORDS;
    return new Uint8Array(block.buffer, block.byteOffset + (at + 1) * 4, block[at] ?? 0);
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
 * (16–32 bytes per entry), plus 4 bytes of length and the key's UTF-8 bytes rounded up to
 * words: ≈ 48–64 bytes for a 26-byte address.
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
  addOrGetEncoded(encoded: EncodedAddress, value: number): number {
    if (!(value > 0 && value <= 0xffffffff)) throw new RangeError('AddressSet values must be positive 32-bit integers');
    const { hash } = encoded;
    const slots = this.slots;
    let slot = hash & this.mask;
    for (;;) {
      const at = slot * SLOT_WORDS;
      const offset = slots[at + 1] ?? 0;
      if (offset === 0) break;
      if (slots[at] === hash && this.keys.equalsEncoded(offset - 1, encoded)) return slots[at + 2] ?? 0;
      slot = (slot + 1) & this.mask;
    }
    const at = slot * SLOT_WORDS;
    slots[at] = hash;
    slots[at + 1] = this.keys.append(encoded) + 1;
    slots[at + 2] = value;
    this.count++;
    if (this.count > (this.mask + 1) * MAX_LOAD) this.grow();
    return 0;
  }

  /** `get` for an address already encoded (by an encoder with the same options). */
  getEncoded(encoded: EncodedAddress): number {
    const { hash } = encoded;
    const slots = this.slots;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = slot * SLOT_WORDS;
      const offset = slots[at + 1] ?? 0;
      if (offset === 0) return 0;
      if (slots[at] === hash && this.keys.equalsEncoded(offset - 1, encoded)) return slots[at + 2] ?? 0;
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
