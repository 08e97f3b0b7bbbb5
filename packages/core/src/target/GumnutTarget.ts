/**
 * The Gumnut photos API as the `Target` of `apply` and `undo` (endpoints: `internal/gumnutEndpoints.ts`).
 * The key comes from `GUMNUT_API_KEY`, is held `Redacted` and sent only to the base URL.
 */
import type { HttpClient } from "@effect/platform"
import { Effect, Layer, type Redacted, type Scope } from "effect"
import type { SourceConfigError } from "../source/AlbumSource.js"
import * as Http from "../source/Http.js"
import * as SourceConfig from "../source/internal/sourceConfig.js"
import { isObject, mutation, num, peopleNames, record, stackCreated, str } from "./internal/answers.js"
import * as Endpoints from "./internal/gumnutEndpoints.js"
import {
  type LiveAsset,
  make as makeTarget,
  type Op,
  type OpResult,
  Target,
  type TargetService
} from "./Target.js"

const SERVICE = "Gumnut"
const KEY_VARIABLE = "GUMNUT_API_KEY"

/** Options of `make`. @since 0.2.0 */
export interface GumnutTargetOptions {
  readonly apiKey: Redacted.Redacted<string>
  readonly baseUrl: string | URL
  readonly retry?: Partial<Http.RetryOptions> | undefined
}

/**
 * Reads a field where the report read it: in `exif` (older servers), else in `metadata` (newer ones),
 * else at the top level. Never the top level when metadata is there: newer servers put their own
 * generated caption in a top-level `description`, and the user's own text is the one to merge.
 */
const field = (a: Record<string, unknown>, key: string): unknown => {
  const holder = isObject(a.exif) ? a.exif : isObject(a.metadata) ? a.metadata : a
  return holder[key] ?? null
}

/** One asset of the look-up answer. @since 0.2.0 */
export const liveAsset = (value: unknown): LiveAsset | undefined => {
  const a = record(value)
  const id = str(a.id)
  if (id === null) return undefined
  return {
    id,
    checksum: str(record(a.file_data).checksum) ?? str(a.checksum),
    trashed: a.state === "trashed" || (a.trashed_at !== undefined && a.trashed_at !== null),
    rating: num(field(a, "rating")),
    favorite: false,
    description: str(field(a, "description")),
    latitude: num(field(a, "latitude")),
    longitude: num(field(a, "longitude")),
    stackId: str(a.stack_id),
    stackPrimary: null,
    people: peopleNames(a.people),
    faceCount: Array.isArray(a.faces) ? a.faces.length : a.faces === null ? 0 : undefined,
    // A look-up answered with the lean core (include ignored) shows a copy as carrying nothing. A
    // `metadata: null` is settled by the whole answer (see `honoursInclude`).
    fieldsKnown: isObject(a.exif) || isObject(a.metadata) || "rating" in a || "description" in a
  }
}

/**
 * Whether an answer honoured `include=metadata`: some asset in it has metadata. Then an asset whose
 * `metadata` (or older `exif`) is null truly has none (a copy stripped by a messaging app); in an
 * answer where none has any, null may be the lean core's, so those copies stay unknown.
 */
const honoursInclude = (items: ReadonlyArray<unknown>): boolean =>
  items.some((item) => isObject(record(item).metadata) || isObject(record(item).exif))

const hasNoMetadata = (item: unknown): boolean => {
  const a = record(item)
  return ("metadata" in a && a.metadata === null) || ("exif" in a && a.exif === null)
}

const itemsOf = (body: unknown): ReadonlyArray<unknown> =>
  Array.isArray(body) ? body : Array.isArray(record(body).data) ? (record(body).data as Array<unknown>) : []

