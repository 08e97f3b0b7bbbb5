/**
 * The Gumnut source against a real loopback server: both listing styles, several albums, and
 * the fault matrix (rate limits, 5xx, cut bodies, slow and stalled responses, malformed JSON,
 * HTML error pages, 401/403/404/422), asserting on what the server saw and on what came out.
 */
import { brotliCompressSync, constants, gzipSync } from "node:zlib"
import { AlbumSource, Gumnut, Http, Pipeline } from "@albumsift/core"
import { FetchHttpClient, HttpClientRequest } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Layer, Redacted, Stream } from "effect"
import { makeAsset, makeAssets } from "./support/assets.js"
import { listen } from "./support/faults.js"
import {
  type GumnutServer,
  type GumnutServerOptions,
  startGumnutServer,
  startRecordingServer,
  toCursorShape
} from "./support/gumnutServer.js"
import {
  assertExactlyOnce,
  FAST,
  idsOf,
  listThrough,
  typedFailure,
  withEnv,
  withLoopback
} from "./support/sources.js"

const KEY = "apikey_TEST9f8e7d6c5b4a39281706abcdef"

const withServer = <A, E>(options: GumnutServerOptions, f: (server: GumnutServer) => Effect.Effect<A, E>) =>
  withLoopback(() => startGumnutServer(options), f)

/** Lists albums through the real source and the undici client, as the CLI does. */
const list = (
  server: GumnutServer,
  albums: ReadonlyArray<string>,
  options: Partial<Gumnut.GumnutOptions> = {},
  concurrency?: number
) =>
  listThrough(
    Gumnut.make({ apiKey: Redacted.make(KEY), baseUrl: server.url, retry: FAST, ...options }),
    albums,
    concurrency
  )

/** The failure of a listing that must fail, with no items having been accepted. */
const listError = (
  server: GumnutServer,
  albums: ReadonlyArray<string>,
  options: Partial<Gumnut.GumnutOptions> = {}
) => typedFailure(list(server, albums, options), KEY)

const A = "album_R99NCS4MdYwULi9UyBwy4z"
const B = "album_Bq7xTT2mP4kq9ZzYwL3sA1"

describe("Gumnut listing styles", () => {
  it.live("seed route: every asset once, with the key, Accept and User-Agent, one request", () => {
    const assets = makeAssets(0, 250)
    return withServer({ key: KEY, style: "seed", albums: { [A]: assets } }, (server) =>
      Effect.gen(function* () {
        const items = yield* list(server, [A])
        assertExactlyOnce(items, A, assets)
        assert.deepStrictEqual(items[7]?.value, assets[7])
        assert.strictEqual(server.requests.length, 1)
        const seen = server.requests[0]!
        assert.strictEqual(seen.path, `/api/albums/${A}/assets`)
        assert.strictEqual(seen.headers.authorization, `Bearer ${KEY}`)
        assert.strictEqual(seen.headers.accept, "application/json")
        assert.match(seen.headers["user-agent"] ?? "", /^albumsift\/\d+\.\d+\.\d+/)
      })
    )
  })

  it.live(
    "cursor fallback (seed route 405): pages of 200 followed by starting_after_id, mapped to the seed shape",
    () => {
      const assets = makeAssets(0, 450)
      const others = makeAssets(1000, 3)
      return withServer({ key: KEY, style: "cursor", albums: { [A]: assets, [B]: others } }, (server) =>
        Effect.gen(function* () {
          const items = yield* list(server, [A, B], {}, 1)
          assertExactlyOnce(items, A, assets)
          assertExactlyOnce(items, B, others)
          // The newer shape was mapped back: exif from metadata, checksum and device ids from file_data.
          const first = items[0]!.value as Record<string, unknown>
          assert.deepStrictEqual(first.exif, assets[0]!.exif)
          assert.strictEqual(first.checksum, assets[0]!.checksum)
          assert.strictEqual(first.device_id, assets[0]!.device_id)
          assert.strictEqual(first.thumbnail_url, assets[0]!.thumbnail_url)
          const pages = server.requests.filter((r) => r.route === "page" && r.query.album_id === A)
          assert.deepStrictEqual(
            pages.map((p) => p.query.starting_after_id),
            [undefined, assets[199]!.id, assets[399]!.id]
          )
          for (const p of pages) {
            assert.strictEqual(p.query.limit, "200")
            assert.strictEqual(p.query.include, "metadata,faces,people,metrics,file_data")
          }
          // The first album found the seed route gone; the second went straight to the cursor.
          assert.strictEqual(server.count("seed"), 1)
          assert.strictEqual(server.count("album", A), 1)
          assert.strictEqual(server.count("album", B), 1)
        })
      )
    }
  )

  it.live("cursor fallback when the seed route answers 404 but the album exists", () => {
    const assets = makeAssets(0, 5)
    return withServer({ key: KEY, style: "cursor", seedMissing: 404, albums: { [A]: assets } }, (server) =>
      Effect.gen(function* () {
        assertExactlyOnce(yield* list(server, [A]), A, assets)
      })
    )
  })

  it.live("an empty album gives no items and no error", () =>
    withServer({ key: KEY, style: "cursor", albums: { [A]: [] } }, (server) =>
      Effect.gen(function* () {
        assert.deepStrictEqual(yield* list(server, [A]), [])
      })
    )
  )

  it.live("forcing the seed listing on a server without it says to use the cursor listing", () =>
    withServer({ key: KEY, style: "cursor", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        const error = yield* listError(server, [A], { listing: "seed" })
        assert.strictEqual(error._tag, "RequestRejected")
        assert.match(error.message, /HTTP 405.*cursor listing/)
      })
    )
  )

  it.live("forcing the cursor listing on a server without it says to use the seed listing", () =>
    withServer({ key: KEY, style: "seed", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        const error = yield* listError(server, [A], { listing: "cursor" })
        assert.strictEqual(
          error.message,
          `Gumnut rejected the request for album ${A} (HTTP 404): this server has no GET /api/assets listing; use the seed listing`
        )
      })
    )
  )

  it.live("forcing the cursor listing on a server that has both", () => {
    const assets = makeAssets(0, 3)
    return withServer({ key: KEY, style: "cursor", albums: { [A]: assets } }, (server) =>
      Effect.gen(function* () {
        assertExactlyOnce(yield* list(server, [A], { listing: "cursor" }), A, assets)
        assert.strictEqual(server.count("seed"), 0)
      })
    )
  })
})

