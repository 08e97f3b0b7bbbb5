/**
 * The final summary of a run: human text or JSON on stdout, and the rejected count for stderr.
 *
 * The JSON form reuses the report's own snake_case summary, so `albumsift ... --json` and
 * `report.json` agree field for field.
 */
import { isAbsolute, relative } from "node:path"
import type { Analysis } from "@albumsift/core"
import { Json, type Thumbnails } from "@albumsift/report"
import { oneLine } from "./Errors.js"

/** What the run wrote and where. */
export interface Written {
  /** The output folder, as the user gave it. */
  readonly out: string
  /** Paths of the files written, in html, csv, json order. */
  readonly files: ReadonlyArray<string>
  /** Thumbnails kept beside the report, when asked to. */
  readonly thumbnails?:
    | {
        readonly kept: number
        readonly failed: number
        /** Shown thumbnails that are local files beside the input, linked rather than kept. */
        readonly local?: number | undefined
      }
    | undefined
}

/** The `--json` summary document. */
export const toJson = (
  analysis: Analysis.Analysis,
  written: Written,
  tool: { readonly name: string; readonly version: string }
) => ({
  tool: { name: tool.name, version: tool.version },
  summary: Json.summaryJson(analysis.summary),
  out: written.out,
  files: [...written.files],
  ...(written.thumbnails === undefined ? {} : { thumbnails: written.thumbnails })
})

/** `1536` to `1.5 KB`; decimal units, as file managers show them. */
export const formatBytes = (n: number): string => {
  if (n < 1000) return `${n} B`
  const units = ["KB", "MB", "GB", "TB", "PB"]
  let v = n
  let u = -1
  do {
    v /= 1000
    u += 1
  } while (v >= 1000 && u < units.length - 1)
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`

/** A path relative to the working folder when inside it (as users typed it), else absolute. */
const display = (file: string): string => {
  const rel = relative(process.cwd(), file)
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file
}

/** Why some thumbnails were not kept: they are files already, which only http(s) links need. */
const localNote = (local: number): string =>
  local === 0
    ? ""
    : `; ${plural(local, "shown thumbnail")} ${local === 1 ? "is a local file" : "are local files"} beside the input, linked where ${local === 1 ? "it is" : "they are"}`

/** The human summary, several short lines. */
export const toText = (analysis: Analysis.Analysis, written: Written): string => {
  const s = analysis.summary
  const byEvidence = Object.entries(s.groupsByEvidence)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([k, n]) => `${k} ${n}`)
  const lines = [
    `Read ${plural(s.inputItems, "item")}: ${plural(s.assets, "asset")} analysed, ${plural(s.rejected, "rejected", "rejected")}${
      s.duplicateIds > 0 ? `, ${plural(s.duplicateIds, "repeated id")}` : ""
    }.`,
    `Groups: ${s.groups} (exact ${s.groupsByKind.exact ?? 0}, near ${s.groupsByKind.near ?? 0})${
      byEvidence.length > 0 ? `; evidence: ${byEvidence.join(", ")}` : ""
    }.`,
    `Suggested: ${s.recommendations.keep ?? 0} keep, ${s.recommendations.discard ?? 0} discard, ${
      s.recommendations.review ?? 0
    } review. Reclaimable: ${formatBytes(s.reclaimableBytes)}.`,
    `Low quality: ${s.lowQuality}. Time-zone anomalies: ${s.timezoneAnomalies}.`,
    ...(s.decisions === undefined
      ? []
      : [
          `Your decisions: ${s.decisions.applied} applied (${plural(s.decisions.decidedGroups, "group")} decided), ${s.decisions.settled} settled, ${s.decisions.stale} stale${
            s.decisions.stale > 0 ? ' (listed under "stale_decisions" in report.json)' : ""
          }.`
        ]),
    ...written.files.map((f, i) => `${i === 0 ? "Wrote" : "     "} ${display(f)}`),
    ...(written.thumbnails === undefined
      ? []
      : [
          `Kept ${plural(written.thumbnails.kept, "thumbnail")} in thumbs/${
            written.thumbnails.failed > 0 ? ` (${written.thumbnails.failed} left as links)` : ""
          }${localNote(written.thumbnails.local ?? 0)}.`
        ])
  ]
  return `${lines.join("\n")}\n`
}

/** The stderr note about rejected items, or null when there were none. */
export const rejectedNote = (analysis: Analysis.Analysis, jsonWritten: boolean): string | null => {
  const n = analysis.summary.rejected
  if (n === 0) return null
  const first = analysis.rejected[0]
  const example =
    first === undefined
      ? ""
      : ` (first: item ${first.index}${first.id === undefined ? "" : ` ${first.id}`}: ${first.reason})`
  const where = jsonWritten ? `; all are listed under "rejected" in report.json` : ""
  return `albumsift: ${plural(n, "input item")} rejected${example === "" ? "" : ` ${oneLine(example)}`}${where}`
}

/**
 * The one-line notes for stderr after the summary (without the `albumsift: ` prefix): how the
 * input was read, an empty album, thumbnails left as links, and rejected items (unless none
 * could be read at all, which is the run's error instead).
 */
export const notes = (
  analysis: Analysis.Analysis,
  context: {
    readonly input: string
    readonly readAs: string | undefined
    readonly kept: Thumbnails.Kept | null
    readonly jsonWritten: boolean
  }
): Array<string> => {
  const out: Array<string> = []
  const s = analysis.summary
  if (context.readAs !== undefined) out.push(`read ${context.input} as ${context.readAs}`)
  if (s.inputItems === 0) out.push("the input holds no assets (an empty album); the report is empty")
  const kept = context.kept
  if (kept !== null && kept.failed > 0) {
    const first = kept.failures[0]
    out.push(
      `${plural(kept.failed, "thumbnail")} could not be kept and stay links${
        first === undefined ? "" : ` (first: ${oneLine(first.reason)})`
      }`
    )
  }
  const rejected = s.assets === 0 ? null : rejectedNote(analysis, context.jsonWritten)
  if (rejected !== null) out.push(rejected.replace(/^albumsift: /, ""))
  return out
}

/**
 * The input was a cursor page saying `has_more: true`: the report covers only part of the album, so
 * this is said even with --quiet.
 */
export const partialPageWarning = (input: string, items: number): string =>
  `${input} is one page of a longer listing (has_more: true): the album has more assets than the ${items} read`

/** Names given in `--weight`, `--lower-is-better` or `--low-quality` that no asset of the album has. */
export const unknownMetrics = (analysis: Analysis.Analysis): string | null => {
  const o = analysis.options
  const known = new Set(analysis.metrics.map((m) => m.name))
  const given = new Set([
    ...Object.keys(o.weights).filter((k) => k !== "rating" && k !== "favorite" && k !== "metric"),
    ...o.lowerIsBetter,
    ...Object.keys(o.lowQualityThresholds)
  ])
  const unknown = [...given].filter((name) => !known.has(name))
  if (unknown.length === 0 || analysis.summary.assets === 0) return null
  const has =
    known.size === 0 ? "the album has no metrics" : `the album's metrics are ${[...known].sort().join(", ")}`
  return `unknown metric${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")} (changes nothing): ${has}`
}
