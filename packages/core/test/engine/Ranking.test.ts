import { describe, expect, it } from "vitest"
import { analyze, exif, groupOf, memberOf, raw, sha256, shot } from "../fixtures.js"

const t0 = "2024-05-01T12:00:00"
const t1 = "2024-05-01T12:00:01"
const t2 = "2024-05-01T12:00:02"

/** An album-wide spread of liqe_mix so percentiles mean something. */
const background = Array.from({ length: 96 }, (_, k) =>
  raw(`bg-${k}`, {
    metrics: { liqe_mix: 1 + (k / 95) * 4 },
    local_datetime: `2023-01-0${1 + (k % 9)}T00:00:00Z`
  })
)

describe("Ranking", () => {
  it("keeps the best-rated shot and explains the others", () => {
    const a = analyze([
      shot("low", t0, {}, { rating: 2 }),
      shot("high", t1, {}, { rating: 5 }),
      shot("mid", t2, {}, { rating: 4 })
    ])
    const g = a.groups[0]!
    expect(g.keeper).toBe("high")
    expect(g.members.map((m) => [m.assetId, m.rank, m.recommendation])).toEqual([
      ["high", 1, "keep"],
      ["mid", 2, "discard"],
      ["low", 3, "discard"]
    ])
    expect(memberOf(a, "low")!.reasons).toContain("rating 2 vs 5")
    expect(memberOf(a, "low")!.margin).toBeCloseTo(0.75)
    expect(memberOf(a, "high")!.margin).toBe(0)
  })

  it("normalises metrics to album percentiles and says so", () => {
    const a = analyze([
      ...background,
      shot("sharp", t0, { metrics: { liqe_mix: 4.9 } }),
      shot("blurry", t1, { metrics: { liqe_mix: 2.5 } })
    ])
    expect(groupOf(a, "sharp")!.keeper).toBe("sharp")
    const reasons = memberOf(a, "blurry")!.reasons
    expect(reasons.some((r) => /^liqe_mix at \d+(st|nd|rd|th) vs 9\dth percentile$/.test(r))).toBe(true)
    // The scale does not matter: the same ranks on a 0..1 scale give the same scores.
    const scaled = analyze([
      ...background.map((b) => ({
        ...b,
        metrics: { liqe_mix: ((b.metrics as { liqe_mix: number }).liqe_mix - 1) / 4 }
      })),
      shot("sharp", t0, { metrics: { liqe_mix: 0.975 } }),
      shot("blurry", t1, { metrics: { liqe_mix: 0.375 } })
    ])
    expect(memberOf(scaled, "blurry")!.score).toBeCloseTo(memberOf(a, "blurry")!.score!)
  })

  it("inverts lower-is-better metrics", () => {
    const album = [shot("a", t0, { metrics: { noise: 0.1 } }), shot("b", t1, { metrics: { noise: 0.9 } })]
    expect(analyze(album).groups[0]!.keeper).toBe("b")
    expect(analyze(album, { lowerIsBetter: ["noise"] }).groups[0]!.keeper).toBe("a")
  })

  it("weighs the rating above any single metric by default", () => {
    const album = [
      ...background,
      shot("rated", t0, { metrics: { liqe_mix: 2 } }, { rating: 5 }),
      shot("sharp", t1, { metrics: { liqe_mix: 5 } }, { rating: 3 })
    ]
    expect(groupOf(analyze(album), "rated")!.keeper).toBe("rated")
    expect(groupOf(analyze(album, { weights: { rating: 0.1 } }), "rated")!.keeper).toBe("sharp")
  })

  it("treats -1 as a strong negative: a rejected shot is never kept over one that is not", () => {
    const a = analyze([
      shot("rejected", t0, { metrics: { liqe_mix: 5 } }, { rating: -1 }),
      shot("unrated", t1, { metrics: { liqe_mix: 1 } }, { rating: 0 }),
      shot("null", t2, { metrics: { liqe_mix: 1.1 } }, { rating: null })
    ])
    const g = a.groups[0]!
    expect(g.members.at(-1)!.assetId).toBe("rejected")
    expect(memberOf(a, "rejected")!.reasons).toContain("rated -1 (rejected)")
    expect(memberOf(a, "rejected")!.recommendation).toBe("discard")
    expect(a.assets.find((x) => x.id === "unrated")!.rating).toBeNull()
  })

  it("counts an Immich favourite, and says so", () => {
    const a = analyze([
      shot("plain", t0, { metrics: { m: 2 } }),
      shot("fav", t1, { is_favorite: true, metrics: { m: 2 } })
    ])
    expect(a.groups[0]!.keeper).toBe("fav")
    expect(memberOf(a, "plain")!.reasons).toContain("not favorite vs favorite")
  })

  it("asks for review when too close to call", () => {
    const a = analyze([
      ...background,
      shot("a", t0, { metrics: { liqe_mix: 4.0 } }),
      shot("b", t1, { metrics: { liqe_mix: 4.01 } })
    ])
    expect(memberOf(a, "a")!.recommendation).toBe("review")
    expect(memberOf(a, "a")!.reasons.some((r) => r.startsWith("too close to call"))).toBe(true)
    const loose = analyze(
      [
        ...background,
        shot("a", t0, { metrics: { liqe_mix: 4.0 } }),
        shot("b", t1, { metrics: { liqe_mix: 4.01 } })
      ],
      { reviewMargin: 0 }
    )
    expect(memberOf(loose, "a")!.recommendation).toBe("discard")
  })

  it("never discards on a metric only one side has: compares what both carry", () => {
    // An album-wide spread of clipiqa too, on other assets than liqe_mix's.
    const clip = Array.from({ length: 96 }, (_, k) =>
      raw(`clip-${k}`, { metrics: { clipiqa: k / 95 }, local_datetime: `2022-01-0${1 + (k % 9)}T00:00:00Z` })
    )
    const pair = (keeper: Record<string, unknown>, other: Record<string, unknown>, rating?: number) =>
      analyze([
        ...background,
        ...clip,
        shot("keeper", t0, { metrics: keeper }, rating === undefined ? {} : { rating }),
        shot("other", t1, { metrics: other }, rating === undefined ? {} : { rating })
      ])
    // `other` is better on the one metric both carry; the keeper wins (by 0.16) only on clipiqa.
    const a = pair({ liqe_mix: 3.0, clipiqa: 0.99 }, { liqe_mix: 3.3 })
    expect(groupOf(a, "other")!.keeper).toBe("keeper")
    expect(memberOf(a, "other")!.margin).toBeGreaterThan(0.15)
    expect(memberOf(a, "other")).toMatchObject({
      recommendation: "review",
      reasons: [
        "clipiqa missing vs 0.99",
        "liqe_mix at 58th vs 50th percentile",
        "score 0.58 vs 0.74",
        "scored on different metrics (only the keeper has clipiqa)",
        "on what both have: score 0.58 vs 0.50"
      ]
    })
    // The other way round: on equal ratings, the member's own extra metric drags its score down.
    const b = pair({}, { clipiqa: 0.01 }, 4)
    expect(memberOf(b, "other")).toMatchObject({ recommendation: "review" })
    expect(memberOf(b, "other")!.reasons.slice(-2)).toEqual([
      "scored on different metrics (only this one has clipiqa)",
      "on what both have: score 0.75 vs 0.75"
    ])
    // Nothing in common at all.
    const c = pair({ clipiqa: 0.99 }, { liqe_mix: 3.0 })
    expect(memberOf(c, "other")).toMatchObject({ recommendation: "review" })
    expect(memberOf(c, "other")!.reasons.slice(-2)).toEqual([
      "scored on different metrics (only the keeper has clipiqa and only this one has liqe_mix)",
      "no rating or metric in common to compare"
    ])
    // What both carry decides on its own: still a discard.
    const d = pair({ liqe_mix: 4.9, clipiqa: 0.99 }, { liqe_mix: 1.5 })
    expect(memberOf(d, "other")!.recommendation).toBe("discard")
    // Exact copies stay discardable whatever the metrics say: the same bytes are one picture.
    const e = analyze([
      shot("keeper", t0, { checksum: sha256("z"), metrics: { liqe_mix: 3.0, clipiqa: 0.99 } }),
      raw("other", { checksum: sha256("z"), metrics: { liqe_mix: 3.3 } })
    ])
    expect(memberOf(e, "other")).toMatchObject({
      recommendation: "discard",
      reasons: ["exact copy of the keeper (same checksum)"]
    })
  })

  it("asks for review when a near duplicate has nothing to compare", () => {
    const a = analyze([shot("a", t0), shot("b", t1)])
    expect(memberOf(a, "b")!.recommendation).toBe("review")
    expect(memberOf(a, "b")!.reasons).toContain("no rating or metrics to compare")
  })

  it("asks for review when discarding would lose what the keeper lacks", () => {
    const a = analyze([
      shot("keeper", t0, {}, { rating: 5 }),
      shot(
        "rich",
        t1,
        { people: [{ id: "p1", name: "Alice" }], faces: [{ id: "f1" }] },
        { rating: 2, latitude: 48.1, longitude: 11.5, description: "at the lake" }
      )
    ])
    const m = memberOf(a, "rich")!
    expect(m.recommendation).toBe("review")
    expect(m.wouldLose).toEqual(["people: Alice", "faces"])
    expect(m.wouldMerge).toEqual(["gps", "description"])
    expect(m.reasons.at(-1)).toBe("would lose people: Alice; faces")
  })

  it("discards a member whose only would-lose items can be merged into the keeper, and says so", () => {
    const a = analyze([
      shot("keeper", t0, {}, { rating: 5 }),
      shot("plain", t1, {}, { rating: 1, latitude: 48.1, longitude: 11.5, description: "at the lake" })
    ])
    const m = memberOf(a, "plain")!
    expect(m.recommendation).toBe("discard")
    expect(m.wouldLose).toEqual([])
    expect(m.wouldMerge).toEqual(["gps", "description"])
    expect(m.reasons.at(-1)).toBe("gps; description will be merged into the keeper")
  })

  it("where apply cannot merge GPS (Immich), GPS the keeper lacks is a loss: the copy is review, not discard", () => {
    const copies = [
      shot("keeper", t0, {}, { rating: 5 }),
      shot("plain", t1, {}, { rating: 1, latitude: 48.1, longitude: 11.5, description: "at the lake" })
    ]
    const m = memberOf(analyze(copies, { canMergeGps: false }), "plain")!
    expect(m.recommendation).toBe("review")
    expect(m.wouldLose).toEqual(["gps"])
    expect(m.wouldMerge).toEqual(["description"])
    expect(m.reasons.at(-1)).toBe("would lose gps")
    // The same copy without GPS is a discard whose description merges.
    const bare = analyze([copies[0], shot("plain", t1, {}, { rating: 1, description: "at the lake" })], {
      canMergeGps: false
    })
    expect(memberOf(bare, "plain")).toMatchObject({ recommendation: "discard", wouldMerge: ["description"] })
  })

  it("a score does not depend on the order metric names first appear in the album, to the last bit", () => {
    const names = ["zeta", "alpha", "mid"]
    const at = (i: number) =>
      exif(
        `2024-05-01T${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:00`,
        {
          rating: (i % 5) + 1
        }
      )
    // The same album in two orders: one opens with an asset carrying only zeta, the other with one
    // carrying only alpha, so the metric names first appear in different orders.
    const rest = Array.from({ length: 300 }, (_, i) =>
      raw(`a${i}`, {
        metrics: Object.fromEntries(
          names.map((name, k) => [name, ((i * (37 + 16 * k)) % (101 - 4 * k)) / 20])
        ),
        exif: at(i)
      })
    )
    const onlyZeta = raw("only-zeta", { metrics: { zeta: 2.5 }, exif: at(301) })
    const onlyAlpha = raw("only-alpha", { metrics: { alpha: 2.5 }, exif: at(302) })
    const scores = (album: ReadonlyArray<unknown>) =>
      new Map(analyze(album).assets.map((a) => [a.id, a.score]))
    const zetaFirst = scores([onlyZeta, onlyAlpha, ...rest])
    const alphaFirst = scores([onlyAlpha, onlyZeta, ...rest])
    expect(zetaFirst.size).toBe(302)
    for (const [id, score] of zetaFirst) expect(alphaFirst.get(id), id).toBe(score)
  })

  it("keeps the exact copy with the richest metadata", () => {
    const a = analyze([
      raw("bare", { checksum: sha256("x"), file_size_bytes: 1000 }),
      shot("rich", t0, { checksum: sha256("x"), file_size_bytes: 1000 }, { latitude: 1, longitude: 2 }),
      raw("bare2", { checksum: sha256("x"), file_size_bytes: 1000 })
    ])
    const g = a.groups[0]!
    expect(g.kind).toBe("exact")
    expect(g.keeper).toBe("rich")
    expect(memberOf(a, "bare")).toMatchObject({
      recommendation: "discard",
      reasons: ["exact copy of the keeper (same checksum)"]
    })
    expect(g.reclaimableBytes).toBe(2000)
    expect(a.summary.reclaimableBytes).toBe(2000)
  })

  it("exact copies are one picture: the rejected original with full EXIF and people is still the keeper", () => {
    const a = analyze([
      shot(
        "original",
        t0,
        { checksum: sha256("x"), people: [{ id: "p1", name: "Maya" }], faces: [{}] },
        { rating: -1, latitude: 1, longitude: 2 }
      ),
      raw("reupload", { checksum: sha256("x"), created_at: "2024-07-01T08:00:00Z" })
    ])
    const g = a.groups[0]!
    expect(g).toMatchObject({ kind: "exact", keeper: "original" })
    expect(memberOf(a, "original")!.reasons).toContain("rated -1 on one copy: you rejected this photo")
    expect(memberOf(a, "reupload")).toMatchObject({
      recommendation: "discard",
      reasons: ["exact copy of the keeper (same checksum)"]
    })
  })

  it("carries a rating from a poorer copy into the keeper's reasons", () => {
    const a = analyze([
      shot("rich", t0, { checksum: sha256("y") }, { latitude: 1, longitude: 2 }),
      raw("rated", { checksum: sha256("y") }),
      raw("rejected", { checksum: sha256("y"), exif: { rating: -1 } })
    ])
    // `rated` and `rejected` carry nothing the keeper lacks but their ratings.
    const keeper = memberOf(a, "rich")!
    expect(a.groups[0]!.keeper).toBe("rich")
    expect(keeper.reasons).toContain("rated -1 on one copy: you rejected this photo")
    const b = analyze([
      shot("rich", t0, { checksum: sha256("y") }, { latitude: 1, longitude: 2 }),
      raw("starred", { checksum: sha256("y"), exif: { rating: 4 } })
    ])
    expect(memberOf(b, "rich")!.reasons).toContain("rated 4 on one copy")
    // The rating is mergeable: apply gives it to the keeper, so it no longer holds the copy back.
    expect(memberOf(b, "starred")).toMatchObject({
      recommendation: "discard",
      wouldLose: [],
      wouldMerge: ["rating 4"]
    })
  })

  it("still ranks different frames of a burst by rating, rejection first", () => {
    const a = analyze([
      ...background,
      shot("frame-1", t0, { metrics: { liqe_mix: 4.5 } }, { rating: -1, latitude: 1, longitude: 2 }),
      shot("frame-2", t1, { metrics: { liqe_mix: 2 } }, { rating: 2 }),
      shot("frame-3", t2, { metrics: { liqe_mix: 2 } }, { rating: 5 })
    ])
    const g = groupOf(a, "frame-1")!
    expect(g.kind).toBe("near")
    expect(g.members.map((m) => m.assetId)).toEqual(["frame-3", "frame-2", "frame-1"])
    expect(memberOf(a, "frame-1")!.reasons).toContain("rated -1 (rejected)")
  })

  it("breaks ties by EXIF, resolution, file size, upload time, then id", () => {
    const tie = (extraA: Record<string, unknown>, extraB: Record<string, unknown>) =>
      analyze([shot("a", t0, extraA), shot("b", t1, extraB)], { reviewMargin: 0 }).groups[0]!.keeper
    const r = { metrics: { m: 1 } }
    expect(tie({ ...r, width: 100, height: 100 }, { ...r, width: 200, height: 100 })).toBe("b")
    expect(tie({ ...r, file_size_bytes: 5 }, { ...r, file_size_bytes: 9 })).toBe("b")
    expect(
      tie({ ...r, created_at: "2024-06-02T00:00:00Z" }, { ...r, created_at: "2024-06-01T00:00:00Z" })
    ).toBe("b")
    expect(tie(r, r)).toBe("a")
    const exifTie = analyze([
      raw("a", { checksum: sha256("q"), local_datetime: `${t0}Z` }),
      shot("b", t0, { checksum: sha256("q") })
    ])
    expect(exifTie.groups[0]!.keeper).toBe("b")
  })

  it("never discards a RAW or a Live Photo video silently for a lone copy of its still", () => {
    // A better-rated JPEG beats a RAW+JPEG pair from the same burst: the pair goes to review, not discard.
    const nef = { mime_type: "image/x-nikon-nef", original_file_name: "DSC_1.NEF" }
    const a = analyze([
      shot("pair-jpg", t0, { original_file_name: "DSC_1.JPG" }, { rating: 2 }),
      shot("pair-nef", t0, nef),
      shot("lone", t1, { original_file_name: "DSC_2.JPG" }, { rating: 5 })
    ])
    expect(a.groups[0]!.keeper).toBe("lone")
    expect(memberOf(a, "pair-nef")).toMatchObject({ recommendation: "review", wouldLose: ["RAW file"] })
    expect(memberOf(a, "pair-jpg")!.reasons).toContain("would lose RAW file")

    // Among exact copies of a still, the copy that still has its Live Photo video is the keeper.
    const live = { live_photo_cid: "c" }
    const b = analyze([
      shot("a-copy", t0, { checksum: sha256("s"), mime_type: "image/heic", device_id: "laptop" }, live),
      shot("z-still", t0, { checksum: sha256("s"), mime_type: "image/heic", device_id: "phone" }, live),
      shot("z-video", t0, { mime_type: "video/quicktime", device_id: "phone" }, live)
    ])
    expect(b.groups[0]!.keeper).toBe("z-still")
    expect(memberOf(b, "a-copy")).toMatchObject({ recommendation: "discard", wouldLose: [] })
  })

  it("ranks companions together with the same recommendation", () => {
    const a = analyze([
      shot("still-1", t0, { mime_type: "image/heic" }, { live_photo_cid: "c1", rating: 5 }),
      shot("video-1", t0, { mime_type: "video/quicktime" }, { live_photo_cid: "c1" }),
      shot("still-2", t1, { mime_type: "image/heic" }, { live_photo_cid: "c2", rating: 1 }),
      shot("video-2", t1, { mime_type: "video/quicktime" }, { live_photo_cid: "c2" })
    ])
    const g = a.groups[0]!
    expect(g.shotCount).toBe(2)
    expect(g.members.map((m) => [m.assetId, m.shotId, m.rank, m.recommendation])).toEqual([
      ["still-1", "still-1", 1, "keep"],
      ["video-1", "still-1", 1, "keep"],
      ["still-2", "still-2", 2, "discard"],
      ["video-2", "still-2", 2, "discard"]
    ])
    expect(memberOf(a, "video-2")!.reasons.at(-1)).toBe(
      "companion file of this shot (Live Photo video or RAW/JPEG pair)"
    )
  })
})
