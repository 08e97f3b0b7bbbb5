/**
 * Groups shots with union-find, one edge per signal, in O(n log n) (sorts and hash maps, never
 * pairwise comparison inside a bucket).
 *
 * - `checksum`: the same content hash of the same hash kind (SHA-256 and SHA-1 never match).
 * - `auto_stack_id`: the same camera burst id from the same camera.
 * - `stack` / `immich_duplicate`: the same server `stack_id` / `duplicate_id`.
 * - `capture_time`: consecutive shots of one camera (make + model + device id) at most
 *   `burstGapSeconds` apart, a chain ending `maxBurstSpanSeconds` after its first shot. Only
 *   camera-timed shots (EXIF make/model present) count: scans imported together only join via checksum.
 *   Times compare by true instant when every shot of that camera states an offset, else by wall clock.
 */
import type { Evidence, GroupKind, ResolvedOptions, TimezoneAnomaly } from "./Analysis.js"
import { EVIDENCE } from "./Analysis.js"
import type { Projected } from "./Asset.js"
import * as Time from "./CaptureTime.js"
import { hashHex } from "./internal/Hash.js"
import { UnionFind } from "./internal/UnionFind.js"
import type { Shots } from "./Shots.js"
import { membersOf } from "./Shots.js"

/** A group before ranking. */
export interface GroupDraft {
  /** Stable id from the sorted member asset ids, e.g. `g-0a1b2c3d4e5f60`. */
  readonly id: string
  readonly kind: GroupKind
  readonly evidence: ReadonlyArray<Evidence>
  /** Shot indices. */
  readonly shots: ReadonlyArray<number>
}

/** The groups of an album and each shot's group. */
export interface Grouping {
  readonly groups: ReadonlyArray<GroupDraft>
  /** Shot index → index in `groups`, or -1. */
  readonly groupOf: Int32Array
}

