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
import { stringify } from "csv-stringify/sync"
import { coalesce, compareCodePoints, own } from "../internal/text.js"
import * as Writer from "../Writer.js"

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

/** One asset's cells: the required columns, then one per metric name. */
const cells = ({ asset, group, member }: Writer.Row, metrics: ReadonlyArray<string>): Array<Cell> => {
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
  for (const name of metrics) row.push(own(asset.metrics, name) ?? null)
  return row
}

/** The data rows, in `analysis.assets` order (grouped first by group and rank, then ungrouped by id). */
export function* rows(
  analysis: A,
  metrics: ReadonlyArray<string> = metricNames(analysis)
): Generator<Array<Cell>> {
  for (const row of Writer.rows(Writer.context(analysis))) yield cells(row, metrics)
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

/** Characters csv-stringify quotes a cell for (with report.csv's options). */
const QUOTED = /[",\r\n]/

/** First characters of a cell csv-stringify guards as a formula: `= + - @` TAB CR, and full-width `＝＋－＠`. */
const FORMULA = new Set([61, 43, 45, 64, 9, 13, 0xff1d, 0xff0b, 0xff0d, 0xff20])

/** Text csv-stringify writes as it is: nothing to quote, no formula guard. */
const isPlain = (text: string): boolean => !FORMULA.has(text.charCodeAt(0)) && !QUOTED.test(text)

/**
 * One row as CSV text when every cell is plain (null, a finite number, or plain text): the cells joined
 * as csv-stringify joins them with report.csv's options. Undefined when a cell needs csv-stringify.
 */
const plainRow = (row: ReadonlyArray<Cell>): string | undefined => {
  for (let i = 0; i < row.length; i++) {
    const cell = row[i] as Cell
    if (cell === null) continue
    if (typeof cell === "number" ? !Number.isFinite(cell) : !isPlain(cell)) return undefined
  }
  // `join` writes null as empty and a number as `String` does, as csv-stringify does here.
  return `${row.join(",")}\r\n`
}

/** One row as CSV text, with RFC 4180 quoting and the formula guard. */
export const stringifyRow = (row: ReadonlyArray<Cell>): string => plainRow(row) ?? stringifyRows([row])

/**
 * report.csv's writer: the header, then one row per asset.
 *
 * @since 0.2.0
 */
export const writer = (context: Writer.Context): Writer.Writer => {
  const metrics = metricNames(context.analysis)
  return {
    *head() {
      const header = stringifyRows([[...REQUIRED_COLUMNS, ...metrics.map((name) => `metric:${name}`)]])
      yield context.bom ? `\uFEFF${header}` : header
    },
    asset: (row) => stringifyRow(cells(row, metrics)),
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
