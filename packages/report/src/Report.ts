/**
 * Writing the reports (`report.json`, `report.csv`, `report.html`, see `Renderer`) into an output folder.
 *
 * The formats are written together, from one walk over the analysis: each asset's row is built once
 * and handed to every format's writer, and the files are written concurrently (while one waits for the
 * disk, the next rows are rendered). For a large analysis from `@albumsift/core`, report.json's groups
 * and asset lines are written by a worker thread on another core meanwhile (`internal/offThreadJson`),
 * into the same staged file; the bytes are the same either way.
 *
 * The set is all or nothing. Every file is first staged under a temporary name in the same folder
 * and flushed; only when all of them are complete do they replace the previous set, by renames
 * (done uninterrupted). Report files of formats not written this time belong to an older run and
 * are removed at that moment, so the folder never mixes two runs (a `--format csv` run leaves
 * report.csv alone). A failure or an interruption before that leaves the previous set untouched
 * and no temporary file; temporary files an earlier, killed run left behind are removed first.
 * The folder is created if missing (one level at a time: never Node's recursive mkdir, which
 * spins on paths like `/proc/self/x`). With `thumbnails`, the thumbnails the HTML shows are first
 * kept in `thumbs/` (see `Thumbnails`); relative thumbnail paths are rewritten so they resolve
 * from the output folder.
 */
import { fileURLToPath, pathToFileURL } from "node:url"
import { type Analysis, Pipeline } from "@albumsift/core"
import type { PlatformError } from "@effect/platform/Error"
// Subpath imports: the "@effect/platform" barrel also loads the HttpApi Swagger/Scalar bundles (~25 MB).
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { Deferred, Effect, Option, Queue, Stream } from "effect"
import * as Csv from "./formats/Csv.js"
import * as Json from "./formats/Json.js"
import {
  discard,
  makeDirectories,
  removeStaleTemps,
  type Staged,
  scratch,
  stage,
  stageWith
} from "./internal/atomic.js"
import { interleave } from "./internal/interleave.js"
import * as OffThreadJson from "./internal/offThreadJson.js"
import { coalesce } from "./internal/text.js"
import * as Metadata from "./Metadata.js"
import * as Renderer from "./Renderer.js"
import { ReportWriteError } from "./ReportError.js"
import * as Thumbnails from "./Thumbnails.js"
import * as Writer from "./Writer.js"

/** Options for `write`. */
export interface WriteOptions {
  /** Output folder, created if missing. */
  readonly outDir: string
  /** Formats to write (default all, see `Renderer.FORMATS`). */
  readonly formats?: ReadonlyArray<Renderer.Format>
  /** When, by what, from where (see `Metadata.make`). Default: now (or `SOURCE_DATE_EPOCH`), no sources. */
  readonly metadata?: Metadata.Metadata
  /** Start report.csv with a UTF-8 BOM (for Excel). Default false. */
  readonly bom?: boolean
  /** Keep thumbnails beside the report; absent means the report links to the thumbnail URLs. */
  readonly thumbnails?: Thumbnails.KeepOptions
  /**
   * The folder relative thumbnail paths in the analysis are relative to. Default: the folder of the
   * input file when the metadata names one file source; otherwise relative paths are linked as given.
   *
   * @since 0.2.0
   */
  readonly thumbnailBase?: string
}

/** One written file. */
export interface WrittenFile {
  readonly format: Renderer.Format
  readonly path: string
}

