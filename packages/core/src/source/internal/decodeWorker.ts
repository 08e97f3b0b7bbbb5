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

const decodeBatch = (bytes: Uint8Array | null): WorkerReply => {
  const values = bytes === null ? parser.finish() : parser.feed(bytes)
  let items: ReadonlyArray<SourceItem> = values.map((value) =>
    album === undefined ? { value, index: index++ } : { value, index: index++, album }
  )
  if (shapes !== undefined) items = shapes.map(items)
  // A fresh interner per batch: the main thread interns for keeps; this one only shares within the batch.
  const interner = new Interner()
  const records = items.map((item) => {
    const d = Asset.decode(item, interner)
    return Asset.isRejected(d) ? rejectionRecord(d.index, d.reason, d.id) : projectionRecord(d)
  })
  // As UTF-8 bytes, transferred: posting a long string copies it twice (serialise, deserialise).
  const json = Buffer.from(JSON.stringify(records), "utf8")
  const own = json.byteOffset === 0 && json.byteLength === json.buffer.byteLength ? json : Buffer.from(json)
  return { records: own, shape: shapes?.shape() }
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
