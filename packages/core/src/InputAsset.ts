/**
 * The source-neutral asset the engine reads: only the fields grouping, ranking and reports use.
 *
 * Every source maps its own wire format into this shape: Gumnut's `AssetResponse` (and the JSON files
 * that follow it) in `Asset.fromWire`, Immich's DTO in `source/ImmichAsset`. A new source writes one
 * such mapping and wraps each result with `mapped`, so the pipeline validates it against this schema
 * (an invalid asset is reported with its index and the field path) instead of Gumnut's.
 *
 * Required: `id`, `checksum`, `fileName`, `mimeType`, `localDateTime`, `createdAt`. Everything else may
 * be absent or null, meaning "unknown".
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import * as Time from "./engine/CaptureTime.js"

const opt = <S extends Schema.Schema.Any>(s: S) => Schema.optional(Schema.NullOr(s))
const clip = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n)}…` : s)

/**
 * An ISO 8601 date-time string, with `Z`, an offset, or no zone.
 *
 * @since 0.2.0
 */
export const DateTimeString = Schema.String.pipe(
  Schema.filter(
    (s) => Time.parse(s) !== undefined || `expected an ISO date-time, got ${clip(JSON.stringify(s))}`
  )
).annotations({ identifier: "DateTimeString" })

/**
 * A content hash: text that is not blank. A blank one is no checksum, and kept it would make every
 * asset without one an "exact copy" of the others.
 *
 * @since 0.2.0
 */
export const Checksum = Schema.String.pipe(
  Schema.filter((s) => s.trim() !== "" || `expected a checksum, got ${clip(JSON.stringify(s))}`)
).annotations({ identifier: "Checksum" })

/**
 * The schema of an `InputAsset`.
 *
 * @since 0.2.0
 */
export const InputAsset = Schema.Struct({
  /** The asset's id in its source (unique within it). */
  id: Schema.NonEmptyString,
  /** Content hash as base64; its decoded length says the kind (32 bytes SHA-256, 20 bytes SHA-1). */
  checksum: Checksum,
  fileName: Schema.String,
  mimeType: Schema.String,
  /** Capture time as the server knows it (wall clock; a zone when stated). */
  localDateTime: DateTimeString,
  /** Upload time. */
  createdAt: DateTimeString,
  /** The uploading device; with make and model it names the camera a burst comes from. */
  deviceId: opt(Schema.String),
  /** Camera EXIF: make and model (either one marks a camera-timed shot) and the original time. */
  make: opt(Schema.String),
  model: opt(Schema.String),
  originalDateTime: opt(DateTimeString),
  latitude: opt(Schema.Number),
  longitude: opt(Schema.Number),
  description: opt(Schema.String),
  /** Stars 1..5, -1 rejected; anything else is unrated. */
  rating: opt(Schema.Number),
  favorite: opt(Schema.Boolean),
  /** Camera burst id (`auto_stack_id` evidence). */
  autoStackId: opt(Schema.String),
  /** Live Photo content identifier, shared by the still and its video. */
  livePhotoCid: opt(Schema.String),
  /** The id of this still's Live Photo video, when the source links them explicitly. */
  livePhotoVideoId: opt(Schema.String),
  /** The server's stack (`stack` evidence). */
  stackId: opt(Schema.String),
  /** The server's own duplicate group (`immich_duplicate` evidence). */
  duplicateId: opt(Schema.String),
  /** Numeric ML quality metrics by name (nulls are ignored). */
  metrics: opt(Schema.Record({ key: Schema.String, value: Schema.NullOr(Schema.Number) })),
  width: opt(Schema.Number),
  height: opt(Schema.Number),
  fileSize: opt(Schema.Number),
  /** Names (or ids when unnamed) of the people recognised in it. */
  people: opt(Schema.Array(Schema.String)),
  faceCount: opt(Schema.Number),
  /** A thumbnail URL (may expire) or a path relative to the report. */
  thumbnailUrl: opt(Schema.String)
}).annotations({ identifier: "InputAsset" })

/**
 * The source-neutral asset the engine reads.
 *
 * @since 0.2.0
 */
export type InputAsset = typeof InputAsset.Type

/** The mark `mapped` sets (a registered symbol, so two copies of this package agree). */
const MAPPED: unique symbol = Symbol.for("albumsift/InputAsset") as never

/**
 * Marks a source's mapped value as `InputAsset`-shaped, so the pipeline validates it against
 * `InputAsset` rather than Gumnut's wire schema. The mark is a non-enumerable symbol: the value reads
 * and serialises as the plain object it is. Non-objects stay as they are, for the pipeline to reject.
 *
 * @since 0.2.0
 */
export const mapped = <A>(value: A): A => {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    Object.defineProperty(value, MAPPED, { value: true, enumerable: false })
  }
  return value
}

/**
 * Whether a source item's value was mapped into the `InputAsset` shape (see `mapped`).
 *
 * @since 0.2.0
 */
export const isMapped = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && (value as { [MAPPED]?: boolean })[MAPPED] === true
