import { it as effectIt } from "@effect/vitest"
import { Chunk, Effect, Either, Stream } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Analysis } from "../../src/Analysis.js"
import * as Pipeline from "../../src/engine/Pipeline.js"
import { analyze, groupOf, groupSets, memberOf, raw, sha256, shot, shuffle } from "../fixtures.js"

describe("Pipeline: a hand-made tricky album", () => {
  const t = (s: number, day = 1) =>
    new Date(Date.UTC(2024, 4, day, 9, 0, 0) + s * 1000).toISOString().slice(0, 23)
  const album = [
    // A burst with auto_stack_id, the best frame rated.
    shot("burst-a1", t(0), { metrics: { liqe_mix: 3.1 } }, { auto_stack_id: "AS1" }),
    shot("burst-a2", t(0.2), { metrics: { liqe_mix: 4.6 } }, { auto_stack_id: "AS1", rating: 5 }),
    shot("burst-a3", t(0.4), { metrics: { liqe_mix: 2.2 } }, { auto_stack_id: "AS1" }),
    // A burst without auto_stack_id, 10 minutes later.
    shot("burst-b1", t(600), { metrics: { liqe_mix: 3.9 } }),
    shot("burst-b2", t(601), { metrics: { liqe_mix: 1.4 } }),
    // A re-upload of burst-a2 with EXIF stripped: same bytes, file time only.
    raw("reupload-a2", { checksum: sha256("burst-a2"), local_datetime: "2024-07-01T18:00:00Z" }),
    // A Live Photo burst: two stills with their videos, 1 s apart.
    shot("live-1", t(1200), { mime_type: "image/heic" }, { live_photo_cid: "L1", rating: 4 }),
    shot("live-1-mov", t(1200), { mime_type: "video/quicktime" }, { live_photo_cid: "L1" }),
    shot("live-2", t(1201), { mime_type: "image/heic" }, { live_photo_cid: "L2", rating: 2 }),
    shot("live-2-mov", t(1201), { mime_type: "video/quicktime" }, { live_photo_cid: "L2" }),
    // A RAW+JPEG burst.
    shot(
      "raw-1",
      t(1800),
      { mime_type: "image/x-canon-cr3", original_file_name: "IMG_0001.CR3" },
      { rating: 3 }
    ),
    shot("jpg-1", t(1800), { original_file_name: "IMG_0001.JPG" }, { rating: 3 }),
    shot(
      "raw-2",
      t(1801),
      { mime_type: "image/x-canon-cr3", original_file_name: "IMG_0002.CR3" },
      { rating: 5 }
    ),
    shot("jpg-2", t(1801), { original_file_name: "IMG_0002.JPG" }),
    // Two cameras in the same second; the same time on another day.
    shot("cam-x", t(2400), {}, { make: "FUJIFILM", model: "X-T5" }),
    shot("cam-y", t(2400), {}, { make: "SONY", model: "ILCE-7M4" }),
    shot("other-day", t(2400, 2), {}, { make: "FUJIFILM", model: "X-T5" }),
    // Scans imported in one go.
    ...Array.from({ length: 5 }, (_, k) => raw(`scan-${k}`, { local_datetime: `${t(3000 + k * 0.1)}Z` })),
    // Null exif and metrics; ratings -1, 0, null.
    raw("nulls", { exif: null, metrics: null }),
    shot("rated-minus-1", t(4000), { metrics: { liqe_mix: 4.9 } }, { rating: -1 }),
    shot("rated-0", t(4001), { metrics: { liqe_mix: 1.5 } }, { rating: 0 }),
    shot("rated-null", t(4002), { metrics: { liqe_mix: 1.6 } }, { rating: null })
  ]
  const a = analyze(album)

  it("finds exactly the intended groups", () => {
    expect(groupSets(a)).toEqual([
      ["burst-a1", "burst-a2", "burst-a3", "reupload-a2"],
      ["burst-b1", "burst-b2"],
      ["jpg-1", "jpg-2", "raw-1", "raw-2"],
      ["live-1", "live-1-mov", "live-2", "live-2-mov"],
      ["rated-0", "rated-minus-1", "rated-null"]
    ])
    expect(a.summary).toMatchObject({
      inputItems: album.length,
      assets: album.length,
      rejected: 0,
      groups: 5
    })
    expect(a.summary.shots).toBe(album.length - 4)
  })

  it("records evidence and kinds", () => {
    expect(groupOf(a, "burst-a1")).toMatchObject({
      kind: "near",
      evidence: ["checksum", "auto_stack_id", "capture_time"],
      shotCount: 4
    })
    expect(groupOf(a, "burst-b1")!.evidence).toEqual(["capture_time"])
    expect(a.summary.groupsByEvidence.capture_time).toBe(5)
  })

  it("keeps the rated frame and discards its exif-stripped re-upload as an exact copy", () => {
    expect(groupOf(a, "burst-a1")!.keeper).toBe("burst-a2")
    expect(memberOf(a, "reupload-a2")).toMatchObject({
      recommendation: "discard",
      reasons: ["exact copy of the keeper (same checksum)"]
    })
  })

  it("treats companions as one shot: the RAW+JPEG keeper is the better pair", () => {
    const g = groupOf(a, "raw-1")!
    expect(g.keeper).toBe("jpg-2")
    expect(memberOf(a, "raw-2")).toMatchObject({ rank: 1, recommendation: "keep", shotId: "jpg-2" })
    expect(memberOf(a, "jpg-1")!.recommendation).toBe(memberOf(a, "raw-1")!.recommendation)
    expect(groupOf(a, "live-1")!.keeper).toBe("live-1")
  })

  it("never keeps the rejected frame even with the best metric", () => {
    const g = groupOf(a, "rated-minus-1")!
    expect(g.keeper).not.toBe("rated-minus-1")
    expect(a.assets.find((x) => x.id === "rated-minus-1")!.flags).toContain("rejected_rating")
  })

  it("orders assets: grouped first by group id and rank, then the rest by id", () => {
    const ids = a.assets.map((x) => x.id)
    const grouped = a.assets.filter((x) => x.groupId !== null)
    expect(ids.slice(grouped.length)).toEqual(ids.slice(grouped.length).slice().sort())
    expect(grouped.map((x) => x.groupId)).toEqual(
      grouped
        .map((x) => x.groupId)
        .slice()
        .sort()
    )
    expect(JSON.parse(JSON.stringify(a)).assets).toHaveLength(album.length)
  })
})

