/**
 * Group id → position in `analysis.groups`, for a walk of `analysis.assets` (see `Writer.Context`).
 *
 * A pipeline-built analysis lists each group's members together, so a walk meets the groups in one
 * order known in advance (by their first member's position). A cursor follows that order, comparing
 * ids, with no map of every group id: at 1M assets such a map held ≈100k ids, ≈9 MB of the writing
 * thread's heap through the whole write. Any lookup off that order, and any other analysis, is
 * answered by a map built once, so the answer never depends on the order holding.
 */
import { type Analysis, Pipeline } from "@albumsift/core"

/** Group id → position in `analysis.groups`. */
export interface GroupIndex {
  readonly get: (id: string) => number | undefined
}

/** The `GroupIndex` of an analysis. */
export const groupIndex = (analysis: Analysis.Analysis): GroupIndex => {
  const outlines = Pipeline.groupOutlines(analysis)
  const everyId = () => {
    const map = new Map<string, number>()
    for (let g = 0; g < outlines.length; g++) map.set(outlines[g]!.id, g)
    return map
  }
  const positions = Pipeline.groupPositions(analysis)
  const order = positions === undefined ? undefined : walkOrder(positions)
  if (order === undefined) {
    // The map of every id, made on the first lookup.
    let map: Map<string, number> | undefined
    return {
      get: (id) => {
        map ??= everyId()
        return map.get(id)
      }
    }
  }
  return new WalkOrder(order, (g) => outlines[g]!.id, everyId)
}

class WalkOrder implements GroupIndex {
  /** Where in `order` the last answer was, and its id. */
  private at = -1
  private id: string | undefined
  private map: Map<string, number> | undefined

  constructor(
    private readonly order: Int32Array,
    private readonly idOf: (g: number) => string,
    private readonly everyId: () => Map<string, number>
  ) {}

  readonly get = (id: string): number | undefined => {
    if (id === this.id) return this.order[this.at]
    // The next group of the walk, or the first one again (a second walk).
    const next = this.at + 1
    if (next < this.order.length && this.idOf(this.order[next]!) === id) return this.moveTo(next, id)
    if (next > 0 && this.order.length > 0 && this.idOf(this.order[0]!) === id) return this.moveTo(0, id)
    this.map ??= this.everyId()
    return this.map.get(id)
  }

  private moveTo(at: number, id: string): number {
    this.at = at
    this.id = id
    return this.order[at]!
  }
}

/**
 * The groups in the order a walk meets them: by their first member's position in `analysis.assets`.
 * Undefined if that cannot be keyed exactly (an album too large for it), or a group has no member.
 */
export const walkOrder = (positions: Analysis.GroupPositions): Int32Array | undefined => {
  const groups = positions.keeper.length
  // Keyed as first position × span + group, so one numeric sort orders them.
  const span = 2 ** Math.ceil(Math.log2(groups + 1))
  let last = 0
  for (let m = 0; m < positions.members.length; m++) last = Math.max(last, positions.members[m]!)
  if ((last + 1) * span > Number.MAX_SAFE_INTEGER) return undefined
  const keys = new Float64Array(groups)
  for (let g = 0; g < groups; g++) {
    const from = positions.start[g]!
    const to = positions.start[g + 1]!
    if (from >= to) return undefined
    let first = positions.members[from]!
    for (let m = from + 1; m < to; m++) first = Math.min(first, positions.members[m]!)
    keys[g] = first * span + g
  }
  keys.sort()
  const order = new Int32Array(groups)
  for (let k = 0; k < groups; k++) order[k] = keys[k]! % span
  return order
}
