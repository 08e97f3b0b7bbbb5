/**
 * An analysis' `assets` read on another thread: the asset store and the per-asset columns are in
 * shared memory (see `internal/Shared`), so a worker reads them where they are, and only the store's
 * small tables and the group ids are copied. Imports nothing from Effect, so a worker's bundle stays small.
 */
import type { AssetInfo } from "../Analysis.js"
import { AssetTable } from "./internal/assetTable.js"
import { lazyArray } from "./internal/LazyArray.js"
import * as Quality from "./Quality.js"

/**
 * An analysis' `assets` in a form another thread can be sent (`postMessage`) and read where they are:
 * the asset store and the per-asset columns are in shared memory, so only their small tables are copied.
 *
 * @since 0.2.0
 */
export interface SharedAssets {
  readonly store: unknown
  readonly order: Int32Array
  readonly shotOf: Int32Array
  readonly primary: Int32Array
  readonly groupOf: Int32Array
  readonly score: Float64Array
  readonly flagMasks: Uint8Array
  readonly groupIds: ReadonlyArray<string>
}

/** The per-asset columns `analysis.assets` is read from, with each group's id. */
interface AssetColumns {
  readonly store: AssetTable
  /** Position k of `assets` → asset ordinal. */
  readonly order: Int32Array
  readonly shotOf: Int32Array
  readonly primary: Int32Array
  readonly groupOf: Int32Array
  readonly score: Float64Array
  readonly flagMasks: Uint8Array
  readonly groupId: (g: number) => string
}

/** `analysis.assets` at position k, read from the columns. */
export const reader =
  ({ store, order, shotOf, primary, groupOf, score, flagMasks, groupId }: AssetColumns) =>
  (k: number): AssetInfo => {
    const i = order[k]!
    const s = shotOf[i]!
    const g = groupOf[s]!
    const x = score[i]!
    return store.info(
      i,
      primary[s]!,
      g === -1 ? null : groupId(g),
      Number.isNaN(x) ? null : x,
      Quality.flagsOf(flagMasks[i]!)
    )
  }

/**
 * The `assets` another thread was sent with `shareAssets`: the same values, read from the same memory.
 * Read only, while the sender keeps the analysis.
 *
 * @since 0.2.0
 */
export const read = (shared: SharedAssets): ReadonlyArray<AssetInfo> =>
  lazyArray(
    shared.order.length,
    reader({ ...shared, store: AssetTable.revive(shared.store), groupId: (g) => shared.groupIds[g]! })
  )
