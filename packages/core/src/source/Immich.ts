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
 * Each asset is mapped into the Gumnut-like shape the core reads (`fromImmich`): `checksum` stays
 * the base64 SHA-1 (the core tells hash kinds apart by length), `stack` becomes `stack_id`,
 * `duplicateId` `duplicate_id`, `isFavorite` `is_favorite`, `livePhotoVideoId`
 * `live_photo_video_id`, `exifInfo` `exif`. Immich errors (`{message, error, statusCode}`) are read
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
}

const SERVICE = "Immich"
const KEY_VARIABLE = "IMMICH_API_KEY"
const KEY_HEADER = "x-api-key"

/** The largest search page Immich allows. */
export const MAX_PAGE_SIZE = 1000

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)
const str = (u: unknown): string | undefined => (typeof u === "string" && u !== "" ? u : undefined)
const num = (u: unknown): number | null => {
  const n = typeof u === "number" ? u : typeof u === "string" && u.trim() !== "" ? Number(u) : Number.NaN
  return Number.isFinite(n) ? n : null
}

/** `1/125` or `0.008` (seconds) as a number. */
const exposure = (u: unknown): number | null => {
  if (typeof u === "string") {
    const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(u)
    if (m) {
      const d = Number(m[2])
      return d > 0 ? Number(m[1]) / d : null
    }
  }
  return num(u)
}

/** Local wall-clock time written as if UTC (`…Z`), as a zone-less ISO string. */
export const wallClock = (localDateTime: string): string => localDateTime.replace(/(?:Z|[+-]00:?00)$/i, "")

/** The offset of a time zone (IANA name or `UTC+2` / `UTC-08:00`) at an instant, in minutes. */
export const zoneOffsetMinutes = (zone: string, instantMs: number): number | undefined => {
  const fixed = /^(?:UTC|GMT)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$/i.exec(zone.trim())
  if (fixed) {
    if (fixed[1] === undefined) return 0
    const minutes = Number(fixed[2]) * 60 + Number(fixed[3] ?? 0)
    return fixed[1] === "-" ? -minutes : minutes
  }
  try {
    const part = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
      .formatToParts(new Date(instantMs))
      .find((p) => p.type === "timeZoneName")?.value
    const m = part === undefined ? null : /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(part)
    if (!m) return undefined
    if (m[1] === undefined) return 0
    const minutes = Number(m[2]) * 60 + Number(m[3])
    return m[1] === "-" ? -minutes : minutes
  } catch {
    return undefined
  }
}

