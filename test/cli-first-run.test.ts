/**
 * End-to-end: the built `albumsift` binary as a newcomer meets it (issue 15): an unreadable input
 * fails, Immich's own JSON is read, every field at fault is named, paths are taken from where
 * the command was typed, the help is short, usage errors name the option, typos are caught, and
 * the command installs from the clone.
 */
import { execFile } from "node:child_process"
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import { describe, expect, it, onTestFinished } from "vitest"
import { startGumnutServer } from "./support/gumnutServer.js"
import { makeImmichAsset } from "./support/immichAssets.js"
import { ROOT, runCli, SAMPLE, tempDir } from "./support/runCli.js"

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"))

/** A failure is one line on stderr, prefixed, with no stack trace. */
const expectOneLine = (stderr: string) => {
  const lines = stderr.trimEnd().split("\n")
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^albumsift: /)
}

describe("an input albumsift cannot read", () => {
  it("fails (exit 1) when items were read but none decoded, with -q too, naming the first reason", async () => {
    const cwd = tempDir()
    const items = Array.from({ length: 214 }, (_, i) => ({ id: `asset_${i}`, deviceAssetId: 5 * i }))
    writeFileSync(join(cwd, "odd.json"), JSON.stringify(items.map(({ id }) => ({ id, name: "x" }))))
    for (const quiet of [[], ["-q"]]) {
      const r = await runCli(["report", "--input", "odd.json", ...quiet], { cwd })
      expect(r.code).toBe(1)
      expectOneLine(r.stderr)
      expect(r.stderr).toMatch(
        /^albumsift: none of the 214 items could be read; first: item 0: device_asset_id, device_id, .*checksum.*: is missing/
      )
      expect(r.stdout).toBe(quiet.length === 0 ? r.stdout : "")
    }
    // The report is still written, so the page can say what went wrong.
    const report = readJson(join(cwd, "albumsift-report", "report.json"))
    expect(report.summary.input_items).toBe(214)
    expect(report.summary.assets).toBe(0)
    expect(report.rejected).toHaveLength(214)
  })

  it("names every missing or invalid field of a hand-made item, not only the first", async () => {
    const cwd = tempDir()
    const good = JSON.parse(readFileSync(SAMPLE, "utf8"))[0]
    const { device_id: _d, mime_type: _m, ...partial } = good
    writeFileSync(
      join(cwd, "hand.json"),
      JSON.stringify([good, { ...partial, id: "asset_hand", checksum: 7 }])
    )
    const r = await runCli(["report", "--input", "hand.json", "--format", "json"], { cwd })
    expect(r.code).toBe(0)
    const [rejected] = readJson(join(cwd, "albumsift-report", "report.json")).rejected
    expect(rejected.reason).toBe("device_id, mime_type: is missing; checksum: Expected string, actual 7")
    expect(r.stderr).toContain("device_id, mime_type: is missing; checksum: Expected string, actual 7")
  })
})

describe("a cursor page given to --input", () => {
  it("that says has_more: true is analysed, with a warning (even with --quiet) that the album holds more than the file", async () => {
    const cwd = tempDir()
    const data = (readJson(SAMPLE) as Array<unknown>).slice(0, 20)
    for (const hasMore of [true, false]) {
      writeFileSync(join(cwd, "page.json"), JSON.stringify({ data, has_more: hasMore }))
      const r = await runCli(["report", "--input", "page.json", "--format", "json"], { cwd })
      expect(r.code).toBe(0)
      const note =
        "albumsift: page.json is one page of a longer listing (has_more: true): the album has more assets than the 20 read"
      if (hasMore) expect(r.stderr).toContain(note)
      else expect(r.stderr).not.toContain("has_more")
      // An incomplete album is said even with --quiet.
      const quiet = await runCli(["report", "--input", "page.json", "--format", "json", "--quiet"], { cwd })
      expect(quiet.code).toBe(0)
      if (hasMore) expect(quiet.stderr).toBe(`${note}\n`)
      else expect(quiet.stderr).toBe("")
    }
  })
})