describe("Pipeline: input handling", () => {
  it("analyses a repeated id once, merging its albums", () => {
    const a = Pipeline.analyzeItems([
      { value: raw("x"), index: 0, album: "album_b" },
      { value: raw("x"), index: 0, album: "album_a" },
      { value: raw("x"), index: 1, album: "album_a" },
      { value: raw("y", { checksum: sha256("x") }), index: 2, album: "album_a" }
    ])
    expect(a.summary).toMatchObject({ inputItems: 4, assets: 2, duplicateIds: 2, groups: 1 })
    expect(a.assets.find((x) => x.id === "x")!.albums).toEqual(["album_a", "album_b"])
    expect(groupSets(a)).toEqual([["x", "y"]])
  })

  it("rejects bad items and still analyses the rest", () => {
    const a = analyze([raw("ok-1"), { ...raw("bad"), checksum: 12 }, "junk", raw("ok-2")])
    expect(a.summary).toMatchObject({ inputItems: 4, assets: 2, rejected: 2 })
    expect(a.rejected).toEqual([
      { index: 1, id: "bad", reason: "checksum: Expected string, actual 12" },
      { index: 2, reason: "expected an asset object, got string" }
    ])
  })

  effectIt.effect("analyze folds a Stream of source items", () =>
    Effect.gen(function* () {
      const items = Stream.fromIterable([
        raw("a", { checksum: sha256("k") }),
        raw("b", { checksum: sha256("k") })
      ]).pipe(
        Stream.zipWithIndex,
        Stream.map(([value, index]) => ({ value, index }))
      )
      const a = yield* Pipeline.analyze(items)
      expect(groupSets(a)).toEqual([["a", "b"]])
      const values = yield* Pipeline.analyzeValues(Stream.fromChunk(Chunk.make(raw("c"), 5)))
      expect(values.rejected).toEqual([{ index: 1, reason: "expected an asset object, got number" }])
    })
  )

  effectIt.effect("fails with the stream's own error, and with InvalidOptions", () =>
    Effect.gen(function* () {
      const failing = Stream.concat(Stream.make(raw("a")), Stream.fail("disk on fire" as const))
      expect(yield* Effect.either(Pipeline.analyzeValues(failing))).toEqual(Either.left("disk on fire"))
      const bad = yield* Effect.flip(Pipeline.analyzeValues(Stream.empty, { histogramBins: -2 }))
      expect(bad._tag).toBe("InvalidOptions")
    })
  )
})

// ---- property tests -------------------------------------------------------------------------

