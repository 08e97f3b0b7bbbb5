/**
 * The composition root: source -> items (with progress) -> analysis -> reports -> summary.
 *
 * Every command ends here. It owns what the user sees: progress on stderr (TTY only), the
 * summary on stdout, the rejected count on stderr, and `--strict`.
 */
import { fileURLToPath } from "node:url"
import {
  type AlbumSource,
  Decisions,
  type InvalidOptions,
  type JsonInput,
  type SourceItem
} from "@albumsift/core"
import type { Metadata, ReportError } from "@albumsift/report"
import type { HttpClient } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { Console, Effect, Stream } from "effect"
import type { CommonSettings } from "./CommonOptions.js"
import * as Engine from "./Engine.js"
import { type InputFileError, oneLine, StrictRejected } from "./Errors.js"
import * as Input from "./Input.js"
import * as Progress from "./Progress.js"
import * as Summary from "./Summary.js"
import { TOOL } from "./Version.js"

/** Where the assets come from. */
export type SourceSpec =
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "stdin" }
  | { readonly kind: "sample" }
  | ({ readonly kind: "server" } & Engine.ServerSettings)

/** The bundled sample album and its thumbnails (shipped in the package's `sample/`). */
export const SAMPLE_ALBUM = new URL("../sample/album.json", import.meta.url)
const SAMPLE_THUMBS = new URL("../sample/thumbs", import.meta.url)

const DEFAULT_GUMNUT_URL = "https://api.gumnut.ai"

/** Opens a source: its raw items and, for servers whose thumbnails need the key, the credentials. */
const openSource = (
  source: SourceSpec,
  progress: Progress.ProgressService
): Effect.Effect<
  {
    readonly items: Stream.Stream<
      SourceItem.SourceItem,
      JsonInput.JsonInputError | InputFileError | AlbumSource.SourceError,
      FileSystem.FileSystem
    >
    readonly thumbnailAuthorization: AlbumSource.ThumbnailAuthorization | undefined
  },
  AlbumSource.SourceConfigError,
  HttpClient.HttpClient
> => {
  switch (source.kind) {
    case "file":
      return Effect.succeed({
        items: Engine.decodeJson(Input.file(source.path), source.path),
        thumbnailAuthorization: undefined
      })
    case "stdin":
      return Effect.succeed({
        items: Engine.decodeJson(Input.stdin, "stdin"),
        thumbnailAuthorization: undefined
      })
    case "sample":
      return Effect.succeed({
        items: Engine.decodeJson(Input.file(fileURLToPath(SAMPLE_ALBUM)), "the bundled sample"),
        thumbnailAuthorization: undefined
      })
    case "server":
      return Engine.openServer(source, progress.albumRead)
  }
}

/** Run options recorded in report.json (never a credential). */
const recordedOptions = (source: SourceSpec, settings: CommonSettings): Engine.ReportSettings["recorded"] => {
  const recorded: Record<string, Metadata.JsonValue> = { strict: settings.strict }
  if (settings.decisions !== undefined) recorded.decisions = settings.decisions
  if (source.kind === "server") {
    if (source.concurrency !== undefined) recorded.concurrency = source.concurrency
    if (source.retries !== undefined) recorded.retries = source.retries
    if (source.timeoutMs !== undefined) recorded.timeout_ms = source.timeoutMs
    recorded.listing = source.listing
  }
  return recorded
}

const nonEmpty = (s: string | undefined) => (s === undefined || s.trim() === "" ? undefined : s)

/** How the report records its source (never a credential). */
const reportSource = (source: SourceSpec): Metadata.Source => {
  switch (source.kind) {
    case "file":
      return { kind: "file", path: source.path }
    case "stdin":
      return { kind: "stdin" }
    case "sample":
      return { kind: "sample", name: "albumsift demo" }
    case "server":
      return {
        kind: "api",
        server: source.server,
        baseUrl:
          source.baseUrl ??
          (source.server === "immich"
            ? (nonEmpty(process.env.IMMICH_BASE_URL) ?? "")
            : (nonEmpty(process.env.GUMNUT_BASE_URL) ?? DEFAULT_GUMNUT_URL)),
        albums: source.albums
      }
  }
}