/** Builds the Gumnut target. @since 0.2.0 */
export const make: (
  options: GumnutTargetOptions
) => Effect.Effect<TargetService, SourceConfigError, HttpClient.HttpClient> = Effect.fn("GumnutTarget.make")(
  function* (options: GumnutTargetOptions) {
    const baseUrl = yield* SourceConfig.resolveBaseUrl(SERVICE, options.baseUrl, "https://api.gumnut.ai")
    const api = yield* Http.make({
      service: SERVICE,
      baseUrl,
      credentials: { header: "authorization", key: options.apiKey, variable: KEY_VARIABLE },
      retry: { maxRetryAfter: "10 minutes", ...options.retry }
    })
    // The look-up pages like any list: `has_more` is followed with `starting_after_id` (same ids).
    const lookupOnce = (ids: ReadonlyArray<string>, album?: string) =>
      Effect.gen(function* () {
        const out = new Map<string, LiveAsset>()
        const bare = new Set<string>()
        let honoured = false
        let after: string | undefined
        for (let page = 0; ; page++) {
          const q = Endpoints.lookup(ids, album, after)
          const body = yield* Effect.flatMap(api.send(api.get(q.path, q.query)), api.whole)
          const items = itemsOf(body)
          honoured ||= honoursInclude(items)
          for (const item of items) {
            const a = liveAsset(item)
            // Only the ids asked for count (a server ignoring `ids=` must not make others look live).
            if (a !== undefined && !a.trashed && ids.includes(a.id)) {
              out.set(a.id, a)
              if (hasNoMetadata(item)) bare.add(a.id)
            }
          }
          if (record(body).has_more !== true) {
            if (honoured) for (const id of bare) out.set(id, { ...out.get(id)!, fieldsKnown: true })
            return out
          }
          const last = str(record(items.at(-1)).id)
          if (last === null || last === after || page >= ids.length) {
            return yield* new Http.AttemptFailure({
              retryable: false,
              summary: "the look-up says has_more but its pages do not advance"
            })
          }
          after = last
        }
      })
    const mutate = mutation(api)
    const call = (r: {
      readonly method: "POST" | "DELETE"
      readonly path: string
      readonly body?: unknown
    }) => mutate(r.method, r.path, r.body)
    const send = (op: Op): Effect.Effect<OpResult, Http.AttemptFailure, Scope.Scope> => {
      switch (op.kind) {
        case "trash":
          return Effect.as(call(Endpoints.trash(op.ids)), {})
        case "restore":
          return Effect.as(call(Endpoints.restore(op.ids)), {})
        case "add-to-album":
          return Effect.as(call(Endpoints.addToAlbum(op.album, op.ids)), {})
        case "remove-from-album":
          return Effect.as(call(Endpoints.removeFromAlbum(op.album, op.ids)), {})
        case "unstack":
          return Effect.as(call(Endpoints.deleteStack(op.stack_id)), {})
        case "update":
          return Effect.as(call(Endpoints.update(op.id, op.set)), {})
        case "stack":
          return Effect.map(call(Endpoints.createStack(op.keeper, op.ids)), stackCreated)
      }
    }
    return makeTarget(api, {
      server: { source: "gumnut", base_url: baseUrl.href },
      canClearGps: true,
      hasFavorite: false,
      lookup: (ids) => lookupOnce(ids),
      inAlbum: (album, ids) => Effect.map(lookupOnce(ids, album), (found) => new Set(found.keys())),
      inAlbumNamesAlbum: true,
      send
    })
  }
)

/** The Gumnut target layer, with the key from `GUMNUT_API_KEY`. @since 0.2.0 */
export const layerConfig = (options: {
  readonly baseUrl: string | URL
  readonly retry?: Partial<Http.RetryOptions> | undefined
}): Layer.Layer<Target, SourceConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    Target,
    Effect.flatMap(
      SourceConfig.readEnv(
        SERVICE,
        SourceConfig.envConfig(KEY_VARIABLE, "GUMNUT_BASE_URL"),
        options.baseUrl,
        `${KEY_VARIABLE} is not set; export your Gumnut API key in it`,
        "https://api.gumnut.ai"
      ),
      (env) => make({ ...options, apiKey: env.apiKey, baseUrl: env.baseUrl ?? options.baseUrl })
    )
  )

/** The Gumnut target layer with a given key. @since 0.2.0 */
export const layer = (
  options: GumnutTargetOptions
): Layer.Layer<Target, SourceConfigError, HttpClient.HttpClient> => Layer.effect(Target, make(options))