describe("Gumnut several albums", () => {
  it.live("albums sharing assets: each album's listing complete, shared assets tagged with both", () => {
    const a = makeAssets(0, 120)
    const b = makeAssets(100, 60) // 20 shared with album A
    return withServer({ key: KEY, style: "seed", albums: { [A]: a, [B]: b } }, (server) =>
      Effect.gen(function* () {
        const items = yield* list(server, [A, B, A])
        assertExactlyOnce(items, A, a)
        assertExactlyOnce(items, B, b)
        assert.strictEqual(new Set(idsOf(items)).size, 160)
        assert.strictEqual(server.count("seed", A), 1, "an album given twice is read once")
      })
    )
  })

  it.live("reads at most `concurrency` albums at once", () => {
    const albums = Object.fromEntries(
      Array.from({ length: 6 }, (_, k) => [`album_${k}`, makeAssets(k * 10, 10)])
    )
    return withServer({ key: KEY, style: "seed", albums }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "seed", fault: { kind: "slow", ms: 300 }, times: 6 })
        const items = yield* list(server, Object.keys(albums), {}, 2)
        assert.strictEqual(items.length, 60)
        assert.isAtMost(server.maxInFlight(), 2)
        assert.strictEqual(server.maxInFlight(), 2)
      })
    )
  })
})

