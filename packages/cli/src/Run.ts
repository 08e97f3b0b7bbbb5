/**
 * The composition root: source -> items (with progress) -> analysis -> reports -> what the user sees.
 *
 * Every command ends here. It owns the progress on stderr (TTY only), the summary on stdout,
 * the notes on stderr, and the run's verdict: an input none of whose items could be read fails
 * (exit 1), and `--strict` turns rejected items (exit 1) and unknown metric names (exit 2) into failures.
 */
import { type AlbumSource, Decisions, type InvalidOptions, Pipeline } from "@albumsift/core"
import { Report, type ReportError } from "@albumsift/report"
import type { HttpClient } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { Console, Effect, Stream } from "effect"
import type { CommonSettings } from "./CommonOptions.js"
import { NothingReadable, StrictRejected, UsageError } from "./Errors.js"
import * as Progress from "./Progress.js"
import * as Reports from "./Reports.js"
import * as Sources from "./Sources.js"
import * as Summary from "./Summary.js"
import { TOOL } from "./Version.js"

/** Every way a run can fail; each has a one-line `message`. */
export type RunError =
  | Sources.ReadError
  | AlbumSource.SourceConfigError
  | InvalidOptions
  | ReportError.ReportWriteError
  | ReportError.InvalidSourceDateEpoch
  | PlatformError
  | StrictRejected
  | NothingReadable
  | UsageError
  | Decisions.DecisionsError

/** What a run needs from the platform. */
export type RunContext = FileSystem.FileSystem | Path.Path | HttpClient.HttpClient

/** Runs one report: analyse the source, write the files, tell the user. */
export const run: (
  spec: Sources.SourceSpec,
  settings: CommonSettings
) => Effect.Effect<void, RunError, RunContext> = Effect.fn("Run.run")(function* (
  spec: Sources.SourceSpec,
  settings: CommonSettings
) {
  const progress = Progress.stderr(settings.quiet)
  return yield* report(spec, settings, progress).pipe(Effect.ensuring(progress.done))
})

const report = Effect.fnUntraced(function* (
  spec: Sources.SourceSpec,
  settings: CommonSettings,
  progress: Progress.ProgressService
) {
  const decisions =
    settings.decisions === undefined ? undefined : yield* Decisions.readFile(settings.decisions)
  const source = yield* Sources.open(spec, progress.albumRead)
  if (spec.kind === "server") yield* progress.albums(spec.albums.length)
  yield* progress.phase("reading")
  const analysis = yield* Pipeline.analyze(
    source.items.pipe(
      Stream.mapChunksEffect((chunk) => Effect.as(progress.items(chunk), chunk)),
      Stream.onEnd(progress.phase("analysing"))
    ),
    decisions === undefined ? settings.analysis : { ...settings.analysis, decisions },
    () => ({ canMergeGps: source.canMergeGps() })
  )
  const unknown = Summary.unknownMetrics(analysis)
  if (unknown !== null && settings.strict)
    return yield* new UsageError({ message: `${unknown}; --strict is set` })
  yield* progress.phase("writing report")
  if (spec.kind === "sample" && settings.formats.includes("html")) yield* copySampleThumbs(settings.out)
  const written = yield* Reports.write(analysis, source, settings)
  yield* progress.done
  const kept = written.thumbnails
  const shown: Summary.Written = {
    out: written.out,
    files: written.files,
    thumbnails:
      kept === null
        ? undefined
        : { kept: kept.downloaded + kept.reused, failed: kept.failed, local: written.localThumbnails }
  }
  if (settings.json) {
    yield* Console.log(JSON.stringify(Summary.toJson(analysis, shown, TOOL), null, 2))
  } else if (!settings.quiet) {
    yield* Effect.sync(() => process.stdout.write(Summary.toText(analysis, shown)))
  }
  const unreadable = analysis.summary.inputItems > 0 && analysis.summary.assets === 0
  const notes = Summary.notes(analysis, {
    input: spec.kind === "file" ? spec.path : "the input",
    readAs: source.readAs(),
    kept,
    jsonWritten: settings.formats.includes("json")
  })
  if (!settings.quiet) for (const note of notes) yield* Console.error(`albumsift: ${note}`)
  // A misspelt metric is a problem in the command line, a partial page one in the input: said even with --quiet.
  if (unknown !== null) yield* Console.error(`albumsift: ${unknown}`)
  if (source.partialPage()) {
    const input = spec.kind === "file" ? spec.path : "the input"
    yield* Console.error(`albumsift: ${Summary.partialPageWarning(input, analysis.summary.inputItems)}`)
  }
  if (unreadable) {
    const first = analysis.rejected[0]
    return yield* new NothingReadable({
      items: analysis.summary.inputItems,
      first: first === undefined ? "" : `item ${first.index}: ${first.reason}`
    })
  }
  if (settings.strict && analysis.summary.rejected > 0) {
    return yield* new StrictRejected({ rejected: analysis.summary.rejected })
  }
})

/** Copies the sample's thumbnails to `<out>/thumbs`, where the sample's relative URLs point. */
const copySampleThumbs = Effect.fnUntraced(function* (out: string) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const target = path.join(out, "thumbs")
  yield* Report.makeFolder(target)
  for (const name of yield* fs.readDirectory(Sources.SAMPLE_THUMBS)) {
    const to = path.join(target, name)
    yield* fs
      .copyFile(path.join(Sources.SAMPLE_THUMBS, name), to)
      .pipe(Effect.mapError((error) => Report.writeFailure(to, error)))
  }
})
