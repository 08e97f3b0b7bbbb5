/**
 * The pieces other packages provide, each behind one binding, so the composition root (`Run`)
 * never depends on their internals: decode local JSON, read albums from a server, analyse,
 * write reports.
 */
import {
  AlbumSource,
  type Analysis,
  Gumnut,
  Immich,
  type InvalidOptions,
  JsonInput,
  Options,
  Pipeline,
  type SourceItem
} from "@albumsift/core"
import { Json, Metadata, Report, type ReportError, Thumbnails } from "@albumsift/report"
import type { FileSystem, HttpClient, Path } from "@effect/platform"
import { Duration, Effect, Stream } from "effect"
import type { AnalysisSettings, Format } from "./CommonOptions.js"
import { TOOL } from "./Version.js"

/** Bytes of exported JSON (array, cursor page or NDJSON, detected) to raw items. */
export const decodeJson = <E, R>(bytes: Stream.Stream<Uint8Array, E, R>, input: string) =>
  JsonInput.items(bytes, { input })

/** A photo server albumsift can read. */
export type Server = "gumnut" | "immich"

/** Where a server source reads from and how hard it tries. */
export type ServerSettings = (
  | { readonly server: "gumnut"; readonly listing: Gumnut.Listing }
  | { readonly server: "immich"; readonly listing: Immich.Listing }
) & {
  readonly albums: ReadonlyArray<string>
  readonly baseUrl: string | undefined
  readonly concurrency: number | undefined
  readonly retries: number | undefined
  readonly timeoutMs: number | undefined
}

/** The listing styles each server supports (`auto` detects). */
export const LISTINGS: { readonly [S in Server]: ReadonlyArray<string> } = {
  gumnut: ["auto", "seed", "cursor"],
  immich: ["auto", "album", "search"]
}

/** An opened server source: its items, and the credentials its thumbnails need (Immich). */
export interface OpenedSource {
  readonly items: Stream.Stream<SourceItem.SourceItem, AlbumSource.SourceError>
  readonly thumbnailAuthorization: AlbumSource.ThumbnailAuthorization | undefined
}

const retryOf = (settings: ServerSettings) => ({
  ...(settings.retries === undefined ? {} : { retries: settings.retries }),
  ...(settings.timeoutMs === undefined ? {} : { timeout: Duration.millis(settings.timeoutMs) })
})

/**
 * Opens a server source with the key from its environment variable (GUMNUT_API_KEY or
 * IMMICH_API_KEY); a missing key or bad URL fails here, before any request.
 */
export const openServer = (
  settings: ServerSettings,
  onAlbumRead: (album: string) => Effect.Effect<void> = () => Effect.void
): Effect.Effect<OpenedSource, AlbumSource.SourceConfigError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const common = {
      baseUrl: settings.baseUrl,
      retry: retryOf(settings),
      userAgent: `${TOOL.name}/${TOOL.version}`
    }
    const service =
      settings.server === "immich"
        ? yield* Immich.fromConfig({ ...common, listing: settings.listing })
        : yield* Gumnut.fromConfig({ ...common, listing: settings.listing })
    // Each album's listing reports its end, for "albums read" progress.
    const observed: AlbumSource.Service = {
      ...service,
      list: (album) => service.list(album).pipe(Stream.onEnd(onAlbumRead(album)))
    }
    return {
      items: AlbumSource.listAlbums(settings.albums, { concurrency: settings.concurrency }).pipe(
        Stream.provideService(AlbumSource.AlbumSource, observed)
      ),
      thumbnailAuthorization: service.thumbnailAuthorization
    }
  })

/** Checks analysis settings and fills in defaults; a bad value fails with `InvalidOptions` (exit 2). */
export const resolveOptions = (settings: AnalysisSettings) => Options.validate(settings)

/** Analyses a stream of raw items in one pass. */
export const analyze = <E, R>(
  items: Stream.Stream<SourceItem.SourceItem, E, R>,
  options: Analysis.ResolvedOptions
): Effect.Effect<Analysis.Analysis, E | InvalidOptions, R> => Pipeline.analyze(items, options)

/** What a report run needs besides the analysis. */
export interface ReportSettings {
  readonly out: string
  readonly formats: ReadonlyArray<Format>
  readonly thumbnails: "link" | "keep"
  readonly csvBom: boolean
  readonly source: Metadata.Source
  /** Run options worth recording in report.json beyond the analysis' own (never a secret). */
  readonly recorded: { readonly [key: string]: Metadata.JsonValue }
  readonly concurrency: number | undefined
  /** Headers thumbnails need, for one origin only (Immich); never written into a report. */
  readonly thumbnailAuthorization: AlbumSource.ThumbnailAuthorization | undefined
  /** `--timeout`, which thumbnail downloads obey too. */
  readonly timeoutMs?: number | undefined
}

/** What the report writer produced. */
export interface WrittenReports {
  /** Paths written, in html, csv, json order. */
  readonly files: ReadonlyArray<string>
  /** Present when thumbnails were kept. */
  readonly thumbnails: Thumbnails.Kept | null
  /** Shown thumbnails that are local files beside the input: linked, never kept. */
  readonly localThumbnails: number
}

/** Writes the reports (atomically, each file). */
export const writeReports: (
  analysis: Analysis.Analysis,
  settings: ReportSettings
) => Effect.Effect<
  WrittenReports,
  ReportError.ReportWriteError | ReportError.InvalidSourceDateEpoch,
  FileSystem.FileSystem | Path.Path | HttpClient.HttpClient
> = Effect.fn("Engine.writeReports")(function* (analysis: Analysis.Analysis, settings: ReportSettings) {
  const metadata = yield* Metadata.make({
    tool: TOOL,
    sources: [settings.source],
    options: settings.recorded
  })
  const thumbnails =
    settings.thumbnails === "keep"
      ? {
          thumbnails: {
            fetch: yield* Thumbnails.httpFetch({
              ...(settings.thumbnailAuthorization === undefined
                ? {}
                : { authorize: settings.thumbnailAuthorization }),
              // Thumbnails come from the server's own origin, or public https hosts (no request forgery).
              trustedOrigin: settings.source.kind === "api" ? settings.source.baseUrl : undefined,
              ...(settings.timeoutMs === undefined ? {} : { timeout: Duration.millis(settings.timeoutMs) })
            }),
            ...(settings.concurrency === undefined ? {} : { concurrency: settings.concurrency * 2 })
          }
        }
      : {}
  const written = yield* Report.write(analysis, {
    outDir: settings.out,
    formats: settings.formats,
    metadata,
    bom: settings.csvBom,
    ...thumbnails
  })
  const order: ReadonlyArray<Format> = ["html", "csv", "json"]
  return {
    files: [...written.files]
      .sort((a, b) => order.indexOf(a.format) - order.indexOf(b.format))
      .map((f) => f.path),
    thumbnails: written.thumbnails,
    localThumbnails: written.localThumbnails
  }
})

/** The summary as report.json writes it (so `--json` and report.json agree). */
export const summaryJson = (summary: Analysis.Summary) => Json.summaryJson(summary)
