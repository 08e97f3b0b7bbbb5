/**
 * An analysis' assets and groups read on another thread (`Pipeline.shareAnalysis` → `postMessage` →
 * `SharedAnalysis.read`) are the same, read from the same memory: the asset store and the ranking are never
 * copied (≈230 MB at 1M).
 */
import { readFileSync } from "node:fs"
import { fileURLToPath, pathToFileURL } from "node:url"
import { Worker } from "node:worker_threads"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Analysis } from "../../src/Analysis.js"
import * as Pipeline from "../../src/engine/Pipeline.js"
import * as SharedAnalysis from "../../src/engine/SharedAnalysis.js"
import { raw, sha256 } from "../fixtures.js"

const DEMO = fileURLToPath(new URL("../../../cli/sample/album.json", import.meta.url))
const demo = (): Analysis => {
  const values = JSON.parse(readFileSync(DEMO, "utf8")) as Array<unknown>
  return Pipeline.analyzeItems(values.map((value, index) => ({ value, index })))
}

/**
 * The assets as another thread reads them, sent as `postMessage` sends them (a structured clone),
 * and as read here. Read here first, as a report does before its worker starts: a reader's caches
 * (Buffers over the text arena) must not travel as they are.
 */
const bothSides = (analysis: Analysis) => {
  const here = { assets: [...analysis.assets], groups: [...analysis.groups] }
  const shared = Pipeline.shareAnalysis(analysis)
  if (shared === undefined) throw new Error("not shareable")
  const there = SharedAnalysis.read(structuredClone(shared))
  return { here, there: { assets: [...there.assets], groups: [...there.groups] } }
}

describe("shared assets", () => {
  it("read on the other side, the demo album's assets and groups are the same, in the same order", () => {
    const analysis = demo()
    expect(analysis.assets.length).toBeGreaterThan(200)
    expect(analysis.groups.length).toBeGreaterThan(10)
    const { here, there } = bothSides(analysis)
    expect(there).toEqual(here)
  })

  it("are read from the same memory, not a copy", () => {
    const analysis = demo()
    const shared = Pipeline.shareAnalysis(analysis)!
    const clone = structuredClone(shared)
    for (const column of [
      clone.order,
      clone.shotOf,
      clone.primary,
      clone.groupOf,
      clone.score,
      clone.flagMasks
    ])
      expect(column.buffer).toBeInstanceOf(SharedArrayBuffer)
    // A write on one side is seen on the other: the score column is one memory.
    const first = analysis.assets[0]!
    const copy = SharedAnalysis.read(clone).assets
    expect(copy[0]!.score).toBe(first.score)
    const k = clone.order[0]!
    const before = clone.score[k]!
    clone.score[k] = 0.123456
    try {
      expect(analysis.assets[0]!.score).toBe(0.123456)
    } finally {
      clone.score[k] = before
    }
  })

  it("send every column as shared memory: the store, the ranking and the per-asset results", () => {
    const clone = structuredClone(Pipeline.shareAnalysis(demo())!)
    const found: Array<string> = []
    const seen = new Set<object>()
    const walk = (value: unknown, path: string): void => {
      if (typeof value !== "object" || value === null || seen.has(value)) return
      seen.add(value)
      if (ArrayBuffer.isView(value)) {
        if (!(value.buffer instanceof SharedArrayBuffer)) found.push(path)
        return
      }
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value)
      for (const [key, child] of entries) walk(child, `${path}.${String(key)}`)
    }
    walk(clone, "shared")
    expect(seen.size).toBeGreaterThan(50)
    // A typed array not in shared memory would be copied into the worker: ≈230 MB at 1M.
    expect(found).toEqual([])
  })

  it("keep a large album's text across arena chunks and a rare field kept as a column", () => {
    // 3,000 names of 2 KB: more than one 4 MiB chunk of text; a stack id on every asset: a column of codes.
    // Pairs share a checksum and a stack: 1,500 groups.
    const items = Array.from({ length: 3000 }, (_, k) => ({
      value: raw(`a${k}`, {
        original_file_name: `${"é".repeat(1000)}${k}.jpg`,
        checksum: sha256(Math.floor(k / 2)),
        local_datetime: new Date(Date.UTC(2024, 0, 1) + k * 3_600_000).toISOString(),
        exif: { make: "M", model: "X", auto_stack_id: `stack-${Math.floor(k / 2)}` }
      }),
      index: k
    }))
    const analysis = Pipeline.analyzeItems(items)
    const { here, there } = bothSides(analysis)
    expect(here.assets.length).toBe(3000)
    expect(here.groups.length).toBeGreaterThan(100)
    expect(there).toEqual(here)
  })

  it("are not offered for an analysis the pipeline did not build (a copy of its assets or groups)", () => {
    const analysis = demo()
    expect(Pipeline.shareAnalysis(analysis)).toBeDefined()
    expect(Pipeline.shareAnalysis({ ...analysis, assets: [...analysis.assets] })).toBeUndefined()
    expect(Pipeline.shareAnalysis({ ...analysis, groups: [...analysis.groups] })).toBeUndefined()
  })

  it("keep every field exactly: odd ids and names, long text, rare fields, metrics, albums and duplicates", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.constantFrom("plain", "\uFEFFbom", "lone\uD800", "é\u{1F600}", ""),
            name: fc.string({ unit: "grapheme", maxLength: 20 }),
            long: fc.boolean(),
            stack: fc.option(fc.constantFrom("s1", "s2", "\uFEFFs")),
            description: fc.option(fc.string({ maxLength: 10 })),
            metric: fc.option(
              fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(3.3631, 0.5))
            ),
            album: fc.option(fc.constantFrom("a", "b")),
            twin: fc.boolean()
          }),
          { maxLength: 30 }
        ),
        (rows) => {
          const items = rows.flatMap((r, k) => {
            const id = `${r.id}${k}`
            const value = raw(id, {
              original_file_name: r.long ? `${r.name}${"x".repeat(300)}` : r.name,
              checksum: sha256(k % 7),
              description: r.description,
              exif: { make: "M", model: "X", auto_stack_id: r.stack, rating: k % 6 },
              metrics: r.metric === null ? null : { m: r.metric }
            })
            const item = r.album === null ? { value } : { value, album: r.album }
            // A repeated id only adds its album to the first.
            return r.twin ? [item, { value, album: "z" }] : [item]
          })
          const analysis = Pipeline.analyzeItems(items.map((item, index) => ({ ...item, index })))
          const { here, there } = bothSides(analysis)
          expect(there).toEqual(here)
        }
      ),
      { numRuns: 150 }
    )
  }, 60_000)

  it("are read by a real worker thread (the built module) as they are here", async () => {
    const analysis = demo()
    const module = pathToFileURL(
      fileURLToPath(new URL("../../dist/engine/SharedAnalysis.js", import.meta.url))
    ).href
    const worker = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
       import(${JSON.stringify(module)}).then((m) => {
         const { assets, groups } = m.read(workerData);
         parentPort.postMessage(JSON.stringify({ assets: [...assets], groups: [...groups] }));
       });`,
      { eval: true, workerData: Pipeline.shareAnalysis(analysis) }
    )
    try {
      const text = await new Promise<string>((resolve, reject) => {
        worker.once("message", resolve)
        worker.once("error", reject)
      })
      expect(text).toBe(JSON.stringify({ assets: [...analysis.assets], groups: [...analysis.groups] }))
    } finally {
      await worker.terminate()
    }
  })
})
