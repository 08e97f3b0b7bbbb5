// Core alone: the file's bytes -> JsonInput.items -> Pipeline.analyze, through the built
// @albumsift/core, as a library user would run it. No reports. Usage: node bench/core.mjs <file>
import { createReadStream, readFileSync, realpathSync, statSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const coreDir = join(root, "packages", "core")

/** The ESM entry of a dependency of core, so bench shares core's module instances. */
const importFromCore = (name) => {
  const dir = realpathSync(join(coreDir, "node_modules", name))
  const exp = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).exports["."]
  const entry = typeof exp === "string" ? exp : (exp.import ?? exp.default)
  return import(pathToFileURL(join(dir, typeof entry === "string" ? entry : entry.default)).href)
}

const file = process.argv[2]
const { Effect, Stream } = await importFromCore("effect")
const core = await import(pathToFileURL(join(coreDir, "dist", "index.js")).href)
const JsonInput = core.JsonInput ?? (await import(pathToFileURL(join(coreDir, "dist", "JsonInput.js")).href))

const t0 = performance.now()
const bytes = Stream.fromAsyncIterable(createReadStream(file, { highWaterMark: 1 << 20 }), (e) => e)
// decodedItems (when the build has it) parses and decodes in a worker thread, as the CLI does.
const read = JsonInput.decodedItems ?? JsonInput.items
const analysis = await Effect.runPromise(
  core.Pipeline.analyze(read(bytes, { input: file, size: statSync(file).size }))
)
const ms = performance.now() - t0
const s = analysis.summary
process.stdout.write(
  `${JSON.stringify({ items: s.inputItems, assets: s.assets, rejected: s.rejected, groups: s.groups, ms, maxRssKB: process.resourceUsage().maxRSS })}\n`
)