const formatOffset = (minutes: number): string => {
  const sign = minutes < 0 ? "-" : "+"
  const abs = Math.abs(minutes)
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`
}

/**
 * The camera's capture time as wall clock plus offset: `dateTimeOriginal` (an instant) shown in
 * `timeZone`; without a usable zone, the offset implied by `localDateTime` when it is a whole
 * quarter-hour within ±14 h; else the instant as given.
 */
export const originalTime = (
  dateTimeOriginal: string,
  timeZone: string | undefined,
  localDateTime: string | undefined
): string => {
  const instant = Date.parse(dateTimeOriginal)
  if (Number.isNaN(instant)) return dateTimeOriginal
  let offset = timeZone === undefined ? undefined : zoneOffsetMinutes(timeZone, instant)
  if (offset === undefined && localDateTime !== undefined) {
    const wall = Date.parse(`${wallClock(localDateTime)}Z`)
    const diff = (wall - instant) / 60_000
    if (Number.isInteger(diff) && diff % 15 === 0 && Math.abs(diff) <= 14 * 60) offset = diff
  }
  if (offset === undefined) return dateTimeOriginal
  return new Date(instant + offset * 60_000).toISOString().replace(/Z$/, formatOffset(offset))
}

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  heic: "image/heic",
  heif: "image/heif",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  dng: "image/x-adobe-dng",
  cr2: "image/x-canon-cr2",
  cr3: "image/x-canon-cr3",
  nef: "image/x-nikon-nef",
  arw: "image/x-sony-arw",
  raf: "image/x-fuji-raf",
  orf: "image/x-olympus-orf",
  rw2: "image/x-panasonic-rw2",
  mov: "video/quicktime",
  mp4: "video/mp4"
}

const guessMime = (fileName: string | undefined, type: unknown): string => {
  const ext = fileName?.split(".").pop()?.toLowerCase()
  const known = ext === undefined ? undefined : MIME_BY_EXTENSION[ext]
  if (known !== undefined) return known
  return type === "VIDEO" ? "video/*" : "image/*"
}

/**
 * Maps an Immich `AssetResponseDto` (v1.1xx to v3) into the Gumnut-like shape the core reads.
 * Non-objects pass through for the pipeline to reject. `baseUrl` builds the thumbnail link
 * (`/api/assets/{id}/thumbnail?size=thumbnail`), which needs the key to fetch.
 */
export const fromImmich = (value: unknown, baseUrl: URL | string): unknown => {
  if (!isRecord(value)) return value
  const a = value
  const id = typeof a.id === "string" ? a.id : undefined
  const e = isRecord(a.exifInfo) ? a.exifInfo : undefined
  const local = str(a.localDateTime)
  const original = str(e?.dateTimeOriginal)
  const people = Array.isArray(a.people) ? a.people.filter(isRecord) : []
  const faces = [
    ...people.flatMap((p) => (Array.isArray(p.faces) ? p.faces : [])),
    ...(Array.isArray(a.unassignedFaces) ? a.unassignedFaces : [])
  ]
  const prefix = String(baseUrl).replace(/\/+$/, "")
  const stack = isRecord(a.stack) ? str(a.stack.id) : str(a.stackId)
  return {
    id: a.id,
    device_asset_id: str(a.deviceAssetId) ?? "",
    // v3 dropped deviceId; the owner stands in (one person's uploads).
    device_id: str(a.deviceId) ?? str(a.ownerId) ?? "",
    mime_type: str(a.originalMimeType) ?? guessMime(str(a.originalFileName), a.type),
    original_file_name: a.originalFileName,
    file_created_at: a.fileCreatedAt,
    file_modified_at: a.fileModifiedAt,
    local_datetime: local === undefined ? a.fileCreatedAt : wallClock(local),
    checksum: a.checksum,
    created_at: a.createdAt ?? a.fileCreatedAt,
    updated_at: a.updatedAt ?? a.createdAt ?? a.fileCreatedAt,
    exif:
      e === undefined
        ? null
        : {
            make: str(e.make) ?? null,
            model: str(e.model) ?? null,
            lens_model: str(e.lensModel) ?? null,
            f_number: num(e.fNumber),
            focal_length: num(e.focalLength),
            iso: num(e.iso),
            exposure_time: exposure(e.exposureTime),
            orientation: num(e.orientation),
            original_datetime: original === undefined ? null : originalTime(original, str(e.timeZone), local),
            modified_datetime: str(e.modifyDate) ?? null,
            latitude: num(e.latitude),
            longitude: num(e.longitude),
            city: str(e.city) ?? null,
            state: str(e.state) ?? null,
            country: str(e.country) ?? null,
            description: str(e.description) ?? null,
            projection_type: str(e.projectionType) ?? null,
            rating: num(e.rating)
          },
    width: num(e?.exifImageWidth) ?? num(a.width),
    height: num(e?.exifImageHeight) ?? num(a.height),
    file_size_bytes: num(e?.fileSizeInByte),
    is_favorite: a.isFavorite === true,
    live_photo_video_id: str(a.livePhotoVideoId) ?? null,
    stack_id: stack ?? null,
    duplicate_id: str(a.duplicateId) ?? null,
    people: people.map((p) => ({ id: String(p.id ?? ""), name: str(p.name) ?? null })),
    faces,
    thumbnail_url:
      id === undefined ? null : `${prefix}/api/assets/${encodeURIComponent(id)}/thumbnail?size=thumbnail`
  }
}

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
    retry: options.retry
  })
  const map = (value: unknown) => fromImmich(value, baseUrl)

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
          if (assets === undefined || !Array.isArray(assets.items)) {
            return Effect.fail(
              new UnexpectedResponse({
                service: SERVICE,
                album,
                detail: "expected {assets: {items: [...], nextPage}} from /api/search/metadata"
              })
            )
          }
          const next = assets.nextPage
          const nextPage = typeof next === "string" || typeof next === "number" ? Number(next) : undefined
          return Effect.succeed({ items: assets.items as ReadonlyArray<unknown>, nextPage })
        })
      )

  const search = (album: string): Stream.Stream<SourceItem, SourceError> =>
    Stream.suspend(() => {
      let index = 0
      return Stream.paginateChunkEffect(1, (page) =>
        Effect.flatMap(searchPage(album, page), ({ items, nextPage }) => {
          const chunk = Chunk.unsafeFromArray(
            items.map((value) => ({ value: map(value), index: index++, album }))
          )
          if (nextPage === undefined || items.length === 0)
            return Effect.succeed([chunk, Option.none()] as const)
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
  const list = (album: string): Stream.Stream<SourceItem, SourceError> => {
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
  }

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
      `${KEY_VARIABLE} is not set; create an API key in Immich (Account Settings > API Keys) and export it`
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
