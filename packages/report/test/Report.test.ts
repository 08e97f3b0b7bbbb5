import { execFileSync } from "node:child_process"
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { type Analysis, Pipeline } from "@albumsift/core"
import type { FileSystem, Path } from "@effect/platform"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Stream } from "effect"
import * as Csv from "../src/formats/Csv.js"
import { rowText } from "../src/formats/CsvRows.js"
import * as Html from "../src/formats/Html.js"
import { textStream, writeAtomic } from "../src/internal/atomic.js"
import * as OffThreadJson from "../src/internal/offThreadJson.js"
import { ASSET, type AssetRow, thumbUrl } from "../src/internal/pageData.js"
import * as Metadata from "../src/Metadata.js"
import * as Report from "../src/Report.js"
import * as Thumbnails from "../src/Thumbnails.js"
import * as Writer from "../src/Writer.js"
import { metadata, sampleAnalysis } from "./fixtures.js"

const made: Array<string> = []
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), "albumsift-report-"))
  made.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})
/** The page's embedded data, with a reader for an asset's thumbnail URL. */
const htmlDataOf = (html: string) => {
  const data = Html.embeddedData(html)
  return {
    thumbnail: (id: string): string | null => {
      const row = Html.assetRows(data).find((r: AssetRow) => r[ASSET.id] === id)
      return row === undefined ? null : thumbUrl(data, row)
    }
  }
}

const NodeLayer = Layer.merge(NodeFileSystem.layer, NodePath.layer)
const run = <A, E>(effect: Effect.Effect<A, E, FileSystem.FileSystem | Path.Path>) =>
  effect.pipe(Effect.provide(NodeLayer))

