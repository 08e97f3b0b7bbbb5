/**
 * An analysis' `assets` and `groups` read on another thread: the asset store, the ranking and the
 * per-asset columns are in shared memory (see `internal/Shared`), so a worker reads them where they
 * are, and only their small tables (interned strings, group ids, reason texts) are copied. Imports
 * nothing from Effect, so a worker's bundle stays small.
 */
import type { AssetInfo, Group } from "../Analysis.js"
import type { AssetTable } from "./internal/assetTable.js"
import { lazyArray } from "./internal/LazyArray.js"
import { RankTable } from "./internal/rankTable.js"
import * as Quality from "./Quality.js"

/** The per-asset results `analysis.assets` is read from, besides the asset table and the group ids. */
export interface PerAsset {
  /** Position k of `assets` → asset ordinal. */
  readonly order: Int32Array
  readonly shotOf: Int32Array
  readonly primary: Int32Array
  readonly groupOf: Int32Array
  readonly score: Float64Array
  readonly flagMasks: Uint8Array
}

/**
 * An analysis' `assets` and `groups` in a form another thread can be sent (`postMessage`) and read where
 * they are: the asset store, the ranking and the per-asset columns are in shared memory, so only their
 * small tables are copied.
 *
 * @since 0.2.0
 */
export interface SharedAnalysis extends PerAsset {
  /** The ranking, with the asset table it reads (kept opaque: revived by `read`). */
  readonly ranking: unknown
  /** Position k of `groups` → group index. */
  readonly groupOrder: Int32Array
}

/** Everything `analysis.assets` is read from. */
interface AssetColumns extends PerAsset {
  readonly store: AssetTable
  readonly groupId: (g: number) => string
}

/** `analysis.assets` at position k, read from the columns. */
export const reader =
  ({ store, order, shotOf, primary, groupOf, score, flagMasks, groupId }: AssetColumns) =>
  (k: number): AssetInfo => {
    const i = order[k]!
    const s = shotOf[i]!
    const g = groupOf[s]!
    return store.info(
      i,
      primary[s]!,
      g === -1 ? null : groupId(g),
      scoreOf(score, i),
      Quality.flagsOf(flagMasks[i]!)
    )
  }

/** Asset i's score as `AssetInfo` gives it (none: null). */
export const scoreOf = (score: Float64Array, i: number): number | null => {
  const x = score[i]!
  return Number.isNaN(x) ? null : x
}

/**
 * The `assets` and `groups` another thread was sent with `shareAnalysis`: the same values, read from the
 * same memory. Read only, while the sender keeps the analysis.
 *
 * @since 0.2.0
 */
export const read = (
  shared: SharedAnalysis
): {
  readonly assets: ReadonlyArray<AssetInfo>
  readonly groups: ReadonlyArray<Group>
  /** The group of the asset at position k of `assets`, built (as `groups` builds it), or undefined. */
  readonly groupAt: (k: number) => Group | undefined
} => {
  const ranking = RankTable.revive(shared.ranking)
  const { groupOrder, order, shotOf, groupOf } = shared
  return {
    assets: lazyArray(
      order.length,
      reader({ ...shared, store: ranking.assetTable, groupId: (g) => ranking.idOf(g) })
    ),
    groups: lazyArray(groupOrder.length, (k) => ranking.group(groupOrder[k]!)),
    groupAt: (k) => {
      const g = groupOf[shotOf[order[k]!]!]!
      return g === -1 ? undefined : ranking.group(g)
    }
  }
}
