/**
 * A push splitter for large JSON inputs: it finds where each asset's JSON text starts and ends,
 * and leaves parsing to `JSON.parse`, which is native and faster than any JS tokenizer.
 *
 * It tracks only what splitting needs: nesting depth and whether it is inside a string (with
 * escapes, across chunk boundaries). Strings are skipped with the native `indexOf('"')`, so most
 * of the input is never looked at character by character. Inputs it understands:
 * - a top-level array (`[ {...}, {...} ]`): each element is an item;
 * - a cursor page (`{ "data": [ ... ], "has_more": ... }`, any member order, pretty or not): each
 *   element of `data` is an item, the other members become the envelope;
 * - NDJSON (one value per line): each non-blank line is an item, so a broken line spoils only itself;
 * - concatenated pretty-printed values (`jq '.[]'` output): each top-level value is an item.
 * Elements are cut out without validating them; `JSON.parse` later decides whether each is valid.
 */

/** The shape of the whole input, known after its first value starts. */
export type Format = "array" | "page" | "ndjson" | "values"

/** A structural problem with the document as a whole; `at` is a char index into the current chunk. */
export class SplitError {
  constructor(
    readonly reason: string,
    readonly at: number
  ) {}
}

enum Mode {
  Start,
  Array,
  Object,
  Page,
  PageTail,
  Lines,
  Values,
  End
}

const QUOTE = 34
const BACKSLASH = 92
const COMMA = 44
const OPEN_OBJ = 123
const CLOSE_OBJ = 125
const OPEN_ARR = 91
const CLOSE_ARR = 93

const isWs = (c: number) => c === 32 || c === 10 || c === 13 || c === 9

/** Matches the member key just before an array value: `"data" :` at the end of the text. */
const KEY_BEFORE_VALUE = /"((?:[^"\\]|\\.)*)"\s*:\s*$/

/** The default cap on one item's JSON text: 64 Mi characters (64 MiB of ASCII JSON). */
export const DEFAULT_MAX_ITEM_SIZE = 64 * 1024 * 1024

