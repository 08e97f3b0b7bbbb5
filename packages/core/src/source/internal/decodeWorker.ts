/**
 * The decode worker's side: parses the bytes it is sent (the same `Parser` as on the main thread),
 * detects a local export's shape when asked, decodes every item with `Asset.decode` and posts one
 * reply per message: the batch's records as one JSON text (see `internal/projectionWire`), or the
 * error that ended the input. Messages are byte chunks in order, then `null` for the end.
 */
import { parentPort, workerData } from "node:worker_threads"
import * as Asset from "../../Asset.js"
import { Interner } from "../../engine/internal/Interner.js"
import { projectionRecord, rejectionRecord } from "../../internal/projectionWire.js"
import type { SourceItem } from "../../SourceItem.js"
import { JsonInputError, Parser } from "../JsonInput.js"
import { detector } from "./exportShape.js"
import { oneLine } from "./jsonSplitter.js"
import type { WorkerReply, WorkerSettings } from "./offThread.js"

const settings = workerData as WorkerSettings
const parser = new Parser(settings.input, { maxItemSize: settings.maxItemSize })
const shapes = settings.detectShape ? detector() : undefined
const album = settings.album
let index = 0
let failed = false

/**
 * The batch's records as JSON arrays of about 32 KiB each, back to back in one buffer: the main
 * thread parses one segment at a time, so its strings stay small (young, cheap to collect).
 */
class Segments {
  private buf = Buffer.allocUnsafeSlow(1 << 18)
  private at = 0
  private start = 0
  readonly ends: Array<number> = []

  add(json: string): void {
    const need = this.at + json.length * 3 + 2
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2))
      this.buf.copy(bigger, 0, 0, this.at)
      this.buf = bigger
    }
    this.buf[this.at] = this.at === this.start ? OPEN : COMMA
    this.at++
    this.at += this.buf.write(json, this.at, "utf8")
    if (this.at - this.start >= SEGMENT) this.close()
  }

  /** The buffer (whole, to be transferred) and where each segment ends. */
  done(): { readonly records: Uint8Array; readonly ends: ReadonlyArray<number> } {
    if (this.at > this.start) this.close()
    return { records: this.buf, ends: this.ends }
  }

  private close(): void {
    this.buf[this.at++] = CLOSE
    this.ends.push(this.at)
    this.start = this.at
  }
}

const OPEN = 0x5b
const COMMA = 0x2c
const CLOSE = 0x5d
const SEGMENT = 32 * 1024
/** Bytes parsed at a time: each piece's values are decoded before the next is parsed (few live at once). */
const PIECE = 64 * 1024

const decodeValues = (values: ReadonlyArray<unknown>, out: Segments): void => {
  let items: ReadonlyArray<SourceItem> = values.map((value) =>
    album === undefined ? { value, index: index++ } : { value, index: index++, album }
  )
  if (shapes !== undefined) items = shapes.map(items)
  // A fresh interner per piece: the main thread interns what it keeps; this one only shares within the piece.
  const interner = new Interner()
  for (const item of items) {
    const d = Asset.decode(item, interner)
    out.add(
      JSON.stringify(Asset.isRejected(d) ? rejectionRecord(d.index, d.reason, d.id) : projectionRecord(d))
    )
  }
}

const decodeBatch = (bytes: Uint8Array | null): WorkerReply => {
  const out = new Segments()
  if (bytes === null) decodeValues(parser.finish(), out)
  else
    for (let at = 0; at < bytes.length; at += PIECE) {
      decodeValues(parser.feed(bytes.subarray(at, at + PIECE)), out)
    }
  return { ...out.done(), shape: shapes?.shape() }
}

parentPort!.on("message", (bytes: Uint8Array | null) => {
  if (failed) return
  let reply: WorkerReply
  try {
    reply = decodeBatch(bytes)
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
