/**
 * report.json: the analysis for programs, in a documented, versioned shape (see REPORT_FORMAT.md).
 *
 * Rendering is pure and lazy: `chunks` yields the document piece by piece (one asset per line), so a
 * 1M-asset report is never one giant string. Key order is fixed, free-form records are key-sorted, and
 * nothing depends on the clock except `generated_at`, which `Metadata` takes from `SOURCE_DATE_EPOCH`.
 */
import { Analysis } from "@albumsift/core"
import { coalesce, sortedRecord, sortKeys } from "../internal/text.js"
import type { JsonValue, Metadata, Source } from "../Metadata.js"
import * as Writer from "../Writer.js"
import { array, assetLine, groupsThenAssets, line } from "./JsonLines.js"

export { assetJson, assetLine, groupJson } from "./JsonLines.js"

/** Version of the report.json shape; bumped when a field is removed or renamed. */
export const SCHEMA_VERSION = 1 as const

type A = Analysis.Analysis

/** Options for `chunks` / `render`. */
export interface JsonOptions {
  /** Kept thumbnails: asset id to a path relative to the report (see `Thumbnails.keep`). */
  readonly thumbnails?: ReadonlyMap<string, string>
}

/** `Source` as written to report.json. */
export const sourceJson = (source: Source): JsonValue => {
  switch (source.kind) {
    case "file":
      return { kind: "file", path: source.path }
    case "stdin":
      return { kind: "stdin" }
    case "sample":
      return { kind: "sample", name: source.name }
    case "api":
      return { kind: "api", server: source.server, base_url: source.baseUrl, albums: [...source.albums] }
  }
}

/** The analysis options, snake_cased. */
export const analysisOptionsJson = (options: Analysis.ResolvedOptions) => ({
  burst_gap_seconds: options.burstGapSeconds,
  max_burst_span_seconds: options.maxBurstSpanSeconds,
  weights: sortedRecord(options.weights),
  lower_is_better: [...options.lowerIsBetter],
  review_margin: options.reviewMargin,
  low_quality_percentile: options.lowQualityPercentile,
  low_quality_thresholds: sortedRecord(options.lowQualityThresholds),
  histogram_bins: options.histogramBins,
  // What the page told the reviewer a discard's GPS does (merge, or lost): apply honours a decided
  // discard of a GPS copy on a server that cannot merge GPS only when the page said it is lost.
  can_merge_gps: options.canMergeGps !== false
})

/** A count for every key of a registry, in its order (0 when absent). */
const everyKey = <K extends string>(
  keys: ReadonlyArray<K>,
  counts: Readonly<Record<K, number>>
): Record<K, number> => Object.fromEntries(keys.map((k) => [k, counts[k] ?? 0])) as Record<K, number>

/** The summary, snake_cased, with every kind, evidence and recommendation key present. */
export const summaryJson = (summary: Analysis.Summary) => ({
  input_items: summary.inputItems,
  assets: summary.assets,
  duplicate_ids: summary.duplicateIds,
  rejected: summary.rejected,
  shots: summary.shots,
  groups: summary.groups,
  groups_by_kind: everyKey(Analysis.GROUP_KINDS, summary.groupsByKind),
  groups_by_evidence: everyKey(Analysis.EVIDENCE, summary.groupsByEvidence),
  recommendations: everyKey(Analysis.RECOMMENDATIONS, summary.recommendations),
  reclaimable_bytes: summary.reclaimableBytes,
  timezone_anomalies: summary.timezoneAnomalies,
  low_quality: summary.lowQuality,
  coverage: {
    exif: summary.coverage.exif,
    metrics: summary.coverage.metrics,
    thumbnails: summary.coverage.thumbnails
  },
  decisions: {
    given: summary.decisions?.given ?? 0,
    applied: summary.decisions?.applied ?? 0,
    settled: summary.decisions?.settled ?? 0,
    stale: summary.decisions?.stale ?? 0,
    decided_groups: summary.decisions?.decidedGroups ?? 0
  }
})

/** One metric's statistics as written to report.json. */
export const metricJson = (metric: Analysis.MetricStats) => ({
  name: metric.name,
  count: metric.count,
  missing: metric.missing,
  min: metric.min,
  q1: metric.q1,
  median: metric.median,
  q3: metric.q3,
  max: metric.max,
  mean: metric.mean,
  stdev: metric.stdev,
  lower_is_better: metric.lowerIsBetter,
  histogram: metric.histogram.map((bin) => ({ from: bin.from, to: bin.to, count: bin.count }))
})

