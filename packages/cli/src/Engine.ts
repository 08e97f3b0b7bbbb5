/**
 * The pieces other packages provide, each behind one binding, so the composition root (`Run`)
 * never depends on their internals: decode local JSON, read albums from a server, analyse,
 * write reports.
 */
import { type Analysis, type InvalidOptions, Options, Pipeline, type SourceItem } from "@albumsift/core"
import type { FileSystem } from "@effect/platform"
import { Effect, Schema, Stream } from "effect"
import type { AnalysisSettings, Format } from "./CommonOptions.js"

/** A piece of the engine is not available in this build. */
export class NotWired extends Schema.TaggedError<NotWired>()("NotWired", { piece: Schema.String }) {
  override get message(): string {
    return `${this.piece} is not available in this build`
  }
}

/** Bytes of exported JSON (array, cursor page or NDJSON) to raw items. */
export const decodeJson = <E, R>(
  _bytes: Stream.Stream<Uint8Array, E, R>,
  _input: string
): Stream.Stream<SourceItem.SourceItem, E | NotWired, R> => Stream.fail(new NotWired({ piece: "JSON input" }))

/** Where a server source reads from and how hard it tries. */
export interface ServerSettings {
  readonly albums: ReadonlyArray<string>
  readonly baseUrl: string | undefined
  readonly concurrency: number | undefined
  readonly retries: number | undefined
  readonly timeoutMs: number | undefined
}

/** Raw items of every album on a Gumnut server (key from GUMNUT_API_KEY). */
export const gumnutItems = (_settings: ServerSettings): Stream.Stream<SourceItem.SourceItem, NotWired> =>
  Stream.fail(new NotWired({ piece: "The Gumnut source" }))

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
  readonly source:
    | { readonly kind: "file"; readonly path: string }
    | { readonly kind: "stdin" }
    | { readonly kind: "sample"; readonly name: string }
    | {
        readonly kind: "api"
        readonly server: string
        readonly baseUrl: string
        readonly albums: ReadonlyArray<string>
      }
}

/** Writes the reports; returns the paths written (html, csv, json order). */
export const writeReports = (
  _analysis: Analysis.Analysis,
  _settings: ReportSettings
): Effect.Effect<ReadonlyArray<string>, NotWired, FileSystem.FileSystem> =>
  Effect.fail(new NotWired({ piece: "The report writer" }))

/** The summary as report.json writes it (so `--json` and report.json agree). */
export const summaryJson = (summary: Analysis.Summary): unknown => summary
