/**
 * The contract of one grouping signal: it reads the asset table and proposes links between shots
 * that it has evidence belong together. Grouping applies the links in one place (see `Grouping.group`).
 */
import type { Evidence, ResolvedOptions } from "../../Analysis.js"
import type { AssetTable } from "../internal/assetTable.js"
import type { Shots } from "../Shots.js"

/** What a signal may read. */
export interface SignalInput {
  readonly table: AssetTable
  readonly shots: Shots
  readonly options: Pick<ResolvedOptions, "burstGapSeconds" | "maxBurstSpanSeconds">
  /** Asset ordinal → ordinal of the first asset with the same bytes (itself if none). */
  readonly copyOf: Int32Array
}

/** One evidence signal: its name and the links (pairs of shot indices) it proposes. */
export interface Signal {
  readonly evidence: Evidence
  readonly propose: (input: SignalInput, link: (shotA: number, shotB: number) => void) => void
}

/** Links every shot whose asset has key `key(i)` to the first shot with the same key (null: no key). */
export const linkByKey = (
  input: SignalInput,
  key: (i: number) => string | null,
  link: (shotA: number, shotB: number) => void
): void => {
  const first = new Map<string, number>()
  const shotOf = input.shots.shotOf
  for (let i = 0; i < input.table.length; i++) {
    const k = key(i)
    if (k === null) continue
    const s = shotOf[i]!
    const seen = first.get(k)
    if (seen === undefined) first.set(k, s)
    else link(seen, s)
  }
}