/** What `write` produced. */
export interface Written {
  readonly outDir: string
  /** In registry order (`Renderer.FORMATS`). */
  readonly files: ReadonlyArray<WrittenFile>
  /** Present when thumbnails were kept. */
  readonly thumbnails: Thumbnails.Kept | null
  /**
   * Thumbnails the page shows that are local files (relative paths in the input), linked where they
   * are rather than kept: `keep` fetches only http(s) URLs.
   *
   * @since 0.2.0
   */
  readonly localThumbnails: number
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

/** The reason a report worker gave: its system code in words, as `describe` puts it, else its message. */
const reasonOf = ({
  code,
  message
}: {
  readonly code: string | undefined
  readonly message: string
}): string => (code === undefined ? message : `${BY_CODE[code] ?? "failed"} (${code})`)

/**
 * Rewrites a relative URL (relative to the folder `from`) so it resolves from the folder `to`: the
 * same file, reached from the report. Query and fragment are kept; anything unparsable is left as is.
 */
const rebaser =
  (path: Path.Path, from: string, to: string) =>
  (url: string): string => {
    try {
      const target = new URL(url.trim(), pathToFileURL(path.join(from, "/")))
      if (target.protocol !== "file:") return url
      const relative = path.relative(to, fileURLToPath(target))
      if (path.isAbsolute(relative)) return url
      return relative.split(path.sep).map(encodeURIComponent).join("/") + target.search + target.hash
    } catch {
      return url
    }
  }

/** The folder relative thumbnail paths are relative to, when known. */
const thumbnailBase = (path: Path.Path, options: WriteOptions, metadata: Metadata.Metadata) => {
  if (options.thumbnailBase !== undefined) return path.resolve(options.thumbnailBase)
  const files = metadata.sources.filter((source) => source.kind === "file")
  return files.length === 1 && files.length === metadata.sources.length && files[0] !== undefined
    ? path.dirname(path.resolve(files[0].path))
    : undefined
}

const encoder = new TextEncoder()

/** Pieces (about 64 KiB each) the walk may run ahead of a file's writes. */
const AHEAD = 4

/** The analysis to send to a worker writing report.json's groups and asset lines, when that pays. */
const offThread = (analysis: Analysis.Analysis, formats: ReadonlyArray<Renderer.Format>) =>
  // Alone, report.json has nothing to be written beside: a worker would only add its start.
  formats.includes("json") &&
  formats.length > 1 &&
  analysis.assets.length >= OffThreadJson.MIN_ASSETS &&
  OffThreadJson.available()
    ? Pipeline.shareAnalysis(analysis)
    : undefined

/**
 * The share of report.csv's rows this thread writes when the report.json worker runs; the worker writes
 * the rest. Beside them this thread writes the page, which builds only the assets it shows: at 0.6 both
 * threads end their part of the 1M write together (under the profiler: with 0.4 the worker ended 1 s
 * after this thread, and the run took 0.4 s longer; bench/NOTES.md, eighth round).
 */
const CSV_HERE = 0.6

/** A writer's rows before position `end` only (the others are written elsewhere). */
const before = (end: number, writer: Writer.Writer): Writer.Writer => ({
  head: writer.head,
  asset: (row) => (row.position < end ? writer.asset(row) : ""),
  tail: writer.tail
})

/** Bytes read at a time when copying a scratch file into a report. */
const COPY_PIECE = 256 * 1024

/** Appends the first `length` bytes of `from` to `to` (the report `target`'s file), through one buffer. */
const copy = (from: FileSystem.File, length: number, to: FileSystem.File, target: string) =>
  Effect.gen(function* () {
    const buffer = new Uint8Array(COPY_PIECE)
    yield* from.seek(0, "start")
    for (let done = 0; done < length; ) {
      const n = Number(yield* from.read(buffer.subarray(0, Math.min(COPY_PIECE, length - done))))
      if (n === 0)
        return yield* new ReportWriteError({ path: target, reason: "its last rows were cut short" })
      yield* to.writeAll(buffer.subarray(0, n))
      done += n
    }
  })

/** Writes the chosen report files into `options.outDir`. */
export const write = Effect.fn("Report.write")(function* (
  analysis: Analysis.Analysis,
  options: WriteOptions
) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const outDir = path.resolve(options.outDir)
  const renderers = Renderer.select(options.formats ?? Renderer.FORMATS)
  const formats = renderers.map((renderer) => renderer.format)

  yield* makeDirectories(outDir).pipe(Effect.mapError((error) => writeFailure(outDir, error)))
  yield* removeStaleTemps(outDir, REPORT_NAMES)

  const kept =
    options.thumbnails !== undefined && formats.includes("html")
      ? yield* Thumbnails.keep(analysis, outDir, options.thumbnails)
      : null

  const given = options.metadata ?? (yield* Metadata.make({ sources: [] }))
  // The run's report options are part of "the options used".
  const metadata: Metadata.Metadata = {
    ...given,
    options: {
      ...given.options,
      report: {
        formats: [...formats],
        thumbnails: kept !== null ? "keep" : "link",
        csv_bom: options.bom === true
      }
    }
  }
  const base = thumbnailBase(path, options, metadata)
  const rebase = base !== undefined && base !== outDir ? rebaser(path, base, outDir) : (url: string) => url
  let localThumbnails = 0
  const context = Writer.context(analysis, {
    metadata,
    formats,
    thumbnails: kept?.paths,
    rebaseThumbnail: (url) => {
      localThumbnails++
      return rebase(url)
    },
    bom: options.bom === true
  })

  const files = renderers.map((renderer) => ({
    format: renderer.format,
    path: path.join(outDir, renderer.fileName)
  }))
  // report.json's groups and asset lines, the largest part of the largest file, are written by a worker
  // on the second core (when the analysis can be shared with one) while this thread renders the others.
  // So are report.csv's rows from `csvFrom` on (see `CSV_HERE`), into a scratch file copied in after
  // this thread's rows.
  const shared = offThread(analysis, formats)
  const csvFrom =
    shared !== undefined && formats.includes("csv") ? Math.ceil(analysis.assets.length * CSV_HERE) : undefined
  const walked = renderers
    .filter((renderer) => shared === undefined || renderer.format !== "json")
    .map((renderer) => ({ renderer, path: path.join(outDir, renderer.fileName) }))
  // Stage every file; a failure (or an interruption) removes what was staged and changes nothing.
  // The walk hands each file its pieces through the file's own queue (null ends it), so it runs at
  // most a few pieces ahead of each file's writes.
  const staged: Array<Staged> = []
  const queues = yield* Effect.forEach(walked, () => Queue.bounded<Uint8Array | null>(AHEAD))
  /** The worker's CSV rows, once it has written them: their scratch file and length. */
  const csvRest = yield* Deferred.make<{ readonly file: FileSystem.File; readonly length: number }>()
  const walk = Effect.gen(function* () {
    const writers = walked.map(({ renderer }) =>
      csvFrom !== undefined && renderer.format === "csv"
        ? before(csvFrom, renderer.writer(context))
        : renderer.writer(context)
    )
    for (const [i, text] of interleave(writers, context)) {
      yield* Queue.offer(queues[i] as Queue.Queue<Uint8Array | null>, encoder.encode(text))
    }
    for (const queue of queues) yield* Queue.offer(queue, null)
  })
  const writes = walked.map((file, i) => {
    const pieces = Stream.fromQueue(queues[i] as Queue.Queue<Uint8Array | null>).pipe(
      Stream.takeWhile((bytes): bytes is Uint8Array => bytes !== null)
    )
    // report.csv with a worker: this thread's rows, then the worker's, copied from its scratch file.
    const staging =
      csvFrom !== undefined && file.renderer.format === "csv"
        ? stageWith(file.path, (out) =>
            Effect.gen(function* () {
              yield* Stream.runForEach(pieces, (bytes) => out.writeAll(bytes))
              const rest = yield* Deferred.await(csvRest)
              yield* copy(rest.file, rest.length, out, file.path)
            })
          )
        : stage(file.path, pieces)
    return staging.pipe(
      Effect.tap((done) => staged.push(done)),
      Effect.mapError((error) => (error._tag === "ReportWriteError" ? error : writeFailure(file.path, error)))
    )
  })
  const others = Effect.all([walk, ...writes], { concurrency: "unbounded", discard: true })
  const json = files.find((file) => file.format === "json")
  // With a worker: report.json's opening, groups and asset lines on the worker while this thread walks
  // the other formats, then its tail once the worker is done.
  const all =
    shared === undefined || json === undefined
      ? others
      : stageWith(json.path, (file) =>
          Effect.scoped(
            Effect.gen(function* () {
              const csv = files.find((f) => f.format === "csv")
              const rest =
                csvFrom !== undefined && csv !== undefined
                  ? yield* scratch(csv.path).pipe(Effect.mapError((error) => writeFailure(csv.path, error)))
                  : undefined
              const job: OffThreadJson.JsonJob = {
                shared,
                fd: file.fd,
                opening: [...Json.opening(context)].join(""),
                thumbnails: context.thumbnails,
                ...(rest !== undefined && csvFrom !== undefined
                  ? { csv: { fd: rest.fd, from: csvFrom, metrics: Csv.metricNames(analysis) } }
                  : {})
              }
              // A failed worker fails the write at once (the other files stop too), not once they are done.
              const worker = OffThreadJson.run(job).pipe(
                Effect.flatMap((reply) =>
                  "error" in reply
                    ? new ReportWriteError({
                        path: reply.error.file === "csv" && csv !== undefined ? csv.path : json.path,
                        reason: reasonOf(reply.error)
                      })
                    : rest !== undefined && reply.csvEnd === undefined
                      ? new ReportWriteError({ path: csv!.path, reason: "the worker wrote no CSV rows" })
                      : Effect.as(
                          rest === undefined
                            ? Effect.void
                            : Deferred.succeed(csvRest, { file: rest, length: reply.csvEnd! }),
                          reply.end
                        )
                )
              )
              const [end] = yield* Effect.all([worker, others], { concurrency: "unbounded" })
              yield* file.seek(end, "start")
              for (const text of coalesce(Json.tail(context, analysis.assets.length > 0))) {
                yield* file.writeAll(encoder.encode(text))
              }
            })
          )
        ).pipe(
          Effect.tap((done) => staged.push(done)),
          Effect.mapError((error) =>
            error._tag === "SystemError" || error._tag === "BadArgument"
              ? writeFailure(json.path, error)
              : error
          )
        )
  yield* all.pipe(Effect.onError(() => discard(staged)))

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
  // Only albumsift's own: a file of the same name that something else wrote is left alone.
  const stale: Array<string> = []
  for (const r of Renderer.RENDERERS) {
    if (formats.includes(r.format)) continue
    const file = path.join(outDir, r.fileName)
    if (r.isOwn(yield* headOf(fs, file))) stale.push(file)
  }
  yield* Effect.uninterruptible(
    Effect.gen(function* () {
      for (const file of stale) {
        yield* fs.remove(file).pipe(
          Effect.catchIf(
            (e) => e._tag === "SystemError" && e.reason === "NotFound",
            () => Effect.void
          ),
          Effect.mapError((error) => writeFailure(file, error))
        )
      }
      for (const { temp, target } of staged) {
        yield* fs.rename(temp, target).pipe(Effect.mapError((error) => writeFailure(target, error)))
      }
    })
  ).pipe(Effect.onError(() => discard(staged)))
  return { outDir, files, thumbnails: kept, localThumbnails } satisfies Written
})

