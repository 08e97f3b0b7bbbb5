/**
 * `writeReports` as a library user calls it from plain Promise code: no Effect, no Metadata, real files,
 * and errors that are the real error classes.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { analyzeAssets, analyzeFile } from "@albumsift/core"
import { ReportError, writeReports } from "@albumsift/report"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeAssets } from "./support/assets.js"
import { SAMPLE } from "./support/runCli.js"

describe("Promise facade: writeReports", () => {
  let dir = ""
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "albumsift-write-"))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it("writes the three reports of analyzeAssets' result", async () => {
    const analysis = await analyzeAssets(makeAssets(0, 40))
    const out = join(dir, "all")
    const written = await writeReports(analysis, { out })
    expect(written.files.map((f) => f.format)).toEqual(["json", "csv", "html"])
    expect((await readdir(out)).sort()).toEqual(["report.csv", "report.html", "report.json"])
    const json = JSON.parse(await readFile(join(out, "report.json"), "utf8"))
    expect(json.summary.assets).toBe(40)
    expect(json.tool.name).toBe("albumsift")
    expect(json.options.report.formats).toEqual(["json", "csv", "html"])
  })

  it("writes only the formats asked for, records the input and rebases its relative thumbnails", async () => {
    const out = join(dir, "some")
    const analysis = await analyzeFile(SAMPLE)
    await writeReports(analysis, { out, formats: ["html", "json"], input: SAMPLE, bom: true })
    expect((await readdir(out)).sort()).toEqual(["report.html", "report.json"])
    const json = JSON.parse(await readFile(join(out, "report.json"), "utf8"))
    expect(json.sources).toEqual([{ kind: "file", path: SAMPLE }])
    const html = await readFile(join(out, "report.html"), "utf8")
    // The sample's `thumbs/…` paths now point back at the sample's folder from `out`.
    expect(html).toMatch(/"thumbPrefixes":\["(\.\.\/)+[^"]*packages\/cli\/sample\/thumbs\/"/)
  })

  it("thumbnails: keep fetches nothing from this machine's own addresses (they stay links)", async () => {
    let requests = 0
    const server = createServer((_req, res) => {
      requests++
      res.end("x")
    })
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done))
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const assets: Array<Record<string, unknown>> = makeAssets(0, 6).map((a, i) => ({
        ...a,
        thumbnail_url: `${origin}/t${i}.png`
      }))
      // Each asset twice under another id: exact copies, so every one is a group member the page shows.
      const analysis = await analyzeAssets([
        ...assets,
        ...assets.map((a) => ({ ...a, id: `${String(a.id)}-copy` }))
      ])
      const written = await writeReports(analysis, { out: join(dir, "keep"), thumbnails: "keep" })
      expect(written.thumbnails?.downloaded).toBe(0)
      expect(written.thumbnails?.failed).toBeGreaterThan(0)
      expect(requests).toBe(0)
    } finally {
      await new Promise<void>((done) => server.close(() => done()))
    }
  })

  it("rejects an unknown format with InvalidReportOptions, writing nothing", async () => {
    const out = join(dir, "bad-format")
    const analysis = await analyzeAssets(makeAssets(0, 3))
    const error = await writeReports(analysis, { out, formats: ["html", "pdf"] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReportError.InvalidReportOptions)
    expect((error as Error).message).toBe(
      'Invalid report option formats: unknown format "pdf"; use json, csv, html'
    )
    await expect(readdir(out)).rejects.toThrow(/ENOENT/)
  })

  it("rejects a folder that cannot be made with ReportWriteError, and a missing analysis plainly", async () => {
    const file = join(dir, "a-file")
    await writeFile(file, "x")
    const analysis = await analyzeAssets(makeAssets(0, 3))
    const error = await writeReports(analysis, { out: join(file, "out") }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReportError.ReportWriteError)
    expect((error as Error).message).toMatch(
      /^Cannot write .*a-file\/out: a parent is not a folder \(ENOTDIR\)$/
    )

    const missing = await writeReports(undefined as never, { out: join(dir, "none") }).catch(
      (e: unknown) => e
    )
    expect(missing).toBeInstanceOf(ReportError.InvalidReportOptions)
    expect((missing as Error).message).toMatch(
      /^Invalid report option analysis: expected the result of analyzeAssets/
    )
  })
})
