/**
 * String interning: one shared copy of values that repeat across a large album
 * (camera names, MIME types, device ids, album ids), so 1M assets do not hold 1M copies.
 */

/** A table of shared strings and shared small arrays. */
export class Interner {
  private readonly strings = new Map<string, string>()
  private readonly lists = new Map<string, ReadonlyArray<string>>()

  /** The shared copy of `s`. */
  string(s: string): string {
    const hit = this.strings.get(s)
    if (hit !== undefined) return hit
    this.strings.set(s, s)
    return s
  }

  /** A shared frozen array with these elements (for albums and flag lists). */
  list(items: ReadonlyArray<string>): ReadonlyArray<string> {
    if (items.length === 0) return EMPTY
    const key = items.join("\u0000")
    const hit = this.lists.get(key)
    if (hit !== undefined) return hit
    const frozen = Object.freeze(items.map((s) => this.string(s)))
    this.lists.set(key, frozen)
    return frozen
  }
}

/** The one shared empty list. */
export const EMPTY: ReadonlyArray<never> = Object.freeze([])
