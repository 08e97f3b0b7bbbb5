// albumsift benchmark (`pnpm bench`, after `pnpm install && pnpm build`).
//
// Generates seeded albums (cached in bench/data/), then measures side by side, in one run:
//   floor - stream split + JSON.parse of every asset (bench/floor.mjs), the cost of just reading;
//   io    - the floor plus writing every asset out again at the reports' volume, no analysis
//           (bench/floor-io.mjs): the cost of just reading and writing;
//   core  - JsonInput + Pipeline.analyze through the built @albumsift/core (bench/core.mjs);
//   cli   - the built CLI end to end, `report --input <file> --out <dir>`, all three reports;
//   jq    - `jq 'group_by(.checksum?) | length'` where jq is installed (checksum grouping only).
// Every variant runs as its own child process, so wall time includes start-up and peak RSS is
// that process's own (GNU time's %M when /usr/bin/time exists, else sampled VmHWM).
// Results: bench/results/RESULTS.md and results.json (medians over --runs runs).
//
// Flags: --quick (10k and 100k only, 3 runs: a few minutes)  --sizes 10k,100k,250k,1M  --runs N  --variants floor,io,core,cli,jq  --seed N
//        --jq-max N (largest album jq is run on; default 250k: at 1M it needs >10 GB)
//        --profile SIZE (CPU profile of the CLI at that size; default 250k, `none` to skip)
//        --out DIR (default bench/results)  --keep (keep generated reports in /tmp)
//        --no-html (skip opening each size's report.html in headless Chromium via bench/html.mjs)
//        --no-startup (skip bench/startup.mjs: --version, the 300-item sample and a 10k album)
//        --render (only rewrite RESULTS.md from results.json, e.g. after editing bench/NOTES.md)
import { spawn, spawnSync } from "node:child_process"
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from "node:fs"
import { cpus, loadavg, tmpdir, totalmem } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { summariseProfile } from "./lib/profile.mjs"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const bench = join(root, "bench")
const dataDir = join(bench, "data")
const generator = join(root, "scripts", "generate-album.mjs")
const cliBin = join(root, "packages", "cli", "dist", "bin.js")
const coreDist = join(root, "packages", "core", "dist", "index.js")

// ---------- flags ----------
const argv = process.argv.slice(2)
const flag = (name, fallback) => {
  const i = argv.indexOf(`--${name}`)
  if (i === -1) return fallback
  const v = argv[i + 1]
  if (v === undefined || v.startsWith("--")) return true
  return v
}
const parseSize = (s) => {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(String(s).trim())
  if (!m) throw new Error(`bad size: ${s} (use e.g. 10k, 250k, 1M or 5000)`)
  const mult = m[2] === "" ? 1 : m[2].toLowerCase() === "k" ? 1e3 : 1e6
  return Math.round(Number(m[1]) * mult)
}
const label = (n) =>
  n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : `${n}`
/** Openings of each size's report.html; the table shows their median. */
const HTML_RUNS = 3
const quick = flag("quick", false) === true
const sizes = String(flag("sizes", quick ? "10k,100k" : "10k,100k,250k,1M"))
  .split(",")
  .map(parseSize)
const runsFlag = flag("runs", undefined)
const runsFor = (n) => (runsFlag !== undefined ? Number(runsFlag) : quick || n >= 1e6 ? 3 : 5)
const variants = String(flag("variants", "floor,io,core,cli,jq")).split(",")
const seed = Number(flag("seed", 42))
const jqMax = parseSize(flag("jq-max", "250k"))
const profileFlag = String(flag("profile", quick ? "none" : "250k"))
const profileSize = profileFlag === "none" ? null : parseSize(profileFlag)
const outDir = resolve(String(flag("out", join(bench, "results"))))
const keep = flag("keep", false) === true
const chromiumPath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p) => p !== undefined && existsSync(p)
)
const html = flag("no-html", false) !== true && chromiumPath !== undefined

