/**
 * Writing the reports: `report.html`, `report.csv` and `report.json` into an output folder.
 *
 * The set is all or nothing. Every file is first staged under a temporary name in the same folder
 * and flushed; only when all of them are complete do they replace the previous set, by renames
 * (done uninterrupted). Report files of formats not written this time belong to an older run and
 * are removed at that moment, so the folder never mixes two runs (a `--format csv` run leaves
 * report.csv alone). A failure or an interruption before that leaves the previous set untouched
 * and no temporary file; temporary files an earlier, killed run left behind are removed first.
 * The folder is created if missing (one level at a time: never Node's recursive mkdir, which
 * spins on paths like `/proc/self/x`). With `thumbnails`, the thumbnails the HTML shows are first
 * kept in `thumbs/` (see `Thumbnails`).
 */
import type { Analysis } from "@albumsift/core"
import type { PlatformError } from "@effect/platform/Error"
// Subpath imports: the "@effect/platform" barrel also loads the HttpApi Swagger/Scalar bundles (~25 MB).
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { Effect, Option } from "effect"
import * as Csv from "./Csv.js"
import * as Html from "./Html.js"
import {
  discard,
  makeDirectories,
  removeStaleTemps,
  type Staged,
  stage,
  textStream
} from "./internal/atomic.js"
import * as Json from "./Json.js"
import type { Metadata } from "./Metadata.js"
import { ReportWriteError } from "./ReportError.js"
import * as Thumbnails from "./Thumbnails.js"

/** A report file format. */
export type Format = "html" | "csv" | "json"

/** Every format, in the order they are written. */
export const FORMATS: ReadonlyArray<Format> = ["json", "csv", "html"]

/** File name of each format in the output folder. */
export const fileName = (format: Format): string => `report.${format}`

/** Options for `write`. */
export interface WriteOptions {
  /** Output folder, created if missing. */
  readonly outDir: string
  /** Formats to write (default all three). */
  readonly formats?: ReadonlyArray<Format>
  /** When, by what, from where (see `Metadata.make`). */
  readonly metadata: Metadata
  /** Start report.csv with a UTF-8 BOM (for Excel). Default false. */
  readonly bom?: boolean
  /** Keep thumbnails beside the report; absent means the report links to the thumbnail URLs. */
  readonly thumbnails?: Thumbnails.KeepOptions
}

/** One written file. */
export interface WrittenFile {
  readonly format: Format
  readonly path: string
}

/** What `write` produced. */
export interface Written {
  readonly outDir: string
  readonly files: ReadonlyArray<WrittenFile>
  /** Present when thumbnails were kept. */
  readonly thumbnails: Thumbnails.Kept | null
}

const BY_CODE: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ENOTDIR: "a parent is not a folder",
  EISDIR: "a folder is in the way",
  ENOENT: "no such folder",
  EEXIST: "already exists",
  ENAMETOOLONG: "name too long",
  EIO: "input/output error"
}

const BY_REASON: Record<string, string> = {
  PermissionDenied: "permission denied",
  NotFound: "no such file or folder",
  AlreadyExists: "already exists",
  BadResource: "not a folder or not writable",
  TimedOut: "timed out",
  WriteZero: "nothing could be written"
}

/** A short, one-line reason for a file-system failure, with the system code when there is one. */
const describe = (error: PlatformError): string => {
  if (error._tag === "SystemError") {
    const code = /\b(E[A-Z]+)\b/.exec(`${error.description ?? ""} ${String(error.cause ?? "")}`)?.[1]
    const text = (code !== undefined ? BY_CODE[code] : undefined) ?? BY_REASON[error.reason] ?? "failed"
    return code !== undefined ? `${text} (${code})` : text
  }
  return (error.description ?? error.message).split("\n")[0] ?? "failed"
}

/** Writes the chosen report files into `options.outDir`. */
export const write = Effect.fn("Report.write")(function* (
  analysis: Analysis.Analysis,
  options: WriteOptions
) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const outDir = path.resolve(options.outDir)
  const requested = options.formats ?? FORMATS
  const formats = FORMATS.filter((format) => requested.includes(format))

  yield* makeDirectories(outDir).pipe(
    Effect.mapError((error) => new ReportWriteError({ path: outDir, reason: describe(error) }))
  )
  yield* removeStaleTemps(outDir, REPORT_NAMES)

  const kept =
    options.thumbnails !== undefined && formats.includes("html")
      ? yield* Thumbnails.keep(analysis, outDir, options.thumbnails)
      : null

  // The run's report options are part of "the options used".
  const metadata: Metadata = {
    ...options.metadata,
    options: {
      ...options.metadata.options,
      report: {
        formats: [...formats],
        thumbnails: kept !== null ? "keep" : "link",
        csv_bom: options.bom === true
      }
    }
  }
  const thumbnails = kept !== null ? { thumbnails: kept.paths } : {}

  // Stage every file; a failure (or an interruption) removes what was staged and changes nothing.
  const staged: Array<Staged> = []
  const files: Array<WrittenFile> = []
  yield* Effect.forEach(
    formats,
    (format) => {
      const target = path.join(outDir, fileName(format))
      const pieces =
        format === "json"
          ? Json.chunks(analysis, metadata, thumbnails)
          : format === "csv"
            ? Csv.chunks(analysis, { bom: options.bom === true })
            : Html.chunks(analysis, metadata, { ...thumbnails, formats })
      return stage(target, textStream(pieces)).pipe(
        Effect.tap((file) => {
          staged.push(file)
          files.push({ format, path: target })
        }),
        Effect.mapError((error) => new ReportWriteError({ path: target, reason: describe(error) }))
      )
    },
    { discard: true }
  ).pipe(Effect.onError(() => discard(staged)))

  // A folder in the way of a file would fail its rename half-way through the set: check first.
  yield* Effect.forEach(
    staged,
    ({ target }) =>
      fs.stat(target).pipe(
        Effect.option,
        Effect.flatMap((info) =>
          Option.isSome(info) && info.value.type === "Directory"
            ? Effect.fail(new ReportWriteError({ path: target, reason: "a folder is in the way (EISDIR)" }))
            : Effect.void
        )
      ),
    { discard: true }
  ).pipe(Effect.onError(() => discard(staged)))

  // Then the new set replaces the old one in a few renames, not to be cut short by a signal.
  const stale = FORMATS.filter((format) => !formats.includes(format)).map((f) =>
    path.join(outDir, fileName(f))
  )
  yield* Effect.uninterruptible(
    Effect.gen(function* () {
      for (const file of stale) {
        yield* fs.remove(file).pipe(
          Effect.catchIf(
            (e) => e._tag === "SystemError" && e.reason === "NotFound",
            () => Effect.void
          ),
          Effect.mapError((error) => new ReportWriteError({ path: file, reason: describe(error) }))
        )
      }
      for (const { temp, target } of staged) {
        yield* fs
          .rename(temp, target)
          .pipe(Effect.mapError((error) => new ReportWriteError({ path: target, reason: describe(error) })))
      }
    })
  ).pipe(Effect.onError(() => discard(staged)))
  return { outDir, files, thumbnails: kept } satisfies Written
})

/**
 * Creates a folder and its missing parents one level at a time, never with Node's recursive
 * mkdir (which spins for ever on paths such as `/proc/self/x`).
 *
 * @since 0.2.0
 */
export const makeFolder = (dir: string) => makeDirectories(dir)

/** The report files' own names, whose temporary copies a killed run may have left. */
const REPORT_NAMES = /^report\.(html|csv|json)$/