describe("Report.write", () => {
  it.effect("creates the folder and writes the three files, leaving no temporary file", () =>
    run(
      Effect.gen(function* () {
        const out = join(temp(), "nested", "out")
        const written = yield* Report.write(sampleAnalysis(), { outDir: out, metadata })
        expect(written.files.map((f) => f.format)).toEqual(["json", "csv", "html"])
        expect(readdirSync(out).sort()).toEqual(["report.csv", "report.html", "report.json"])
        const json = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
        expect(json.options.report).toEqual({
          formats: ["json", "csv", "html"],
          thumbnails: "link",
          csv_bom: false
        })
        expect(readFileSync(join(out, "report.html"), "utf8")).toContain("<!doctype html>")
        expect(written.thumbnails).toBeNull()
      })
    )
  )

  it.effect("writes only the formats asked for, with a BOM when asked", () =>
    run(
      Effect.gen(function* () {
        const out = temp()
        yield* Report.write(sampleAnalysis(), { outDir: out, metadata, formats: ["csv"], bom: true })
        expect(readdirSync(out)).toEqual(["report.csv"])
        expect(readFileSync(join(out, "report.csv"), "utf8").startsWith("\uFEFFasset_id,")).toBe(true)
      })
    )
  )

  it.effect("gives byte-identical files for identical input under SOURCE_DATE_EPOCH", () =>
    run(
      Effect.gen(function* () {
        const [a, b] = [temp(), temp()]
        for (const out of [a, b]) {
          const meta = yield* Metadata.make({
            sources: [{ kind: "file", path: "album.json" }],
            env: { SOURCE_DATE_EPOCH: "1700000000" }
          })
          yield* Report.write(sampleAnalysis(), { outDir: out, metadata: meta })
        }
        for (const file of ["report.json", "report.csv", "report.html"]) {
          expect(readFileSync(join(a, file)).equals(readFileSync(join(b, file)))).toBe(true)
        }
      })
    )
  )

  it.effect("with no format asked for, makes the folder and writes nothing", () =>
    run(
      Effect.gen(function* () {
        const out = temp()
        const written = yield* Report.write(sampleAnalysis(), { outDir: out, metadata, formats: [] })
        expect(written.files).toEqual([])
        expect(readdirSync(out)).toEqual([])
      })
    )
  )

  it.effect("fails with a clear message when the folder cannot be made", () =>
    run(
      Effect.gen(function* () {
        const dir = temp()
        writeFileSync(join(dir, "file"), "not a folder")
        const error = yield* Effect.flip(
          Report.write(sampleAnalysis(), { outDir: join(dir, "file", "out"), metadata })
        )
        expect(error._tag).toBe("ReportWriteError")
        expect(error.message).toMatch(/^Cannot write .*file\/out: a parent is not a folder \(ENOTDIR\)$/)
        expect(error.message).not.toContain("\n")
      })
    )
  )

  it.effect("a failure mid-way leaves the previous set as it was, and no temporary file", () =>
    run(
      Effect.gen(function* () {
        const out = temp()
        writeFileSync(join(out, "report.json"), "previous json")
        writeFileSync(join(out, "report.csv"), "previous csv")
        // report.html cannot replace a folder of that name: the whole new set is abandoned.
        mkdirSync(join(out, "report.html"))
        writeFileSync(join(out, "report.html", "keep.txt"), "x")
        const error = yield* Effect.flip(Report.write(sampleAnalysis(), { outDir: out, metadata }))
        expect(error.message).toMatch(/report\.html: a folder is in the way \(EISDIR\)$/)
        expect(readdirSync(out).sort()).toEqual(["report.csv", "report.html", "report.json"])
        expect(readFileSync(join(out, "report.json"), "utf8")).toBe("previous json")
        expect(readFileSync(join(out, "report.csv"), "utf8")).toBe("previous csv")
        expect(readdirSync(join(out, "report.html"))).toEqual(["keep.txt"])
      })
    )
  )

  it.effect("a run of fewer formats removes the older run's other reports (never a mixed set)", () =>
    run(
      Effect.gen(function* () {
        const out = temp()
        yield* Report.write(sampleAnalysis(), { outDir: out, metadata })
        expect(readdirSync(out).sort()).toEqual(["report.csv", "report.html", "report.json"])
        writeFileSync(join(out, "notes.txt"), "mine")
        yield* Report.write(sampleAnalysis(), { outDir: out, metadata, formats: ["csv"] })
        expect(readdirSync(out).sort()).toEqual(["notes.txt", "report.csv"])
        // With a BOM, the older CSV is still recognised as albumsift's.
        yield* Report.write(sampleAnalysis(), { outDir: out, metadata, formats: ["csv"], bom: true })
        yield* Report.write(sampleAnalysis(), { outDir: out, metadata, formats: ["json"] })
        expect(readdirSync(out).sort()).toEqual(["notes.txt", "report.json"])
      })
    )
  )

  it.effect("a file of a report's name that albumsift did not write is never removed", () =>
    run(
      Effect.gen(function* () {
        const out = temp()
        mkdirSync(out, { recursive: true })
        const theirs = {
          "report.html": "<!doctype html><title>My trip</title>",
          "report.csv": "date,amount\n2025-06-01,12\n",
          "report.json": '{"mine": true}'
        }
        for (const [name, text] of Object.entries(theirs)) writeFileSync(join(out, name), text)
        yield* Report.write(sampleAnalysis(), { outDir: out, metadata, formats: ["json"] })
        expect(readFileSync(join(out, "report.html"), "utf8")).toBe(theirs["report.html"])
        expect(readFileSync(join(out, "report.csv"), "utf8")).toBe(theirs["report.csv"])
        // The format asked for replaces its file, as documented.
        expect(readFileSync(join(out, "report.json"), "utf8")).toContain('"schema_version"')
      })
    )
  )

  it.effect("temporary files a killed run left behind are removed; other files are not", () =>
    run(
      Effect.gen(function* () {
        const out = temp()
        for (const name of [
          ".report.html.0123456789ab.tmp",
          ".report.json.a1b2c3d4e5f6.tmp",
          ".notes.0123456789ab.tmp",
          "x.tmp"
        ])
          writeFileSync(join(out, name), "left over")
        yield* Report.write(sampleAnalysis(), { outDir: out, metadata, formats: ["json"] })
        expect(readdirSync(out).sort()).toEqual([".notes.0123456789ab.tmp", "report.json", "x.tmp"])
      })
    )
  )

  it.live(
    "interrupted at any moment: the folder holds the whole old set or the whole new one, no temporary file",
    () =>
      run(
        Effect.gen(function* () {
          const big = sampleAnalysis()
          for (const delay of [0, 1, 2, 5, 10, 20, 40]) {
            const out = temp()
            for (const f of ["html", "csv", "json"]) writeFileSync(join(out, `report.${f}`), "old")
            const fiber = yield* Effect.fork(Report.write(big, { outDir: out, metadata }))
            yield* Effect.sleep(`${delay} millis`)
            yield* Fiber.interrupt(fiber)
            const names = readdirSync(out).sort()
            expect(names).toEqual(["report.csv", "report.html", "report.json"])
            const old = names.filter((n) => readFileSync(join(out, n), "utf8") === "old")
            expect([0, 3], `after ${delay} ms: ${old.join(",")}`).toContain(old.length)
          }
        })
      )
  )

  it.live("an output folder that cannot be created fails at once (no recursive mkdir spin under /proc)", () =>
    run(
      Effect.gen(function* () {
        const started = Date.now()
        const error = yield* Effect.flip(
          Report.write(sampleAnalysis(), { outDir: "/proc/self/x/y", metadata })
        )
        expect(error._tag).toBe("ReportWriteError")
        expect(error.message).toMatch(/^Cannot write \/proc\/self\/x\/y: /)
        expect(error.message).not.toContain("\n")
        expect(Date.now() - started).toBeLessThan(2000)
      })
    )
  )
})

