/**
 * A hand-written fast path for `Asset.AssetResponse` validation. Effect Schema costs ~15 µs per
 * asset, more than parsing the JSON; this check is ~20× cheaper. It never accepts what the Schema
 * rejects (a property test holds it to that); whatever it refuses goes to the Schema, which decides
 * and words the error.
 */
import { parseMillisRecent as parseMillis } from "../engine/CaptureTime.js"

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v)
const optStr = (v: unknown) => v === undefined || v === null || typeof v === "string"
const optNum = (v: unknown) => v === undefined || v === null || typeof v === "number"
const optDate = (v: unknown) =>
  v === undefined || v === null || (typeof v === "string" && parseMillis(v) !== undefined)

// Direct property reads (not a loop over key names) keep these monomorphic and fast.
const exifOk = (e: unknown): boolean => {
  if (e === undefined || e === null) return true
  if (!isObj(e)) return false
  return (
    optStr(e.make) &&
    optStr(e.model) &&
    optStr(e.modified_datetime) &&
    optStr(e.digitized_datetime) &&
    optStr(e.lens_model) &&
    optStr(e.city) &&
    optStr(e.state) &&
    optStr(e.country) &&
    optStr(e.description) &&
    optStr(e.live_photo_cid) &&
    optStr(e.projection_type) &&
    optStr(e.profile_description) &&
    optStr(e.auto_stack_id) &&
    optNum(e.orientation) &&
    optNum(e.f_number) &&
    optNum(e.focal_length) &&
    optNum(e.iso) &&
    optNum(e.exposure_time) &&
    optNum(e.exposure_bias) &&
    optNum(e.latitude) &&
    optNum(e.longitude) &&
    optNum(e.altitude) &&
    optNum(e.fps) &&
    optNum(e.rating) &&
    optDate(e.original_datetime)
  )
}

/** True when `v` certainly satisfies `AssetResponse`; false means "ask the Schema". */
export const looksValid = (v: Obj): boolean => {
  const id = v.id
  const checksum = v.checksum
  if (typeof id !== "string" || id.length === 0) return false
  // A blank checksum goes to the Schema, which rejects it (see `InputAsset.Checksum`).
  if (typeof checksum !== "string" || checksum.trim().length === 0) return false
  if (
    typeof v.device_asset_id !== "string" ||
    typeof v.device_id !== "string" ||
    typeof v.mime_type !== "string" ||
    typeof v.original_file_name !== "string" ||
    typeof v.file_created_at !== "string" ||
    typeof v.file_modified_at !== "string" ||
    typeof v.updated_at !== "string"
  ) {
    return false
  }
  const local = v.local_datetime
  const created = v.created_at
  if (typeof local !== "string" || parseMillis(local) === undefined) return false
  if (typeof created !== "string" || parseMillis(created) === undefined) return false
  if (
    !optStr(v.download_url) ||
    !optStr(v.thumbnail_url) ||
    !optStr(v.checksum_sha1) ||
    !optStr(v.stack_id) ||
    !optStr(v.duplicate_id) ||
    !optStr(v.live_photo_video_id) ||
    !optNum(v.file_size_bytes) ||
    !optNum(v.width) ||
    !optNum(v.height)
  ) {
    return false
  }
  const fav = v.is_favorite
  if (fav !== undefined && fav !== null && typeof fav !== "boolean") return false
  if (!exifOk(v.exif) || !exifOk(v.metadata)) return false
  const metrics = v.metrics
  if (metrics !== undefined && metrics !== null) {
    if (!isObj(metrics)) return false
    for (const k in metrics) {
      const m = metrics[k]
      if (m !== null && typeof m !== "number") return false
    }
  }
  const urls = v.asset_urls
  if (urls !== undefined && urls !== null) {
    if (!isObj(urls)) return false
    const t = urls.thumbnail
    if (t !== undefined && t !== null && (!isObj(t) || !optStr(t.url))) return false
  }
  const faces = v.faces
  if (faces !== undefined && faces !== null && !Array.isArray(faces)) return false
  const people = v.people
  if (people !== undefined && people !== null) {
    if (!Array.isArray(people)) return false
    for (const p of people) if (!isObj(p) || typeof p.id !== "string" || !optStr(p.name)) return false
  }
  return true
}
