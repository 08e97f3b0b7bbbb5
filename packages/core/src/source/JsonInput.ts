/**
 * Streaming JSON input: bytes in, one raw value per asset out, never the whole input as one string.
 *
 * A 1M-asset album is about 2 GB of JSON, past V8's string limit, so `JSON.parse` of the whole
 * body is not an option. A hand-written splitter finds each element's text (tracking only nesting
 * and strings, across chunk boundaries and multi-byte UTF-8) and `JSON.parse` reads each one;
 * measured faster than the streaming parsers on npm (see the README's performance notes).
 *
 * Formats are detected from the input itself: a JSON array (the seed endpoint's bare array), a
 * cursor page `{ "data": [...], "has_more": ... }`, NDJSON, or concatenated values (`jq '.[]'`).
 *
 * Failures come in two sizes:
 * - one element that splits but does not parse becomes an `InvalidJson` value in its `SourceItem`,
 *   which the pipeline reports as rejected (with its index) while the rest is analysed;
 * - a broken document (empty, not JSON, unterminated, garbage after the end) fails the stream
 *   with `JsonInputError`, naming the cause and the byte offset.
 */
import { isAscii } from "node:buffer"
import { closeSync, openSync, statSync } from "node:fs"
import { Cause, Chunk, Deferred, Effect, Option, Queue, Schema, type Scope, Stream } from "effect"
import { Predecoded, type WireRecord } from "../internal/projectionWire.js"
import type { SourceItem } from "../SourceItem.js"
import { detector, type ExportShape } from "./internal/exportShape.js"
import { InvalidJson } from "./internal/invalidJson.js"
import {
  DEFAULT_MAX_ITEM_SIZE,
  type Format,
  JsonSplitter,
  oneLine,
  SizeLimitError,
  SplitError
} from "./internal/jsonSplitter.js"
import { exceedsDepth, mayExceedDepth, nestsDeeper, TOO_DEEP } from "./internal/nesting.js"
import * as OffThread from "./internal/offThread.js"

export { InvalidJson, isInvalidJson } from "./internal/invalidJson.js"
export type { ExportShape, Format }

/** The input as a whole is not readable JSON; nothing after `offset` was read. */
export class JsonInputError extends Schema.TaggedError<JsonInputError>()("JsonInputError", {
  /** What is wrong, e.g. `unexpected end of input inside a string: the array is not closed`. */
  reason: Schema.String,
  /** Byte offset into the input where the problem was found. */
  offset: Schema.Number,
  /** Items read before the problem. */
  items: Schema.Number,
  /** What was being read (a file name, `stdin`, `album X`), when the caller named it. */
  input: Schema.optional(Schema.String),
  /** The limit the input went past (`item size`), when that was the problem: reading again will not help. */
  limit: Schema.optional(Schema.String)
}) {
  override get message(): string {
    const read = this.items === 1 ? "1 item" : `${this.items} items`
    return `${this.input ?? "input"}: invalid JSON at byte ${this.offset}: ${this.reason} (${read} read before it)`
  }
}

/**
 * The input could not be read at all (a missing file, a folder, no permission).
 *
 * @since 0.2.0
 */
export class InputUnreadable extends Schema.TaggedError<InputUnreadable>()("InputUnreadable", {
  /** What was being read, e.g. a file name. */
  input: Schema.String,
  /** Why, e.g. `no such file or directory`. */
  reason: Schema.String,
  /** The system's error code, e.g. `ENOENT`, when there is one. */
  code: Schema.optional(Schema.String)
}) {
  override get message(): string {
    return `${this.input}: cannot read it: ${this.reason}${this.code === undefined ? "" : ` (${this.code})`}`
  }

  /** From a file system error (Node's `ENOENT`...), or anything else thrown while reading. */
  static fromError(input: string, error: unknown): InputUnreadable {
    const e = (typeof error === "object" && error !== null ? error : {}) as {
      code?: unknown
      message?: unknown
    }
    const code = typeof e.code === "string" ? e.code : undefined
    const reason =
      CODE_REASONS[code ?? ""] ?? oneLine(typeof e.message === "string" ? e.message : String(error))
    return new InputUnreadable({ input, reason, ...(code === undefined ? {} : { code }) })
  }
}

