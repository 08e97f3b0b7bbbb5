/**
 * Gumnut's wire format and the per-item decode: an Effect Schema for Gumnut's `AssetResponse` (the
 * seed shape plus newer fields, also the format of JSON album files), its mapping into the
 * source-neutral `InputAsset` (`fromWire`), and the projection of an `InputAsset` into the compact
 * record the engine keeps, or a `Rejected` entry naming the bad field.
 *
 * Newer Gumnut servers put EXIF in `metadata` instead of `exif`, and may send `file_size_bytes`,
 * `width`, `height`, `checksum_sha1` and `asset_urls.thumbnail.url`; `stack_id`, `duplicate_id`,
 * `is_favorite` and `live_photo_video_id` are read when present. Unknown fields are ignored.
 * Other sources map into `InputAsset` themselves (see `InputAsset.mapped`).
 */
import { Either, type ParseResult, Schema } from "effect"
import type { CaptureTime, Rejected } from "./Analysis.js"
import * as Time from "./engine/CaptureTime.js"
import { EMPTY, Interner } from "./engine/internal/Interner.js"
import { Checksum, DateTimeString, InputAsset, isMapped } from "./InputAsset.js"
import { looksValid } from "./internal/FastCheck.js"
import { formatParseError } from "./internal/parseIssues.js"
import type { SourceItem } from "./SourceItem.js"
import { isInvalidJson } from "./source/internal/invalidJson.js"

const opt = <S extends Schema.Schema.Any>(s: S) => Schema.optional(Schema.NullOr(s))

/**
 * EXIF as the seed documents it (every field nullable); newer servers send it as `metadata`.
 *
 * @since 0.1.0
 */
export const Exif = Schema.Struct({
  make: opt(Schema.String),
  model: opt(Schema.String),
  orientation: opt(Schema.Number),
  modified_datetime: opt(Schema.String),
  original_datetime: opt(DateTimeString),
  digitized_datetime: opt(Schema.String),
  lens_model: opt(Schema.String),
  f_number: opt(Schema.Number),
  focal_length: opt(Schema.Number),
  iso: opt(Schema.Number),
  exposure_time: opt(Schema.Number),
  exposure_bias: opt(Schema.Number),
  latitude: opt(Schema.Number),
  longitude: opt(Schema.Number),
  altitude: opt(Schema.Number),
  city: opt(Schema.String),
  state: opt(Schema.String),
  country: opt(Schema.String),
  description: opt(Schema.String),
  fps: opt(Schema.Number),
  live_photo_cid: opt(Schema.String),
  projection_type: opt(Schema.String),
  profile_description: opt(Schema.String),
  auto_stack_id: opt(Schema.String),
  rating: opt(Schema.Number)
}).annotations({ identifier: "Exif" })

/**
 * A recognised person; only the name (or id) is kept.
 *
 * @since 0.1.0
 */
export const Person = Schema.Struct({ id: Schema.String, name: opt(Schema.String) }).annotations({
  identifier: "Person"
})

/**
 * The asset as a source sends it.
 *
 * @since 0.1.0
 */
export const AssetResponse = Schema.Struct({
  id: Schema.NonEmptyString,
  device_asset_id: Schema.String,
  device_id: Schema.String,
  mime_type: Schema.String,
  original_file_name: Schema.String,
  file_created_at: Schema.String,
  file_modified_at: Schema.String,
  local_datetime: DateTimeString,
  checksum: Checksum,
  created_at: DateTimeString,
  updated_at: Schema.String,
  exif: opt(Exif),
  metadata: opt(Exif),
  metrics: opt(Schema.Record({ key: Schema.String, value: Schema.NullOr(Schema.Number) })),
  download_url: opt(Schema.String),
  thumbnail_url: opt(Schema.String),
  asset_urls: opt(
    Schema.Struct({ thumbnail: opt(Schema.Struct({ url: opt(Schema.String) })) }).annotations({
      identifier: "AssetUrls"
    })
  ),
  faces: opt(Schema.Array(Schema.Unknown)),
  people: opt(Schema.Array(Person)),
  file_size_bytes: opt(Schema.Number),
  width: opt(Schema.Number),
  height: opt(Schema.Number),
  checksum_sha1: opt(Schema.String),
  stack_id: opt(Schema.String),
  duplicate_id: opt(Schema.String),
  is_favorite: opt(Schema.Boolean),
  live_photo_video_id: opt(Schema.String)
}).annotations({ identifier: "AssetResponse" })