describe("Gumnut faults: retried", () => {
  it.live("429 with Retry-After, then 503, then success: 3 requests, every asset once", () => {
    const assets = makeAssets(0, 40)
    return withServer({ key: KEY, style: "seed", albums: { [A]: assets } }, (server) =>
      Effect.gen(function* () {
        // Retry-After asks for an hour; the cap (30 ms in tests, 60 s by default) keeps it bounded.
        server.inject({
          route: "seed",
          fault: {
            kind: "status",
            status: 429,
            body: { detail: "slow down" },
            headers: { "retry-after": "3600" }
          }
        })
        server.inject({
          route: "seed",
          fault: { kind: "status", status: 503, body: { detail: "maintenance" } }
        })
        assertExactlyOnce(yield* list(server, [A]), A, assets)
        assert.strictEqual(server.count("seed"), 3)
        for (const r of server.requests) assert.strictEqual(r.headers.authorization, `Bearer ${KEY}`)
      })
    )
  })

  for (const contentLength of [false, true]) {
    it.live(
      `a seed body cut half-way (socket destroyed, ${contentLength ? "content-length" : "chunked"}) is re-read; assets once`,
      () => {
        const assets = makeAssets(0, 300)
        return withServer({ key: KEY, style: "seed", albums: { [A]: assets } }, (server) =>
          Effect.gen(function* () {
            server.inject({ route: "seed", fault: { kind: "cut", contentLength } })
            assertExactlyOnce(yield* list(server, [A]), A, assets)
            assert.strictEqual(server.count("seed"), 2)
          })
        )
      }
    )
  }

  it.live("a cursor page cut half-way is fetched again; no duplicates, nothing lost", () => {
    const assets = makeAssets(0, 450)
    return withServer({ key: KEY, style: "cursor", albums: { [A]: assets } }, (server) =>
      Effect.gen(function* () {
        // The second page request is cut (the first page request is the first "page" match).
        server.inject({
          route: "page",
          fault: { kind: "status", status: 502, body: { detail: "bad gateway" } }
        })
        server.inject({ route: "page", fault: { kind: "cut" } })
        assertExactlyOnce(yield* list(server, [A]), A, assets)
        assert.strictEqual(server.count("page"), 5)
      })
    )
  })

  it.live("a response slower than the timeout is abandoned and retried", () => {
    const assets = makeAssets(0, 10)
    return withServer({ key: KEY, style: "seed", albums: { [A]: assets } }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "seed", fault: { kind: "slow", ms: 4000 } })
        assertExactlyOnce(yield* list(server, [A]), A, assets)
        assert.strictEqual(server.count("seed"), 2)
      })
    )
  })

  it.live("a body that stalls longer than the timeout is abandoned and re-read", () => {
    const assets = makeAssets(0, 100)
    return withServer({ key: KEY, style: "seed", albums: { [A]: assets } }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "seed", fault: { kind: "stall", ms: 4000 } })
        assertExactlyOnce(yield* list(server, [A]), A, assets)
        assert.strictEqual(server.count("seed"), 2)
      })
    )
  })

  it.live(
    "timeouts: a long listing may trickle in (only stalls count); a page must arrive whole in time",
    () => {
      const assets = makeAssets(0, 60)
      // About 2.4 s in all (past the 1.5 s timeout), in gaps of 300 ms (well within it).
      const trickle = { kind: "trickle", pieces: 8, everyMs: 300 } as const
      return Effect.gen(function* () {
        yield* withServer({ key: KEY, style: "seed", albums: { [A]: assets } }, (server) =>
          Effect.gen(function* () {
            server.inject({ route: "seed", fault: trickle })
            assertExactlyOnce(yield* list(server, [A]), A, assets)
            assert.strictEqual(server.count("seed"), 1, "the streamed listing was not cut short")
          })
        )
        yield* withServer({ key: KEY, style: "cursor", albums: { [A]: assets } }, (server) =>
          Effect.gen(function* () {
            server.inject({ route: "page", fault: trickle })
            assertExactlyOnce(yield* list(server, [A]), A, assets)
            assert.strictEqual(server.count("page"), 2, "the slow page was abandoned and fetched again")
          })
        )
      })
    }
  )

  it.live("malformed JSON once is retried; every asset once", () => {
    const assets = makeAssets(0, 30)
    return withServer({ key: KEY, style: "seed", albums: { [A]: assets } }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "seed", fault: { kind: "malformed" } })
        assertExactlyOnce(yield* list(server, [A]), A, assets)
      })
    )
  })

  it.live("x-should-retry overrides the status rule both ways", () =>
    withServer({ key: KEY, style: "seed", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        server.inject({
          route: "seed",
          fault: {
            kind: "status",
            status: 400,
            body: { detail: "try again" },
            headers: { "x-should-retry": "true" }
          }
        })
        assert.strictEqual((yield* list(server, [A])).length, 3)
        assert.strictEqual(server.count("seed"), 2)
        server.inject({
          route: "seed",
          fault: {
            kind: "status",
            status: 503,
            body: { detail: "do not" },
            headers: { "x-should-retry": "false" }
          }
        })
        const error = yield* listError(server, [A])
        assert.strictEqual(error._tag, "SourceUnavailable")
        assert.match(error.message, /after 1 attempt: HTTP 503 Service Unavailable: do not$/)
        assert.strictEqual(server.count("seed"), 3)
      })
    )
  )
})

