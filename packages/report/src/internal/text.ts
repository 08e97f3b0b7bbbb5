/**
 * Small pure helpers shared by the writers: stable JSON, safe record reads, HTML-safe JSON, safe image URLs.
 */
import type { JsonValue } from "../Metadata.js"

/** Returns a copy of a JSON value with object keys sorted by code point, so output never depends on insertion order. */
export const sortKeys = (value: JsonValue): JsonValue => {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === "object") {
    const out: Record<string, JsonValue> = Object.create(null)
    for (const key of Object.keys(value).sort(compareCodePoints)) {
      out[key] = sortKeys((value as Record<string, JsonValue>)[key] as JsonValue)
    }
    return out
  }
  return value
}

/**
 * The value of a name-keyed record from input (a metric, a weight), or undefined: only the record's own
 * keys count, so a name like `toString` or `constructor` is data, never an inherited method.
 */
export const own = <A>(record: Readonly<Record<string, A>>, name: string): A | undefined =>
  Object.hasOwn(record, name) ? record[name] : undefined

/** Locale-independent string order (the same on every machine). */
export const compareCodePoints = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** A record with keys in code-point order. */
export const sortedRecord = <A>(record: Readonly<Record<string, A>>): Readonly<Record<string, A>> => {
  const keys = Object.keys(record)
  let sorted = true
  for (let i = 1; i < keys.length && sorted; i++) sorted = (keys[i - 1] as string) < (keys[i] as string)
  // Integer-like keys would be reordered by the engine anyway; everything else is already in order.
  if (sorted && !keys.some((key) => /^\d+$/.test(key))) return record
  const out: Record<string, A> = Object.create(null)
  for (const key of Object.keys(record).sort(compareCodePoints)) out[key] = record[key] as A
  return out
}

const HTML_UNSAFE = /[<>\u2028\u2029]/g
const HTML_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029"
}

/**
 * Makes JSON text safe inside an HTML `<script>` element: `<` and `>` can only occur inside JSON
 * strings, where their `\u` escapes mean the same, so `</script>`, `<!--` and `-->` can never appear
 * (`&` needs nothing: character references are not decoded in script text). U+2028/U+2029 are escaped
 * too (legal in JSON strings, line terminators in older JS).
 */
export const escapeJsonForHtml = (json: string): string =>
  json.replace(HTML_UNSAFE, (c) => HTML_ESCAPES[c] as string)

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/

/** Whether an http(s) URL parses as one. */
const parsesAsHttpUrl = (url: string): boolean => {
  try {
    const parsed = new URL(url)
    return parsed.protocol === "http:" || parsed.protocol === "https:"
  } catch {
    return false
  }
}

/**
 * The part of an http(s) URL (without backslashes or control characters) where parsing can fail: the
 * scheme, the slashes and the authority (user info, host, port). Path, query and fragment always parse.
 */
const AUTHORITY = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/*[^/?#]*/

/**
 * `parsesAsHttpUrl` remembered by scheme and authority, for the many thumbnail URLs of one host. A
 * parser for one report: it forgets what it saw after a thousand different hosts.
 */
export const httpUrlParser = (): ((url: string) => boolean) => {
  const seen = new Map<string, boolean>()
  return (url) => {
    const authority = AUTHORITY.exec(url)?.[0] ?? url
    let parses = seen.get(authority)
    if (parses === undefined) {
      // Followed by a path, as in the URL: text at the end would be trimmed as trailing space.
      parses = parsesAsHttpUrl(`${authority}/`)
      if (seen.size >= 1000) seen.clear()
      seen.set(authority, parses)
    }
    return parses
  }
}

/**
 * Returns the URL when it is safe as an image source or link in the report, else null.
 * Allowed: absolute `http:`/`https:` URLs and relative paths. Refused: every other scheme
 * (`javascript:`, `data:`, `file:`...), protocol-relative `//host`, backslashes and control characters
 * (which browsers strip or reinterpret), and anything longer than 8 KiB. `parses` decides whether an
 * http(s) URL parses (`httpUrlParser` remembers its answers by host).
 */
export const safeImageUrl = (
  url: string | null | undefined,
  parses: (url: string) => boolean = parsesAsHttpUrl
): string | null => {
  if (typeof url !== "string") return null
  const trimmed = url.trim()
  if (trimmed === "" || trimmed.length > 8192) return null
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(trimmed)) return null
  if (trimmed.startsWith("//")) return null
  const scheme = SCHEME.exec(trimmed)
  if (scheme !== null) {
    const name = (scheme[1] as string).toLowerCase()
    if (name !== "http" && name !== "https") return null
    return parses(trimmed) ? trimmed : null
  }
  // A relative path: make sure no scheme hides after percent-decoding-insensitive tricks like "java\tscript:".
  return trimmed.includes(":") && !/^[^:]*[/?#]/.test(trimmed) ? null : trimmed
}

/** Joins small strings into pieces of roughly `target` characters, so streams carry few, mid-sized chunks. */
export function* coalesce(parts: Iterable<string>, target = 64 * 1024): Generator<string> {
  let buffer: Array<string> = []
  let length = 0
  for (const part of parts) {
    buffer.push(part)
    length += part.length
    if (length >= target) {
      yield buffer.join("")
      buffer = []
      length = 0
    }
  }
  if (length > 0) yield buffer.join("")
}
