/**
 * report.csv's rows as text: an asset's cells and their RFC 4180 quoting (see `Csv`). Apart from `Csv`
 * so the worker that writes report.json (`internal/jsonWorker`) can write the CSV's last rows too, from
 * the assets it builds for report.json, bundling only this, not the rest of the report package and Effect.
 */
import { stringify } from "csv-stringify/sync"
import { own } from "../internal/text.js"
import type { Row } from "../Writer.js"

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

/** A cell: text, a number, or empty (null). */
export type Cell = string | number | null

/** `;`-joins a list; a `;` inside an item becomes `,` so the list always splits back into its items. */
const joinList = (items: ReadonlyArray<string>): string =>
  items.map((item) => item.replaceAll(";", ",")).join(";")

/** One asset's cells: the required columns, then one per metric name. */
export const cells = ({ asset, group, member }: Row, metrics: ReadonlyArray<string>): Array<Cell> => {
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

/** The header line for these metric names (after a UTF-8 byte order mark when `bom`). */
export const header = (metrics: ReadonlyArray<string>, bom: boolean): string => {
  const line = stringifyRows([[...REQUIRED_COLUMNS, ...metrics.map((name) => `metric:${name}`)]])
  return bom ? `\uFEFF${line}` : line
}

/** An asset's row as CSV text. */
export const rowText = (row: Row, metrics: ReadonlyArray<string>): string => stringifyRow(cells(row, metrics))