const CODE_REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EISDIR: "it is a folder, not a file",
  EACCES: "permission denied",
  EPERM: "operation not permitted"
}

const ID_IN_TEXT = /"id"\s*:\s*"((?:[^"\\\n]|\\.){1,200})"/

const invalid = (text: string, error: unknown): InvalidJson => {
  const m = ID_IN_TEXT.exec(text.length > 4096 ? text.slice(0, 4096) : text)
  const reason =
    text === ""
      ? "invalid JSON: empty element (two commas in a row, or a comma before ']')"
      : `invalid JSON: ${oneLine(error instanceof Error ? error.message : String(error))}`
  return new InvalidJson(reason, m?.[1])
}

const parseElement = (text: string): unknown => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return invalid(text, error)
  }
  // Rejected here, as this one item, before a recursive reader downstream overflows its stack.
  return mayExceedDepth(text) ? checkDepth(value) : value
}

/** The value itself, or an `InvalidJson` when it nests too deeply (for values that arrive parsed). */
export const checkDepth = (value: unknown): unknown => (exceedsDepth(value) ? tooDeep(value) : value)

/** The default cap on one item's size (64 Mi characters of JSON text; 64 MiB for ASCII). */
export const DEFAULT_ITEM_SIZE = DEFAULT_MAX_ITEM_SIZE

/** Options for a `Parser`. */
export interface ParserOptions {
  /** The member of a top-level object whose array holds the items (default `data`, a cursor page; Immich's album object uses `assets`). */
  readonly itemsKey?: string | undefined
  /** The most characters one item may span (default 64 Mi); past it the input fails with `limit: "item size"`. */
  readonly maxItemSize?: number | undefined
  /** Called with each element's text and parsed value (or `InvalidJson`); its result is passed on. */
  readonly clean?: ((text: string, value: unknown) => unknown) | undefined
  /**
   * Read runs of whole items with one `JSON.parse` where the layout allows (default true); `false`
   * splits every item on its own. Both give the same values and errors (a test compares them).
   */
  readonly batches?: boolean | undefined
}

/**
 * A push parser over bytes, for callers that need more than `items` (the page envelope, or
 * their own retry logic). Methods throw `JsonInputError`; one instance reads one input.
 *
 * With batches (the default, see `ParserOptions.batches`), the text after the last `,\n` between
 * items waits for the next `feed` or `finish`: the items in it, a page's envelope and an error in it
 * come then, with the same values and the same error. Byte offsets in errors are exact for valid
 * UTF-8; after an invalid byte (read as U+FFFD) they are approximate.
 */
export class Parser {
  // A byte order mark is dropped here, not by the decoder, so its 3 bytes count in offsets.
  private readonly decoder = new TextDecoder("utf-8", { ignoreBOM: true })
  private readonly splitter: JsonSplitter
  private readonly texts: Array<string> = []
  // Byte offset of the current chunk's decoded text; raw bytes fed; bytes the decoder holds back.
  private bytesBefore = 0
  private raw = 0
  private held = 0
  private started = false
  private tail: Uint8Array = new Uint8Array(0)
  private count = 0
  private readonly clean: ((text: string, value: unknown) => unknown) | undefined
  private readonly maxItemSize: number
  // Batches (see `run`): text after the last batch, not yet split; whether batches are tried at all;
  // pieces to let pass before trying again after one did not parse, and the next such wait.
  private pending = ""
  private readonly batches: boolean
  private wait = 0
  private backoff = 16

  /** `input` names the input in errors; see `ParserOptions` for the rest. */
  constructor(
    readonly input?: string,
    options?: ParserOptions
  ) {
    this.maxItemSize = options?.maxItemSize ?? DEFAULT_MAX_ITEM_SIZE
    this.splitter = new JsonSplitter(options?.itemsKey, this.maxItemSize)
    this.clean = options?.clean
    // Each item's text is needed for `clean`.
    this.batches = options?.batches !== false && this.clean === undefined
  }

