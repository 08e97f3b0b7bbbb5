import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import * as Json from "../../src/formats/Json.js"
import * as Metadata from "../../src/Metadata.js"
import { asset, metadata, sampleAnalysis } from "../fixtures.js"

describe("Json", () => {
  it("has the documented top-level shape, in order", () => {
    const doc = JSON.parse(Json.render(sampleAnalysis(), metadata))
    expect(Object.keys(doc)).toEqual([
      "schema_version",
      "generated_at",
      "tool",
      "sources",
      "options",
      "summary",
      "groups",
      "assets",
      "metrics",
      "timezone_anomalies",
      "stale_decisions",
      "rejected"
    ])
    expect(doc.schema_version).toBe(1)
    expect(doc.generated_at).toBe("2023-11-14T22:13:20.000Z")
    expect(doc.tool).toEqual({ name: "albumsift", version: "0.1.0" })
    expect(doc.sources).toEqual([{ kind: "file", path: "album.json" }])
    expect(doc.options.analysis).toEqual({
      burst_gap_seconds: 2,
      can_merge_gps: true,
      max_burst_span_seconds: 60,
      weights: { metric: 1, rating: 2 },
      lower_is_better: [],
      review_margin: 0.05,
      low_quality_percentile: 0.1,
      low_quality_thresholds: { liqe_mix: 1.375 },
      histogram_bins: 10
    })
    expect(doc.summary.groups_by_evidence).toEqual({
      checksum: 1,
      auto_stack_id: 1,
      capture_time: 1,
      stack: 0,
      immich_duplicate: 0
    })
  })

  it("records the caller's run options after the analysis' own, which they cannot replace", () => {
    const doc = JSON.parse(
      Json.render(sampleAnalysis(), { ...metadata, options: { strict: true, analysis: "x" } })
    )
    expect(Object.keys(doc.options)).toEqual(["analysis", "strict"])
    expect(doc.options.analysis.review_margin).toBe(0.05)
  })

  it("writes groups, members, assets with quality flags, metrics and rejected entries", () => {
    const doc = JSON.parse(Json.render(sampleAnalysis(), metadata))
    const burst = doc.groups.find((g: { id: string }) => g.id === "g-burst")
    expect(burst).toMatchObject({ kind: "near", evidence: ["auto_stack_id", "capture_time"], shot_count: 3 })
    expect(burst.members[1]).toEqual({
      asset_id: "asset_b3",
      shot_id: "shot-asset_b3",
      rank: 2,
      score: 0.88,
      margin: 0.03,
      recommendation: "review",
      reasons: ["within review margin 0.05", "has people the keeper lacks: Ben"],
      would_lose: ["people: Ben"],
      would_merge: []
    })
    const e2 = doc.assets.find((a: { id: string }) => a.id === "asset_e2")
    expect(e2.quality_flags).toEqual(["missing_exif", "timezone_anomaly"])
    expect(e2.taken_at).toEqual({
      raw: "2024-02-25T09:57:27",
      wall: "2024-02-25T09:57:27.000",
      offset_minutes: null
    })
    expect(e2.thumbnail_file).toBeNull()
    expect(doc.metrics.map((m: { name: string }) => m.name)).toEqual(["liqe_mix", "sharpness"])
    expect(doc.rejected).toEqual([
      { index: 3, reason: "checksum: expected string, got null" },
      { index: 8, id: "asset_bad", album: "album_1", reason: "local_datetime: not a date" }
    ])
    expect(doc.timezone_anomalies).toEqual([
      { asset_ids: ["asset_e1", "asset_e2"], reason: "same checksum, local_datetime differs by 3h" }
    ])
  })

  it("round-trips hostile strings exactly", () => {
    const nasty = '</script><script>alert(1)</script>\u2028\u2029"\\\u0000😀'
    const analysis = { ...sampleAnalysis(), assets: [asset(nasty, { fileName: nasty, description: nasty })] }
    const doc = JSON.parse(Json.render(analysis, metadata))
    expect(doc.assets[0].id).toBe(nasty)
    expect(doc.assets[0].description).toBe(nasty)
  })

  it("is byte-identical for identical input, whatever the key order of free-form records", () => {
    const a = sampleAnalysis()
    const b = {
      ...sampleAnalysis(),
      options: { ...a.options, weights: { metric: 1, rating: 2 } },
      assets: a.assets.map((x) => ({
        ...x,
        metrics: Object.fromEntries(Object.entries(x.metrics).reverse())
      }))
    }
    const m1 = { ...metadata, options: { run: { b: 1, a: [1, { y: 2, x: 1 }] } } }
    const m2 = { ...metadata, options: { run: { a: [1, { x: 1, y: 2 }], b: 1 } } }
    expect(Json.render(b, m2)).toBe(Json.render(a, m1))
  })

  it("streams in pieces that join to the whole document", () => {
    const many = Array.from({ length: 3000 }, (_, i) => asset(`a${i}`, { description: "x".repeat(40) }))
    const analysis = { ...sampleAnalysis(), assets: many }
    const pieces = Array.from(Json.chunks(analysis, metadata))
    expect(pieces.length).toBeGreaterThan(2)
    expect(JSON.parse(pieces.join("")).assets).toHaveLength(3000)
  })

  it.effect("takes generated_at from SOURCE_DATE_EPOCH, so runs at different times agree", () =>
    Effect.gen(function* () {
      const env = { SOURCE_DATE_EPOCH: "1700000000" }
      const first = yield* Metadata.make({ sources: [{ kind: "stdin" }], env })
      yield* TestClock.adjust("3 hours")
      const second = yield* Metadata.make({ sources: [{ kind: "stdin" }], env })
      expect(first.generatedAt).toBe("2023-11-14T22:13:20.000Z")
      expect(Json.render(sampleAnalysis(), second)).toBe(Json.render(sampleAnalysis(), first))
      const now = yield* Metadata.make({ sources: [], env: {} })
      expect(now.generatedAt).toBe(new Date(3 * 3600 * 1000).toISOString())
    })
  )
})
