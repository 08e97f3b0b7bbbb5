import { describe, expect, it } from "vitest"
import * as Plan from "../../src/apply/Plan.js"
import type { ReportFile } from "../../src/apply/ReportFile.js"
import type { LiveAsset } from "../../src/target/Target.js"

const asset = (id: string, albums: ReadonlyArray<string> = ["A"]) => ({
  id,
  albums,
  file_name: `${id}.jpg`,
  checksum: `sum-${id}`,
  file_size: 100,
  rating: null,
  favorite: false,
  has_gps: false,
  description: null,
  people: [],
  face_count: 0,
  taken_at: null
})
const member = (
  asset_id: string,
  recommendation: "keep" | "discard" | "review",
  o: Record<string, unknown> = {}
) => ({
  asset_id,
  shot_id: asset_id,
  rank: recommendation === "keep" ? 1 : 2,
  recommendation,
  reasons: [],
  would_lose: [],
  would_merge: [],
  ...o
})
// g1 exact: k1 keep, d1 discard (+ its Live Photo video v1), r1 review; g2 near: k2 keep, d2 discard.
const report: ReportFile = {
  schema_version: 1,
  sources: [],
  groups: [
    {
      id: "g1",
      kind: "exact",
      keeper: "k1",
      members: [
        member("k1", "keep"),
        member("d1", "discard"),
        member("v1", "discard", { shot_id: "d1" }),
        member("r1", "review", { reasons: ["too close to call"] })
      ]
    },
    {
      id: "g2",
      kind: "near",
      keeper: "k2",
      members: [member("k2", "keep"), member("d2", "discard", { would_merge: ["rating 4"] })]
    }
  ],
  assets: ["k1", "d1", "v1", "r1", "k2", "d2"].map((id) => asset(id))
}
const ids = (plan: Plan.Plan) => plan.groups.flatMap((g) => g.targets.map((t) => t.id))

