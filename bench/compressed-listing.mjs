// A 100k-asset Gumnut seed listing from a loopback server, identity vs gzip vs br: body bytes moved
// and wall time, read through the built @albumsift/core (Gumnut source, undici client) as the CLI
// reads it. The bodies are compressed once up front (gzip level 6, br quality 5), so the timing is
// the client's side alone: transfer plus streamed decoding plus JSON splitting. `--mbps N` paces the
// server's sending (a real link instead of loopback, where transfer costs next to nothing).
//
// Usage: pnpm run build && node bench/compressed-listing.mjs [--count 100000] [--runs 3] [--mbps 200]
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs"
import { createServer } from "node:http"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { Readable, Transform } from "node:stream"
import { pipeline } from "node:stream/promises"
import { fileURLToPath, pathToFileURL } from "node:url"
import * as zlib from "node:zlib"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const coreDir = join(root, "packages", "core")
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i === -1 ? fallback : Number(process.argv[i + 1])
}
const count = arg("count", 100_000)
const runs = arg("runs", 3)
const mbps = arg("mbps", 0)

/** The ESM entry of a dependency of core, so the bench shares core's module instances. */
const importFromCore = async (name, subpath = ".") => {
  const dir = realpathSync(join(coreDir, "node_modules", name))
  const exp = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).exports[subpath]
  const entry = typeof exp === "string" ? exp : (exp.import ?? exp.default)
  return import(pathToFileURL(join(dir, typeof entry === "string" ? entry : entry.default)).href)
}
const { Effect, Redacted, Stream } = await importFromCore("effect")
const NodeHttpClient = await importFromCore("@effect/platform-node", "./NodeHttpClient")
const core = await import(pathToFileURL(join(coreDir, "dist", "index.js")).href)

const dir = mkdtempSync(join(tmpdir(), "albumsift-bench-gzip-"))
const album = join(dir, "album.json")
execFileSync(process.execPath, [
  join(root, "scripts", "generate-album.mjs"),
  "--count",
  String(count),
  "--out",
  album
])
const raw = readFileSync(album)
const rawBytes = raw.length
const bodies = {
  identity: raw,
  gzip: zlib.gzipSync(raw, { level: 6 }),
  br: zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } })
}
/** The body in 64 KiB pieces, as a server streams it. */
const pieces = function* (body) {
  for (let i = 0; i < body.length; i += 1 << 16) yield body.subarray(i, i + (1 << 16))
}

const KEY = "apikey_bench_compressed_listing"
let mode = "identity"
let sent = 0

/** Counts the body bytes that leave the server, and paces them to `mbps` when set. */
const meter = () =>
  new Transform({
    transform(chunk, _enc, done) {
      sent += chunk.length
      if (mbps <= 0) return done(null, chunk)
      setTimeout(() => done(null, chunk), (chunk.length * 8) / (mbps * 1000))
    }
  })

const server = createServer(async (req, res) => {
  if (req.headers.authorization !== `Bearer ${KEY}`) return res.writeHead(401).end()
  res.writeHead(200, {
    "content-type": "application/json",
    ...(mode === "identity" ? {} : { "content-encoding": mode })
  })
  await pipeline(Readable.from(pieces(bodies[mode])), meter(), res).catch(() => undefined)
})
await new Promise((r) => server.listen(0, "127.0.0.1", r))
const baseUrl = `http://127.0.0.1:${server.address().port}`

const listOnce = async () => {
  sent = 0
  const t0 = performance.now()
  const items = await Effect.runPromise(
    Effect.gen(function* () {
      const source = yield* core.Gumnut.make({
        apiKey: Redacted.make(KEY),
        baseUrl,
        listing: "seed",
        retry: { retries: 0, timeout: "120 seconds" }
      })
      return yield* Stream.runCount(source.list("album_bench"))
    }).pipe(Effect.provide(NodeHttpClient.layerUndici))
  )
  return { items, ms: performance.now() - t0, bytes: sent }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const results = {}
for (const m of ["identity", "gzip", "br"]) results[m] = []
await listOnce() // warm-up (JIT, connection pool)
for (let r = 0; r < runs; r++) {
  for (const m of ["identity", "gzip", "br"]) {
    mode = m
    const one = await listOnce()
    if (one.items !== count) throw new Error(`${m}: listed ${one.items} of ${count}`)
    results[m].push(one)
  }
}
server.close()
rmSync(dir, { recursive: true, force: true })

const mb = (b) => (b / 1e6).toFixed(1)
console.log(
  `${count} assets, ${mb(rawBytes)} MB of JSON; ${runs} runs each, medians; link: ${mbps > 0 ? `${mbps} Mbit/s` : "loopback, unpaced"}`
)
console.log("| encoding | body bytes moved | vs identity | wall time (list all) |")
console.log("|---|---|---|---|")
for (const m of ["identity", "gzip", "br"]) {
  const bytes = median(results[m].map((x) => x.bytes))
  const ms = median(results[m].map((x) => x.ms))
  console.log(
    `| ${m} | ${mb(bytes)} MB | ${(results.identity.length ? bytes / median(results.identity.map((x) => x.bytes)) : 1).toFixed(3)}× | ${(ms / 1000).toFixed(2)} s |`
  )
}
