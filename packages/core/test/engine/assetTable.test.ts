import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Asset from "../../src/Asset.js"
import * as Time from "../../src/engine/CaptureTime.js"
import { AssetTable } from "../../src/engine/internal/assetTable.js"
import { IdIndex } from "../../src/engine/internal/IdIndex.js"
import { Interner } from "../../src/engine/internal/Interner.js"
import { raw, sha1, sha256 } from "../fixtures.js"

/** A sealed table of these raw items, and their projections (a rejected item fails the test). */
const tableOf = (values: ReadonlyArray<unknown>) => {
  const store = new AssetTable()
  const interner = new Interner()
  const expected = values.map((value, index) => {
    const p = Asset.decode({ value, index }, interner)
    if (Asset.isRejected(p)) throw new Error(p.reason)
    store.push(p)
    return p
  })
  store.seal()
  return { store, expected }
}

const dateText = fc
  .record({
    ms: fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2100, 0, 1) }),
    fraction: fc.constantFrom("", ".5", ".124", ".124000", ".1239", ".000"),
    seconds: fc.boolean(),
    sep: fc.constantFrom("T", " "),
    zone: fc.constantFrom("", "Z", "+01:00", "-08:00", "+0530", "-00:00", "+00:00", " Z")
  })
  .map(({ ms, fraction, seconds, sep, zone }) => {
    const iso = new Date(ms).toISOString()
    return `${iso.slice(0, 10)}${sep}${iso.slice(11, 16)}${seconds ? `${iso.slice(16, 19)}${fraction}` : ""}${zone}`
  })

/** A sparse id of the given kind, distinct by `k` unless `shared`. */
const stackId = (kind: string | null, k: number): string | null => {
  const uuid = `${String(k).padStart(8, "0")}-e914-47da-95ca-c5ab0dc85b1f`
  switch (kind) {
    case "lower":
      return uuid
    case "upper":
      return uuid.toUpperCase()
    case "mixed":
      return uuid.replace("e914", "E914")
    case "text":
      return `stack ${k}`
    case "shared":
      return "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    default:
      return null
  }
}

