/**
 * Immich as an `AlbumSource`, next to Gumnut, on the same HTTP layer (retries, timeouts, errors,
 * key safety): the key (`IMMICH_API_KEY`) goes in `x-api-key`, to the base URL only.
 *
 * Listing depends on the server version (`GET /api/server/version`, read once per run):
 * - v1/v2 (`album`): `GET /api/albums/{id}` includes `assets`; the album object is streamed and
 *   its `assets` array read item by item, resumed after a failure like Gumnut's seed array;
 * - v3 (`search`): the album object no longer has `assets`, so `POST /api/search/metadata` with
 *   `{albumIds: [id], page, size: 1000, withExif, withPeople, withStacked}`, following `nextPage`.
 * When the version cannot be read, the album route is tried and an album without `assets` falls
 * back to the search.
 *
 * Each asset is mapped into the source-neutral `InputAsset` by `ImmichAsset.toInputAsset`. Immich errors (`{message, error, statusCode}`) are read
 * like Gumnut's; its "Not found or no album.read access" (400) means the album is not found.
 */
import type { HttpClient } from "@effect/platform"
import { Chunk, Effect, Layer, Option, type Redacted, Stream } from "effect"
import type { SourceItem } from "../SourceItem.js"
import * as AlbumSource from "./AlbumSource.js"
import {
  AlbumNotFound,
  AuthenticationFailed,
  type Service,
  SourceConfigError,
  type SourceError,
  UnexpectedResponse
} from "./AlbumSource.js"
import * as Http from "./Http.js"
import * as ImmichAsset from "./ImmichAsset.js"
import { PageGuard } from "./internal/paging.js"
import * as Resumable from "./internal/resumable.js"
import * as SourceConfig from "./internal/sourceConfig.js"

/** How albums are listed: by the server's version, or forced. */
export type Listing = "auto" | "album" | "search"

/** Options for `make` / `layer`. */
export interface ImmichOptions {
  /** `IMMICH_API_KEY`: sent as `x-api-key`, to the base URL only. */
  readonly apiKey: Redacted.Redacted<string>
  /** The server, e.g. `http://nas:2283` (the API lives under `/api`). */
  readonly baseUrl: string | URL
  readonly listing?: Listing | undefined
  /** Search page size, 1..1000 (default 1000). */
  readonly pageSize?: number | undefined
  readonly retry?: Partial<Http.RetryOptions> | undefined
  readonly userAgent?: string | undefined
  /** The most characters one asset's JSON may have (default 64 Mi). */
  readonly maxItemSize?: number | undefined
  /** The most search pages one album may take (default 50,000). */
  readonly maxPages?: number | undefined
}

const SERVICE = "Immich"
const KEY_VARIABLE = "IMMICH_API_KEY"
const KEY_HEADER = "x-api-key"

/** The largest search page Immich allows. */
export const MAX_PAGE_SIZE = 1000

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** Marks an album object that has no `assets` array (a v3 server): the search is used instead. */
const NO_ASSETS = "the album has no assets array"