describe("Plan.make", () => {
  it("trash: exact groups by default; discards with their companions; review and keep never", () => {
    const plan = Plan.make(report, { action: "trash" })
    expect(ids(plan)).toEqual(["d1", "v1"])
    expect(plan.outOfScope).toBe(1)
    expect(plan.skipped).toEqual([
      { group: "g1", ids: ["r1"], reason: "recommendation review (too close to call)" }
    ])
    expect(plan.merge).toBe(true)
  })

  it("without merging, a discard that would lose something mergeable stays", () => {
    const plan = Plan.make(report, { action: "remove-from-album", merge: false })
    expect(ids(plan)).toEqual(["d1", "v1"])
    expect(plan.skipped.map((s) => s.ids)).toContainEqual(["d2"])
  })

  it("stack: a group of more than 100 members is skipped with the reason (one request takes at most 100 ids)", () => {
    const big = Array.from({ length: 101 }, (_, i) => `b${i}`)
    const plan = Plan.make(
      {
        ...report,
        groups: [
          ...report.groups,
          {
            id: "g3",
            kind: "near",
            keeper: "b0",
            members: big.map((id, i) => member(id, i === 0 ? "keep" : "discard"))
          }
        ],
        assets: [...report.assets, ...big.map((id) => asset(id))]
      },
      { action: "stack" }
    )
    expect(plan.groups.map((g) => g.id)).toEqual(["g1", "g2"])
    expect(plan.skipped).toEqual([
      { group: "g3", ids: big, reason: "101 members: one stack request takes at most 100 ids" }
    ])
  })

  it("stack: every member of every group, whatever the recommendation", () => {
    const plan = Plan.make(report, { action: "stack" })
    expect(plan.groups.map((g) => [g.keeper.id, g.targets.map((t) => t.id)])).toEqual([
      ["k1", ["d1", "v1", "r1"]],
      ["k2", ["d2"]]
    ])
  })

  it("decisions: keep resolves review members and takes the group part whatever --groups says; not_duplicates leaves it alone", () => {
    const decided = Plan.make(report, {
      action: "trash",
      decide: (g) => (g.id === "g2" ? { members: [], keep: ["d2"] } : { members: [], keep: ["k1", "d1"] })
    })
    // g1: d1 kept (with its video), r1 resolved to go; g2: the decision keeps d2 and discards k2.
    expect(decided.groups.map((g) => [g.id, g.keeper.id, g.targets.map((t) => t.id)])).toEqual([
      ["g1", "k1", ["r1"]],
      ["g2", "d2", ["k2"]]
    ])
    const apart = Plan.make(report, {
      action: "stack",
      decide: () => ({ members: [], not_duplicates: true })
    })
    expect(apart.groups).toEqual([])
    expect(apart.skipped.map((s) => s.reason)).toEqual(["decided: not duplicates", "decided: not duplicates"])
    const none = Plan.make(report, { action: "trash", decide: () => ({ members: [], keep: [] }) })
    expect(none.groups).toEqual([])
  })

  it("decisions file: a group decided on other members is left alone, unless the report was made with them", () => {
    // The reviewer kept d2 when a third copy (x2, gone since) was in g2; g1 is decided as it is now.
    const decisions = [
      { members: ["k2", "d2", "x2"], keep: ["d2"] },
      { members: ["k1", "d1", "v1", "r1"], keep: ["k1"] },
      { members: ["elsewhere"], keep: ["elsewhere"] }
    ]
    const plan = Plan.make(report, { action: "trash", groups: "all", decisions })
    expect(ids(plan)).toEqual(["d1", "v1", "r1"])
    expect(plan.skipped.filter((s) => s.group === "g2").map((s) => s.ids)).toEqual([[]])
    expect(plan.decisionsFit).toEqual({ given: 3, matched: 1, unmatched: 1 })
    // Made with the decisions, the report's g2 already keeps d2: its recommendations hold.
    const remade: ReportFile = {
      ...report,
      groups: report.groups.map((g) =>
        g.id === "g2"
          ? {
              ...g,
              decided_by: "you",
              keeper: "d2",
              members: [member("d2", "keep"), member("k2", "discard")]
            }
          : g
      )
    }
    const again = Plan.make(remade, { action: "trash", groups: "all", decisions })
    expect(ids(again)).toEqual(["d1", "v1", "r1", "k2"])
    expect(again.decisionsFit).toEqual({ given: 3, matched: 2, unmatched: 1 })
    // A not-duplicates decision speaks of a group only when two of its members are in it.
    const apart = Plan.make(report, {
      action: "trash",
      groups: "all",
      decisions: [{ members: ["k2", "z"], not_duplicates: true }]
    })
    expect(ids(apart)).toEqual(["d1", "v1", "d2"])
  })

  it("decisions: an edited CSV's untouched group (it keeps what the report suggested) decides nothing", () => {
    const untouched = (g: { id: string }) =>
      g.id === "g2" ? { members: [], keep: ["k2"], fromCsv: true as const } : undefined
    // g2 (near): trash leaves it out, as without a decision; --groups all takes it.
    const accepted = Plan.make(report, { action: "trash", decide: untouched })
    expect(ids(accepted)).toEqual(["d1", "v1"])
    expect(accepted.outOfScope).toBe(1)
    expect(ids(Plan.make(report, { action: "trash", groups: "all", decide: untouched }))).toEqual([
      "d1",
      "v1",
      "d2"
    ])
    // In scope, the report's safeguards hold: without merging, d2 (it would lose its rating) stays.
    const noMerge = Plan.make(report, { action: "remove-from-album", merge: false, decide: untouched })
    expect(ids(noMerge)).toEqual(["d1", "v1"])
    // The same choice from a decisions file is the reviewer's: it takes part, and decides.
    const chosen = Plan.make(report, {
      action: "remove-from-album",
      merge: false,
      decide: (g) => (g.id === "g2" ? { members: [], keep: ["k2"] } : undefined)
    })
    expect(ids(chosen)).toEqual(["d1", "v1", "d2"])
    // A CSV edit that resolves a review member is a change: in scope whatever the kind.
    const resolved = Plan.make(
      { ...report, groups: report.groups.map((g) => ({ ...g, kind: "near" as const })) },
      {
        action: "trash",
        decide: (g) => (g.id === "g1" ? { members: [], keep: ["k1"], fromCsv: true as const } : undefined)
      }
    )
    expect(resolved.groups.map((g) => g.id)).toEqual(["g1"])
    expect(ids(resolved)).toEqual(["d1", "v1", "r1"])
  })
})

