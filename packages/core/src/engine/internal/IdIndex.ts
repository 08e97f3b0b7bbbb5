/**
 * Asset id → ordinal as an open-addressing hash table in two typed arrays (8 bytes a slot, at most
 * half full), instead of a `Map` entry per asset on the JavaScript heap. The ids themselves are not
 * kept here: a hit is confirmed against the asset table's id, so hash collisions never mix two ids.
 */

/** A 32-bit string hash (FNV-1a with a final mix). */
const hash32 = (s: string): number => {
  let h = 0x811c9dc5
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 16777619)
  h ^= h >>> 15
  h = Math.imul(h, 0x2c1b3c6d)
  return h ^ (h >>> 13)
}

/** What the analysis reads of an id index: a `Map<string, number>` is one too. */
export interface IdLookup {
  get(id: string): number | undefined
}

/** The `Map`-like index of asset ids the pipeline reads (`get`) and fills (`set`). */
export class IdIndex {
  private hashes: Int32Array
  /** Ordinal + 1 per slot; 0 marks an empty slot. */
  private slots: Int32Array
  private count = 0

  /** `isId(ordinal, id)`: whether the id stored under `ordinal` is `id`. */
  constructor(private readonly isId: (ordinal: number, id: string) => boolean) {
    this.hashes = new Int32Array(1024)
    this.slots = new Int32Array(1024)
  }

  /** Number of ids. */
  get size(): number {
    return this.count
  }

  /** The ordinal of `id`, or undefined. */
  get(id: string): number | undefined {
    const h = hash32(id)
    const mask = this.slots.length - 1
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const v = this.slots[slot]!
      if (v === 0) return undefined
      if (this.hashes[slot] === h && this.isId(v - 1, id)) return v - 1
    }
  }

  /** Stores `ordinal` under `id` (replacing an earlier one). */
  set(id: string, ordinal: number): this {
    if ((this.count + 1) * 2 > this.slots.length) this.grow()
    const h = hash32(id)
    const mask = this.slots.length - 1
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const v = this.slots[slot]!
      if (v === 0) {
        this.hashes[slot] = h
        this.slots[slot] = ordinal + 1
        this.count++
        return this
      }
      if (this.hashes[slot] === h && this.isId(v - 1, id)) {
        this.slots[slot] = ordinal + 1
        return this
      }
    }
  }

  /** Forgets every id and gives the memory back. */
  clear(): void {
    this.hashes = new Int32Array(16)
    this.slots = new Int32Array(16)
    this.count = 0
  }

  private grow(): void {
    const hashes = this.hashes
    const slots = this.slots
    this.hashes = new Int32Array(slots.length * 2)
    this.slots = new Int32Array(slots.length * 2)
    const mask = this.slots.length - 1
    for (let s = 0; s < slots.length; s++) {
      const v = slots[s]!
      if (v === 0) continue
      let slot = hashes[s]! & mask
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask
      this.hashes[slot] = hashes[s]!
      this.slots[slot] = v
    }
  }
}
