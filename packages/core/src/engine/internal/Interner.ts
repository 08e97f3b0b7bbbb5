/**
 * String interning: one shared copy of values that repeat across a large album
 * (camera names, MIME types, device ids, album ids), so 1M assets do not hold 1M copies.
 */

const MAX_LISTS = 200_000

/** A table of shared strings and shared small arrays. */
export class Interner {
  private readonly strings = new Map<string, string>()
  private readonly lists = new Map<string, ReadonlyArray<string>>()

  private last: string | undefined
  private lastMake: string | null = null
  private lastModel: string | null = null
  private lastDevice = ""
  private lastKey = ""

  /** The shared copy of `s`. */
  string(s: string): string {
    // Consecutive assets usually repeat the same MIME type or device: skip the hash lookup.
    if (s === this.last) return this.last
    const hit = this.strings.get(s)
    if (hit !== undefined) {
      this.last = hit
      return hit
    }
    this.strings.set(s, s)
    this.last = s
    return s
  }

  /** The shared key of one camera: make + model + device id. */
  cameraKey(make: string | null, model: string | null, device: string): string {
    if (
      make === this.lastMake &&
      model === this.lastModel &&
      device === this.lastDevice &&
      this.lastKey !== ""
    ) {
      return this.lastKey
    }
    this.lastMake = make
    this.lastModel = model
    this.lastDevice = device
    this.lastKey = this.string(`${make ?? ""}\u0000${model ?? ""}\u0000${device}`)
    return this.lastKey
  }

  /** A shared frozen array with these elements (for albums and flag lists). */
  list(items: ReadonlyArray<string>): ReadonlyArray<string> {
    if (items.length === 0) return EMPTY
    const key = items.join("\u0000")
    const hit = this.lists.get(key)
    if (hit !== undefined) return hit
    const frozen = Object.freeze(items.slice())
    // Bounded: lists that keep being new are not worth remembering.
    if (this.lists.size < MAX_LISTS) this.lists.set(key, frozen)
    return frozen
  }
}

/**
 * An interner that shares nothing: for the decode worker, whose projections are only written out
 * as JSON text (where a shared copy saves nothing) and interned by the main thread when stored.
 */
export class PassThrough extends Interner {
  override string(s: string): string {
    return s
  }

  override list(items: ReadonlyArray<string>): ReadonlyArray<string> {
    return items.length === 0 ? EMPTY : Object.freeze(items.slice())
  }
}

/** The one shared empty list. */
export const EMPTY: ReadonlyArray<never> = Object.freeze([])
