/**
 * The worker that writes the bulk of report.json on the second core while the main thread writes the
 * other reports: the opening it is given, then the groups and one line per asset, read where they are
 * (shared memory, see `Pipeline.shareAnalysis`), into the staged file from its start. The main thread
 * writes the rest after it. It replies once: where its text ends, or the error that stopped it.
 */
import { Buffer } from "node:buffer"
import { writeSync } from "node:fs"
import { parentPort, workerData } from "node:worker_threads"
import * as SharedAnalysis from "@albumsift/core/SharedAnalysis"
import { assetLine, groupsThenAssets } from "../formats/JsonLines.js"
import type { JsonJob, JsonReply } from "./offThreadJson.js"

/** Characters rendered before each write. */
const PIECE = 64 * 1024
/**
 * One buffer for every write (a piece's UTF-8 fits unless one line is huge): a new buffer per piece
 * churns the allocator, whose freed memory a thread's arena keeps (1M assets: peaks of 497, 505 and
 * 591 MB with a buffer per piece, 495 MB in three runs with this one).
 */
const buffer = Buffer.allocUnsafeSlow(4 * PIECE)

const job = workerData as JsonJob

const run = (): JsonReply => {
  const { assets, groups } = SharedAnalysis.read(job.shared)
  let at = 0
  let parts: Array<string> = []
  let size = 0
  const flush = () => {
    const text = parts.join("")
    parts = []
    size = 0
    // At most 3 bytes a UTF-16 unit: a piece that surely fits is encoded straight into the buffer.
    const fits = text.length * 3 <= buffer.length
    const bytes = fits ? buffer : Buffer.from(text, "utf8")
    const length = fits ? buffer.write(text, 0, "utf8") : bytes.length
    for (let done = 0; done < length; ) {
      const n = writeSync(job.fd, bytes, done, length - done, at + done)
      if (n === 0) throw new Error("nothing could be written")
      done += n
    }
    at += length
  }
  const add = (text: string) => {
    parts.push(text)
    size += text.length
    if (size >= PIECE) flush()
  }
  add(job.opening)
  for (const text of groupsThenAssets(groups)) add(text)
  let first = true
  for (const asset of assets) {
    add(assetLine(asset, job.thumbnails?.get(asset.id) ?? null, first))
    first = false
  }
  if (size > 0) flush()
  return { end: at }
}

let reply: JsonReply
try {
  reply = run()
} catch (error) {
  const e = error as { code?: unknown; message?: unknown }
  const message = typeof e.message === "string" ? e.message : String(error)
  reply = {
    error: {
      // A system error's code (ENOSPC, EIO…); anything else is told by its message.
      code: typeof e.code === "string" && /^E[A-Z]+$/.test(e.code) ? e.code : undefined,
      message: message.split("\n")[0] ?? message
    }
  }
}
parentPort!.postMessage(reply)
