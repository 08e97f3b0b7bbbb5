import { describe, expect, it } from "vitest"
import type { Rejected } from "../src/Analysis.js"
import * as Asset from "../src/Asset.js"
import { Interner } from "../src/engine/internal/Interner.js"
import { mapped } from "../src/InputAsset.js"
import { raw, sha1, sha256 } from "./fixtures.js"

const decode = (value: unknown, album?: string) =>
  Asset.decode({ value, index: 7, ...(album !== undefined ? { album } : {}) }, new Interner())
const ok = (value: unknown): Asset.Projected => {
  const d = decode(value)
  if (Asset.isRejected(d)) throw new Error(d.reason)
  return d
}
const rejected = (value: unknown, album?: string): Rejected => {
  const d = decode(value, album)
  if (!Asset.isRejected(d)) throw new Error("expected a rejection")
  return d
}

describe("Asset.decode", () => {
  it("decodes the seed example shape", () => {
    const p = ok(
      raw("asset_1", {
        exif: {
          make: "NIKON CORPORATION",
          model: "NIKON Z 6_2",
          original_datetime: "2024-02-25T06:57:27.660000-08:00",
          latitude: 48.1,
          longitude: 11.5,
          description: " Alps ",
          rating: 4,
          auto_stack_id: "burst-9",
          live_photo_cid: null
        },
        metrics: { liqe_mix: 3.2, aesthetic: null },
        people: [
          { id: "person_a", name: "Alice" },
          { id: "person_b", name: "" }
        ],
        faces: [{ id: "face_1" }, { id: "face_2" }],
        unknown_field: { anything: true }
      })
    )
    expect(p).toMatchObject({
      id: "asset_1",
      index: 7,
      camera: "NIKON CORPORATION NIKON Z 6_2",
      cameraTime: true,
      hasExif: true,
      hasGps: true,
      description: "Alps",
      rating: 4,
      autoStackId: "burst-9",
      livePhotoCid: null,
      metrics: { liqe_mix: 3.2 },
      people: ["Alice", "person_b"],
      faceCount: 2,
      hashKind: "sha256",
      takenRaw: "2024-02-25T06:57:27.660000-08:00",
      takenOffset: -480,
      thumbnailUrl: "https://assets.example/asset_1.jpg"
    })
    expect(Asset.takenAt(p)).toEqual({
      raw: "2024-02-25T06:57:27.660000-08:00",
      wall: "2024-02-25T06:57:27.660",
      offsetMinutes: -480
    })
  })

  it("reads the newer shape: metadata, file_size_bytes, width/height, asset_urls", () => {
    const p = ok(
      raw("asset_2", {
        exif: undefined,
        thumbnail_url: undefined,
        metadata: { make: "Apple", model: "iPhone 15 Pro", original_datetime: "2024-01-01T10:00:00" },
        file_size_bytes: 2_500_000,
        width: 4032,
        height: 3024,
        checksum_sha1: sha1("x"),
        asset_urls: { thumbnail: { url: "https://cdn/t.jpg", mimetype: "image/jpeg", width: 250 } }
      })
    )
    expect(p).toMatchObject({
      camera: "Apple iPhone 15 Pro",
      cameraTime: true,
      fileSize: 2_500_000,
      width: 4032,
      height: 3024,
      thumbnailUrl: "https://cdn/t.jpg",
      takenOffset: null
    })
  })

  it("maps Immich-sourced extras and recognises a SHA-1 checksum", () => {
    const p = ok(
      raw("asset_3", {
        checksum: sha1(3),
        stack_id: "stack-1",
        duplicate_id: "dup-1",
        is_favorite: true,
        live_photo_video_id: "asset_4"
      })
    )
    expect(p).toMatchObject({
      hashKind: "sha1",
      stackId: "stack-1",
      duplicateId: "dup-1",
      favorite: true,
      livePhotoVideoId: "asset_4"
    })
    expect(Asset.hashKind(sha256(1))).toBe("sha256")
    expect(Asset.hashKind("not base64!")).toBe("other")
  })

  it("without camera EXIF, the time is the server's local_datetime and not camera-timed", () => {
    const p = ok(raw("scan", { local_datetime: "2024-05-01T12:00:03Z" }))
    expect(p.cameraTime).toBe(false)
    expect(p.hasExif).toBe(false)
    expect(p.takenRaw).toBe("2024-05-01T12:00:03Z")
    expect(p.camera).toBeNull()
  })

  it("normalises ratings: 1..5 kept, -1 rejected, 0 / null / out of range unrated", () => {
    expect([5, 1, -1, 0, null, 7, -3, undefined].map(Asset.normaliseRating)).toEqual([
      5,
      1,
      -1,
      null,
      null,
      null,
      null,
      null
    ])
  })

  it("flags EXIF and local_datetime disagreeing by a whole number of hours", () => {
    const p = ok(
      raw("tz", {
        local_datetime: "2024-05-01T15:00:00",
        exif: { make: "Canon", model: "R5", original_datetime: "2024-05-01T12:00:00" }
      })
    )
    expect(p.zoneShift).toBe(180)
    const same = ok(
      raw("tz2", {
        local_datetime: "2024-05-01T04:00:00-08:00",
        exif: { make: "Canon", model: "R5", original_datetime: "2024-05-01T12:00:00Z" }
      })
    )
    expect(same.zoneShift).toBeNull()
  })

  it("rejects an asset with a reason naming the field path", () => {
    const base = raw("asset_9")
    expect(rejected({ ...base, checksum: null })).toEqual({
      index: 7,
      id: "asset_9",
      reason: "checksum: Expected string, actual null"
    })
    const { id: _id, ...noId } = base
    expect(rejected(noId, "album_1")).toEqual({ index: 7, album: "album_1", reason: "id: is missing" })
    expect(rejected({ ...base, local_datetime: "soon" }).reason).toBe(
      'local_datetime: expected an ISO date-time, got "soon"'
    )
    expect(rejected({ ...base, exif: { make: 5 } }).reason).toBe("exif.make: Expected string, actual 5")
    expect(rejected({ ...base, people: [{ id: 1 }] }).reason).toBe("people[0].id: Expected string, actual 1")
    // Every field at fault, the missing ones together.
    const { device_id: _d, mime_type: _m, ...twoMissing } = base
    expect(rejected({ ...twoMissing, checksum: 5, exif: { make: 5 } }).reason).toBe(
      "device_id, mime_type: is missing; checksum: Expected string, actual 5; exif.make: Expected string, actual 5"
    )
    expect(rejected({ ...base, metrics: { liqe_mix: "high" } }).reason).toMatch(/^metrics.liqe_mix: /)
    // A blank checksum is no checksum: kept, every blank one would be an "exact copy" of the others.
    expect(rejected({ ...base, checksum: "" }).reason).toBe('checksum: expected a checksum, got ""')
    expect(rejected({ ...base, checksum: " \t " }).reason).toBe('checksum: expected a checksum, got " \\t "')
    const mappedBlank = mapped({
      id: "x1",
      checksum: "  ",
      fileName: "a.jpg",
      mimeType: "image/jpeg",
      localDateTime: "2025-01-01T00:00:00Z",
      createdAt: "2025-01-01T00:00:00Z"
    })
    expect(rejected(mappedBlank).reason).toMatch(/^checksum: expected a checksum, got "/)
    // An object with no asset field at all is no asset: said so, with its keys, instead of every field missing.
    expect(rejected({ assets: [base], total: 1 }).reason).toBe(
      'not an asset: an object without any asset field (its keys: "assets", "total")'
    )
    expect(rejected({}).reason).toBe("not an asset: an empty object")
    expect(rejected(null).reason).toBe("expected an asset object, got null")
    expect(rejected([1]).reason).toBe("expected an asset object, got an array")
  })
})

import { Either, Schema } from "effect"
import * as fc from "fast-check"
import { looksValid } from "../src/internal/FastCheck.js"

describe("Asset fast validation path", () => {
  const decodeSchema = Schema.decodeUnknownEither(Asset.AssetResponse, { onExcessProperty: "ignore" })
  const base = raw("asset_f", {
    exif: { make: "Canon", model: "R5", original_datetime: "2024-01-01T10:00:00Z", rating: 3, latitude: 1 },
    metadata: null,
    metrics: { liqe_mix: 3.3, other: null },
    people: [{ id: "p", name: "Ann" }],
    faces: [{}],
    asset_urls: { thumbnail: { url: "u" } },
    file_size_bytes: 10,
    is_favorite: false
  })
  const topKeys = [...Object.keys(base), "metadata", "width", "stack_id", "live_photo_video_id", "unknown"]
  const exifKeys = [
    "make",
    "model",
    "original_datetime",
    "rating",
    "latitude",
    "auto_stack_id",
    "description",
    "iso"
  ]
  const value = fc.oneof(
    fc.jsonValue(),
    fc.constant(undefined),
    fc.constantFrom("2024-01-01T10:00:00", "2024-13-01T00:00:00Z", "", "x", 0, -1, null, [], {})
  )
  const mutation = fc.oneof(
    fc.record({ where: fc.constant("top" as const), key: fc.constantFrom(...topKeys), value }),
    fc.record({ where: fc.constant("exif" as const), key: fc.constantFrom(...exifKeys), value }),
    fc.record({ where: fc.constant("metrics" as const), key: fc.constantFrom("liqe_mix", "new"), value }),
    fc.record({ where: fc.constant("people" as const), key: fc.constantFrom("id", "name"), value })
  )
  /** Applies one mutation in place; nested targets that were replaced by a mutation are skipped. */
  const apply = (v: Record<string, unknown>, m: { where: string; key: string; value: unknown }) => {
    const target: unknown =
      m.where === "top"
        ? v
        : m.where === "exif"
          ? v.exif
          : m.where === "metrics"
            ? v.metrics
            : Array.isArray(v.people)
              ? v.people[0]
              : undefined
    if (typeof target !== "object" || target === null) return
    const t = target as Record<string, unknown>
    if (m.value === undefined && m.key.length % 2 === 0) delete t[m.key]
    else t[m.key] = m.value
  }

  it("never accepts what the Schema rejects, and projects exactly as the Schema path", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        const v: Record<string, unknown> = structuredClone(base)
        for (const m of ms) apply(v, m)
        const schema = decodeSchema(v)
        if (looksValid(v)) expect(Either.isRight(schema)).toBe(true)
        const viaDecode = Asset.decode({ value: v, index: 0 }, new Interner())
        if (Either.isRight(schema)) {
          expect(viaDecode).toEqual(
            Asset.project(Asset.fromWire(schema.right), { value: v, index: 0 }, new Interner())
          )
        } else expect(Asset.isRejected(viaDecode)).toBe(true)
      }),
      { numRuns: 2000 }
    )
  }, 60_000)

  it("takes the fast path for ordinary assets", () => {
    expect(looksValid(base)).toBe(true)
    expect(looksValid({ ...base, exif: [] })).toBe(false)
  })
})