  /** The detected format, once the first value has started. */
  get format(): Format | undefined {
    return this.splitter.format
  }

  /** For a cursor page: its other members (`has_more`, ...; the items member as `[]`), once complete. */
  get envelope(): Readonly<Record<string, unknown>> | undefined {
    return this.splitter.envelope
  }

  /** For a page whose items have started: its text before the items array (see `JsonSplitter.head`). */
  get head(): string | undefined {
    return this.splitter.head
  }

  /** Items produced so far. */
  get items(): number {
    return this.count
  }

  /** Feeds bytes; returns the values of the elements completed by them (`InvalidJson` for bad ones). */
  feed(bytes: Uint8Array): Array<unknown> {
    if (bytes.length <= PIECE) return this.feedPiece(bytes)
    // Decoded a piece at a time: text past ~128 KiB would go straight to V8's old generation and
    // stay there, dead, until a full collection, where pieces die young and cheaply.
    const out: Array<unknown> = []
    for (let at = 0; at < bytes.length; at += PIECE) {
      for (const value of this.feedPiece(bytes.subarray(at, at + PIECE))) out.push(value)
    }
    return out
  }

  private feedPiece(bytes: Uint8Array): Array<unknown> {
    // The decoder holds back an incomplete UTF-8 sequence at the end; track it to know where the
    // decoded text starts in the input, without measuring every chunk's byte length.
    this.bytesBefore = this.raw - this.held
    this.raw += bytes.length
    // ASCII needs no UTF-8 decoding: read it byte for char (several times faster), unless the
    // decoder holds part of a character or has not started (it drops a byte order mark at its start).
    const ascii = this.held === 0 && this.started && isAscii(bytes)
    this.held = heldBack(bytes, this.tail)
    // Copied: the caller may reuse `bytes` for its next piece.
    this.tail = bytes.length >= 3 ? bytes.slice(bytes.length - 3) : lastThree(this.tail, bytes)
    if (ascii) return this.run(latin1(bytes), false)
    return this.run(this.decoded(this.decoder.decode(bytes, { stream: true })), false)
  }

  /** Ends the input; returns the last values. Fails if the document is incomplete. */
  finish(): Array<unknown> {
    this.bytesBefore = this.raw - this.held
    this.held = 0
    return this.run(this.decoded(this.decoder.decode()), true)
  }

  /** Decoded text, without a byte order mark at the input's start (whose bytes then count before it). */
  private decoded(text: string): string {
    if (this.started || text.length === 0) return text
    this.started = true
    if (text.charCodeAt(0) !== 0xfeff) return text
    this.bytesBefore += 3
    return text.slice(1)
  }

  /**
   * The values of the items completed by `text`.
   *
   * Most exports put one item per line (`[\n{…},\n{…},\n…`). Between items, where the splitter
   * holds nothing, the text up to the last `,\n` is read with one `JSON.parse` as an array: no
   * character-by-character split, no call per item. That is sound without trusting the layout: a
   * prefix that starts between items parses as an array only if it ends between items too (a cut
   * inside a string or a nested value leaves it unclosed), and only if every item in it is valid JSON.
   * When it does not parse (an invalid item, another layout), the splitter reads the same text item
   * by item, so values and errors are exactly the same; batches are then tried again later, less and
   * less often. The rest, after the cut, waits for the next piece.
   */
  private run(text: string, last: boolean): Array<unknown> {
    const count = this.count
    try {
      return this.read(text, last)
    } catch (error) {
      // None of this text's values reached the caller: `items` counts only those that did.
      this.count = count
      throw error
    }
  }

