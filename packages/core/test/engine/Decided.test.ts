import { describe, expect, it } from "vitest"
import type { Decisions, GroupDecision } from "../../src/Decisions.js"
import { YOUR_CHOICE } from "../../src/engine/Ranking.js"
import * as Options from "../../src/Options.js"
import { analyze, groupOf, groupSets, memberOf, raw, sha256, shot, shuffle } from "../fixtures.js"

const t = (s: number) => new Date(Date.UTC(2024, 4, 1, 9, 0, 0) + s * 1000).toISOString().slice(0, 23)

// A burst of three (b2 scores best), a pair 1 s apart, and a lone shot.
const burst = [
  shot("b1", t(0), { metrics: { liqe_mix: 3.0 } }),
  shot("b2", t(0.5), { metrics: { liqe_mix: 4.5 } }),
  shot("b3", t(1), { metrics: { liqe_mix: 2.0 } })
]
const pair = [
  shot("p1", t(600), { metrics: { liqe_mix: 3.5 } }),
  shot("p2", t(601), { metrics: { liqe_mix: 3.4 } })
]
const lone = [shot("solo", t(1200)), shot("solo2", t(1800))]
const album = [...burst, ...pair, ...lone]

const decisions = (...groups: Array<GroupDecision>): Decisions => ({ schema_version: 1, groups })

