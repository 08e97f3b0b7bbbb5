/**
 * An Immich server as the `Target` of `apply` and `undo`. Endpoints (Immich
 * `server/src/controllers/{asset,trash,stack,album,server}.controller.ts`, `dtos/asset.dto.ts`):
 * - look-up: `GET /api/assets/{id}` (`isTrashed`, `checksum` base64 SHA-1; 404/400 means gone) and
 *   `GET /api/albums?assetId=` (the albums holding an asset);
 * - trash: `DELETE /api/assets` `{ids, force: false}` (never `true`), after `GET /api/server/features`
 *   shows `trash: true` and `GET /api/server/config` `trashDays > 0` (`server.service.ts`: config
 *   answers the days setting even with the trash off, when trashed assets are purged nightly);
 * - restore: `POST /api/trash/restore/assets` `{ids}`;
 * - albums: `PUT` / `DELETE /api/albums/{id}/assets` `{ids}`;
 * - stacks: `POST /api/stacks` `{assetIds}` (the first is the cover), `DELETE /api/stacks/{id}`;
 * - fields: `PUT /api/assets/{id}` (`UpdateAssetDto`: rating, isFavorite, description, latitude,
 *   longitude). An unset description is written "" (null is refused); an unset rating is null from
 *   v3 on, which refuses 0 ("Using 0 as a rating is no longer valid"), and 0 before, which refuses null:
 *   either refused is sent again as the other.
 * The key comes from `IMMICH_API_KEY` and travels in `x-api-key`, to the base URL only.
 */
import type { HttpClient } from "@effect/platform"
// Types only (erased at build): every body is checked against the official SDK's DTOs.
import type { AssetBulkDeleteDto, BulkIdsDto, StackCreateDto, UpdateAssetDto } from "@immich/sdk"
import { Effect, Layer, type Redacted, type Scope } from "effect"
import { SourceConfigError } from "../source/AlbumSource.js"
import * as Http from "../source/Http.js"
import { facesOf } from "../source/ImmichAsset.js"
import * as SourceConfig from "../source/internal/sourceConfig.js"
import { mutation, num, peopleNames, record, stackCreated, str } from "./internal/answers.js"
import {
  type Fields,
  type LiveAsset,
  make as makeTarget,
  type Op,
  type OpResult,
  Target,
  type TargetService
} from "./Target.js"

const SERVICE = "Immich"
const KEY_VARIABLE = "IMMICH_API_KEY"

/** Options of `make`. @since 0.2.0 */
export interface ImmichTargetOptions {
  readonly apiKey: Redacted.Redacted<string>
  readonly baseUrl: string | URL
  readonly retry?: Partial<Http.RetryOptions> | undefined
}

const seg = encodeURIComponent

/** One `AssetResponseDto`. @since 0.2.0 */
export const liveAsset = (value: unknown): LiveAsset | undefined => {
  const a = record(value)
  const id = str(a.id)
  if (id === null) return undefined
  const exif = record(a.exifInfo)
  const stack = record(a.stack)
  return {
    id,
    checksum: str(a.checksum),
    trashed: a.isTrashed === true,
    rating: num(exif.rating),
    favorite: a.isFavorite === true,
    description: str(exif.description),
    latitude: num(exif.latitude),
    longitude: num(exif.longitude),
    stackId: str(stack.id),
    stackPrimary: str(stack.primaryAssetId),
    livePhotoVideoId: str(a.livePhotoVideoId),
    people: peopleNames(a.people),
    faceCount: facesOf(a)?.length
  }
}

/** The `UpdateAssetDto` for some fields: a null description becomes "" (Immich refuses null). */
const updateBody = (fields: Fields): UpdateAssetDto => {
  const body: { -readonly [K in keyof UpdateAssetDto]: UpdateAssetDto[K] } = {}
  if (fields.rating !== undefined) body.rating = fields.rating
  if (fields.favorite !== undefined) body.isFavorite = fields.favorite
  if (fields.description !== undefined) body.description = fields.description ?? ""
  if (
    fields.latitude !== undefined &&
    fields.latitude !== null &&
    fields.longitude !== undefined &&
    fields.longitude !== null
  ) {
    body.latitude = fields.latitude
    body.longitude = fields.longitude
  }
  return body
}

