/**
 * A compact set of normalised addresses, each mapped to a positive number (the line where it
 * was first seen), for duplicate and suppression checks over lists of millions of rows.
 *
 * Why not `Map<string, number>`: V8 keeps every key as a heap string (≈ 40–60 bytes plus the
 * map entry) that the garbage collector keeps tracing; at 1M addresses that cost more time than
 * parsing the CSV. Here the keys live as UTF-8 bytes in 4 MiB blocks and the table is three
 * typed arrays, which the collector never walks.
 *
 * Exactness: a slot holds a 32-bit hash, the key's offset in the byte blocks and the value.
 * A lookup compares hashes first and then the stored bytes, so two different addresses are
 * never taken as equal (no false duplicate, no false suppression), whatever the hash does.
 *
 * Memory per entry: 12 bytes per slot at a load factor kept between 0.375 and 0.75
 * (16–32 bytes per entry), plus the key's UTF-8 length + 1 (or + 5 above 254 bytes).
 * For ~26-byte addresses: ≈ 43–59 bytes per entry; 10M entries ≈ 470 MB at load 0.6.
 */

const BLOCK_BITS = 22;
const BLOCK_SIZE = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK_SIZE - 1;
const LONG_KEY_MARK = 0xff;
const MAX_LOAD = 0.75;

// A slot is three consecutive words: hash, key offset + 1 (0 = empty), value. One array rather
// than three keeps a probe to one cache miss, which is what a lookup in a large table costs.
const SLOT_WORDS = 3;

export class AddressSet {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  private readonly blocks: Uint8Array[] = [];
  private currentBlock = new Uint8Array(0);
  /** Bytes used in `currentBlock`; starts full so that the first key allocates a block. */
  private blockUsed = BLOCK_SIZE;
  private scratch = new Uint8Array(1024);
  private readonly encoder = new TextEncoder();
  private lastHash = 0;

  constructor(expectedSize = 1024) {
    let capacity = 16;
    while (capacity * MAX_LOAD < expectedSize) capacity *= 2;
    this.slots = new Uint32Array(capacity * SLOT_WORDS);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table and key blocks (what the set adds to the process's memory). */
  get byteLength(): number {
    return this.slots.byteLength + this.blocks.reduce((sum, block) => sum + block.byteLength, 0);
  }

  /**
   * Adds `key` with `value` (a positive integer below 2^32) unless it is present. Returns 0 when
   * added, or the value stored by the first `add` of the same key (the earlier line).
   */
  addOrGet(key: string, value: number): number {
    if (!(value > 0 && value <= 0xffffffff)) throw new RangeError('AddressSet values must be positive 32-bit integers');
    const length = this.encode(key);
    const hash = this.lastHash;
    const slots = this.slots;
    let slot = hash & this.mask;
    for (;;) {
      const at = slot * SLOT_WORDS;
      const offset = slots[at + 1] ?? 0;
      if (offset === 0) break;
      if (slots[at] === hash && this.keyEquals(offset - 1, length)) return slots[at + 2] ?? 0;
      slot = (slot + 1) & this.mask;
    }
    const at = slot * SLOT_WORDS;
    slots[at] = hash;
    slots[at + 1] = this.store(length) + 1;
    slots[at + 2] = value;
    this.count++;
    if (this.count > (this.mask + 1) * MAX_LOAD) this.grow();
    return 0;
  }

  /** The value stored for `key`, or 0 when absent. */
  get(key: string): number {
    const length = this.encode(key);
    const hash = this.lastHash;
    const slots = this.slots;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = slot * SLOT_WORDS;
      const offset = slots[at + 1] ?? 0;
      if (offset === 0) return 0;
      if (slots[at] === hash && this.keyEquals(offset - 1, length)) return slots[at + 2] ?? 0;
    }
  }

  has(key: string): boolean {
    return this.get(key) !== 0;
  }

  /**
   * Writes `key` as UTF-8 into `scratch` and its hash into `lastHash`; returns the byte length.
   * ASCII, the common case, is copied and hashed in one loop without the encoder.
   */
  private encode(key: string): number {
    const keyLength = key.length;
    if (this.scratch.length < keyLength * 3) this.scratch = new Uint8Array(keyLength * 3);
    const scratch = this.scratch;
    let hash = FNV_OFFSET;
    for (let i = 0; i < keyLength; i++) {
      const code = key.charCodeAt(i);
      if (code >= 0x80) {
        const length = this.encoder.encodeInto(key, scratch).written;
        this.lastHash = hashBytes(scratch, length);
        return length;
      }
      scratch[i] = code;
      hash = Math.imul(hash ^ code, FNV_PRIME);
    }
    this.lastHash = finalize(hash);
    return keyLength;
  }

  private keyEquals(offset: number, length: number): boolean {
    const block = this.blocks[offset >>> BLOCK_BITS];
    if (block === undefined) return false;
    let at = offset & BLOCK_MASK;
    let storedLength = block[at++] ?? 0;
    if (storedLength === LONG_KEY_MARK) {
      storedLength = ((block[at] ?? 0) | ((block[at + 1] ?? 0) << 8) | ((block[at + 2] ?? 0) << 16) | ((block[at + 3] ?? 0) << 24)) >>> 0;
      at += 4;
    }
    if (storedLength !== length) return false;
    const scratch = this.scratch;
    for (let i = 0; i < length; i++) if (block[at + i] !== scratch[i]) return false;
    return true;
  }

  /** Appends the key in `scratch` to the blocks; returns its offset. A key never straddles two blocks. */
  private store(length: number): number {
    const header = length < LONG_KEY_MARK ? 1 : 5;
    const needed = header + length;
    if (this.blockUsed + needed > BLOCK_SIZE) {
      if (this.blocks.length + 1 >= 1 << (32 - BLOCK_BITS)) throw new RangeError('AddressSet is full (4 GiB of keys)');
      this.currentBlock = new Uint8Array(Math.max(BLOCK_SIZE, needed));
      this.blocks.push(this.currentBlock);
      this.blockUsed = 0;
    }
    const blockIndex = this.blocks.length - 1;
    const block = this.currentBlock;
    let at = this.blockUsed;
    const offset = blockIndex * BLOCK_SIZE + at;
    if (header === 1) {
      block[at++] = length;
    } else {
      block[at++] = LONG_KEY_MARK;
      block[at++] = length & 0xff;
      block[at++] = (length >>> 8) & 0xff;
      block[at++] = (length >>> 16) & 0xff;
      block[at++] = (length >>> 24) & 0xff;
    }
    // A byte loop: `block.set(scratch.subarray(…))` allocates a view per key, which measured slower.
    const scratch = this.scratch;
    for (let i = 0; i < length; i++) block[at + i] = scratch[i] ?? 0;
    // Keys longer than a block get a block of their own; the next key starts a fresh one.
    this.blockUsed = Math.min(BLOCK_SIZE, at + length);
    if (needed > BLOCK_SIZE) this.blockUsed = BLOCK_SIZE;
    return offset;
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

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the bytes, then murmur3's finaliser so that the low bits (the slot) are well mixed. */
function hashBytes(bytes: Uint8Array, length: number): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < length; i++) hash = Math.imul(hash ^ (bytes[i] ?? 0), FNV_PRIME);
  return finalize(hash);
}

function finalize(fnv: number): number {
  let hash = fnv ^ (fnv >>> 16);
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
