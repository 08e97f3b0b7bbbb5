/**
 * The worker that writes report.json's asset lines on the second core while the main thread writes
 * the other reports. It reads the analysis' assets where they are (shared memory, see
 * `Pipeline.shareAssets`) and writes their lines into the staged file, from the position it is given;
 * the main thread has written everything before that point and writes the rest after it. It replies
 * once: where its lines end, or the error that stopped it.
 */
import { Buffer } from "node:buffer"
import { writeSync } from "node:fs"
import { parentPort, workerData } from "node:worker_threads"
import * as SharedAssets from "@albumsift/core/SharedAssets"
import { assetLine } from "../formats/JsonAsset.js"
import type { JsonJob, JsonReply } from "./offThreadJson.js"

/** Characters rendered before each write. */
const PIECE = 256 * 1024

const job = workerData as JsonJob

const run = (): JsonReply => {
  let at = job.position
  let parts: Array<string> = []
  let size = 0
  const flush = () => {
    const bytes = Buffer.from(parts.join(""), "utf8")
    parts = []
    size = 0
    for (let done = 0; done < bytes.length; )
      done += writeSync(job.fd, bytes, done, bytes.length - done, at + done)
    at += bytes.length
  }
  let first = true
  for (const asset of SharedAssets.read(job.shared)) {
    const text = assetLine(asset, job.thumbnails?.get(asset.id) ?? null, first)
    first = false
    parts.push(text)
    size += text.length
    if (size >= PIECE) flush()
  }
  if (size > 0) flush()
  return { end: at }
}

let reply: JsonReply
try {
  reply = run()
} catch (error) {
  const e = error as { code?: unknown; message?: unknown }
  reply = {
    error: {
      code: typeof e.code === "string" ? e.code : undefined,
      message: typeof e.message === "string" ? e.message : String(error)
    }
  }
}
parentPort!.postMessage(reply)
