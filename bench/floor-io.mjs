// Read-and-write floor: the floor's split + JSON.parse of every asset, then each asset written out
// again the cheapest way Node has, as a report.json-sized JSON line (native JSON.stringify of the
// fields the report keeps per asset) and a report.csv-sized line (fields joined, no quoting). No
// analysis at all. It is what any tool that reads the album and writes reports of this volume pays
// on one thread, so it bounds what "N× faster than jq" can mean here (bench/NOTES.md).
// Usage: node bench/floor-io.mjs <album.json> <out dir>; prints one JSON line with the bytes written.
import { closeSync, createReadStream, fsyncSync, mkdirSync, openSync, writeSync } from "node:fs"
import { join } from "node:path"
import { splitArray } from "./lib/split.mjs"

const [file, outDir] = process.argv.slice(2)
mkdirSync(outDir, { recursive: true })
const t0 = performance.now()

/** A file written in ~1 MB pieces, as the real writers do. */
const sink = (path) => {
  const fd = openSync(path, "w")
  let parts = []
  let size = 0
  let total = 0
  const flush = () => {
    const bytes = Buffer.from(parts.join(""))
    writeSync(fd, bytes)
    total += bytes.length
    parts = []
    size = 0
  }
  return {
    push(text) {
      parts.push(text)
      size += text.length
      if (size > 1 << 20) flush()
    },
    close() {
      flush()
      fsyncSync(fd)
      closeSync(fd)
      return total
    }
  }
}
const json = sink(join(outDir, "floor.json"))
const csv = sink(join(outDir, "floor.csv"))
json.push("[\n")

const count = await splitArray(createReadStream(file, { highWaterMark: 1 << 20 }), (a) => {
  if (a === null || typeof a !== "object") return
  const exif = a.exif ?? {}
  // The report's per-asset entry carries about these fields (and their volume); the values are
  // copied as they are, so no formatting work is counted.
  const row = {
    id: a.id,
    file_name: a.original_file_name,
    mime_type: a.mime_type,
    checksum: a.checksum,
    taken_at: { raw: exif.original_datetime, wall: a.local_datetime, offset_minutes: 0 },
    camera: `${exif.make} ${exif.model}`,
    device_id: a.device_id,
    auto_stack_id: exif.auto_stack_id,
    live_photo_cid: exif.live_photo_cid,
    rating: exif.rating,
    metrics: a.metrics,
    width: a.width,
    height: a.height,
    file_size: a.file_size_bytes,
    description: exif.description,
    people: a.people,
    thumbnail_url: a.thumbnail_url,
    created_at: a.created_at,
    score: Math.random(),
    members: [{ asset_id: a.id, rank: 1, score: Math.random(), reasons: ["best of 2: score 0.85"] }]
  }
  json.push(JSON.stringify(row))
  json.push(",\n")
  csv.push(
    [
      a.id,
      a.original_file_name,
      a.checksum,
      a.local_datetime,
      exif.make,
      exif.model,
      a.device_id,
      exif.rating,
      a.width,
      a.height,
      a.file_size_bytes,
      row.score,
      a.thumbnail_url
    ].join(",")
  )
  csv.push("\n")
})
json.push("]\n")
const bytes = json.close() + csv.close()
const ms = performance.now() - t0
process.stdout.write(
  `${JSON.stringify({ items: count, bytesWritten: bytes, ms, maxRssKB: process.resourceUsage().maxRSS })}\n`
)
