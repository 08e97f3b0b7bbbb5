/**
 * Companions fold into one shot: a Live Photo (still + video) or a RAW+JPEG pair is one photo.
 *
 * - Live Photo: a still and a video with the same `live_photo_cid`, or a still whose
 *   `live_photo_video_id` names another asset's id.
 * - RAW+JPEG: same basename (extension and case ignored), same camera (make + model + device),
 *   capture times within 1 s, exactly one of the two a RAW file.
 * Shots, not files, are grouped and ranked, so companions always share group and recommendation.
 */
import type { AssetTable } from "./internal/assetTable.js"
import type { IdLookup } from "./internal/IdIndex.js"
import * as Shared from "./internal/Shared.js"
import { sortSmall } from "./internal/sortSmall.js"
import { UnionFind } from "./internal/UnionFind.js"

/** Shots of an album: a partition of asset ordinals. */
export interface Shots {
  readonly count: number
  /** Asset ordinal → shot index. */
  readonly shotOf: Int32Array
  /** Shot index → ordinal of its primary asset (the still image the shot is shown by). */
  readonly primary: Int32Array
  /** Members of shot `s` are `members[start[s]] … members[start[s+1]-1]`, primary first, then by id. */
  readonly start: Int32Array
  readonly members: Int32Array
}

const RAW_EXTENSIONS = new Set([
  "3fr",
  "ari",
  "arw",
  "bay",
  "cr2",
  "cr3",
  "crw",
  "dcr",
  "dng",
  "erf",
  "fff",
  "iiq",
  "k25",
  "kdc",
  "mef",
  "mos",
  "mrw",
  "nef",
  "nrw",
  "orf",
  "pef",
  "raf",
  "raw",
  "rw2",
  "rwl",
  "sr2",
  "srf",
  "srw",
  "x3f"
])

const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf(".")
  return dot < 0 ? "" : name.slice(dot + 1).toLowerCase()
}

/** True for a RAW camera file, by MIME subtype (`image/x-sony-arw`, `image/x-adobe-dng`…) or extension. */
export const isRaw = (mimeType: string, fileName: string): boolean => {
  const sub = mimeType.slice(mimeType.indexOf("/") + 1).toLowerCase()
  if (RAW_EXTENSIONS.has(sub.slice(Math.max(sub.lastIndexOf("-"), sub.lastIndexOf(".")) + 1))) return true
  // A specific non-RAW type (image/jpeg, video/mp4) is trusted; a generic one (application/octet-stream,
  // or TIFF, which DNG is built on) defers to the file extension.
  if ((mimeType.startsWith("image/") && sub !== "tiff") || mimeType.startsWith("video/")) return false
  return RAW_EXTENSIONS.has(extensionOf(fileName))
}

/** True for a video file. */
export const isVideo = (mimeType: string): boolean => mimeType.startsWith("video/")

/** The file name without extension, lower-cased: `IMG_0001.CR3` → `img_0001`. */
export const basename = (fileName: string): string => {
  const slash = Math.max(fileName.lastIndexOf("/"), fileName.lastIndexOf("\\"))
  const name = fileName.slice(slash + 1)
  const dot = name.lastIndexOf(".")
  return (dot > 0 ? name.slice(0, dot) : name).toLowerCase()
}

const RAW_JPEG_WINDOW_MS = 1000

const push = <K>(map: Map<K, Array<number>>, key: K, i: number) => {
  const list = map.get(key)
  if (list === undefined) map.set(key, [i])
  else list.push(i)
}