/** A file's first 4 KiB as text; empty when it cannot be read (missing, a folder…). */
const headOf = (fs: FileSystem.FileSystem, file: string) =>
  Effect.scoped(
    Effect.gen(function* () {
      const handle = yield* fs.open(file, { flag: "r" })
      const bytes = yield* handle.readAlloc(FileSystem.KiB(4))
      return Option.match(bytes, { onNone: () => "", onSome: (b) => new TextDecoder().decode(b) })
    })
  ).pipe(Effect.orElseSucceed(() => ""))

/**
 * Creates a folder and its missing parents one level at a time, never with Node's recursive
 * mkdir (which spins for ever on paths such as `/proc/self/x`).
 *
 * @since 0.2.0
 */
export const makeFolder = (dir: string) =>
  makeDirectories(dir).pipe(Effect.mapError((error) => writeFailure(dir, error)))

/**
 * Writing `path` failed: a `ReportWriteError` with the reason in a few words (`permission denied
 * (EACCES)`), never the platform's own text.
 *
 * @since 0.2.0
 */
export const writeFailure = (path: string, error: PlatformError): ReportWriteError =>
  new ReportWriteError({ path, reason: describe(error) })

/** The report files' own names, whose temporary copies a killed run may have left. */
const REPORT_NAMES = new RegExp(
  `^(${Renderer.RENDERERS.map((r) => r.fileName.replace(/\./g, "\\.")).join("|")})$`
)