/**
 * The decoded (validated) asset.
 *
 * @since 0.1.0
 */
export type AssetResponse = typeof AssetResponse.Type

/**
 * Which hash a checksum is, from its decoded length: Gumnut SHA-256 (32 bytes), Immich SHA-1 (20).
 *
 * @since 0.1.0
 */
export type HashKind = "sha256" | "sha1" | "other"

/**
 * The compact projection kept per asset while the album is folded.
 *
 * @since 0.1.0
 */
export interface Projected {
  readonly id: string
  readonly index: number
  albums: ReadonlyArray<string>
  readonly fileName: string
  readonly mimeType: string
  readonly checksum: string
  /** The checksum's hash kind: checksums of different kinds never match. */
  readonly hashKind: HashKind
  /** The capture time as given (EXIF original time, else `local_datetime`). */
  readonly takenRaw: string
  /** Its wall clock as epoch ms read as UTC (comparable within one camera). */
  readonly wallMs: number
  /** Its stated offset in minutes, or null when naive. */
  readonly takenOffset: number | null
  readonly cameraTime: boolean
  readonly camera: string | null
  /** make + model + device id, interned; null without camera EXIF. */
  readonly cameraKey: string | null
  readonly deviceId: string
  readonly autoStackId: string | null
  readonly livePhotoCid: string | null
  readonly livePhotoVideoId: string | null
  readonly stackId: string | null
  readonly duplicateId: string | null
  readonly rating: number | null
  readonly favorite: boolean
  readonly metrics: Readonly<Record<string, number>>
  readonly width: number | null
  readonly height: number | null
  readonly fileSize: number | null
  readonly hasExif: boolean
  readonly hasGps: boolean
  readonly description: string | null
  readonly people: ReadonlyArray<string>
  readonly faceCount: number
  readonly thumbnailUrl: string | null
  readonly createdAt: string
  readonly createdMs: number
  /** Minutes by which EXIF original time and `local_datetime` disagree by a zone step, else null. */
  readonly zoneShift: number | null
}

/**
 * Whether a decode produced a rejection.
 *
 * @since 0.1.0
 */
export const isRejected = (x: Projected | Rejected): x is Rejected => "reason" in x

/**
 * The hash kind of a base64 checksum, from its decoded byte length.
 *
 * @since 0.1.0
 */
export const hashKind = (checksum: string): HashKind => {
  const s = checksum.trim()
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) return "other"
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0
  const bytes = Math.floor(((s.length - pad) * 3) / 4)
  return bytes === 32 ? "sha256" : bytes === 20 ? "sha1" : "other"
}

/**
 * Normalises a rating: 1..5 stars, -1 rejected, null unrated (0 and anything else).
 *
 * @since 0.1.0
 */
export const normaliseRating = (r: number | null | undefined): number | null => {
  if (r === -1) return -1
  if (typeof r === "number" && r >= 1 && r <= 5) return r
  return null
}

const decodeEither = Schema.decodeUnknownEither(AssetResponse, {
  errors: "all",
  onExcessProperty: "ignore"
})
const decodeInput = Schema.decodeUnknownEither(InputAsset, { errors: "all", onExcessProperty: "ignore" })

/**
 * A one-line reason naming every field at fault: the missing ones together, then each invalid one,
 * e.g. `device_id, checksum: is missing; local_datetime: expected an ISO date-time, got "soon"`.
 *
 * @since 0.1.0
 */
export const formatReason = (error: ParseResult.ParseError): string =>
  formatParseError(error, "invalid asset")

const describe = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v)

/**
 * Reads the `id` of a raw item without validating it.
 *
 * @since 0.1.0
 */
export const peekId = (value: unknown): string | undefined => {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const id = (value as { id?: unknown }).id
    if (typeof id === "string" && id !== "") return id
  }
  return undefined
}

