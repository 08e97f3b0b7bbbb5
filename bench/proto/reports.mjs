// Render cost of each report, in process, without I/O: analyse an album once, then iterate each
// writer's text pieces and time it (each alone, then all three from one walk as `Report.write` does).
// Usage: node bench/proto/reports.mjs <album.json> [repeats] ["json|csv|all three, one walk"]
import { createReadStream, realpathSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..")
const dist = (pkg, f = "index.js") => pathToFileURL(join(root, "packages", pkg, "dist", f)).href
const effectDir = realpathSync(join(root, "packages", "core", "node_modules", "effect"))
const { Effect, Stream } = await import(pathToFileURL(join(effectDir, "dist/esm/index.js")).href)
const core = await import(dist("core"))
const report = await import(dist("report"))
const { interleave } = await import(dist("report", "internal/interleave.js"))

const file = process.argv[2]
const repeats = Number(process.argv[3] ?? 2)
let t = performance.now()
const bytes = Stream.fromAsyncIterable(createReadStream(file, { highWaterMark: 1 << 20 }), (e) => e)
const analysis = await Effect.runPromise(core.Pipeline.analyze(core.JsonInput.items(bytes, { input: file })))
console.log(`analyse ${(performance.now() - t).toFixed(0)} ms, ${analysis.assets.length} assets`)
const metadata = {
  generatedAt: "2026-01-01T00:00:00Z",
  tool: { name: "albumsift", version: "bench" },
  sources: [{ kind: "file", path: file }],
  options: {}
}
const writers = {
  "assets only (lazy rows)": () => {
    let n = 0
    for (const a of analysis.assets) n += a.id.length
    return [String(n)]
  },
  json: () => report.Json.chunks(analysis, metadata),
  csv: () => report.Csv.chunks(analysis),
  html: () => report.Html.chunks(analysis, metadata, { formats: ["html", "csv", "json"] }),
  // What Report.write does: one walk over the assets, each row built once and handed to all three.
  "all three, one walk": () => {
    const context = report.Writer.context(analysis, { metadata, formats: report.Renderer.FORMATS })
    return (function* () {
      for (const [, piece] of interleave(
        report.Renderer.RENDERERS.map((r) => r.writer(context)),
        context
      ))
        yield piece
    })()
  }
}
// Names joined by "|" (a name may hold a comma: "all three, one walk").
const only = process.argv[4]?.split("|")
for (let r = 0; r < repeats; r++) {
  for (const [name, make] of Object.entries(writers)) {
    if (only !== undefined && !only.includes(name)) continue
    t = performance.now()
    let chars = 0
    for (const piece of make()) chars += piece.length
    const ms = performance.now() - t
    console.log(
      `${name.padEnd(24)} ${ms.toFixed(0).padStart(6)} ms  ${(chars / 1e6).toFixed(0).padStart(5)} M chars  ${((ms * 1000) / analysis.assets.length).toFixed(2)} µs/asset`
    )
  }
}