/** A stale decision as written to report.json: the decision as in the file, and why it no longer applies. */
export const staleDecisionJson = (stale: Analysis.StaleDecision) => ({
  members: stale.members,
  ...(stale.keep !== undefined ? { keep: stale.keep } : {}),
  ...(stale.notDuplicates === true ? { not_duplicates: true } : {}),
  reason: stale.reason
})

/** One rejected input as written to report.json: `{ index, id?, album?, reason }`. */
export const rejectedJson = (rejected: Analysis.Rejected) => ({
  index: rejected.index,
  ...(rejected.id !== undefined ? { id: rejected.id } : {}),
  ...(rejected.album !== undefined ? { album: rejected.album } : {}),
  reason: rejected.reason
})

/** `options`: the analysis' own first (a caller's key of that name cannot replace them), then the caller's, sorted. */
const runOptions = (analysis: A, metadata: Metadata): Record<string, unknown> => {
  // Null-prototype: a recorded option named `__proto__` is data like any other.
  const out: Record<string, unknown> = Object.create(null)
  out.analysis = analysisOptionsJson(analysis.options)
  const given = sortKeys(metadata.options) as Record<string, JsonValue>
  for (const key of Object.keys(given)) if (key !== "analysis") out[key] = given[key]
  return out
}

/** The metadata and options header of report.json, in output order. */
export const headerJson = (analysis: A, metadata: Metadata) => ({
  schema_version: SCHEMA_VERSION,
  generated_at: metadata.generatedAt,
  tool: { name: metadata.tool.name, version: metadata.tool.version },
  sources: metadata.sources.map(sourceJson),
  options: runOptions(analysis, metadata)
})

/** The start of report.json: the header and the summary (the groups follow). */
export function* opening(context: Writer.Context): Generator<string> {
  const { analysis, metadata } = context
  yield "{"
  let firstKey = true
  for (const [key, value] of Object.entries(headerJson(analysis, metadata))) {
    yield `${firstKey ? "\n" : ",\n"}${JSON.stringify(key)}: ${line(value)}`
    firstKey = false
  }
  yield `,\n"summary": ${line(summaryJson(analysis.summary))}`
}

/** Everything before the first asset's line: the opening, the groups, and the `assets` array's `[`. */
export function* head(context: Writer.Context): Generator<string> {
  yield* opening(context)
  yield* groupsThenAssets(context.analysis.groups)
}

/** Everything after the last asset's line (`any`: whether there was one). */
export function* tail(context: Writer.Context, any: boolean): Generator<string> {
  const { analysis } = context
  yield any ? "\n]" : "]"
  yield* array("metrics", analysis.metrics, metricJson)
  yield* array("timezone_anomalies", analysis.timezoneAnomalies, (anomaly) => ({
    asset_ids: [...anomaly.assetIds],
    reason: anomaly.reason
  }))
  yield* array("stale_decisions", analysis.staleDecisions ?? [], staleDecisionJson)
  yield* array("rejected", analysis.rejected, rejectedJson)
  yield "\n}\n"
}

/**
 * report.json's writer: the header, summary and groups, then one line per asset, then metrics,
 * time-zone anomalies and rejected inputs.
 *
 * @since 0.2.0
 */
export const writer = (context: Writer.Context): Writer.Writer => {
  const { thumbnails } = context
  let first = true
  return {
    head: () => head(context),
    asset: ({ asset }) => {
      const text = assetLine(asset, thumbnails?.get(asset.id) ?? null, first)
      first = false
      return text
    },
    tail: () => tail(context, !first)
  }
}

/** report.json as lazily generated text pieces of about 64 KiB. */
export const chunks = (analysis: A, metadata: Metadata, options: JsonOptions = {}): Iterable<string> => ({
  [Symbol.iterator]: () =>
    coalesce(Writer.pieces(writer, Writer.context(analysis, { metadata, thumbnails: options.thumbnails })))
})

/** report.json as one string (for small analyses and tests; use `chunks` for large ones). */
export const render = (analysis: A, metadata: Metadata, options: JsonOptions = {}): string =>
  Array.from(chunks(analysis, metadata, options)).join("")