// ---------- tools ----------
const hasGnuTime =
  process.env.BENCH_NO_GNU_TIME !== "1" &&
  existsSync("/usr/bin/time") &&
  spawnSync("/usr/bin/time", ["-f", "%M", "true"]).status === 0
const jqPath = ["/usr/bin/jq", "/usr/local/bin/jq"].find((p) => existsSync(p)) ?? null
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** Runs a command; resolves { ms, rssKB, cpuMs (user + sys, null without GNU time), stdout, stderr, code }. */
function measure(cmd, args, { env } = {}) {
  return new Promise((done, fail) => {
    const rssFile = join(
      tmpdir(),
      `albumsift-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`
    )
    const [c, a] = hasGnuTime
      ? ["/usr/bin/time", ["-f", "%M %U %S", "-o", rssFile, cmd, ...args]]
      : [cmd, args]
    const t0 = process.hrtime.bigint()
    const child = spawn(c, a, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d) => {
      if (stdout.length < 1e6) stdout += d
    })
    child.stderr.on("data", (d) => {
      if (stderr.length < 1e6) stderr += d
    })
    // Without GNU time, sample the peak (VmHWM) from /proc while the process lives.
    let hwm = 0
    let ticks = null
    const sampler = hasGnuTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))
            if (m) hwm = Math.max(hwm, Number(m[1]))
            // utime + stime (fields 14, 15 after the command name), in clock ticks (USER_HZ, 100 on Linux).
            const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8")
            const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
            ticks = Number(f[11]) + Number(f[12])
          } catch {}
        }, 20)
    child.on("error", fail)
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6
      if (sampler) clearInterval(sampler)
      let rssKB = hwm
      let cpuMs = ticks === null ? null : ticks * 10
      if (hasGnuTime) {
        try {
          const [kb, user, sys] = readFileSync(rssFile, "utf8")
            .trim()
            .split("\n")
            .pop()
            .split(" ")
            .map(Number)
          rssKB = kb
          cpuMs = (user + sys) * 1000
          rmSync(rssFile)
        } catch {}
      }
      done({ ms, rssKB, cpuMs, stdout, stderr, code })
    })
  })
}

// ---------- albums ----------
function albumPath(n) {
  return join(dataDir, `album-${label(n)}-seed${seed}.json`)
}

async function ensureAlbum(n) {
  const file = albumPath(n)
  if (existsSync(file)) return file
  if (!existsSync(generator)) throw new Error(`generator missing: ${generator}`)
  mkdirSync(dataDir, { recursive: true })
  const tmp = `${file}.partial`
  process.stderr.write(`generating ${label(n)} assets -> ${file}\n`)
  const r = await measure(process.execPath, [
    generator,
    "--count",
    String(n),
    "--seed",
    String(seed),
    "--out",
    tmp
  ])
  if (r.code !== 0) throw new Error(`generator failed (${r.code}): ${r.stderr.trim()}`)
  renameSync(tmp, file)
  process.stderr.write(`  ${(statSync(file).size / 1e6).toFixed(0)} MB in ${(r.ms / 1000).toFixed(1)} s\n`)
  return file
}

// ---------- variants ----------
const VARIANTS = {
  floor: {
    describe: "stream split + JSON.parse per asset (bench/floor.mjs)",
    available: () => true,
    command: (file) => [process.execPath, [join(bench, "floor.mjs"), file]]
  },
  io: {
    describe:
      "the floor, then every asset written out again as a report.json-sized JSON line and a report.csv-sized line by native JSON.stringify / join, no analysis (bench/floor-io.mjs)",
    available: () => true,
    command: (file, out) => [process.execPath, [join(bench, "floor-io.mjs"), file, out]]
  },
  core: {
    describe: "JsonInput + Pipeline.analyze, built @albumsift/core (bench/core.mjs)",
    available: () => existsSync(coreDist) || "packages/core/dist missing: run pnpm build",
    command: (file) => [process.execPath, [join(bench, "core.mjs"), file]]
  },
  cli: {
    describe: "albumsift report --input <file> --out <dir> (HTML + CSV + JSON)",
    available: () => existsSync(cliBin) || "packages/cli/dist/bin.js missing: run pnpm build",
    command: (file, out) => [process.execPath, [cliBin, "report", "--input", file, "--out", out]]
  },
  jq: {
    describe: "jq 'group_by(.checksum?) | length' (checksum grouping only)",
    available: (n) =>
      jqPath === null ? "jq not installed" : n > jqMax ? `skipped above --jq-max ${label(jqMax)}` : true,
    command: (file) => [jqPath, ["group_by(.checksum?) | length", file]]
  }
}