/** Builds the Immich source over the `HttpClient` in context. */
export const make: (
  options: ImmichOptions
) => Effect.Effect<Service, SourceConfigError, HttpClient.HttpClient> = Effect.fn("Immich.make")(function* (
  options: ImmichOptions
) {
  const baseUrl = yield* SourceConfig.resolveBaseUrl(SERVICE, options.baseUrl, "http://immich.local:2283")
  const pageSize = yield* SourceConfig.resolvePageSize(SERVICE, options.pageSize, MAX_PAGE_SIZE)
  const api = yield* Http.make({
    service: SERVICE,
    baseUrl,
    credentials: { header: KEY_HEADER, key: options.apiKey, variable: KEY_VARIABLE },
    userAgent: options.userAgent,
    retry: options.retry,
    maxItemSize: options.maxItemSize
  })
  const map = (value: unknown) => ImmichAsset.toInputAsset(value, baseUrl)

  /** Immich answers 400 "Not found or no album.read access" for an album it will not show. */
  const toError = (f: Http.AttemptFailure, album?: string): SourceError =>
    album !== undefined &&
    f.error === undefined &&
    (f.status === 404 || (f.status === 400 && /not found|no album\.read access/i.test(f.detail ?? "")))
      ? new AlbumNotFound({ service: SERVICE, album, ...(f.status === 404 ? {} : { status: f.status }) })
      : api.toError(f, album)

  const readVersion = (path: string) =>
    api
      .retrying(() => Effect.flatMap(api.send(api.get(path)), api.whole))
      .pipe(
        Effect.map((body) =>
          isRecord(body) && typeof body.major === "number" ? Option.some(body.major) : Option.none()
        )
      )

  // The server's major version, read once per source; none when the server does not say.
  const major = yield* Effect.cached(
    readVersion("/api/server/version").pipe(
      Effect.catchIf(
        (f) => f.status === 404 || f.status === 405,
        () => readVersion("/api/server-info/version")
      ),
      Effect.catchIf(
        (f) => f.status === 404 || f.status === 405,
        () => Effect.succeed(Option.none<number>())
      ),
      Effect.mapError((f) => toError(f)),
      Effect.withSpan("Immich.version")
    )
  )

  const albumPath = (album: string) => `/api/albums/${encodeURIComponent(album)}`

  /** v1/v2: the album object, its `assets` streamed. */
  const albumListing = (album: string, state: Resumable.Progress) =>
    Resumable.streamListing({
      api,
      album,
      request: api.get(albumPath(album)),
      itemsKey: "assets",
      map,
      progress: state,
      checkFormat: (parser) =>
        parser.format === "array"
          ? new UnexpectedResponse({
              service: SERVICE,
              album,
              detail: "expected an album object, got an array"
            })
          : parser.format === "ndjson" || parser.format === "values"
            ? new UnexpectedResponse({ service: SERVICE, album, detail: NO_ASSETS })
            : undefined
    })

  const checkAlbum = (album: string) =>
    api
      .retrying(() => Effect.asVoid(api.send(api.get(albumPath(album), { withoutAssets: "true" }))))
      .pipe(Effect.mapError((f) => toError(f, album)))

  /** One search page, read whole (at most `pageSize` assets) and retried whole. */
  const searchPage = (album: string, page: number) =>
    api
      .retrying(() =>
        Effect.flatMap(
          api.send(
            api.post("/api/search/metadata", {
              albumIds: [album],
              page,
              size: pageSize,
              withExif: true,
              withPeople: true,
              withStacked: true
            })
          ),
          api.whole
        )
      )
      .pipe(
        Effect.mapError((f) => toError(f, album)),
        Effect.flatMap((body) => {
          const assets = isRecord(body) && isRecord(body.assets) ? body.assets : undefined
          const next = assets?.nextPage
          // `nextPage` is a page number (a string) or null; anything else would end the listing early.
          const nextPage =
            next === null
              ? null
              : (typeof next === "string" && /^\d{1,9}$/.test(next)) || Number.isSafeInteger(next)
                ? Number(next)
                : undefined
          if (assets === undefined || !Array.isArray(assets.items) || nextPage === undefined) {
            const got =
              assets !== undefined && Array.isArray(assets.items)
                ? `; nextPage is ${next === undefined ? "missing" : JSON.stringify(next).slice(0, 40)}`
                : ""
            return Effect.fail(
              new UnexpectedResponse({
                service: SERVICE,
                album,
                detail: `expected {assets: {items: [...], nextPage: "<n>"|null}} from /api/search/metadata${got}`
              })
            )
          }
          return Effect.succeed({ items: assets.items as ReadonlyArray<unknown>, nextPage })
        })
      )

  const search = (album: string): Stream.Stream<SourceItem, SourceError> =>
    Stream.suspend(() => {
      let index = 0
      const guard = new PageGuard(pageSize, options.maxPages)
      const unexpected = (detail: string) => new UnexpectedResponse({ service: SERVICE, album, detail })
      return Stream.paginateChunkEffect(1, (page) =>
        Effect.flatMap(searchPage(album, page), ({ items, nextPage }) => {
          const wrong = guard.check(items)
          if (wrong !== undefined) return Effect.fail(unexpected(wrong))
          const chunk = Chunk.unsafeFromArray(
            items.map((value) => ({ value: map(value), index: index++, album }))
          )
          if (nextPage === null) return Effect.succeed([chunk, Option.none()] as const)
          if (items.length === 0)
            return Effect.fail(unexpected(`a page says nextPage ${nextPage} but lists no assets`))
          const ceiling = guard.ceiling()
          if (ceiling !== undefined) return Effect.fail(unexpected(ceiling))
          if (!Number.isInteger(nextPage) || nextPage <= page) {
            return Effect.fail(
              new UnexpectedResponse({
                service: SERVICE,
                album,
                detail: `paging did not advance (nextPage ${nextPage})`
              })
            )
          }
          return Effect.succeed([chunk, Option.some(nextPage)] as const)
        })
      )
    })

  const searchChecked = (album: string) => Stream.unwrap(Effect.as(checkAlbum(album), search(album)))

  const albumFirst = (album: string, fallback: boolean): Stream.Stream<SourceItem, SourceError> =>
    Stream.suspend(() => {
      const state = Resumable.progress()
      return albumListing(album, state).pipe(
        Stream.catchAll((f) =>
          fallback &&
          f.error?._tag === "UnexpectedResponse" &&
          f.error.detail === NO_ASSETS &&
          state.emitted === 0
            ? search(album)
            : Stream.fail(toError(f, album))
        )
      )
    })

  const listing = options.listing ?? "auto"
  const list = AlbumSource.checkedList(SERVICE, (album: string): Stream.Stream<SourceItem, SourceError> => {
    const stream =
      listing === "album"
        ? albumFirst(album, false)
        : listing === "search"
          ? searchChecked(album)
          : Stream.unwrap(
              Effect.map(major, (m) =>
                Option.match(m, {
                  onNone: () => albumFirst(album, true),
                  onSome: (v) => (v >= 3 ? searchChecked(album) : albumFirst(album, true))
                })
              )
            )
    return stream.pipe(
      // The version check is shared by all albums; name the album in its authentication error too.
      Stream.mapError((e) =>
        e._tag === "AuthenticationFailed" && e.album === undefined
          ? new AuthenticationFailed({
              service: e.service,
              album,
              status: e.status,
              keyVariable: e.keyVariable,
              ...(e.detail === undefined ? {} : { detail: e.detail })
            })
          : e
      ),
      Stream.withSpan("Immich.list", { attributes: { album, listing } })
    )
  })

  return {
    name: "immich",
    baseUrl: baseUrl.href,
    list,
    thumbnailAuthorization: { origin: baseUrl.origin, headers: { [KEY_HEADER]: options.apiKey } }
  } satisfies Service
})

