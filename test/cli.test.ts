/**
 * End-to-end: the built `albumsift` binary, spawned with real files in temporary folders.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { BIN, generate, ROOT, runCli, SAMPLE, tempDir } from "./support/runCli.js"

const FILES = ["report.csv", "report.html", "report.json"]

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"))

/** A failure is one line on stderr, prefixed, with no stack trace. */
const expectOneLine = (stderr: string) => {
  const lines = stderr.trimEnd().split("\n")
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^albumsift: /)
  expect(stderr).not.toMatch(/\n\s+at /)
}

describe("albumsift demo", () => {
  it("writes the three reports and the sample's thumbnails, offline", async () => {
    const cwd = tempDir()
    const r = await runCli(["demo"], { cwd })
    expect(r.stderr).not.toMatch(/error/i)
    expect(r.code).toBe(0)
    const out = join(cwd, "albumsift-report")
    expect(
      readdirSync(out)
        .filter((f) => f.startsWith("report."))
        .sort()
    ).toEqual(FILES)
    // Every relative thumbnail URL in the report resolves to a file next to it.
    const report = readJson(join(out, "report.json"))
    const urls: Array<string> = report.assets
      .map((a: { thumbnail_url?: string | null }) => a.thumbnail_url)
      .filter(Boolean)
    expect(urls.length).toBeGreaterThan(100)
    for (const url of urls) {
      expect(url).toMatch(/^thumbs\//)
      expect(existsSync(join(out, url))).toBe(true)
    }
    expect(r.stdout).toMatch(/Wrote .*report\.html/)
    // The sample holds invalid items on purpose: counted on stderr.
    expect(r.stderr).toMatch(/input items? rejected/)
  })

  it("covers every group kind and evidence the sample was built for", async () => {
    const cwd = tempDir()
    const r = await runCli(["demo", "--json", "--out", "out"], { cwd })
    expect(r.code).toBe(0)
    const s = JSON.parse(r.stdout).summary
    expect(s.input_items).toBe(300)
    expect(s.rejected).toBeGreaterThan(0)
    expect(s.groups_by_kind.exact).toBeGreaterThan(0)
    expect(s.groups_by_kind.near).toBeGreaterThan(0)
    expect(s.groups_by_evidence.checksum).toBeGreaterThan(0)
    expect(s.groups_by_evidence.auto_stack_id).toBeGreaterThan(0)
    expect(s.groups_by_evidence.capture_time).toBeGreaterThan(0)
    expect(s.recommendations.discard).toBeGreaterThan(0)
    expect(s.recommendations.review).toBeGreaterThan(0)
    expect(s.timezone_anomalies).toBeGreaterThan(0)
    expect(s.reclaimable_bytes).toBeGreaterThan(0)
  })

  it("writes only the formats asked for", async () => {
    const cwd = tempDir()
    const r = await runCli(["demo", "--format", "csv,json", "--quiet"], { cwd })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe("")
    expect(
      readdirSync(join(cwd, "albumsift-report"))
        .filter((f) => f.startsWith("report."))
        .sort()
    ).toEqual(["report.csv", "report.json"])
  })
})

describe("albumsift report --input", () => {
  it("takes --name=value for the repeatable options too, as for the others", async () => {
    const cwd = tempDir()
    const args = ["--input", SAMPLE, "--quiet", "--format=json", "--format=csv", "--weight=rating=2"]
    const r = await runCli(["report", ...args, "--lower-is-better=clipiqa", "--out=r"], { cwd })
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(readdirSync(join(cwd, "r")).sort()).toEqual(["report.csv", "report.json"])
    const options = JSON.parse(readFileSync(join(cwd, "r", "report.json"), "utf8")).options
    expect(options.analysis.weights.rating).toBe(2)
    expect(options.analysis.lower_is_better).toEqual(["clipiqa"])
  })

  it("reads a file, and the --json summary matches report.json", async () => {
    const cwd = tempDir()
    const r = await runCli(["report", "--input", SAMPLE, "--out", "r", "--json"], { cwd })
    expect(r.code).toBe(0)
    const printed = JSON.parse(r.stdout)
    const report = readJson(join(cwd, "r", "report.json"))
    expect(printed.summary).toEqual(report.summary)
    expect(printed.files.map((f: string) => f.replace(/^.*\//, "")).sort()).toEqual(FILES)
    expect(report.summary.input_items).toBe(300)
  })

  it("reads stdin with --input - and gives the same summary as the file", async () => {
    const cwd = tempDir()
    const fromFile = await runCli(["report", "--input", SAMPLE, "--out", "a", "--json"], { cwd })
    const fromStdin = await runCli(["report", "--input", "-", "--out", "b", "--json"], {
      cwd,
      stdin: readFileSync(SAMPLE)
    })
    expect(fromStdin.code).toBe(0)
    expect(JSON.parse(fromStdin.stdout).summary).toEqual(JSON.parse(fromFile.stdout).summary)
    expect(readJson(join(cwd, "b", "report.json")).sources).toEqual([{ kind: "stdin" }])
  })

  it("detects NDJSON and cursor pages", async () => {
    const cwd = tempDir()
    const array = await generate(["--count", "120", "--seed", "11"])
    const ndjson = await generate(["--count", "120", "--seed", "11", "--ndjson"])
    const page = await generate(["--count", "120", "--seed", "11", "--page"])
    expect(ndjson.trimStart().startsWith("{")).toBe(true)
    expect(JSON.parse(page).has_more).toBe(false)
    const summaries = []
    for (const [name, text] of [
      ["album.json", array],
      ["album.ndjson", ndjson],
      ["page.json", page]
    ] as const) {
      writeFileSync(join(cwd, name), text)
      const r = await runCli(
        ["report", "--input", name, "--out", `out-${name}`, "--json", "--format", "json"],
        { cwd }
      )
      expect(r.code).toBe(0)
      summaries.push(JSON.parse(r.stdout).summary)
    }
    expect(summaries[0].input_items).toBe(120)
    expect(summaries[1]).toEqual(summaries[0])
    expect(summaries[2]).toEqual(summaries[0])
  })

  it("a missing file fails in one line naming the file (exit 1)", async () => {
    const r = await runCli(["report", "--input", "no-such-album.json"])
    expect(r.code).toBe(1)
    expectOneLine(r.stderr)
    expect(r.stderr).toMatch(/no-such-album\.json/)
    expect(r.stderr).toMatch(/no such file/)
  })

  it("bad JSON fails in one line saying where (exit 1), writing nothing", async () => {
    const cwd = tempDir()
    writeFileSync(join(cwd, "bad.json"), '[{"id": "asset_x", "checksum": ')
    const r = await runCli(["report", "--input", "bad.json"], { cwd })
    expect(r.code).toBe(1)
    expectOneLine(r.stderr)
    expect(r.stderr).toMatch(/bad\.json.*invalid JSON/)
    expect(existsSync(join(cwd, "albumsift-report", "report.json"))).toBe(false)
  })

  it("an empty album succeeds with an empty report and says so (exit 0)", async () => {
    const cwd = tempDir()
    writeFileSync(join(cwd, "empty.json"), "[]\n")
    const r = await runCli(["report", "--input", "empty.json", "--json"], { cwd })
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/no assets/)
    expect(JSON.parse(r.stdout).summary.assets).toBe(0)
    expect(readJson(join(cwd, "albumsift-report", "report.json")).summary.input_items).toBe(0)
  })

  it("--strict exits 1 when an item is rejected, and still writes the report", async () => {
    const cwd = tempDir()
    const r = await runCli(["report", "--input", SAMPLE, "--strict", "--quiet"], { cwd })
    expect(r.code).toBe(1)
    expectOneLine(r.stderr)
    expect(r.stderr).toMatch(/rejected.*--strict/)
    expect(existsSync(join(cwd, "albumsift-report", "report.json"))).toBe(true)
  })

  it("--strict exits 0 when nothing is rejected", async () => {
    const cwd = tempDir()
    const clean = JSON.parse(readFileSync(SAMPLE, "utf8")).slice(0, 12)
    writeFileSync(join(cwd, "clean.json"), JSON.stringify(clean))
    const r = await runCli(["report", "--input", "clean.json", "--strict", "--json"], { cwd })
    expect(JSON.parse(r.stdout).summary.rejected).toBe(0)
    expect(r.code).toBe(0)
  })
})

describe("usage errors exit 2", () => {
  const cases: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
    ["an unknown flag", ["report", "--input", SAMPLE, "--frobnicate"]],
    ["an unknown command", ["frobnicate"]],
    ["no command", []],
    ["no source", ["report"]],
    ["two sources", ["report", "--input", SAMPLE, "--album", "album_R99NCS4MdYwULi9UyBwy4z"]],
    ["a malformed --weight", ["report", "--input", SAMPLE, "--weight", "liqe_mix"]],
    ["an unknown --format", ["report", "--input", SAMPLE, "--format", "pdf"]],
    ["a review margin out of range", ["report", "--input", SAMPLE, "--review-margin", "7"]]
  ]
  for (const [name, args] of cases) {
    it(name, async () => {
      const cwd = tempDir()
      const r = await runCli(args, { cwd })
      expect(r.code).toBe(2)
      expectOneLine(r.stderr)
      expect(existsSync(join(cwd, "albumsift-report"))).toBe(false)
    })
  }

  it("--help and --version succeed on stdout", async () => {
    const help = await runCli(["report", "--help"])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/--input/)
    expect(help.stdout).toMatch(/--album/)
    const version = await runCli(["--version"])
    expect(version.code).toBe(0)
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/)
  })
})

