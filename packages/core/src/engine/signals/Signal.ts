/**
 * The contract of one grouping signal: it reads the asset table and proposes links between shots
 * that it has evidence belong together. Grouping applies the links in one place (see `Grouping.group`).
 */
import type { Evidence, ResolvedOptions } from "../../Analysis.js"
import type { AssetTable } from "../internal/assetTable.js"
import { hash53 } from "../internal/Hash.js"
import { HashIndex } from "../internal/HashIndex.js"
import type { Shots } from "../Shots.js"

/** What a signal may read. */
export interface SignalInput {
  readonly table: AssetTable
  readonly shots: Shots
  readonly options: Pick<ResolvedOptions, "burstGapSeconds" | "maxBurstSpanSeconds">
  /** Asset ordinal → ordinal of the first asset with the same bytes (itself if none). */
  readonly copyOf: Int32Array
}

/** Applies a proposed link; false when the caller vetoed it (see `Grouping.AcceptLink`). */
export type Link = (shotA: number, shotB: number) => boolean

/** One evidence signal: its name and the links (pairs of shot indices) it proposes. */
export interface Signal {
  readonly evidence: Evidence
  readonly propose: (input: SignalInput, link: Link) => void
}

/**
 * Links the shots of buckets (shots with the same key) with at most two links per shot: each shot to
 * its bucket's first shot and, when that link is vetoed (marked not a duplicate of it), to the first
 * shot whose link was not. So a veto cuts only the links between marked shots: they still join the
 * other members of their bucket (assumes the veto marks classes of shots, as decisions do).
 */
export class BucketLinker<K> {
  /** Key → a shot linked to the first one (so not vetoed with it). */
  private readonly partner = new Map<K, number>()
  /** Key → shots vetoed with the first one, waiting for a partner. */
  private readonly waiting = new Map<K, Array<number>>()

  constructor(private readonly link: Link) {}

  /** Links `shot` into the bucket `key`, whose first shot is `first`. */
  add(key: K, first: number, shot: number): void {
    if (shot === first) return
    if (this.link(first, shot)) {
      if (this.partner.has(key)) return
      this.partner.set(key, shot)
      for (const w of this.waiting.get(key) ?? []) this.link(shot, w)
      this.waiting.delete(key)
      return
    }
    const partner = this.partner.get(key)
    if (partner !== undefined) this.link(partner, shot)
    else {
      const list = this.waiting.get(key)
      if (list === undefined) this.waiting.set(key, [shot])
      else list.push(shot)
    }
  }
}

/**
 * Links every shot whose asset has key `key(i)` with the other shots of that key (null: no key).
 * Buckets are found by hash in a typed index (no key string kept per asset); a key is rebuilt
 * only to confirm a hash match.
 */
export const linkByKey = (input: SignalInput, key: (i: number) => string | null, link: Link): void => {
  const firsts = new HashIndex()
  const bucket = new BucketLinker<number>(link)
  const shotOf = input.shots.shotOf
  let current: string | null = null
  const sameKey = (j: number) => key(j) === current
  for (let i = 0; i < input.table.length; i++) {
    current = key(i)
    if (current === null) continue
    // The bucket is named by its first asset.
    const first = firsts.findOrAdd(hash53(current), i, sameKey)
    if (first >= 0) bucket.add(first, shotOf[first]!, shotOf[i]!)
  }
}
