/**
 * Strings stored as bytes in fixed-size chunks instead of one heap string each. A 1M-asset album
 * holds ~6M short strings (names, checksums, times, URLs); as V8 strings they cost 2–3× their text.
 * Chunks are never copied or regrown, so memory rises smoothly. ASCII is copied byte for byte;
 * anything else goes through UTF-8. Addresses are `chunk * 2^32 + offset` (exact in a double).
 */

import { Buffer } from "node:buffer"
import { decodeBase64Into, decodeHexInto } from "./Packing.js"
import * as Shared from "./Shared.js"

// Stored text is given back as it came: a leading U+FEFF is part of an id or a name, not a byte-order mark.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true })
const encoder = new TextEncoder()
const CHUNK = 4 << 20
const SPAN = 2 ** 32
/** One reusable array per length up to 64, for building short ASCII strings. */
const SCRATCH: ReadonlyArray<Array<number>> = Array.from({ length: 65 }, (_, n) =>
  new Array<number>(n).fill(0)
)

/** An append-only byte store of strings addressed by (start, length). */
export class TextArena {
  private readonly chunks: Array<Uint8Array> = [Shared.uint8(CHUNK)]
  /** A `Buffer` over each chunk's memory, made on first use, for Node's native base64 and hex encoders. */
  private readonly buffers: Array<Buffer | undefined> = []
  private current: Uint8Array = this.chunks[0]!
  private offset = 0

  /**
   * An arena another thread received (a structured clone: the chunks' shared memory is the same), made
   * an arena again, to read only.
   */
  static revive(received: unknown): TextArena {
    const arena = Shared.revived(received, TextArena)
    // The clone's Buffers came back as plain Uint8Arrays: make them again on first use.
    arena.buffers.length = 0
    return arena
  }

  /** The address the next append writes to. */
  get position(): number {
    return (this.chunks.length - 1) * SPAN + this.offset
  }

  /**
   * Makes room for `bytes` more bytes in the current chunk (starting a new one if needed), so a
   * record written after it never straddles two chunks. Returns the record's start address.
   */
  reserve(bytes: number): number {
    if (this.offset + bytes > this.current.length) {
      // Give back the unused end of the full chunk before moving on, when it is worth a copy (a
      // chunk copied and freed for a few bytes only churns the allocator).
      if (this.current.length - this.offset > this.current.length / 8)
        this.chunks[this.chunks.length - 1] = Shared.copy(this.current.subarray(0, this.offset))
      this.current = Shared.uint8(Math.max(CHUNK, bytes))
      this.chunks.push(this.current)
      this.offset = 0
    }
    return this.position
  }

  /** Appends `s` (room must be reserved: up to 3 bytes per UTF-16 unit); returns its length in bytes. */
  append(s: string): number {
    const n = s.length
    const b = this.current
    const at = this.offset
    for (let k = 0; k < n; k++) {
      const c = s.charCodeAt(k)
      if (c >= 128) {
        const written = encoder.encodeInto(s, b.subarray(at)).written
        this.offset += written
        return written
      }
      b[at + k] = c
    }
    this.offset += n
    return n
  }

  /**
   * Appends the bytes of canonical base64 `s` (room must be reserved): their count, or -1 with nothing
   * appended when `s` is not canonical (see `decodeBase64Into`). No array is allocated per text.
   */
  appendBase64(s: string): number {
    const n = decodeBase64Into(s, this.current, this.offset)
    if (n >= 0) this.offset += n
    return n
  }

  /** Appends hex digits `s[from…]` as bytes (room must be reserved; `hexCase` accepted them); their count. */
  appendHex(s: string, from: number): number {
    const n = decodeHexInto(s, from, this.current, this.offset)
    this.offset += n
    return n
  }

  /** The chunk holding address `start` (see `at` for the offset in it): no tuple is allocated per read. */
  private chunkOf(start: number): Uint8Array {
    return this.chunks[Math.floor(start / SPAN)]!
  }

  /** A `Buffer` over the chunk holding address `start` (remade when the chunk was replaced by a trimmed copy). */
  private bufferOf(start: number): Buffer {
    const c = Math.floor(start / SPAN)
    const chunk = this.chunks[c]!
    let b = this.buffers[c]
    if (b === undefined || b.buffer !== chunk.buffer) {
      b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      this.buffers[c] = b
    }
    return b
  }

  /** The padded base64 of the bytes at `start` (one flat string, no copy of the bytes). */
  base64At(start: number, length: number): string {
    const at = start % SPAN
    return this.bufferOf(start).toString("base64", at, at + length)
  }