function machine() {
  const cpu = cpus()
  let os = ""
  try {
    os = /PRETTY_NAME="([^"]+)"/.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? ""
  } catch {}
  let jqVersion = null
  if (jqPath) jqVersion = spawnSync(jqPath, ["--version"], { encoding: "utf8" }).stdout.trim()
  return {
    cpu: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    memoryGB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    os,
    jq: jqVersion,
    rss: hasGnuTime
      ? "GNU time %M (max resident set, KB); CPU from its %U + %S"
      : "sampled /proc/<pid>/status VmHWM every 20 ms; CPU sampled from /proc/<pid>/stat (may miss the last 20 ms)"
  }
}

// ---------- main ----------
async function main() {
  const startedAt = new Date().toISOString()
  const loadBefore = loadavg()[0]
  const results = []
  const skipped = []
  const browser = []
  for (const n of sizes) {
    const file = await ensureAlbum(n)
    const bytes = statSync(file).size
    // Warm the page cache so the first measured run does not pay for the disk.
    await measure(process.execPath, [join(bench, "floor.mjs"), file])
    const active = variants.filter((v) => {
      const ok = VARIANTS[v]?.available(n)
      if (ok !== true) skipped.push({ size: n, variant: v, reason: ok ?? "unknown variant" })
      return ok === true
    })
    const raw = Object.fromEntries(active.map((v) => [v, []]))
    let reportDir = null
    const runs = runsFor(n)
    for (let r = 0; r < runs; r++) {
      // Interleave variants so drift (thermal, noisy neighbours) hits all of them alike.
      for (const v of active) {
        const out = join(tmpdir(), `albumsift-bench-${process.pid}-${v}-${label(n)}`)
        rmSync(out, { recursive: true, force: true })
        const [cmd, args] = VARIANTS[v].command(file, out)
        const m = await measure(cmd, args)
        // The last CLI run's report is opened in Chromium below.
        const forBrowser = html && v === "cli" && r === runs - 1 && m.code === 0
        if (!keep && !forBrowser) rmSync(out, { recursive: true, force: true })
        if (forBrowser) reportDir = out
        if (m.code !== 0) {
          process.stderr.write(`${v} @ ${label(n)} failed (exit ${m.code}):\n${m.stderr.slice(-2000)}\n`)
          raw[v].push({ ms: m.ms, rssKB: m.rssKB, failed: true })
          continue
        }
        raw[v].push({ ms: m.ms, rssKB: m.rssKB, cpuMs: m.cpuMs, stdout: m.stdout.trim().slice(0, 300) })
        process.stderr.write(
          `${label(n).padStart(5)} run ${r + 1}/${runs} ${v.padEnd(5)} ${(m.ms / 1000).toFixed(2).padStart(7)} s ${(m.rssKB / 1024).toFixed(0).padStart(6)} MB\n`
        )
      }
    }
    if (reportDir !== null) {
      // Three openings, each in a fresh browser: one page load on a shared box swings by a second at 1M.
      const opened = []
      let error = null
      for (let r = 0; r < HTML_RUNS && error === null; r++) {
        const b = await measure(process.execPath, [join(bench, "html.mjs"), join(reportDir, "report.html")])
        if (b.code === 0) opened.push(JSON.parse(b.stdout.trim().split("\n").pop()))
        else error = b.stderr.trim().split("\n").slice(-3).join(" ")
      }
      if (!keep) rmSync(reportDir, { recursive: true, force: true })
      if (error === null) {
        const r = opened[opened.length - 1]
        const readyRuns = opened.map((o) => o.readyMs)
        const filterRuns = opened.map((o) => o.filterMs)
        const readyMs = median(readyRuns)
        const filterMs = median(filterRuns)
        browser.push({ size: n, label: label(n), ...r, readyMs, filterMs, readyRuns, filterRuns })
        process.stderr.write(
          `${label(n).padStart(5)} report.html ready in ${readyRuns.map((ms) => (ms / 1000).toFixed(2)).join(" / ")} s\n`
        )
      } else browser.push({ size: n, label: label(n), error })
    }
    const floorMs = raw.floor ? median(raw.floor.filter((x) => !x.failed).map((x) => x.ms)) : null
    const floorCpu = raw.floor?.filter((x) => !x.failed && x.cpuMs !== null) ?? []
    const floorCpuMs = floorCpu.length ? median(floorCpu.map((x) => x.cpuMs)) : null
    for (const v of active) {
      const ok = raw[v].filter((x) => !x.failed)
      const ms = ok.length ? median(ok.map((x) => x.ms)) : null
      const rssKB = ok.length ? median(ok.map((x) => x.rssKB)) : null
      const cpuMs = ok.length && ok[0].cpuMs !== null ? median(ok.map((x) => x.cpuMs)) : null
      results.push({
        size: n,
        label: label(n),
        bytes,
        variant: v,
        runs: ok.length,
        failures: raw[v].length - ok.length,
        medianMs: ms,
        minMs: ok.length ? Math.min(...ok.map((x) => x.ms)) : null,
        maxMs: ok.length ? Math.max(...ok.map((x) => x.ms)) : null,
        assetsPerSec: ms ? n / (ms / 1000) : null,
        mbPerSec: ms ? bytes / 1e6 / (ms / 1000) : null,
        peakRssMB: rssKB !== null ? rssKB / 1024 : null,
        maxPeakRssMB: ok.length ? Math.max(...ok.map((x) => x.rssKB)) / 1024 : null,
        ratioToFloor: ms && floorMs ? ms / floorMs : null,
        medianCpuMs: cpuMs,
        cpuRatioToFloor: cpuMs && floorCpuMs ? cpuMs / floorCpuMs : null,
        sample: ok[0]?.stdout ?? null
      })
    }
  }

  // Start-up and small albums (bench/startup.mjs): the CLI must stay quick for people with small albums.
  let startup = null
  if (flag("no-startup", false) !== true && existsSync(cliBin)) {
    const s = await measure(process.execPath, [join(bench, "startup.mjs"), "--json", "--runs", "5"])
    if (s.code === 0) startup = JSON.parse(s.stdout.trim().split("\n").pop())
    else process.stderr.write(`startup bench failed: ${s.stderr.slice(-500)}\n`)
  }

  let profile = null
  if (profileSize !== null && existsSync(cliBin)) profile = await profileCli(profileSize)

  const doc = {
    startedAt,
    finishedAt: new Date().toISOString(),
    command: `pnpm bench ${argv.join(" ")}`.trim(),
    // Other work on the machine skews timings: the 1-minute load average before and after.
    load: { before: Number(loadBefore.toFixed(2)), after: Number(loadavg()[0].toFixed(2)) },
    seed,
    machine: machine(),
    variants: Object.fromEntries(Object.entries(VARIANTS).map(([k, v]) => [k, v.describe])),
    results,
    skipped,
    browser,
    startup,
    goals: goals(results, browser, startup),
    profile
  }
  mkdirSync(outDir, { recursive: true })
  writeFileSync(join(outDir, "results.json"), `${JSON.stringify(doc, null, 2)}\n`)
  writeFileSync(join(outDir, "RESULTS.md"), markdown(doc))
  process.stderr.write(`wrote ${join(outDir, "RESULTS.md")}\n`)
  process.stdout.write(table(results))
}

