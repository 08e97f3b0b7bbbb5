/**
 * report.html: one self-contained page (inline CSS and JS, no network but thumbnails) where a person
 * reviews the groups and decides.
 *
 * The analysis is embedded once, as compact JSON in a non-executable `<script type="application/json">`
 * (with `<`, `>`, U+2028 and U+2029 escaped), and the page renders a page of groups at a time from it.
 * A strict Content-Security-Policy allows only the page's own script and style (by hash) and images from
 * http(s) or beside the report. All data is inserted as text by the page script, never as markup.
 */
import type { Analysis } from "@albumsift/core"
import { collectShown, shownAssetIds as shownIds, stream } from "./internal/htmlData.js"
import { HEAD, TAIL } from "./internal/page.js"
import { DATA_ID } from "./internal/pageData.js"
import { coalesce, escapeJsonForHtml } from "./internal/text.js"
import type { Metadata } from "./Metadata.js"

export { ISSUE_LIMIT, LOW_QUALITY_LIMIT } from "./internal/htmlData.js"
export { CONTENT_SECURITY_POLICY } from "./internal/page.js"
export { safeImageUrl } from "./internal/text.js"

/** Ids of the assets the page shows (group members, worst low-quality assets, time-zone anomalies). */
export const shownAssetIds = (analysis: Analysis.Analysis): ReadonlyArray<string> =>
  shownIds(
    analysis,
    collectShown(analysis, () => null)
  )

/** Options for `chunks` / `render`. */
export interface HtmlOptions {
  /** Kept thumbnails: asset id to a path relative to the report; used instead of the remote URL. */
  readonly thumbnails?: ReadonlyMap<string, string>
  /** The report files written beside this one (`csv`, `json`), linked from the page header. */
  readonly formats?: ReadonlyArray<string>
}

function* parts(analysis: Analysis.Analysis, metadata: Metadata, options: HtmlOptions): Generator<string> {
  yield HEAD
  yield `<script type="application/json" id="${DATA_ID}">`
  const data = stream(analysis, {
    metadata,
    ...(options.thumbnails !== undefined ? { thumbnails: options.thumbnails } : {}),
    ...(options.formats !== undefined ? { formats: options.formats } : {})
  })
  for (const piece of data) yield escapeJsonForHtml(piece)
  yield TAIL
}

/** report.html as lazily generated text pieces of about 64 KiB. */
export const chunks = (
  analysis: Analysis.Analysis,
  metadata: Metadata,
  options: HtmlOptions = {}
): Iterable<string> => ({
  [Symbol.iterator]: () => coalesce(parts(analysis, metadata, options))
})

/** report.html as one string (for small analyses and tests; use `chunks` for large ones). */
export const render = (analysis: Analysis.Analysis, metadata: Metadata, options: HtmlOptions = {}): string =>
  Array.from(chunks(analysis, metadata, options)).join("")
