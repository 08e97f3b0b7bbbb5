/**
 * Immich's asset (`AssetResponseDto`, v1.1xx to v3) mapped into the source-neutral `InputAsset`: a
 * pure function, no I/O. `checksum` stays the base64 SHA-1 (the engine tells hash kinds apart by
 * length); `stack` (or `stackId`) becomes `stackId`, `exifInfo` the camera fields; `dateTimeOriginal`
 * (an instant) is shown in the asset's time zone; `localDateTime` (wall clock written as UTC) loses its `Z`.
 */
import { mapped } from "../InputAsset.js"
import { isPathSafeId } from "./internal/sourceIds.js"

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)
const str = (u: unknown): string | undefined => (typeof u === "string" && u !== "" ? u : undefined)
const num = (u: unknown): number | null => {
  const n = typeof u === "number" ? u : typeof u === "string" && u.trim() !== "" ? Number(u) : Number.NaN
  return Number.isFinite(n) ? n : null
}

/**
 * Local wall-clock time written as if UTC (`…Z`), as a zone-less ISO string.
 *
 * @since 0.1.0
 */
export const wallClock = (localDateTime: string): string => localDateTime.replace(/(?:Z|[+-]00:?00)$/i, "")

/**
 * The offset of a time zone (IANA name or `UTC+2` / `UTC-08:00`) at an instant, in minutes.
 *
 * @since 0.1.0
 */
export const zoneOffsetMinutes = (zone: string, instantMs: number): number | undefined => {
  const fixed = /^(?:UTC|GMT)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$/i.exec(zone.trim())
  if (fixed) {
    if (fixed[1] === undefined) return 0
    const minutes = Number(fixed[2]) * 60 + Number(fixed[3] ?? 0)
    return fixed[1] === "-" ? -minutes : minutes
  }
  try {
    const part = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
      .formatToParts(new Date(instantMs))
      .find((p) => p.type === "timeZoneName")?.value
    const m = part === undefined ? null : /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(part)
    if (!m) return undefined
    if (m[1] === undefined) return 0
    const minutes = Number(m[2]) * 60 + Number(m[3])
    return m[1] === "-" ? -minutes : minutes
  } catch {
    return undefined
  }
}

