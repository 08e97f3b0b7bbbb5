/**
 * Harness shared by the source tests (Gumnut, Immich): a loopback server for the length of an
 * effect, a real source listed through the undici client, the typed failure of a listing that
 * must fail (one line, no key), and the "every asset exactly once" check.
 */
import { AlbumSource, type Http, type SourceItem } from "@albumsift/core"
import type { HttpClient } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert } from "@effect/vitest"
import { Cause, Chunk, ConfigProvider, Effect, Exit, Stream } from "effect"

/**
 * Tiny retry delays so the fault matrices run fast. The timeout stays well above any real loopback
 * answer (even on a loaded CI machine), so only the injected slow and stalled responses hit it.
 */
export const FAST: Partial<Http.RetryOptions> = {
  baseDelay: "2 millis",
  maxDelay: "10 millis",
  maxRetryAfter: "30 millis",
  timeout: "1500 millis"
}

/** Runs `f` with a server from `start`, closing it afterwards whatever happens. */
export const withLoopback = <S extends { close(): Promise<void> }, A, E, R>(
  start: () => Promise<S>,
  f: (server: S) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.acquireUseRelease(Effect.promise(start), f, (server) => Effect.promise(() => server.close()))

/** Lists albums through a real source (built by `source`) and the undici client, as the CLI does. */
export const listThrough = <E>(
  source: Effect.Effect<AlbumSource.Service, E, HttpClient.HttpClient>,
  albums: ReadonlyArray<string>,
  concurrency?: number
): Effect.Effect<ReadonlyArray<SourceItem.SourceItem>, E | AlbumSource.SourceError> =>
  Effect.gen(function* () {
    const built = yield* source
    const items = yield* AlbumSource.listAlbums(albums, { concurrency }).pipe(
      Stream.runCollect,
      Effect.provideService(AlbumSource.AlbumSource, built)
    )
    return Chunk.toReadonlyArray(items)
  }).pipe(Effect.provide(NodeHttpClient.layerUndici))

/**
 * The typed failure of an effect that must fail. Its message must be one line, without `secret`
 * (the API key, or part of it) and without a stack frame.
 */
export const typedFailure = <A, E extends { readonly message: string }, R>(
  effect: Effect.Effect<A, E, R>,
  secret: string
): Effect.Effect<E, never, R> =>
  Effect.map(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit)) return assert.fail("the listing should have failed")
    const error = Cause.failureOption(exit.cause)
    if (error._tag !== "Some") return assert.fail(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
    const message = error.value.message
    assert.notInclude(message, secret)
    assert.notInclude(message, "\n")
    assert.notMatch(message, /\bat .*\.(js|ts):\d+/)
    return error.value
  })

/** Runs an effect with configuration read from `env` only (no process environment). */
export const withEnv =
  (env: Record<string, string>) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.withConfigProvider(effect, ConfigProvider.fromMap(new Map(Object.entries(env))))

/** The ids of listed items, in order. */
export const idsOf = (items: ReadonlyArray<SourceItem.SourceItem>) =>
  items.map((i) => (i.value as { id: string }).id)

/** Asserts every asset of the album came out exactly once, in order, with indexes 0..n-1. */
export const assertExactlyOnce = (
  items: ReadonlyArray<SourceItem.SourceItem>,
  album: string,
  assets: ReadonlyArray<Record<string, unknown>>
) => {
  const mine = items.filter((i) => i.album === album)
  assert.deepStrictEqual(
    idsOf(mine),
    assets.map((a) => a.id as string)
  )
  assert.deepStrictEqual(
    mine.map((i) => i.index),
    assets.map((_, k) => k)
  )
}