/** Folds companions into shots. `idIndex` maps each asset id to its ordinal. */
export const build = (store: AssetTable, idIndex: IdLookup): Shots => {
  const n = store.length
  const uf = new UnionFind(n)
  const cmpId = (x: number, y: number) => store.compareIds(x, y)
  // Per MIME code: 0 = not RAW, 1 = RAW, 2 = generic type, ask the file extension.
  const rawByMime = new Map<number, number>()
  const video = (i: number) => isVideo(store.mimeOf(i))
  const raw = (i: number) => {
    const code = store.mimeCodeOf(i)
    let kind = rawByMime.get(code)
    if (kind === undefined) {
      const mime = store.mimeOf(i)
      kind = isRaw(mime, "x.jpg") ? 1 : isRaw(mime, "x.nef") ? 2 : 0
      rawByMime.set(code, kind)
    }
    return kind === 2 ? isRaw(store.mimeOf(i), store.fileNameOf(i)) : kind === 1
  }
  /** Order of preference for a shot's primary: a still image, then a RAW, then a video. */
  const primaryClass = (i: number): number => (video(i) ? 2 : raw(i) ? 1 : 0)

  // Live Photos by content identifier.
  const byCid = new Map<string, Array<number>>()
  for (let i = 0; i < n; i++) {
    const cid = store.sparseOf("livePhotoCid", i)
    if (cid !== null) push(byCid, cid, i)
  }
  for (const list of byCid.values()) {
    if (list.length < 2) continue
    const stills = sortSmall(
      list.filter((i) => !video(i)),
      cmpId
    )
    const videos = list.filter(video)
    if (stills.length === 0) continue
    for (const v of videos) {
      // With several stills (a re-upload of the still shares the cid), the video joins the one
      // uploaded with it: the same device first, then the nearest in time, then the earliest upload.
      // Pairing it with a copy instead would make the original still look like a lone duplicate.
      const rank = (st: number): [number, number, number] => [
        store.deviceCodeOf(st) === store.deviceCodeOf(v) ? 0 : 1,
        Math.abs(store.wallMsOf(st) - store.wallMsOf(v)),
        store.createdMsOf(st)
      ]
      let best = stills[0]!
      let bestRank = rank(best)
      for (const st of stills) {
        const r = rank(st)
        if (
          r[0] < bestRank[0] ||
          (r[0] === bestRank[0] && (r[1] < bestRank[1] || (r[1] === bestRank[1] && r[2] < bestRank[2])))
        ) {
          best = st
          bestRank = r
        }
      }
      uf.union(best, v)
    }
  }

  // Live Photos by explicit link (Immich `livePhotoVideoId`).
  for (let i = 0; i < n; i++) {
    const target = store.sparseOf("livePhotoVideoId", i)
    if (target === null) continue
    const j = idIndex.get(target)
    if (j !== undefined && j !== i) uf.union(i, j)
  }

  // RAW+JPEG: bucket RAW files by camera + basename, then look up each non-RAW still of a camera
  // that has RAWs at all (most albums have none, and then no key is ever built).
  const byName = new Map<string, Array<number>>()
  const rawTimes = new Map<number, Array<number>>()
  for (let i = 0; i < n; i++) {
    const cam = store.cameraKeyOf(i)
    if (cam < 0 || !raw(i)) continue
    push(rawTimes, cam, store.wallMsOf(i))
    push(byName, `${cam}\u0000${basename(store.fileNameOf(i))}`, i)
  }
  // A still pairs only within the window of a RAW of its camera: checked on the sorted RAW times
  // first, so the name key is built only for those few stills.
  const sortedTimes = new Map<number, Float64Array>()
  for (const [cam, times] of rawTimes) sortedTimes.set(cam, Float64Array.from(times).sort())
  const nearRaw = (times: Float64Array, t: number): boolean => {
    let lo = 0
    let hi = times.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (times[mid]! < t - RAW_JPEG_WINDOW_MS) lo = mid + 1
      else hi = mid
    }
    return lo < times.length && times[lo]! <= t + RAW_JPEG_WINDOW_MS
  }
  const partners = new Map<Array<number>, Array<number>>()
  if (byName.size > 0) {
    for (let i = 0; i < n; i++) {
      const cam = store.cameraKeyOf(i)
      const times = cam < 0 ? undefined : sortedTimes.get(cam)
      if (times === undefined || !nearRaw(times, store.wallMsOf(i)) || video(i) || raw(i)) continue
      const raws = byName.get(`${cam}\u0000${basename(store.fileNameOf(i))}`)
      if (raws === undefined) continue
      const list = partners.get(raws)
      if (list === undefined) partners.set(raws, [i])
      else list.push(i)
    }
  }
  for (const [raws, others] of partners) {
    // Candidate pairs within the 1 s window (binary search over others sorted by time).
    others.sort((x, y) => store.wallMsOf(x) - store.wallMsOf(y) || cmpId(x, y))
    const pairs: Array<[number, number, number]> = []
    for (const r of raws) {
      const t = store.wallMsOf(r)
      let lo = 0
      let hi = others.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (store.wallMsOf(others[mid]!) < t - RAW_JPEG_WINDOW_MS) lo = mid + 1
        else hi = mid
      }
      for (let k = lo; k < others.length && store.wallMsOf(others[k]!) <= t + RAW_JPEG_WINDOW_MS; k++) {
        pairs.push([Math.abs(store.wallMsOf(others[k]!) - t), r, others[k]!])
      }
    }
    pairs.sort((p, q) => p[0] - q[0] || cmpId(p[1], q[1]) || cmpId(p[2], q[2]))
    const used = new Set<number>()
    for (const [, r, o] of pairs) {
      if (used.has(r) || used.has(o)) continue
      used.add(r)
      used.add(o)
      uf.union(r, o)
    }
  }

  // Number the shots and lay out their members (primary first, then by id).
  const shotOf = Shared.int32(n)
  const rootShot = new Int32Array(n).fill(-1)
  let count = 0
  for (let i = 0; i < n; i++) {
    const r = uf.find(i)
    if (rootShot[r] === -1) rootShot[r] = count++
    shotOf[i] = rootShot[r]!
  }
  const start = new Int32Array(count + 1)
  for (let i = 0; i < n; i++) start[shotOf[i]! + 1]!++
  for (let s = 0; s < count; s++) start[s + 1]! += start[s]!
  const fill = start.slice(0, count)
  const members = new Int32Array(n)
  for (let i = 0; i < n; i++) members[fill[shotOf[i]!]!++] = i
  const primary = Shared.int32(count)
  for (let s = 0; s < count; s++) {
    const from = start[s]!
    const to = start[s + 1]!
    if (to - from > 1) {
      const sorted = sortSmall(
        Array.from(members.subarray(from, to)),
        (x, y) => primaryClass(x) - primaryClass(y) || cmpId(x, y)
      )
      members.set(sorted, from)
    }
    primary[s] = members[from]!
  }
  return { count, shotOf, primary, start, members }
}

/** The asset ordinals of shot `s`, primary first. */
export const membersOf = (shots: Shots, s: number): Int32Array =>
  shots.members.subarray(shots.start[s]!, shots.start[s + 1]!)
