/**
 * One asset's line in report.json. Apart from `Json` so the worker that writes these lines on the second
 * core (`internal/jsonWorker`) bundles only this, not the rest of the report package and Effect.
 */
import type { Analysis } from "@albumsift/core"
import { sortedRecord } from "../internal/text.js"

export const line = (value: unknown): string => JSON.stringify(value)

/** One asset as written to report.json. */
export const assetJson = (asset: Analysis.AssetInfo, thumbnailFile: string | null) => ({
  id: asset.id,
  index: asset.index,
  albums: asset.albums,
  file_name: asset.fileName,
  mime_type: asset.mimeType,
  checksum: asset.checksum,
  taken_at: { raw: asset.takenAt.raw, wall: asset.takenAt.wall, offset_minutes: asset.takenAt.offsetMinutes },
  camera_time: asset.cameraTime,
  camera: asset.camera,
  device_id: asset.deviceId,
  auto_stack_id: asset.autoStackId,
  live_photo_cid: asset.livePhotoCid,
  rating: asset.rating,
  favorite: asset.favorite,
  metrics: sortedRecord(asset.metrics),
  width: asset.width,
  height: asset.height,
  file_size: asset.fileSize,
  has_exif: asset.hasExif,
  has_gps: asset.hasGps,
  description: asset.description,
  people: asset.people,
  face_count: asset.faceCount,
  thumbnail_url: asset.thumbnailUrl,
  thumbnail_file: thumbnailFile,
  created_at: asset.createdAt,
  shot_id: asset.shotId,
  group_id: asset.groupId,
  score: asset.score,
  quality_flags: asset.flags
})

/** An asset's line in the `assets` array: after `[` when it is the first, else after a comma. */
export const assetLine = (asset: Analysis.AssetInfo, thumbnailFile: string | null, first: boolean): string =>
  `${first ? "\n" : ",\n"}${line(assetJson(asset, thumbnailFile))}`
