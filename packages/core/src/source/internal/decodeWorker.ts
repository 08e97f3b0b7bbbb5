/**
 * The decode worker's side: parses the bytes it is sent (the same `Parser` as on the main thread),
 * detects a local export's shape when asked, decodes every item with `Asset.decode` and posts one
 * reply per message: the batch's records as one JSON text (see `internal/projectionWire`), or the
 * error that ended the input. Messages are byte chunks in order, then `null` for the end; or, when
 * it was given an open file, `READ` requests: it reads the file's next piece itself (no bytes
 * cross threads) and says which reply holds the last items.
 */
import { readSync } from "node:fs"
import { parentPort, workerData } from "node:worker_threads"
import * as Asset from "../../Asset.js"
import { PassThrough } from "../../engine/internal/Interner.js"
import { projectionRecord, rejectionRecord } from "../../internal/projectionWire.js"
import type { SourceItem } from "../../SourceItem.js"
import { isPartialPage, JsonInputError, Parser } from "../JsonInput.js"
import { detector } from "./exportShape.js"
import { oneLine } from "./jsonSplitter.js"
import type { WorkerMessage, WorkerReply, WorkerSettings } from "./offThread.js"

const settings = workerData as WorkerSettings
const parser = new Parser(settings.input, { maxItemSize: settings.maxItemSize })
const shapes = settings.detectShape ? detector() : undefined
const album = settings.album
let index = 0
let failed = false
// Reading a file: where the next piece starts, one buffer reused for every piece, and a records
// buffer the main thread has emptied and given back (so neither side keeps allocating large buffers).
let position = 0
let ended = false
let readBuffer: Buffer | undefined
let spare: Buffer | undefined

/**
 * The batch's records as JSON arrays, one per piece parsed (a few tens of KiB), back to back in one
 * buffer: the main thread parses one segment at a time, so its strings stay small (young, cheap to
 * collect).
 */
class Segments {
  private buf = takeSpare() ?? Buffer.allocUnsafeSlow(1 << 18)
  private at = 0
  readonly ends: Array<number> = []

  /** Adds a piece's records as segments of at most `SEGMENT_RECORDS` (one `JSON.stringify` and one write each). */
  add(records: ReadonlyArray<unknown>): void {
    for (let k = 0; k < records.length; k += SEGMENT_RECORDS) {
      this.segment(records.length <= SEGMENT_RECORDS ? records : records.slice(k, k + SEGMENT_RECORDS))
    }
  }

  private segment(records: ReadonlyArray<unknown>): void {
    const json = JSON.stringify(records)
    const need = this.at + json.length * 3
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2))
      this.buf.copy(bigger, 0, 0, this.at)
      this.buf = bigger
    }
    this.at += this.buf.write(json, this.at, "utf8")
    this.ends.push(this.at)
  }

  /** The buffer (whole, to be transferred) and where each segment ends. */
  done(): { readonly records: Uint8Array; readonly ends: ReadonlyArray<number> } {
    return { records: this.buf, ends: this.ends }
  }
}

const takeSpare = (): Buffer | undefined => {
  const buf = spare
  spare = undefined
  return buf
}

/** Records per segment at most: a piece of many tiny items still gives small segments. */
const SEGMENT_RECORDS = 256
/** Bytes parsed at a time: each piece's values are decoded before the next is parsed (few live at once). */
const PIECE = 64 * 1024

// The records are written out as JSON text, so sharing strings here would save nothing: the main
// thread interns what it keeps.
const interner = new PassThrough()

const decodeValues = (values: ReadonlyArray<unknown>, out: Segments): void => {
  let items: ReadonlyArray<SourceItem> = values.map((value) =>
    album === undefined ? { value, index: index++ } : { value, index: index++, album }
  )
  if (shapes !== undefined) items = shapes.map(items)
  const records = new Array<unknown>(items.length)
  for (let k = 0; k < items.length; k++) {
    const d = Asset.decode(items[k]!, interner)
    records[k] = Asset.isRejected(d) ? rejectionRecord(d.index, d.reason, d.id) : projectionRecord(d)
  }
  out.add(records)
}

const decodeBatch = (bytes: Uint8Array | null): WorkerReply => {
  const out = new Segments()
  if (bytes === null) {
    decodeValues(parser.finish(), out)
    if (isPartialPage(parser)) return { ...out.done(), shape: shapes?.shape(), partialPage: true }
  } else
    for (let at = 0; at < bytes.length; at += PIECE) {
      decodeValues(parser.feed(bytes.subarray(at, at + PIECE)), out)
    }
  return { ...out.done(), shape: shapes?.shape() }
}

/** The file's next piece (empty at its end), read into the one reused buffer. */
const readPiece = (fd: number): Uint8Array => {
  readBuffer ??= Buffer.allocUnsafeSlow(settings.readBytes ?? 1 << 20)
  let size = 0
  while (size < readBuffer.length) {
    const n = readSync(fd, readBuffer, size, readBuffer.length - size, position)
    if (n === 0) break
    size += n
    position += n
  }
  return readBuffer.subarray(0, size)
}

/** Answers a `READ`: the next piece's items, or the last ones (and `end`) once the file is read. */
const readBatch = (fd: number): WorkerReply => {
  if (ended) return { records: new Uint8Array(0), ends: [], shape: shapes?.shape(), end: true }
  let bytes: Uint8Array
  try {
    bytes = readPiece(fd)
  } catch (error) {
    failed = true
    const e = error as { code?: unknown; message?: unknown }
    return {
      unreadable: {
        code: typeof e.code === "string" ? e.code : undefined,
        message: typeof e.message === "string" ? e.message : String(error)
      }
    }
  }
  if (bytes.length > 0) return decodeBatch(bytes)
  ended = true
  return { ...decodeBatch(null), end: true }
}

parentPort!.on("message", (message: WorkerMessage) => {
  if (failed) return
  let reply: WorkerReply
  try {
    if (message === null || message instanceof Uint8Array) reply = decodeBatch(message)
    else {
      if (message.spare !== undefined) {
        spare = Buffer.from(message.spare.buffer, message.spare.byteOffset, message.spare.byteLength)
      }
      reply = readBatch(settings.fd!)
    }
  } catch (error) {
    failed = true
    reply =
      error instanceof JsonInputError
        ? {
            error: {
              reason: error.reason,
              offset: error.offset,
              items: error.items,
              ...(error.limit === undefined ? {} : { limit: error.limit })
            }
          }
        : {
            error: {
              reason: oneLine(error instanceof Error ? error.message : String(error)),
              offset: 0,
              items: parser.items
            }
          }
  }
  parentPort!.postMessage(reply, "records" in reply ? [reply.records.buffer as ArrayBuffer] : [])
})
