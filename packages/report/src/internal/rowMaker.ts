/**
 * Each asset's `Row` (the asset with its group and member entry), for assets taken in
 * `analysis.assets` order. Effect-free: `Writer.rows` and the report.json worker both use it.
 */
import type { Analysis } from "@albumsift/core"

/**
 * One asset with its place in a group, built once per asset and run.
 *
 * @since 0.2.0
 */
export interface Row {
  readonly asset: Analysis.AssetInfo
  /** Its index in `analysis.assets` (where `analysis.assets.at(position)` reads it again). */
  readonly position: number
  /** Its group, or undefined when ungrouped. */
  readonly group: Analysis.Group | undefined
  /** Its member entry in that group. */
  readonly member: Analysis.Member | undefined
}

/**
 * A maker of rows for assets given in `analysis.assets` order, from any position on. `groupOf` finds
 * the group of an asset (by the asset's group id, or its position). Assets come grouped by group, so
 * a group is found once per run of its members, not once per member.
 */
export const rowMaker = (
  groupOf: (id: string, position: number) => Analysis.Group | undefined
): ((asset: Analysis.AssetInfo, position: number) => Row) => {
  let group: Analysis.Group | undefined
  // Members come in the walk's order (both by rank): each is found at `next`; a map only if not.
  let next = 0
  let byId: Map<string, Analysis.Member> | undefined
  return (asset, position) => {
    const id = asset.groupId
    if (id === null) return { asset, position, group: undefined, member: undefined }
    if (group?.id !== id) {
      group = groupOf(id, position)
      next = 0
      byId = undefined
    }
    let member: Analysis.Member | undefined
    if (group !== undefined) {
      if (byId === undefined && group.members[next]?.assetId === asset.id) member = group.members[next++]
      else {
        byId ??= new Map(group.members.map((m) => [m.assetId, m] as const))
        member = byId.get(asset.id)
      }
    }
    return { asset, position, group, member }
  }
}

/**
 * A `Row` built as it is read: its asset when a writer first reads it, its group and member with them.
 * A writer that skips the row (report.csv's rows the worker writes) or judges it from `Pipeline.glance`
 * (the page, for the assets it does not show) never has the asset built: at 1M assets that was about
 * half of them, each an `AssetInfo` read out of the columns. Rows are best read in position order (as
 * `Writer.rows` yields them): `place` follows the walk, and finds a member by id when it cannot. Its
 * fields are getters: read them (or `JSON.stringify` the row); a spread copies only `position`.
 */
export class LazyRow implements Row {
  readonly #assets: ReadonlyArray<Analysis.AssetInfo>
  readonly #place: (asset: Analysis.AssetInfo, position: number) => Row
  #built: Analysis.AssetInfo | undefined
  #placed: Row | undefined

  constructor(
    assets: ReadonlyArray<Analysis.AssetInfo>,
    readonly position: number,
    place: (asset: Analysis.AssetInfo, position: number) => Row
  ) {
    this.#assets = assets
    this.#place = place
  }

  get asset(): Analysis.AssetInfo {
    this.#built ??= this.#assets.at(this.position)!
    return this.#built
  }

  get group(): Analysis.Group | undefined {
    return this.#located().group
  }

  get member(): Analysis.Member | undefined {
    return this.#located().member
  }

  toJSON(): Row {
    return { asset: this.asset, position: this.position, group: this.group, member: this.member }
  }

  #located(): Row {
    this.#placed ??= this.#place(this.asset, this.position)
    return this.#placed
  }
}
