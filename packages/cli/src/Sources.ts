/**
 * Where a run's assets come from: an exported file, stdin, the bundled sample, or albums on a
 * Gumnut or Immich server. Opening a source gives its raw items, how report.json records it
 * (with the base URL core actually resolved, never a credential), and the credentials its
 * thumbnails need. Local JSON in Immich's own shape is detected and mapped.
 */
import { fileURLToPath } from "node:url"
import { AlbumSource, FileFailure, Gumnut, Immich, JsonInput, type SourceItem } from "@albumsift/core"
import type { Metadata } from "@albumsift/report"
import type { HttpClient } from "@effect/platform"
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeStream from "@effect/platform-node/NodeStream"
import { Duration, Effect, Stream } from "effect"
import { InputFileError } from "./Errors.js"
import { TOOL } from "./Version.js"

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

/** Where the assets come from, as the command line asked. */
export type SourceSpec =
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "stdin" }
  | { readonly kind: "sample" }
  | ({ readonly kind: "server" } & ServerSettings)

/** The listing styles each server supports (`auto` detects). */
export const LISTINGS: { readonly [S in Server]: ReadonlyArray<string> } = {
  gumnut: ["auto", "seed", "cursor"],
  immich: ["auto", "album", "search"]
}

/** The bundled sample album and its thumbnails (shipped in the package's `sample/`). */
export const SAMPLE_ALBUM = fileURLToPath(new URL("../sample/album.json", import.meta.url))
/** The sample's thumbnails, which its relative `thumbs/...` URLs point at. */
export const SAMPLE_THUMBS = fileURLToPath(new URL("../sample/thumbs", import.meta.url))

/** Any failure while reading a source's items. */
export type ReadError = JsonInput.JsonInputError | InputFileError | AlbumSource.SourceError

/** An opened source. */
export interface Opened {
  readonly items: Stream.Stream<SourceItem.SourceItem, ReadError, FileSystem.FileSystem>
  /** How report.json records the source. */
  readonly record: Metadata.Source
  /** Source options worth recording in report.json (never a secret). */
  readonly recorded: { readonly [key: string]: Metadata.JsonValue }
  /** Headers thumbnails need, for one origin only (Immich); never written into a report. */
  readonly thumbnailAuthorization: AlbumSource.ThumbnailAuthorization | undefined
  /** Requests at once, for kept thumbnails too. */
  readonly concurrency: number | undefined
  /** `--timeout` of each request, which thumbnail downloads obey too. */
  readonly timeoutMs: number | undefined
  /** The shape local JSON was read as, once known: `Immich assets` when it was not Gumnut's. */
  readonly readAs: () => string | undefined
  /** Whether local JSON was a cursor page saying `has_more: true` (one page of a longer listing). */
  readonly partialPage: () => boolean
  /** Once read: whether `apply` can merge GPS there (not on Immich, nor for an Immich export). */
  readonly canMergeGps: () => boolean
}

/** Called as each album of a server source has been read to its end (progress). */
export type OnAlbumRead = (album: string) => Effect.Effect<void>

/** Opens a source; a missing key or a bad base URL fails here, before any request. */
export const open: (
  spec: SourceSpec,
  onAlbumRead?: OnAlbumRead
) => Effect.Effect<Opened, AlbumSource.SourceConfigError, HttpClient.HttpClient> = Effect.fn("Sources.open")(
  function* (spec: SourceSpec, onAlbumRead: OnAlbumRead = () => Effect.void) {
    switch (spec.kind) {
      case "file":
        return local(file(spec.path), spec.path, { kind: "file", path: spec.path }, spec.path)
      case "stdin":
        return local(stdin, "stdin", { kind: "stdin" })
      case "sample":
        return local(file(SAMPLE_ALBUM), "the bundled sample", { kind: "sample", name: "albumsift demo" })
      case "server":
        return yield* server(spec, onAlbumRead)
    }
  }
)

