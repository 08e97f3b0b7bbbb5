/**
 * Immich asset fixtures shaped after its published OpenAPI `AssetResponseDto` / `ExifResponseDto`:
 * - `v2`: as in Immich v2.x (the fields the immich-adapter models for v2.7.5, and the TypeScript SDK
 *   fetch-client of v1.112+): `deviceAssetId`, `deviceId`, `duration` as a string `"0:00:00.00000"`.
 * - `v3`: as in Immich v3.1.0 (the immich-adapter's `immich_models.py` for v3.1.0): no
 *   `deviceAssetId`/`deviceId`, `duration` in integer milliseconds, `width`/`height` on the asset.
 * `checksum` is base64 SHA-1 (28 characters), as Immich sends it.
 */
import { createHash } from "node:crypto"

export type ImmichVersion = "v2" | "v3"

/** A stable UUID (v4 layout) derived from `seed`. */
export const uuid = (seed: string): string => {
  const h = createHash("sha256").update(seed).digest("hex")
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

const OWNER = uuid("owner")

export interface ImmichAssetOptions {
  readonly version?: ImmichVersion
  /** Same bytes as another asset: reuse its checksum seed. */
  readonly bytesOf?: number
  readonly stack?: {
    readonly id: string
    readonly primaryAssetId: string
    readonly assetCount: number
  } | null
  readonly duplicateId?: string | null
  readonly isFavorite?: boolean
  readonly livePhotoVideoId?: string | null
  readonly rating?: number | null
  readonly timeZone?: string | null
  /** Seconds after 2025-06-01T08:00:00 local time (UTC+2). */
  readonly second?: number
}

/** One Immich asset; `n` fixes its id, file name, checksum and time. */
export const makeImmichAsset = (n: number, o: ImmichAssetOptions = {}): Record<string, unknown> => {
  const version = o.version ?? "v2"
  const second = o.second ?? n * 60
  const instant = new Date(Date.UTC(2025, 5, 1, 6, 0, 0) + second * 1000) // 08:00 at UTC+2
  const local = new Date(instant.getTime() + 2 * 3600_000)
  const fileName = `IMG_${2000 + n}.HEIC`
  const asset: Record<string, unknown> = {
    id: uuid(`immich-asset-${n}`),
    ownerId: OWNER,
    libraryId: null,
    type: "IMAGE",
    originalPath: `upload/library/admin/2025/2025-06-01/${fileName}`,
    originalFileName: fileName,
    originalMimeType: "image/heic",
    thumbhash: "1QcSHQRnh493V4dIh4eXh1h4kJUI",
    fileCreatedAt: instant.toISOString(),
    fileModifiedAt: instant.toISOString(),
    localDateTime: local.toISOString(),
    createdAt: "2025-06-02T09:00:00.000Z",
    updatedAt: "2025-06-02T09:00:00.000Z",
    isFavorite: o.isFavorite ?? false,
    isArchived: false,
    isTrashed: false,
    isOffline: false,
    isEdited: false,
    visibility: "timeline",
    hasMetadata: true,
    checksum: createHash("sha1")
      .update(`immich-bytes-${o.bytesOf ?? n}`)
      .digest("base64"),
    exifInfo: {
      make: "Apple",
      model: "iPhone 15 Pro",
      exifImageWidth: 4032,
      exifImageHeight: 3024,
      fileSizeInByte: 2_400_000 + n,
      orientation: "6",
      dateTimeOriginal: instant.toISOString(),
      modifyDate: instant.toISOString(),
      timeZone: o.timeZone === undefined ? "Europe/Berlin" : o.timeZone,
      lensModel: "iPhone 15 Pro back triple camera 6.765mm f/1.78",
      fNumber: 1.8,
      focalLength: 6.77,
      iso: 64,
      exposureTime: "1/121",
      latitude: 52.52,
      longitude: 13.405,
      city: "Berlin",
      state: "Berlin",
      country: "Germany",
      description: "",
      projectionType: null,
      rating: o.rating === undefined ? null : o.rating
    },
    livePhotoVideoId: o.livePhotoVideoId ?? null,
    tags: [],
    people: [
      {
        id: uuid("person-maya"),
        name: "Maya",
        birthDate: null,
        thumbnailPath: "",
        isHidden: false,
        faces: [
          {
            id: uuid(`face-${n}`),
            imageWidth: 4032,
            imageHeight: 3024,
            boundingBoxX1: 100,
            boundingBoxY1: 120,
            boundingBoxX2: 400,
            boundingBoxY2: 480,
            sourceType: "machine-learning"
          }
        ]
      }
    ],
    unassignedFaces: [],
    stack: o.stack ?? null,
    duplicateId: o.duplicateId ?? null,
    resized: true
  }
  if (version === "v2") {
    asset.deviceAssetId = `${fileName}-${2_400_000 + n}`
    asset.deviceId = "iphone-15"
    asset.duration = "0:00:00.00000"
  } else {
    asset.duration = 0
    asset.width = 3024
    asset.height = 4032
  }
  return asset
}

/** `count` assets numbered from `from`. */
export const makeImmichAssets = (from: number, count: number, version: ImmichVersion = "v2") =>
  Array.from({ length: count }, (_, k) => makeImmichAsset(from + k, { version }))
