/**
 * Groups shots with union-find in O(n log n) (sorts and hash maps, never pairwise comparison inside a
 * bucket). Each evidence signal (one file under `signals/`, listed in `SIGNALS`) proposes links between
 * shots; `group` applies them in one place, so a caller can veto links (`accept`).
 */
import type { Evidence, GroupKind, ResolvedOptions, TimezoneAnomaly } from "../Analysis.js"
import { EVIDENCE } from "../Analysis.js"
import * as Time from "./CaptureTime.js"
import type { AssetTable } from "./internal/assetTable.js"
import { hashHex } from "./internal/Hash.js"
import { HashIndex } from "./internal/HashIndex.js"
import * as Shared from "./internal/Shared.js"
import { sortSmall } from "./internal/sortSmall.js"
import { UnionFind } from "./internal/UnionFind.js"
import type { Shots } from "./Shots.js"
import { autoStack } from "./signals/AutoStack.js"
import { captureTime } from "./signals/CaptureTime.js"
import { checksum } from "./signals/Checksum.js"
import { immichDuplicate } from "./signals/ImmichDuplicate.js"
import type { Signal } from "./signals/Signal.js"
import { stack } from "./signals/Stack.js"

/** Every grouping signal, in the order they run (and reports list them, see `EVIDENCE`). */
export const SIGNALS: ReadonlyArray<Signal> = [checksum, autoStack, captureTime, stack, immichDuplicate]

/**
 * Decides whether a proposed link is applied (default: every link). Shots are shot indices. A veto
 * marks classes of shots (never linked with each other), so key-based signals link a vetoed shot
 * through another member of its bucket instead (see `BucketLinker`).
 */
export type AcceptLink = (shotA: number, shotB: number, evidence: Evidence) => boolean

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

/** Bit of each evidence in a shot's mask: its position in `EVIDENCE`. */
const bitOf = (e: Evidence): number => 1 << EVIDENCE.indexOf(e)

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

const evidenceLists = new Map<number, ReadonlyArray<Evidence>>()
/** The shared, frozen evidence list of a bit mask. */
const evidenceOf = (bits: number): ReadonlyArray<Evidence> => {
  let list = evidenceLists.get(bits)
  if (list === undefined) {
    list = Object.freeze(EVIDENCE.filter((e) => (bits & bitOf(e)) !== 0))
    evidenceLists.set(bits, list)
  }
  return list
}

/** For each asset, the first asset with the same bytes (same checksum of the same hash kind). */
export const firstCopies = (store: AssetTable): Int32Array => {
  const n = store.length
  const copyOf = new Int32Array(n)
  const index = new HashIndex(n)
  // Hashed and compared as stored bytes: no checksum text is rebuilt per asset (nor a closure made).
  let i = 0
  const sameAsCurrent = (j: number) => store.sameChecksum(i, j)
  for (; i < n; i++) {
    const f = index.findOrAdd(store.checksumHash(i), i, sameAsCurrent)
    copyOf[i] = f < 0 ? i : f
  }
  return copyOf
}