describe("Report.write: defaults and thumbnails", () => {
  it.effect("without metadata, stamps the time and records this package as the tool", () =>
    run(
      Effect.gen(function* () {
        const out = temp()
        const written = yield* Report.write(sampleAnalysis(), { outDir: out })
        expect(written.files.map((f) => f.format)).toEqual(["json", "csv", "html"])
        const json = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
        expect(json.tool).toEqual({ name: "albumsift", version: Metadata.VERSION })
        expect(json.sources).toEqual([])
        expect(Number.isNaN(Date.parse(json.generated_at))).toBe(false)
      })
    )
  )

  it.effect("rebases relative thumbnail paths from the input's folder onto the output folder", () =>
    run(
      Effect.gen(function* () {
        const root = temp()
        const base = sampleAnalysis()
        const thumbs: Record<string, string | null> = {
          asset_b1: "thumbs/b1 one.svg?v=2#x",
          asset_b2: "../shared/b2.png",
          asset_b3: "https://cdn.example.com/b3.jpg",
          asset_e1: "/srv/photos/e1.jpg",
          asset_e2: null
        }
        const analysis = {
          ...base,
          assets: base.assets.map((a) => (a.id in thumbs ? { ...a, thumbnailUrl: thumbs[a.id] ?? null } : a))
        }
        const meta = {
          ...metadata,
          sources: [{ kind: "file" as const, path: join(root, "in", "album.json") }]
        }
        const out = join(root, "reports", "today")
        const written = yield* Report.write(analysis, { outDir: out, metadata: meta })
        const data = htmlDataOf(readFileSync(join(out, "report.html"), "utf8"))
        expect(data.thumbnail("asset_b1")).toBe("../../in/thumbs/b1%20one.svg?v=2#x")
        expect(data.thumbnail("asset_b2")).toBe("../../shared/b2.png")
        expect(data.thumbnail("asset_b3")).toBe("https://cdn.example.com/b3.jpg")
        expect(data.thumbnail("asset_e1")).toBe("/srv/photos/e1.jpg")
        expect(data.thumbnail("asset_e2")).toBeNull()
        expect(written.localThumbnails).toBe(2)
        // report.json keeps the source's URL as given (documented as such).
        const json = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
        const b1 = json.assets.find((a: { id: string }) => a.id === "asset_b1")
        expect(b1.thumbnail_url).toBe("thumbs/b1 one.svg?v=2#x")

        // Written into the input's own folder, the paths are already right and stay as given.
        yield* Report.write(analysis, { outDir: join(root, "in"), metadata: meta })
        const beside = htmlDataOf(readFileSync(join(root, "in", "report.html"), "utf8"))
        expect(beside.thumbnail("asset_b1")).toBe("thumbs/b1 one.svg?v=2#x")
        // An explicit base wins over the metadata's.
        yield* Report.write(analysis, { outDir: out, metadata: meta, thumbnailBase: join(root, "elsewhere") })
        const explicit = htmlDataOf(readFileSync(join(out, "report.html"), "utf8"))
        expect(explicit.thumbnail("asset_b1")).toBe("../../elsewhere/thumbs/b1%20one.svg?v=2#x")
      })
    )
  )

  it.effect("with no file source, relative paths are linked as given", () =>
    run(
      Effect.gen(function* () {
        const out = temp()
        const base = sampleAnalysis()
        const analysis = {
          ...base,
          assets: base.assets.map((a) => (a.id === "asset_b1" ? { ...a, thumbnailUrl: "thumbs/b1.svg" } : a))
        }
        yield* Report.write(analysis, {
          outDir: out,
          metadata: { ...metadata, sources: [{ kind: "stdin" }] }
        })
        expect(htmlDataOf(readFileSync(join(out, "report.html"), "utf8")).thumbnail("asset_b1")).toBe(
          "thumbs/b1.svg"
        )
      })
    )
  )
})