describe("progress and output streams", () => {
  it("shows progress on stderr only when it is a TTY, without colour under NO_COLOR", async () => {
    const cwd = tempDir()
    const piped = await runCli(["demo", "--format", "json"], { cwd })
    expect(piped.code).toBe(0)
    expect(piped.stderr).not.toMatch(/assets read/)
    // util-linux `script` gives the child a pseudo-terminal, as an interactive shell would.
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} demo --format json --out tty`
    const tty = await runCli(["-qec", command, "/dev/null"], {
      cwd,
      command: "script",
      env: { NO_COLOR: "1" }
    })
    expect(tty.code).toBe(0)
    expect(tty.stdout).toMatch(/reading/)
    expect(tty.stdout).toMatch(/300 assets read/)
    expect(tty.stdout).not.toContain("\u001b[3")
    const colour = await runCli(["-qec", command, "/dev/null"], { cwd, command: "script" })
    expect(colour.stdout).toContain("\u001b[36mreading")
    const quiet = await runCli(["-qec", `${command} --quiet`, "/dev/null"], { cwd, command: "script" })
    expect(quiet.stdout).not.toMatch(/assets read/)
  })

  it("`pnpm --silent albumsift` prints only albumsift's own output", async () => {
    const r = await runCli(["--silent", "albumsift", "--version"], { cwd: ROOT, command: "pnpm" })
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it("an output folder that cannot be created fails in one line (exit 1)", async () => {
    const cwd = tempDir()
    writeFileSync(join(cwd, "a-file"), "")
    const r = await runCli(["demo", "--out", "a-file/report"], { cwd })
    expect(r.code).toBe(1)
    expectOneLine(r.stderr)
    expect(r.stderr).toMatch(/a-file/)
  })
})