  private read(text: string, last: boolean): Array<unknown> {
    const held = this.pending
    const whole = held === "" ? text : held + text
    this.pending = ""
    // Byte offset of `whole` in the input (`bytesBefore` is that of `text`).
    const origin = () => this.bytesBefore - (held === "" ? 0 : byteLength(held))
    const values: Array<unknown> = []
    let at = 0
    if (!last && this.batchable(whole.length)) {
      if (!this.splitter.betweenItems) {
        // The item in progress most often ends at the first ",\n": split up to there.
        const first = whole.indexOf(",\n")
        // Not if that much more of the item would pass the size cap: the cap is checked where each
        // text handed to the splitter ends, and this split is not where the piece ends.
        if (first >= 0 && this.splitter.captured + first + 1 <= this.maxItemSize) {
          at = first + 1
          this.split(whole, 0, at, false, origin, values)
        }
      }
      if (this.splitter.betweenItems) {
        const cut = whole.lastIndexOf(",\n")
        if (cut > at) {
          const batch = parseBatch(whole.slice(at, cut))
          if (batch !== undefined) {
            for (const value of batch) values.push(nestsDeeper(value) ? tooDeep(value) : value)
            this.count += batch.length
            this.splitter.skippedItems()
            this.pending = whole.slice(cut + 1)
            return values
          }
          this.backOff()
        } else if (whole.length - at <= MAX_PENDING) {
          this.pending = at === 0 ? whole : whole.slice(at)
          return values
        } else this.backOff()
      }
    }
    this.split(whole, at, whole.length, last, origin, values)
    return values
  }

  /** Whether to try a batch on this piece (`length`: its text, with what is pending). */
  private batchable(length: number): boolean {
    if (!this.batches || length > this.maxItemSize) return false
    if (this.wait === 0) return true
    this.wait--
    return false
  }

  private backOff(): void {
    this.wait = this.backoff
    this.backoff = Math.min(this.backoff * 2, 4096)
  }

  /** Splits `whole[from, to)` item by item (then ends the input if `last`) and adds their values. */
  private split(
    whole: string,
    from: number,
    to: number,
    last: boolean,
    origin: () => number,
    values: Array<unknown>
  ): void {
    const text = from === 0 && to === whole.length ? whole : whole.slice(from, to)
    const texts = this.texts
    texts.length = 0
    try {
      if (text.length > 0) this.splitter.push(text, texts)
      if (last) this.splitter.end(texts)
    } catch (error) {
      if (error instanceof SplitError) {
        const offset =
          origin() +
          byteLength(whole.slice(0, from)) +
          (error.at < 0 ? byteLength(text) : byteLength(text.slice(0, error.at)))
        throw new JsonInputError({
          reason: error.reason,
          offset,
          items: this.count + texts.length,
          ...this.named(),
          ...(error instanceof SizeLimitError ? { limit: "item size" } : {})
        })
      }
      if (error instanceof RangeError) {
        throw new JsonInputError({
          reason: `an element is too large to read (${oneLine(error.message, 80)})`,
          offset: this.bytesBefore,
          items: this.count,
          ...this.named()
        })
      }
      throw error
    }
    const clean = this.clean
    for (let k = 0; k < texts.length; k++) {
      const text = texts[k]!
      values.push(clean === undefined ? parseElement(text) : clean(text, parseElement(text)))
    }
    this.count += texts.length
  }

  private named(): { input?: string } {
    return this.input === undefined ? {} : { input: this.input }
  }
}

/** Bytes decoded at a time (see `Parser.feed`). */
const PIECE = 64 * 1024
/** Text kept waiting for a `,\n` between items before the splitter takes it (see `Parser.run`). */
const MAX_PENDING = 4 * PIECE

/**
 * Items' text (from between items up to a comma between items) as their values, or undefined if it
 * is not that. Blank text is an empty item before the comma, which the splitter reports: not a batch.
 */
const parseBatch = (text: string): Array<unknown> | undefined => {
  try {
    const values = JSON.parse(`[${text}]`) as Array<unknown>
    return values.length > 0 ? values : undefined
  } catch {
    return undefined
  }
}

const tooDeep = (value: unknown): InvalidJson => {
  const id = typeof value === "object" && value !== null ? (value as { id?: unknown }).id : undefined
  return new InvalidJson(TOO_DEEP, typeof id === "string" ? id : undefined)
}