describe("AssetTable (column storage of projections)", () => {
  it("reads sparse ids back after sealing (twice), and after more assets are added to a sealed table", () => {
    const store = new AssetTable()
    const interner = new Interner()
    const add = (k: number, kind: string) => {
      const p = Asset.decode(
        { value: raw(`asset_${k}`, { exif: { auto_stack_id: stackId(kind, k) } }), index: k },
        interner
      )
      if (Asset.isRejected(p)) throw new Error(p.reason)
      return store.push(p)
    }
    const kinds = ["lower", "text", "shared", "upper", "shared", "mixed"]
    kinds.slice(0, 3).forEach((kind, k) => {
      add(k, kind)
    })
    store.seal()
    expect(store.sparseOf("autoStackId", 0)).toBe(stackId("lower", 0))
    kinds.slice(3).forEach((kind, k) => {
      add(k + 3, kind)
    })
    store.seal()
    // Sealed twice in a row: the second changes nothing.
    store.seal()
    kinds.forEach((kind, k) => {
      expect(store.sparseOf("autoStackId", k)).toBe(stackId(kind, k))
    })
  })

  it("gives back exactly the projection it was given", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name: fc.string({ unit: "grapheme", maxLength: 30 }),
            taken: dateText,
            created: dateText,
            thumb: fc.constantFrom(
              null,
              "id-in-path",
              "plain",
              "query",
              "unicode",
              "HEX",
              "mixedHex",
              "oddHex",
              "mark",
              "twice"
            ),
            sum: fc.constantFrom("sha256", "sha1", "unpadded", "urlsafe", "junk"),
            long: fc.boolean(),
            rating: fc.constantFrom(null, -1, 0, 3, 5, 2.5, -0, 126, 127, -126, -127, -128, 200),
            // Sizes: narrow integer columns keep other values (fractions, -0, past 32 bits) aside.
            size: fc.constantFrom(null, 0, -0, 4032, 1.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 1e300, -5),
            faces: fc.constantFrom(0, 1, 3),
            // Burst, Live Photo, stack and duplicate ids: UUIDs in either case (kept as bytes once sealed), shared or not, or other text.
            stack: fc.constantFrom(null, "lower", "upper", "mixed", "text", "shared"),
            metric: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }))
          }),
          { maxLength: 40 }
        ),
        (rows) => {
          const store = new AssetTable()
          const interner = new Interner()
          const expected = rows.map((r, k) => {
            const id = `asset_${k}`
            const thumbnail_url =
              r.thumb === null
                ? null
                : r.thumb === "id-in-path"
                  ? `https://cdn/t/${id}.webp?Expires=1&Signature=${k}abc`
                  : r.thumb === "plain"
                    ? "https://cdn/static.jpg"
                    : r.thumb === "query"
                      ? `https://cdn/x?id=${id}`
                      : r.thumb === "HEX"
                        ? `https://cdn/${id}?Signature=0A1B2C${k}${k}`
                        : r.thumb === "mixedHex"
                          ? `https://cdn/${id}?Signature=0a1B2c`
                          : r.thumb === "oddHex"
                            ? `https://cdn/${id}?Signature=abc`
                            : r.thumb === "mark"
                              ? `https://cdn/\u0001/${id}?s=1`
                              : r.thumb === "twice"
                                ? `https://cdn/${id}/${id}.jpg?k=${id}`
                                : `https://cdn/é/${id}`
            const sums: Record<string, string> = {
              sha256: sha256(k),
              sha1: sha1(k),
              unpadded: sha1(k).replace(/=+$/, ""),
              urlsafe: sha256(`${k}?>`).replace(/\+/g, "-").replace(/\//g, "_"),
              junk: `not base64 ${k}`
            }
            const value = raw(id, {
              original_file_name: r.long ? `${r.name}${"x".repeat(70_000)}.jpg` : r.name,
              local_datetime: r.taken,
              created_at: r.created,
              checksum: sums[r.sum],
              thumbnail_url,
              exif: {
                make: "M",
                model: "X",
                rating: r.rating,
                auto_stack_id: stackId(r.stack, k),
                live_photo_cid: stackId(r.stack, k + 1)
              },
              stack_id: stackId(r.stack, k + 2),
              duplicate_id: stackId(r.stack, k + 3),
              width: r.size,
              height: r.size === null ? 3000 : -r.size,
              file_size_bytes: r.size,
              faces: Array.from({ length: r.faces }, (_, f) => ({ id: `face-${k}-${f}` })),
              metrics: r.metric === null ? null : { m: r.metric }
            })
            const p = Asset.decode({ value, index: k }, interner)
            if (Asset.isRejected(p)) throw new Error(p.reason)
            store.push(p)
            return p
          })
          store.seal()
          expected.forEach((p, i) => {
            expect(store.view(i)).toEqual(p)
            // The public row, built straight from the columns: the projection's fields, its place given.
            const shot = i % 2 === 0 ? i : 0
            expect(store.info(i, shot, "g", 0.5, [])).toEqual({
              id: p.id,
              index: p.index,
              albums: p.albums,
              fileName: p.fileName,
              mimeType: p.mimeType,
              checksum: p.checksum,
              takenAt: Asset.takenAt(p),
              cameraTime: p.cameraTime,
              camera: p.camera,
              deviceId: p.deviceId,
              autoStackId: p.autoStackId,
              livePhotoCid: p.livePhotoCid,
              rating: p.rating,
              favorite: p.favorite,
              metrics: p.metrics,
              width: p.width,
              height: p.height,
              fileSize: p.fileSize,
              hasExif: p.hasExif,
              hasGps: p.hasGps,
              description: p.description,
              people: p.people,
              faceCount: p.faceCount,
              thumbnailUrl: p.thumbnailUrl,
              createdAt: p.createdAt,
              shotId: expected[shot]!.id,
              groupId: "g",
              score: 0.5,
              flags: []
            })
          })
        }
      ),
      { numRuns: 300 }
    )
  }, 60_000)

  it("keeps rare text fields exactly, shared or not, as the table grows", () => {
    // Stack ids, live-photo pair ids and descriptions are kept once per distinct value: check that
    // every asset still reads its own (or none) across the columns' growth and the seal.
    const value = fc.option(fc.constantFrom("", "A", "a", "stack-1", "é\u{1F600}", "\uD800", "A "), {
      nil: null
    })
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            autoStack: value,
            cid: value,
            video: value,
            stack: value,
            duplicate: value,
            description: value
          }),
          { minLength: 1300, maxLength: 1800 }
        ),
        (rows) => {
          const { store, expected } = tableOf(
            rows.map((r, k) =>
              raw(`asset_${k}`, {
                // Descriptions only on a few rows, as in real albums: kept apart from the column the others fill.
                exif: {
                  auto_stack_id: r.autoStack,
                  live_photo_cid: r.cid,
                  description: k % 97 === 0 ? r.description : null
                },
                live_photo_video_id: r.video,
                // Stacks only from row 1200 on: kept in a map across the first growth, then a column.
                stack_id: k >= 1200 ? r.stack : null,
                duplicate_id: r.duplicate
              })
            )
          )
          expected.forEach((p, i) => {
            const v = store.view(i)
            expect([
              v.autoStackId,
              v.livePhotoCid,
              v.livePhotoVideoId,
              v.stackId,
              v.duplicateId,
              v.description
            ]).toEqual([
              p.autoStackId,
              p.livePhotoCid,
              p.livePhotoVideoId,
              p.stackId,
              p.duplicateId,
              p.description
            ])
          })
        }
      ),
      // Rows are many: shrinking a failure would take minutes, the first one says enough.
      { numRuns: 10, endOnFailure: true }
    )
  })

  it("keeps ids, people and albums exactly, finds ids by value and matches checksums as stored", () => {
    const person = (name: string) => ({ id: `p-${name}`, name })
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.oneof(
              fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
              fc.string({ unit: "binary", minLength: 1, maxLength: 6 }),
              // Where UTF-8 and UTF-16 order differ, lone surrogates, a NUL, a leading U+FEFF (text, not a
              // byte-order mark), longer than a 16-bit length.
              fc.constantFrom(
                "\uFEFFabc",
                "\uFEFF",
                "abc",
                "\uFFFF",
                "\u{10000}",
                "a\uE000",
                "a\u{1F600}",
                "\uD800",
                "x\uDC00y",
                "\uDC00\uD800",
                "a\u0000b",
                `long_${"x".repeat(70_000)}`
              )
            ),
            people: fc.array(fc.constantFrom("Anna", "Ted", "a\u0000", "\u0000b", "é"), { maxLength: 3 }),
            album: fc.option(fc.constantFrom("album-1", "album-2")),
            sum: fc.constantFrom(sha256(1), sha256(2), sha1(1), "not base64", "not base65", "é")
          }),
          { maxLength: 30 }
        ),
        (rows) => {
          const store = new AssetTable()
          const ids = new IdIndex((i, id) => store.idIs(i, id))
          const interner = new Interner()
          const kept: Array<Asset.Projected> = []
          rows.forEach((r, k) => {
            if (ids.get(r.id) !== undefined) return
            const value = raw(r.id, {
              original_file_name: r.id.startsWith("\uFEFF") ? "\uFEFFphoto.jpg" : "photo.jpg",
              checksum: r.sum,
              people: r.people.map(person)
            })
            const p = Asset.decode({ value, index: k, ...(r.album ? { album: r.album } : {}) }, interner)
            if (Asset.isRejected(p)) throw new Error(p.reason)
            ids.set(p.id, store.push(p))
            kept.push(p)
          })
          store.seal()
          expect(ids.size).toBe(kept.length)
          kept.forEach((p, i) => {
            expect(store.view(i)).toEqual(p)
            expect(ids.get(p.id)).toBe(i)
            kept.forEach((q, j) => {
              expect(store.idIs(i, q.id)).toBe(p.id === q.id)
              expect(Math.sign(store.compareIds(i, j))).toBe(p.id < q.id ? -1 : p.id > q.id ? 1 : 0)
              const same = p.checksum === q.checksum && p.hashKind === q.hashKind
              expect(store.sameChecksum(i, j)).toBe(same)
              if (same) expect(store.checksumHash(i)).toBe(store.checksumHash(j))
            })
          })
          expect(ids.get("never an id")).toBeUndefined()
        }
      ),
      { numRuns: 200 }
    )
  }, 60_000)

  it("gives back thumbnail URLs whose templates share a part with the one before", () => {
    // Alike but different heads (before and after the id) must each keep their own template.
    const url = fc.tuple(
      fc.constantFrom("https://cdn/t/", "https://cdn/t/x", "https://cdn/"),
      fc.boolean(),
      fc.constantFrom(".webp?Signature=", ".webp?Signature=x=", ".webp?S=", "", "?a=b="),
      fc.constantFrom("", "0a1b", "0A1B", "zz", "=")
    )
    fc.assert(
      fc.property(fc.array(url, { minLength: 1, maxLength: 30 }), (parts) => {
        const values = parts.map(([before, withId, after, tail], k) =>
          raw(`asset_${k}`, { thumbnail_url: `${before}${withId ? `asset_${k}` : ""}${after}${tail}` })
        )
        const { store, expected } = tableOf(values)
        expect(expected.map((_, i) => store.view(i).thumbnailUrl)).toEqual(
          expected.map((p) => p.thumbnailUrl)
        )
      }),
      { numRuns: 500 }
    )
  })

  it("sorts ordinals by id as comparing the id strings does (keyed by their first distinct bytes)", () => {
    // Ids that share prefixes, tie in the keyed bytes, end early, hold NUL, non-ASCII or a lone
    // surrogate (kept whole): every way the keyed sort can fall back or break a tie.
    const id = fc
      .tuple(
        fc.constantFrom("asset_", "asset_abcd", "", "é"),
        fc.array(fc.constantFrom("a", "b", "\u0000", "z", "é", "\u{1F600}", "\uE000", "\uD800"), {
          maxLength: 7
        })
      )
      .map(([prefix, body]) => prefix + body.join(""))
      .filter((i) => i !== "")
    fc.assert(
      fc.property(fc.uniqueArray(id, { minLength: 1, maxLength: 60 }), fc.boolean(), (ids, subset) => {
        const { store } = tableOf(ids.map((i) => raw(i)))
        const ordinals = Int32Array.from(ids.keys()).filter((i) => !subset || i % 3 !== 1)
        const expected = [...ordinals].sort((i, j) => (ids[i]! < ids[j]! ? -1 : ids[i]! > ids[j]! ? 1 : 0))
        store.sortByIds(ordinals)
        expect([...ordinals].map((i) => ids[i])).toEqual(expected.map((i) => ids[i]))
      }),
      { numRuns: 500 }
    )
  })

  it("sorts ASCII ids by their keys and ties in full, repeated ordinals included", () => {
    // ASCII only (NUL and DEL too), no id kept whole: the keyed sort runs, never the fallback.
    const id = fc
      .tuple(
        fc.constantFrom("asset_", "", "x"),
        fc.array(fc.constantFrom("a", "b", "\u0000", "\u007f", "z", "A", "0"), { maxLength: 8 })
      )
      .map(([prefix, body]) => prefix + body.join(""))
      .filter((i) => i !== "")
    fc.assert(
      fc.property(
        fc.uniqueArray(id, { minLength: 2, maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 300 }),
        (ids, picks) => {
          const { store } = tableOf(ids.map((i) => raw(i)))
          const ordinals = Int32Array.from(picks.length === 0 ? ids.keys() : picks.map((p) => p % ids.length))
          const expected = [...ordinals].map((i) => ids[i]!).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
          store.sortByIds(ordinals)
          expect([...ordinals].map((i) => ids[i])).toEqual(expected)
        }
      ),
      { numRuns: 300 }
    )
  })

  it("keeps any number in the narrow number columns exactly", () => {
    const odd = [
      0,
      -0,
      1,
      -1,
      1.5,
      126,
      127,
      -126,
      -127,
      -128,
      200,
      32767,
      -32768,
      2 ** 31 - 1,
      2 ** 31,
      -(2 ** 31)
    ]
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            rating: fc.option(fc.oneof(fc.constantFrom(...odd), fc.double({ noNaN: true }))),
            width: fc.option(fc.oneof(fc.constantFrom(...odd), fc.double({ noNaN: true }))),
            fileSize: fc.option(fc.oneof(fc.constantFrom(...odd), fc.integer())),
            faceCount: fc.oneof(fc.constantFrom(...odd), fc.nat())
          }),
          { maxLength: 20 }
        ),
        (rows) => {
          const store = new AssetTable()
          const base = Asset.decode({ value: raw("a"), index: 0 })
          if (Asset.isRejected(base)) throw new Error(base.reason)
          const expected = rows.map((r, k) => ({ ...base, id: `a${k}`, index: k, ...r, height: r.width }))
          for (const p of expected) store.push(p)
          store.seal()
          expected.forEach((p, i) => {
            const v = store.view(i)
            for (const f of ["rating", "width", "height", "fileSize", "faceCount"] as const)
              expect(Object.is(v[f], p[f]), `${f}: ${v[f]} vs ${p[f]}`).toBe(true)
          })
        }
      ),
      { numRuns: 200 }
    )
  })

  it("keeps every metric value exactly, short decimals or not, in any order", () => {
    // Short decimals are kept as millionths until a value would not come back exactly; then doubles.
    const short = fc.constantFrom(3.3631, 0.5838, -2.5, 0, 1, 2147.483647, -2147.483647, 0.000001, 12.5)
    const other = fc.constantFrom(-0, 2147.483648, -2147.483649, 0.1234567, 1e-7, 1e300, 5e-324, 0.1 + 0.2)
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            a: fc.option(short, { nil: undefined }),
            b: fc.option(fc.oneof(short, other, fc.double({ noNaN: true, noDefaultInfinity: true })), {
              nil: undefined
            })
          }),
          { minLength: 1, maxLength: 1300 }
        ),
        (rows) => {
          const store = new AssetTable()
          const base = Asset.decode({ value: raw("a"), index: 0 })
          if (Asset.isRejected(base)) throw new Error(base.reason)
          const expected = rows.map((r, k) => {
            const metrics: Record<string, number> = Object.create(null)
            if (r.a !== undefined) metrics.a = r.a
            if (r.b !== undefined) metrics.b = r.b
            return { ...base, id: `a${k}`, index: k, metrics }
          })
          for (const p of expected) store.push(p)
          store.seal()
          expected.forEach((p, i) => {
            const got = store.view(i).metrics
            expect(Object.keys(got).sort()).toEqual(Object.keys(p.metrics).sort())
            for (const k of Object.keys(p.metrics))
              expect(Object.is(got[k], p.metrics[k]), `${k} of ${i}`).toBe(true)
          })
          for (const name of ["a", "b"] as const) {
            const present = expected.flatMap((p) => (p.metrics[name] === undefined ? [] : [p.metrics[name]]))
            const read = store.metricReader(name)
            expect(Array.from(store.metricValues(name))).toEqual(present)
            expect(read === undefined).toBe(present.length === 0)
            for (let i = 0; i < expected.length && read !== undefined; i++)
              expect(Object.is(read(i), expected[i]!.metrics[name] ?? Number.NaN)).toBe(true)
          }
        }
      ),
      { numRuns: 60, endOnFailure: true }
    )
  })

  it("keeps records intact across arena chunks", () => {
    const { store, expected } = tableOf(
      Array.from({ length: 120 }, (_, k) =>
        raw(`big_${k}`, { original_file_name: `${"é".repeat(k * 1500)}${k}.jpg` })
      )
    )
    expected.forEach((p, i) => {
      expect(store.view(i)).toEqual(p)
    })
  })

  it("rebuilds common date-time layouts from numbers instead of keeping the text", () => {
    for (const text of [
      "2025-06-01T08:13:01.124000+01:00",
      "2023-11-07T05:31:56Z",
      "2024-02-25 06:57:27",
      "2024-02-25T06:57",
      "2024-02-25T06:57:27+0530"
    ]) {
      const p = Time.parseMillis(text)!
      const style = Time.styleOf(text, p.wallMs, p.offsetMinutes)
      expect(style, text).not.toBe(Time.NOT_REBUILDABLE)
      expect(Time.formatStyled(p.wallMs, p.offsetMinutes, style)).toBe(text)
    }
    const odd = "2024-02-25T06:57:27.1239-00:00"
    const p = Time.parseMillis(odd)!
    expect(Time.styleOf(odd, p.wallMs, p.offsetMinutes)).toBe(Time.NOT_REBUILDABLE)
  })
})

