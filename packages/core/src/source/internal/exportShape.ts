/**
 * Which shape a local JSON export has, decided from its first object item: Gumnut's items pass
 * through untouched; Immich assets (or an Immich album or search answer holding them) are mapped into
 * `InputAsset`, renumbered when a document of assets is expanded. Runs where the items are parsed (in the decode worker for
 * large inputs), so it only sees raw values.
 */
import { mapped } from "../../InputAsset.js"
import type { SourceItem } from "../../SourceItem.js"
import { fields } from "../ImmichAsset.js"

/** The shape of a local export: Gumnut's (also albumsift's own JSON files) or Immich's. */
export type ExportShape = "gumnut" | "immich"

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v)

/** Fields only Immich's `AssetResponseDto` has (Gumnut's are snake_case). */
const IMMICH_FIELDS = ["originalFileName", "deviceAssetId", "exifInfo", "fileCreatedAt", "livePhotoVideoId"]

/** Whether a raw item is an Immich asset (camelCase, no Gumnut field). */
export const isImmichAsset = (v: unknown): boolean =>
  isRecord(v) && !("original_file_name" in v) && IMMICH_FIELDS.some((k) => k in v)

/** Whether a raw item is an Immich album (`GET /api/albums/{id}`) that carries its assets. */
export const isImmichAlbum = (v: unknown): v is { readonly assets: ReadonlyArray<unknown> } =>
  isRecord(v) && Array.isArray(v.assets) && ("albumName" in v || v.assets.some(isImmichAsset))

/**
 * The assets of an Immich document that holds them: an album (`GET /api/albums/{id}`, v1/v2) or a
 * search answer (`POST /api/search/metadata`, `{assets: {items}}`: how v3 lists an album); else undefined.
 */
const immichAssetsOf = (v: unknown): ReadonlyArray<unknown> | undefined => {
  if (isImmichAlbum(v)) return v.assets
  if (isRecord(v) && isRecord(v.assets) && Array.isArray(v.assets.items)) {
    const items: ReadonlyArray<unknown> = v.assets.items
    if ("nextPage" in v.assets || items.some(isImmichAsset)) return items
  }
  return undefined
}

/** An Immich asset as core's `InputAsset`; a file names no server to fetch thumbnails from. */
const fromImmich = (value: unknown): unknown =>
  isRecord(value) ? mapped({ ...fields(value, ""), thumbnailUrl: null }) : value

/** A stateful mapper over one input's items, in order; `shape()` once the first object was seen. */
export const detector = () => {
  let shape: ExportShape | undefined
  let next = 0
  const map = (items: ReadonlyArray<SourceItem>): ReadonlyArray<SourceItem> => {
    if (shape === "gumnut") return items
    const out: Array<SourceItem> = []
    for (const item of items) {
      if (shape === undefined && isRecord(item.value)) {
        shape = isImmichAsset(item.value) || immichAssetsOf(item.value) !== undefined ? "immich" : "gumnut"
      }
      if (shape !== "immich") {
        out.push(item)
        next = item.index + 1
        continue
      }
      const values = immichAssetsOf(item.value) ?? [item.value]
      for (const value of values) out.push({ ...item, value: fromImmich(value), index: next++ })
    }
    return out
  }
  return { map, shape: (): ExportShape | undefined => shape }
}
