/**
 * The API key of a source and the one rule about it: no copy of it ever reaches a user, a log or
 * a file. Server text (an error body, an asset's fields) is blanked with `Blanker` after every
 * decoding step, and the key is matched in every spelling a decoder could turn back into it:
 * as is in any letter case (URL hosts are lower-cased), or with JSON `\uXXXX` / `\/`, percent
 * `%XX` or HTML `&#NN;` / `&#xHH;` escapes for any of its characters.
 *
 * Keys of 3 characters or fewer are not blanked: matching them would blank ordinary words, and
 * such a key is no secret anyway (documented in the README's reliability section).
 */
import type { Redacted } from "effect"

/** How requests are authenticated. */
export interface Credentials {
  /** Header carrying the key: `authorization` (sent as `Bearer <key>`) or e.g. `x-api-key`. */
  readonly header: "authorization" | "x-api-key"
  readonly key: Redacted.Redacted<string>
  /** The environment variable the key comes from, named in authentication errors. */
  readonly variable: string
}

/** What a blanked copy of the key is replaced with. */
export const BLANK = "[redacted]"

/** Keys this long or shorter are never blanked (see the header). */
export const MIN_BLANKED_LENGTH = 4

const hex = (code: number, width: number) => code.toString(16).padStart(width, "0")

/** Every spelling of one character a decoder would turn back into it. */
const spellings = (ch: string): string => {
  const code = ch.charCodeAt(0)
  const literal = ch.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")
  const parts = [
    literal,
    `\\\\u${hex(code, 4)}`, // JSON: \u0073
    `&#0*${code};`, // HTML decimal
    `&#x0*${hex(code, 1)};` // HTML hex
  ]
  if (code < 0x80) parts.push(`%${hex(code, 2)}`) // percent-encoding (ASCII)
  if (ch === "/") parts.push("\\\\/") // JSON's optional \/ (PHP's default)
  return `(?:${parts.join("|")})`
}

/** Blanks the key in text and in parsed JSON values. */
export class Blanker {
  private readonly pattern: RegExp | undefined

  constructor(private readonly secret: string) {
    this.pattern =
      secret.length >= MIN_BLANKED_LENGTH ? new RegExp([...secret].map(spellings).join(""), "gi") : undefined
  }

  /** The text with every copy of the key (in any spelling above) replaced by `[redacted]`. */
  text(text: string): string {
    if (this.pattern === undefined) return text
    this.pattern.lastIndex = 0
    return this.pattern.test(text) ? text.replace(this.pattern, BLANK) : text
  }

  /**
   * Whether raw JSON text may hold the key once parsed: it holds it as is, or has an escape that
   * could spell it. A cheap native test that lets clean items skip the walk of `value`.
   */
  mayHold(raw: string): boolean {
    return this.pattern !== undefined && (raw.includes(this.secret) || raw.includes("\\"))
  }

  /**
   * A parsed JSON value with the key blanked in every string and member name; the value itself
   * when nothing had to change. Iterative, so any nesting depth is safe.
   */
  value(root: unknown): unknown {
    if (this.pattern === undefined) return root
    if (typeof root === "string") return this.text(root)
    if (typeof root !== "object" || root === null) return root
    const stack: Array<Record<string, unknown> | Array<unknown>> = [root as Record<string, unknown>]
    while (stack.length > 0) {
      const node = stack.pop()!
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
          const v = node[i]
          if (typeof v === "string") node[i] = this.text(v)
          else if (typeof v === "object" && v !== null) stack.push(v as Record<string, unknown>)
        }
        continue
      }
      for (const key of Object.keys(node)) {
        const v = node[key]
        const clean = this.text(key)
        if (clean !== key) {
          delete node[key]
          node[clean] = v
        }
        if (typeof v === "string") node[clean] = this.text(v)
        else if (typeof v === "object" && v !== null) stack.push(v as Record<string, unknown>)
      }
    }
    return root
  }
}
