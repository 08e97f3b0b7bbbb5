/**
 * Names that come from input (metric names, weights, thresholds, recorded options) and collide with
 * Object.prototype must stay plain data in every writer: `toString`, `constructor`, `__proto__`...
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Analysis } from "@albumsift/core"
import { afterAll, describe, expect, it } from "@effect/vitest"
import * as Html from "../src/formats/Html.js"
import * as Json from "../src/formats/Json.js"
import { writeReports } from "../src/Promise.js"
import * as Renderer from "../src/Renderer.js"
import { asset, metadata, parseCsv, sampleAnalysis } from "./fixtures.js"

const NAMES = ["__proto__", "constructor", "hasOwnProperty", "toString", "valueOf"] as const

/** A record keyed by input names, as JSON.parse gives it (own `__proto__` key included). */
const record = (entries: ReadonlyArray<readonly [string, number]>): Record<string, number> => {
  const out: Record<string, number> = Object.create(null)
  for (const [key, value] of entries) out[key] = value
  return out
}

const stats = (name: string): Analysis.MetricStats => ({
  name,
  count: 1,
  missing: 1,
  min: 1,
  q1: 1,
  median: 1,
  q3: 1,
  max: 1,
  mean: 1,
  stdev: 0,
  lowerIsBetter: false,
  histogram: [{ from: 1, to: 1, count: 1 }]
})

/** Two grouped assets carry every hostile metric; a third carries none. */
const hostileAnalysis = (): Analysis.Analysis => {
  const base = sampleAnalysis()
  const metrics = record(NAMES.map((name, i) => [name, i + 0.5]))
  return {
    ...base,
    options: {
      ...base.options,
      weights: record([...NAMES.map((name) => [name, 2] as const), ["rating", 2]]),
      lowQualityThresholds: record(NAMES.map((name) => [name, 1]))
    },
    assets: [
      ...base.assets.map((a) => (a.id === "asset_b1" || a.id === "asset_e1" ? { ...a, metrics } : a)),
      asset("asset_plain", { metrics: record([]) })
    ],
    metrics: NAMES.map(stats)
  }
}

const made: Array<string> = []
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

const dataOf = (html: string) => {
  const data = Html.embeddedData(html)
  return { ...data, assets: Html.assetRows(data) }
}

describe("names from input that collide with Object.prototype", () => {
  it("pass through every writer as plain data", async () => {
    const out = mkdtempSync(join(tmpdir(), "albumsift-names-"))
    made.push(out)
    const analysis = hostileAnalysis()
    const written = await writeReports(analysis, { out })
    // Every registered format was written, whatever it is.
    expect(written.files.map((f) => f.format)).toEqual(Renderer.FORMATS)

    const json = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
    const byId = new Map(json.assets.map((a: { id: string }) => [a.id, a]))
    const expected = Object.fromEntries(NAMES.map((name, i) => [name, i + 0.5]))
    expect(Object.entries((byId.get("asset_b1") as { metrics: object }).metrics)).toEqual(
      Object.entries(expected)
    )
    expect(Object.keys((byId.get("asset_plain") as { metrics: object }).metrics)).toEqual([])
    expect(Object.keys(json.options.analysis.weights)).toEqual([...NAMES, "rating"].sort())
    expect(Object.keys(json.options.analysis.low_quality_thresholds)).toEqual([...NAMES])
    expect(json.metrics.map((m: { name: string }) => m.name)).toEqual([...NAMES])

    const [header = [], ...cells] = parseCsv(readFileSync(join(out, "report.csv"), "utf8"))
    const csv = new Map(
      cells.map((row) => [row[0], Object.fromEntries(header.map((name, i) => [name, row[i]]))])
    )
    for (const [i, name] of NAMES.entries()) {
      expect(csv.get("asset_b1")?.[`metric:${name}`]).toBe(String(i + 0.5))
      expect(csv.get("asset_e1")?.[`metric:${name}`]).toBe(String(i + 0.5))
      expect(csv.get("asset_plain")?.[`metric:${name}`]).toBe("")
    }

    const data = dataOf(readFileSync(join(out, "report.html"), "utf8"))
    expect(data.metricNames).toEqual([...NAMES])
    const rowOf = (id: string) => data.assets.find((row) => row[0] === id)
    expect(rowOf("asset_b1")?.[17]).toEqual(NAMES.map((_, i) => i + 0.5))
    // A shown asset without these metrics has nulls, not Object.prototype's functions.
    expect(rowOf("asset_b2")?.[17]).toEqual(NAMES.map(() => null))
    expect(Object.keys(data.options.lowQualityThresholds)).toEqual([...NAMES])
  })

  it("as a recorded run option, `__proto__` is written like any other key", () => {
    const options = JSON.parse('{"__proto__": {"x": 1}, "constructor": 2, "toString": "s"}')
    const json = JSON.parse(Json.render(sampleAnalysis(), { ...metadata, options }))
    expect(Object.entries(json.options)).toEqual([
      ["analysis", json.options.analysis],
      ["__proto__", { x: 1 }],
      ["constructor", 2],
      ["toString", "s"]
    ])
  })
})
