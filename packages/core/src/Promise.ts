/**
 * A plain-Promise facade for callers who do not use Effect: the same analysis and the same
 * sources (and HTTP client) as the CLI, each one async function. Whatever it is given, every
 * function returns a Promise, and a failure rejects it with a typed error (`InvalidInput`,
 * `InvalidOptions`, `JsonInputError`, `InputUnreadable`, `AuthenticationFailed`...): never a
 * FiberFailure, never a synchronous throw.
 */
import { createReadStream } from "node:fs"
import { readFile } from "node:fs/promises"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Cause, Effect, Exit, Redacted, Schema, Stream } from "effect"
import type { Analysis } from "./Analysis.js"
import * as Decisions from "./Decisions.js"
import { analyze, analyzeValues } from "./engine/Pipeline.js"
import * as FileFailure from "./FileFailure.js"
import type { AnalysisOptions } from "./Options.js"
import * as AlbumSource from "./source/AlbumSource.js"
import * as Gumnut from "./source/Gumnut.js"
import * as Immich from "./source/Immich.js"
import * as JsonInput from "./source/JsonInput.js"

/**
 * An argument of a Promise function is not what it takes (`analyzeAssets(null)`, `analyzeAlbums("x")`).
 *
 * @since 0.2.0
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  /** The function called, e.g. `analyzeAssets`. */
  function: Schema.String,
  /** What is wrong, e.g. `expected an iterable of assets, got null`. */
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.function}: ${this.reason}`
  }
}

const describe = (u: unknown): string =>
  u === null
    ? "null"
    : Array.isArray(u)
      ? u.length === 0
        ? "an empty array"
        : "an array"
      : typeof u === "string"
        ? u === ""
          ? "an empty string"
          : "a string"
        : typeof u

const run = async <A, E>(effect: Effect.Effect<A, E>): Promise<A> => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return exit.value
  // `originalError` strips the span proxy Effect may put around a thrown Error.
  throw Cause.originalError(Cause.squash(exit.cause))
}

/** Runs `make` inside the Promise, so even a throw while building the effect rejects it. */
const guarded = <A>(make: () => Effect.Effect<A, unknown>): Promise<A> =>
  Promise.resolve().then(() => run(Effect.suspend(make)))

const isObject = (u: unknown): u is object => typeof u === "object" && u !== null

/**
 * Analyses an album given as raw asset objects (an array, any iterable, or an async iterable).
 * Rejects with `InvalidInput` for anything else (null, a string, a number), with `InvalidOptions`,
 * or with whatever the async iterable threw. An asset nested more than 64 levels deep is rejected
 * on its own, like any invalid asset.
 */
export const analyzeAssets = (
  input: Iterable<unknown> | AsyncIterable<unknown>,
  options?: AnalysisOptions
): Promise<Analysis> =>
  guarded(() => {
    if (!isObject(input) || !(Symbol.iterator in input || Symbol.asyncIterator in input)) {
      return Effect.fail(
        new InvalidInput({
          function: "analyzeAssets",
          reason: `expected an array or an (async) iterable of assets, got ${describe(input)}`
        })
      )
    }
    const stream: Stream.Stream<unknown, unknown> =
      Symbol.asyncIterator in input
        ? Stream.rechunk(
            Stream.fromAsyncIterable(input as AsyncIterable<unknown>, (error) => error),
            1024
          )
        : Stream.fromIterable(input as Iterable<unknown>)
    return analyzeValues(Stream.map(stream, JsonInput.checkDepth), options)
  })

/**
 * Analyses an exported album file, streamed (a JSON array, a cursor page `{data, has_more}` or
 * NDJSON; detected). Rejects with `JsonInputError` for a broken document, `InputUnreadable` when
 * the file cannot be read (missing, a folder, no permission), `InvalidInput` for a path that is
 * not a non-empty string.
 */
export const analyzeFile = (path: string, options?: AnalysisOptions): Promise<Analysis> =>
  guarded(() => {
    if (typeof path !== "string" || path === "") {
      return Effect.fail(
        new InvalidInput({ function: "analyzeFile", reason: `expected a file path, got ${describe(path)}` })
      )
    }
    // Opened only when read: a large file is read by the decode worker itself (by descriptor).
    const bytes = Stream.suspend(() =>
      Stream.fromAsyncIterable(
        createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>,
        (error) => JsonInput.InputUnreadable.fromError(path, error)
      )
    )
    // As the CLI reads a file: an Immich export is recognised and mapped as the Immich source maps it.
    let shape: JsonInput.ExportShape | undefined
    const onShape = (detected: JsonInput.ExportShape) => {
      shape = detected
    }
    return analyze(
      JsonInput.decodedItems(bytes, { input: path, path, detectShape: true, onShape }),
      options,
      // Immich cannot merge GPS (see `canMergeGps`), unless the caller said otherwise.
      () => (shape === "immich" && options?.canMergeGps === undefined ? { canMergeGps: false } : {})
    )
  })

/** Where `analyzeAlbums` reads from. The key defaults to `GUMNUT_API_KEY` / `IMMICH_API_KEY`. */
export interface AlbumsSource {
  readonly source?: "gumnut" | "immich" | undefined
  /** Gumnut: default `GUMNUT_BASE_URL`, else `https://api.gumnut.ai`. Immich: required (or `IMMICH_BASE_URL`). */
  readonly baseUrl?: string | undefined
  /** The API key; kept `Redacted` from here on and sent only to `baseUrl`. */
  readonly apiKey?: string | undefined
  /** Albums read at once (default 4). */
  readonly concurrency?: number | undefined
  /**
   * The most characters one asset's JSON may have (default 64 Mi, about 64 MiB).
   *
   * @since 0.2.0
   */
  readonly maxItemSize?: number | undefined
}

