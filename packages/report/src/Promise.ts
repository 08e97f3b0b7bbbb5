/**
 * A plain-Promise facade for callers who do not use Effect: `writeReports` writes the reports of an
 * analysis (from `analyzeAssets`, `analyzeFile`...) into a folder, on the local file system. It rejects
 * with the real error (a `ReportWriteError`, an `InvalidReportOptions`...), never a FiberFailure.
 *
 * @since 0.2.0
 */
import type { Analysis } from "@albumsift/core"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodePath from "@effect/platform-node/NodePath"
import { Cause, Effect, Exit, Layer } from "effect"
import * as Metadata from "./Metadata.js"
import * as Renderer from "./Renderer.js"
import * as Report from "./Report.js"
import { InvalidReportOptions } from "./ReportError.js"
import * as Thumbnails from "./Thumbnails.js"

/**
 * Options for `writeReports`.
 *
 * @since 0.2.0
 */
export interface WriteReportsOptions {
  /** Output folder, created if missing. */
  readonly out: string
  /** Formats to write, e.g. `["html", "csv"]` (default all: `json`, `csv`, `html`). */
  readonly formats?: ReadonlyArray<string> | undefined
  /**
   * The file the analysis was read from: recorded as the report's source, and the folder its relative
   * thumbnail paths are taken from (so they still load from `out`).
   */
  readonly input?: string | undefined
  /** Start report.csv with a UTF-8 byte order mark (for Excel). Default false. */
  readonly bom?: boolean | undefined
  /** `keep`: download the thumbnails the page shows into `<out>/thumbs/`. Default `link`. */
  readonly thumbnails?: "link" | "keep" | undefined
  /**
   * The server the analysis was read from (as given to `analyzeAlbums`): recorded as the report's
   * source, so `planActions` and `albumsift apply` know where to act.
   */
  readonly server?:
    | {
        readonly source?: "gumnut" | "immich" | undefined
        readonly baseUrl: string
        readonly albums: ReadonlyArray<string>
      }
    | undefined
}

// The CLI's HTTP client (undici), which follows no redirect: a thumbnail URL cannot bounce elsewhere.
const NodeLayer = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeHttpClient.layerUndici)

const invalid = (option: string, reason: string) => Effect.fail(new InvalidReportOptions({ option, reason }))

/** The caller's formats, checked against the registry. */
const formatsOf = (names: ReadonlyArray<string> | undefined) =>
  Array.isArray(names) || names === undefined
    ? Effect.forEach(names ?? Renderer.FORMATS, (name) =>
        Renderer.isFormat(name)
          ? Effect.succeed(name)
          : invalid("formats", `unknown format ${JSON.stringify(name)}; use ${Renderer.FORMATS.join(", ")}`)
      )
    : invalid("formats", `expected a list such as ["html", "csv"]`)

/**
 * Writes the reports of `analysis` into `options.out`: each file atomically, stamped with the current time
 * (or `SOURCE_DATE_EPOCH`). Resolves with the files written; rejects with the real error.
 *
 * @since 0.2.0
 */
export const writeReports = async (
  analysis: Analysis.Analysis,
  options: WriteReportsOptions
): Promise<Report.Written> => {
  const program = Effect.gen(function* () {
    if (typeof analysis !== "object" || analysis === null || !("assets" in analysis))
      return yield* invalid("analysis", "expected the result of analyzeAssets, analyzeFile or analyzeAlbums")
    if (typeof options?.out !== "string" || options.out.trim() === "")
      return yield* invalid("out", "expected the output folder's path")
    const formats = yield* formatsOf(options.formats)
    const server = options.server
    if (
      server !== undefined &&
      (typeof server?.baseUrl !== "string" ||
        !Array.isArray(server.albums) ||
        (server.source !== undefined && server.source !== "gumnut" && server.source !== "immich"))
    )
      return yield* invalid("server", "expected { source?: gumnut | immich, baseUrl, albums }")
    const metadata = yield* Metadata.make({
      sources: [
        ...(options.input !== undefined ? [{ kind: "file" as const, path: options.input }] : []),
        ...(server !== undefined
          ? [
              {
                kind: "api" as const,
                server: server.source ?? "gumnut",
                baseUrl: server.baseUrl,
                albums: server.albums
              }
            ]
          : [])
      ]
    })
    const thumbnails =
      options.thumbnails === "keep" ? { thumbnails: { fetch: yield* Thumbnails.httpFetch() } } : {}
    return yield* Report.write(analysis, {
      outDir: options.out,
      formats,
      metadata,
      bom: options.bom === true,
      ...thumbnails
    })
  })
  const exit = await Effect.runPromiseExit(program.pipe(Effect.provide(NodeLayer)))
  if (Exit.isSuccess(exit)) return exit.value
  // `originalError` strips the span proxy Effect may put around a thrown Error.
  throw Cause.originalError(Cause.squash(exit.cause))
}
