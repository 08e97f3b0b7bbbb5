/**
 * The worker that writes the bulk of report.json on the second core while the main thread writes the
 * other reports: the opening it is given, then the groups and one line per asset, read where they are
 * (shared memory, see `Pipeline.shareAnalysis`), into the staged file from its start. The main thread
 * writes the rest after it. When asked, it also writes report.csv's rows from a position on into a
 * file of their own, from the same assets it builds for report.json. It replies once: where its text
 * ends in each file, or the error that stopped it.
 */
import { Buffer } from "node:buffer"
import { writeSync } from "node:fs"
import { parentPort, workerData } from "node:worker_threads"
import * as SharedAnalysis from "@albumsift/core/SharedAnalysis"
import { rowText } from "../formats/CsvRows.js"
import { assetLine, groupsThenAssets } from "../formats/JsonLines.js"
import type { JsonJob, JsonReply } from "./offThreadJson.js"
import { rowMaker } from "./rowMaker.js"

/** Bytes gathered before each write. */
const PIECE = 256 * 1024

/** The file a failed write was for (see `JsonReply`). */
let failedFile: "json" | "csv" = "json"

/**
 * Text written to a file from its start. Each line is encoded into one buffer as it comes, so its
 * string dies young (never promoted to the old generation), and the buffer is written when full. One
 * buffer is reused for every write: a new buffer per piece churns the allocator, whose freed memory a
 * thread's arena keeps (1M assets: peaks of 497, 505 and 591 MB with a buffer per piece, 495 MB in
 * three runs with one).
 */
class Sink {
  private readonly buffer = Buffer.allocUnsafeSlow(PIECE)
  private used = 0
  /** Bytes written to the file so far. */
  at = 0

  /** `file`: which report it writes, named in a failure's reply. */
  constructor(
    private readonly fd: number,
    private readonly file: "json" | "csv"
  ) {}

  add(text: string): void {
    // At most 3 bytes a UTF-16 unit: text that surely fits is encoded straight into the buffer.
    if (this.used + 3 * text.length > PIECE) {
      this.flush()
      // Longer than the buffer could hold (one huge line): written on its own.
      if (3 * text.length > PIECE) {
        this.write(Buffer.from(text, "utf8"))
        return
      }
    }
    this.used += this.buffer.write(text, this.used, "utf8")
  }

  flush(): void {
    this.write(this.buffer.subarray(0, this.used))
    this.used = 0
  }

  private write(bytes: Uint8Array): void {
    try {
      for (let done = 0; done < bytes.length; ) {
        const n = writeSync(this.fd, bytes, done, bytes.length - done, this.at + done)
        if (n === 0) throw new Error("nothing could be written")
        done += n
      }
    } catch (error) {
      failedFile = this.file
      throw error
    }
    this.at += bytes.length
  }
}

const job = workerData as JsonJob

const run = (): JsonReply => {
  const { assets, groups, groupAt } = SharedAnalysis.read(job.shared)
  const json = new Sink(job.fd, "json")
  json.add(job.opening)
  for (const text of groupsThenAssets(groups)) json.add(text)
  // report.csv's rows from `csv.from` on, into their own file: the main thread writes those before.
  const csv = job.csv
  const rows = csv === undefined ? undefined : new Sink(csv.fd, "csv")
  const row = rowMaker((_, position) => groupAt(position))
  let position = 0
  for (const asset of assets) {
    json.add(assetLine(asset, job.thumbnails?.get(asset.id) ?? null, position === 0))
    if (rows !== undefined && position >= csv!.from) rows.add(rowText(row(asset, position), csv!.metrics))
    position++
  }
  json.flush()
  rows?.flush()
  return rows === undefined ? { end: json.at } : { end: json.at, csvEnd: rows.at }
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
      message: message.split("\n")[0] ?? message,
      file: failedFile
    }
  }
}
parentPort!.postMessage(reply)
