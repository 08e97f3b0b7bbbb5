/**
 * report.csv: one row per distinct decoded asset, for spreadsheets and other tools (a contract, see
 * REPORT_FORMAT.md).
 *
 * Quoting is RFC 4180 (CRLF records) by csv-stringify. Text cells that a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@`, TAB, CR first) get a leading `'`; numbers in numeric columns stay as they are.
 * Rows are rendered in batches, lazily, so a 1M-asset CSV never exists as one string.
 */
import type { Analysis } from "@albumsift/core"
import { stringify } from "csv-stringify/sync"
import { batches, coalesce, compareCodePoints } from "./internal/text.js"

type A = Analysis.Analysis

/** The required columns, in order; `metric:<name>` columns follow, sorted by name. */
export const REQUIRED_COLUMNS = [
  "asset_id",
  "group_id",
  "group_kind",
  "group_size",
  "rank",
  "recommendation",
  "score",
  "evidence",
  "original_file_name",
  "local_datetime",
  "checksum",
  "auto_stack_id",
  "rating",
  "quality_flags",
  "reasons",
  "decided_by"
] as const

/** Options for `chunks` / `render`. */
export interface CsvOptions {
  /** Start with a UTF-8 byte order mark, which Excel needs to read UTF-8. Default false. */
  readonly bom?: boolean
}

/** A cell: text, a number, or empty (null). */
export type Cell = string | number | null

/**
 * The metric names, sorted by code point. `Analysis.metrics` has statistics for every metric seen in
 * the album, so this needs no extra pass over the assets.
 */
export const metricNames = (analysis: A): ReadonlyArray<string> =>
  [...new Set(analysis.metrics.map((metric) => metric.name))].sort(compareCodePoints)

/** The header row for an analysis. */
export const columns = (analysis: A): ReadonlyArray<string> => [
  ...REQUIRED_COLUMNS,
  ...metricNames(analysis).map((name) => `metric:${name}`)
]

/** `;`-joins a list; a `;` inside an item becomes `,` so the list always splits back into its items. */
const joinList = (items: ReadonlyArray<string>): string =>
  items.map((item) => item.replaceAll(";", ",")).join(";")

/** The data rows, in `analysis.assets` order (grouped first by group and rank, then ungrouped by id). */
export function* rows(
  analysis: A,
  metrics: ReadonlyArray<string> = metricNames(analysis)
): Generator<Array<Cell>> {
  // `analysis.groups` may be a lazy view that builds each group on access: hold one group at a time.
  // Assets come grouped (by group id), so consecutive rows reuse the loaded group.
  const position = new Map<string, number>()
  for (let i = 0; i < analysis.groups.length; i++) position.set((analysis.groups[i] as Analysis.Group).id, i)
  let loaded: { readonly group: Analysis.Group; readonly members: Map<string, Analysis.Member> } | undefined
  const groupOf = (id: string) => {
    if (loaded?.group.id !== id) {
      const i = position.get(id)
      const group = i === undefined ? undefined : analysis.groups[i]
      loaded = group && { group, members: new Map(group.members.map((m) => [m.assetId, m] as const)) }
    }
    return loaded
  }
  for (const asset of analysis.assets) {
    const placed = asset.groupId !== null ? groupOf(asset.groupId) : undefined
    const group = placed?.group
    const member = placed?.members.get(asset.id)
    const row: Array<Cell> = [
      asset.id,
      group?.id ?? null,
      group?.kind ?? null,
      group?.members.length ?? null,
      member?.rank ?? null,
      member?.recommendation ?? null,
      roundScore(member !== undefined ? member.score : asset.score),
      group !== undefined ? group.evidence.join("+") : null,
      asset.fileName,
      asset.takenAt.raw,
      asset.checksum,
      asset.autoStackId,
      asset.rating,
      asset.flags.length > 0 ? asset.flags.join(";") : null,
      member !== undefined && member.reasons.length > 0 ? joinList(member.reasons) : null,
      group !== undefined ? (group.decidedBy ?? "suggested") : null
    ]
    for (const name of metrics) row.push(asset.metrics[name] ?? null)
    yield row
  }
}

/** Scores to 4 decimals: finer digits mean nothing to a reader and bloat the file (report.json keeps them all). */
const roundScore = (score: number | null): number | null =>
  score === null ? null : Math.round(score * 10_000) / 10_000

const stringifyOptions = {
  record_delimiter: "windows", // RFC 4180: CRLF
  escape_formulas: true,
  // csv-stringify quotes only the whole record delimiter; RFC 4180 wants any CR or LF inside quotes.
  quoted_match: /[\r\n]/,
  cast: {
    // Plain, locale-free numbers; non-finite values would be meaningless in a spreadsheet.
    number: (value: number) => (Number.isFinite(value) ? String(value) : "")
  }
} as const

/** Renders rows as CSV text with RFC 4180 quoting and the formula guard. */
export const stringifyRows = (input: ReadonlyArray<ReadonlyArray<Cell>>): string =>
  stringify(input as Array<Array<Cell>>, stringifyOptions)

function* mapIterable<A, B>(items: Iterable<A>, f: (a: A) => B): Generator<B> {
  for (const item of items) yield f(item)
}

/** report.csv as lazily generated text pieces (a few hundred rows each). */
export const chunks = (analysis: A, options: CsvOptions = {}): Iterable<string> => ({
  *[Symbol.iterator]() {
    const metrics = metricNames(analysis)
    const header = stringifyRows([[...REQUIRED_COLUMNS, ...metrics.map((name) => `metric:${name}`)]])
    yield options.bom === true ? `\uFEFF${header}` : header
    // Small batches keep rows short-lived (less garbage promoted); `coalesce` restores ~64 KiB pieces.
    yield* coalesce(mapIterable(batches(rows(analysis, metrics), 16), stringifyRows))
  }
})

/** report.csv as one string (for small analyses and tests; use `chunks` for large ones). */
export const render = (analysis: A, options: CsvOptions = {}): string =>
  Array.from(chunks(analysis, options)).join("")
