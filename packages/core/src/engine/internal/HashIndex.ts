/**
 * An open-addressing hash table from 53-bit hashes to ordinals, in typed arrays: ~24 bytes per
 * entry and no key strings kept alive. Equal hashes are confirmed by the caller's `same` check, so
 * hash collisions never merge different keys.
 */
export class HashIndex {
  private keys: Float64Array
  private values: Int32Array
  private size = 0

  constructor(expected = 1024) {
    let cap = 16
    while (cap < expected * 2) cap *= 2
    this.keys = new Float64Array(cap)
    this.values = new Int32Array(cap)
  }

  private grow(): void {
    const keys = this.keys
    const values = this.values
    this.keys = new Float64Array(keys.length * 2)
    this.values = new Int32Array(keys.length * 2)
    const mask = this.keys.length - 1
    for (let s = 0; s < keys.length; s++) {
      const k = keys[s]!
      if (k === 0) continue
      let slot = k % (mask + 1)
      while (this.keys[slot] !== 0) slot = (slot + 1) & mask
      this.keys[slot] = k
      this.values[slot] = values[s]!
    }
  }

  /**
   * The ordinal already stored under `hash` for which `same(ordinal)` holds; otherwise stores
   * `ordinal` and returns -1.
   */
  findOrAdd(hash: number, ordinal: number, same: (existing: number) => boolean): number {
    if ((this.size + 1) * 2 > this.keys.length) this.grow()
    const key = hash + 1 // 0 marks an empty slot
    const mask = this.keys.length - 1
    let slot = key % (mask + 1)
    for (;;) {
      const k = this.keys[slot]!
      if (k === 0) {
        this.keys[slot] = key
        this.values[slot] = ordinal
        this.size++
        return -1
      }
      if (k === key && same(this.values[slot]!)) return this.values[slot]!
      slot = (slot + 1) & mask
    }
  }
}
