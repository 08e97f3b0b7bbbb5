/**
 * Writing the reports: `report.html`, `report.csv` and `report.json` into an output folder.
 *
 * Each file is written atomically (temporary file in the same folder, then rename), so a failure
 * leaves the previous report or none, never half of one. The folder is created if missing. With
 * `thumbnails`, the thumbnails the HTML shows are first kept in `thumbs/` (see `Thumbnails`).
 */
import type { Analysis } from "@albumsift/core"
import type { PlatformError } from "@effect/platform/Error"
// Subpath imports: the "@effect/platform" barrel also loads the HttpApi Swagger/Scalar bundles (~25 MB).
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { Effect } from "effect"
import * as Csv from "./Csv.js"
import * as Html from "./Html.js"
import { textStream, writeAtomic } from "./internal/atomic.js"
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

  yield* fs
    .makeDirectory(outDir, { recursive: true })
    .pipe(Effect.mapError((error) => new ReportWriteError({ path: outDir, reason: describe(error) })))

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

  const files: Array<WrittenFile> = []
  for (const format of formats) {
    const target = path.join(outDir, fileName(format))
    const pieces =
      format === "json"
        ? Json.chunks(analysis, metadata, thumbnails)
        : format === "csv"
          ? Csv.chunks(analysis, { bom: options.bom === true })
          : Html.chunks(analysis, metadata, { ...thumbnails, formats })
    yield* writeAtomic(target, textStream(pieces)).pipe(
      Effect.mapError((error) => new ReportWriteError({ path: target, reason: describe(error) }))
    )
    files.push({ format, path: target })
  }
  return { outDir, files, thumbnails: kept } satisfies Written
})