/** The Immich source as a layer. */
export const layer = (
  options: ImmichOptions
): Layer.Layer<AlbumSource.AlbumSource, SourceConfigError, HttpClient.HttpClient> =>
  Layer.effect(AlbumSource.AlbumSource, make(options))

/** `IMMICH_API_KEY` (required, kept redacted) and `IMMICH_BASE_URL` (or the `baseUrl` option). */
export const config = SourceConfig.envConfig(KEY_VARIABLE, "IMMICH_BASE_URL")

/** Options for `layerConfig`: everything but the key, which comes from `IMMICH_API_KEY`. */
export interface ConfigOptions extends Omit<ImmichOptions, "apiKey" | "baseUrl"> {
  /** Wins over `IMMICH_BASE_URL`; one of them is required. */
  readonly baseUrl?: string | URL | undefined
}

/** Reads the key (and base URL) from the environment; a missing one fails in one line. */
export const layerConfig = (
  options?: ConfigOptions
): Layer.Layer<AlbumSource.AlbumSource, SourceConfigError, HttpClient.HttpClient> =>
  Layer.effect(AlbumSource.AlbumSource, fromConfig(options))

/** `make`, with the key and base URL from the environment. */
export const fromConfig = (
  options?: ConfigOptions
): Effect.Effect<Service, SourceConfigError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const { apiKey, baseUrl } = yield* SourceConfig.readEnv(
      SERVICE,
      config,
      options?.baseUrl,
      `${KEY_VARIABLE} is not set; create an API key in Immich (Account Settings > API Keys) and export it`,
      "http://immich.local:2283"
    )
    if (baseUrl === undefined) {
      return yield* new SourceConfigError({
        service: SERVICE,
        detail: "no server address; pass --base-url http://host:2283 or set IMMICH_BASE_URL"
      })
    }
    return yield* make({ ...options, apiKey, baseUrl })
  })

/** Options for `listAlbums`. */
export interface ListAlbumsOptions extends ConfigOptions, AlbumSource.ListOptions {}

/** Every asset of the given albums from the Immich server configured by the environment and options. */
export const listAlbums = (
  albums: Iterable<string>,
  options?: ListAlbumsOptions
): Stream.Stream<SourceItem, SourceError | SourceConfigError, HttpClient.HttpClient> =>
  AlbumSource.listAlbums(albums, options).pipe(Stream.provideLayer(layerConfig(options)))