/** Copies the sample's thumbnails to `<out>/thumbs`, where the sample's relative URLs point. */
const copySampleThumbs = (out: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const target = path.join(out, "thumbs")
    yield* fs.makeDirectory(target, { recursive: true })
    const from = fileURLToPath(SAMPLE_THUMBS)
    for (const name of yield* fs.readDirectory(from)) {
      yield* fs.copyFile(path.join(from, name), path.join(target, name))
    }
  })

/** Runs one report: analyse the source, write the files, tell the user. */
/** Every way a run can fail; each has a one-line `message`. */
export type RunError =
  | JsonInput.JsonInputError
  | InputFileError
  | AlbumSource.SourceError
  | AlbumSource.SourceConfigError
  | InvalidOptions
  | ReportError.ReportWriteError
  | ReportError.InvalidSourceDateEpoch
  | PlatformError
  | StrictRejected
  | Decisions.DecisionsError

/** What a run needs from the platform. */
export type RunContext = FileSystem.FileSystem | Path.Path | HttpClient.HttpClient

export const run: (
  source: SourceSpec,
  settings: CommonSettings
) => Effect.Effect<void, RunError, RunContext> = Effect.fn("Run.run")(function* (
  source: SourceSpec,
  settings: CommonSettings
) {
  const progress = Progress.stderr(settings.quiet)
  return yield* report(source, settings, progress).pipe(Effect.ensuring(progress.done))
})

const report = Effect.fnUntraced(function* (
  source: SourceSpec,
  settings: CommonSettings,
  progress: Progress.ProgressService
) {
  const decisions =
    settings.decisions === undefined ? undefined : yield* Decisions.readFile(settings.decisions)
  const options = yield* Engine.resolveOptions(
    decisions === undefined ? settings.analysis : { ...settings.analysis, decisions }
  )
  const opened = yield* openSource(source, progress)
  if (source.kind === "server") yield* progress.albums(source.albums.length)
  yield* progress.phase("reading")
  const items = opened.items.pipe(
    Stream.mapChunksEffect((chunk) => Effect.as(progress.items(chunk), chunk)),
    Stream.onEnd(progress.phase("analysing"))
  )
  const analysis = yield* Engine.analyze(items, options)
  yield* progress.phase("writing report")
  if (source.kind === "sample" && settings.formats.includes("html")) yield* copySampleThumbs(settings.out)
  const reports = yield* Engine.writeReports(analysis, {
    out: settings.out,
    formats: settings.formats,
    // Thumbnails that need the key (Immich) are kept beside the report by default: a link would
    // not load in a browser without the key, and the key never goes into the HTML.
    thumbnails: settings.thumbnails ?? (opened.thumbnailAuthorization === undefined ? "link" : "keep"),
    csvBom: settings.csvBom,
    source: reportSource(source),
    recorded: recordedOptions(source, settings),
    concurrency: source.kind === "server" ? source.concurrency : undefined,
    thumbnailAuthorization: opened.thumbnailAuthorization,
    timeoutMs: source.kind === "server" ? source.timeoutMs : undefined
  })
  yield* progress.done
  const written: Summary.Written = {
    out: settings.out,
    files: reports.files,
    thumbnails:
      reports.thumbnails === null
        ? undefined
        : {
            kept: reports.thumbnails.downloaded + reports.thumbnails.reused,
            failed: reports.thumbnails.failed,
            local: reports.localThumbnails
          }
  }
  if (settings.json) {
    yield* Console.log(JSON.stringify(Summary.toJson(analysis, written, TOOL), null, 2))
  } else if (!settings.quiet) {
    yield* Effect.sync(() => process.stdout.write(Summary.toText(analysis, written)))
  }
  if (analysis.summary.inputItems === 0 && !settings.quiet) {
    yield* Console.error("albumsift: the input holds no assets (an empty album); the report is empty")
  }
  const kept = reports.thumbnails
  if (kept !== null && kept.failed > 0 && !settings.quiet) {
    const first = kept.failures[0]
    yield* Console.error(
      `albumsift: ${kept.failed} thumbnail${kept.failed === 1 ? "" : "s"} could not be kept and stay links${
        first === undefined ? "" : ` (first: ${oneLine(first.reason)})`
      }`
    )
  }
  const note = Summary.rejectedNote(analysis, settings.formats.includes("json"))
  if (note !== null && !settings.quiet) yield* Console.error(note)
  if (settings.strict && analysis.summary.rejected > 0) {
    return yield* new StrictRejected({ rejected: analysis.summary.rejected })
  }
})
