import { describe, expect, it } from "@effect/vitest"
import * as Html from "../src/formats/Html.js"
import { interleave } from "../src/internal/interleave.js"
import * as Renderer from "../src/Renderer.js"
import * as Writer from "../src/Writer.js"
import { largeAnalysis, metadata, sampleAnalysis } from "./fixtures.js"

const htmlDataOf = (html: string) => {
  const data = Html.embeddedData(html)
  return { ...data, assets: Html.assetRows(data) }
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

  it("all three formats together read each asset once; the page reads again only the shown assets it held back", () => {
    const readsOf = (analysis: ReturnType<typeof largeAnalysis>) => {
      let walked = 0
      let read = 0
      const counted = {
        ...analysis,
        // Each element read is counted, as core's lazy view builds it on each read.
        assets: {
          length: analysis.assets.length,
          *[Symbol.iterator]() {
            for (const a of analysis.assets) {
              walked++
              yield a
            }
          },
          at: (i: number) => {
            read++
            return analysis.assets.at(i)
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
      const html = text
        .filter(([i]) => i === 2)
        .map(([, piece]) => piece)
        .join("")
      const shownIds = new Set<string>(htmlDataOf(html).assets.map((row) => row[0]))
      // The page writes each shown asset's row as the walk passes it, until the first low-quality asset
      // that it shows only if among the worst: from there on, the shown assets are read again at the end.
      const wanted = new Set([
        ...analysis.groups.flatMap((g) => g.members.map((m) => m.assetId)),
        ...analysis.timezoneAnomalies.flatMap((t) => t.assetIds)
      ])
      const heldFrom = analysis.assets.findIndex((a) => a.flags.includes("low_quality") && !wanted.has(a.id))
      const held = heldFrom < 0 ? [] : analysis.assets.slice(heldFrom).filter((a) => shownIds.has(a.id))
      // Whether written at once or held back, the rows are the shown assets in album order.
      const worst = analysis.assets
        .filter((a) => a.flags.includes("low_quality"))
        .sort(
          (a, b) => (a.score ?? Infinity) - (b.score ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
        )
        .slice(0, Html.LOW_QUALITY_LIMIT)
        .map((a) => a.id)
      const expected = analysis.assets.map((a) => a.id).filter((id) => wanted.has(id) || worst.includes(id))
      expect([...shownIds]).toEqual(expected)
      // Read by position as the rows are walked (not iterated), each once, and the held-back ones again.
      return {
        walks: (walked + read - held.length) / analysis.assets.length,
        read: read - analysis.assets.length,
        iterated: walked,
        shown: shownIds.size,
        held: held.length
      }
    }
    const analysis = largeAnalysis()
    const few = readsOf(analysis)
    expect(few.walks).toBe(1)
    expect(few.iterated).toBe(0)
    expect(few.read).toBe(few.held)
    expect(few.read).toBeLessThan(few.shown)
    expect(few.shown).toBeLessThan(analysis.assets.length)
    // More low-quality assets than the page embeds: still one walk, and the worst 500 are read again.
    const many = {
      ...analysis,
      assets: analysis.assets.map((a, i) => (i % 2 === 0 ? { ...a, flags: ["low_quality" as const] } : a)),
      summary: { ...analysis.summary, lowQuality: Math.ceil(analysis.assets.length / 2) }
    }
    expect(many.summary.lowQuality).toBeGreaterThan(Html.LOW_QUALITY_LIMIT)
    const chosen = readsOf(many)
    expect(chosen.walks).toBe(1)
    expect(chosen.iterated).toBe(0)
    expect(chosen.read).toBe(chosen.held)
    expect(chosen.held).toBeGreaterThan(0)
    // Ungrouped assets first: nearly every row is held back until the worst are known.
    const reversed = readsOf({ ...many, assets: [...many.assets].reverse() })
    expect(reversed.read).toBe(reversed.held)
    expect(reversed.held).toBeGreaterThan(Html.LOW_QUALITY_LIMIT)
  })
})