describe("Gumnut faults: final errors", () => {
  it.live("persistent 503: the default 4 retries (5 attempts), then status, album and detail", () =>
    withServer({ key: KEY, style: "seed", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        server.inject({
          route: "seed",
          fault: { kind: "status", status: 503, body: { detail: "maintenance" } },
          times: 99
        })
        const error = yield* listError(server, [A])
        assert.strictEqual(error._tag, "SourceUnavailable")
        assert.strictEqual(
          error.message,
          `Gumnut: could not read album ${A} after 5 attempts: HTTP 503 Service Unavailable: maintenance`
        )
        assert.strictEqual(server.count("seed"), 5)
      })
    )
  )

  it.live("retries are configurable", () =>
    withServer({ key: KEY, style: "seed", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "seed", fault: { kind: "status", status: 500 }, times: 99 })
        yield* listError(server, [A], { retry: { ...FAST, retries: 7 } })
        assert.strictEqual(server.count("seed"), 8)
      })
    )
  )

  it.live("an HTML 502 page from a proxy: says the body is HTML, never a parse stack", () =>
    withServer({ key: KEY, style: "seed", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "seed", fault: { kind: "html", status: 502 }, times: 99 })
        const error = yield* listError(server, [A])
        assert.strictEqual(
          error.message,
          `Gumnut: could not read album ${A} after 5 attempts: HTTP 502 Bad Gateway (the body is an HTML page, not JSON ("502 Bad Gateway"))`
        )
        assert.notInclude(error.message, "<")
      })
    )
  )

  it.live(
    "persistently malformed JSON fails after the retries with a clear reason; nothing is accepted",
    () =>
      withServer({ key: KEY, style: "seed", albums: { [A]: makeAssets(0, 30) } }, (server) =>
        Effect.gen(function* () {
          server.inject({ route: "seed", fault: { kind: "malformed" }, times: 99 })
          const error = yield* listError(server, [A])
          assert.strictEqual(error._tag, "SourceUnavailable")
          assert.match(
            error.message,
            new RegExp(
              `^Gumnut: could not read album ${A} after 5 attempts: the response is not valid JSON: `
            )
          )
        })
      )
  )

  it.live("a body cut on every attempt fails after the retries", () =>
    withServer({ key: KEY, style: "cursor", albums: { [A]: makeAssets(0, 30) } }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "page", fault: { kind: "cut" }, times: 99 })
        const error = yield* listError(server, [A])
        assert.match(error.message, /after 5 attempts: the response body was cut off/)
      })
    )
  )

  it.live("401 (wrong key): one line with the album and the server's detail; not retried; no key", () =>
    withServer({ key: KEY, style: "seed", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        const source = yield* Gumnut.make({
          apiKey: Redacted.make("apikey_WRONGwrongWRONG"),
          baseUrl: server.url,
          retry: FAST
        })
        const e = yield* typedFailure(
          Stream.runCollect(source.list(A)).pipe(Effect.provide(NodeHttpClient.layerUndici)),
          "WRONG"
        )
        assert.strictEqual(e._tag, "AuthenticationFailed")
        assert.strictEqual(
          e.message,
          `Gumnut rejected the API key (HTTP 401) for album ${A}: Invalid API key; check GUMNUT_API_KEY`
        )
        assert.strictEqual(server.requests.length, 1)
      }).pipe(Effect.provide(NodeHttpClient.layerUndici))
    )
  )

  it.live("403: access denied, not retried", () =>
    withServer({ key: KEY, style: "seed", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        server.inject({
          route: "seed",
          fault: { kind: "status", status: 403, body: { detail: "Key lacks access to this album" } }
        })
        const error = yield* listError(server, [A])
        assert.strictEqual(
          error.message,
          `Gumnut denied access (HTTP 403) for album ${A}: Key lacks access to this album; check GUMNUT_API_KEY`
        )
        assert.strictEqual(server.count("seed"), 1)
      })
    )
  )

  it.live("404: album <id> not found (checked on the album route), not retried", () =>
    withServer({ key: KEY, style: "seed", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        const error = yield* listError(server, ["album_doesNotExist0000000000"])
        assert.strictEqual(error._tag, "AlbumNotFound")
        assert.strictEqual(error.message, "Gumnut: album album_doesNotExist0000000000 not found (HTTP 404)")
        assert.strictEqual(server.count("seed"), 1)
        assert.strictEqual(server.count("album"), 1)
      })
    )
  )

  it.live("404 in cursor style too", () =>
    withServer({ key: KEY, style: "cursor", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        const error = yield* listError(server, ["album_missing"], { listing: "cursor" })
        assert.strictEqual(error._tag, "AlbumNotFound")
        assert.strictEqual(server.count("page"), 0)
      })
    )
  )

  it.live("422: the server's validation detail, not retried", () =>
    withServer({ key: KEY, style: "cursor", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        server.inject({
          route: "page",
          fault: {
            kind: "status",
            status: 422,
            body: {
              detail: [
                { loc: ["query", "include"], msg: "Unknown include value: file_data", type: "value_error" }
              ]
            }
          }
        })
        const error = yield* listError(server, [A])
        assert.strictEqual(error._tag, "RequestRejected")
        assert.strictEqual(
          error.message,
          `Gumnut rejected the request for album ${A} (HTTP 422): query.include: Unknown include value: file_data`
        )
        assert.strictEqual(server.count("page"), 1)
      })
    )
  )

  it.live("a seed listing that changed between attempts fails clearly instead of stitching two reads", () => {
    const assets = makeAssets(0, 300)
    return withServer({ key: KEY, style: "seed", albums: { [A]: assets } }, (server) =>
      Effect.gen(function* () {
        server.inject({
          route: "seed",
          fault: { kind: "cut" },
          after: () => {
            server.albums[A] = [...assets].reverse()
          }
        })
        const error = yield* listError(server, [A])
        assert.strictEqual(error._tag, "AlbumChanged")
        assert.match(
          error.message,
          new RegExp(`^Gumnut: album ${A} changed while it was being re-read .*; run again$`)
        )
      })
    )
  })

  it.live("a server echoing the key in its detail does not get it printed", () =>
    withServer({ key: KEY, style: "seed", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        server.inject({
          route: "seed",
          fault: { kind: "status", status: 400, body: { detail: `malformed key ${KEY}` } }
        })
        const error = yield* listError(server, [A])
        assert.include(error.message, "malformed key [redacted]")
      })
    )
  )
})