/** CPU profile of one CLI run; returns the top self-time frames. */
async function profileCli(n) {
  const file = await ensureAlbum(n)
  const dir = join(tmpdir(), `albumsift-bench-prof-${process.pid}`)
  const out = join(tmpdir(), `albumsift-bench-prof-out-${process.pid}`)
  rmSync(dir, { recursive: true, force: true })
  const m = await measure(process.execPath, [
    "--cpu-prof",
    `--cpu-prof-dir=${dir}`,
    cliBin,
    "report",
    "--input",
    file,
    "--out",
    out
  ])
  rmSync(out, { recursive: true, force: true })
  if (m.code !== 0) return { size: n, error: m.stderr.slice(-500) }
  const profFile = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))
  if (!profFile) return { size: n, error: "no profile written" }
  const summary = summariseProfile(JSON.parse(readFileSync(join(dir, profFile), "utf8")), root)
  if (keep) process.stderr.write(`profile kept at ${join(dir, profFile)}\n`)
  else rmSync(dir, { recursive: true, force: true })
  return { size: n, label: label(n), wallMs: m.ms, ...summary }
}

function find(results, n, v) {
  return results.find((r) => r.size === n && r.variant === v && r.medianMs !== null)
}

/** The 10k CLI run of the 07:00 baseline (bench/results/baseline-0700.json), for "no regression at 10k". */
const BASELINE_10K_CLI_MS = 3171