/** Groups the shots of an album. */
export const group = (
  store: AssetTable,
  shots: Shots,
  options: Pick<ResolvedOptions, "burstGapSeconds" | "maxBurstSpanSeconds">,
  accept: AcceptLink = () => true,
  signals: ReadonlyArray<Signal> = SIGNALS
): Grouping => {
  const uf = new UnionFind(shots.count)
  const mask = new Uint8Array(shots.count)
  const copyOf = firstCopies(store)
  const input = { table: store, shots, options, copyOf }
  for (const signal of signals) {
    const bit = bitOf(signal.evidence)
    signal.propose(input, (a, b) => {
      if (a === b) return true
      if (!accept(a, b, signal.evidence)) return false
      uf.union(a, b)
      mask[a]! |= bit
      mask[b]! |= bit
      return true
    })
  }

  // Components of two or more shots, numbered by first shot, their shots laid out in typed arrays
  // (a counting sort: no list per component while collecting).
  const root = new Int32Array(shots.count)
  const size = new Int32Array(shots.count)
  for (let s = 0; s < shots.count; s++) {
    root[s] = uf.find(s)
    size[root[s]!]!++
  }
  const component = new Int32Array(shots.count).fill(-1)
  let components = 0
  for (let s = 0; s < shots.count; s++) {
    const r = root[s]!
    if (size[r]! >= 2 && component[r] === -1) component[r] = components++
  }
  const start = new Int32Array(components + 1)
  for (let s = 0; s < shots.count; s++) {
    const c = component[root[s]!]!
    if (c !== -1) start[c + 1]!++
  }
  for (let c = 0; c < components; c++) start[c + 1]! += start[c]!
  const members = new Int32Array(start[components]!)
  const fill = start.slice(0, components)
  for (let s = 0; s < shots.count; s++) {
    const c = component[root[s]!]!
    if (c !== -1) members[fill[c]!++] = s
  }
  const drafts: Array<GroupDraft> = []
  const minIds: Array<string> = []
  const ids: Array<string> = []
  for (let c = 0; c < components; c++) {
    // Copied by index: `Array.from` over a typed array goes through the iterator protocol.
    const list = new Array<number>(start[c + 1]! - start[c]!)
    for (let k = 0; k < list.length; k++) list[k] = members[start[c]! + k]!
    let bits = 0
    ids.length = 0
    // Exact: every shot's primary has the same bytes (a Live Photo re-uploaded whole is one picture).
    const picture = copyOf[shots.primary[list[0]!]!]!
    let exact = true
    for (const s of list) {
      bits |= mask[s]!
      if (copyOf[shots.primary[s]!] !== picture) exact = false
      for (let k = shots.start[s]!; k < shots.start[s + 1]!; k++) ids.push(store.idOf(shots.members[k]!))
    }
    sortSmall(ids, cmpStr)
    minIds.push(ids[0]!)
    drafts.push({
      id: `g-${hashHex(ids.join("\n"))}`,
      kind: exact ? "exact" : "near",
      evidence: evidenceOf(bits),
      shots: list
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
  const groupOf = Shared.int32(shots.count).fill(-1)
  sorted.forEach((g, gi) => {
    for (const s of g.shots) groupOf[s] = gi
  })
  return { groups: sorted, groupOf, copyOf }
}

/**
 * Time-zone anomalies: copies of one checksum whose capture times differ by a whole zone step,
 * and assets whose EXIF original time and `local_datetime` disagree by one.
 */
export const timezoneAnomalies = (store: AssetTable, copyOf: Int32Array): ReadonlyArray<TimezoneAnomaly> => {
  const out: Array<TimezoneAnomaly> = []
  const n = store.length
  // Copies laid out by their first copy (a counting sort in typed arrays, no list per checksum):
  // the copies of first copy f are `copies[start[f]]`… `copies[start[f + 1] - 1]`, in ordinal order.
  const start = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) {
    const f = copyOf[i]!
    if (f !== i) start[f + 1]!++
    const shift = store.zoneShiftOf(i)
    if (shift !== null) {
      out.push({
        assetIds: [store.idOf(i)],
        reason: `EXIF original time and local_datetime differ by ${Time.formatOffset(shift)}`
      })
    }
  }
  for (let f = 0; f < n; f++) start[f + 1]! += start[f]!
  const copies = new Int32Array(start[n]!)
  const fill = start.slice(0, n)
  for (let i = 0; i < n; i++) if (copyOf[i] !== i) copies[fill[copyOf[i]!]!++] = i
  for (let f = 0; f < n; f++) {
    // Copies taken at one wall clock (most) cannot differ by a zone step.
    const wall = store.wallMsOf(f)
    let differs = false
    for (let k = start[f]!; k < start[f + 1]! && !differs; k++) differs = store.wallMsOf(copies[k]!) !== wall
    if (!differs) continue
    const list = [f]
    for (let k = start[f]!; k < start[f + 1]!; k++) list.push(copies[k]!)
    // Compare each distinct capture time with the earlier ones, not just with the first copy:
    // a copy re-timed by a messaging app (upload time) must not hide two camera copies hours apart.
    // Capped so a file uploaded thousands of times cannot make this quadratic.
    const walls = [...new Set(list.map((i) => store.wallMsOf(i)))].sort((x, y) => x - y).slice(0, 64)
    const shifts = new Set<number>()
    for (let k = 1; k < walls.length; k++) {
      for (let j = 0; j < k; j++) {
        const d = Time.zoneShiftMinutes(walls[j]!, walls[k]!)
        if (d !== null) shifts.add(Math.abs(d))
      }
    }
    if (shifts.size === 0) continue
    const sorted = list.sort((x, y) => store.compareIds(x, y))
    const by = [...shifts]
      .sort((x, y) => x - y)
      .map(Time.formatOffset)
      .join(", ")
    out.push({
      assetIds: sorted.map((i) => store.idOf(i)),
      reason: `same checksum, capture time differs by ${by}`
    })
  }
  return out.sort((x, y) => cmpStr(x.assetIds[0]!, y.assetIds[0]!) || cmpStr(x.reason, y.reason))
}
