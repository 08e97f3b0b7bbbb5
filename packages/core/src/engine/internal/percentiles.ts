/**
 * Album-wide percentiles of a metric's values, exactly as simple-statistics' `quantileRankSorted` gives
 * them for a value of the table, read with one binary search over the distinct values instead of two
 * over all of them (at 1M assets the two searches per value and metric were most of the scoring).
 * Values are equal as `===` has them (and as those searches compare): -0 and 0 are one value.
 */
export class Percentiles {
  /** Each distinct value once, ascending. */
  private readonly distinct: Float64Array
  /** The percentile of each distinct value. */
  private readonly rank: Float64Array

  /** `sorted`: every value once per asset that has it, ascending (a sorted typed array). */
  constructor(sorted: Float64Array) {
    const n = sorted.length
    let runs = 0
    for (let k = 0; k < n; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) runs++
    this.distinct = new Float64Array(runs)
    this.rank = new Float64Array(runs)
    for (let k = 0, run = 0; k < n; run++) {
      const value = sorted[k]!
      let end = k + 1
      while (end < n && sorted[end] === value) end++
      this.distinct[run] = value
      this.rank[run] = rankOf(k, end, n)
      k = end
    }
  }

  /** The percentile of `value`, which must be one of the table's values. */
  of(value: number): number {
    const d = this.distinct
    let lo = 0
    let hi = d.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (d[mid]! < value) lo = mid + 1
      else hi = mid
    }
    return this.rank[lo]!
  }
}

/**
 * `quantileRankSorted(x, v)` for a value whose equal run in x is [start, end) of n: the same
 * arithmetic, in the same order, so the same double.
 */
const rankOf = (start: number, end: number, n: number): number => {
  const l = start + 1
  const u = end
  if (u === l) return l / n
  const r = u - l + 1
  const sum = (r * (u + l)) / 2
  const mean = sum / r
  return mean / n
}
