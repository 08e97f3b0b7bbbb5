/**
 * report.json's groups and asset lines: the bulk of the file. Apart from `Json` so the worker that writes
 * them on the second core (`internal/jsonWorker`) bundles only this, not the rest of the report package
 * and Effect.
 */
import type { Analysis } from "@albumsift/core"
import { sortedRecord } from "../internal/text.js"

export const line = (value: unknown): string => JSON.stringify(value)

/** A top-level member holding an array, one item per line (after the members before it). */
export function* array<T>(key: string, items: Iterable<T>, toJson: (item: T) => unknown) {
  yield `,\n${JSON.stringify(key)}: [`
  let first = true
  for (const item of items) {
    yield `${first ? "\n" : ",\n"}${line(toJson(item))}`
    first = false
  }
  yield first ? "]" : "\n]"
}

/** One group as written to report.json. */
export const groupJson = (group: Analysis.Group) => ({
  id: group.id,
  kind: group.kind,
  evidence: group.evidence,
  shot_count: group.shotCount,
  keeper: group.keeper,
  reclaimable_bytes: group.reclaimableBytes,
  time_span: { from: group.timeSpan.from, to: group.timeSpan.to },
  decided_by: group.decidedBy ?? "suggested",
  notes: group.notes ?? [],
  members: group.members.map((member) => ({
    asset_id: member.assetId,
    shot_id: member.shotId,
    rank: member.rank,
    score: member.score,
    margin: member.margin,
    recommendation: member.recommendation,
    reasons: member.reasons,
    would_lose: member.wouldLose,
    would_merge: member.wouldMerge ?? []
  }))
})

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

/** The `groups` member, then the `assets` member up to its first line. */
export function* groupsThenAssets(groups: Iterable<Analysis.Group>): Generator<string> {
  yield* array("groups", groups, groupJson)
  yield ',\n"assets": ['
}
