/**
 * Album-wide quality figures: per-metric statistics with a histogram, per-asset flags, coverage.
 */
import { mean, quantile, quantileSorted, standardDeviation } from "simple-statistics"
import type { MetricStats, QualityFlag, ResolvedOptions, Summary } from "../Analysis.js"
import { QUALITY_FLAGS } from "../Analysis.js"
import type { AssetTable } from "./internal/assetTable.js"
import * as Shared from "./internal/Shared.js"
import { withoutNaN } from "./internal/withoutNaN.js"

const asArray = (x: Float64Array) => x as unknown as Array<number>

/** Summary statistics and an equal-width histogram of one metric's values (stdev: population). */
export const describeMetric = (
  name: string,
  values: Float64Array,
  missing: number,
  bins: number,
  lowerIsBetter: boolean
): MetricStats => describeSorted(name, values.slice().sort(), missing, bins, lowerIsBetter)

/** `describeMetric` of values already sorted ascending. */
const describeSorted = (
  name: string,
  values: Float64Array,
  missing: number,
  bins: number,
  lowerIsBetter: boolean
): MetricStats => {
  const sorted = asArray(values)
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
    for (let k = 0; k < count; k++) counts[Math.min(bins - 1, Math.floor((sorted[k]! - min) / width))]!++
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

/**
 * Statistics for every metric seen in the album, by name. `sorted`: metrics' values already sorted
 * ascending (from `Ranking.scoreAssets`), read as they are; any other metric is read and sorted here.
 */
export const metricStats = (
  store: AssetTable,
  options: ResolvedOptions,
  sorted?: ReadonlyMap<string, Float64Array>
): Array<MetricStats> => {
  const lower = new Set(options.lowerIsBetter)
  return [...store.metricNames()].sort().map((name) => {
    // Scoring's sorted values, else a fresh copy from the table sorted in place (no second copy).
    const values = sorted?.get(name) ?? store.metricValues(name).sort()
    return describeSorted(name, values, store.length - values.length, options.histogramBins, lower.has(name))
  })
}

/** Flags in bit order: bit k of a flag mask is `FLAGS[k]` (the `QUALITY_FLAGS` registry). */
export const FLAGS: ReadonlyArray<QualityFlag> = QUALITY_FLAGS

/** The bit of `flag` in a flag mask. */
export const flagBit = (flag: QualityFlag): number => 1 << QUALITY_FLAGS.indexOf(flag)
const LOW_QUALITY = flagBit("low_quality")
const REJECTED_RATING = flagBit("rejected_rating")
const MISSING_METRICS = flagBit("missing_metrics")
const MISSING_EXIF = flagBit("missing_exif")
const TIMEZONE_ANOMALY = flagBit("timezone_anomaly")

const flagLists = new Map<number, ReadonlyArray<QualityFlag>>()

/** The shared, frozen flag list of a mask. */
export const flagsOf = (mask: number): ReadonlyArray<QualityFlag> => {
  let list = flagLists.get(mask)
  if (list === undefined) {
    list = Object.freeze(FLAGS.filter((_, k) => (mask & (1 << k)) !== 0))
    flagLists.set(mask, list)
  }
  return list
}

/** The percentile rule needs at least this many scored assets to mean something. */
export const MIN_ASSETS_FOR_PERCENTILE = 20

/**
 * Per-asset flag masks. `low_quality`: past an explicit metric threshold, or in the bottom
 * `lowQualityPercentile` of composite scores, strictly below the median (so a uniform album flags
 * nothing). The percentile rule applies only when at least `MIN_ASSETS_FOR_PERCENTILE` assets have a
 * score, and alone it never flags an asset rated 4 or 5 stars.
 */
export const flagAssets = (
  store: AssetTable,
  score: Float64Array,
  options: ResolvedOptions,
  anomalous: Uint8Array
): Uint8Array => {
  const n = store.length
  // Two quantiles need no sort: simple-statistics' `quantile` selects them from one copy, by the arithmetic
  // `quantileSorted` uses (equal values as `<` compares them: a zero's sign may differ, which no test here sees).
  const known = asArray(withoutNaN(score))
  const percentile =
    known.length >= MIN_ASSETS_FOR_PERCENTILE && options.lowQualityPercentile > 0
      ? options.lowQualityPercentile
      : undefined
  const [cutoff, median] =
    known.length === 0
      ? [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]
      : percentile === undefined
        ? [Number.NEGATIVE_INFINITY, quantile(known, 0.5)]
        : (quantile(known, [percentile, 0.5]) as [number, number])
  const lower = new Set(options.lowerIsBetter)
  const thresholds = Object.entries(options.lowQualityThresholds).flatMap(([metric, t]) => {
    const metricOf = store.metricReader(metric)
    return metricOf === undefined ? [] : [{ metricOf, t, lower: lower.has(metric) }]
  })
  const masks = Shared.uint8(n)
  for (let i = 0; i < n; i++) {
    const s = score[i]!
    const rating = store.ratingOf(i)
    let low = !Number.isNaN(s) && s <= cutoff && s < median && !(rating !== null && rating >= 4)
    for (const { metricOf, t, lower } of thresholds) {
      const v = metricOf(i)
      if (!Number.isNaN(v) && (lower ? v > t : v < t)) low = true
    }
    masks[i] =
      (low ? LOW_QUALITY : 0) |
      (rating === -1 ? REJECTED_RATING : 0) |
      (store.hasMetrics(i) ? 0 : MISSING_METRICS) |
      (store.hasExif(i) ? 0 : MISSING_EXIF) |
      (anomalous[i] === 1 ? TIMEZONE_ANOMALY : 0)
  }
  return masks
}

/** Shares of assets with EXIF, with at least one metric, with a thumbnail. */
export const coverage = (store: AssetTable): Summary["coverage"] => {
  let exif = 0
  let metrics = 0
  let thumbnails = 0
  for (let i = 0; i < store.length; i++) {
    if (store.hasExif(i)) exif++
    if (store.hasMetrics(i)) metrics++
    if (store.hasThumbnail(i)) thumbnails++
  }
  const n = store.length
  return n === 0
    ? { exif: 0, metrics: 0, thumbnails: 0 }
    : { exif: exif / n, metrics: metrics / n, thumbnails: thumbnails / n }
}
