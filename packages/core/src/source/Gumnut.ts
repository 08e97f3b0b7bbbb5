/**
 * The Gumnut photos API as an `AlbumSource`.
 *
 * Two ways to list an album (see docs/sources.md):
 * - `seed`: `GET /api/albums/{id}/assets`, one unpaginated bare array (the route the seed document
 *   describes; newer servers dropped it). It can be huge, so it is streamed item by item; when a
 *   retry re-reads it, the items already passed on are skipped after checking (by a running hash
 *   of their ids) that the listing still starts with them.
 * - `cursor`: `GET /api/assets?album_id=…&limit=200&include=…`, following `starting_after_id`
 *   until `has_more` is false. Each page (at most 200 items) is read whole before any of it is
 *   passed on, so a failed page is retried without duplicates. A page must be exactly
 *   `{"data": [...], "has_more": true|false}`: anything else fails the listing rather than ending
 *   it early; so do an asset listed twice (a loop) and the page ceiling (`internal/paging.ts`).
 * `auto` (the default) tries `seed` and falls back to `cursor` when the album exists
 * (`GET /api/albums/{id}`) but the seed route answers 404 or 405; the first fallback is
 * remembered for the other albums of the run.
 *
 * Items from newer servers are mapped back to the seed shape the core reads (`toSeedShape`).
 */
import type { HttpClient } from "@effect/platform"
import { Chunk, Effect, Layer, Option, type Redacted, Stream } from "effect"
import type { SourceItem } from "../SourceItem.js"
import * as AlbumSource from "./AlbumSource.js"
import {
  RequestRejected,
  type Service,
  type SourceConfigError,
  type SourceError,
  UnexpectedResponse
} from "./AlbumSource.js"
import * as Http from "./Http.js"
import { PageGuard } from "./internal/paging.js"
import * as Resumable from "./internal/resumable.js"
import * as SourceConfig from "./internal/sourceConfig.js"

/** The public Gumnut API. */
export const DEFAULT_BASE_URL = "https://api.gumnut.ai"

/** The page size the cursor listing asks for (the API's maximum). */
export const MAX_PAGE_SIZE = 200

/** The `include=` tokens the cursor listing asks for: everything albumsift reads. */
export const DEFAULT_INCLUDE: ReadonlyArray<string> = ["metadata", "faces", "people", "metrics", "file_data"]

/** How albums are listed: detect, or force one style. */
export type Listing = "auto" | "seed" | "cursor"

/** Options for `make` / `layer`. */
export interface GumnutOptions {
  /** `GUMNUT_API_KEY`: sent as `Authorization: Bearer …`, to the base URL only. */
  readonly apiKey: Redacted.Redacted<string>
  /** Default `https://api.gumnut.ai`. */
  readonly baseUrl?: string | URL | undefined
  readonly listing?: Listing | undefined
  /** Cursor page size, 1..200 (default 200). */
  readonly pageSize?: number | undefined
  readonly retry?: Partial<Http.RetryOptions> | undefined
  readonly userAgent?: string | undefined
  /** The most characters one asset's JSON may have (default 64 Mi). */
  readonly maxItemSize?: number | undefined
  /** The most cursor pages one album may take (default 50,000). */
  readonly maxPages?: number | undefined
}

const SERVICE = "Gumnut"
const KEY_VARIABLE = "GUMNUT_API_KEY"

/** Reads a base URL option, failing with a clear message when it is not an http(s) URL. */
export const resolveBaseUrl = SourceConfig.resolveBaseUrl

/**
 * Maps an asset from a newer server to the seed shape: EXIF from `metadata` into `exif`, the
 * file fields from `file_data` (checksum, device ids, file times) to the top level, and the
 * thumbnail and download links from `asset_urls`. Fields already at the top level win.
 * Non-objects are returned unchanged (the pipeline rejects them).
 */
export const toSeedShape = (value: unknown): unknown => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value
  const a = value as Record<string, unknown>
  const fileData = isRecord(a.file_data) ? a.file_data : undefined
  const urls = isRecord(a.asset_urls) ? a.asset_urls : undefined
  const needsExif = a.exif == null && isRecord(a.metadata)
  const needsFile =
    fileData !== undefined &&
    FILE_FIELDS.some((k) => a[k] == null && fileData[k] != null) /* hoist only what is missing */
  const thumbnail = urls !== undefined && a.thumbnail_url == null ? urlOf(urls.thumbnail) : undefined
  const download = urls !== undefined && a.download_url == null ? urlOf(urls.original) : undefined
  if (!needsExif && !needsFile && thumbnail === undefined && download === undefined) return value
  const out: Record<string, unknown> = { ...a }
  if (needsExif) out.exif = a.metadata
  if (fileData !== undefined)
    for (const k of FILE_FIELDS) if (out[k] == null && fileData[k] != null) out[k] = fileData[k]
  if (thumbnail !== undefined) out.thumbnail_url = thumbnail
  if (download !== undefined) out.download_url = download
  return out
}

