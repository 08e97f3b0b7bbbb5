/**
 * Decisions from an edited report.csv: every group whose rows all say `keep`/`discard` (or all say
 * `not_duplicates`) becomes a decision; a group with a `review` row left is not decided yet.
 *
 * Read by csv-parse, tolerant of what spreadsheets do on save: a byte order mark, LF or CRLF,
 * `;` or TAB as the delimiter (detected from the header), columns reordered or dropped (only
 * `asset_id`, `group_id` and `recommendation` are needed), and the `'` the formula guard put
 * before an id starting with `=`, `+`, `-`, `@`, TAB or CR.
 */
import { parse as parseCsv } from "csv-parse/sync"

/** A group read from the CSV, or a problem with it. */
export type CsvGroup = {
  /** Names the group in errors, e.g. `group g-3f9a (line 4)`. */
  readonly label: string
  readonly members: ReadonlyArray<string>
  readonly keep?: ReadonlyArray<string>
  readonly not_duplicates?: boolean
}

/** A problem, with the entry it is about (a line, the header). */
export type CsvProblem = { readonly entry?: string; readonly reason: string }

const REQUIRED = ["asset_id", "group_id", "recommendation"] as const

const GUARDED = new Set(["=", "+", "-", "@", "\t", "\r", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"])

/** Undoes the writer's formula guard: one `'` before a guarded character. */
const unguard = (cell: string): string =>
  cell.startsWith("'") && GUARDED.has(cell[1] ?? "") ? cell.slice(1) : cell

/** Whether text looks like a report.csv: not JSON, and its first line names the `asset_id` column. */
export const looksLikeCsv = (text: string): boolean =>
  !/^\uFEFF?\s*[{[]/.test(text) && /^[^\r\n]*\basset_id\b/.test(text)

const delimiterOf = (text: string): string => {
  const header = text.slice(0, text.search(/[\r\n]|$/))
  const counts = [",", ";", "\t"].map((d) => [d, header.split(d).length] as const)
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0]
}

type Row = { readonly line: number; readonly id: string; readonly value: string }

const decide = (group: string, rows: ReadonlyArray<Row>): CsvGroup | CsvProblem | undefined => {
  const label = `group ${group} (line ${rows[0]!.line})`
  const values = new Set(rows.map((row) => row.value))
  const members = rows.map((row) => row.id)
  if (values.has("not_duplicates")) {
    if (values.size > 1) {
      return { entry: label, reason: "mark every row of the group not_duplicates, or none" }
    }
    return { label, members, not_duplicates: true }
  }
  if (values.has("review")) return undefined
  const keep = rows.filter((row) => row.value === "keep").map((row) => row.id)
  if (keep.length === 0) {
    return { entry: label, reason: "no row says keep: keep at least one, or mark the group not_duplicates" }
  }
  return { label, members, keep }
}

/** Reads the groups of an edited report.csv, in file order. */
export const readCsv = (text: string): ReadonlyArray<CsvGroup> | CsvProblem => {
  let records: Array<{ record: Array<string>; info: { lines: number } }>
  try {
    records = parseCsv(text, {
      bom: true,
      delimiter: delimiterOf(text.replace(/^\uFEFF/, "")),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true
    }) as unknown as typeof records
  } catch (error) {
    return { reason: `not a readable CSV: ${error instanceof Error ? error.message : String(error)}` }
  }
  const [header, ...body] = records
  if (header === undefined) return { reason: "empty CSV: no header row" }
  const names = header.record.map((name) => name.trim())
  const at = Object.fromEntries(REQUIRED.map((name) => [name, names.indexOf(name)])) as Record<
    (typeof REQUIRED)[number],
    number
  >
  const missing = REQUIRED.filter((name) => at[name] < 0)
  if (missing.length > 0) {
    return { entry: "header", reason: `missing column ${missing.join(", ")} (a report.csv has them)` }
  }
  const groups = new Map<string, Array<Row>>()
  for (const { record, info } of body) {
    const cell = (name: (typeof REQUIRED)[number]) => unguard((record[at[name]] ?? "").trim())
    const group = cell("group_id")
    if (group === "") continue
    const id = cell("asset_id")
    const line = info.lines
    if (id === "") return { entry: `line ${line}`, reason: "asset_id is empty" }
    const value = cell("recommendation")
      .toLowerCase()
      .replace(/[\s-]+/g, "_")
    if (!["keep", "discard", "review", "not_duplicates"].includes(value)) {
      return {
        entry: `line ${line}`,
        reason: `recommendation ${JSON.stringify(cell("recommendation"))} is not keep, discard, review or not_duplicates`
      }
    }
    const rows = groups.get(group) ?? []
    rows.push({ line, id, value })
    groups.set(group, rows)
  }
  const out: Array<CsvGroup> = []
  for (const [group, rows] of groups) {
    const decided = decide(group, rows)
    if (decided === undefined) continue
    if (!("members" in decided)) return decided
    out.push(decided)
  }
  return out
}