/** The text of ASCII bytes. */
const latin1 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1")

const byteLength = (text: string): number => Buffer.byteLength(text, "utf8")

/** How many bytes at the end of the input so far start a UTF-8 sequence that is not complete yet. */
const heldBack = (bytes: Uint8Array, before: Uint8Array): number => {
  for (let k = 1; k <= 3; k++) {
    const byte = k <= bytes.length ? bytes[bytes.length - k] : before[before.length - (k - bytes.length)]
    if (byte === undefined) return 0
    if ((byte & 0xc0) === 0x80) continue // a continuation byte: look further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    return length > k ? k : 0
  }
  return 0
}

const lastThree = (before: Uint8Array, bytes: Uint8Array): Uint8Array => {
  const joined = new Uint8Array(before.length + bytes.length)
  joined.set(before)
  joined.set(bytes, before.length)
  return joined.subarray(Math.max(0, joined.length - 3))
}

/** Options for `items`. */
export interface ItemsOptions {
  /** Tags every item with this album (server sources). */
  readonly album?: string | undefined
  /** Names the input in error messages (a file name, `stdin`). */
  readonly input?: string | undefined
  /** The most characters one item may span (default 64 Mi). */
  readonly maxItemSize?: number | undefined
  /**
   * Called at the end when the input is a cursor page that says `has_more: true`: one page of a longer
   * listing, so the album holds more assets than were read.
   */
  readonly onPartialPage?: (() => void) | undefined
}

/** Whether a finished parser read a cursor page that says more pages follow. */
export const isPartialPage = (parser: Parser): boolean =>
  parser.format === "page" && parser.envelope?.has_more === true

/**
 * Reads a byte stream of JSON (array, cursor page, NDJSON or concatenated values) as one
 * `SourceItem` per element, in order, with 0-based indexes. Unparsable elements arrive as
 * `InvalidJson` values; a broken document fails with `JsonInputError`.
 */
export const items = <E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>,
  options?: ItemsOptions
): Stream.Stream<SourceItem, E | JsonInputError, R> =>
  Stream.suspend(() => {
    const parser = new Parser(options?.input, { maxItemSize: options?.maxItemSize })
    const album = options?.album
    let index = 0
    const toItems = (values: Array<unknown>): Chunk.Chunk<SourceItem> => {
      const out = new Array<SourceItem>(values.length)
      for (let k = 0; k < values.length; k++) {
        out[k] =
          album === undefined
            ? { value: values[k], index: index++ }
            : { value: values[k], index: index++, album }
      }
      return Chunk.unsafeFromArray(out)
    }
    const guard = (f: () => Array<unknown>) =>
      Effect.try({
        try: () => toItems(f()),
        catch: (error) => (error instanceof JsonInputError ? error : unexpected(error, parser))
      })
    return bytes.pipe(
      Stream.mapChunksEffect((chunk) =>
        guard(() => {
          const all: Array<unknown> = []
          for (const bytes of chunk) for (const value of parser.feed(bytes)) all.push(value)
          return all
        })
      ),
      Stream.concat(
        Stream.flattenChunks(
          Stream.fromEffect(
            guard(() => {
              const last = parser.finish()
              if (isPartialPage(parser)) options?.onPartialPage?.()
              return last
            })
          )
        )
      )
    )
  })

const unexpected = (error: unknown, parser: Parser): JsonInputError =>
  new JsonInputError({
    reason: oneLine(error instanceof Error ? error.message : String(error)),
    offset: 0,
    items: parser.items,
    ...(parser.input === undefined ? {} : { input: parser.input })
  })

/**
 * Reads a whole JSON text (already in memory) with the same rules as `items`; for tests and small inputs.
 */
export const parseText = (text: string): Effect.Effect<Array<unknown>, JsonInputError> =>
  Effect.try({
    try: () => {
      const parser = new Parser()
      return [...parser.feed(new TextEncoder().encode(text)), ...parser.finish()]
    },
    catch: (error) => (error instanceof JsonInputError ? error : unexpected(error, new Parser()))
  })

