// CLI start-up and small-album wall time (`pnpm bench:startup`, after `pnpm build`).
//
// Runs each command --runs times (default 7) as its own process and prints the median wall time
// and the median CPU time (user + sys, from GNU time when /usr/bin/time exists): `--version` (the
// start-up alone), `report` on the bundled 300-item sample, and `report` on a seeded 10k album
// (scripts/generate-album.mjs, cached in bench/data/). Each is measured for the bundled binary
// (packages/cli/dist/bin.js) and the unbundled modules tsc emits (packages/cli/dist/main.js).
// CPU time is the steadier figure on a busy machine; wall time is what a user waits.
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join, resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")
const runsArg = process.argv.indexOf("--runs")
const runs = runsArg === -1 ? 7 : Number(process.argv[runsArg + 1])
// --json: the bundled binary only, one JSON line (for `pnpm bench`'s goals table).
const asJson = process.argv.includes("--json")
const data = join(root, "bench", "data")
const album10k = join(data, "startup-10k.json")
if (!existsSync(album10k)) {
  mkdirSync(data, { recursive: true })
  const g = spawnSync(process.execPath, [
    join(root, "scripts/generate-album.mjs"),
    "--count",
    "10000",
    "--seed",
    "1",
    "--out",
    album10k
  ])
  if (g.status !== 0) throw new Error(`generate-album failed: ${g.stderr}`)
}
const gnuTime = existsSync("/usr/bin/time")
const out = mkdtempSync(join(tmpdir(), "albumsift-startup-"))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const measure = (args) => {
  const walls = []
  const cpus = []
  for (let i = 0; i < runs; i++) {
    const [cmd, argv] = gnuTime
      ? ["/usr/bin/time", ["-f", "%U %S", process.execPath, ...args]]
      : [process.execPath, args]
    const t0 = performance.now()
    const r = spawnSync(cmd, argv, { cwd: out, encoding: "utf8" })
    walls.push((performance.now() - t0) / 1000)
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`)
    if (gnuTime) {
      const [user, sys] = r.stderr.trim().split("\n").at(-1).split(" ").map(Number)
      cpus.push(user + sys)
    }
  }
  return { wall: median(walls), cpu: gnuTime ? median(cpus) : null }
}

const cases = [
  ["--version", ["--version"]],
  [
    "report, 300-item sample",
    ["report", "--input", join(root, "packages/cli/sample/album.json"), "-q", "--out", "r300"]
  ],
  ["report, 10k album", ["report", "--input", album10k, "-q", "--out", "r10k"]]
]
if (asJson) {
  const measured = cases.map(([name, args]) => ({
    name,
    ...measure([join(root, "packages/cli/dist/bin.js"), ...args])
  }))
  console.log(JSON.stringify({ runs, cases: measured }))
  rmSync(out, { recursive: true, force: true })
  process.exit(0)
}
console.log(
  `node ${process.version}, ${runs} runs each, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`
)
console.log("| command | binary | wall (median) | CPU user+sys (median) |")
console.log("| --- | --- | --- | --- |")
for (const [name, args] of cases) {
  for (const [label, bin] of [
    ["bundled dist/bin.js", "packages/cli/dist/bin.js"],
    ["unbundled dist/main.js", "packages/cli/dist/main.js"]
  ]) {
    const m = measure([join(root, bin), ...args])
    console.log(
      `| ${name} | ${label} | ${m.wall.toFixed(2)} s | ${m.cpu === null ? "n/a" : `${m.cpu.toFixed(2)} s`} |`
    )
  }
}
rmSync(out, { recursive: true, force: true })
