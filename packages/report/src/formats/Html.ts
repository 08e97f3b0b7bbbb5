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
import { collectShown, writer as dataWriter, shownAssetIds as shownIds } from "../internal/htmlData.js"
import { HEAD, TAIL } from "../internal/page.js"
import { DATA_ID } from "../internal/pageData.js"
import { coalesce, escapeJsonForHtml } from "../internal/text.js"
import type { Metadata } from "../Metadata.js"
import * as Writer from "../Writer.js"

export { ISSUE_LIMIT, LOW_QUALITY_LIMIT } from "../internal/htmlData.js"
export { CONTENT_SECURITY_POLICY } from "../internal/page.js"
export { safeImageUrl } from "../internal/text.js"

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

/**
 * report.html's writer: the page, with the embedded data between its head and its tail.
 *
 * @since 0.2.0
 */
export const writer = (context: Writer.Context): Writer.Writer => {
  const data = dataWriter(context.analysis, {
    metadata: context.metadata,
    formats: context.formats,
    thumbnailLink: context.thumbnailLink,
    groupIndex: context.groupIndex,
    ...(context.thumbnails !== undefined ? { thumbnails: context.thumbnails } : {})
  })
  return {
    *head() {
      yield HEAD
      yield `<script type="application/json" id="${DATA_ID}">`
      for (const piece of data.head()) yield escapeJsonForHtml(piece)
    },
    asset: (row) => escapeJsonForHtml(data.asset(row)),
    *tail() {
      for (const piece of data.tail()) yield escapeJsonForHtml(piece)
      yield TAIL
    }
  }
}

/** report.html as lazily generated text pieces of about 64 KiB. */
export const chunks = (
  analysis: Analysis.Analysis,
  metadata: Metadata,
  options: HtmlOptions = {}
): Iterable<string> => ({
  [Symbol.iterator]: () =>
    coalesce(
      Writer.pieces(
        writer,
        Writer.context(analysis, { metadata, thumbnails: options.thumbnails, formats: options.formats })
      )
    )
})

/** report.html as one string (for small analyses and tests; use `chunks` for large ones). */
export const render = (analysis: Analysis.Analysis, metadata: Metadata, options: HtmlOptions = {}): string =>
  Array.from(chunks(analysis, metadata, options)).join("")
