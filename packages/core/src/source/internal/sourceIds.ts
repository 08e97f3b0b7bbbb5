/**
 * Ids as sources see them. Asset ids are read without validating, and hashed in order so a re-read
 * listing can be checked against what was already passed on without keeping every id. An id that
 * goes into a URL path (an album id, an Immich asset id) must first pass `isPathSafeId`.
 */
import { isInvalidJson } from "./invalidJson.js"

/** The id of a raw item, or a stand-in that still compares equal for the same kind of bad item. */
export const idOf = (value: unknown): string => {
  if (isInvalidJson(value)) return `#invalid:${value.id ?? ""}`
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const id = (value as { id?: unknown }).id
    if (typeof id === "string") return id
    return "#no-id"
  }
  return `#${value === null ? "null" : typeof value}`
}

/** An order-sensitive running hash of ids: two FNV-1a lanes (64 bits of state in all). */
export class Hasher {
  private a = 0x811c9dc5
  private b = 0x01000193
  private n = 0

  /** Mixes in one id (followed by a separator, so "ab","c" differs from "a","bc"). */
  add(id: string): void {
    let a = this.a
    let b = this.b
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i)
      a = Math.imul(a ^ c, 0x01000193)
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15)
    }
    this.a = Math.imul(a ^ 0x1f, 0x01000193)
    this.b = Math.imul(b ^ 0x1f, 0x5bd1e995) ^ (b >>> 15)
    this.n++
  }

  /** Same ids in the same order (up to hash collisions, about 1 in 2^64). */
  equals(other: Hasher): boolean {
    return this.a === other.a && this.b === other.b && this.n === other.n
  }
}

/**
 * What an id must look like to be put in a URL path: letters, digits, `_`, `-`, `.` and `~`,
 * starting with a letter or digit, at most 255 characters. So no `/`, no `%`, and never a dot
 * segment (`.`, `..`) that would move the request to another route, key and all.
 */
export const PATH_SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,254}$/

/** Whether an id may be put in a URL path segment (see `PATH_SAFE_ID`). */
export const isPathSafeId = (id: unknown): id is string => typeof id === "string" && PATH_SAFE_ID.test(id)