describe("Plan.make on an edited report", () => {
  it("never acts on a member another group keeps (overlapping groups)", () => {
    const overlapping: ReportFile = {
      ...report,
      groups: [
        ...report.groups,
        { id: "g3", kind: "exact", keeper: "d1", members: [member("d1", "keep"), member("k3", "discard")] },
        { id: "g4", kind: "exact", keeper: "k4", members: [member("k4", "keep"), member("k1", "discard")] }
      ],
      assets: [...report.assets, asset("k3"), asset("k4")]
    }
    const plan = Plan.make(overlapping, { action: "trash" })
    // d1 is g3's keeper, so neither it nor its Live Photo video v1 goes with g1.
    expect(ids(plan)).toEqual(["k3"])
    expect(plan.skipped).toContainEqual({ group: "g1", ids: ["d1", "v1"], reason: "kept in another group" })
    expect(plan.skipped).toContainEqual({ group: "g4", ids: ["k1"], reason: "kept in another group" })
  })
})

describe("Plan.make: stacks of an edited report", () => {
  it("a group sharing a photo with an earlier group's stack is skipped: a photo is in one stack, and a second would move it", () => {
    const sharing: ReportFile = {
      ...report,
      groups: [
        ...report.groups,
        { id: "g5", kind: "near", keeper: "k5", members: [member("k5", "keep"), member("d2", "discard")] },
        { id: "g6", kind: "near", keeper: "k2", members: [member("k2", "keep"), member("d6", "discard")] },
        { id: "g7", kind: "near", keeper: "k7", members: [member("k7", "keep"), member("d7", "discard")] }
      ],
      assets: [...report.assets, ...["k5", "d6", "k7", "d7"].map((id) => asset(id))]
    }
    const plan = Plan.make(sharing, { action: "stack", groups: "all" })
    expect(plan.groups.map((g) => g.id)).toEqual(["g1", "g2", "g7"])
    const reason = "shares a photo with another group's stack (a photo is in one stack at a time): review it"
    expect(plan.skipped).toContainEqual({ group: "g5", ids: ["d2"], reason })
    expect(plan.skipped).toContainEqual({ group: "g6", ids: ["d6"], reason })
  })
})

describe("Plan.check", () => {
  const live = (id: string, o: Partial<LiveAsset> = {}): LiveAsset => ({
    id,
    checksum: `sum-${id}`,
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
  const plan = Plan.make(report, { action: "trash", groups: "all" })

  it("skips what is gone or changed, with reasons; a gone keeper holds back its whole group", () => {
    const server = new Map([
      ["k1", live("k1")],
      ["d1", live("d1", { checksum: "other" })],
      ["v1", live("v1")],
      ["d2", live("d2")]
    ])
    const checked = Plan.check(plan, server)
    // v1 is d1's Live Photo video: with its still skipped it must not be trashed alone.
    expect(ids(checked)).toEqual([])
    expect(checked.skipped.slice(-3)).toEqual([
      { group: "g1", ids: ["d1"], reason: "changed since the report (checksum differs)" },
      { group: "g1", ids: ["v1"], reason: "its still d1 is skipped; a companion never goes alone" },
      {
        group: "g2",
        ids: ["d2"],
        reason: "the keeper k2 is gone or already in the trash; the whole group is left alone"
      }
    ])
  })

  it("a companion whose still is gone stays; a still whose companion is gone may go", () => {
    const stillGone = Plan.check(plan, new Map(["k1", "v1"].map((id) => [id, live(id)] as const)))
    expect(ids(stillGone)).toEqual([])
    const videoGone = Plan.check(plan, new Map(["k1", "d1"].map((id) => [id, live(id)] as const)))
    expect(ids(videoGone)).toEqual(["d1"])
  })

  it("leaves out what a journal already covers, without calling it skipped", () => {
    const server = new Map(["k1", "d1", "v1", "k2", "d2"].map((id) => [id, live(id)] as const))
    const checked = Plan.check(plan, server, { assets: new Set(["d1", "v1"]), groups: new Set() })
    expect(ids(checked)).toEqual(["d2"])
    expect(checked.skipped).toEqual(plan.skipped)
  })
})