/** Options for `decodedItems`. */
export interface DecodedItemsOptions extends ItemsOptions {
  /** Detect a local export's shape from its first object, and map Immich assets (or an Immich album) into `InputAsset`. */
  readonly detectShape?: boolean | undefined
  /** Called with the detected shape as items arrive (with `detectShape`). */
  readonly onShape?: ((shape: ExportShape) => void) | undefined
  /**
   * Where items are parsed and decoded: `auto` (default) in a worker thread once the input passes
   * 32 MiB, on this thread for smaller inputs; `always` in a worker; `never` on this thread.
   */
  readonly worker?: "auto" | "always" | "never" | undefined
  /** The input's size in bytes, when known (a file): `auto` then decides at once instead of reading ahead. */
  readonly size?: number | undefined
}

/**
 * For `decodedItems`: the input is a local file. Reading it can then fail with `InputUnreadable`.
 *
 * @since 0.2.0
 */
export interface FileInput {
  /**
   * The file, open for reading (its descriptor; the caller closes it after the stream): a worker
   * reads it itself, by position, and `bytes` is read only when the input stays on this thread.
   */
  readonly fd: number | undefined
}

/**
 * For `decodedItems`: the input is the local file at `path` (`bytes` are its bytes). Past the
 * worker threshold, the file is opened here and the worker reads it itself; otherwise, or when it
 * is not a regular file, `bytes` are read (and report why it cannot be read). Opening it can fail
 * with `InputUnreadable`.
 *
 * @since 0.2.0
 */
export interface PathInput {
  readonly path: string
}

/** Inputs up to this size are read on the calling thread: a worker's start-up would cost more. */
const WORKER_THRESHOLD = 32 * 1024 * 1024
/** Bytes per message to the worker, and messages in flight: the worker stays busy, memory stays bounded. */
const POST_BYTES = 1024 * 1024
const IN_FLIGHT = 4

/**
 * Like `items`, for `Pipeline.analyze`: items ready to analyse, in order, with the same 0-based
 * indexes, invalid items and `JsonInputError`s. Large inputs are parsed and decoded in a worker
 * thread while the caller folds what is already decoded, so the values are opaque: give the
 * stream to `Pipeline.analyze`, do not read `value`. Each item is analysed once (the analysis takes
 * what a decoded value holds); run the stream again for another analysis. The worker lives as long
 * as the stream runs.
 *
 * @since 0.2.0
 */
export function decodedItems<E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>,
  options: DecodedItemsOptions & (FileInput | PathInput)
): Stream.Stream<SourceItem, E | JsonInputError | InputUnreadable, R>
export function decodedItems<E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>,
  options?: DecodedItemsOptions
): Stream.Stream<SourceItem, E | JsonInputError, R>
export function decodedItems<E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>,
  options?: DecodedItemsOptions & Partial<FileInput> & Partial<PathInput>
): Stream.Stream<SourceItem, E | JsonInputError | InputUnreadable, R> {
  return Stream.unwrapScoped(
    Effect.gen(function* () {
      const mode = options?.worker ?? "auto"
      if (mode === "never" || !OffThread.available()) return inThread(bytes, options)
      const path = options?.fd === undefined ? options?.path : undefined
      const size = options?.size ?? (path === undefined ? undefined : regularFileSize(path))
      let rest = bytes
      if (mode === "auto" && size !== undefined) {
        if (size <= WORKER_THRESHOLD) return inThread(bytes, options)
      } else if (mode === "auto") {
        // Read ahead up to the threshold: a smaller input never starts the worker.
        const pull = yield* Stream.toPull(bytes)
        const { parts: head, end: ended } = yield* gather(pull, WORKER_THRESHOLD + 1)
        rest = Stream.concat(
          Stream.fromIterable(head),
          Option.match(ended, {
            onNone: () => Stream.repeatEffectChunkOption(pull),
            onSome: (end) => Option.match(end, { onNone: () => Stream.empty, onSome: (e) => Stream.fail(e) })
          })
        )
        if (Option.isSome(ended)) return inThread(rest, options)
      }
      // A regular file given by path is opened now (closed after the worker ends): the worker reads it.
      const fd =
        path !== undefined && size !== undefined && rest === bytes
          ? yield* openScoped(path, options?.input ?? path)
          : options?.fd
      const worker = yield* OffThread.start({
        input: options?.input,
        maxItemSize: options?.maxItemSize,
        album: options?.album,
        detectShape: options?.detectShape === true,
        fd,
        readBytes: POST_BYTES
      })
      // The worker reads the file itself, unless bytes were read ahead (no size given) to decide.
      if (fd !== undefined && rest === bytes) return fromFile(worker, options)
      return yield* offThread(worker, yield* Stream.toPull(rest), options)
    })
  )
}