describe("Gumnut key safety", () => {
  it.live("the key goes only to the API's origin, never to other hosts (CDN links)", () =>
    Effect.gen(function* () {
      const cdn = yield* Effect.acquireRelease(
        Effect.promise(() => startRecordingServer()),
        (s) => Effect.promise(() => s.close())
      )
      const api = yield* Http.make({
        service: "Gumnut",
        baseUrl: new URL("http://127.0.0.1:9/"),
        credentials: { header: "authorization", key: Redacted.make(KEY), variable: "GUMNUT_API_KEY" },
        retry: FAST
      })
      yield* Effect.scoped(api.send(HttpClientRequest.get(`${cdn.url}/thumbnails/asset_x.webp?Signature=s`)))
      assert.strictEqual(cdn.requests.length, 1)
      assert.isUndefined(cdn.requests[0]!.headers.authorization)
      assert.notInclude(JSON.stringify(cdn.requests), KEY)
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))
  )

  it.live("a redirect is not followed, so the key cannot travel to the host it points at", () =>
    Effect.gen(function* () {
      const cdn = yield* Effect.acquireRelease(
        Effect.promise(() => startRecordingServer()),
        (s) => Effect.promise(() => s.close())
      )
      const server = yield* Effect.acquireRelease(
        Effect.promise(() =>
          startGumnutServer({ key: KEY, style: "seed", albums: { [A]: makeAssets(0, 3) } })
        ),
        (s) => Effect.promise(() => s.close())
      )
      server.inject({
        route: "seed",
        fault: { kind: "status", status: 302, headers: { location: `${cdn.url}/steal?token=abc` } }
      })
      const error = yield* listError(server, [A])
      assert.strictEqual(error._tag, "RequestRejected")
      assert.strictEqual(
        error.message,
        `Gumnut rejected the request for album ${A} (HTTP 302): a redirect to ${cdn.url}, not followed`
      )
      assert.strictEqual(cdn.requests.length, 0)
      assert.strictEqual(server.count("seed"), 1)
    }).pipe(Effect.scoped)
  )

  it.live("even over a fetch-based client, a redirect is not followed (the key stays home)", () =>
    Effect.gen(function* () {
      const cdn = yield* Effect.acquireRelease(
        Effect.promise(() => startRecordingServer()),
        (s) => Effect.promise(() => s.close())
      )
      const server = yield* Effect.acquireRelease(
        Effect.promise(() =>
          startGumnutServer({ key: KEY, style: "seed", albums: { [A]: makeAssets(0, 3) } })
        ),
        (s) => Effect.promise(() => s.close())
      )
      server.inject({
        route: "seed",
        fault: { kind: "status", status: 308, headers: { location: `${cdn.url}/api/albums/${A}/assets` } }
      })
      const source = yield* Gumnut.make({ apiKey: Redacted.make(KEY), baseUrl: server.url, retry: FAST })
      const error = yield* typedFailure(Stream.runCollect(source.list(A)), KEY)
      assert.strictEqual(error._tag, "RequestRejected")
      assert.strictEqual(cdn.requests.length, 0)
    }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer))
  )

  it.live("no request to the API carries the key in its URL", () =>
    withServer({ key: KEY, style: "cursor", albums: { [A]: makeAssets(0, 250) } }, (server) =>
      Effect.gen(function* () {
        yield* list(server, [A])
        for (const r of server.requests) {
          assert.notInclude(`${r.path}?${new URLSearchParams(r.query)}`, KEY)
          assert.strictEqual(r.headers.authorization, `Bearer ${KEY}`)
        }
      })
    )
  )

  it.live("a connection error names the cause, not the key", () =>
    Effect.gen(function* () {
      const source = yield* Gumnut.make({
        apiKey: Redacted.make(KEY),
        baseUrl: "http://127.0.0.1:9",
        retry: { ...FAST, retries: 1 }
      })
      const { message } = yield* typedFailure(Stream.runCollect(source.list(A)), KEY)
      assert.match(
        message,
        new RegExp(`^Gumnut: could not read album ${A} after 2 attempts: connection failed: .*ECONNREFUSED`)
      )
    }).pipe(Effect.provide(NodeHttpClient.layerUndici))
  )

  const buildWith = (env: Record<string, string>) =>
    Layer.build(Gumnut.layerConfig()).pipe(
      Effect.scoped,
      withEnv(env),
      Effect.provide(NodeHttpClient.layerUndici),
      Effect.flip
    )

  it.live("a missing or blank key, or a bad base URL, is a one-line configuration error", () =>
    Effect.gen(function* () {
      const missing = yield* buildWith({})
      assert.strictEqual(
        missing.message,
        "Gumnut: GUMNUT_API_KEY is not set; export your Gumnut API key in it"
      )
      const blank = yield* buildWith({ GUMNUT_API_KEY: "  " })
      assert.strictEqual(blank._tag, "SourceConfigError")
      const badUrl = yield* buildWith({ GUMNUT_API_KEY: KEY, GUMNUT_BASE_URL: "ftp://example" })
      assert.match(badUrl.message, /^Gumnut: the base URL "ftp:\/\/example" is not an http\(s\) URL/)
      assert.notInclude(badUrl.message, KEY)
    })
  )

  it.live("GUMNUT_BASE_URL and GUMNUT_API_KEY configure the layer", () => {
    const assets = makeAssets(0, 4)
    return withServer({ key: KEY, style: "seed", albums: { [A]: assets } }, (server) =>
      AlbumSource.listAlbums([A]).pipe(
        Stream.runCollect,
        Effect.provide(Gumnut.layerConfig({ retry: FAST })),
        withEnv({ GUMNUT_API_KEY: KEY, GUMNUT_BASE_URL: server.url }),
        Effect.provide(NodeHttpClient.layerUndici),
        Effect.map((items) => assertExactlyOnce(Chunk.toReadonlyArray(items), A, assets))
      )
    )
  })

  it.live("Gumnut.listAlbums: the one call a CLI makes (env key, explicit base URL, options)", () => {
    const a = makeAssets(0, 5)
    const b = makeAssets(3, 5)
    return withServer({ key: KEY, style: "cursor", albums: { [A]: a, [B]: b } }, (server) =>
      Gumnut.listAlbums([A, B], { baseUrl: server.url, retry: FAST, concurrency: 2 }).pipe(
        Stream.runCollect,
        withEnv({ GUMNUT_API_KEY: KEY }),
        Effect.provide(NodeHttpClient.layerUndici),
        Effect.tap((items) => {
          assertExactlyOnce(Chunk.toReadonlyArray(items), A, a)
          assertExactlyOnce(Chunk.toReadonlyArray(items), B, b)
        })
      )
    )
  })

  it.live("end to end with the pipeline: shared assets analysed once, recorded with both albums", () => {
    const a = makeAssets(0, 120)
    const b = makeAssets(100, 60)
    return withServer({ key: KEY, style: "seed", albums: { [A]: a, [B]: b } }, (server) =>
      Effect.gen(function* () {
        const source = yield* Gumnut.make({ apiKey: Redacted.make(KEY), baseUrl: server.url, retry: FAST })
        server.inject({ route: "seed", album: B, fault: { kind: "cut" } })
        const analysis = yield* Pipeline.analyze(AlbumSource.listAlbums([A, B])).pipe(
          Effect.provideService(AlbumSource.AlbumSource, source)
        )
        assert.strictEqual(analysis.summary.inputItems, 180)
        assert.strictEqual(analysis.summary.assets, 160)
        assert.strictEqual(analysis.summary.duplicateIds, 20)
        assert.strictEqual(analysis.summary.rejected, 0)
        const byId = new Map([...analysis.assets].map((x) => [x.id, x]))
        assert.deepStrictEqual(byId.get(a[110]!.id as string)?.albums, [A, B].sort())
        assert.deepStrictEqual(byId.get(a[0]!.id as string)?.albums, [A])
        assert.deepStrictEqual(byId.get(b[59]!.id as string)?.albums, [B])
      }).pipe(Effect.provide(NodeHttpClient.layerUndici))
    )
  })
})

