// How `apply` and `undo` scale with the number of groups (`pnpm bench:apply`, after `pnpm build`).
//
// For each size, a stateful loopback Gumnut server (test/support, in this process) holds an album of
// that many exact-duplicate pairs; the built CLI (a child process, under GNU time) then runs, in
// turn, `report --format json`, the dry run `apply --action trash`, `apply --yes` and `undo --yes`.
// Each row gives the CLI's wall time (server time included), its CPU (user + system) and peak RSS,
// and checks the end state: every copy trashed after apply, none after undo.
//
// Environment: APPLY_GROUPS=2000,20000 (sizes)  ALBUMSIFT_BIN=<bin.js> (another build, for before/after)
//              APPLY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p" (node flags for the CLI, e.g. to profile).
import { spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, expect, it } from "vitest"
import { makeAsset } from "../../test/support/assets.js"
import { startGumnutServer } from "../../test/support/gumnutServer.js"

const ROOT = resolve(import.meta.dirname, "../..")
const BIN = process.env.ALBUMSIFT_BIN ?? join(ROOT, "packages/cli/dist/bin.js")
const SIZES = (process.env.APPLY_GROUPS ?? "2000,20000").split(",").map(Number)
const KEY = "apikey_BenchApply7Hq2LmN4pR8sT1vW3x"
const ALBUM = "album_R99NCS4MdYwULi9UyBwy4z"
const NODE_ARGS = (process.env.APPLY_NODE_ARGS ?? "").split(" ").filter((a) => a !== "")
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined

/** `pairs` exact-duplicate pairs an hour apart (so no two pairs form a burst); the first of each is kept. */
const album = (pairs: number) =>
  Array.from({ length: pairs }, (_, i) => {
    const t = new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString().replace("Z", "+00:00")
    const exif = { make: "Apple", model: "iPhone 15 Pro", original_datetime: t, rating: 0, description: null }
    const keeper = makeAsset(2 * i, { local_datetime: t, exif, metrics: { liqe_mix: 3 } })
    const copy = makeAsset(2 * i + 1, {
      local_datetime: t,
      exif,
      metrics: { liqe_mix: 3 },
      checksum: keeper.checksum,
      file_size_bytes: keeper.file_size_bytes,
      created_at: "2025-06-03T09:00:00Z"
    })
    return [keeper, copy]
  }).flat()

interface Run {
  readonly wall: number
  readonly cpu: number
  readonly rssMb: number
}

/** One CLI run under GNU time (its own CPU and peak RSS), failing the bench on a non-zero exit. */
const cli = async (cwd: string, args: ReadonlyArray<string>): Promise<Run> => {
  const started = performance.now()
  // Asynchronously: the server answering it lives in this process.
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done) => {
    const node = [...NODE_ARGS, BIN, ...args]
    const argv = TIME === undefined ? node : ["-f", "TIME %U %S %M", process.execPath, ...node]
    const child = spawn(TIME ?? process.execPath, argv, {
      cwd,
      env: { ...process.env, GUMNUT_API_KEY: KEY, SOURCE_DATE_EPOCH: "1767225600", NO_COLOR: "1" }
    })
    let err = ""
    child.stderr.on("data", (d: Buffer) => (err += d))
    child.stdout.resume()
    child.on("close", (c: number | null) => done({ code: c, stderr: err }))
  })
  const wall = (performance.now() - started) / 1000
  if (code !== 0) throw new Error(`albumsift ${args[0]} exited ${code}: ${stderr}`)
  const m = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(stderr)
  return m === null
    ? { wall, cpu: Number.NaN, rssMb: Number.NaN }
    : { wall, cpu: Number(m[1]) + Number(m[2]), rssMb: Number(m[3]) / 1024 }
}

const rows: Array<string> = []
const cell = (r: Run) => `${r.wall.toFixed(1)} s (${r.cpu.toFixed(1)} s CPU, ${r.rssMb.toFixed(0)} MB)`

afterAll(() => {
  const head = "| groups | report | dry run | apply --yes | undo --yes |\n|---:|---|---|---|---|"
  console.log(`\nalbumsift apply at scale (${BIN})\n${head}\n${rows.join("\n")}\n`)
})

it.each(SIZES)(
  "%i groups",
  async (groups) => {
    const server = await startGumnutServer({ key: KEY, albums: { [ALBUM]: album(groups) }, style: "cursor" })
    const cwd = mkdtempSync(join(tmpdir(), "albumsift-bench-apply-"))
    try {
      const base = ["--base-url", server.url]
      const report = await cli(cwd, ["report", "--album", ALBUM, ...base, "--format", "json", "--quiet"])
      const out = join(cwd, "albumsift-report")
      const groupsFound = JSON.parse(readFileSync(join(out, "report.json"), "utf8")).groups.length
      expect(groupsFound).toBe(groups)
      const dry = await cli(cwd, ["apply", "--report", out, "--action", "trash"])
      expect(server.mutations()).toEqual([])
      const act = ["apply", "--report", out, "--action", "trash", "--yes", "--journal", "j.ndjson"]
      const apply = await cli(cwd, act)
      const trashed = () => Object.values(server.snapshot().assets).filter((a) => a.trashed).length
      expect(trashed()).toBe(groups)
      const undo = await cli(cwd, ["undo", "--journal", "j.ndjson", "--yes"])
      expect(trashed()).toBe(0)
      rows.push(`| ${groups} | ${cell(report)} | ${cell(dry)} | ${cell(apply)} | ${cell(undo)} |`)
    } finally {
      await server.close()
      rmSync(cwd, { recursive: true, force: true })
    }
  },
  3_600_000
)
