// Floor: stream split + JSON.parse of every asset, nothing else. Usage: node bench/floor.mjs <file>
import { createReadStream } from "node:fs"
import { splitArray } from "./lib/split.mjs"

const file = process.argv[2]
const t0 = performance.now()
let ids = 0
const count = await splitArray(createReadStream(file, { highWaterMark: 1 << 20 }), (item) => {
  // Touch one field so the parse cannot be skipped.
  if (typeof item?.id === "string") ids++
})
const ms = performance.now() - t0
process.stdout.write(
  `${JSON.stringify({ items: count, ids, ms, maxRssKB: process.resourceUsage().maxRSS })}\n`
)