function goals(results, browser = [], startup = null) {
  const out = []
  const cpu = (r) => (r.cpuRatioToFloor === null ? "" : `; by CPU time ${r.cpuRatioToFloor.toFixed(2)}x`)
  const cli1m = find(results, 1e6, "cli")
  const floor1m = find(results, 1e6, "floor")
  if (cli1m && floor1m)
    out.push({
      goal: "1M end to end <= 2.5x floor",
      value: `${cli1m.ratioToFloor.toFixed(2)}x wall${cpu(cli1m)}`,
      met: cli1m.ratioToFloor <= 2.5
    })
  if (cli1m)
    out.push({
      goal: "1M end to end peak RSS <= 500 MB",
      value: `${cli1m.maxPeakRssMB.toFixed(0)} MB (max of runs)`,
      met: cli1m.maxPeakRssMB <= 500
    })
  const cli250 = find(results, 250e3, "cli")
  const jq250 = find(results, 250e3, "jq")
  if (cli250 && jq250) {
    const speed = jq250.medianMs / cli250.medianMs
    const cpuSpeed =
      jq250.medianCpuMs && cli250.medianCpuMs
        ? `; by CPU time ${(jq250.medianCpuMs / cli250.medianCpuMs).toFixed(1)}x`
        : ""
    const mem = jq250.peakRssMB / cli250.peakRssMB
    out.push({
      goal: "250k: >= 3x faster than jq",
      value: `${speed.toFixed(1)}x wall${cpuSpeed}`,
      met: speed >= 3
    })
    out.push({ goal: "250k: <= 1/5 of jq's memory", value: `1/${mem.toFixed(1)}`, met: mem >= 5 })
  }
  // Not goals but their limits: reading and writing the reports' volume with no analysis at all.
  const io250 = find(results, 250e3, "io")
  if (io250 && jq250)
    out.push({
      goal: "(limit) 250k read + write floor vs jq, no analysis",
      value: `${(jq250.medianMs / io250.medianMs).toFixed(1)}x faster than jq wall${
        jq250.medianCpuMs && io250.medianCpuMs
          ? `; by CPU time ${(jq250.medianCpuMs / io250.medianCpuMs).toFixed(1)}x`
          : ""
      }`,
      met: null
    })
  const io1m = find(results, 1e6, "io")
  if (io1m && floor1m)
    out.push({
      goal: "(limit) 1M read + write floor, no analysis",
      value: `${io1m.ratioToFloor.toFixed(2)}x floor wall${cpu(io1m)}`,
      met: null
    })
  const core1m = find(results, 1e6, "core")
  if (core1m && floor1m)
    out.push({
      goal: "1M core alone <= 1.5x floor",
      value: `${core1m.ratioToFloor.toFixed(2)}x wall${cpu(core1m)}`,
      met: core1m.ratioToFloor <= 1.5
    })
  const page1m = browser.find((b) => b.size === 1e6 && !b.error)
  if (page1m) {
    out.push({
      goal: "1M report.html ready <= 4 s",
      value: `${fmt(page1m.readyMs / 1000)} s`,
      met: page1m.readyMs <= 4000
    })
    out.push({
      goal: "1M search filter <= 0.4 s",
      value: `${fmt(page1m.filterMs / 1000)} s`,
      met: page1m.filterMs <= 400
    })
  }
  const version = startup?.cases.find((c) => c.name === "--version")
  if (version)
    out.push({
      goal: "start-up (`albumsift --version`) <= 0.5 s",
      value: `${fmt(version.wall)} s wall${version.cpu === null ? "" : `, ${fmt(version.cpu)} s CPU`}`,
      met: version.wall <= 0.5 || (version.cpu !== null && version.cpu <= 0.5)
    })
  for (const c of startup?.cases ?? [])
    if (c.name !== "--version")
      out.push({
        goal: `(figure) ${c.name}`,
        value: `${fmt(c.wall)} s wall${c.cpu === null ? "" : `, ${fmt(c.cpu)} s CPU`}`,
        met: null
      })
  const cli10k = find(results, 1e4, "cli")
  if (cli10k)
    out.push({
      goal: "10k: no regression (07:00 baseline: 3.17 s wall)",
      value: `${fmt(cli10k.medianMs / 1000)} s wall`,
      met: cli10k.medianMs <= BASELINE_10K_CLI_MS
    })
  return out
}