const FILE_FIELDS = [
  "checksum",
  "checksum_sha1",
  "device_asset_id",
  "device_id",
  "file_created_at",
  "file_modified_at"
] as const

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const urlOf = (variant: unknown): string | undefined =>
  isRecord(variant) && typeof variant.url === "string" ? variant.url : undefined

/** Builds the Gumnut source over the `HttpClient` in context. */
export const make: (
  options: GumnutOptions
) => Effect.Effect<Service, SourceConfigError, HttpClient.HttpClient> = Effect.fn("Gumnut.make")(function* (
  options: GumnutOptions
) {
  const baseUrl = yield* resolveBaseUrl(SERVICE, options.baseUrl, DEFAULT_BASE_URL)
  const pageSize = yield* SourceConfig.resolvePageSize(SERVICE, options.pageSize, MAX_PAGE_SIZE)
  const api = yield* Http.make({
    service: SERVICE,
    baseUrl,
    credentials: { header: "authorization", key: options.apiKey, variable: KEY_VARIABLE },
    userAgent: options.userAgent,
    retry: options.retry,
    maxItemSize: options.maxItemSize
  })
  const listing = options.listing ?? "auto"
  // Set once a server has shown it has no seed route, so later albums go straight to the cursor.
  let seedGone = false

  const albumPath = (album: string) => `/api/albums/${encodeURIComponent(album)}`

  /** Fails with AlbumNotFound (or another error) unless the album exists. */
  const checkAlbum = (album: string): Effect.Effect<void, SourceError> =>
    api
      .retrying(() => Effect.asVoid(api.send(api.get(albumPath(album)))))
      .pipe(
        Effect.mapError((f) => api.toError(f, album)),
        Effect.withSpan("Gumnut.checkAlbum", { attributes: { album } })
      )

  /** The seed route, streamed, resuming after the items already passed on. */
  const seed = (album: string, state: Resumable.Progress): Stream.Stream<SourceItem, Http.AttemptFailure> =>
    Resumable.streamListing({
      api,
      album,
      request: api.get(`${albumPath(album)}/assets`),
      map: toSeedShape,
      progress: state,
      checkFormat: (parser) =>
        parser.format === "ndjson" || parser.format === "values"
          ? new UnexpectedResponse({
              service: SERVICE,
              album,
              detail: "expected a JSON array of assets from the album's assets route, got an object"
            })
          : undefined,
      checkEnd: (parser) =>
        parser.format === "page" && parser.envelope?.has_more === true
          ? new UnexpectedResponse({
              service: SERVICE,
              album,
              detail: "the album's assets route answered with one page of several; use the cursor listing"
            })
          : undefined
    })

  /** One cursor page, read whole (and retried whole) before any of it is passed on. */
  const page = (album: string, after: string | undefined) =>
    api
      .retrying(() =>
        Effect.gen(function* () {
          const response = yield* api.send(
            api.get("/api/assets", {
              album_id: album,
              limit: String(pageSize),
              include: DEFAULT_INCLUDE.join(","),
              starting_after_id: after
            })
          )
          const { values, parser } = api.json(response)
          const items = Chunk.toReadonlyArray(yield* Stream.runCollect(values))
          const hasMore = parser.format === "page" ? parser.envelope?.has_more : undefined
          if (typeof hasMore !== "boolean") {
            // Anything but the documented page would end the listing early, silently: refuse it.
            const got =
              parser.format !== "page"
                ? `got ${parser.format === "array" ? "a bare array" : "something else"}`
                : `has_more is ${hasMore === undefined ? "missing" : JSON.stringify(hasMore).slice(0, 40)}`
            return yield* Resumable.fatal(
              new UnexpectedResponse({
                service: SERVICE,
                album,
                detail: `expected a page {"data": [...], "has_more": true|false} from /api/assets; ${got}`
              })
            )
          }
          return { items, hasMore }
        })
      )
      .pipe(
        Effect.mapError((f) =>
          // The album was found just before: a 404 here means the server has no cursor listing.
          f.status === 404 && f.error === undefined
            ? new RequestRejected({
                service: SERVICE,
                album,
                status: 404,
                detail: "this server has no GET /api/assets listing; use the seed listing"
              })
            : api.toError(f, album)
        )
      )

  const cursor = (album: string): Stream.Stream<SourceItem, SourceError> =>
    Stream.suspend(() => {
      let index = 0
      const cursors = new Set<string>()
      const guard = new PageGuard(pageSize, options.maxPages)
      const unexpected = (detail: string) => new UnexpectedResponse({ service: SERVICE, album, detail })
      return Stream.paginateChunkEffect(undefined as string | undefined, (after) =>
        Effect.flatMap(page(album, after), ({ items, hasMore }) => {
          const wrong = guard.check(items)
          if (wrong !== undefined) return Effect.fail(unexpected(wrong))
          const chunk = Chunk.unsafeFromArray(
            items.map((value) => ({ value: toSeedShape(value), index: index++, album }))
          )
          if (!hasMore) return Effect.succeed([chunk, Option.none()] as const)
          if (items.length === 0) return Effect.fail(unexpected("a page says has_more but lists no assets"))
          const ceiling = guard.ceiling()
          if (ceiling !== undefined) return Effect.fail(unexpected(ceiling))
          const last = items[items.length - 1]
          const next = isRecord(last) && typeof last.id === "string" && last.id !== "" ? last.id : undefined
          if (next === undefined) {
            return Effect.fail(
              new UnexpectedResponse({
                service: SERVICE,
                album,
                detail: "the last asset of a page has no id, so the next page cannot be asked for"
              })
            )
          }
          if (cursors.has(next)) {
            return Effect.fail(
              new UnexpectedResponse({
                service: SERVICE,
                album,
                detail: `paging did not advance past asset ${next}`
              })
            )
          }
          cursors.add(next)
          return Effect.succeed([chunk, Option.some(next)] as const)
        })
      )
    })

  const cursorChecked = (album: string) => Stream.unwrap(Effect.as(checkAlbum(album), cursor(album)))

  const seedOnly = (album: string): Stream.Stream<SourceItem, SourceError> =>
    seed(album, Resumable.progress()).pipe(
      Stream.mapError((f) =>
        f.status === 405 && f.error === undefined
          ? api.toError(
              new Http.AttemptFailure({
                ...f,
                detail: "this server has no GET /api/albums/{id}/assets route; use the cursor listing"
              }),
              album
            )
          : api.toError(f, album)
      )
    )

  const auto = (album: string): Stream.Stream<SourceItem, SourceError> =>
    Stream.suspend(() => {
      if (seedGone) return cursorChecked(album)
      const state = Resumable.progress()
      return seed(album, state).pipe(
        Stream.catchAll((f) => {
          const gone = f.error === undefined && (f.status === 404 || f.status === 405) && state.emitted === 0
          if (!gone) return Stream.fail(api.toError(f, album))
          // 404 here means either "no such album" or "no such route": the album route tells which.
          return Stream.unwrap(
            Effect.map(checkAlbum(album), () => {
              seedGone = true
              return cursor(album)
            })
          )
        })
      )
    })

  const list = AlbumSource.checkedList(SERVICE, (album: string): Stream.Stream<SourceItem, SourceError> => {
    const stream =
      listing === "seed" ? seedOnly(album) : listing === "cursor" ? cursorChecked(album) : auto(album)
    return stream.pipe(Stream.withSpan("Gumnut.list", { attributes: { album, listing } }))
  })

  return { name: "gumnut", baseUrl: baseUrl.href, list } satisfies Service
})