describe("writeAtomic", () => {
  const bytes = (text: string) => new TextEncoder().encode(text)

  it.effect("removes the temporary file when the content fails, and never creates the target", () =>
    run(
      Effect.gen(function* () {
        const dir = temp()
        const target = join(dir, "report.csv")
        const content = Stream.concat(
          Stream.make(bytes("asset_id\r\n"), bytes("a1\r\n")),
          Stream.fail("disk full")
        )
        const error = yield* Effect.flip(writeAtomic(target, content))
        expect(error).toBe("disk full")
        expect(readdirSync(dir)).toEqual([])
      })
    )
  )

  it.effect("keeps the previous file intact when a rewrite fails", () =>
    run(
      Effect.gen(function* () {
        const dir = temp()
        const target = join(dir, "report.json")
        writeFileSync(target, "previous")
        yield* Effect.flip(
          writeAtomic(target, Stream.concat(Stream.make(bytes("{ half")), Stream.fail("boom")))
        )
        expect(readFileSync(target, "utf8")).toBe("previous")
        expect(readdirSync(dir)).toEqual(["report.json"])
        yield* writeAtomic(target, textStream(["new ", "content"]))
        expect(readFileSync(target, "utf8")).toBe("new content")
        expect(existsSync(target)).toBe(true)
        expect(readdirSync(dir)).toEqual(["report.json"])
      })
    )
  )
})

