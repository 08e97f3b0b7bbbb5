import { describe, expect, it } from "vitest"
import { EVIDENCE } from "../../src/Analysis.js"
import * as Grouping from "../../src/engine/Grouping.js"
import * as Shots from "../../src/engine/Shots.js"
import * as Options from "../../src/Options.js"
import { analyze, groupOf, groupSets, load, raw, sha1, sha256, shot } from "../fixtures.js"

const at = (s: number, day = 1) => {
  const d = new Date(Date.UTC(2024, 4, day, 12, 0, 0) + s * 1000)
  return d.toISOString().slice(0, 23)
}

describe("Grouping", () => {
  it("runs one signal per evidence, in the registry's order", () => {
    expect(Grouping.SIGNALS.map((s) => s.evidence)).toEqual(EVIDENCE)
  })

  it("applies proposed links in one place, where a caller can veto them", () => {
    const { store, ids } = load([
      shot("a", at(0), { checksum: sha256("same") }),
      shot("b", at(1), { checksum: sha256("same") }),
      shot("c", at(2))
    ])
    const shots = Shots.build(store, ids)
    const all = Grouping.group(store, shots, Options.defaults)
    expect(all.groups.map((g) => [g.shots.length, g.evidence])).toEqual([[3, ["checksum", "capture_time"]]])
    const vetoed: Array<string> = []
    const noCopies = Grouping.group(store, shots, Options.defaults, (_x, _y, evidence) => {
      vetoed.push(evidence)
      return evidence !== "checksum"
    })
    expect(vetoed).toContain("checksum")
    expect(noCopies.groups.map((g) => [g.shots.length, g.evidence])).toEqual([[3, ["capture_time"]]])
    const onlyCopies = Grouping.group(store, shots, Options.defaults, (_x, _y, e) => e === "checksum")
    expect(onlyCopies.groups.map((g) => [g.shots.length, g.kind, g.evidence])).toEqual([
      [2, "exact", ["checksum"]]
    ])
  })

  it("groups identical checksums as an exact group with checksum evidence", () => {
    const a = analyze([raw("a", { checksum: sha256("x") }), raw("b", { checksum: sha256("x") }), raw("c")])
    expect(groupSets(a)).toEqual([["a", "b"]])
    expect(a.groups[0]).toMatchObject({ kind: "exact", evidence: ["checksum"], shotCount: 2 })
    expect(a.groups[0]!.id).toMatch(/^g-[0-9a-f]{14}$/)
  })

  it("a Live Photo re-uploaded whole (still and video) is an exact copy, not a near one", () => {
    const t = at(0)
    const a = analyze([
      raw("still", { checksum: sha256("still"), live_photo_video_id: "video" }),
      raw("video", { checksum: sha256("video"), mime_type: "video/quicktime" }),
      raw("still-2", {
        checksum: sha256("still"),
        live_photo_video_id: "video-2",
        created_at: "2024-07-01T08:00:00Z"
      }),
      raw("video-2", { checksum: sha256("video"), mime_type: "video/quicktime", local_datetime: `${t}Z` })
    ])
    expect(groupSets(a)).toEqual([["still", "still-2", "video", "video-2"]])
    expect(a.groups[0]).toMatchObject({ kind: "exact", evidence: ["checksum"], shotCount: 2 })
  })

  it("a Live Photo and a different edit of its still stay a near group", () => {
    const a = analyze([
      raw("still", { checksum: sha256("still"), live_photo_video_id: "video" }),
      raw("video", { checksum: sha256("video"), mime_type: "video/quicktime" }),
      raw("edit", { checksum: sha256("edit"), stack_id: "s" }),
      raw("still-copy", { checksum: sha256("still"), stack_id: "s" })
    ])
    expect(a.groups[0]).toMatchObject({ kind: "near", shotCount: 3 })
  })

  it("never matches checksums of different hash kinds, and a SHA-1 pair still matches", () => {
    const a = analyze([
      raw("a", { checksum: sha1("x") }),
      raw("b", { checksum: sha1("x") }),
      raw("c", { checksum: sha256("x") })
    ])
    expect(groupSets(a)).toEqual([["a", "b"]])
  })

  it("joins a burst with auto_stack_id from one camera, not the same id from another camera", () => {
    const a = analyze([
      shot("a", at(0), {}, { auto_stack_id: "B1" }),
      shot("b", at(30), {}, { auto_stack_id: "B1" }),
      shot("c", at(60), {}, { auto_stack_id: "B1", model: "EOS R6" })
    ])
    expect(groupSets(a)).toEqual([["a", "b"]])
    expect(groupOf(a, "a")).toMatchObject({ kind: "near", evidence: ["auto_stack_id"] })
  })

  it("joins a burst without auto_stack_id by capture time, and records every signal", () => {
    const a = analyze([
      shot("a", at(0), {}, { auto_stack_id: "B1" }),
      shot("b", at(0.4), {}, { auto_stack_id: "B1" }),
      shot("c", at(0.8)),
      shot("far", at(60))
    ])
    expect(groupSets(a)).toEqual([["a", "b", "c"]])
    expect(groupOf(a, "c")!.evidence).toEqual(["auto_stack_id", "capture_time"])
  })

  it("keeps two cameras in the same second apart, and the same time on different days apart", () => {
    const a = analyze([
      shot("canon", at(0)),
      shot("nikon", at(0), {}, { make: "NIKON", model: "Z 6" }),
      shot("other-phone", at(0), { device_id: "phone-2" }),
      shot("next-day", at(0, 2)),
      shot("next-week", at(0, 8))
    ])
    expect(a.groups).toEqual([])
  })

  it("never forms a burst from scans or screenshots imported in one go", () => {
    const scans = Array.from({ length: 30 }, (_, k) =>
      raw(`scan-${k}`, { local_datetime: `${at(k * 0.2)}Z` })
    )
    expect(analyze(scans).groups).toEqual([])
  })

  it("bounds a chain so one long shoot does not become one group", () => {
    const frames = Array.from({ length: 40 }, (_, k) => shot(`f${String(k).padStart(2, "0")}`, at(k)))
    const a = analyze(frames)
    expect(a.groups.length).toBe(4)
    for (const g of a.groups) {
      const span = Date.parse(`${g.timeSpan.to}Z`) - Date.parse(`${g.timeSpan.from}Z`)
      expect(span).toBeLessThanOrEqual(10_000)
    }
    expect(analyze(frames, { maxBurstSpanSeconds: 1000 }).groups.length).toBe(1)
    expect(analyze(frames, { burstGapSeconds: 0.5 }).groups.length).toBe(0)
  })

  it("compares true instants when every shot states its offset, wall clocks otherwise", () => {
    // Same instant written in two zones: one burst.
    const withOffsets = analyze([
      shot("a", "2024-05-01T12:00:00+02:00"),
      shot("b", "2024-05-01T11:00:01+01:00")
    ])
    expect(groupSets(withOffsets)).toEqual([["a", "b"]])
    // One naive time on that camera: compare walls, 59 minutes apart.
    const mixed = analyze([
      shot("a", "2024-05-01T12:00:00+02:00"),
      shot("b", "2024-05-01T11:00:01+01:00"),
      shot("c", "2024-05-01T09:00:00")
    ])
    expect(mixed.groups).toEqual([])
  })

  it("uses Immich stacks and duplicate groups as evidence", () => {
    const a = analyze([
      raw("a", { stack_id: "s1" }),
      raw("b", { stack_id: "s1" }),
      raw("c", { duplicate_id: "d1" }),
      raw("d", { duplicate_id: "d1" })
    ])
    expect(groupSets(a)).toEqual([
      ["a", "b"],
      ["c", "d"]
    ])
    expect(groupOf(a, "a")!.evidence).toEqual(["stack"])
    expect(groupOf(a, "c")!.evidence).toEqual(["immich_duplicate"])
  })

  it("flags copies of one checksum whose times differ by whole hours", () => {
    const a = analyze([
      shot("a", "2024-05-01T12:00:00", { checksum: sha256("same") }),
      raw("b", { checksum: sha256("same"), local_datetime: "2024-05-01T15:00:00Z" }),
      raw("c", { checksum: sha256("other"), local_datetime: "2024-05-01T15:00:00Z" })
    ])
    expect(a.timezoneAnomalies).toEqual([
      { assetIds: ["a", "b"], reason: "same checksum, capture time differs by 3h" }
    ])
    expect(a.summary.timezoneAnomalies).toBe(1)
    const flagged = a.assets.filter((x) => x.flags.includes("timezone_anomaly")).map((x) => x.id)
    expect(flagged.sort()).toEqual(["a", "b"])
  })

  it("finds a whole-hour shift between two copies even when a re-timed copy sorts first", () => {
    // "a0" has the lowest id and an upload time (a messaging-app copy); b and c are camera copies 3h apart.
    const a = analyze([
      raw("a0", { checksum: sha256("same"), exif: null, local_datetime: "2024-06-09T19:57:58.123Z" }),
      shot("b", "2024-05-01T12:00:00.500", { checksum: sha256("same") }),
      shot("c", "2024-05-01T15:00:00.500", { checksum: sha256("same") })
    ])
    expect(a.timezoneAnomalies).toEqual([
      { assetIds: ["a0", "b", "c"], reason: "same checksum, capture time differs by 3h" }
    ])
  })

  it("gives groups ids derived from content, not from input order", () => {
    const album = [raw("a", { checksum: sha256("x") }), raw("b", { checksum: sha256("x") })]
    expect(analyze(album).groups[0]!.id).toBe(analyze([album[1], album[0]]).groups[0]!.id)
    expect(analyze(album).groups[0]!.id).not.toBe(
      analyze([album[0], raw("c", { checksum: sha256("x") })]).groups[0]!.id
    )
  })
})
