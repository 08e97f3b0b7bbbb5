/**
 * Album-wide quality figures: per-metric statistics with a histogram, per-asset flags, coverage.
 */
import { mean, quantileSorted, standardDeviation } from "simple-statistics"
import type { MetricStats, QualityFlag, ResolvedOptions, Summary } from "./Analysis.js"
import type { Projected } from "./Asset.js"
import type { Interner } from "./internal/Interner.js"

const asArray = (x: Float64Array) => x as unknown as Array<number>

/** Summary statistics and an equal-width histogram of one metric's values. */
export const describeMetric = (
  name: string,
  values: Float64Array,
  missing: number,
  bins: number,
  lowerIsBetter: boolean
): MetricStats => {
  const sorted = asArray(values.slice().sort())
  const count = sorted.length
  if (count === 0) {
    return {
      name,
      count,
      missing,
      min: null,
      q1: null,
      median: null,
      q3: null,
      max: null,
      mean: null,
      stdev: null,
      lowerIsBetter,
      histogram: []
    }
  }
  const min = sorted[0]!
  const max = sorted[count - 1]!
  const histogram: Array<{ from: number; to: number; count: number }> = []
  if (min === max) histogram.push({ from: min, to: max, count })
  else {
    const width = (max - min) / bins
    const counts = new Array<number>(bins).fill(0)
    for (const v of sorted) counts[Math.min(bins - 1, Math.floor((v - min) / width))]!++
    for (let b = 0; b < bins; b++) {
      histogram.push({
        from: min + b * width,
        to: b === bins - 1 ? max : min + (b + 1) * width,
        count: counts[b]!
      })
    }
  }
  return {
    name,
    count,
    missing,
    min,
    q1: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    q3: quantileSorted(sorted, 0.75),
    max,
    mean: mean(sorted),
    stdev: standardDeviation(sorted),
    lowerIsBetter,
    histogram
  }
}

/** Statistics for every metric seen in the album, by name. */
export const metricStats = (
  assets: ReadonlyArray<Projected>,
  options: ResolvedOptions
): Array<MetricStats> => {
  const counts = new Map<string, number>()
  for (const a of assets) for (const k in a.metrics) counts.set(k, (counts.get(k) ?? 0) + 1)
  const names = [...counts.keys()].sort()
  const lower = new Set(options.lowerIsBetter)
  return names.map((name) => {
    const values = new Float64Array(counts.get(name)!)
    let fill = 0
    for (const a of assets) {
      const v = a.metrics[name]
      if (v !== undefined) values[fill++] = v
    }
    return describeMetric(name, values, assets.length - values.length, options.histogramBins, lower.has(name))
  })
}

/** Per-asset quality flags, as shared arrays (one per distinct combination). */
export const flagAssets = (
  assets: ReadonlyArray<Projected>,
  score: Float64Array,
  options: ResolvedOptions,
  anomalous: ReadonlySet<string>,
  interner: Interner
): Array<ReadonlyArray<QualityFlag>> => {
  const known = asArray(score.filter((s) => !Number.isNaN(s)).sort())
  const cutoff =
    known.length > 0 && options.lowQualityPercentile > 0
      ? quantileSorted(known, options.lowQualityPercentile)
      : Number.NEGATIVE_INFINITY
  const median = known.length > 0 ? quantileSorted(known, 0.5) : Number.NEGATIVE_INFINITY
  const lower = new Set(options.lowerIsBetter)
  const thresholds = Object.entries(options.lowQualityThresholds)
  return assets.map((a, i) => {
    const flags: Array<QualityFlag> = []
    const s = score[i]!
    // Below the album's cut-off, and strictly below its median so a uniform album flags nothing.
    let low = !Number.isNaN(s) && s <= cutoff && s < median
    for (const [metric, t] of thresholds) {
      const v = a.metrics[metric]
      if (v !== undefined && (lower.has(metric) ? v > t : v < t)) low = true
    }
    if (low) flags.push("low_quality")
    if (a.rating === -1) flags.push("rejected_rating")
    if (Object.keys(a.metrics).length === 0) flags.push("missing_metrics")
    if (!a.hasExif) flags.push("missing_exif")
    if (anomalous.has(a.id)) flags.push("timezone_anomaly")
    return interner.list(flags) as ReadonlyArray<QualityFlag>
  })
}

/** Shares of assets with EXIF, with at least one metric, with a thumbnail. */
export const coverage = (assets: ReadonlyArray<Projected>): Summary["coverage"] => {
  let exif = 0
  let metrics = 0
  let thumbnails = 0
  for (const a of assets) {
    if (a.hasExif) exif++
    for (const _ in a.metrics) {
      metrics++
      break
    }
    if (a.thumbnailUrl !== null) thumbnails++
  }
  const n = assets.length
  return n === 0
    ? { exif: 0, metrics: 0, thumbnails: 0 }
    : { exif: exif / n, metrics: metrics / n, thumbnails: thumbnails / n }
}