describe("decisions in the analysis", () => {
  it("without decisions, every group is suggested and the summary has no decisions", () => {
    const a = analyze(album)
    expect(groupSets(a)).toEqual([
      ["b1", "b2", "b3"],
      ["p1", "p2"]
    ])
    expect(a.groups.map((g) => g.decidedBy)).toEqual(["suggested", "suggested"])
    expect(a.summary.decisions).toBeUndefined()
    expect(a.staleDecisions).toEqual([])
  })

  it("not duplicates: the members are not grouped together again", () => {
    const a = analyze(album, { decisions: decisions({ members: ["p2", "p1"], not_duplicates: true }) })
    expect(groupSets(a)).toEqual([["b1", "b2", "b3"]])
    expect(groupOf(a, "p1")).toBeUndefined()
    expect(a.summary.decisions).toEqual({ given: 1, applied: 1, settled: 0, stale: 0, decidedGroups: 0 })
  })

  it("not duplicates cuts only the links between the members: they still join other copies", () => {
    // b1 and b2 are not duplicates of each other, but b3 is a copy of b2.
    const a = analyze(album, { decisions: decisions({ members: ["b1", "b2"], not_duplicates: true }) })
    expect(groupSets(a)).toEqual([
      ["b2", "b3"],
      ["p1", "p2"]
    ])
    expect(groupOf(a, "b2")?.notes).toEqual([])
  })

  it("a new copy linking not-duplicates again is shown with a note, and they are not discarded", () => {
    // A frame shot between p1 and p2 links both (capture-time links join consecutive shots only).
    const between = shot("p-mid", t(600.5), { metrics: { liqe_mix: 4.9 } })
    const a = analyze([...album, between], {
      decisions: decisions({ members: ["p1", "p2"], not_duplicates: true })
    })
    const g = groupOf(a, "p1")!
    expect(g.members.map((m) => m.assetId).sort()).toEqual(["p-mid", "p1", "p2"])
    expect(g.notes).toEqual(["you marked 2 of these as not duplicates; a new copy joins them"])
    expect(g.decidedBy).toBe("suggested")
    expect(g.keeper).toBe("p-mid")
    for (const id of ["p1", "p2"]) {
      const m = memberOf(a, id)!
      expect(m.recommendation).toBe("review")
      expect(m.reasons).toContain("you marked it as not a duplicate of the others")
    }
  })

  it("a keep decision is honoured as the keeper, with the reason `your choice`", () => {
    const before = analyze(album)
    expect(groupOf(before, "b1")!.keeper).toBe("b2")
    const a = analyze(album, { decisions: decisions({ members: ["b3", "b1", "b2"], keep: ["b3"] }) })
    const g = groupOf(a, "b1")!
    expect(g.keeper).toBe("b3")
    expect(g.decidedBy).toBe("you")
    expect(g.notes).toEqual([])
    expect(g.members.map((m) => [m.assetId, m.rank, m.recommendation, m.reasons])).toEqual([
      ["b3", 1, "keep", [YOUR_CHOICE]],
      ["b2", 2, "discard", [YOUR_CHOICE]],
      ["b1", 3, "discard", [YOUR_CHOICE]]
    ])
    expect(groupOf(a, "p1")!.decidedBy).toBe("suggested")
    expect(a.summary.recommendations).toEqual({ keep: 2, discard: 3, review: 0 })
    expect(a.summary.decisions).toEqual({ given: 1, applied: 1, settled: 0, stale: 0, decidedGroups: 1 })
  })

  it("several keepers are allowed", () => {
    const a = analyze(album, { decisions: decisions({ members: ["b1", "b2", "b3"], keep: ["b1", "b3"] }) })
    expect(memberOf(a, "b1")!.recommendation).toBe("keep")
    expect(memberOf(a, "b3")!.recommendation).toBe("keep")
    expect(memberOf(a, "b2")!.recommendation).toBe("discard")
    expect(groupOf(a, "b1")!.keeper).toBe("b1") // the better-scored of the two kept
  })

  it("a member new since the decision is ranked as usual, and marked review when it beats the chosen keeper", () => {
    // The reviewer saw b1 and b3 and kept b1; b2 (the best) arrived since.
    const a = analyze(album, { decisions: decisions({ members: ["b1", "b3"], keep: ["b1"] }) })
    const g = groupOf(a, "b1")!
    expect(g.keeper).toBe("b1")
    expect(g.decidedBy).toBe("you")
    expect(g.notes).toEqual(["1 member is new since your decision"])
    const b2 = memberOf(a, "b2")!
    expect(b2.recommendation).toBe("review")
    expect(b2.reasons).toContain("new since your decision, and ranks above your choice")
    // A newcomer that does not beat the keeper is ranked as usual.
    const b = analyze(album, { decisions: decisions({ members: ["b1", "b2"], keep: ["b2"] }) })
    const b3 = memberOf(b, "b3")!
    expect(b3.recommendation).toBe("discard")
    expect(b3.reasons).toContain("new since your decision")
    expect(b3.reasons).not.toContain(YOUR_CHOICE)
  })

  it("not duplicates holds even for exact copies (same checksum)", () => {
    const copies = [raw("c1", { checksum: sha256("same") }), raw("c2", { checksum: sha256("same") })]
    expect(groupSets(analyze(copies))).toEqual([["c1", "c2"]])
    const a = analyze(copies, { decisions: decisions({ members: ["c1", "c2"], not_duplicates: true }) })
    expect(a.groups).toHaveLength(0)
  })

  // Hours apart, so capture time links none of them: only the shared key (checksum, burst id) does.
  const rejoined = (album: ReadonlyArray<ReturnType<typeof shot>>, evidence: string) => {
    const marked = decisions({ members: ["A", "B"], not_duplicates: true })
    expect(analyze(album.slice(0, 2), { decisions: marked }).groups).toHaveLength(0)
    // Whichever copy comes first in the input, the new one joins both marked members.
    for (const order of [0, 1, 2, 3, 4, 5].map((seed) => shuffle(album, seed))) {
      const a = analyze(order, { decisions: marked })
      expect(groupSets(a)).toEqual([["A", "B", "C"]])
      const g = groupOf(a, "A")!
      expect(g.evidence).toEqual([evidence])
      expect(g.notes).toEqual(["you marked 2 of these as not duplicates; a new copy joins them"])
      expect(g.decidedBy).toBe("suggested")
      // C scores best, so it is the keeper; the marked members are left for review, never discarded.
      expect(g.keeper).toBe("C")
      for (const id of ["A", "B"]) expect(memberOf(a, id)!.recommendation).toBe("review")
    }
  }

  it("a new exact copy of not-duplicates joins every one of them, with a note", () => {
    const copy = (id: string, s: number) =>
      shot(id, t(s), { checksum: sha256("same"), metrics: { liqe_mix: id === "C" ? 4.9 : 3 } })
    rejoined([copy("A", 0), copy("B", 10_000), copy("C", 20_000)], "checksum")
  })

  it("a new shot of the same burst id as not-duplicates joins every one of them, with a note", () => {
    const burst = (id: string, s: number) =>
      shot(id, t(s), { metrics: { liqe_mix: id === "C" ? 4.9 : 3 } }, { auto_stack_id: "B9" })
    rejoined([burst("A", 0), burst("B", 10_000), burst("C", 20_000)], "auto_stack_id")
  })

  it("companions follow their still: a decision listing only stills keeps and discards whole shots", () => {
    const live = [
      shot("live-1", t(3000), { mime_type: "image/heic" }, { live_photo_cid: "L1", rating: 5 }),
      shot("live-1-mov", t(3000), { mime_type: "video/quicktime" }, { live_photo_cid: "L1" }),
      shot("live-2", t(3001), { mime_type: "image/heic" }, { live_photo_cid: "L2", rating: 2 }),
      shot("live-2-mov", t(3001), { mime_type: "video/quicktime" }, { live_photo_cid: "L2" })
    ]
    const a = analyze(live, { decisions: decisions({ members: ["live-1", "live-2"], keep: ["live-2"] }) })
    const g = groupOf(a, "live-1")!
    expect(g.keeper).toBe("live-2")
    expect(g.notes).toEqual([])
    expect(g.members.map((m) => [m.assetId, m.recommendation])).toEqual([
      ["live-2", "keep"],
      ["live-2-mov", "keep"],
      ["live-1", "discard"],
      ["live-1-mov", "discard"]
    ])
  })

  it("accepting every suggestion (no review left) changes no group, keeper or recommendation", () => {
    const before = analyze(album)
    const accepted = decisions(
      ...before.groups.map((g) => ({
        members: g.members.map((m) => m.assetId),
        keep: g.members.filter((m) => m.recommendation === "keep").map((m) => m.assetId)
      }))
    )
    const after = analyze(album, { decisions: accepted })
    const view = (a: typeof before) =>
      a.groups.map((g) => [g.id, g.keeper, g.members.map((m) => [m.assetId, m.rank, m.recommendation])])
    expect(view(after)).toEqual(view(before))
    expect(after.groups.every((g) => g.decidedBy === "you")).toBe(true)
    expect(after.summary.recommendations).toEqual(before.summary.recommendations)
  })

  it("stale decisions are listed with a reason, never dropped; carried-out ones are settled", () => {
    const a = analyze(album, {
      decisions: decisions(
        { members: ["gone-1", "gone-2"], keep: ["gone-1"] },
        { members: ["b1", "p1"], keep: ["b1"] },
        { members: ["solo", "gone-3"], keep: ["solo"] },
        { members: ["b3", "solo-x"], not_duplicates: true },
        { members: ["p2", "gone-4"], keep: ["gone-4"] }
      )
    })
    expect(a.staleDecisions).toEqual([
      { members: ["gone-1", "gone-2"], keep: ["gone-1"], reason: "all members are gone" },
      { members: ["b1", "p1"], keep: ["b1"], reason: "its members are split across 2 groups" },
      { members: ["b3", "solo-x"], notDuplicates: true, reason: "only one member is left" },
      {
        members: ["p2", "gone-4"],
        keep: ["gone-4"],
        reason: "the members you kept are no longer in the group"
      }
    ])
    expect(a.summary.decisions).toEqual({ given: 5, applied: 0, settled: 1, stale: 4, decidedGroups: 0 })
    // Stale decisions change nothing.
    expect(groupSets(a)).toEqual(groupSets(analyze(album)))
    expect(a.groups.every((g) => g.decidedBy === "suggested")).toBe(true)
  })

  it("a discard decision on members that are no longer grouped is stale", () => {
    const a = analyze(album, { decisions: decisions({ members: ["solo", "solo2"], keep: ["solo"] }) })
    expect(a.staleDecisions).toEqual([
      { members: ["solo", "solo2"], keep: ["solo"], reason: "its members are no longer grouped" }
    ])
  })

  it("the result does not depend on input or decision order", () => {
    const d = [
      { members: ["b1", "b2", "b3"], keep: ["b3"] },
      { members: ["p1", "p2"], not_duplicates: true }
    ]
    const json = (raws: ReadonlyArray<unknown>, groups: Array<GroupDecision>) => {
      const a = analyze(raws, { decisions: decisions(...groups) })
      return JSON.stringify([a.groups, a.summary, a.staleDecisions])
    }
    const expected = json(album, d)
    expect(json(shuffle(album, 7), [d[1]!, d[0]!])).toBe(expected)
  })

  it("decisions given as a value get the file's checks", () => {
    expect(() => Options.resolve({ decisions: decisions({ members: ["a", "b"], keep: ["c"] }) })).toThrow(
      /decisions: groups\[0\]\.keep: keep id "c" is not in members/
    )
  })
})
