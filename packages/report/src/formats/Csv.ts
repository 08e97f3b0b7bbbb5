/**
 * report.csv: one row per distinct decoded asset, for spreadsheets and other tools (a contract, see
 * REPORT_FORMAT.md).
 *
 * Quoting is RFC 4180 (CRLF records) by csv-stringify. Text cells that a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@`, TAB, CR first) get a leading `'`; numbers in numeric columns stay as they are.
 * Most rows need neither quoting nor the formula guard: those are joined directly (what csv-stringify
 * would write for them), and only the others go through csv-stringify. Rows are rendered one at a
 * time, lazily, so a 1M-asset CSV never exists as one string.
 */
import type { Analysis } from "@albumsift/core"
import { coalesce, compareCodePoints } from "../internal/text.js"
import * as Writer from "../Writer.js"
import { type Cell, cells, header, REQUIRED_COLUMNS, rowText } from "./CsvRows.js"

export { type Cell, REQUIRED_COLUMNS, stringifyRow, stringifyRows } from "./CsvRows.js"

type A = Analysis.Analysis

/** Options for `chunks` / `render`. */
export interface CsvOptions {
  /** Start with a UTF-8 byte order mark, which Excel needs to read UTF-8. Default false. */
  readonly bom?: boolean
}

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

/** The data rows, in `analysis.assets` order (grouped first by group and rank, then ungrouped by id). */
export function* rows(
  analysis: A,
  metrics: ReadonlyArray<string> = metricNames(analysis)
): Generator<Array<Cell>> {
  for (const row of Writer.rows(Writer.context(analysis))) yield cells(row, metrics)
}

/**
 * report.csv's writer: the header, then one row per asset.
 *
 * @since 0.2.0
 */
export const writer = (context: Writer.Context): Writer.Writer => {
  const metrics = metricNames(context.analysis)
  return {
    *head() {
      yield header(metrics, context.bom)
    },
    asset: (row) => rowText(row, metrics),
    tail: function* () {}
  }
}

/** report.csv as lazily generated text pieces of about 64 KiB. */
export const chunks = (analysis: A, options: CsvOptions = {}): Iterable<string> => ({
  [Symbol.iterator]: () => coalesce(Writer.pieces(writer, Writer.context(analysis, { bom: options.bom })))
})

/** report.csv as one string (for small analyses and tests; use `chunks` for large ones). */
export const render = (analysis: A, options: CsvOptions = {}): string =>
  Array.from(chunks(analysis, options)).join("")