/** The Gumnut source as a layer. */
export const layer = (
  options: GumnutOptions
): Layer.Layer<AlbumSource.AlbumSource, SourceConfigError, HttpClient.HttpClient> =>
  Layer.effect(AlbumSource.AlbumSource, make(options))

/** `GUMNUT_API_KEY` (required, kept redacted) and `GUMNUT_BASE_URL` (optional). */
export const config = SourceConfig.envConfig(KEY_VARIABLE, "GUMNUT_BASE_URL")

/**
 * Reads the key and base URL from the environment (explicit options win over `GUMNUT_BASE_URL`).
 * A missing or empty key fails with a one-line `SourceConfigError`.
 */
export const layerConfig = (
  options?: Omit<GumnutOptions, "apiKey">
): Layer.Layer<AlbumSource.AlbumSource, SourceConfigError, HttpClient.HttpClient> =>
  Layer.effect(AlbumSource.AlbumSource, fromConfig(options))

/** `make`, with the key (and base URL, unless given) from the environment. */
export const fromConfig = (
  options?: Omit<GumnutOptions, "apiKey">
): Effect.Effect<Service, SourceConfigError, HttpClient.HttpClient> =>
  Effect.flatMap(
    SourceConfig.readEnv(
      SERVICE,
      config,
      options?.baseUrl,
      `${KEY_VARIABLE} is not set; export your Gumnut API key in it`,
      DEFAULT_BASE_URL
    ),
    (env) => make({ ...options, ...env })
  )

/** Options for `listAlbums`: the source's options (key from the environment) plus concurrency. */
export interface ListAlbumsOptions extends Omit<GumnutOptions, "apiKey">, AlbumSource.ListOptions {}

/**
 * Every asset of the given albums from the Gumnut server configured by `GUMNUT_API_KEY` and
 * `GUMNUT_BASE_URL` (an explicit `baseUrl` wins): the one call a CLI needs.
 */
export const listAlbums = (
  albums: Iterable<string>,
  options?: ListAlbumsOptions
): Stream.Stream<SourceItem, SourceError | SourceConfigError, HttpClient.HttpClient> =>
  AlbumSource.listAlbums(albums, options).pipe(Stream.provideLayer(layerConfig(options)))
