import { describe, expect, it } from "@effect/vitest"
import * as Html from "../src/formats/Html.js"
import { interleave } from "../src/internal/interleave.js"
import * as Renderer from "../src/Renderer.js"
import * as Writer from "../src/Writer.js"
import { asset, member, metadata, sampleAnalysis } from "./fixtures.js"

/** The sample plus 3,000 more assets in 300 groups: enough text to cross many 64 KiB pieces. */
const largeAnalysis = () => {
  const base = sampleAnalysis()
  const groups = Array.from({ length: 300 }, (_, g) => {
    const ids = Array.from({ length: 10 }, (_, k) => `x${String(g).padStart(4, "0")}-${k}`)
    return {
      ...(base.groups[1] as (typeof base.groups)[number]),
      id: `g-x${String(g).padStart(4, "0")}`,
      members: ids.map((id, k) => member(id, { rank: k + 1, reasons: [`reason ${k}`] })),
      keeper: ids[0] as string
    }
  })
  const extra = groups.flatMap((group) =>
    group.members.map((m) => asset(m.assetId, { groupId: group.id, metrics: { liqe_mix: 3.25 } }))
  )
  return { ...base, groups: [...base.groups, ...groups], assets: [...extra, ...base.assets] }
}

describe("Renderer", () => {
  it("registers each format once, with its own file", () => {
    expect(Renderer.FORMATS).toEqual(["json", "csv", "html"])
    expect(Renderer.RENDERERS.map((r) => r.fileName)).toEqual(["report.json", "report.csv", "report.html"])
    expect(Renderer.isFormat("csv")).toBe(true)
    expect(Renderer.isFormat("pdf")).toBe(false)
    expect(Renderer.select(["html", "json", "html"]).map((r) => r.format)).toEqual(["json", "html"])
  })

  it("one walk feeding every writer gives each writer's text exactly as written alone", () => {
    for (const analysis of [sampleAnalysis(), largeAnalysis()]) {
      const context = Writer.context(analysis, { metadata, formats: Renderer.FORMATS })
      const together = Renderer.RENDERERS.map(() => [] as Array<string>)
      let pieces = 0
      for (const [i, text] of interleave(
        Renderer.RENDERERS.map((r) => r.writer(context)),
        context
      )) {
        together[i]?.push(text)
        pieces++
      }
      Renderer.RENDERERS.forEach((renderer, i) => {
        const alone = Array.from(Writer.pieces(renderer.writer, context)).join("")
        expect(together[i]?.join("")).toBe(alone)
        expect(alone.length).toBeGreaterThan(1000)
      })
      if (analysis.assets.length > 1000) expect(pieces).toBeGreaterThan(10)
    }
  })

  it("builds each asset's row once, with its group and member", () => {
    const rows = Array.from(Writer.rows(Writer.context(sampleAnalysis())))
    expect(rows.map((r) => r.asset.id)).toEqual(sampleAnalysis().assets.map((a) => a.id))
    const b3 = rows.find((r) => r.asset.id === "asset_b3")
    expect(b3?.group?.id).toBe("g-burst")
    expect(b3?.member?.recommendation).toBe("review")
    expect(rows.find((r) => r.asset.id === "asset_s1")?.group).toBeUndefined()
  })

  it("all three formats together walk the assets once (twice when the worst low-quality assets must be chosen)", () => {
    const walksOf = (analysis: ReturnType<typeof largeAnalysis>) => {
      let reads = 0
      const counted = {
        ...analysis,
        // Each element read is counted, as core's lazy view would build it on each read.
        assets: {
          *[Symbol.iterator]() {
            for (const a of analysis.assets) {
              reads++
              yield a
            }
          }
        } as unknown as typeof analysis.assets
      }
      const context = Writer.context(counted, { metadata })
      const text = Array.from(
        interleave(
          Renderer.RENDERERS.map((r) => r.writer(context)),
          context
        )
      )
      expect(text.length).toBeGreaterThan(3)
      return reads / analysis.assets.length
    }
    const analysis = largeAnalysis()
    expect(walksOf(analysis)).toBe(1)
    // More low-quality assets than the page embeds: the worst are chosen in a pass of their own.
    const many = {
      ...analysis,
      assets: analysis.assets.map((a, i) => (i % 2 === 0 ? { ...a, flags: ["low_quality" as const] } : a)),
      summary: { ...analysis.summary, lowQuality: Math.ceil(analysis.assets.length / 2) }
    }
    expect(many.summary.lowQuality).toBeGreaterThan(Html.LOW_QUALITY_LIMIT)
    expect(walksOf(many)).toBe(2)
  })
})
