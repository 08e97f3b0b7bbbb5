/**
 * A plain-Promise facade for callers who do not use Effect: the same analysis and the same
 * sources as the CLI, each one async function. Every function rejects with the real error
 * (an `InvalidOptions`, a `JsonInputError`, an `AuthenticationFailed`...), never a FiberFailure.
 */
import { createReadStream } from "node:fs"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Cause, Effect, Exit, Redacted, Stream } from "effect"
import type { Analysis } from "./Analysis.js"
import { analyze, analyzeValues } from "./engine/Pipeline.js"
import type { AnalysisOptions } from "./Options.js"
import * as AlbumSource from "./source/AlbumSource.js"
import * as Gumnut from "./source/Gumnut.js"
import * as Immich from "./source/Immich.js"
import * as JsonInput from "./source/JsonInput.js"

const run = async <A, E>(effect: Effect.Effect<A, E>): Promise<A> => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return exit.value
  // `originalError` strips the span proxy Effect may put around a thrown Error.
  throw Cause.originalError(Cause.squash(exit.cause))
}

/**
 * Analyses an album given as raw asset objects (an array, any iterable, or an async iterable).
 * Rejects with the real error (an `InvalidOptions`, or whatever the async iterable threw).
 */
export const analyzeAssets = (
  input: Iterable<unknown> | AsyncIterable<unknown>,
  options?: AnalysisOptions
): Promise<Analysis> => {
  const stream: Stream.Stream<unknown, unknown> =
    Symbol.asyncIterator in input
      ? Stream.rechunk(
          Stream.fromAsyncIterable(input as AsyncIterable<unknown>, (error) => error),
          1024
        )
      : Stream.fromIterable(input as Iterable<unknown>)
  return run(analyzeValues(stream, options))
}

/**
 * Analyses an exported album file, streamed (a JSON array, a cursor page `{data, has_more}` or
 * NDJSON; detected). Rejects with a `JsonInputError` for a broken document, or the file error.
 */
export const analyzeFile = (path: string, options?: AnalysisOptions): Promise<Analysis> => {
  const bytes = Stream.fromAsyncIterable(
    createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>,
    (error) => error
  )
  return run(analyze(JsonInput.items(bytes, { input: path }), options))
}

/** Where `analyzeAlbums` reads from. The key defaults to `GUMNUT_API_KEY` / `IMMICH_API_KEY`. */
export interface AlbumsSource {
  readonly source?: "gumnut" | "immich" | undefined
  /** Gumnut: default `GUMNUT_BASE_URL`, else `https://api.gumnut.ai`. Immich: required (or `IMMICH_BASE_URL`). */
  readonly baseUrl?: string | undefined
  /** The API key; kept `Redacted` from here on and sent only to `baseUrl`. */
  readonly apiKey?: string | undefined
  /** Albums read at once (default 4). */
  readonly concurrency?: number | undefined
}

/**
 * Analyses one or more albums on a Gumnut (default) or Immich server, with the CLI's retries and
 * error messages. An asset listed in several albums is analysed once.
 */
export const analyzeAlbums = (
  albums: ReadonlyArray<string>,
  from?: AlbumsSource,
  options?: AnalysisOptions
): Promise<Analysis> => {
  const baseUrl = from?.baseUrl
  const apiKey = from?.apiKey === undefined ? undefined : Redacted.make(from.apiKey)
  const layer =
    from?.source === "immich"
      ? apiKey !== undefined
        ? Immich.layer({ apiKey, baseUrl: baseUrl ?? process.env.IMMICH_BASE_URL ?? "" })
        : Immich.layerConfig({ baseUrl })
      : apiKey !== undefined
        ? Gumnut.layer({ apiKey, baseUrl })
        : Gumnut.layerConfig({ baseUrl })
  const items = AlbumSource.listAlbums(albums, { concurrency: from?.concurrency }).pipe(
    Stream.provideLayer(layer),
    // The CLI's client: no global fetch, so no redirect is ever followed (see Http.ts).
    Stream.provideLayer(NodeHttpClient.layerUndici)
  )
  return run(analyze(items, options))
}
