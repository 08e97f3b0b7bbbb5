import { describe, expect, it } from "vitest"
import * as Merge from "../../src/apply/Merge.js"
import type { ReportAsset } from "../../src/apply/ReportFile.js"
import type { LiveAsset } from "../../src/target/Target.js"

const live = (id: string, o: Partial<LiveAsset> = {}): LiveAsset => ({
  id,
  checksum: "c",
  trashed: false,
  rating: null,
  favorite: false,
  description: null,
  latitude: null,
  longitude: null,
  stackId: null,
  stackPrimary: null,
  ...o
})
const report = (id: string, o: Partial<ReportAsset> = {}): ReportAsset => ({
  id,
  albums: [],
  file_name: null,
  checksum: "c",
  file_size: null,
  rating: null,
  favorite: false,
  has_gps: false,
  description: null,
  people: [],
  face_count: 0,
  taken_at: { wall: "2025-06-01T10:00:00.000" },
  ...o
})
const input = (
  keeper: LiveAsset,
  sources: ReadonlyArray<[LiveAsset, ReportAsset]>,
  o: Partial<Merge.MergeInput> = {}
) => ({
  keeper: {
    live: keeper,
    report: report(keeper.id, { rating: keeper.rating, has_gps: keeper.latitude !== null })
  },
  keeperAlbums: new Set<string>(),
  sources: sources.map(([l, r]) => ({ live: l, report: r })),
  hasFavorite: true,
  canClearGps: true,
  ...o
})

describe("Merge.plan", () => {
  it("gives the keeper what it lacks: albums, the highest rating, favourite, the longest description, the closest GPS", () => {
    const plan = Merge.plan(
      input(
        live("k"),
        [
          [
            live("a", { rating: 3, description: "short", latitude: 1, longitude: 2 }),
            report("a", { albums: ["B", "A"], taken_at: { wall: "2025-06-01T10:05:00.000" } })
          ],
          [
            live("b", {
              rating: 4,
              favorite: true,
              description: "the longer one",
              latitude: 3,
              longitude: 4
            }),
            report("b", { albums: ["C"], taken_at: { wall: "2025-06-01T10:00:01.000" } })
          ]
        ],
        { keeperAlbums: new Set(["A"]) }
      )
    )
    expect(plan.albums).toEqual(["B", "C"])
    expect(plan.set).toEqual({
      rating: 4,
      favorite: true,
      description: "the longer one",
      latitude: 3,
      longitude: 4
    })
    expect(plan.previous).toEqual({
      rating: null,
      favorite: false,
      description: null,
      latitude: null,
      longitude: null
    })
    expect(plan.gains).toEqual(["album B", "album C", "rating 4", "favourite", "description", "GPS"])
  })

  it("never spreads a rejected copy's −1, and never rates a keeper that is itself rejected", () => {
    expect(Merge.plan(input(live("k"), [[live("a", { rating: -1 }), report("a")]])).set).toEqual({})
    expect(
      Merge.plan(input(live("k", { rating: -1 }), [[live("a", { rating: 5 }), report("a")]])).set
    ).toEqual({})
  })

  it("never overwrites a value the keeper has, and notes one it gained since the report", () => {
    const keeper = live("k", { rating: 2, description: "mine" })
    const plan = Merge.plan({
      ...input(keeper, [[live("a", { rating: 5, description: "theirs, longer" }), report("a")]]),
      keeper: { live: keeper, report: report("k", { rating: null, description: "mine" }) }
    })
    expect(plan.set).toEqual({})
    expect(plan.notes).toEqual(["rating: the keeper has rating 2 since the report; left as is"])
  })

  it("does not merge GPS where undo could not clear it again, and says so", () => {
    const plan = Merge.plan(
      input(live("k"), [[live("a", { latitude: 1, longitude: 2 }), report("a")]], { canClearGps: false })
    )
    expect(plan.set).toEqual({})
    expect(plan.notes[0]).toContain("GPS not merged")
  })

  it("has no favourite field where the server has none (Gumnut: rating 5 is the favourite)", () => {
    const plan = Merge.plan(
      input(live("k"), [[live("a", { favorite: true }), report("a")]], { hasFavorite: false })
    )
    expect(Merge.isEmpty(plan)).toBe(true)
  })
})
