import type { Analysis } from "@albumsift/core"
import { assert, describe, it } from "@effect/vitest"
import * as Summary from "../src/Summary.js"

const summary: Analysis.Summary = {
  inputItems: 12,
  assets: 10,
  duplicateIds: 1,
  rejected: 1,
  shots: 8,
  groups: 2,
  groupsByKind: { exact: 1, near: 1 },
  groupsByEvidence: { checksum: 1, auto_stack_id: 1, capture_time: 0, stack: 0, immich_duplicate: 0 },
  recommendations: { keep: 2, discard: 3, review: 1 },
  reclaimableBytes: 12_345_678,
  timezoneAnomalies: 1,
  lowQuality: 2,
  coverage: { exif: 0.9, metrics: 0.8, thumbnails: 1 }
}

const analysis = {
  summary,
  rejected: [{ index: 3, id: "asset_x", reason: "checksum: Expected string,\nactual null" }]
} as unknown as Analysis.Analysis

describe("Summary", () => {
  it("formats bytes in decimal units", () => {
    assert.strictEqual(Summary.formatBytes(999), "999 B")
    assert.strictEqual(Summary.formatBytes(1500), "1.50 KB")
    assert.strictEqual(Summary.formatBytes(12_345_678), "12.3 MB")
    assert.strictEqual(Summary.formatBytes(2_000_000_000_000), "2.00 TB")
  })

  it("the text names counts, kinds, evidence, suggestions, reclaimable bytes and files", () => {
    const text = Summary.toText(analysis, {
      out: "out",
      files: ["/elsewhere/report.html", "/elsewhere/report.json"]
    })
    assert.include(text, "Read 12 items: 10 assets analysed, 1 rejected, 1 repeated id.")
    assert.include(text, "Groups: 2 (exact 1, near 1); evidence: checksum 1, auto_stack_id 1.")
    assert.include(text, "Suggested: 2 keep, 3 discard, 1 review. Reclaimable: 12.3 MB.")
    assert.include(text, "Wrote /elsewhere/report.html\n      /elsewhere/report.json")
    assert.notInclude(text, "capture_time")
  })

  it("the rejected note is one line and points at report.json only when it was written", () => {
    const withJson = Summary.rejectedNote(analysis, true) ?? ""
    assert.notInclude(withJson, "\n")
    assert.include(
      withJson,
      "1 input item rejected (first: item 3 asset_x: checksum: Expected string, actual null)"
    )
    assert.include(withJson, "report.json")
    assert.notInclude(Summary.rejectedNote(analysis, false) ?? "", "report.json")
    assert.isNull(Summary.rejectedNote({ ...analysis, summary: { ...summary, rejected: 0 } }, true))
  })

  it("the JSON form uses report.json's snake_case summary", () => {
    const json = Summary.toJson(analysis, { out: "o", files: [] }, { name: "albumsift", version: "1.2.3" })
    assert.strictEqual(json.summary.input_items, 12)
    assert.strictEqual(json.summary.reclaimable_bytes, 12_345_678)
    assert.deepStrictEqual(json.tool, { name: "albumsift", version: "1.2.3" })
  })

  it("notes say how the input was read and what was rejected, but not when nothing could be read", () => {
    const context = { input: "mine.json", readAs: "Immich assets", kept: null, jsonWritten: true }
    const notes = Summary.notes(analysis, context)
    assert.strictEqual(notes[0], "read mine.json as Immich assets")
    assert.include(notes[1], "1 input item rejected (first: item 3 asset_x")
    assert.isTrue(notes.every((n) => !n.startsWith("albumsift:") && !n.includes("\n")))
    const none = { ...analysis, summary: { ...summary, assets: 0, rejected: 12 } }
    assert.deepStrictEqual(Summary.notes(none, { ...context, readAs: undefined }), [])
    const empty = { ...analysis, summary: { ...summary, inputItems: 0, assets: 0, rejected: 0 } }
    assert.deepStrictEqual(Summary.notes(empty, { ...context, readAs: undefined }), [
      "the input holds no assets (an empty album); the report is empty"
    ])
  })

  it("names metric names the album does not have, and the ones it has", () => {
    const withMetrics = (names: ReadonlyArray<string>, options: Partial<Analysis.ResolvedOptions>) =>
      ({
        ...analysis,
        metrics: names.map((name) => ({ name })),
        options: {
          weights: { rating: 2, favorite: 1, metric: 1 },
          lowerIsBetter: [],
          lowQualityThresholds: {},
          ...options
        }
      }) as unknown as Analysis.Analysis
    assert.strictEqual(
      Summary.unknownMetrics(
        withMetrics(["liqe_mix", "clipiqa"], {
          weights: { rating: 2, liqe_mixx: 5 },
          lowerIsBetter: ["noise"]
        })
      ),
      "unknown metrics liqe_mixx, noise (changes nothing): the album's metrics are clipiqa, liqe_mix"
    )
    assert.isNull(Summary.unknownMetrics(withMetrics(["liqe_mix"], { weights: { rating: 3, liqe_mix: 2 } })))
    assert.strictEqual(
      Summary.unknownMetrics(withMetrics([], { lowQualityThresholds: { liqe_mix: 1.3 } })),
      "unknown metric liqe_mix (changes nothing): the album has no metrics"
    )
  })
})
