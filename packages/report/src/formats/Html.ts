/**
 * report.html: one self-contained page (inline CSS and JS, no network but thumbnails) where a person
 * reviews the groups and decides.
 *
 * The analysis is embedded once, as compact JSON in non-executable `<script type="application/json">`
 * elements (blocks of asset rows, each as its index columns and its details, blocks of group rows, then
 * the rest; see `pageData.ts`), with `<`, `>`, U+2028 and U+2029 escaped, and the page renders a page of
 * groups at a time from it, reading a block's details only when it shows one of its rows.
 * A strict Content-Security-Policy allows only the page's own script and style (by hash) and images from
 * http(s) or beside the report. All data is inserted as text by the page script, never as markup.
 */
import type { Analysis } from "@albumsift/core"
import {
  collectShown,
  type DataElement,
  writer as dataWriter,
  shownAssetIds as shownIds
} from "../internal/htmlData.js"
import { HEAD, TAIL } from "../internal/page.js"
import {
  ASSET_CLASS,
  type AssetRow,
  assetRow,
  DETAIL_CLASS,
  GROUP_CLASS,
  type GroupRow,
  groupRow,
  META_CLASS,
  type PageData,
  type PageTexts,
  readPage
} from "../internal/pageData.js"
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

const CLASSES: Readonly<Record<DataElement["holds"], string>> = {
  assets: ASSET_CLASS,
  details: DETAIL_CLASS,
  groups: GROUP_CLASS,
  meta: META_CLASS
}

/** The opening tag of a data element (kept out of `pageData.ts`, which the page script bundles). */
const opening = (className: string) => `<script type="application/json" class="${className}">`

/**
 * The texts of a report.html's data elements, by class (the page's data is not a contract). Throws on a
 * page cut off inside one, or without data.
 */
export const embeddedTexts = (html: string): PageTexts & { readonly details: ReadonlyArray<string> } => {
  const texts = (className: string): Array<string> => {
    const open = opening(className)
    const found: Array<string> = []
    for (let at = html.indexOf(open); at !== -1; ) {
      const start = at + open.length
      const end = html.indexOf("</script>", start)
      if (end === -1)
        throw new Error(`report.html is cut off: its data element at character ${at} is not closed`)
      found.push(html.slice(start, end))
      at = html.indexOf(open, end)
    }
    return found
  }
  const assets = texts(ASSET_CLASS)
  const details = texts(DETAIL_CLASS)
  const groups = texts(GROUP_CLASS)
  const [meta] = texts(META_CLASS)
  if (meta === undefined) throw new Error("report.html holds no data")
  return { assets, details, groups, meta }
}

/** The data a report.html embeds, as its page reads it. */
export const embeddedData = (html: string): PageData => readPage(embeddedTexts(html))

/** Every asset row of the data, built from its blocks (the page builds only the rows it shows). */
export const assetRows = (data: PageData): Array<AssetRow> =>
  Array.from({ length: data.assetCount }, (_, i) => assetRow(data, i) as AssetRow)

/** Every group row of the data, built from its blocks (the page builds the groups it shows). */
export const groupRows = (data: PageData): Array<GroupRow> =>
  Array.from({ length: data.groupCount }, (_, i) => groupRow(data, i) as GroupRow)

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
  const element = (piece: DataElement): string =>
    `${opening(CLASSES[piece.holds])}${escapeJsonForHtml(piece.json)}</script>\n`
  return {
    *head() {
      yield HEAD
    },
    // Concatenated, not joined: `+` links the two texts of a block where `join` would copy them (≈138 MB
    // more to collect at 1M assets, which raised the run's peak memory by 10-20 MB).
    asset: (row) => data.asset(row).reduce((text, piece) => text + element(piece), ""),
    *tail() {
      for (const piece of data.tail()) yield element(piece)
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
