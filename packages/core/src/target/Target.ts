/**
 * The server `apply` and `undo` act on: look-ups (GET only) and the few mutating calls they need,
 * as one Effect service with a Gumnut and an Immich layer (see `GumnutTarget`, `ImmichTarget`).
 *
 * Every method retries what the listing retries (408, 409, 429 with `Retry-After`, 5xx, connection
 * errors). A mutation retried after a failed attempt first re-checks the server and re-sends only
 * what is not yet done, so a request cut after the server applied it does no harm.
 */
import { Context, Effect, Schema, type Scope } from "effect"
import type * as Http from "../source/Http.js"

/** Which kind of server. @since 0.2.0 */
export type Server = "gumnut" | "immich"

/** The server a run talks to, as recorded in a journal (never with a key). @since 0.2.0 */
export interface ServerRef {
  readonly source: Server
  readonly base_url: string
}

/** An asset as the server has it now. @since 0.2.0 */
export interface LiveAsset {
  readonly id: string
  /** The content checksum comparable with report.json's (Gumnut `checksum`, Immich SHA-1), if given. */
  readonly checksum: string | null
  readonly trashed: boolean
  /** 1..5, -1 rejected, 0 or null unrated. */
  readonly rating: number | null
  readonly favorite: boolean
  readonly description: string | null
  readonly latitude: number | null
  readonly longitude: number | null
  readonly stackId: string | null
  readonly stackPrimary: string | null
  /** Immich: the hidden motion part of a Live Photo still (albums never list it; purged with it). */
  readonly livePhotoVideoId?: string | null | undefined
  /** Who is recognised in it, named as the report names them; undefined when the answer did not say. */
  readonly people?: ReadonlyArray<string> | undefined
  /** How many faces were found in it; undefined when the answer did not say. */
  readonly faceCount?: number | undefined
  /** False when the server's answer carried none of rating, description and GPS (a lean answer). */
  readonly fieldsKnown?: boolean | undefined
}

/** Keeper fields a merge writes (and an undo writes back). @since 0.2.0 */
export interface Fields {
  readonly rating?: number | null
  readonly favorite?: boolean
  readonly description?: string | null
  readonly latitude?: number | null
  readonly longitude?: number | null
}

/** A request the server refused or a server that cannot be reached, in one line. @since 0.2.0 */
export class TargetError extends Schema.TaggedError<TargetError>()("TargetError", {
  message: Schema.String,
  /** True for 401/403/422 and other refusals a retry cannot fix. */
  fatal: Schema.Boolean,
  /** A mutation whose every attempt went unanswered (or 5xx, 429...): the server may have made it. */
  unanswered: Schema.optional(Schema.Boolean),
  /** The album the server no longer has (404 or 400 for it), when that is what failed. */
  album: Schema.optional(Schema.String)
}) {}

/** One mutating request, as the journal records it. @since 0.2.0 */
export type Op =
  | { readonly kind: "trash"; readonly ids: ReadonlyArray<string> }
  | { readonly kind: "restore"; readonly ids: ReadonlyArray<string> }
  | { readonly kind: "remove-from-album"; readonly album: string; readonly ids: ReadonlyArray<string> }
  | { readonly kind: "add-to-album"; readonly album: string; readonly ids: ReadonlyArray<string> }
  | {
      readonly kind: "stack"
      readonly keeper: string
      readonly ids: ReadonlyArray<string>
      /** Stacks the assets were in before (none when loose), so a retry never mistakes one for its own. */
      readonly before: ReadonlyArray<string>
    }
  | { readonly kind: "unstack"; readonly stack_id: string; readonly ids: ReadonlyArray<string> }
  | { readonly kind: "update"; readonly id: string; readonly set: Fields; readonly previous: Fields }

/** What a done request answered: the id of a stack it made. @since 0.2.0 */
export interface OpResult {
  readonly stack_id?: string | undefined
}

/** Whether a request still has something to do: the part not yet done, or done. @since 0.2.0 */
export type Outstanding =
  | { readonly done: true; readonly result: OpResult }
  | { readonly done: false; readonly op: Op }