const rejected = (item: SourceItem, reason: string): Rejected => {
  const id = peekId(item.value)
  return {
    index: item.index,
    ...(id !== undefined ? { id } : {}),
    ...(item.album !== undefined ? { album: item.album } : {}),
    reason
  }
}

const nonEmpty = (s: string | null | undefined): string | null => {
  if (s === null || s === undefined) return null
  const t = s.trim()
  return t === "" ? null : t
}

const shared = (interner: Interner, s: string | null | undefined): string | null => {
  const v = nonEmpty(s)
  return v === null ? null : interner.string(v)
}

const EMPTY_METRICS: Readonly<Record<string, number>> = Object.freeze({})

const cleanMetrics = (m: Readonly<Record<string, number | null>> | null | undefined) => {
  if (m === null || m === undefined) return EMPTY_METRICS
  let out: Record<string, number> | undefined
  let clean = true
  for (const k in m) {
    const v = m[k]
    if (typeof v === "number" && Number.isFinite(v)) {
      out ??= {}
      out[k] = v
    } else clean = false
  }
  if (out === undefined) return EMPTY_METRICS
  return clean ? (m as Record<string, number>) : out
}

const positive = (n: number | null | undefined): number | null =>
  typeof n === "number" && Number.isFinite(n) && n > 0 ? n : null

/**
 * Decodes one raw item into its compact projection, or a `Rejected` naming the bad field.
 *
 * @since 0.1.0
 */
export const decode = (item: SourceItem, interner: Interner = new Interner()): Projected | Rejected => {
  const value = item.value
  // An element JsonInput could cut out but not parse: its reason says why ("invalid JSON: ...").
  if (isInvalidJson(value)) return rejected(item, value.reason)
  if (isMapped(value)) {
    const result = decodeInput(value)
    return Either.isLeft(result)
      ? rejected(item, formatReason(result.left))
      : project(result.right, item, interner)
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return rejected(item, `expected an asset object, got ${describe(value)}`)
  }
  // The fast check covers valid assets; the Schema decides (and words the reason) for the rest.
  if (looksValid(value as Record<string, unknown>)) {
    return project(fromWire(value as AssetResponse), item, interner)
  }
  const result = decodeEither(value)
  if (Either.isLeft(result)) return rejected(item, notAnAsset(value as object) ?? formatReason(result.left))
  return project(fromWire(result.right), item, interner)
}

const ASSET_FIELDS: ReadonlyArray<string> = Object.keys(AssetResponse.fields)

/**
 * The reason for an object with no asset field at all (a wrapper such as `{"assets": [...]}`, or an
 * API error body): naming its keys says more than listing every asset field as missing.
 */
const notAnAsset = (value: object): string | undefined => {
  if (ASSET_FIELDS.some((field) => field in value)) return undefined
  const keys = Object.keys(value)
  if (keys.length === 0) return "not an asset: an empty object"
  const shown = keys.slice(0, 5).map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k))
  return `not an asset: an object without any asset field (its keys: ${shown.join(", ")}${keys.length > 5 ? ", …" : ""})`
}

/**
 * Maps a validated Gumnut `AssetResponse` into the source-neutral `InputAsset`.
 *
 * @since 0.2.0
 */
export const fromWire = (a: AssetResponse): InputAsset => {
  const exif = a.exif ?? a.metadata ?? null
  return {
    id: a.id,
    checksum: a.checksum,
    fileName: a.original_file_name,
    mimeType: a.mime_type,
    localDateTime: a.local_datetime,
    createdAt: a.created_at,
    deviceId: a.device_id,
    make: exif?.make,
    model: exif?.model,
    originalDateTime: exif?.original_datetime,
    latitude: exif?.latitude,
    longitude: exif?.longitude,
    description: exif?.description,
    rating: exif?.rating,
    favorite: a.is_favorite,
    autoStackId: exif?.auto_stack_id,
    livePhotoCid: exif?.live_photo_cid,
    livePhotoVideoId: a.live_photo_video_id,
    stackId: a.stack_id,
    duplicateId: a.duplicate_id,
    metrics: a.metrics,
    width: a.width,
    height: a.height,
    fileSize: a.file_size_bytes,
    people:
      a.people === null || a.people === undefined || a.people.length === 0
        ? EMPTY
        : a.people.map((p) => nonEmpty(p.name) ?? p.id),
    faceCount: a.faces?.length ?? 0,
    thumbnailUrl: nonEmpty(a.thumbnail_url) ?? nonEmpty(a.asset_urls?.thumbnail?.url)
  }
}