/** `1.5 MiB`, `64 MiB`: a size for messages. */
export const formatSize = (chars: number): string => {
  const mib = chars / (1024 * 1024)
  if (mib >= 1) return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`
  const kib = chars / 1024
  return kib >= 1 ? `${Number.isInteger(kib) ? kib : kib.toFixed(1)} KiB` : `${chars} bytes`
}

/** An item (or a page's envelope) grew past the size cap: the input is refused, never retried. */
export class SizeLimitError extends SplitError {}

/** Splits text chunks (already decoded) into item texts. Not reentrant; one per input. */
export class JsonSplitter {
  /**
   * `itemsKey`: the member of a top-level object whose array holds the items (`data` for a page).
   * `maxItemSize`: the most characters one item may span (default 64 Mi); past it, `push` throws a
   * `SizeLimitError`, so a value that never ends cannot grow memory without bound.
   */
  constructor(
    private readonly itemsKey = "data",
    private readonly maxItemSize = DEFAULT_MAX_ITEM_SIZE
  ) {}

  private mode = Mode.Start
  private depth = 0
  private itemDepth = 1
  private inString = false
  private escaped = false
  // The one capture in progress (an item, or the envelope of a page), as parts of earlier chunks
  // plus a start index in the current chunk (-1: not capturing).
  private cap: Array<string> = []
  private capSize = 0
  private capStart = -1
  private inItem = false
  private afterComma = false
  private prefix = ""
  /** The detected format, once known. */
  format: Format | undefined
  /** For a page: its members other than `data`, parsed, once the page has closed. */
  envelope: Record<string, unknown> | undefined

  /**
   * For a page whose items have started: its text before the items array (`{ ... "data": `), so a
   * caller can read the members that come first without waiting for the end.
   */
  get head(): string | undefined {
    return this.mode === Mode.Page || this.mode === Mode.PageTail ? this.prefix : undefined
  }

  /** Whether it stands between two items of the item array (after `[` or a comma), holding none in part. */
  get betweenItems(): boolean {
    return (
      (this.mode === Mode.Array || this.mode === Mode.Page) &&
      this.depth === this.itemDepth &&
      !this.inItem &&
      !this.inString &&
      this.capStart < 0
    )
  }

  /** Characters of the item in progress taken from earlier chunks (0 when none is in progress). */
  get captured(): number {
    return this.capSize
  }

  /** Items were read elsewhere, from here up to and including a comma between items: go on after it. */
  skippedItems(): void {
    this.afterComma = true
  }

  /** Feeds one chunk; appends the text of every item completed in it to `out`. Throws `SplitError`. */
  push(s: string, out: Array<string>): void {
    let i = 0
    const n = s.length
    if (this.inString && this.escaped && n > 0) {
      this.escaped = false
      i = 1
    }
    while (i < n) {
      if (this.mode === Mode.Lines) {
        i = this.lines(s, i, out)
      } else if (this.mode === Mode.Start || this.mode === Mode.End) {
        i = this.outside(s, i)
      } else {
        i = this.scan(s, i, out)
      }
    }
    if (this.capStart >= 0) {
      if (this.capStart < n) {
        this.cap.push(this.capStart === 0 ? s : s.slice(this.capStart))
        this.capSize += n - this.capStart
        if (this.capSize > this.maxItemSize) this.tooLarge(n)
      }
      this.capStart = 0
    }
  }

  /** Ends the input; appends a last item if one was pending. Throws `SplitError` (at: -1). */
  end(out: Array<string>): void {
    switch (this.mode) {
      case Mode.Start:
        throw new SplitError("the input is empty", -1)
      case Mode.Lines: {
        const line = this.take("", 0, 0).trim()
        if (line !== "") out.push(line)
        break
      }
      case Mode.Values:
        if (this.depth === 0 && !this.inString) break
        throw new SplitError(this.unterminated("value"), -1)
      case Mode.Array:
        throw new SplitError(this.unterminated("array"), -1)
      case Mode.Object:
        throw new SplitError(this.unterminated("object"), -1)
      case Mode.Page:
      case Mode.PageTail:
        throw new SplitError(this.unterminated("page"), -1)
      case Mode.End:
        break
    }
    this.mode = Mode.End
  }

  private unterminated(what: string): string {
    const where = this.inString ? "inside a string" : `at nesting depth ${this.depth}`
    return `unexpected end of input ${where}: the ${what} is not closed (the input may be truncated)`
  }

  /** Text captured so far plus `s[from, to)`, then stops capturing. Throws past the size cap. */
  private take(s: string, from: number, to: number): string {
    if (this.capSize + (to - from) > this.maxItemSize) this.tooLarge(to)
    const head = this.cap.length === 0 ? "" : this.cap.length === 1 ? this.cap[0]! : this.cap.join("")
    this.cap = []
    this.capSize = 0
    this.capStart = -1
    return from < to ? head + s.slice(from, to) : head
  }

  private tooLarge(at: number): never {
    throw new SizeLimitError(`an item is larger than the ${formatSize(this.maxItemSize)} item size cap`, at)
  }

  /** Before the first value, or after the last one: only whitespace is allowed. */
  private outside(s: string, i: number): number {
    const n = s.length
    while (i < n && isWs(s.charCodeAt(i))) i++
    if (i === n) return n
    const c = s.charCodeAt(i)
    if (this.mode === Mode.End) {
      throw new SplitError(`unexpected ${describe(s, i)} after the end of the JSON document`, i)
    }
    if (c === OPEN_ARR) {
      this.mode = Mode.Array
      this.format = "array"
      this.depth = 1
      this.itemDepth = 1
      return i + 1
    }
    if (c === OPEN_OBJ) {
      // A page or the first of several values: known once it has a `data` array or closes.
      this.mode = Mode.Object
      this.depth = 1
      this.itemDepth = 1
      this.capStart = i
      return i + 1
    }
    // `null`, `42`, `"x"`: JSON, but no album.
    if (/^(?:null|true|false|-?\d|")/.test(s.slice(i, i + 5))) {
      throw new SplitError(
        `a bare JSON value (it starts with ${describe(s, i)}), not an array or object of assets`,
        i
      )
    }
    throw new SplitError(`not JSON: it starts with ${describe(s, i)}${looksLike(s, i)}`, i)
  }

  /** NDJSON: every non-blank line is an item. */
  private lines(s: string, i: number, out: Array<string>): number {
    const n = s.length
    while (i < n) {
      const nl = s.indexOf("\n", i)
      if (nl === -1) {
        this.capStart = i
        return n
      }
      if (this.cap.length === 0 && nl - i > this.maxItemSize) this.tooLarge(nl)
      const line = (this.cap.length === 0 ? s.slice(i, nl) : this.take(s, i, nl)).trim()
      this.capStart = -1
      if (line !== "") out.push(line)
      i = nl + 1
    }
    return n
  }

  /** Arrays, pages, the first object and concatenated values: depth- and string-aware. */
  private scan(s: string, i: number, out: Array<string>): number {
    const n = s.length
    let depth = this.depth
    let itemDepth = this.itemDepth
    while (i < n) {
      if (this.inString) {
        const q = s.indexOf('"', i)
        if (q === -1) {
          // The string goes on in the next chunk; an odd run of trailing backslashes escapes its first char.
          let k = n - 1
          while (k >= i && s.charCodeAt(k) === BACKSLASH) k--
          this.escaped = ((n - 1 - k) & 1) === 1
          this.depth = depth
          return n
        }
        let k = q - 1
        while (k >= i && s.charCodeAt(k) === BACKSLASH) k--
        if (((q - 1 - k) & 1) === 0) this.inString = false
        i = q + 1
        continue
      }
      const c = s.charCodeAt(i)
      if (depth > itemDepth) {
        // Inside an item (or a member value of the first object): only nesting matters.
        if (c === QUOTE) this.inString = true
        else if (c === OPEN_OBJ || c === OPEN_ARR) depth++
        else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
          depth--
          if (depth === 0 && this.mode === Mode.Values) {
            out.push(this.take(s, this.capStart, i + 1))
            this.inItem = false
          }
        }
        i++
        continue
      }
      // At the level where items (or the first object's members) are separated.
      this.depth = depth
      i = this.structural(s, i, c, out)
      depth = this.depth
      itemDepth = this.itemDepth
      if (this.mode === Mode.Lines || this.mode === Mode.End) return i
    }
    this.depth = depth
    return n
  }

  /** One character at the separating level; returns the next index. */
  private structural(s: string, i: number, c: number, out: Array<string>): number {
    if (isWs(c)) return i + 1
    switch (this.mode) {
      case Mode.Array:
      case Mode.Page:
        return this.element(s, i, c, out)
      case Mode.Values:
        if (c === OPEN_OBJ || c === OPEN_ARR) {
          this.capStart = i
          this.inItem = true
          this.depth = 1
          return i + 1
        }
        throw new SplitError(`unexpected ${describe(s, i)} between top-level values`, i)
      case Mode.Object:
      case Mode.PageTail:
        return this.member(s, i, c, out)
      default:
        return i + 1
    }
  }

  /** An element of the item array (the top-level array, or a page's `data`). */
  private element(s: string, i: number, c: number, out: Array<string>): number {
    if (c === COMMA || c === CLOSE_ARR) {
      if (this.inItem) {
        out.push(trimEnd(this.take(s, this.capStart, i)))
        this.inItem = false
      } else if (c === COMMA || this.afterComma) {
        // `[1,,2]` or a trailing comma: an empty element, which JSON.parse will reject on its own.
        out.push("")
      }
      this.afterComma = c === COMMA
      if (c === CLOSE_ARR) {
        this.depth--
        if (this.mode === Mode.Array) {
          this.mode = Mode.End
        } else {
          this.mode = Mode.PageTail
          this.itemDepth = 1
          this.capStart = i + 1
        }
      }
      return i + 1
    }
    if (c === CLOSE_OBJ) throw new SplitError("unexpected '}' where an array element or ']' was expected", i)
    if (!this.inItem) {
      this.inItem = true
      this.afterComma = false
      this.capStart = i
    }
    if (c === QUOTE) this.inString = true
    else if (c === OPEN_OBJ || c === OPEN_ARR) this.depth++
    return i + 1
  }

  /** A member of the first top-level object (a page, or an item) or of a page after `data`. */
  private member(s: string, i: number, c: number, out: Array<string>): number {
    if (c === QUOTE) {
      this.inString = true
    } else if (c === OPEN_ARR && this.mode === Mode.Object && this.isDataKey(s, i)) {
      this.prefix = this.take(s, this.capStart, i)
      this.mode = Mode.Page
      this.format = "page"
      this.depth = 2
      this.itemDepth = 2
      this.afterComma = false
    } else if (c === OPEN_OBJ || c === OPEN_ARR) {
      this.depth++
    } else if (c === CLOSE_ARR) {
      throw new SplitError("unexpected ']' inside an object", i)
    } else if (c === CLOSE_OBJ) {
      this.depth = 0
      if (this.mode === Mode.PageTail) {
        const suffix = this.take(s, this.capStart, i + 1)
        this.envelope = parseEnvelope(`${this.prefix}[]${suffix}`, i)
        this.prefix = ""
        this.mode = Mode.End
      } else {
        // The first object was a whole item: NDJSON when it sat on one line, else concatenated values.
        const text = this.take(s, this.capStart, i + 1)
        out.push(text)
        if (text.includes("\n")) {
          this.mode = Mode.Values
          this.format = "values"
          this.itemDepth = 0
        } else {
          this.mode = Mode.Lines
          this.format = "ndjson"
        }
      }
    }
    return i + 1
  }

  /** Whether the array opening at `s[i]` is the value of the items member (`data`) of the first object. */
  private isDataKey(s: string, i: number): boolean {
    const from = Math.max(this.capStart, i - 64)
    let tail = s.slice(from, i)
    if (from === this.capStart && this.cap.length > 0) tail = this.cap.join("").slice(-64) + tail
    const m = KEY_BEFORE_VALUE.exec(tail)
    return m !== null && m[1] === this.itemsKey
  }
}

const parseEnvelope = (text: string, at: number): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>
  } catch (e) {
    throw new SplitError(`the page's members other than data are not valid JSON: ${oneLine(String(e))}`, at)
  }
  throw new SplitError("the page is not an object", at)
}

const trimEnd = (text: string): string => {
  let end = text.length
  while (end > 0 && isWs(text.charCodeAt(end - 1))) end--
  return end === text.length ? text : text.slice(0, end)
}

/** `'<'` for a printable character, else its code point. */
const describe = (s: string, i: number): string => {
  const ch = s[i] ?? ""
  const code = ch.charCodeAt(0)
  return code >= 32 && code < 127
    ? `'${ch}'`
    : `character U+${code.toString(16).toUpperCase().padStart(4, "0")}`
}

const looksLike = (s: string, i: number): string => {
  const head = s.slice(i, i + 64).toLowerCase()
  if (head.startsWith("<!doctype html") || head.startsWith("<html")) return " (it looks like an HTML page)"
  if (head.startsWith("<")) return " (it looks like HTML or XML)"
  // UTF-16's byte order mark (FF FE or FE FF) read as UTF-8 is two U+FFFD.
  if (head.startsWith("\uFFFD\uFFFD") || head.charCodeAt(1) === 0)
    return " (it looks like UTF-16 text: save it as UTF-8)"
  return ""
}

/** Collapses whitespace and caps the length, so messages stay on one line. */
export const oneLine = (text: string, max = 160): string => {
  const flat = text.replace(/\s+/g, " ").trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}
