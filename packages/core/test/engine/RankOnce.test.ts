/**
 * Rank once: the pipeline ranks each group exactly once, into a compact ranking, and reading the
 * result (as every report does, several times over) never ranks again. Counted on the demo album.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { afterEach, describe, expect, it, vi } from "vitest"
import type { GroupDraft } from "../../src/engine/Grouping.js"
import { AssetTable } from "../../src/engine/internal/assetTable.js"
import { RankTable } from "../../src/engine/internal/rankTable.js"
import * as Pipeline from "../../src/engine/Pipeline.js"
import * as Ranking from "../../src/engine/Ranking.js"

vi.mock("../../src/engine/Ranking.js", async (importOriginal) => {
  const original = await importOriginal<typeof Ranking>()
  return { ...original, rankGroup: vi.fn(original.rankGroup) }
})

const DEMO = fileURLToPath(new URL("../../../cli/sample/album.json", import.meta.url))

afterEach(() => vi.restoreAllMocks())

describe("rank once", () => {
  it("the demo album ranks each group exactly once, however often the result is read", () => {
    const rankGroup = vi.mocked(Ranking.rankGroup)
    rankGroup.mockClear()
    const views = vi.spyOn(AssetTable.prototype, "info")
    const values = JSON.parse(readFileSync(DEMO, "utf8")) as Array<unknown>
    const analysis = Pipeline.analyzeItems(values.map((value, index) => ({ value, index })))

    const groups = analysis.summary.groups
    expect(groups).toBeGreaterThan(10)
    const ranked = rankGroup.mock.calls.map(([, draft]) => (draft as GroupDraft).id)
    expect(ranked.length).toBe(groups)
    expect(new Set(ranked).size).toBe(groups)
    // Ranking reads the table's getters; no asset view is built before the result is read.
    expect(views).not.toHaveBeenCalled()

    // Read it the way the reports do: walk the groups several times, index them, serialise it all.
    for (let walk = 0; walk < 6; walk++)
      for (const g of analysis.groups) expect(g.members.length).toBeGreaterThan(1)
    for (let i = 0; i < analysis.groups.length; i++) expect(analysis.groups[i]!.keeper).toBeTypeOf("string")
    const text = JSON.stringify(analysis)
    expect(rankGroup).toHaveBeenCalledTimes(groups)

    // One walk over the assets builds each asset's row exactly once.
    views.mockClear()
    let rows = 0
    for (const asset of analysis.assets) rows += asset.id === "" ? 0 : 1
    expect(rows).toBe(analysis.summary.assets)
    expect(views).toHaveBeenCalledTimes(analysis.summary.assets)

    // Every read rebuilds the same groups from the compact ranking.
    expect(JSON.stringify(analysis)).toBe(text)
    expect(text.length).toBeGreaterThan(10_000)
  })

  it("outlines the groups (ids, keeper, member ids) from the ranking without building a group", () => {
    const values = JSON.parse(readFileSync(DEMO, "utf8")) as Array<unknown>
    const analysis = Pipeline.analyzeItems(values.map((value, index) => ({ value, index })))
    const built = vi.spyOn(RankTable.prototype, "group")
    const outlines = Array.from(Pipeline.groupOutlines(analysis))
    expect(built).not.toHaveBeenCalled()
    const expected = Array.from(analysis.groups, (g) => ({
      id: g.id,
      keeper: g.keeper,
      memberIds: g.members.map((m) => m.assetId)
    }))
    expect(expected.length).toBeGreaterThan(10)
    expect(outlines).toEqual(expected)
    // Any other analysis (a plain copy here) is outlined from its groups, alike.
    expect(Array.from(Pipeline.groupOutlines({ groups: Array.from(analysis.groups) }))).toEqual(expected)
  })

  it("places each group's members and keeper in the assets by position, without building a group", () => {
    const values = JSON.parse(readFileSync(DEMO, "utf8")) as Array<unknown>
    const analysis = Pipeline.analyzeItems(values.map((value, index) => ({ value, index })))
    const built = vi.spyOn(RankTable.prototype, "group")
    const placed = Pipeline.groupPositions(analysis)
    expect(built).not.toHaveBeenCalled()
    if (placed === undefined) throw new Error("a pipeline analysis has positions")
    const ids = Array.from(analysis.assets, (a) => a.id)
    const groups = Array.from(analysis.groups)
    expect(groups.length).toBeGreaterThan(10)
    expect(placed.start.length).toBe(groups.length + 1)
    groups.forEach((group, k) => {
      const members = Array.from(placed.members.subarray(placed.start[k], placed.start[k + 1]), (p) => ids[p])
      expect(members).toEqual(group.members.map((m) => m.assetId))
      expect(ids[placed.keeper[k]!]).toBe(group.keeper)
    })
    // Positions belong to these assets and groups: a copy of either has none (its members go by id).
    expect(Pipeline.groupPositions({ groups, assets: analysis.assets })).toBeUndefined()
    expect(
      Pipeline.groupPositions({ groups: analysis.groups, assets: ids.map((_, k) => analysis.assets[k]!) })
    ).toBeUndefined()
  })
})