const formatOffset = (minutes: number): string => {
  const sign = minutes < 0 ? "-" : "+"
  const abs = Math.abs(minutes)
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`
}

/**
 * The camera's capture time as wall clock plus offset: `dateTimeOriginal` (an instant) shown in
 * `timeZone`; without a usable zone, the offset implied by `localDateTime` when it is a whole
 * quarter-hour within ±14 h; else the instant as given.
 *
 * @since 0.1.0
 */
export const originalTime = (
  dateTimeOriginal: string,
  timeZone: string | undefined,
  localDateTime: string | undefined
): string => {
  const instant = Date.parse(dateTimeOriginal)
  if (Number.isNaN(instant)) return dateTimeOriginal
  let offset = timeZone === undefined ? undefined : zoneOffsetMinutes(timeZone, instant)
  if (offset === undefined && localDateTime !== undefined) {
    const wall = Date.parse(`${wallClock(localDateTime)}Z`)
    const diff = (wall - instant) / 60_000
    if (Number.isInteger(diff) && diff % 15 === 0 && Math.abs(diff) <= 14 * 60) offset = diff
  }
  if (offset === undefined) return dateTimeOriginal
  return new Date(instant + offset * 60_000).toISOString().replace(/Z$/, formatOffset(offset))
}

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  heic: "image/heic",
  heif: "image/heif",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  dng: "image/x-adobe-dng",
  cr2: "image/x-canon-cr2",
  cr3: "image/x-canon-cr3",
  nef: "image/x-nikon-nef",
  arw: "image/x-sony-arw",
  raf: "image/x-fuji-raf",
  orf: "image/x-olympus-orf",
  rw2: "image/x-panasonic-rw2",
  mov: "video/quicktime",
  mp4: "video/mp4"
}

const guessMime = (fileName: string | undefined, type: unknown): string => {
  const ext = fileName?.split(".").pop()?.toLowerCase()
  const known = ext === undefined ? undefined : MIME_BY_EXTENSION[ext]
  if (known !== undefined) return known
  return type === "VIDEO" ? "video/*" : "image/*"
}

/**
 * Maps an Immich `AssetResponseDto` (v1.1xx to v3) into the source-neutral `InputAsset`, marked with
 * `InputAsset.mapped` so the pipeline validates it as one (a missing `checksum` is reported as such).
 * Non-objects pass through for the pipeline to reject. `baseUrl` builds the thumbnail link
 * (`/api/assets/{id}/thumbnail?size=thumbnail`), which needs the key to fetch.
 *
 * @since 0.2.0
 */
export const toInputAsset = (value: unknown, baseUrl: URL | string): unknown =>
  isRecord(value) ? mapped(fields(value, baseUrl)) : value

/**
 * The faces of one Immich asset: its people's and the unassigned ones (undefined when the answer has
 * neither list).
 *
 * @since 0.2.0
 */
export const facesOf = (a: Record<string, unknown>): ReadonlyArray<unknown> | undefined =>
  !Array.isArray(a.people) && !Array.isArray(a.unassignedFaces)
    ? undefined
    : [
        ...(Array.isArray(a.people) ? a.people.filter(isRecord) : []).flatMap((p) =>
          Array.isArray(p.faces) ? p.faces : []
        ),
        ...(Array.isArray(a.unassignedFaces) ? a.unassignedFaces : [])
      ]

/**
 * The `InputAsset` fields of one Immich asset object (unvalidated: missing fields stay missing).
 *
 * @since 0.2.0
 */
export const fields = (value: Record<string, unknown>, baseUrl: URL | string): Record<string, unknown> => {
  const a = value
  const id = typeof a.id === "string" ? a.id : undefined
  const e = isRecord(a.exifInfo) ? a.exifInfo : undefined
  const local = str(a.localDateTime)
  const original = str(e?.dateTimeOriginal)
  const people = Array.isArray(a.people) ? a.people.filter(isRecord) : []
  const faces = facesOf(a) ?? []
  const prefix = String(baseUrl).replace(/\/+$/, "")
  const stack = isRecord(a.stack) ? str(a.stack.id) : str(a.stackId)
  return {
    id: a.id,
    checksum: a.checksum,
    fileName: a.originalFileName,
    mimeType: str(a.originalMimeType) ?? guessMime(str(a.originalFileName), a.type),
    // Immich's localDateTime is the wall clock written as UTC: it loses the Z.
    localDateTime: local === undefined ? a.fileCreatedAt : wallClock(local),
    createdAt: a.createdAt ?? a.fileCreatedAt,
    // v3 dropped deviceId; the owner stands in (one person's uploads).
    deviceId: str(a.deviceId) ?? str(a.ownerId) ?? "",
    make: str(e?.make) ?? null,
    model: str(e?.model) ?? null,
    originalDateTime: original === undefined ? null : originalTime(original, str(e?.timeZone), local),
    latitude: num(e?.latitude),
    longitude: num(e?.longitude),
    description: str(e?.description) ?? null,
    rating: num(e?.rating),
    favorite: a.isFavorite === true,
    livePhotoVideoId: str(a.livePhotoVideoId) ?? null,
    stackId: stack ?? null,
    duplicateId: str(a.duplicateId) ?? null,
    width: num(e?.exifImageWidth) ?? num(a.width),
    height: num(e?.exifImageHeight) ?? num(a.height),
    fileSize: num(e?.fileSizeInByte),
    people: people.map(
      (p) => str(typeof p.name === "string" ? p.name.trim() : undefined) ?? String(p.id ?? "")
    ),
    faceCount: faces.length,
    // Only an id that is safe in a path: `..` would turn the link into another route, fetched with the key.
    thumbnailUrl: isPathSafeId(id)
      ? `${prefix}/api/assets/${encodeURIComponent(id)}/thumbnail?size=thumbnail`
      : null
  }
}