/** Builds the Immich target. @since 0.2.0 */
export const make: (
  options: ImmichTargetOptions
) => Effect.Effect<TargetService, SourceConfigError, HttpClient.HttpClient> = Effect.fn("ImmichTarget.make")(
  function* (options: ImmichTargetOptions) {
    const baseUrl = yield* SourceConfig.resolveBaseUrl(SERVICE, options.baseUrl, "http://immich.local:2283")
    const api = yield* Http.make({
      service: SERVICE,
      baseUrl,
      credentials: { header: "x-api-key", key: options.apiKey, variable: KEY_VARIABLE },
      retry: { maxRetryAfter: "10 minutes", ...options.retry }
    })
    const getJson = (path: string, query?: Record<string, string>) =>
      Effect.flatMap(api.send(api.get(path, query)), api.whole)
    const gone = (f: Http.AttemptFailure) => f.status === 404 || f.status === 400
    const lookup = (ids: ReadonlyArray<string>) =>
      Effect.forEach(
        ids,
        (id) =>
          getJson(`/api/assets/${seg(id)}`).pipe(
            Effect.map(liveAsset),
            Effect.catchIf(gone, () => Effect.succeed(undefined))
          ),
        { concurrency: 4 }
      ).pipe(
        Effect.map((found) => {
          const out = new Map<string, LiveAsset>()
          for (const a of found) if (a !== undefined && !a.trashed && ids.includes(a.id)) out.set(a.id, a)
          return out
        })
      )
    const inAlbum = (album: string, ids: ReadonlyArray<string>) =>
      Effect.forEach(
        ids,
        (id) =>
          getJson("/api/albums", { assetId: id }).pipe(
            Effect.map((body) =>
              Array.isArray(body) && body.some((a) => record(a).id === album) ? id : undefined
            )
          ),
        { concurrency: 4 }
      ).pipe(Effect.map((found) => new Set(found.filter((id): id is string => id !== undefined))))
    const call = mutation(api)
    const send = (op: Op): Effect.Effect<OpResult, Http.AttemptFailure, Scope.Scope> => {
      switch (op.kind) {
        case "trash":
          return Effect.as(
            call("DELETE", "/api/assets", { ids: [...op.ids], force: false } satisfies AssetBulkDeleteDto),
            {}
          )
        case "restore":
          return Effect.as(
            call("POST", "/api/trash/restore/assets", { ids: [...op.ids] } satisfies BulkIdsDto),
            {}
          )
        case "add-to-album":
          return Effect.as(
            call("PUT", `/api/albums/${seg(op.album)}/assets`, { ids: [...op.ids] } satisfies BulkIdsDto),
            {}
          )
        case "remove-from-album":
          return Effect.as(
            call("DELETE", `/api/albums/${seg(op.album)}/assets`, { ids: [...op.ids] } satisfies BulkIdsDto),
            {}
          )
        case "unstack":
          return Effect.as(call("DELETE", `/api/stacks/${seg(op.stack_id)}`), {})
        case "update": {
          const put = (body: UpdateAssetDto) => Effect.as(call("PUT", `/api/assets/${seg(op.id)}`, body), {})
          const body = updateBody(op.set)
          // Unrated is null from v3 on and 0 before: each version refuses the other (400, nothing
          // written), and a journal written before an upgrade holds the older one.
          const other = body.rating === null ? 0 : body.rating === 0 ? null : undefined
          return other === undefined
            ? put(body)
            : Effect.catchIf(
                put(body),
                (f) => f.status === 400,
                () => put({ ...body, rating: other })
              )
        }
        case "stack":
          return Effect.map(
            call("POST", "/api/stacks", { assetIds: [op.keeper, ...op.ids] } satisfies StackCreateDto),
            stackCreated
          )
      }
    }
    return makeTarget(api, {
      server: { source: "immich", base_url: baseUrl.href },
      canClearGps: false,
      hasFavorite: true,
      lookup,
      inAlbum,
      // `trashDays` is the days setting whether the trash is on or off (`trash.enabled`, which only
      // the features say); with it off the nightly check purges every trashed asset: counted as 0.
      trashDays: Effect.zipWith(
        getJson("/api/server/features"),
        getJson("/api/server/config"),
        (features, config) => (record(features).trash === true ? (num(record(config).trashDays) ?? 0) : 0)
      ),
      send
    })
  }
)

/** The Immich target layer, with the key from `IMMICH_API_KEY`. @since 0.2.0 */
export const layerConfig = (options: {
  readonly baseUrl?: string | URL | undefined
  readonly retry?: Partial<Http.RetryOptions> | undefined
}): Layer.Layer<Target, SourceConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    Target,
    Effect.gen(function* () {
      const env = yield* SourceConfig.readEnv(
        SERVICE,
        SourceConfig.envConfig(KEY_VARIABLE, "IMMICH_BASE_URL"),
        options.baseUrl,
        `${KEY_VARIABLE} is not set; create an API key in Immich (Account Settings > API Keys) and export it`,
        "http://immich.local:2283"
      )
      if (env.baseUrl === undefined) {
        return yield* new SourceConfigError({
          service: SERVICE,
          detail: "no server address; pass --base-url http://host:2283 or set IMMICH_BASE_URL"
        })
      }
      return yield* make({ ...options, apiKey: env.apiKey, baseUrl: env.baseUrl })
    })
  )

/** The Immich target layer with a given key. @since 0.2.0 */
export const layer = (
  options: ImmichTargetOptions
): Layer.Layer<Target, SourceConfigError, HttpClient.HttpClient> => Layer.effect(Target, make(options))