const local = (
  bytes: Stream.Stream<Uint8Array, InputFileError, FileSystem.FileSystem>,
  name: string,
  record: Metadata.Source,
  path?: string
): Opened => {
  // Immich-shaped exports (assets, or an album holding them) are detected and mapped by core, in
  // the worker thread that parses a large input (a file's size decides that at once). Given the
  // path, core reads a large file in that worker itself (no read buffers on this thread, no bytes
  // sent across) and a small one from `bytes`.
  let shape: JsonInput.ExportShape | undefined
  let partialPage = false
  const options = {
    input: name,
    detectShape: true,
    onShape: (detected: JsonInput.ExportShape) => {
      shape = detected
    },
    onPartialPage: () => {
      partialPage = true
    }
  }
  return {
    items:
      path === undefined
        ? JsonInput.decodedItems(bytes, options)
        : JsonInput.decodedItems(bytes, { ...options, path }).pipe(
            Stream.catchTag("InputUnreadable", (e) =>
              Stream.fail(new InputFileError({ path, reason: e.reason }))
            )
          ),
    record,
    recorded: {},
    thumbnailAuthorization: undefined,
    concurrency: undefined,
    timeoutMs: undefined,
    readAs: () => (shape === "immich" ? "Immich assets" : undefined),
    partialPage: () => partialPage,
    canMergeGps: () => shape !== "immich"
  }
}

/**
 * The retry policy `--retries` and `--timeout` ask for (`report`, `apply`, `undo`): only what was
 * given overrides the HTTP layer's defaults.
 */
export const retryPolicy = (
  retries: number | undefined,
  timeoutMs: number | undefined
): { retries?: number; timeout?: Duration.Duration } => ({
  ...(retries === undefined ? {} : { retries }),
  ...(timeoutMs === undefined ? {} : { timeout: Duration.millis(timeoutMs) })
})

const server = Effect.fnUntraced(function* (spec: ServerSettings, onAlbumRead: OnAlbumRead) {
  // A usage error is said before a missing key (the sources check ids again before any request).
  const notAnId = spec.albums.find((album) => !AlbumSource.isAlbumId(album))
  if (notAnId !== undefined)
    return yield* new AlbumSource.SourceConfigError({
      service: spec.server === "immich" ? "Immich" : "Gumnut",
      detail: AlbumSource.notAnAlbumId(notAnId),
      usage: true
    })
  const common = {
    baseUrl: spec.baseUrl,
    retry: retryPolicy(spec.retries, spec.timeoutMs),
    userAgent: `${TOOL.name}/${TOOL.version}`
  }
  const service =
    spec.server === "immich"
      ? yield* Immich.fromConfig({ ...common, listing: spec.listing })
      : yield* Gumnut.fromConfig({ ...common, listing: spec.listing })
  // Each album's listing reports its end, for "albums read" progress.
  const observed: AlbumSource.Service = {
    ...service,
    list: (album) => service.list(album).pipe(Stream.onEnd(onAlbumRead(album)))
  }
  const recorded: Record<string, Metadata.JsonValue> = { listing: spec.listing }
  if (spec.concurrency !== undefined) recorded.concurrency = spec.concurrency
  if (spec.retries !== undefined) recorded.retries = spec.retries
  if (spec.timeoutMs !== undefined) recorded.timeout_ms = spec.timeoutMs
  const opened: Opened = {
    items: AlbumSource.listAlbums(spec.albums, { concurrency: spec.concurrency }).pipe(
      Stream.provideService(AlbumSource.AlbumSource, observed)
    ),
    record: {
      kind: "api",
      server: spec.server,
      baseUrl: service.baseUrl ?? spec.baseUrl ?? "",
      albums: spec.albums
    },
    recorded,
    thumbnailAuthorization: service.thumbnailAuthorization,
    concurrency: spec.concurrency,
    timeoutMs: spec.timeoutMs,
    readAs: () => undefined,
    partialPage: () => false,
    canMergeGps: () => spec.server !== "immich"
  }
  return opened
})

// --- Local bytes -----------------------------------------------------------------------------

/** Streams a file's bytes; a missing or unreadable file fails with `InputFileError` before any byte. */
export const file = (path: string): Stream.Stream<Uint8Array, InputFileError, FileSystem.FileSystem> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const info = yield* fs.stat(path)
      if (info.type === "Directory") {
        return yield* new InputFileError({ path, reason: FileFailure.IS_A_FOLDER })
      }
      return fs.stream(path, { chunkSize: 64 * 1024 })
    }).pipe(
      Effect.map((s) =>
        Stream.mapError(s, (e) => new InputFileError({ path, reason: FileFailure.reason(e) }))
      )
    )
  ).pipe(
    Stream.catchAll((e) =>
      Stream.fail(
        e._tag === "InputFileError" ? e : new InputFileError({ path, reason: FileFailure.reason(e) })
      )
    )
  )

/** Streams stdin's bytes. */
const stdin: Stream.Stream<Uint8Array, InputFileError> = NodeStream.fromReadable(
  () => process.stdin,
  (e) => new InputFileError({ path: "stdin", reason: e instanceof Error ? e.message : String(e) })
)