/** A regular file's size in bytes, or undefined (not one, or not there: reading it says why). */
const regularFileSize = (path: string): number | undefined => {
  try {
    const info = statSync(path, { throwIfNoEntry: false })
    return info?.isFile() === true ? info.size : undefined
  } catch {
    return undefined
  }
}

/** The file open for reading until the scope closes (its descriptor). */
const openScoped = (path: string, input: string) =>
  Effect.acquireRelease(
    Effect.try({ try: () => openSync(path, "r"), catch: (error) => InputUnreadable.fromError(input, error) }),
    (fd) => Effect.sync(() => closeSync(fd))
  )

/** `items` with the export's shape detected (when asked): decoding happens in the pipeline. */
const inThread = <E, R>(bytes: Stream.Stream<Uint8Array, E, R>, options: DecodedItemsOptions | undefined) => {
  const raw = items(bytes, options)
  if (options?.detectShape !== true) return raw
  const shapes = detector()
  return Stream.mapChunks(raw, (chunk) => {
    const out = Chunk.unsafeFromArray(shapes.map(Chunk.toReadonlyArray(chunk)) as Array<SourceItem>)
    const shape = shapes.shape()
    if (shape !== undefined) options.onShape?.(shape)
    return out
  })
}

/** What the reader hands the consumer, in input order: a reply to come, or how the input ended. */
type Posted<E> =
  | { readonly reply: Deferred.Deferred<OffThread.WorkerReply> }
  | { readonly end: Effect.Effect<never, Option.Option<E>> }

/**
 * The worker's replies as items. A reader fiber posts the bytes (1 MiB at a time, at most
 * `IN_FLIGHT` messages ahead of the consumer, so memory stays bounded) while the consumer takes
 * the replies in order; a slow or endless input never holds back items already decoded.
 */
const offThread = <E, R>(
  worker: OffThread.DecodeWorker,
  pull: Effect.Effect<Chunk.Chunk<Uint8Array>, Option.Option<E>, R>,
  options: DecodedItemsOptions | undefined
): Effect.Effect<Stream.Stream<SourceItem, E | JsonInputError | InputUnreadable>, never, R | Scope.Scope> =>
  Effect.gen(function* () {
    const slots = yield* Effect.makeSemaphore(IN_FLIGHT)
    const posted = yield* Queue.unbounded<Posted<E>>()
    const post = (bytes: Uint8Array | null) =>
      Effect.zipRight(slots.take(1), Queue.offer(posted, { reply: worker.send(bytes) }))
    const read = Effect.gen(function* () {
      for (;;) {
        const { parts, size, end } = yield* gather(pull, POST_BYTES)
        // One copy the worker owns (transferred): the caller's buffers are never detached.
        if (size > 0) yield* post(join(parts, size))
        if (Option.isSome(end)) {
          // A failure of the byte stream itself comes after the items read before it.
          if (Option.isNone(end.value)) yield* post(null)
          return yield* Queue.offer(posted, { end: Effect.fail(end.value) })
        }
      }
    }).pipe(
      Effect.catchAllCause((cause) =>
        Queue.offer(posted, { end: Effect.failCause(Cause.map(cause, Option.some)) })
      )
    )
    yield* Effect.forkScoped(read)
    const next: Effect.Effect<
      Chunk.Chunk<SourceItem>,
      Option.Option<E | JsonInputError | InputUnreadable>
    > = Effect.gen(function* () {
      const taken = yield* Queue.take(posted)
      if ("end" in taken) return yield* taken.end
      const answer = yield* Deferred.await(taken.reply)
      yield* slots.release(1)
      return yield* received(answer, options)
    })
    return Stream.repeatEffectChunkOption(next)
  })

