/**
 * Strings stored as bytes in one growing buffer instead of one heap string each. A 1M-asset album
 * holds ~6M short strings (names, checksums, times, URLs); as V8 strings they cost 2–3× their text.
 * ASCII (nearly everything here) is copied byte for byte; anything else goes through UTF-8.
 */

const decoder = new TextDecoder()
const encoder = new TextEncoder()

/** An append-only byte store of strings addressed by (start, length). */
export class TextArena {
  private bytes = new Uint8Array(1 << 16)
  /** Bytes used so far: the start of the next string. */
  used = 0

  private ensure(extra: number): void {
    if (this.used + extra <= this.bytes.length) return
    let cap = this.bytes.length * 2
    while (cap < this.used + extra) cap *= 2
    const next = new Uint8Array(cap)
    next.set(this.bytes.subarray(0, this.used))
    this.bytes = next
  }

  /** Appends `s`; returns its length in bytes. */
  append(s: string): number {
    const n = s.length
    this.ensure(n * 3)
    const b = this.bytes
    const at = this.used
    for (let k = 0; k < n; k++) {
      const c = s.charCodeAt(k)
      if (c >= 128) {
        const written = encoder.encodeInto(s, b.subarray(at)).written
        this.used += written
        return written
      }
      b[at + k] = c
    }
    this.used += n
    return n
  }

  /** The string stored at `start` with `length` bytes. */
  read(start: number, length: number): string {
    const b = this.bytes
    if (length <= 64) {
      let ascii = true
      for (let k = start; k < start + length; k++) {
        if (b[k]! >= 128) {
          ascii = false
          break
        }
      }
      if (ascii)
        return String.fromCharCode.apply(null, b.subarray(start, start + length) as unknown as Array<number>)
    }
    return decoder.decode(b.subarray(start, start + length))
  }

  /** Gives back unused capacity once nothing more will be appended. */
  trim(): void {
    if (this.bytes.length > this.used * 1.25 + 4096) this.bytes = this.bytes.slice(0, this.used)
  }
}
