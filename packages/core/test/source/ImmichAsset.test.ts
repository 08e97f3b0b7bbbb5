import { describe, expect, it } from "vitest"
import * as Pipeline from "../../src/engine/Pipeline.js"
import * as InputAsset from "../../src/InputAsset.js"
import * as ImmichAsset from "../../src/source/ImmichAsset.js"

const SHA1 = Buffer.alloc(20, "immich-bytes").toString("base64")

/** A minimal Immich v2 `AssetResponseDto`. */
const dto = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  ownerId: "owner-1",
  deviceId: "iphone-15",
  deviceAssetId: `IMG_${id}.HEIC-1`,
  type: "IMAGE",
  originalFileName: `IMG_${id}.HEIC`,
  originalMimeType: "image/heic",
  fileCreatedAt: "2025-06-01T06:00:00.000Z",
  fileModifiedAt: "2025-06-01T06:00:00.000Z",
  localDateTime: "2025-06-01T08:00:00.000Z",
  createdAt: "2025-06-02T09:00:00.000Z",
  updatedAt: "2025-06-02T09:00:00.000Z",
  checksum: SHA1,
  isFavorite: false,
  exifInfo: {
    make: "Apple",
    model: "iPhone 15 Pro",
    dateTimeOriginal: "2025-06-01T06:00:00.000Z",
    timeZone: "Europe/Berlin",
    exifImageWidth: 4032,
    exifImageHeight: 3024,
    fileSizeInByte: 2_400_000,
    latitude: 52.52,
    longitude: 13.405,
    rating: 4
  },
  people: [
    { id: "p-1", name: " Maya ", faces: [{ id: "f-1" }] },
    { id: "p-2", name: "" }
  ],
  unassignedFaces: [{ id: "f-2" }],
  stack: { id: "stack-1", primaryAssetId: id, assetCount: 2 },
  duplicateId: "dup-1",
  ...extra
})

const analyse = (values: ReadonlyArray<unknown>) =>
  Pipeline.analyzeItems(
    values.map((v, index) => ({ value: ImmichAsset.toInputAsset(v, "http://nas:2283/"), index, album: "a1" }))
  )

describe("ImmichAsset (Immich DTO → InputAsset)", () => {
  it("maps every field the engine reads, in InputAsset's own names", () => {
    expect(ImmichAsset.fields(dto("x1"), "http://nas:2283/")).toEqual({
      id: "x1",
      checksum: SHA1,
      fileName: "IMG_x1.HEIC",
      mimeType: "image/heic",
      localDateTime: "2025-06-01T08:00:00.000",
      createdAt: "2025-06-02T09:00:00.000Z",
      deviceId: "iphone-15",
      make: "Apple",
      model: "iPhone 15 Pro",
      originalDateTime: "2025-06-01T08:00:00.000+02:00",
      latitude: 52.52,
      longitude: 13.405,
      description: null,
      rating: 4,
      favorite: false,
      livePhotoVideoId: null,
      stackId: "stack-1",
      duplicateId: "dup-1",
      width: 4032,
      height: 3024,
      fileSize: 2_400_000,
      people: ["Maya", "p-2"],
      faceCount: 2,
      thumbnailUrl: "http://nas:2283/api/assets/x1/thumbnail?size=thumbnail"
    })
  })

  it("falls back: the owner for a v3 device, stackId, asset size, a MIME type guessed from the name", () => {
    const out = ImmichAsset.fields(
      dto("x2", {
        deviceId: undefined,
        originalMimeType: undefined,
        stack: undefined,
        stackId: "s-9",
        exifInfo: undefined,
        width: 3024,
        height: 4032,
        localDateTime: undefined
      }),
      "http://nas:2283"
    )
    expect(out).toMatchObject({
      deviceId: "owner-1",
      mimeType: "image/heic",
      stackId: "s-9",
      width: 3024,
      height: 4032,
      make: null,
      originalDateTime: null,
      localDateTime: "2025-06-01T06:00:00.000Z"
    })
  })

  it("is analysed like any source: stack and duplicate evidence, EXIF, rating, people", () => {
    const a = analyse([dto("x1"), dto("x2", { checksum: Buffer.alloc(20, "other").toString("base64") })])
    expect(a.rejected).toEqual([])
    expect(a.groups.map((g) => g.evidence)).toEqual([["capture_time", "stack", "immich_duplicate"]])
    const asset = a.assets.find((x) => x.id === "x1")!
    expect(asset).toMatchObject({
      albums: ["a1"],
      camera: "Apple iPhone 15 Pro",
      cameraTime: true,
      hasGps: true,
      rating: 4,
      people: ["Maya", "p-2"],
      faceCount: 2,
      takenAt: { raw: "2025-06-01T08:00:00.000+02:00", wall: "2025-06-01T08:00:00", offsetMinutes: 120 }
    })
  })

  it("an invalid asset is rejected by InputAsset's field names, with its index; the rest is analysed", () => {
    const a = analyse([
      dto("x1"),
      dto("x2", { checksum: undefined }),
      "nonsense",
      dto("x3", { createdAt: "soon" })
    ])
    expect(a.summary.assets).toBe(1)
    expect(a.rejected).toEqual([
      { index: 1, id: "x2", album: "a1", reason: expect.stringMatching(/^checksum: /) },
      { index: 2, album: "a1", reason: "expected an asset object, got string" },
      {
        index: 3,
        id: "x3",
        album: "a1",
        reason: expect.stringMatching(/^fileCreatedAt|^createdAt: .*ISO date-time/)
      }
    ])
  })

  it("non-objects pass through unmarked; objects are marked as InputAsset-shaped", () => {
    expect(ImmichAsset.toInputAsset(42, "http://x")).toBe(42)
    expect(InputAsset.isMapped(ImmichAsset.toInputAsset(dto("x1"), "http://x"))).toBe(true)
  })
})