/** The operations `apply` and `undo` need. @since 0.2.0 */
export interface TargetService {
  readonly server: ServerRef
  /** Whether a keeper's GPS can be cleared again by undo (Immich: no, it refuses null). */
  readonly canClearGps: boolean
  /** Whether favourite is a field of its own (Immich) rather than rating 5 (Gumnut). */
  readonly hasFavorite: boolean
  /** Assets that are live now, by id; trashed or gone ones are absent. */
  readonly lookup: (ids: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, LiveAsset>, TargetError>
  /** Which of `ids` are in `album` now. */
  readonly inAlbum: (
    album: string,
    ids: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlySet<string>, TargetError>
  /** Fails with one line when trashing would delete permanently (Immich with trash disabled). */
  readonly checkTrashIsSoft: Effect.Effect<void, TargetError>
  /** What of `op` is not done on the server yet (a look-up; GET only). */
  readonly outstanding: (op: Op) => Effect.Effect<Outstanding, TargetError>
  /** Sends `op`; a retry after a failed attempt re-checks and sends only what is outstanding. */
  readonly perform: (op: Op) => Effect.Effect<OpResult, TargetError>
}

/** The target server. @since 0.2.0 */
export class Target extends Context.Tag("@albumsift/core/Target")<Target, TargetService>() {}

/** At most this many ids go in one mutating request. @since 0.2.0 */
export const MAX_IDS_PER_REQUEST = 100

/** Splits ids into requests of at most `size`. @since 0.2.0 */
export const chunks = <A>(items: ReadonlyArray<A>, size = MAX_IDS_PER_REQUEST): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * The fields of `fields` as units written or left together: latitude and longitude are one (half a
 * position is no position, and the servers clear a missing half). @since 0.2.0
 */
export const fieldUnits = (fields: Fields): Array<Array<keyof Fields>> => {
  const keys = Object.keys(fields) as Array<keyof Fields>
  const gps = keys.some((k) => k === "latitude" || k === "longitude")
  return [
    ...keys.filter((k) => k !== "latitude" && k !== "longitude").map((k) => [k]),
    ...(gps ? [["latitude", "longitude"] as Array<keyof Fields>] : [])
  ]
}

/** The values of `keys` in `fields`, a missing half of the position as null. @since 0.2.0 */
export const pickFields = (fields: Fields, keys: ReadonlyArray<keyof Fields>): Fields =>
  Object.fromEntries(
    keys.map((k) => [k, fields[k] ?? (k === "latitude" || k === "longitude" ? null : fields[k])])
  )

/** Whether a live asset carries the fields' values already (used to check an update was applied). */
export const hasFields = (asset: LiveAsset, fields: Fields): boolean =>
  (fields.rating === undefined || (asset.rating ?? 0) === (fields.rating ?? 0)) &&
  (fields.favorite === undefined || asset.favorite === fields.favorite) &&
  (fields.description === undefined || (asset.description ?? "") === (fields.description ?? "")) &&
  (fields.latitude === undefined || asset.latitude === fields.latitude) &&
  (fields.longitude === undefined || asset.longitude === fields.longitude)

/** One attempt of each server call; `make` adds retries, checks and error mapping. */
export interface Primitives {
  readonly server: ServerRef
  readonly canClearGps: boolean
  readonly hasFavorite: boolean
  readonly lookup: (
    ids: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlyMap<string, LiveAsset>, Http.AttemptFailure, Scope.Scope>
  readonly inAlbum: (
    album: string,
    ids: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlySet<string>, Http.AttemptFailure, Scope.Scope>
  /**
   * Whether `inAlbum` asks about the album itself, so that a 404 or 400 to it means the album is gone
   * (Gumnut: `album_id=`); Immich's asks which albums an asset is in.
   */
  readonly inAlbumNamesAlbum?: boolean | undefined
  /** The server's trash retention in days (0: trash disabled), when it has such a setting. */
  readonly trashDays?: Effect.Effect<number, Http.AttemptFailure, Scope.Scope> | undefined
  readonly send: (op: Op) => Effect.Effect<OpResult, Http.AttemptFailure, Scope.Scope>
}

/** Builds the service from one-attempt primitives over an `Http.Api`. @since 0.2.0 */
export const make = (api: Http.Api, p: Primitives): TargetService => {
  const toTargetError = (what: string) => (failure: Http.AttemptFailure | TargetError) => {
    if (failure instanceof TargetError) return failure
    const status = failure.status
    const fatal = status !== undefined && !failure.retryable
    if (fatal) return new TargetError({ message: api.toError(failure).message, fatal })
    const tries = failure.attempts ?? 1
    return new TargetError({
      message: `${api.service}: ${what} failed after ${tries} attempt${tries === 1 ? "" : "s"}: ${failure.summary}`,
      fatal: false
    })
  }
  /**
   * A look-up with an album the server answers 404 or 400 for: the album is gone (deleted since).
   * Not fatal: it fails only what needs that album, never the whole run.
   */
  const albumGone = (album: string, failure: Http.AttemptFailure | TargetError): TargetError | undefined =>
    p.inAlbumNamesAlbum === true &&
    !(failure instanceof TargetError) &&
    (failure.status === 404 || failure.status === 400) &&
    !failure.retryable
      ? new TargetError({
          message: `${api.service}: album ${album} could not be looked up (${failure.summary}); was it deleted?`,
          fatal: false,
          album
        })
      : undefined
  const outstandingOnce = (op: Op): Effect.Effect<Outstanding, Http.AttemptFailure, Scope.Scope> => {
    const remaining = (ids: ReadonlyArray<string>): Outstanding =>
      ids.length === 0 ? { done: true, result: {} } : { done: false, op: { ...op, ids } as Op }
    switch (op.kind) {
      case "trash":
        return Effect.map(p.lookup(op.ids), (live) => remaining(op.ids.filter((id) => live.has(id))))
      case "restore":
        return Effect.map(p.lookup(op.ids), (live) => remaining(op.ids.filter((id) => !live.has(id))))
      case "remove-from-album":
        return Effect.map(p.inAlbum(op.album, op.ids), (inside) =>
          remaining(op.ids.filter((id) => inside.has(id)))
        )
      case "add-to-album":
        return Effect.map(p.inAlbum(op.album, op.ids), (inside) =>
          remaining(op.ids.filter((id) => !inside.has(id)))
        )
      case "stack":
        return Effect.map(p.lookup([op.keeper, ...op.ids]), (live): Outstanding => {
          const stacks = new Set([op.keeper, ...op.ids].map((id) => live.get(id)?.stackId ?? null))
          const [only] = stacks
          return stacks.size === 1 && only !== null && only !== undefined && !op.before.includes(only)
            ? { done: true, result: { stack_id: only } }
            : { done: false, op }
        })
      case "unstack":
        return Effect.map(
          p.lookup(op.ids),
          (live): Outstanding =>
            op.ids.some((id) => live.get(id)?.stackId === op.stack_id)
              ? { done: false, op }
              : { done: true, result: {} }
        )
      case "update":
        return Effect.map(p.lookup([op.id]), (live): Outstanding => {
          const asset = live.get(op.id)
          if (asset === undefined) return { done: false, op }
          // Sent again only for fields still as they were before it: one edited since (by someone,
          // between a crash and the resume) is theirs, and a merge never overwrites.
          const keys = fieldUnits(op.set)
            .filter(
              (unit) =>
                !hasFields(asset, pickFields(op.set, unit)) && hasFields(asset, pickFields(op.previous, unit))
            )
            .flat()
          if (keys.length === 0) return { done: true, result: {} }
          return {
            done: false,
            op: { ...op, set: pickFields(op.set, keys), previous: pickFields(op.previous, keys) }
          }
        })
    }
  }
  const checkTrashIsSoft: Effect.Effect<void, TargetError> =
    p.trashDays === undefined
      ? Effect.void
      : Effect.flatMap(
          api
            .retrying(() => p.trashDays!)
            .pipe(Effect.mapError(toTargetError("reading the server configuration"))),
          (days) =>
            days > 0
              ? Effect.void
              : new TargetError({
                  message: `${api.service} has its trash disabled (switched off, or kept 0 days), so trashing would delete permanently; albumsift refuses (enable the trash on the server first)`,
                  fatal: true
                })
        )
  const sendAttempts = (op: Op) =>
    api.retrying((n) =>
      n === 0
        ? p.send(op)
        : // The last attempt may have been applied before its answer was lost: check, then send the rest.
          Effect.flatMap(outstandingOnce(op), (o) => (o.done ? Effect.succeed(o.result) : p.send(o.op)))
    )
  /**
   * A mutation that ran out of retries without a refusal may have been made (an answer lost, a
   * proxy's 502 after the server applied it): said so, for the journal to leave it pending.
   */
  const toSendError = (op: Op) => (failure: Http.AttemptFailure | TargetError) => {
    const e = toTargetError(describe(op))(failure)
    return e.fatal || failure instanceof TargetError
      ? e
      : new TargetError({
          message: `${e.message} (it may have been made: a rerun with the same journal checks it on the server)`,
          fatal: false,
          unanswered: true
        })
  }
  const sendWithRetries = (op: Op) => sendAttempts(op).pipe(Effect.mapError(toSendError(op)))
  /** A refusal of these ids in particular: a 4xx other than auth and those retried (408, 409, 429). */
  const refusal = (status: number) =>
    status >= 400 && status < 500 && ![401, 403, 408, 409, 429].includes(status)
  /**
   * A restore the server refuses whole (Immich answers 400 when one id was deleted from the trash
   * since) is sent again one id at a time, so one lost copy does not keep the others in the trash;
   * the refused ones are named in a failure that does not stop the run.
   */
  const restoreEach = (op: Extract<Op, { kind: "restore" }>) =>
    sendAttempts(op).pipe(
      Effect.catchIf(
        (f) => f.status !== undefined && refusal(f.status),
        () =>
          Effect.gen(function* () {
            const refused: Array<string> = []
            for (const id of op.ids) {
              const one = yield* Effect.either(sendAttempts({ kind: "restore", ids: [id] }))
              if (one._tag === "Left") {
                const f = one.left
                if (f.status === undefined || !refusal(f.status)) return yield* Effect.fail(f)
                refused.push(id)
              }
            }
            if (refused.length > 0) {
              return yield* new TargetError({
                message: `${api.service}: ${refused.length} of ${op.ids.length} could not be restored (${refused.join(", ")}): the server refuses them, perhaps deleted from its trash since; the others were restored`,
                fatal: false
              })
            }
            return {} as OpResult
          })
      ),
      Effect.mapError(toSendError(op))
    )
  /**
   * A restore is read back: a server may answer 200 for an id deleted from its trash since (Gumnut
   * documents no error for it), and an undo must not go on to take back the keeper's merged fields,
   * all that is left of that copy.
   */
  const restoreChecked = (op: Extract<Op, { kind: "restore" }>) =>
    Effect.zipRight(
      restoreEach(op),
      api
        .retrying(() => p.lookup(op.ids))
        .pipe(
          Effect.mapError(toTargetError("the check of the restore")),
          Effect.flatMap((live) => {
            const missing = op.ids.filter((id) => !live.has(id))
            return missing.length === 0
              ? Effect.succeed({} as OpResult)
              : new TargetError({
                  message: `${api.service}: ${missing.length} of ${op.ids.length} are not back after the restore (${missing.join(", ")}): perhaps deleted from its trash since; the others were restored`,
                  fatal: false
                })
          })
        )
    )
  /**
   * An album that refuses a request (gone since: 404 on Gumnut, 400 on Immich) fails it without
   * stopping the run: a merge's group keeps its copies, and an undo still brings the rest back
   * (refused as fatal, every rerun stopped at the same album).
   */
  const albumChange = (op: Extract<Op, { kind: "add-to-album" | "remove-from-album" }>) =>
    sendAttempts(op).pipe(
      Effect.mapError((f) =>
        (f.status === 404 || f.status === 400) && !f.retryable
          ? new TargetError({
              message: `${api.service}: album ${op.album} refused ${op.kind === "add-to-album" ? "an add" : "a removal"} of ${op.ids.length} (${f.summary}); was it deleted?`,
              fatal: false,
              album: op.album
            })
          : toSendError(op)(f)
      )
    )
  /**
   * A stack answered 200 without an id we can read (none, or a body that is not JSON) was most
   * likely made: its assets are looked up as a resumed run would, and a new stack holding them all
   * is this request's (journalled done with its id, so undo dissolves it). Otherwise it fails,
   * naming the keeper: whatever stack the keeper is in now, undo has no id for it.
   */
  const stackChecked = (op: Extract<Op, { kind: "stack" }>) =>
    Effect.flatMap(sendWithRetries(op), (result) =>
      result.stack_id !== undefined
        ? Effect.succeed(result)
        : api
            .retrying(() => outstandingOnce(op))
            .pipe(
              // A look-up that fails leaves the stack as unknown as the answer did: pending, so a
              // rerun finds it (journalled failed, undo would never dissolve a stack that was made).
              Effect.mapError((f) => {
                const e = toTargetError("the look-up")(f)
                return new TargetError({ message: e.message, fatal: e.fatal, unanswered: true })
              }),
              Effect.flatMap((o) =>
                o.done && o.result.stack_id !== undefined
                  ? Effect.succeed(o.result)
                  : new TargetError({
                      message: "a look-up finds them not stacked together",
                      fatal: false
                    })
              ),
              Effect.mapError(
                (e) =>
                  new TargetError({
                    message: `${api.service}: the stack of ${op.keeper} with ${op.ids.join(", ")} was answered without its id, and ${e.message}: ${e.unanswered === true ? "a rerun with the same journal checks it on the server" : `check ${op.keeper} on the server (undo cannot dissolve a stack whose id it does not know)`}`,
                    fatal: e.fatal,
                    unanswered: e.unanswered
                  })
              )
            )
    )
  const describe = (op: Op) =>
    op.kind === "update" ? `update of ${op.id}` : op.kind === "unstack" ? `unstack ${op.stack_id}` : op.kind
  return {
    server: p.server,
    canClearGps: p.canClearGps,
    hasFavorite: p.hasFavorite,
    lookup: (ids) =>
      Effect.gen(function* () {
        const out = new Map<string, LiveAsset>()
        for (const part of chunks(ids, 200)) {
          const found = yield* api.retrying(() => p.lookup(part))
          for (const [id, a] of found) out.set(id, a)
        }
        return out as ReadonlyMap<string, LiveAsset>
      }).pipe(Effect.mapError(toTargetError("the look-up"))),
    inAlbum: (album, ids) =>
      Effect.gen(function* () {
        const out = new Set<string>()
        for (const part of chunks(ids, 200))
          for (const id of yield* api.retrying(() => p.inAlbum(album, part))) out.add(id)
        return out as ReadonlySet<string>
      }).pipe(
        Effect.mapError((f) => albumGone(album, f) ?? toTargetError(`the look-up of album ${album}`)(f))
      ),
    checkTrashIsSoft,
    outstanding: (op) =>
      api
        .retrying(() => outstandingOnce(op))
        .pipe(
          Effect.mapError(
            (f) =>
              (op.kind === "add-to-album" || op.kind === "remove-from-album"
                ? albumGone(op.album, f)
                : undefined) ?? toTargetError("the check")(f)
          )
        ),
    perform: (op) => {
      // Right before each trash request, whatever the run checked earlier (a resumed run re-sends
      // requests its own plan no longer holds, and the setting can change mid-run).
      if (op.kind === "trash") return Effect.zipRight(checkTrashIsSoft, sendWithRetries(op))
      if (op.kind === "restore") return restoreChecked(op)
      if (op.kind === "add-to-album" || op.kind === "remove-from-album") return albumChange(op)
      if (op.kind === "stack") return stackChecked(op)
      return sendWithRetries(op)
    }
  }
}
