/**
 * report.html: one self-contained page (inline CSS and JS, no network but thumbnails) where a person
 * reviews the groups and decides.
 *
 * The analysis is embedded once, as compact JSON in non-executable `<script type="application/json">`
 * elements of about 256 KiB each (with `<`, `>`, U+2028 and U+2029 escaped), and the page renders a page
 * of groups at a time from it.
 * A strict Content-Security-Policy allows only the page's own script and style (by hash) and images from
 * http(s) or beside the report. All data is inserted as text by the page script, never as markup.
 */
import type { Analysis } from "@albumsift/core"
import { collectShown, writer as dataWriter, shownAssetIds as shownIds } from "../internal/htmlData.js"
import { HEAD, TAIL } from "../internal/page.js"
import { DATA_CLASS } from "../internal/pageData.js"
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

/** The length of a part of the embedded data (see `DATA_CLASS`). */
const PART_CHARS = 256 * 1024

/** The opening tag of each part of the data (kept out of `pageData.ts`, which the page script bundles). */
const DATA_OPEN = `<script type="application/json" class="${DATA_CLASS}">`

/**
 * The JSON text a report.html embeds: its parts, joined (the page's data is not a contract). Throws on a
 * page cut off inside a part.
 */
export const embeddedData = (html: string): string => {
  const parts: Array<string> = []
  for (let open = html.indexOf(DATA_OPEN); open !== -1; ) {
    const start = open + DATA_OPEN.length
    const end = html.indexOf("</script>", start)
    if (end === -1)
      throw new Error(`report.html is cut off: its data part at character ${open} is not closed`)
    parts.push(html.slice(start, end))
    open = html.indexOf(DATA_OPEN, end)
  }
  return parts.join("")
}

/** report.html's writer with the embedded data in parts of `partChars` characters (a test compares one part). */
export const writerWithParts =
  (partChars: number) =>
  (context: Writer.Context): Writer.Writer => {
    const data = dataWriter(context.analysis, {
      metadata: context.metadata,
      formats: context.formats,
      thumbnailLink: context.thumbnailLink,
      groupIndex: context.groupIndex,
      ...(context.thumbnails !== undefined ? { thumbnails: context.thumbnails } : {})
    })
    // A new part of the data starts after the piece that fills the current one (a whole row or fixed text).
    let filled = 0
    const part = (piece: string): string => {
      const text = escapeJsonForHtml(piece)
      filled += text.length
      if (filled < partChars) return text
      filled = 0
      return `${text}</script>\n${DATA_OPEN}`
    }
    return {
      *head() {
        yield HEAD
        yield DATA_OPEN
        for (const piece of data.head()) yield part(piece)
      },
      asset: (row) => part(data.asset(row)),
      *tail() {
        for (const piece of data.tail()) yield part(piece)
        yield TAIL
      }
    }
  }

/**
 * report.html's writer: the page, with the embedded data between its head and its tail.
 *
 * @since 0.2.0
 */
export const writer: (context: Writer.Context) => Writer.Writer = writerWithParts(PART_CHARS)

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