import { decodeBase64Into, decodeHexInto, hexCase } from "../../src/engine/internal/Packing.js"

/** The bytes `decodeBase64Into` writes for `text` (at an offset, as into the arena), or undefined. */
const decodeBase64 = (text: string): Uint8Array | undefined => {
  const out = new Uint8Array(3 + (text.length / 4) * 3).fill(7)
  const n = decodeBase64Into(text, out, 3)
  return n < 0 ? undefined : out.slice(3, 3 + n)
}
// The store's readers unpack with Node's encoders (`TextArena.base64At`, `hexAt`).
const encodeBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64")
const encodeHex = (bytes: Uint8Array, hcase: number) => {
  const hex = Buffer.from(bytes).toString("hex")
  return hcase === 2 ? hex.toUpperCase() : hex
}

describe("Packing", () => {
  it("packs base64 only when unpacking gives the same text back", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const text = Buffer.from(bytes).toString("base64")
        if (bytes.length > 0) expect(decodeBase64(text)).toEqual(bytes)
      })
    )
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."ABCDEFabcdef0123456789+/=-_ "), maxLength: 48 }),
        (text) => {
          const bytes = decodeBase64(text)
          if (bytes !== undefined) expect(encodeBase64(bytes)).toBe(text)
        }
      ),
      { numRuns: 5000 }
    )
    // Near misses: valid text with the last data character changed (non-zero unused bits).
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(63), (bytes, c) => {
        const valid = Buffer.from(bytes).toString("base64")
        const last = valid.replace(/=+$/, "").length - 1
        const text = valid.slice(0, last) + alphabet[c] + valid.slice(last + 1)
        const decoded = decodeBase64(text)
        if (decoded !== undefined) expect(encodeBase64(decoded)).toBe(text)
        else expect(Buffer.from(Buffer.from(text, "base64")).toString("base64")).not.toBe(text)
      }),
      { numRuns: 2000 }
    )
  })

  it("packs hex of one case only", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 32 }), fc.boolean(), (bytes, upper) => {
        const lower = Buffer.from(bytes).toString("hex")
        const text = upper ? lower.toUpperCase() : lower
        const hcase = hexCase(text)
        expect(hcase).not.toBe(0)
        // From an offset in a longer text (a URL's signature), into an offset of the arena.
        const url = `https://cdn/x.webp?Signature=${text}`
        const from = url.length - text.length
        expect(hexCase(url, from)).toBe(hcase)
        const out = new Uint8Array(bytes.length + 5)
        expect(decodeHexInto(url, from, out, 5)).toBe(bytes.length)
        expect(encodeHex(out.subarray(5), hcase)).toBe(text)
      })
    )
    expect(hexCase("abc")).toBe(0)
    expect(hexCase("aB")).toBe(0)
    expect(hexCase("0g")).toBe(0)
  })
})
