import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { type Analysis, Pipeline } from "@albumsift/core"
import { afterAll, describe, expect, it } from "vitest"
import { groupIndex, walkOrder } from "../src/internal/groupIndex.js"
import { interleave } from "../src/internal/interleave.js"
import { LazyRow, rowMaker } from "../src/internal/rowMaker.js"
import * as Renderer from "../src/Renderer.js"
import * as Writer from "../src/Writer.js"
import { metadata, sampleAnalysis } from "./fixtures.js"

const dir = mkdtempSync(join(tmpdir(), "albumsift-groupindex-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A generated album (1,500 items, a few hundred groups), analysed by the pipeline. */
const generated = (): Analysis.Analysis => {
  const file = join(dir, "album.json")
  const root = fileURLToPath(new URL("../../../", import.meta.url))
  execFileSync(process.execPath, [
    join(root, "scripts/generate-album.mjs"),
    "--count",
    "1500",
    "--seed",
    "3",
    "--out",
    file
  ])
  const values = JSON.parse(readFileSync(file, "utf8")) as Array<unknown>
  return Pipeline.analyzeItems(values.map((value, index) => ({ value, index })))
}

const byMap = (analysis: Analysis.Analysis) =>
  new Map(Pipeline.groupOutlines(analysis).map((outline, g) => [outline.id, g] as const))

describe("groupIndex", () => {
  const analysis = generated()
  const expected = byMap(analysis)

  it("has the groups in the order a walk of the assets meets them", () => {
    const met: Array<number> = []
    for (const a of analysis.assets) {
      const g = a.groupId === null ? undefined : expected.get(a.groupId)
      if (g !== undefined && met.at(-1) !== g) met.push(g)
    }
    expect(expected.size).toBeGreaterThan(50)
    expect([...walkOrder(Pipeline.groupPositions(analysis)!)!]).toEqual(met)
  })

  it("answers as a map of every id does, walking twice, then in any order", () => {
    const index = groupIndex(analysis)
    for (let walk = 0; walk < 2; walk++)
      for (const a of analysis.assets) {
        if (a.groupId !== null) expect(index.get(a.groupId)).toBe(expected.get(a.groupId))
      }
    const ids = [...expected.keys()].reverse()
    for (const id of ids) expect(index.get(id)).toBe(expected.get(id))
    expect(index.get("g-not-a-group")).toBeUndefined()
  })

  it("answers for an analysis the pipeline did not build", () => {
    const hand = sampleAnalysis()
    expect(Pipeline.groupPositions(hand)).toBeUndefined()
    const index = groupIndex(hand)
    expect(hand.groups.length).toBeGreaterThan(1)
    for (const [g, group] of [...hand.groups.entries()].reverse()) expect(index.get(group.id)).toBe(g)
    expect(index.get("g-not-a-group")).toBeUndefined()
  })
})

describe("the page of a pipeline-built analysis", () => {
  it("is the same text when it judges unshown assets from the columns as when it builds every asset", () => {
    const analysis = generated()
    expect(Pipeline.glance(analysis)).toBeDefined()
    // A copy of the assets: no glance, no positions, every asset built and read as given.
    const copy = { ...analysis, assets: [...analysis.assets] }
    expect(Pipeline.glance(copy)).toBeUndefined()
    const texts = (a: Analysis.Analysis) => {
      const context = Writer.context(a, { metadata })
      const out = Renderer.RENDERERS.map(() => [] as Array<string>)
      for (const [i, text] of interleave(
        Renderer.RENDERERS.map((r) => r.writer(context)),
        context
      ))
        out[i]!.push(text)
      return out.map((parts) => parts.join(""))
    }
    const [viaGlance, built] = [texts(analysis), texts(copy)]
    expect(analysis.summary.lowQuality).toBeGreaterThan(0)
    expect(analysis.timezoneAnomalies.length).toBeGreaterThan(0)
    for (let i = 0; i < built.length; i++) expect(viaGlance[i] === built[i]).toBe(true)
  })
})

describe("LazyRow", () => {
  it("builds its asset only when read, once, and reads as the plain row would", () => {
    const analysis = sampleAnalysis()
    let reads = 0
    const assets = {
      at: (k: number) => {
        reads++
        return analysis.assets.at(k)
      }
    } as unknown as ReadonlyArray<Analysis.AssetInfo>
    const groupOf = (id: string) => analysis.groups.find((g) => g.id === id)
    const lazy = rowMaker(groupOf)
    const plain = rowMaker(groupOf)
    const rows = analysis.assets.map((_, k) => new LazyRow(assets, k, lazy))
    expect(reads).toBe(0)
    rows.forEach((row, k) => {
      // The plain object rowMaker makes, as every row was before rows were lazy.
      const expected = plain(analysis.assets[k]!, k)
      expect(row.group).toBe(expected.group)
      expect(row.member).toBe(expected.member)
      expect(row.asset).toBe(row.asset)
      expect(JSON.stringify(row)).toBe(JSON.stringify(expected))
    })
    expect(reads).toBe(analysis.assets.length)
    expect(rows.filter((row) => row.member !== undefined).length).toBeGreaterThan(2)
  })
})