const fmt = (x, d = 2) => (x === null || x === undefined ? "-" : x.toFixed(d))
const int = (x) => (x === null || x === undefined ? "-" : Math.round(x).toLocaleString("en-US"))

function table(results) {
  const rows = [
    "| Album | Size (MB) | Variant | Median wall (s) | Assets/s | MB/s | Peak RSS (MB) | × floor | CPU (s) | CPU × floor | Runs |",
    "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  ]
  for (const r of results)
    rows.push(
      `| ${r.label} | ${fmt(r.bytes / 1e6, 0)} | ${r.variant} | ${fmt(r.medianMs / 1000)} | ${int(r.assetsPerSec)} | ${fmt(r.mbPerSec, 0)} | ${fmt(r.peakRssMB, 0)} | ${fmt(r.ratioToFloor)} | ${fmt(r.medianCpuMs === null ? null : r.medianCpuMs / 1000)} | ${fmt(r.cpuRatioToFloor)} | ${r.runs}${r.failures ? ` (+${r.failures} failed)` : ""} |`
    )
  return `${rows.join("\n")}\n`
}

function markdown(doc) {
  const m = doc.machine
  const lines = [
    "# albumsift benchmark results",
    "",
    `Command: \`${doc.command}\` (after \`pnpm install && pnpm build\`), ${doc.startedAt} to ${doc.finishedAt}.`,
    "",
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB RAM, Node ${m.node}${m.os ? `, ${m.os}` : ""}${m.jq ? `, ${m.jq}` : ""}.`,
    `Peak RSS: ${m.rss}. Albums: scripts/generate-album.mjs, seed ${doc.seed}.`,
    `Load average (1 min) before/after: ${doc.load.before}/${doc.load.after} (other work on the machine skews timings).`,
    "",
    "Variants (each a separate process; wall time includes process start-up):",
    ...Object.entries(doc.variants).map(([k, v]) => `- **${k}**: ${v}`),
    "",
    "Medians over the runs shown; × floor = median wall / floor's median wall at the same size.",
    "CPU = user + system time of the process (median); on a shared, loaded machine it is steadier than wall time.",
    "",
    table(doc.results)
  ]
  if (doc.skipped.length) {
    lines.push("Skipped:", ...doc.skipped.map((s) => `- ${s.variant} @ ${label(s.size)}: ${s.reason}`), "")
  }
  if (doc.browser.length) {
    lines.push(
      `## report.html in headless Chromium (bench/html.mjs, last CLI run of each size, medians of ${HTML_RUNS} openings)`,
      "",
      ...[...new Set(doc.browser.filter((b) => b.chromium).map((b) => `Chromium ${b.chromium}.`))].flatMap(
        (l) => [l, ""]
      ),
      "| Album | report.html (MB) | Ready (s) | Ready, each opening (s) | Search filter (s) | JS heap (MB) | Groups shown |",
      "|---|---:|---:|---|---:|---:|---|"
    )
    for (const b of doc.browser)
      lines.push(
        b.error
          ? `| ${b.label} | - | failed: ${b.error} | | | | |`
          : `| ${b.label} | ${fmt(b.htmlBytes / 1e6, 0)} | ${fmt(b.readyMs / 1000)} | ${(b.readyRuns ?? [b.readyMs]).map((ms) => fmt(ms / 1000)).join(" / ")} | ${fmt(b.filterMs / 1000)} | ${fmt(b.jsHeapMB, 0)} | ${b.count} |`
      )
    lines.push("")
  }
  if (doc.goals.length) {
    lines.push("## Goals (issue 13)", "", "| Goal | Reached | Met |", "|---|---:|:---:|")
    for (const g of doc.goals)
      lines.push(`| ${g.goal} | ${g.value} | ${g.met === null ? "(context)" : g.met ? "yes" : "no"} |`)
    lines.push("")
  }
  if (doc.profile) {
    const p = doc.profile
    lines.push(`## Where the time goes (CLI at ${p.label ?? label(p.size)}, \`node --cpu-prof\`)`, "")
    if (p.error) lines.push(`Profiling failed: ${p.error}`, "")
    else {
      lines.push(
        `Profiled run: ${fmt(p.wallMs / 1000)} s wall, ${fmt(p.totalMs / 1000)} s sampled.`,
        "",
        "By area (self time):",
        "",
        "| Area | Self (ms) | Share |",
        "|---|---:|---:|",
        ...p.byArea.map((a) => `| ${a.area} | ${int(a.ms)} | ${fmt(a.share * 100, 1)}% |`),
        "",
        "Top frames (self time):",
        "",
        "| Function | Location | Self (ms) | Share |",
        "|---|---|---:|---:|",
        ...p.top.map((f) => `| \`${f.name}\` | ${f.location} | ${int(f.ms)} | ${fmt(f.share * 100, 1)}% |`),
        "",
        "Top albumsift functions by total time (self + callees; shows the phases):",
        "",
        "| Function | Location | Total (ms) | Share |",
        "|---|---|---:|---:|",
        ...(p.inclusive ?? []).map(
          (f) => `| \`${f.name}\` | ${f.location} | ${int(f.ms)} | ${fmt(f.share * 100, 1)}% |`
        ),
        ""
      )
    }
  }
  // Hand-written analysis (what changed, what is left) lives in bench/NOTES.md and is kept with the figures.
  const notes = join(bench, "NOTES.md")
  if (existsSync(notes)) lines.push(readFileSync(notes, "utf8").trim(), "")
  return `${lines.join("\n")}\n`
}

// `--render`: rewrite RESULTS.md from results.json (e.g. after editing bench/NOTES.md), measuring nothing.
if (flag("render", false) === true) {
  const doc = JSON.parse(readFileSync(join(outDir, "results.json"), "utf8"))
  // Goals are derived from the measurements, so a changed goal list applies to old results too.
  doc.goals = goals(doc.results, doc.browser, doc.startup ?? null)
  writeFileSync(join(outDir, "results.json"), `${JSON.stringify(doc, null, 2)}\n`)
  writeFileSync(join(outDir, "RESULTS.md"), markdown(doc))
  process.stderr.write(`re-rendered ${join(outDir, "RESULTS.md")}\n`)
} else await main()
