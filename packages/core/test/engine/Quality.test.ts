import fc from "fast-check"
import { quantile, quantileSorted } from "simple-statistics"
import { describe, expect, it } from "vitest"
import * as Quality from "../../src/engine/Quality.js"
import { analyze, raw, shot } from "../fixtures.js"

describe("Quality", () => {
  it("describes a metric with quartiles, spread and an equal-width histogram", () => {
    const s = Quality.describeMetric("m", Float64Array.from([4, 1, 3, 2, 5]), 2, 4, false)
    expect(s).toMatchObject({
      name: "m",
      count: 5,
      missing: 2,
      min: 1,
      median: 3,
      max: 5,
      mean: 3,
      lowerIsBetter: false
    })
    expect(s.q1).toBe(2)
    expect(s.q3).toBe(4)
    expect(s.stdev).toBeCloseTo(Math.sqrt(2))
    expect(s.histogram).toEqual([
      { from: 1, to: 2, count: 1 },
      { from: 2, to: 3, count: 1 },
      { from: 3, to: 4, count: 1 },
      { from: 4, to: 5, count: 2 }
    ])
    expect(Quality.describeMetric("c", Float64Array.from([2, 2]), 0, 10, true).histogram).toEqual([
      { from: 2, to: 2, count: 2 }
    ])
    expect(Quality.describeMetric("e", new Float64Array(0), 3, 10, false)).toMatchObject({
      count: 0,
      min: null
    })
  })

  it("computes album metric statistics, coverage and flags", () => {
    const album = [
      ...Array.from({ length: 20 }, (_, k) =>
        shot(`s${k}`, `2024-05-0${1 + (k % 5)}T1${k % 10}:00:00`, { metrics: { liqe_mix: 1 + k * 0.2 } })
      ),
      raw("no-metrics", { thumbnail_url: null }),
      raw("null-metrics", { metrics: { liqe_mix: null } }),
      shot("rejected", "2024-06-01T00:00:00", { metrics: { liqe_mix: 3 } }, { rating: -1 })
    ]
    const a = analyze(album)
    expect(a.metrics.map((m) => [m.name, m.count, m.missing])).toEqual([["liqe_mix", 21, 2]])
    expect(a.summary.coverage).toEqual({ exif: 21 / 23, metrics: 21 / 23, thumbnails: 22 / 23 })
    const flags = (id: string) => a.assets.find((x) => x.id === id)!.flags
    expect(flags("no-metrics")).toEqual(["missing_metrics", "missing_exif"])
    expect(flags("null-metrics")).toEqual(["missing_metrics", "missing_exif"])
    expect(flags("rejected")).toContain("rejected_rating")
    expect(flags("s0")).toEqual(["low_quality"])
    expect(flags("s19")).toEqual([])
    expect(a.summary.lowQuality).toBe(a.assets.filter((x) => x.flags.includes("low_quality")).length)
  })

  it("applies explicit thresholds such as liqe_mix<1.375", () => {
    const a = analyze(
      [
        raw("a", { metrics: { liqe_mix: 1.2 } }),
        raw("b", { metrics: { liqe_mix: 1.5 } }),
        raw("c", { metrics: { liqe_mix: 1.5 } })
      ],
      { lowQualityThresholds: { liqe_mix: 1.375 }, lowQualityPercentile: 0 }
    )
    expect(a.assets.filter((x) => x.flags.includes("low_quality")).map((x) => x.id)).toEqual(["a"])
  })

  it("low quality by percentile needs at least 20 scored assets: two 5-star photos are never flagged", () => {
    const two = analyze([
      raw("a", { metrics: { liqe_mix: 4.9 }, exif: { rating: 5 } }),
      raw("b", { metrics: { liqe_mix: 4.8 }, exif: { rating: 5 } })
    ])
    expect(two.summary.lowQuality).toBe(0)
    const spread = (count: number) =>
      Array.from({ length: count }, (_, k) => raw(`m${k}`, { metrics: { liqe_mix: 1 + k * 0.2 } }))
    expect(analyze(spread(19)).summary.lowQuality).toBe(0)
    const twenty = analyze(spread(20))
    expect(twenty.assets.filter((x) => x.flags.includes("low_quality")).map((x) => x.id)).toEqual(["m0"])
    expect(Quality.MIN_ASSETS_FOR_PERCENTILE).toBe(20)
  })

  it("a percentile alone never flags a 4- or 5-star asset; a threshold still does", () => {
    const album = [
      raw("five", { metrics: { liqe_mix: 0.5 }, exif: { rating: 5 } }),
      raw("four", { metrics: { liqe_mix: 0.6 }, exif: { rating: 4 } }),
      raw("three", { metrics: { liqe_mix: 0.4 }, exif: { rating: 3 } }),
      ...Array.from({ length: 40 }, (_, k) => raw(`m${k}`, { metrics: { liqe_mix: 2 + k * 0.1 } }))
    ]
    const low = (a: ReturnType<typeof analyze>) =>
      a.assets.filter((x) => x.flags.includes("low_quality")).map((x) => x.id)
    // Rating weighs nothing here, so the stars' scores are the album's lowest: only the rule protects them.
    const byPercentile = low(analyze(album, { lowQualityPercentile: 0.1, weights: { rating: 0 } }))
    expect(byPercentile).toContain("three")
    expect(byPercentile).not.toContain("four")
    expect(byPercentile).not.toContain("five")
    const byThreshold = low(
      analyze(album, { lowQualityPercentile: 0, lowQualityThresholds: { liqe_mix: 1 } })
    )
    expect(byThreshold.sort()).toEqual(["five", "four", "three"])
  })

  it("flags nothing as low quality in a uniform album", () => {
    const a = analyze(Array.from({ length: 10 }, (_, k) => raw(`u${k}`, { metrics: { q: 1 } })))
    expect(a.summary.lowQuality).toBe(0)
  })

  // flagAssets relies on it: selection gives the values a sort gives, past quickselect's sampling (600
  // values), with ties, at the ends (`===`: a zero's sign may differ, as no comparison here sees).
  it("simple-statistics' quantile selects what quantileSorted reads from a sort", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 5000, size: "max" }),
        fc.constantFrom(0.05, 0.1, 0.5, 0.99, 1),
        (ints, p) => {
          const values = Float64Array.from(ints, (k) => k / 40)
          const sorted = Array.from(values).sort((x, y) => x - y)
          const [a, b] = quantile(values as unknown as Array<number>, [p, 0.5]) as [number, number]
          expect(a === quantileSorted(sorted, p) && b === quantileSorted(sorted, 0.5)).toBe(true)
          expect(quantile(values as unknown as Array<number>, 0.5) === quantileSorted(sorted, 0.5)).toBe(true)
        }
      ),
      { numRuns: 100 }
    )
  })

  // The pipeline selects the score quantiles instead of sorting, and reuses scoring's sorted metric
  // values for the statistics: both must answer as sorting afresh does, ties and missing values included.
  it("flags and statistics equal those computed from freshly sorted values", () => {
    // Ties (few values) and spread (many): a quantile that falls between two values must be exact.
    const metric = fc.option(
      fc.oneof(
        fc.integer({ min: 0, max: 8 }).map((k) => k / 4),
        fc.integer({ min: 0, max: 1000 }).map((k) => k / 200)
      ),
      { nil: null }
    )
    const asset = fc.record({
      a: metric,
      b: metric,
      rating: fc.option(fc.integer({ min: -1, max: 5 }), { nil: null })
    })
    fc.assert(
      fc.property(
        fc.array(asset, { minLength: 15, maxLength: 80, size: "max" }),
        fc.constantFrom(0.05, 0.1, 0.25, 0.5),
        fc.boolean(),
        (specs, percentile, bLower) => {
          const album = specs.map((x, k) =>
            raw(`q${k}`, {
              metrics: { ...(x.a === null ? {} : { a: x.a }), ...(x.b === null ? {} : { b: x.b }) },
              ...(x.rating === null ? {} : { exif: { rating: x.rating } })
            })
          )
          const a = analyze(album, { lowQualityPercentile: percentile, lowerIsBetter: bLower ? ["b"] : [] })
          const scores = a.assets.flatMap((x) => (x.score === null ? [] : [x.score])).sort((p, q) => p - q)
          const cutoff =
            scores.length >= Quality.MIN_ASSETS_FOR_PERCENTILE
              ? quantileSorted(scores, percentile)
              : Number.NEGATIVE_INFINITY
          const median = scores.length > 0 ? quantileSorted(scores, 0.5) : Number.NEGATIVE_INFINITY
          for (const x of a.assets) {
            const low =
              x.score !== null &&
              x.score <= cutoff &&
              x.score < median &&
              !(x.rating !== null && x.rating >= 4)
            expect(x.flags.includes("low_quality")).toBe(low)
          }
          for (const stats of a.metrics) {
            const values = a.assets.flatMap((x) => (stats.name in x.metrics ? [x.metrics[stats.name]!] : []))
            const fresh = Quality.describeMetric(
              stats.name,
              Float64Array.from(values),
              a.assets.length - values.length,
              10,
              stats.lowerIsBetter
            )
            expect(stats).toEqual(fresh)
          }
        }
      ),
      { numRuns: 300 }
    )
  })
})
