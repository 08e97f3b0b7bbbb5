// Core alone (as bench/core.mjs) with the album given by path, so a large file is read by the
// decode worker itself (as the CLI and analyzeFile do).
// Prints the run's figures and the CPU seconds of each thread (main, decode worker, and V8's
// platform threads: GC and compilation), sampled from /proc every 50 ms.
// Usage: node bench/decode-threads.mjs <file>
import { createReadStream, readdirSync, readFileSync, realpathSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const coreDir = join(root, "packages", "core")
const dir = realpathSync(join(coreDir, "node_modules", "effect"))
const { Effect, Stream } = await import(pathToFileURL(join(dir, "dist", "esm", "index.js")).href)
const core = await import(pathToFileURL(join(coreDir, "dist", "index.js")).href)

/** CPU seconds of each thread of this process that has run (a thread's last sample is kept). */
const threads = new Map()
const sample = () => {
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8")
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      threads.set(tid, (Number(fields[11]) + Number(fields[12])) / 100) // utime + stime, in clock ticks of 10 ms
    } catch {
      // the thread ended between listing and reading
    }
  }
}
const sampler = setInterval(sample, 50)

const file = process.argv[2]
const t0 = performance.now()
// Read only below the worker threshold (32 MiB): past it the decode worker reads the file itself.
const bytes = Stream.suspend(() =>
  Stream.fromAsyncIterable(createReadStream(file, { highWaterMark: 1 << 20 }), (e) => e)
)
const analysis = await Effect.runPromise(
  core.Pipeline.analyze(core.JsonInput.decodedItems(bytes, { input: file, path: file }))
)
const ms = performance.now() - t0
clearInterval(sampler)
sample()
const [main, ...others] = [...threads.values()]
const s = analysis.summary
process.stdout.write(
  `${JSON.stringify({
    items: s.inputItems,
    groups: s.groups,
    ms: Math.round(ms),
    maxRssKB: process.resourceUsage().maxRSS,
    cpuMain: main,
    // Busiest first: the decode worker, then V8's platform threads.
    cpuOthers: others.filter((c) => c >= 0.05).sort((a, b) => b - a)
  })}\n`
)
