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
import type { Evidence, GroupKind, ResolvedOptions, TimezoneAnomaly } from "../Analysis.js"
import { EVIDENCE } from "../Analysis.js"
import * as Time from "./CaptureTime.js"
import { hash53, hashHex } from "./internal/Hash.js"
import { HashIndex } from "./internal/HashIndex.js"
import type { Store } from "./internal/Store.js"
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
  /** Asset ordinal → ordinal of the first asset with the same checksum and hash kind (itself if none). */
  readonly copyOf: Int32Array
}

const BIT: Record<Evidence, number> = {
  checksum: 1,
  auto_stack_id: 2,
  capture_time: 4,
  stack: 8,
  immich_duplicate: 16
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

const evidenceLists = new Map<number, ReadonlyArray<Evidence>>()
/** The shared, frozen evidence list of a bit mask. */
const evidenceOf = (bits: number): ReadonlyArray<Evidence> => {
  let list = evidenceLists.get(bits)
  if (list === undefined) {
    list = Object.freeze(EVIDENCE.filter((e) => (bits & BIT[e]) !== 0))
    evidenceLists.set(bits, list)
  }
  return list
}

/** For each asset, the first asset with the same bytes (same checksum of the same hash kind). */
export const firstCopies = (store: Store): Int32Array => {
  const n = store.length
  const copyOf = new Int32Array(n)
  const index = new HashIndex(n)
  for (let i = 0; i < n; i++) {
    const kind = store.hashKind[i]!
    const checksum = store.checksumOf(i)
    const f = index.findOrAdd(
      hash53(checksum, kind),
      i,
      (j) => store.hashKind[j] === kind && store.checksumOf(j) === checksum
    )
    copyOf[i] = f < 0 ? i : f
  }
  return copyOf
}

/** Groups the shots of an album. */
export const group = (
  store: Store,
  shots: Shots,
  options: Pick<ResolvedOptions, "burstGapSeconds" | "maxBurstSpanSeconds">
): Grouping => {
  const n = store.length
  const uf = new UnionFind(shots.count)
  const mask = new Uint8Array(shots.count)
  const link = (a: number, b: number, bit: number) => {
    if (a === b) return
    uf.union(a, b)
    mask[a]! |= bit
    mask[b]! |= bit
  }
  const byKey = (key: (i: number) => string | null, bit: number) => {
    const first = new Map<string, number>()
    for (let i = 0; i < n; i++) {
      const k = key(i)
      if (k === null) continue
      const s = shots.shotOf[i]!
      const seen = first.get(k)
      if (seen === undefined) first.set(k, s)
      else link(seen, s, bit)
    }
  }

  // Exact copies: the first asset with the same checksum of the same hash kind.
  const copyOf = firstCopies(store)
  for (let i = 0; i < n; i++) {
    const f = copyOf[i]!
    if (f !== i) link(shots.shotOf[f]!, shots.shotOf[i]!, BIT.checksum)
  }
  // A burst id is only meaningful within one camera.
  byKey((i) => {
    const id = store.sparseOf<string>("autoStackId", i)
    if (id === null) return null
    const cam = store.cameraKey[i]!
    return `${cam >= 0 ? cam : `d${store.device[i]}`}\u0000${id}`
  }, BIT.auto_stack_id)
  byKey((i) => store.sparseOf<string>("stackId", i), BIT.stack)
  byKey((i) => store.sparseOf<string>("duplicateId", i), BIT.immich_duplicate)
  captureTimeEdges(store, shots, options, (a, b) => link(a, b, BIT.capture_time))

  // Collect components of two or more shots.
  const size = new Int32Array(shots.count)
  for (let s = 0; s < shots.count; s++) size[uf.find(s)]!++
  const rootGroup = new Map<number, Array<number>>()
  for (let s = 0; s < shots.count; s++) {
    const r = uf.find(s)
    if (size[r]! < 2) continue
    const list = rootGroup.get(r)
    if (list === undefined) rootGroup.set(r, [s])
    else list.push(s)
  }
  const drafts: Array<GroupDraft> = []
  const minIds: Array<string> = []
  for (const list of rootGroup.values()) {
    let bits = 0
    const ids: Array<string> = []
    const first = shots.primary[list[0]!]!
    let exact = true
    for (const s of list) {
      bits |= mask[s]!
      for (const i of membersOf(shots, s)) {
        ids.push(store.ids[i]!)
        if (copyOf[i] !== copyOf[first]) exact = false
      }
    }
    ids.sort(cmpStr)
    minIds.push(ids[0]!)
    drafts.push({
      id: `g-${hashHex(ids.join("\n"))}`,
      kind: exact ? "exact" : "near",
      evidence: evidenceOf(bits),
      shots: list.slice() // exact-size copy: push-grown arrays keep ~17 slots
    })
  }
  // Ids collide only with vanishing odds (53-bit hash); a collision is resolved by content, not order.
  const order = drafts
    .map((_, k) => k)
    .sort((x, y) => cmpStr(drafts[x]!.id, drafts[y]!.id) || cmpStr(minIds[x]!, minIds[y]!))
  const sorted = order.map((k, pos) => {
    const d = drafts[k]!
    const prev = pos > 0 ? drafts[order[pos - 1]!]! : undefined
    return prev !== undefined && prev.id === d.id ? { ...d, id: `${d.id}-${minIds[k]}` } : d
  })
  const groupOf = new Int32Array(shots.count).fill(-1)
  sorted.forEach((g, gi) => {
    for (const s of g.shots) groupOf[s] = gi
  })
  return { groups: sorted, groupOf, copyOf }
}

/** Emits `capture_time` edges: per camera, consecutive shots within the gap, chains bounded in span. */
const captureTimeEdges = (
  store: Store,
  shots: Shots,
  options: Pick<ResolvedOptions, "burstGapSeconds" | "maxBurstSpanSeconds">,
  link: (a: number, b: number) => void
) => {
  // Per camera: compare true instants only when every shot of that camera states its offset.
  const allOffsets = new Map<number, boolean>()
  const timed: Array<number> = []
  for (let s = 0; s < shots.count; s++) {
    const p = shots.primary[s]!
    const cam = store.cameraKey[p]!
    if (!store.cameraTime(p) || cam < 0) continue
    if (store.offsetOf(p) === null) allOffsets.set(cam, false)
    else if (!allOffsets.has(cam)) allOffsets.set(cam, true)
    timed.push(s)
  }
  const cam = new Int32Array(shots.count)
  const time = new Float64Array(shots.count)
  for (const s of timed) {
    const p = shots.primary[s]!
    const c = store.cameraKey[p]!
    cam[s] = c
    time[s] = allOffsets.get(c) ? store.wallMs[p]! - store.offsetOf(p)! * 60_000 : store.wallMs[p]!
  }
  const ids = store.ids
  // A plain array sorts with TimSort, which is linear on the already time-ordered runs albums usually have.
  const order = timed.sort(
    (x, y) =>
      cam[x]! - cam[y]! || time[x]! - time[y]! || cmpStr(ids[shots.primary[x]!]!, ids[shots.primary[y]!]!)
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
export const timezoneAnomalies = (store: Store, copyOf: Int32Array): ReadonlyArray<TimezoneAnomaly> => {
  const out: Array<TimezoneAnomaly> = []
  const buckets = new Map<number, Array<number>>()
  for (let i = 0; i < store.length; i++) {
    const f = copyOf[i]!
    if (f !== i) {
      const list = buckets.get(f)
      if (list === undefined) buckets.set(f, [f, i])
      else list.push(i)
    }
    const shift = store.zoneShiftOf(i)
    if (shift !== null) {
      out.push({
        assetIds: [store.ids[i]!],
        reason: `EXIF original time and local_datetime differ by ${Time.formatOffset(shift)}`
      })
    }
  }
  for (const list of buckets.values()) {
    const sorted = list.slice().sort((x, y) => cmpStr(store.ids[x]!, store.ids[y]!))
    // Compare each distinct capture time with the earlier ones, not just with the first copy:
    // a copy re-timed by a messaging app (upload time) must not hide two camera copies hours apart.
    // Capped so a file uploaded thousands of times cannot make this quadratic.
    const walls = [...new Set(sorted.map((i) => store.wallMs[i]!))].sort((x, y) => x - y).slice(0, 64)
    const shifts = new Set<number>()
    for (let k = 1; k < walls.length; k++) {
      for (let j = 0; j < k; j++) {
        const d = Time.zoneShiftMinutes(walls[j]!, walls[k]!)
        if (d !== null) shifts.add(Math.abs(d))
      }
    }
    if (shifts.size === 0) continue
    const by = [...shifts]
      .sort((x, y) => x - y)
      .map(Time.formatOffset)
      .join(", ")
    out.push({
      assetIds: sorted.map((i) => store.ids[i]!),
      reason: `same checksum, capture time differs by ${by}`
    })
  }
  return out.sort((x, y) => cmpStr(x.assetIds[0]!, y.assetIds[0]!) || cmpStr(x.reason, y.reason))
}