const arbAsset = (k: number) =>
  fc
    .record({
      checksum: fc.integer({ min: 0, max: 6 }),
      camera: fc.constantFrom(null, "Canon|R5", "Apple|iPhone 15", "Canon|R6"),
      device: fc.constantFrom("phone-1", "phone-2"),
      second: fc.integer({ min: 0, max: 40 }),
      day: fc.integer({ min: 1, max: 2 }),
      offset: fc.constantFrom("", "Z", "+02:00"),
      kind: fc.constantFrom("jpeg", "jpeg", "heic", "raw", "video"),
      name: fc.integer({ min: 0, max: 4 }),
      cid: fc.constantFrom(null, "L1", "L2"),
      autoStack: fc.constantFrom(null, "S1", "S2"),
      rating: fc.constantFrom(null, -1, 0, 1, 3, 5),
      metric: fc.option(fc.double({ min: 0, max: 5, noNaN: true })),
      stack: fc.constantFrom(null, null, "st-1"),
      liveLink: fc.option(fc.integer({ min: 0, max: 30 }))
    })
    .map((r) => {
      const id = `asset_${String(k).padStart(3, "0")}`
      const time = `2024-05-0${r.day}T10:00:${String(r.second).padStart(2, "0")}${r.offset}`
      const mime = {
        jpeg: "image/jpeg",
        heic: "image/heic",
        raw: "image/x-sony-arw",
        video: "video/quicktime"
      }[r.kind]
      const ext = { jpeg: "JPG", heic: "HEIC", raw: "ARW", video: "MOV" }[r.kind]
      const [make, model] = r.camera === null ? [null, null] : r.camera.split("|")
      return raw(id, {
        checksum: sha256(r.checksum),
        device_id: r.device,
        mime_type: mime,
        original_file_name: `DSC_${r.name}.${ext}`,
        local_datetime: time,
        exif:
          r.camera === null && r.cid === null
            ? null
            : {
                make,
                model,
                original_datetime: time,
                live_photo_cid: r.cid,
                auto_stack_id: r.autoStack,
                rating: r.rating
              },
        metrics: r.metric === null ? null : { liqe_mix: r.metric },
        stack_id: r.stack,
        live_photo_video_id: r.liveLink === null ? null : `asset_${String(r.liveLink).padStart(3, "0")}`
      })
    })

const arbAlbum = fc
  .integer({ min: 0, max: 30 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, k) => arbAsset(k))))
  .map((xs) => xs as Array<ReturnType<typeof raw>>)

/** The part of an analysis that must not depend on input order. */
const canonical = (a: Analysis) => ({
  groups: a.groups.map((g) => ({
    id: g.id,
    kind: g.kind,
    evidence: g.evidence,
    keeper: g.keeper,
    members: g.members.map((m) => [
      m.assetId,
      m.shotId,
      m.rank,
      m.recommendation,
      m.score,
      m.reasons,
      m.wouldLose
    ])
  })),
  assets: a.assets.map((x) => ({ ...x, index: 0 })),
  summary: a.summary,
  anomalies: a.timezoneAnomalies
})

describe("Pipeline: properties", () => {
  it("each decoded asset lands in exactly one place; groups have two or more shots; one keeper", () => {
    fc.assert(
      fc.property(arbAlbum, (album) => {
        const a = analyze(album)
        const ids = a.assets.map((x) => x.id)
        expect(new Set(ids).size).toBe(album.length)
        expect(ids.slice().sort()).toEqual(album.map((x) => x.id).sort())
        const seen = new Map<string, string>()
        for (const g of a.groups) {
          expect(new Set(g.members.map((m) => m.shotId)).size).toBe(g.shotCount)
          expect(g.shotCount).toBeGreaterThanOrEqual(2)
          expect(g.evidence.length).toBeGreaterThan(0)
          const keeperShot = g.members.filter((m) => m.recommendation === "keep").map((m) => m.shotId)
          expect(new Set(keeperShot).size).toBe(1)
          for (const m of g.members) {
            expect(seen.has(m.assetId)).toBe(false)
            seen.set(m.assetId, g.id)
          }
        }
        for (const x of a.assets) expect(x.groupId).toBe(seen.get(x.id) ?? null)
      }),
      { numRuns: 300 }
    )
  }, 60_000)

  it("never splits companions: one shot, one group, one rank and recommendation", () => {
    fc.assert(
      fc.property(arbAlbum, (album) => {
        const a = analyze(album)
        const byShot = new Map<string, string | null>()
        for (const x of a.assets) {
          if (byShot.has(x.shotId)) expect(byShot.get(x.shotId)).toBe(x.groupId)
          byShot.set(x.shotId, x.groupId)
        }
        for (const g of a.groups) {
          const byShotRec = new Map<string, string>()
          for (const m of g.members) {
            const key = `${m.rank}/${m.recommendation}`
            if (byShotRec.has(m.shotId)) expect(byShotRec.get(m.shotId)).toBe(key)
            byShotRec.set(m.shotId, key)
          }
        }
      }),
      { numRuns: 300 }
    )
  }, 60_000)

  it("shuffling the input changes neither groups nor keepers", () => {
    fc.assert(
      fc.property(arbAlbum, fc.integer({ min: 1, max: 1 << 30 }), (album, seed) => {
        expect(canonical(analyze(shuffle(album, seed)))).toEqual(canonical(analyze(album)))
      }),
      { numRuns: 200 }
    )
  }, 60_000)

  it("exact groups share one checksum over their shots' primaries (one picture)", () => {
    fc.assert(
      fc.property(arbAlbum, (album) => {
        const a = analyze(album)
        for (const g of a.groups.filter((x) => x.kind === "exact")) {
          const primaries = g.members.filter((m) => m.assetId === m.shotId)
          expect(primaries.length).toBe(g.shotCount)
          const sums = new Set(primaries.map((m) => a.assets.find((x) => x.id === m.assetId)!.checksum))
          expect(sums.size).toBe(1)
        }
      }),
      { numRuns: 300 }
    )
  }, 60_000)
})
