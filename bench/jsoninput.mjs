// Reading alone, against the floor: the floor's splitter, JsonInput's Parser (split + JSON.parse on
// this thread), and JsonInput.decodedItems (split + parse + decode in a worker; the main thread only
// receives the decoded records). Each variant runs in a fresh process, items are counted and dropped.
//
//   pnpm run build && node bench/jsoninput.mjs bench/data/album-100k-seed42.json [runs=3]
//
// Prints one JSON line per run (modules loaded before the clock starts): wall ms, CPU ms of the
// process (all threads) and of its main thread, and peak RSS.
import { execFileSync } from "node:child_process"
import { createReadStream, readFileSync, realpathSync, statSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const coreDir = join(root, "packages", "core")
const VARIANTS = ["floor", "parser", "decodedItems"]

/** CPU milliseconds of this process's main thread so far (Linux), or NaN. */
const mainThreadCpuMs = () => {
  try {
    const stat = readFileSync("/proc/thread-self/stat", "utf8")
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100
  } catch {
    return Number.NaN
  }
}

const child = async (variant, file) => {
  const chunks = () => createReadStream(file, { highWaterMark: 1 << 20 })
  const { splitArray } = await import("./lib/split.mjs")
  const JsonInput = await import(pathToFileURL(join(coreDir, "dist", "source", "JsonInput.js")).href)
  const effectDir = realpathSync(join(coreDir, "node_modules", "effect"))
  const { Effect, Stream } = await import(pathToFileURL(join(effectDir, "dist", "esm", "index.js")).href)
  let items = 0
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const main0 = mainThreadCpuMs()
  if (variant === "floor") items = await splitArray(chunks(), () => {})
  else if (variant === "parser") {
    const parser = new JsonInput.Parser(file)
    for await (const chunk of chunks()) items += parser.feed(chunk).length
    items += parser.finish().length
  } else {
    const bytes = Stream.fromAsyncIterable(chunks(), (e) => e)
    const read = JsonInput.decodedItems(bytes, { input: file, size: statSync(file).size })
    await Effect.runPromise(Stream.runForEachChunk(read, (c) => Effect.sync(() => (items += c.length))))
  }
  const cpu = process.cpuUsage(cpu0)
  process.stdout.write(
    `${JSON.stringify({
      variant,
      items,
      ms: Math.round(performance.now() - t0),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      mainThreadCpuMs: Math.round(mainThreadCpuMs() - main0),
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024)
    })}\n`
  )
}

const [file, arg] = process.argv.slice(2)
if (process.env.JSONINPUT_VARIANT !== undefined) await child(process.env.JSONINPUT_VARIANT, file)
else {
  const runs = Number(arg ?? 3)
  for (let r = 0; r < runs; r++)
    for (const variant of VARIANTS) {
      execFileSync(process.execPath, [fileURLToPath(import.meta.url), file], {
        env: { ...process.env, JSONINPUT_VARIANT: variant },
        stdio: "inherit"
      })
    }
}