/**
 * Analyses one or more albums on a Gumnut (default) or Immich server, with the CLI's HTTP client,
 * retries and error messages (redirects are never followed). An asset listed in several albums is
 * analysed once. Rejects with `InvalidInput` unless `albums` is a non-empty array of strings.
 */
export const analyzeAlbums = (
  albums: ReadonlyArray<string>,
  from?: AlbumsSource,
  options?: AnalysisOptions
): Promise<Analysis> =>
  guarded(() => {
    const invalid = (reason: string) => Effect.fail(new InvalidInput({ function: "analyzeAlbums", reason }))
    if (!Array.isArray(albums) || albums.length === 0 || !albums.every((a) => typeof a === "string")) {
      return invalid(`expected a non-empty array of album ids, got ${describe(albums)}`)
    }
    if (from !== undefined && !isObject(from))
      return invalid(`expected source settings, got ${describe(from)}`)
    const source = from?.source ?? "gumnut"
    if (source !== "gumnut" && source !== "immich") {
      return invalid(`source must be "gumnut" or "immich", got ${JSON.stringify(source).slice(0, 40)}`)
    }
    const baseUrl = from?.baseUrl
    const apiKey = from?.apiKey === undefined ? undefined : Redacted.make(from.apiKey)
    const limits = { maxItemSize: from?.maxItemSize }
    const layer =
      source === "immich"
        ? apiKey !== undefined
          ? Immich.layer({ apiKey, baseUrl: baseUrl ?? process.env.IMMICH_BASE_URL ?? "", ...limits })
          : Immich.layerConfig({ baseUrl, ...limits })
        : apiKey !== undefined
          ? Gumnut.layer({ apiKey, baseUrl, ...limits })
          : Gumnut.layerConfig({ baseUrl, ...limits })
    const items = AlbumSource.listAlbums(albums, { concurrency: from?.concurrency }).pipe(
      Stream.provideLayer(layer),
      // The CLI's client: no global fetch, so no redirect is ever followed (see Http.ts).
      Stream.provideLayer(NodeHttpClient.layerUndici)
    )
    // Immich cannot merge GPS (see `canMergeGps`), unless the caller said otherwise.
    return analyze(
      items,
      source === "immich" ? { ...options, canMergeGps: options?.canMergeGps ?? false } : options
    )
  })

/**
 * Reads a decisions file (JSON, or an edited report.csv) to pass as the `decisions` option.
 * Rejects with a `DecisionsError` naming the file and the entry at fault, or `InvalidInput`.
 *
 * @since 0.2.0
 */
export const readDecisions = (path: string): Promise<Decisions.Decisions> =>
  guarded(() => {
    if (typeof path !== "string" || path === "") {
      return Effect.fail(
        new InvalidInput({ function: "readDecisions", reason: `expected a file path, got ${describe(path)}` })
      )
    }
    return Effect.tryPromise({
      try: () => readFile(path, "utf8"),
      catch: (error) =>
        new Decisions.DecisionsError({
          file: path,
          reason: `cannot read the file: ${FileFailure.reason(error)}`
        })
    }).pipe(Effect.flatMap((text) => Decisions.parse(text, path)))
  })