const BIT: Record<Evidence, number> = {
  checksum: 1,
  auto_stack_id: 2,
  capture_time: 4,
  stack: 8,
  immich_duplicate: 16
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Groups the shots of an album. */
export const group = (
  assets: ReadonlyArray<Projected>,
  shots: Shots,
  options: Pick<ResolvedOptions, "burstGapSeconds" | "maxBurstSpanSeconds">
): Grouping => {
  const n = assets.length
  const uf = new UnionFind(shots.count)
  const mask = new Uint8Array(shots.count)
  const link = (a: number, b: number, bit: number) => {
    if (a === b) return
    uf.union(a, b)
    mask[a]! |= bit
    mask[b]! |= bit
  }
  const byKey = (key: (a: Projected) => string | null, bit: number) => {
    const first = new Map<string, number>()
    for (let i = 0; i < n; i++) {
      const k = key(assets[i]!)
      if (k === null) continue
      const s = shots.shotOf[i]!
      const seen = first.get(k)
      if (seen === undefined) first.set(k, s)
      else link(seen, s, bit)
    }
  }

  // Exact copies: one map per hash kind, so checksums of different kinds never meet.
  const byKind = new Map<string, Map<string, number>>()
  for (let i = 0; i < n; i++) {
    const a = assets[i]!
    let m = byKind.get(a.hashKind)
    if (m === undefined) {
      m = new Map()
      byKind.set(a.hashKind, m)
    }
    const s = shots.shotOf[i]!
    const seen = m.get(a.checksum)
    if (seen === undefined) m.set(a.checksum, s)
    else link(seen, s, BIT.checksum)
  }
  byKey(
    (a) => (a.autoStackId === null ? null : `${a.cameraKey ?? a.deviceId}\u0000${a.autoStackId}`),
    BIT.auto_stack_id
  )
  byKey((a) => a.stackId, BIT.stack)
  byKey((a) => a.duplicateId, BIT.immich_duplicate)
  captureTimeEdges(assets, shots, options, (a, b) => link(a, b, BIT.capture_time))

  // Collect components of two or more shots.
  const rootGroup = new Map<number, Array<number>>()
  for (let s = 0; s < shots.count; s++) {
    const r = uf.find(s)
    const list = rootGroup.get(r)
    if (list === undefined) rootGroup.set(r, [s])
    else list.push(s)
  }
  const drafts: Array<GroupDraft> = []
  const taken = new Set<string>()
  for (const list of rootGroup.values()) {
    if (list.length < 2) continue
    let bits = 0
    const ids: Array<string> = []
    let checksum: string | undefined
    let kind: string | undefined
    let exact = true
    for (const s of list) {
      bits |= mask[s]!
      for (const i of membersOf(shots, s)) {
        const a = assets[i]!
        ids.push(a.id)
        if (checksum === undefined) {
          checksum = a.checksum
          kind = a.hashKind
        } else if (a.checksum !== checksum || a.hashKind !== kind) exact = false
      }
    }
    ids.sort(cmpStr)
    const base = `g-${hashHex(ids.join("\n"))}`
    let id = base
    for (let k = 2; taken.has(id); k++) id = `${base}-${k}`
    taken.add(id)
    drafts.push({
      id,
      kind: exact ? "exact" : "near",
      evidence: EVIDENCE.filter((e) => (bits & BIT[e]) !== 0),
      shots: list
    })
  }
  // Ids can only collide with vanishing odds; order-independent suffixes need a sorted order anyway.
  drafts.sort((a, b) => cmpStr(a.id, b.id))
  const groupOf = new Int32Array(shots.count).fill(-1)
  drafts.forEach((g, gi) => {
    for (const s of g.shots) groupOf[s] = gi
  })
  return { groups: drafts, groupOf }
}

/** Emits `capture_time` edges: per camera, consecutive shots within the gap, chains bounded in span. */
const captureTimeEdges = (
  assets: ReadonlyArray<Projected>,
  shots: Shots,
  options: Pick<ResolvedOptions, "burstGapSeconds" | "maxBurstSpanSeconds">,
  link: (a: number, b: number) => void
) => {
  const cameraCode = new Map<string, number>()
  const allOffsets: Array<boolean> = []
  const timed: Array<number> = []
  for (let s = 0; s < shots.count; s++) {
    const a = assets[shots.primary[s]!]!
    if (!a.cameraTime || a.cameraKey === null) continue
    let code = cameraCode.get(a.cameraKey)
    if (code === undefined) {
      code = cameraCode.size
      cameraCode.set(a.cameraKey, code)
      allOffsets.push(true)
    }
    if (a.takenAt.offsetMinutes === null) allOffsets[code] = false
    timed.push(s)
  }
  const cam = new Int32Array(shots.count)
  const time = new Float64Array(shots.count)
  for (const s of timed) {
    const a = assets[shots.primary[s]!]!
    const code = cameraCode.get(a.cameraKey!)!
    cam[s] = code
    time[s] = allOffsets[code] ? Time.instantMillis(a.takenAt)! : a.wallMs
  }
  const order = Int32Array.from(timed).sort(
    (x, y) =>
      cam[x]! - cam[y]! ||
      time[x]! - time[y]! ||
      cmpStr(assets[shots.primary[x]!]!.id, assets[shots.primary[y]!]!.id)
  )
  const gap = options.burstGapSeconds * 1000
  const span = options.maxBurstSpanSeconds * 1000
  let chainStart = 0
  for (let k = 0; k < order.length; k++) {
    const cur = order[k]!
    const prev = k === 0 ? -1 : order[k - 1]!
    if (prev === -1 || cam[prev] !== cam[cur]) {
      chainStart = time[cur]!
      continue
    }
    if (time[cur]! - time[prev]! <= gap && time[cur]! - chainStart <= span) link(prev, cur)
    else chainStart = time[cur]!
  }
}

/**
 * Time-zone anomalies: copies of one checksum whose capture times differ by a whole zone step,
 * and assets whose EXIF original time and `local_datetime` disagree by one.
 */
export const timezoneAnomalies = (assets: ReadonlyArray<Projected>): ReadonlyArray<TimezoneAnomaly> => {
  const out: Array<TimezoneAnomaly> = []
  const byKind = new Map<string, Map<string, number | Array<number>>>()
  for (let i = 0; i < assets.length; i++) {
    const a = assets[i]!
    let buckets = byKind.get(a.hashKind)
    if (buckets === undefined) {
      buckets = new Map()
      byKind.set(a.hashKind, buckets)
    }
    const seen = buckets.get(a.checksum)
    if (seen === undefined) buckets.set(a.checksum, i)
    else if (typeof seen === "number") buckets.set(a.checksum, [seen, i])
    else seen.push(i)
    if (a.zoneShift !== null) {
      out.push({
        assetIds: [a.id],
        reason: `EXIF original time and local_datetime differ by ${Time.formatOffset(a.zoneShift)}`
      })
    }
  }
  for (const buckets of byKind.values()) {
    for (const list of buckets.values()) {
      if (typeof list === "number") continue
      const sorted = list.map((i) => assets[i]!).sort((x, y) => cmpStr(x.id, y.id))
      const shifts = new Set<number>()
      for (let k = 1; k < sorted.length; k++) {
        const d = Time.zoneShiftMinutes(sorted[0]!.wallMs, sorted[k]!.wallMs)
        if (d !== null) shifts.add(Math.abs(d))
      }
      if (shifts.size === 0) continue
      const by = [...shifts]
        .sort((x, y) => x - y)
        .map(Time.formatOffset)
        .join(", ")
      out.push({ assetIds: sorted.map((a) => a.id), reason: `same checksum, capture time differs by ${by}` })
    }
  }
  return out.sort((x, y) => cmpStr(x.assetIds[0]!, y.assetIds[0]!) || cmpStr(x.reason, y.reason))
}