  /** The lowercase hex of the bytes at `start`. */
  hexAt(start: number, length: number): string {
    const at = start % SPAN
    return this.bufferOf(start).toString("hex", at, at + length)
  }

  /** A copy of the bytes at `start`. */
  bytesAt(start: number, length: number): Uint8Array {
    const b = this.chunkOf(start)
    const at = start % SPAN
    return b.slice(at, at + length)
  }

  /** A 53-bit hash of the bytes at `start` (cyrb53 over bytes): equal bytes, equal hashes. */
  hash(start: number, length: number, seed: number): number {
    const b = this.chunkOf(start)
    const at = start % SPAN
    let h1 = 0xdeadbeef ^ seed
    let h2 = 0x41c6ce57 ^ seed
    for (let k = at; k < at + length; k++) {
      const c = b[k]!
      h1 = Math.imul(h1 ^ c, 2654435761)
      h2 = Math.imul(h2 ^ c, 1597334677)
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
    return 4294967296 * (2097151 & h2) + (h1 >>> 0)
  }

  /** Whether the `length` bytes at `a` and at `b` are the same. */
  equal(a: number, b: number, length: number): boolean {
    const x = this.chunkOf(a)
    const i = a % SPAN
    const y = this.chunkOf(b)
    const j = b % SPAN
    for (let k = 0; k < length; k++) if (x[i + k] !== y[j + k]) return false
    return true
  }

  /**
   * Compares the bytes at `a` and at `b` as the strings they hold compare with `<`, or returns
   * undefined when that order is not the byte order (they first differ at a non-ASCII byte, where
   * UTF-8 and UTF-16 can order differently): the caller then compares the strings.
   */
  compareAscii(a: number, aLength: number, b: number, bLength: number): number | undefined {
    const x = this.chunkOf(a)
    const i = a % SPAN
    const y = this.chunkOf(b)
    const j = b % SPAN
    const n = Math.min(aLength, bLength)
    for (let k = 0; k < n; k++) {
      const p = x[i + k]!
      const q = y[j + k]!
      if (p !== q) return p >= 128 || q >= 128 ? undefined : p - q
    }
    return aLength - bLength
  }

  /** How many leading bytes the byte strings at `a` and `b` share, at most `max`. */
  commonPrefix(a: number, b: number, max: number): number {
    const x = this.chunkOf(a)
    const i = a % SPAN
    const y = this.chunkOf(b)
    const j = b % SPAN
    let k = 0
    while (k < max && x[i + k] === y[j + k]) k++
    return k
  }

  /**
   * Bytes `from` to `from + 3` of the `length` bytes at `start` as one number in base 128 (a byte
   * past the end counts as 0), so keys order as the bytes do; -1 if one of them is not ASCII.
   */
  asciiKey(start: number, length: number, from: number): number {
    const b = this.chunkOf(start)
    const at = start % SPAN
    let key = 0
    for (let k = from; k < from + 4; k++) {
      const c = k < length ? b[at + k]! : 0
      if (c >= 128) return -1
      key = key * 128 + c
    }
    return key
  }

  /** Whether the bytes at `start` are the UTF-8 of `s` (ASCII compared in place, no string built). */
  equals(start: number, length: number, s: string): boolean {
    const b = this.chunkOf(start)
    const at = start % SPAN
    if (length === s.length) {
      let k = 0
      for (; k < length; k++) {
        const c = s.charCodeAt(k)
        if (c >= 128) break
        if (b[at + k] !== c) return false
      }
      if (k === length) return true
    } else if (length < s.length) return false
    return this.read(start, length) === s
  }

  /** The string stored at `start` with `length` bytes. */
  read(start: number, length: number): string {
    const b = this.chunkOf(start)
    const at = start % SPAN
    if (length <= 64) {
      let ascii = true
      for (let k = at; k < at + length; k++) {
        if (b[k]! >= 128) {
          ascii = false
          break
        }
      }
      if (ascii) {
        // Through a reused array of this length: no typed-array view is made per string.
        const codes = SCRATCH[length]!
        for (let k = 0; k < length; k++) codes[k] = b[at + k]!
        return String.fromCharCode.apply(null, codes)
      }
    }
    return decoder.decode(b.subarray(at, at + length))
  }

  /** Gives back the unused end of the last chunk once nothing more will be appended. */
  trim(): void {
    const last = this.chunks.length - 1
    if (this.current.length - this.offset > 4096) {
      this.current = Shared.copy(this.current.subarray(0, this.offset))
      this.chunks[last] = this.current
    }
  }
}