describe("Gumnut hostile answers: no silent truncation, no endless listing", () => {
  const page = (assets: ReadonlyArray<Record<string, unknown>>, envelope: Record<string, unknown>) =>
    ({ kind: "status", status: 200, body: { data: assets.map(toCursorShape), ...envelope } }) as const

  for (const [name, envelope] of [
    ['has_more: "true" (a string)', { has_more: "true" }],
    ["no has_more at all", {}],
    ["has_more: null", { has_more: null }]
  ] as const) {
    it.live(`a cursor page with ${name} is an error, not the end of the album`, () => {
      const assets = makeAssets(0, 120)
      return withServer({ key: KEY, style: "cursor", albums: { [A]: assets } }, (server) =>
        Effect.gen(function* () {
          server.inject({ route: "page", fault: page(assets.slice(0, 60), envelope) })
          const error = yield* listError(server, [A])
          assert.strictEqual(error._tag, "UnexpectedResponse")
          assert.include(
            error.message,
            'expected a page {"data": [...], "has_more": true|false} from /api/assets'
          )
          assert.strictEqual(server.count("page"), 1)
        })
      )
    })
  }

  it.live("a bare array from the cursor route is an error", () =>
    withServer({ key: KEY, style: "cursor", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "page", fault: { kind: "status", status: 200, body: makeAssets(0, 3) } })
        const error = yield* listError(server, [A])
        assert.include(error.message, "got a bare array")
      })
    )
  )

  it.live("has_more: true with an empty page is an error", () =>
    withServer({ key: KEY, style: "cursor", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "page", fault: page([], { has_more: true }) })
        const error = yield* listError(server, [A])
        assert.include(error.message, "a page says has_more but lists no assets")
      })
    )
  )

  it.live("a cursor that keeps inventing fresh ids stops at the page ceiling, with a clear error", () =>
    withServer({ key: KEY, style: "cursor", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        for (let p = 0; p < 20; p++)
          server.inject({ route: "page", fault: page(makeAssets(p * 10, 10), { has_more: true }) })
        const error = yield* listError(server, [A], { maxPages: 5 })
        assert.strictEqual(error._tag, "UnexpectedResponse")
        assert.include(error.message, "the listing still had more after 5 pages (the page ceiling, maxPages)")
        assert.strictEqual(server.count("page"), 5)
      })
    )
  )

  it.live("a page that lists an asset again (a loop behind a fresh cursor) is an error", () =>
    withServer({ key: KEY, style: "cursor", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        const first = makeAssets(0, 10)
        server.inject({ route: "page", fault: page(first, { has_more: true }) })
        server.inject({
          route: "page",
          fault: page([...first.slice(0, 9), makeAsset(77)], { has_more: true })
        })
        const error = yield* listError(server, [A])
        assert.include(error.message, `asset ${first[0]!.id as string} was listed twice: the paging loops`)
      })
    )
  )

  it.live("a page with more assets than asked for is an error", () =>
    withServer({ key: KEY, style: "cursor", albums: { [A]: makeAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "page", fault: page(makeAssets(0, 12), { has_more: false }) })
        const error = yield* listError(server, [A], { pageSize: 10 })
        assert.include(error.message, "a page has 12 assets, more than the 10 asked for")
      })
    )
  )

  it.live(
    "a seed listing trickled slower than its deadline fails once, naming the deadline (not retried)",
    () =>
      withServer({ key: KEY, style: "seed", albums: { [A]: makeAssets(0, 200) } }, (server) =>
        Effect.gen(function* () {
          // Never idle for long (each gap is far below the timeout), but slow as a whole.
          server.inject({ route: "seed", fault: { kind: "trickle", pieces: 40, everyMs: 50 }, times: 9 })
          const error = yield* listError(server, [A], { retry: { ...FAST, deadline: "400 millis" } })
          assert.strictEqual(error._tag, "SourceUnavailable")
          assert.include(error.message, "after 1 attempt: the listing did not finish within 400ms")
          assert.strictEqual(server.count("seed"), 1)
        })
      )
  )

  it.live("the deadline defaults to 10 × the timeout", () =>
    withServer({ key: KEY, style: "seed", albums: { [A]: makeAssets(0, 200) } }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "seed", fault: { kind: "trickle", pieces: 60, everyMs: 50 }, times: 9 })
        const error = yield* listError(server, [A], { retry: { ...FAST, timeout: "200 millis" } })
        assert.include(error.message, "did not finish within 2s")
      })
    )
  )

  it.live(
    "one item larger than the size cap fails the listing in one line naming the cap (not retried)",
    () => {
      const assets = [makeAsset(0), makeAsset(1, { exif: { description: "x".repeat(40_000) } }), makeAsset(2)]
      return withServer({ key: KEY, style: "seed", albums: { [A]: assets } }, (server) =>
        Effect.gen(function* () {
          const error = yield* listError(server, [A], { maxItemSize: 32 * 1024 })
          assert.strictEqual(error._tag, "SourceUnavailable")
          assert.include(error.message, "an item is larger than the 32 KiB item size cap")
          assert.strictEqual(server.count("seed"), 1)
        })
      )
    }
  )

  it.live("an item that never ends is cut off at the cap, not read for ever", () =>
    Effect.gen(function* () {
      const endless = yield* Effect.acquireRelease(
        Effect.promise(() =>
          listen(async (req, res) => {
            res.writeHead(200, { "content-type": "application/json" })
            res.write(`[{"id":"asset_x","exif":{"description":"`)
            const chunk = "y".repeat(16 * 1024)
            while (!res.destroyed && !req.destroyed) {
              if (!res.write(chunk)) await new Promise((r) => res.once("drain", r))
            }
          })
        ),
        (s) => Effect.promise(() => s.close())
      )
      const source = yield* Gumnut.make({
        apiKey: Redacted.make(KEY),
        baseUrl: endless.url,
        listing: "seed",
        retry: FAST,
        maxItemSize: 1024 * 1024
      })
      const { message } = yield* typedFailure(Stream.runCollect(source.list(A)), KEY)
      assert.include(message, "an item is larger than the 1 MiB item size cap")
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))
  )

  it.live("one asset nested 3,000 levels deep is rejected on its own; the rest is analysed", () => {
    const assets = [makeAsset(0), makeAsset(1), makeAsset(2)]
    // Sent as text, so no recursive serializer on the server side meets the depth first.
    const deep = `${"[".repeat(3000)}"x"${"]".repeat(3000)}`
    const body = `[${JSON.stringify(assets[0])},${JSON.stringify({ ...assets[1], exif: null }).replace('"exif":null', `"exif":${deep}`)},${JSON.stringify(assets[2])}]`
    return withServer({ key: KEY, style: "seed", albums: { [A]: assets } }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "seed", fault: { kind: "status", status: 200, body } })
        const source = yield* Gumnut.make({ apiKey: Redacted.make(KEY), baseUrl: server.url, retry: FAST })
        const analysis = yield* Pipeline.analyze(AlbumSource.listAlbums([A])).pipe(
          Effect.provideService(AlbumSource.AlbumSource, source)
        )
        assert.strictEqual(analysis.summary.assets, 2)
        assert.strictEqual(analysis.rejected.length, 1)
        assert.strictEqual(analysis.rejected[0]!.index, 1)
        assert.include(analysis.rejected[0]!.reason, "nested more than 64 levels deep")
      }).pipe(Effect.provide(NodeHttpClient.layerUndici))
    )
  })
})