/**
 * The worker's items as it reads the file itself: `IN_FLIGHT` reads asked ahead, one more asked
 * as each reply is taken (giving back its emptied buffer), until the reply that holds the last items.
 */
const fromFile = (
  worker: OffThread.DecodeWorker,
  options: DecodedItemsOptions | undefined
): Stream.Stream<SourceItem, JsonInputError | InputUnreadable> =>
  Stream.suspend(() => {
    const ask = (spare: Uint8Array | undefined) => worker.send({ read: OffThread.READ, spare })
    const replies = Array.from({ length: IN_FLIGHT }, () => ask(undefined))
    let ended = false
    const next: Effect.Effect<
      Chunk.Chunk<SourceItem>,
      Option.Option<JsonInputError | InputUnreadable>
    > = Effect.gen(function* () {
      if (ended) return yield* Effect.fail(Option.none())
      const answer = yield* Deferred.await(replies.shift()!)
      const items = yield* received(answer, options)
      if ("records" in answer) {
        if (answer.end === true) ended = true
        else replies.push(ask(answer.records))
      }
      return items
    })
    return Stream.repeatEffectChunkOption(next)
  })

/** A worker's reply as items (its records parsed a segment at a time), or the error it reports. */
const received = (
  answer: OffThread.WorkerReply,
  options: DecodedItemsOptions | undefined
): Effect.Effect<Chunk.Chunk<SourceItem>, Option.Option<JsonInputError | InputUnreadable>> => {
  if ("error" in answer) {
    return Effect.fail(
      Option.some(
        new JsonInputError({
          ...answer.error,
          ...(options?.input === undefined ? {} : { input: options.input })
        })
      )
    )
  }
  if ("unreadable" in answer) {
    return Effect.fail(Option.some(InputUnreadable.fromError(options?.input ?? "input", answer.unreadable)))
  }
  if (answer.shape !== undefined) options?.onShape?.(answer.shape)
  if (answer.partialPage === true) options?.onPartialPage?.()
  const album = options?.album
  const bytes = Buffer.from(answer.records.buffer, answer.records.byteOffset, answer.records.byteLength)
  const out: Array<SourceItem> = []
  let start = 0
  for (const end of answer.ends) {
    const records = JSON.parse(bytes.toString("utf8", start, end)) as Array<WireRecord>
    start = end
    for (const r of records) {
      const index = (typeof r[0] === "string" ? r[1] : r[0]) as number
      out.push(
        album === undefined ? { value: new Predecoded(r), index } : { value: new Predecoded(r), index, album }
      )
    }
  }
  return Effect.succeed(Chunk.unsafeFromArray(out))
}

/** Pulls chunks until at least `bytes` bytes or the end: the parts, their size, and the end if reached. */
const gather = <E, R>(pull: Effect.Effect<Chunk.Chunk<Uint8Array>, Option.Option<E>, R>, bytes: number) =>
  Effect.gen(function* () {
    const parts: Array<Uint8Array> = []
    let size = 0
    let end: Option.Option<Option.Option<E>> = Option.none()
    while (size < bytes && Option.isNone(end)) {
      const next = yield* Effect.either(pull)
      if (next._tag === "Left") end = Option.some(next.left)
      else
        for (const b of next.right) {
          parts.push(b)
          size += b.length
        }
    }
    return { parts, size, end }
  })

const join = (parts: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  const joined = new Uint8Array(size)
  let at = 0
  for (const p of parts) {
    joined.set(p, at)
    at += p.length
  }
  return joined
}
