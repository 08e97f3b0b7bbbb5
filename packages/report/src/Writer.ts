/**
 * What a report format implements. A format's `Writer` turns one run's `Context` into text in three
 * parts: `head` before the assets, `asset` once per asset, `tail` after. However many formats a run
 * writes, `Report.write` walks the analysis' assets once, builds each asset's `Row` once (the asset with
 * its group and member) and hands it to every writer. The registry of formats is `Renderer`.
 *
 * @since 0.2.0
 */
import type { Analysis } from "@albumsift/core"
import { type GroupIndex, groupIndex } from "./internal/groupIndex.js"
import { LazyRow, type Row, rowMaker } from "./internal/rowMaker.js"
import { defaultTool, type Metadata } from "./Metadata.js"

export type { GroupIndex, Row }

/**
 * Everything a writer may read, fixed for the run.
 *
 * @since 0.2.0
 */
export interface Context {
  readonly analysis: Analysis.Analysis
  readonly metadata: Metadata
  /** Every format written in this run, in registry order (a page may link the others). */
  readonly formats: ReadonlyArray<string>
  /** Kept thumbnails: asset id to a path relative to the report (see `Thumbnails.keep`). */
  readonly thumbnails: ReadonlyMap<string, string> | undefined
  /**
   * The thumbnail a page beside the report should show: the kept copy, else the source's URL, a relative
   * one rewritten to resolve from the report's folder. Null when there is none.
   */
  readonly thumbnailLink: (asset: Analysis.AssetInfo) => string | null
  /** Start report.csv with a UTF-8 byte order mark. */
  readonly bom: boolean
  /** Position of each group in `analysis.groups`, by group id (a `Map` is one). */
  readonly groupIndex: GroupIndex
}

/**
 * One format's output for one run. Each part returns text pieces in file order; `asset` may return `""`.
 *
 * @since 0.2.0
 */
export interface Writer {
  readonly head: () => Iterable<string>
  readonly asset: (row: Row) => string
  readonly tail: () => Iterable<string>
}

/**
 * Settings a caller may give `context`; the rest is derived from the analysis.
 *
 * @since 0.2.0
 */
export interface ContextOptions {
  readonly metadata?: Metadata | undefined
  readonly formats?: ReadonlyArray<string> | undefined
  readonly thumbnails?: ReadonlyMap<string, string> | undefined
  /** Rewrites a relative thumbnail URL for the report's folder (default: as given). */
  readonly rebaseThumbnail?: ((url: string) => string) | undefined
  readonly bom?: boolean | undefined
}

/** Metadata for a writer that was given none (a format that records none, such as CSV). */
const NO_METADATA: Metadata = {
  generatedAt: new Date(0).toISOString(),
  tool: defaultTool,
  sources: [],
  options: {}
}

/** A relative path (`thumbs/a.jpg`, `../a.jpg`): no scheme, not rooted. */
const isRelativePath = (url: string): boolean => !/^\s*([a-zA-Z][a-zA-Z0-9+.-]*:|[/\\])/.test(url)

/**
 * A run's `Context` from the analysis and the caller's settings.
 *
 * @since 0.2.0
 */
export const context = (analysis: Analysis.Analysis, options: ContextOptions = {}): Context => {
  const kept = options.thumbnails
  const rebase = options.rebaseThumbnail
  return {
    analysis,
    metadata: options.metadata ?? NO_METADATA,
    formats: options.formats ?? [],
    thumbnails: kept,
    thumbnailLink: (asset) => {
      const own = kept?.get(asset.id)
      if (own !== undefined) return own
      const url = asset.thumbnailUrl
      return url !== null && rebase !== undefined && isRelativePath(url) ? rebase(url) : url
    },
    bom: options.bom === true,
    groupIndex: groupIndex(analysis)
  }
}

/**
 * Every asset's `Row`, in `analysis.assets` order, each built once and only as far as it is read (see
 * `LazyRow`). Assets come grouped by group, so a group is built once per run of its members (not once
 * per member).
 *
 * @since 0.2.0
 */
export function* rows(context: Pick<Context, "analysis" | "groupIndex">): Generator<Row> {
  const { analysis, groupIndex } = context
  const place = rowMaker((id) => {
    const i = groupIndex.get(id)
    return i === undefined ? undefined : analysis.groups[i]
  })
  const { assets } = analysis
  for (let position = 0; position < assets.length; position++) yield new LazyRow(assets, position, place)
}

/**
 * One writer's whole text, lazily: its head, one asset at a time, then its tail.
 *
 * @since 0.2.0
 */
export function* pieces(make: (context: Context) => Writer, context: Context): Generator<string> {
  const writer = make(context)
  yield* writer.head()
  for (const row of rows(context)) {
    const text = writer.asset(row)
    if (text !== "") yield text
  }
  yield* writer.tail()
}