describe("Gumnut compressed answers (Accept-Encoding: gzip, br)", () => {
  /** A seed-route server that answers in `encoding` (or as asked), recording what was asked. */
  const compressing = (assets: ReadonlyArray<Record<string, unknown>>, encoding?: "gzip" | "br") =>
    Effect.gen(function* () {
      const asked: Array<string | undefined> = []
      let sent = 0
      const server = yield* Effect.acquireRelease(
        Effect.promise(() =>
          listen(async (req, res) => {
            asked.push(req.headers["accept-encoding"])
            const use = encoding ?? (/\bbr\b/.test(req.headers["accept-encoding"] ?? "") ? "br" : "gzip")
            const text = Buffer.from(JSON.stringify(assets))
            // Brotli's default quality (11) is slow on a busy machine; servers use 4-6 for live answers.
            const body =
              use === "br"
                ? brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
                : gzipSync(text)
            sent += body.length
            res.writeHead(200, { "content-type": "application/json", "content-encoding": use })
            // In pieces, so the decoder works across chunk boundaries.
            for (let i = 0; i < body.length; i += 997) res.write(body.subarray(i, i + 997))
            res.end()
          })
        ),
        (s) => Effect.promise(() => s.close())
      )
      return { server, asked, sent: () => sent, raw: Buffer.byteLength(JSON.stringify(assets)) }
    })

  for (const encoding of ["gzip", "br"] as const) {
    for (const [client, layer] of [
      ["undici", NodeHttpClient.layerUndici],
      ["fetch", FetchHttpClient.layer]
    ] as const) {
      it.live(`a ${encoding} listing is decoded as a stream (${client} client)`, () => {
        const assets = makeAssets(0, 400)
        return Effect.gen(function* () {
          const { server, asked, sent, raw } = yield* compressing(assets, encoding)
          const source = yield* Gumnut.make({
            apiKey: Redacted.make(KEY),
            baseUrl: server.url,
            listing: "seed",
            retry: FAST
          })
          const items = Chunk.toReadonlyArray(yield* Stream.runCollect(source.list(A)))
          assertExactlyOnce(items, A, assets)
          assert.deepStrictEqual(items[5]?.value, assets[5])
          if (client === "undici") assert.strictEqual(asked[0], "gzip, br")
          assert.isBelow(sent(), raw / 3)
        }).pipe(Effect.scoped, Effect.provide(layer))
      })
    }
  }

  it.live("a compressed error body is decoded for the message", () =>
    Effect.gen(function* () {
      const server = yield* Effect.acquireRelease(
        Effect.promise(() =>
          listen(async (_req, res) => {
            const body = gzipSync(Buffer.from(JSON.stringify({ detail: "Album not visible to this key" })))
            res.writeHead(403, { "content-type": "application/json", "content-encoding": "gzip" })
            res.end(body)
          })
        ),
        (s) => Effect.promise(() => s.close())
      )
      const source = yield* Gumnut.make({
        apiKey: Redacted.make(KEY),
        baseUrl: server.url,
        listing: "seed",
        retry: FAST
      })
      const error = yield* typedFailure(Stream.runCollect(source.list(A)), KEY)
      assert.include(error.message, "Album not visible to this key")
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))
  )

  it.live("a broken gzip body is retried, then fails in one line", () =>
    Effect.gen(function* () {
      let requests = 0
      const server = yield* Effect.acquireRelease(
        Effect.promise(() =>
          listen(async (_req, res) => {
            requests++
            res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" })
            res.end(Buffer.from("this is not gzip at all"))
          })
        ),
        (s) => Effect.promise(() => s.close())
      )
      const source = yield* Gumnut.make({
        apiKey: Redacted.make(KEY),
        baseUrl: server.url,
        listing: "seed",
        retry: { ...FAST, retries: 2 }
      })
      const error = yield* typedFailure(Stream.runCollect(source.list(A)), KEY)
      assert.match(error.message, /after 3 attempts: the compressed response could not be decoded/)
      assert.strictEqual(requests, 3)
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))
  )
})
