/**
 * Writes a run's report files (each atomically) through @albumsift/report, keeping thumbnails
 * beside them when asked, and says what was written.
 */
import type { Analysis } from "@albumsift/core"
import { Metadata, Report, type ReportError, Thumbnails } from "@albumsift/report"
import type { FileSystem, HttpClient, Path } from "@effect/platform"
import { Duration, Effect } from "effect"
import { type CommonSettings, FORMATS } from "./CommonOptions.js"
import { collectGarbage } from "./internal/collectGarbage.js"
import type * as Sources from "./Sources.js"
import { TOOL } from "./Version.js"

/** What the report writer produced. */
export interface Written {
  /** The output folder, as the user gave it. */
  readonly out: string
  /** Paths written, in html, csv, json order. */
  readonly files: ReadonlyArray<string>
  /** Present when thumbnails were kept. */
  readonly thumbnails: Thumbnails.Kept | null
  /** Shown thumbnails that are local files beside the input: linked, never kept. */
  readonly localThumbnails: number
}

/** The page first (what a person opens), then csv and json, then any other format. */
const shownOrder = (format: string) => {
  const i = ["html", "csv", "json"].indexOf(format)
  return i === -1 ? 3 + FORMATS.indexOf(format as (typeof FORMATS)[number]) : i
}

/** Writes the reports on `analysis` of `source` into `settings.out`. */
export const write: (
  analysis: Analysis.Analysis,
  source: Sources.Opened,
  settings: CommonSettings
) => Effect.Effect<
  Written,
  ReportError.ReportWriteError | ReportError.InvalidSourceDateEpoch,
  FileSystem.FileSystem | Path.Path | HttpClient.HttpClient
> = Effect.fn("Reports.write")(function* (
  analysis: Analysis.Analysis,
  source: Sources.Opened,
  settings: CommonSettings
) {
  const metadata = yield* Metadata.make({
    tool: TOOL,
    sources: [source.record],
    options: {
      strict: settings.strict,
      ...(settings.decisions === undefined ? {} : { decisions: settings.decisions }),
      ...source.recorded
    }
  })
  // Thumbnails that need the key (Immich) are kept beside the report by default: a link would
  // not load in a browser without the key, and the key never goes into the HTML.
  const keep =
    (settings.thumbnails ?? (source.thumbnailAuthorization === undefined ? "link" : "keep")) === "keep"
  const thumbnails = keep
    ? {
        thumbnails: {
          fetch: yield* Thumbnails.httpFetch({
            ...(source.thumbnailAuthorization === undefined
              ? {}
              : { authorize: source.thumbnailAuthorization }),
            // Thumbnails come from the server's own origin, or public https hosts (no request forgery).
            trustedOrigin: source.record.kind === "api" ? source.record.baseUrl : undefined,
            ...(source.timeoutMs === undefined ? {} : { timeout: Duration.millis(source.timeoutMs) })
          }),
          ...(source.concurrency === undefined ? {} : { concurrency: source.concurrency * 2 })
        }
      }
    : {}
  collectGarbage()
  const written = yield* Report.write(analysis, {
    outDir: settings.out,
    formats: settings.formats,
    metadata,
    bom: settings.csvBom,
    ...thumbnails
  })
  return {
    out: settings.out,
    files: [...written.files].sort((a, b) => shownOrder(a.format) - shownOrder(b.format)).map((f) => f.path),
    thumbnails: written.thumbnails,
    localThumbnails: written.localThumbnails
  }
})