describe("Immich's own JSON given to --input", () => {
  const assets = [
    makeImmichAsset(1),
    makeImmichAsset(2, { bytesOf: 1 }),
    makeImmichAsset(3, { second: 60 * 3 }),
    makeImmichAsset(4, { version: "v3", second: 60 * 3 + 1 })
  ]
  for (const [name, document] of [
    ["an asset array", assets],
    ["an album export", { id: "album-1", albumName: "Lisbon", assets }],
    // v3 albums carry no assets: its album's assets are what POST /api/search/metadata answers.
    [
      "a v3 search answer",
      { albums: { items: [] }, assets: { total: 4, count: 4, items: assets, facets: [], nextPage: null } }
    ]
  ] as const) {
    it(`is detected and mapped (${name}), and says so`, async () => {
      const cwd = tempDir()
      writeFileSync(join(cwd, "immich.json"), JSON.stringify(document))
      const r = await runCli(["report", "--input", "immich.json", "--json", "--format", "json"], { cwd })
      expect(r.code).toBe(0)
      expect(r.stderr).toContain("albumsift: read immich.json as Immich assets")
      const summary = JSON.parse(r.stdout).summary
      expect(summary.input_items).toBe(4)
      expect(summary.rejected).toBe(0)
      expect(summary.assets).toBe(4)
      expect(summary.groups_by_evidence.checksum).toBe(1)
    })
  }

  it("a copy carrying GPS its keeper lacks is review in the report: apply on Immich cannot merge GPS", async () => {
    const cwd = tempDir()
    const keeper = makeImmichAsset(1, { second: 0, rating: 5 })
    keeper.exifInfo = { ...(keeper.exifInfo as object), latitude: null, longitude: null }
    const copy = makeImmichAsset(2, { second: 1, rating: 1 })
    writeFileSync(join(cwd, "immich.json"), JSON.stringify([keeper, copy]))
    const r = await runCli(["report", "--input", "immich.json", "--format", "json", "--quiet"], { cwd })
    expect(r.code).toBe(0)
    const report = JSON.parse(readFileSync(join(cwd, "albumsift-report", "report.json"), "utf8"))
    expect(report.groups[0].members.find((m: { asset_id: string }) => m.asset_id === copy.id)).toMatchObject({
      recommendation: "review",
      would_lose: ["gps"],
      would_merge: []
    })
  })

  it("Gumnut's shape is read as before, without the note", async () => {
    const r = await runCli(["report", "--input", SAMPLE, "--format", "json", "-o", "o"])
    expect(r.code).toBe(0)
    expect(r.stderr).not.toContain("Immich")
  })
})

describe("paths are taken from where the command was typed", () => {
  /** A fresh folder inside the clone (pnpm finds the workspace by walking up), removed afterwards. */
  const folderInRepo = () => {
    mkdirSync(join(ROOT, "tmp"), { recursive: true })
    const dir = mkdtempSync(join(ROOT, "tmp", "sub-"))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    return dir
  }

  it("`pnpm --silent albumsift` from a subfolder reads and writes there", async () => {
    const cwd = folderInRepo()
    const items = JSON.parse(readFileSync(SAMPLE, "utf8")).slice(0, 17)
    writeFileSync(join(cwd, "mine.json"), JSON.stringify(items))
    // The repository root may hold a report from `pnpm demo`: it must be left as it was.
    const atRoot = join(ROOT, "albumsift-report", "report.json")
    const before = existsSync(atRoot) ? statSync(atRoot).mtimeMs : null
    const r = await runCli(
      ["--silent", "albumsift", "report", "--input", "mine.json", "--format", "json", "-q"],
      {
        cwd,
        command: "pnpm"
      }
    )
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(readJson(join(cwd, "albumsift-report", "report.json")).summary.input_items).toBe(17)
    expect(existsSync(atRoot) ? statSync(atRoot).mtimeMs : null).toBe(before)
  })

  it("`pnpm --silent albumsift` works from packages/cli too", async () => {
    const out = tempDir()
    const r = await runCli(
      [
        "--silent",
        "albumsift",
        "report",
        "--input",
        "sample/album.json",
        "--out",
        out,
        "--json",
        "--format",
        "json"
      ],
      { cwd: join(ROOT, "packages/cli"), command: "pnpm" }
    )
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).summary.input_items).toBe(300)
  })
})

describe("the albumsift command installed from the clone", () => {
  it("`pnpm pack` then `npm install -g` into a prefix gives a command that runs from any folder, offline", async () => {
    const work = tempDir()
    const run = promisify(execFile)
    await run("pnpm", ["pack", "--pack-destination", work], { cwd: join(ROOT, "packages/cli") })
    const tgz = readdirSync(work).find((f) => f.endsWith(".tgz"))
    expect(tgz).toBeDefined()
    const prefix = join(work, "prefix")
    // --offline: the package carries everything it needs; nothing is fetched.
    await run(
      "npm",
      ["install", "-g", "--offline", "--no-audit", "--no-fund", "--prefix", prefix, join(work, tgz!)],
      {
        cwd: work,
        env: { ...process.env, npm_config_cache: join(work, "npm-cache") }
      }
    )
    const albumsift = join(prefix, "bin", "albumsift")
    const elsewhere = tempDir()
    writeFileSync(join(elsewhere, "album.json"), readFileSync(SAMPLE))
    const version = await runCli(["--version"], {
      command: albumsift,
      cwd: elsewhere,
      env: { ALBUMSIFT_DEBUG: "1" }
    })
    expect(version.code).toBe(0)
    // The package carries the build's code cache, and the installed command starts from it.
    expect(version.stderr).toContain("albumsift: code cache used")
    expect(version.stdout.trim()).toBe(readJson(join(ROOT, "packages/cli/package.json")).version)
    const report = await runCli(["report", "--input", "album.json", "--json"], {
      command: albumsift,
      cwd: elsewhere
    })
    expect(report.code).toBe(0)
    expect(JSON.parse(report.stdout).summary.input_items).toBe(300)
    expect(readdirSync(join(elsewhere, "albumsift-report")).sort()).toEqual([
      "report.csv",
      "report.html",
      "report.json"
    ])
    const demo = await runCli(["demo", "-q", "--out", "demo"], { command: albumsift, cwd: elsewhere })
    expect(demo.code).toBe(0)
    expect(readdirSync(join(elsewhere, "demo", "thumbs")).length).toBeGreaterThan(100)
  })
})

