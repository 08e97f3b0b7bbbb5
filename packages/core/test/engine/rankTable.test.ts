import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { AssetTable } from "../../src/engine/internal/assetTable.js"
import { RankTable, RankTableBuilder } from "../../src/engine/internal/rankTable.js"

/** A ranking with one memberless group per id (enough to read the heads back). */
const rankingOf = (ids: ReadonlyArray<string>): RankTable => {
  const builder = new RankTableBuilder(2)
  for (const id of ids) {
    builder.head({ id, kind: "near", evidence: [], shotCount: 2, decidedBy: "suggested", notes: [] })
    builder.endGroup(0, 0, 0, 0)
  }
  const table = new AssetTable()
  table.seal()
  return builder.seal(table)
}

describe("RankTable group ids", () => {
  // Ids of the pipeline's form are kept as numbers, the rest as text: every one must come back exactly.
  const odd = [
    "g-0a1b2c3d4e5f60-asset_x",
    "g-0x00000000001f",
    "g-0A1B2C3D4E5F60",
    "g-ffffffffffffff",
    "g--0000000000001",
    "g- 000000000001f",
    "you-1",
    ""
  ]
  const pipelineForm = fc
    .bigInt({ min: 0n, max: 2n ** 53n - 1n })
    .map((n) => `g-${n.toString(16).padStart(14, "0")}`)

  it("reads back every id as added, here and after crossing to another thread", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(pipelineForm, fc.constantFrom(...odd), fc.string()), { maxLength: 30 }),
        (ids) => {
          const ranking = rankingOf(ids)
          const there = RankTable.revive(structuredClone(ranking))
          for (const r of [ranking, there]) {
            expect(r.length).toBe(ids.length)
            // Asked twice and out of order: the remembered last id must not leak into another group's.
            for (let g = ids.length - 1; g >= 0; g--) {
              expect(r.idOf(g)).toBe(ids[g])
              expect(r.idOf(g)).toBe(ids[g])
            }
            ids.forEach((id, g) => {
              expect(r.group(g).id).toBe(id)
            })
          }
        }
      ),
      { numRuns: 300 }
    )
  })
})