/**
 * Projects a validated `InputAsset` to what the analysis keeps.
 *
 * @since 0.1.0
 */
export const project = (a: InputAsset, item: SourceItem, interner: Interner = new Interner()): Projected => {
  const make = nonEmpty(a.make)
  const model = nonEmpty(a.model)
  const cameraTime = make !== null || model !== null
  const camera =
    make !== null && model !== null
      ? interner.string(model.toLowerCase().startsWith(make.toLowerCase()) ? model : `${make} ${model}`)
      : (make ?? model)
  const deviceId = interner.string(a.deviceId ?? "")
  const cameraKey = cameraTime ? interner.cameraKey(make, model, deviceId) : null
  const originalRaw = a.originalDateTime ?? undefined
  const original = originalRaw !== undefined ? Time.parseMillisRecent(originalRaw) : undefined
  const local = Time.parseMillisRecent(a.localDateTime)!
  const taken = original ?? local
  let zoneShift: number | null = null
  if (original !== undefined) {
    // Both offsets known: compare instants. Otherwise compare wall clocks.
    zoneShift =
      original.offsetMinutes !== null && local.offsetMinutes !== null
        ? Time.zoneShiftMinutes(
            original.wallMs - original.offsetMinutes * 60_000,
            local.wallMs - local.offsetMinutes * 60_000
          )
        : Time.zoneShiftMinutes(original.wallMs, local.wallMs)
  }
  const lat = a.latitude
  const lon = a.longitude
  const people =
    a.people === null || a.people === undefined || a.people.length === 0
      ? EMPTY
      : a.people.map((p) => interner.string(p))
  const created = Time.parseMillisRecent(a.createdAt)!
  const createdMs = created.wallMs - (created.offsetMinutes ?? 0) * 60_000
  const kind = hashKind(a.checksum)
  return {
    id: a.id,
    index: item.index,
    albums: item.album === undefined ? EMPTY : interner.list([item.album]),
    fileName: a.fileName,
    mimeType: interner.string(a.mimeType.toLowerCase()),
    checksum: a.checksum,
    hashKind: kind,
    takenRaw: originalRaw !== undefined ? originalRaw : a.localDateTime,
    wallMs: taken.wallMs,
    takenOffset: taken.offsetMinutes,
    cameraTime,
    camera,
    cameraKey,
    deviceId,
    // Burst, Live Photo, stack and duplicate ids repeat across the assets they join: share them.
    autoStackId: shared(interner, a.autoStackId),
    livePhotoCid: shared(interner, a.livePhotoCid),
    livePhotoVideoId: nonEmpty(a.livePhotoVideoId),
    stackId: shared(interner, a.stackId),
    duplicateId: shared(interner, a.duplicateId),
    rating: normaliseRating(a.rating),
    favorite: a.favorite === true,
    metrics: cleanMetrics(a.metrics),
    width: positive(a.width),
    height: positive(a.height),
    fileSize: positive(a.fileSize),
    hasExif: cameraTime || original !== undefined,
    hasGps:
      typeof lat === "number" &&
      typeof lon === "number" &&
      Number.isFinite(lat + lon) &&
      !(lat === 0 && lon === 0),
    description: nonEmpty(a.description),
    people,
    faceCount: a.faceCount ?? 0,
    thumbnailUrl: nonEmpty(a.thumbnailUrl),
    createdAt: a.createdAt,
    createdMs,
    zoneShift
  }
}

/**
 * The capture time of a projection as an `Analysis` `CaptureTime`.
 *
 * @since 0.1.0
 */
export const takenAt = (p: Pick<Projected, "takenRaw" | "wallMs" | "takenOffset">): CaptureTime => ({
  raw: p.takenRaw,
  wall: Time.wallString(p.wallMs),
  offsetMinutes: p.takenOffset
})