describe("report.json's asset lines on a worker thread", () => {
  /** A generated album large enough for the worker (`OffThreadJson.MIN_ASSETS`), analysed by the pipeline. */
  const large = (() => {
    let analysis: Analysis.Analysis | undefined
    return () => {
      if (analysis !== undefined) return analysis
      const file = join(temp(), "album.json")
      const root = fileURLToPath(new URL("../../../", import.meta.url))
      execFileSync(process.execPath, [
        join(root, "scripts/generate-album.mjs"),
        "--count",
        "12000",
        "--seed",
        "7",
        "--out",
        file
      ])
      const values = JSON.parse(readFileSync(file, "utf8")) as Array<unknown>
      analysis = Pipeline.analyzeItems(values.map((value, index) => ({ value, index })))
      expect(analysis.assets.length).toBeGreaterThanOrEqual(OffThreadJson.MIN_ASSETS)
      return analysis
    }
  })()

  it.effect("writes the same bytes as this thread does, and leaves no worker behind", () =>
    run(
      Effect.gen(function* () {
        const analysis = large()
        const [viaWorker, here] = [temp(), temp()]
        const before = OffThreadJson.counts().started
        yield* Report.write(analysis, { outDir: viaWorker, metadata })
        expect(OffThreadJson.counts().started).toBe(before + 1)
        // A copy of the assets cannot be shared: every line is written on this thread.
        yield* Report.write({ ...analysis, assets: [...analysis.assets] }, { outDir: here, metadata })
        expect(OffThreadJson.counts().started).toBe(before + 1)
        for (const file of ["report.json", "report.csv", "report.html"]) {
          const a = readFileSync(join(viaWorker, file))
          expect(a.equals(readFileSync(join(here, file))), file).toBe(true)
        }
        const json = JSON.parse(readFileSync(join(viaWorker, "report.json"), "utf8"))
        expect(json.assets.length).toBe(analysis.assets.length)
        expect(readdirSync(viaWorker).sort()).toEqual(["report.csv", "report.html", "report.json"])
        expect(OffThreadJson.counts().running).toBe(0)
      })
    )
  )

  it.effect(
    "kept thumbnails are named in the worker's lines as on this thread; report.json alone needs no worker",
    () =>
      run(
        Effect.gen(function* () {
          const analysis = large()
          const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1])
          // One thumbnail in sixteen is served (by its signature's last hex digit), the rest stay
          // links: both kinds of line are compared, and the test is not thousands of atomic writes.
          const fetch = (url: string) =>
            url.endsWith("0")
              ? Effect.succeed({ bytes: jpeg, contentType: "image/jpeg" })
              : Effect.fail(
                  new Thumbnails.ThumbnailFetchError({ host: "assets.gumnut.ai", reason: "offline" })
                )
          const [viaWorker, here] = [temp(), temp()]
          const before = OffThreadJson.counts().started
          const kept = yield* Report.write(analysis, { outDir: viaWorker, metadata, thumbnails: { fetch } })
          expect(OffThreadJson.counts().started).toBe(before + 1)
          expect(kept.thumbnails?.downloaded).toBeGreaterThan(10)
          yield* Report.write(
            { ...analysis, assets: [...analysis.assets] },
            { outDir: here, metadata, thumbnails: { fetch } }
          )
          const json = readFileSync(join(viaWorker, "report.json"))
          expect(json.equals(readFileSync(join(here, "report.json")))).toBe(true)
          expect(json.toString("utf8")).toContain('"thumbnail_file":"thumbs/')
          expect(kept.thumbnails?.failed).toBeGreaterThan(kept.thumbnails?.downloaded ?? 0)
          // Alone, report.json is written here: nothing would run beside a worker.
          const alone = temp()
          yield* Report.write(analysis, { outDir: alone, metadata, formats: ["json"], thumbnails: { fetch } })
          expect(OffThreadJson.counts().started).toBe(before + 1)
          const aloneJson = JSON.parse(readFileSync(join(alone, "report.json"), "utf8"))
          expect(aloneJson.assets.length).toBe(analysis.assets.length)
        })
      ),
    30_000
  )

  it.live(
    "interrupted while the worker writes, the set is the old one, with no temporary file and no worker",
    () =>
      run(
        Effect.gen(function* () {
          const out = temp()
          writeFileSync(join(out, "report.json"), "old")
          const before = OffThreadJson.counts().started
          const fiber = yield* Effect.fork(Report.write(large(), { outDir: out, metadata }))
          // Interrupted once the worker is running.
          while (OffThreadJson.counts().started === before) yield* Effect.sleep("1 millis")
          yield* Fiber.interrupt(fiber)
          expect(OffThreadJson.counts().running).toBe(0)
          expect(readdirSync(out)).toEqual(["report.json"])
          expect(readFileSync(join(out, "report.json"), "utf8")).toBe("old")
        })
      )
  )

  it.effect("report.json and report.csv alone: the worker writes the CSV's last rows, the same bytes", () =>
    run(
      Effect.gen(function* () {
        const analysis = large()
        const [viaWorker, here] = [temp(), temp()]
        const before = OffThreadJson.counts().started
        yield* Report.write(analysis, { outDir: viaWorker, metadata, formats: ["json", "csv"], bom: true })
        expect(OffThreadJson.counts().started).toBe(before + 1)
        yield* Report.write(
          { ...analysis, assets: [...analysis.assets] },
          { outDir: here, metadata, formats: ["json", "csv"], bom: true }
        )
        for (const file of ["report.json", "report.csv"]) {
          expect(readFileSync(join(viaWorker, file)).equals(readFileSync(join(here, file))), file).toBe(true)
        }
        // No scratch file is left beside the reports.
        expect(readdirSync(viaWorker).sort()).toEqual(["report.csv", "report.json"])
      })
    )
  )

  it.effect("a failed write on the worker names the file it was writing", () =>
    Effect.gen(function* () {
      const analysis = large()
      const dir = temp()
      for (const failing of ["json", "csv"] as const) {
        // A descriptor opened for reading only: the worker's first write to it fails (EBADF).
        const [json, csv] = (["json", "csv"] as const).map((file) =>
          openSync(join(dir, `${failing}-${file}`), file === failing ? "w+" : "w")
        )
        closeSync(failing === "json" ? json! : csv!)
        const readOnly = openSync(join(dir, `${failing}-${failing}`), "r")
        try {
          const reply = yield* OffThreadJson.run({
            shared: Pipeline.shareAnalysis(analysis)!,
            fd: failing === "json" ? readOnly : json!,
            opening: "{",
            thumbnails: undefined,
            csv: { fd: failing === "csv" ? readOnly : csv!, from: 0, metrics: Csv.metricNames(analysis) }
          })
          expect(reply, failing).toEqual({
            error: { code: "EBADF", message: expect.any(String), file: failing }
          })
        } finally {
          closeSync(readOnly)
          closeSync(failing === "json" ? csv! : json!)
        }
      }
    })
  )

  it.effect("asked for the CSV rows from a position on, the worker writes exactly those rows", () =>
    Effect.gen(function* () {
      const analysis = large()
      const metrics = Csv.metricNames(analysis)
      // Rows as this thread finds their groups (by id, `Writer.rows`); the worker finds them by position.
      const all = [...Writer.rows(Writer.context(analysis))]
      const inside = all.findIndex(
        (r) => r.member !== undefined && r.group?.members[0]?.assetId !== r.asset.id
      )
      const ungrouped = all.findIndex((r, k) => r.group === undefined && k > inside)
      expect(inside).toBeGreaterThan(0)
      expect(ungrouped).toBeGreaterThan(inside)
      // From the start, from inside a group (its first member already passed), and past the last group.
      for (const from of [0, 1, inside, ungrouped, all.length]) {
        const dir = temp()
        const [json, csv] = [openSync(join(dir, "json"), "w"), openSync(join(dir, "csv"), "w")]
        try {
          const reply = yield* OffThreadJson.run({
            shared: Pipeline.shareAnalysis(analysis)!,
            fd: json,
            opening: "{",
            thumbnails: undefined,
            csv: { fd: csv, from, metrics }
          })
          const expected = all
            .slice(from)
            .map((row) => rowText(row, metrics))
            .join("")
          expect(reply, `from ${from}`).toEqual({
            end: expect.any(Number),
            csvEnd: Buffer.byteLength(expected)
          })
          expect(readFileSync(join(dir, "csv"), "utf8"), `from ${from}`).toBe(expected)
        } finally {
          closeSync(json)
          closeSync(csv)
        }
      }
    })
  )

  /** A descriptor the worker cannot write to: a full disk (every write to /dev/full fails), a file open to read. */
  const unwritable = {
    "a full disk": { open: () => openSync("/dev/full", "w"), code: "ENOSPC" },
    "a file open only to read": {
      open: () => {
        const file = join(temp(), "read-only.json")
        writeFileSync(file, "")
        return openSync(file, "r")
      },
      code: "EBADF"
    }
  }

  it.effect.each(Object.entries(unwritable))(
    "%s stops the worker with the system's code in its reply",
    ([, { open, code }]) =>
      Effect.gen(function* () {
        const fd = open()
        try {
          const shared = Pipeline.shareAnalysis(large())!
          const reply = yield* OffThreadJson.run({ shared, fd, opening: "{", thumbnails: undefined })
          expect(reply).toEqual({ error: { code, message: expect.stringContaining(code), file: "json" } })
        } finally {
          closeSync(fd)
        }
        expect(OffThreadJson.counts().running).toBe(0)
      })
  )

  it.live("interrupted, the worker is stopped at once", () =>
    Effect.gen(function* () {
      const file = join(temp(), "report.json")
      const fd = openSync(file, "w")
      try {
        const shared = Pipeline.shareAnalysis(large())!
        const fiber = yield* Effect.fork(
          OffThreadJson.run({ shared, fd, opening: "{", thumbnails: undefined })
        )
        yield* Effect.sleep("1 millis")
        expect(OffThreadJson.counts().running).toBe(1)
        yield* Fiber.interrupt(fiber)
        expect(OffThreadJson.counts().running).toBe(0)
      } finally {
        closeSync(fd)
      }
    })
  )
})