describe("help and usage errors", () => {
  it("--help is short, fits the width, and has examples, exit codes and environment variables", async () => {
    for (const args of [["--help"], ["report", "--help"], ["demo", "-h"]]) {
      const r = await runCli(args, { env: { COLUMNS: "72" } })
      expect(r.code).toBe(0)
      const lines = r.stdout.trimEnd().split("\n")
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(72)
      expect(lines.length).toBeLessThan(100)
      for (const part of ["Usage:", "Examples:", "Exit codes:", "GUMNUT_API_KEY", "NO_COLOR"])
        expect(r.stdout).toContain(part)
      expect(r.stdout).not.toContain("--log-level")
      expect(r.stdout).not.toContain("--wizard")
    }
  })

  it("--wizard without a terminal on stdin exits 2 at once instead of waiting", async () => {
    const r = await runCli(["report", "--wizard"])
    expect(r.code).toBe(2)
    expectOneLine(r.stderr)
    expect(r.stderr).toMatch(/--wizard .*stdin is not/)
  })

  it("a bad number names the option and what it takes", async () => {
    const r = await runCli(["report", "--input", SAMPLE, "--review-margin", "abc"])
    expect(r.code).toBe(2)
    expectOneLine(r.stderr)
    expect(r.stderr).toContain('--review-margin takes a number in 0..1 (e.g. --review-margin 0.1), got "abc"')
    const retries = await runCli(["report", "--input", SAMPLE, "--retries", "-1"])
    expect(retries.code).toBe(2)
    expect(retries.stderr).toContain("--retries takes a whole number >= 0")
  })

  it("a file given without --input gets a hint", async () => {
    const r = await runCli(["report", "one.json"])
    expect(r.code).toBe(2)
    expectOneLine(r.stderr)
    expect(r.stderr).toContain("did you mean --input one.json?")
  })
})

describe("metric names the album does not have", () => {
  it("are warned about on stderr, naming the album's metrics; --strict exits 2 and writes nothing", async () => {
    const cwd = tempDir()
    const r = await runCli(["demo", "-q", "--weight", "liqe_mixx=5", "--lower-is-better", "liqe_mixx"], {
      cwd
    })
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(
      "unknown metric liqe_mixx (changes nothing): the album's metrics are clipiqa, liqe_mix"
    )
    const strict = await runCli(["demo", "--weight", "liqe_mixx=5", "--strict", "--out", "strict"], { cwd })
    expect(strict.code).toBe(2)
    expectOneLine(strict.stderr)
    expect(strict.stderr).toMatch(/unknown metric liqe_mixx.*--strict/)
    expect(existsSync(join(cwd, "strict"))).toBe(false)
    const known = await runCli(["demo", "-q", "--weight", "liqe_mix=3", "--out", "known"], { cwd })
    expect(known.stderr).toBe("")
  })
})

describe("report.json records the server albumsift talked to", () => {
  it("the base URL core resolved from GUMNUT_BASE_URL, not a guess", async () => {
    const album = "album_R99NCS4MdYwULi9UyBwy4z"
    const records = JSON.parse(readFileSync(SAMPLE, "utf8")).slice(0, 20)
    const server = await startGumnutServer({
      key: "apikey_first_run_0001",
      albums: { [album]: records },
      style: "seed"
    })
    try {
      const cwd = tempDir()
      const r = await runCli(["report", "--album", album, "--format", "json", "-q"], {
        cwd,
        env: { GUMNUT_API_KEY: "apikey_first_run_0001", GUMNUT_BASE_URL: `${server.url}/` }
      })
      expect(r.code).toBe(0)
      const [source] = readJson(join(cwd, "albumsift-report", "report.json")).sources
      expect(source).toEqual({
        kind: "api",
        server: "gumnut",
        base_url: new URL(server.url).href,
        albums: [album]
      })
    } finally {
      await server.close()
    }
  })
})
