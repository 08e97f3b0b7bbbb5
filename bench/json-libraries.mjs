// Why JsonInput uses a hand-written splitter: it against the floor and two streaming JSON
// libraries from npm, on the same file, each in a fresh process (so peak RSS is its own).
//
//   npm install --prefix /tmp/jsonlibs @streamparser/json@0.0.26 stream-json@3.8.0
//   node scripts/generate-album.mjs --count 100000 --out /tmp/a100k.json
//   pnpm exec tsc -b packages/core
//   node bench/json-libraries.mjs /tmp/a100k.json /tmp/jsonlibs [runs=3]
//
// Prints one JSON line per variant: median ms, MB/s and peak RSS over the runs.
import { execFileSync } from "node:child_process"
import { createReadStream, statSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { pathToFileURL } from "node:url"

const VARIANTS = ["floor", "jsoninput", "streamparser", "stream-json"]

const child = async (variant, file, libs) => {
  const chunks = () => createReadStream(file, { highWaterMark: 1 << 16 })
  let items = 0
  const count = (v) => {
    if (v !== null && typeof v === "object" && typeof v.id === "string") items++
  }
  // Modules load before the clock starts: only parsing is timed.
  const { splitArray } = await import("./lib/split.mjs")
  const { Parser } = await import(
    pathToFileURL(join(import.meta.dirname, "../packages/core/dist/source/JsonInput.js")).href
  )
  const require = createRequire(join(libs, "node_modules", "x.js"))
  const lib = async (name) => {
    const mod = await import(pathToFileURL(require.resolve(name)).href)
    return { ...mod.default, ...mod }
  }
  const streamparser = variant === "streamparser" ? await lib("@streamparser/json") : undefined
  const streamJson =
    variant === "stream-json" ? await lib("stream-json/streamers/stream-array.js") : undefined
  const { pipeline } = await import("node:stream/promises")
  const t0 = performance.now()
  if (variant === "floor") {
    await splitArray(chunks(), count)
  } else if (variant === "jsoninput") {
    const parser = new Parser()
    for await (const chunk of chunks()) for (const v of parser.feed(chunk)) count(v)
    for (const v of parser.finish()) count(v)
  } else if (variant === "streamparser") {
    const parser = new streamparser.JSONParser({ paths: ["$.*"], keepStack: false })
    parser.onValue = ({ value }) => count(value)
    for await (const chunk of chunks()) parser.write(chunk)
  } else if (variant === "stream-json") {
    const streamArray = streamJson.streamArray ?? streamJson
    await pipeline(chunks(), streamArray.withParserAsStream(), async (source) => {
      for await (const { value } of source) count(value)
    })
  }
  const ms = performance.now() - t0
  process.stdout.write(JSON.stringify({ items, ms, rssKB: process.resourceUsage().maxRSS }))
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

if (process.argv[2] === "--child") {
  await child(process.argv[3], process.argv[4], process.argv[5])
} else {
  const [file, libs, runsArg] = process.argv.slice(2)
  if (file === undefined || libs === undefined) {
    process.stderr.write(
      "usage: node bench/json-libraries.mjs <album.json> <dir with the npm libraries> [runs]\n"
    )
    process.exit(2)
  }
  const runs = Number(runsArg ?? 3)
  const mb = statSync(file).size / 1e6
  for (const variant of VARIANTS) {
    const results = []
    for (let r = 0; r < runs; r++) {
      const out = execFileSync(process.execPath, [import.meta.filename, "--child", variant, file, libs], {
        encoding: "utf8",
        maxBuffer: 1 << 20
      })
      results.push(JSON.parse(out))
    }
    const ms = median(results.map((r) => r.ms))
    process.stdout.write(
      `${JSON.stringify({
        variant,
        items: results[0].items,
        medianMs: Math.round(ms),
        MBps: Math.round(mb / (ms / 1000)),
        peakRssMB: Math.round(Math.max(...results.map((r) => r.rssKB)) / 1024)
      })}\n`
    )
  }
}
