import type { Analysis } from "@albumsift/core"
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Csv from "../../src/formats/Csv.js"
import { asset, parseCsv as parse, sampleAnalysis } from "../fixtures.js"

const table = (text: string) => {
  const [header, ...rows] = parse(text)
  return rows.map((row) => Object.fromEntries((header ?? []).map((name, i) => [name, row[i]])))
}

describe("Csv", () => {
  it("starts with the required columns, then sorted metric columns", () => {
    const [header] = parse(Csv.render(sampleAnalysis()))
    expect(header).toEqual([
      "asset_id",
      "group_id",
      "group_kind",
      "group_size",
      "rank",
      "recommendation",
      "score",
      "evidence",
      "original_file_name",
      "local_datetime",
      "checksum",
      "auto_stack_id",
      "rating",
      "quality_flags",
      "reasons",
      "decided_by",
      "metric:liqe_mix",
      "metric:sharpness"
    ])
  })

  it("writes one row per asset in analysis order, with group fields empty for ungrouped assets", () => {
    const analysis = sampleAnalysis()
    const rows = table(Csv.render(analysis))
    expect(rows.map((r) => r.asset_id)).toEqual(analysis.assets.map((a) => a.id))
    const b3 = rows.find((r) => r.asset_id === "asset_b3")
    expect(b3).toMatchObject({
      group_id: "g-burst",
      group_kind: "near",
      group_size: "3",
      rank: "2",
      recommendation: "review",
      score: "0.88",
      evidence: "auto_stack_id+capture_time",
      reasons: "within review margin 0.05;has people the keeper lacks: Ben",
      "metric:liqe_mix": "3.9",
      "metric:sharpness": "0.85",
      rating: "5"
    })
    const single = rows.find((r) => r.asset_id === "asset_s2")
    expect(single).toMatchObject({
      group_id: "",
      group_kind: "",
      group_size: "",
      rank: "",
      recommendation: "",
      evidence: "",
      score: "",
      quality_flags: "missing_metrics",
      "metric:liqe_mix": ""
    })
    expect(rows.find((r) => r.asset_id === "asset_e2")?.quality_flags).toBe("missing_exif;timezone_anomaly")
  })

  it("quotes commas, quotes and newlines per RFC 4180 with CRLF records", () => {
    const analysis = sampleAnalysis()
    const text = Csv.render(analysis)
    expect(text.endsWith("\r\n")).toBe(true)
    expect(text).toContain('"scan, 1.png"')
    const rows = table(text)
    expect(rows.find((r) => r.asset_id === "asset_s2")?.original_file_name).toBe("scan, 1.png")
    const withNewline = { ...analysis, assets: [asset("x", { fileName: 'a "b"\nc' })], groups: [] }
    expect(table(Csv.render(withNewline))[0]?.original_file_name).toBe('a "b"\nc')
  })

  it("guards text cells against formula injection but leaves numbers alone", () => {
    const rows = table(Csv.render(sampleAnalysis()))
    expect(rows.find((r) => r.asset_id === "asset_e2")?.original_file_name).toBe(
      '\'=HYPERLINK("http://evil")'
    )
    const s1 = rows.find((r) => r.asset_id === "asset_s1")
    expect(s1?.original_file_name).toBe("'-cmd|' /C calc'!A0.jpg")
    expect(s1?.rating).toBe("-1")
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) {
      const analysis = {
        ...sampleAnalysis(),
        assets: [asset(`${start}id`, { fileName: `${start}1+1` })],
        groups: []
      }
      const [row] = table(Csv.render(analysis))
      expect(row?.asset_id).toBe(`'${start}id`)
      expect(row?.original_file_name).toBe(`'${start}1+1`)
    }
    const base = sampleAnalysis()
    const delta = { ...(base.metrics[0] as Analysis.MetricStats), name: "delta" }
    const negative = {
      ...base,
      assets: [asset("n", { metrics: { delta: -2.5 } })],
      groups: [],
      metrics: [delta]
    }
    expect(table(Csv.render(negative))[0]?.["metric:delta"]).toBe("-2.5")
  })

  it("keeps ;-joined lists splittable when an item contains ;", () => {
    const base = sampleAnalysis()
    const groups = base.groups.map((g) => ({
      ...g,
      members: g.members.map((m) => ({ ...m, reasons: ["would lose people: Ruth; faces", "rating 2 vs 5"] }))
    }))
    const [row] = table(Csv.render({ ...base, groups }))
    expect(row?.reasons?.split(";")).toEqual(["would lose people: Ruth, faces", "rating 2 vs 5"])
  })

  it("rounds scores to 4 decimals and leaves unknown scores empty", () => {
    const analysis = {
      ...sampleAnalysis(),
      assets: [asset("x", { score: 0.8155339805825242 }), asset("y", { score: null })],
      groups: []
    }
    const rows = table(Csv.render(analysis))
    expect(rows.map((r) => r.score)).toEqual(["0.8155", ""])
  })

  it("adds a UTF-8 BOM only when asked", () => {
    expect(Csv.render(sampleAnalysis()).startsWith("asset_id,")).toBe(true)
    expect(Csv.render(sampleAnalysis(), { bom: true }).startsWith("\uFEFFasset_id,")).toBe(true)
  })

  it("renders lazily in pieces that join to the whole", () => {
    const many = Array.from({ length: 2500 }, (_, i) => asset(`a${String(i).padStart(5, "0")}`))
    const analysis = { ...sampleAnalysis(), assets: many, groups: [] }
    const pieces = Array.from(Csv.chunks(analysis))
    expect(pieces.length).toBeGreaterThan(2)
    expect(pieces.join("")).toBe(Csv.render(analysis))
    expect(table(pieces.join(""))).toHaveLength(2500)
  })

  it("writes each row exactly as csv-stringify does, plain or not", () => {
    // Text from the characters quoting and the formula guard care about, and a few ordinary ones.
    const special = fc.constantFrom(
      ..."\",\r\n\t=+-@'; aé\uff1d\uff0b\uff0d\uff20\ud83d\ude00\ud800".split("")
    )
    const text = fc.oneof(
      fc.string(),
      fc.array(special, { maxLength: 6 }).map((cs) => cs.join(""))
    )
    const number = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.constantFrom(0, -0, -1, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)
    )
    const cell = fc.oneof(text, number, fc.constant(null))
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 8 }), (row) => {
        expect(Csv.stringifyRow(row)).toBe(Csv.stringifyRows([row]))
      }),
      { numRuns: 2000 }
    )
  })
})
