/**
 * The Immich source against a real loopback server: v2 (album route with assets) and v3 (search
 * pages), version detection and its fallback, the mapping into the core's shape, the shared retry
 * and error behaviour, and key safety (`x-api-key` to the base URL only).
 */
import { AlbumSource, Immich, ImmichAsset, Pipeline } from "@albumsift/core"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Redacted, Stream } from "effect"
import { makeImmichAsset, makeImmichAssets, uuid } from "./support/immichAssets.js"
import { type ImmichServer, type ImmichServerOptions, startImmichServer } from "./support/immichServer.js"
import {
  assertExactlyOnce,
  FAST,
  listThrough,
  typedFailure,
  withEnv,
  withLoopback
} from "./support/sources.js"

const KEY = "kXb1mT9qLw0R3vY7uP2sZ8nC4dF6gH5jJ1aQe"

const withServer = <A, E>(options: ImmichServerOptions, f: (server: ImmichServer) => Effect.Effect<A, E>) =>
  withLoopback(() => startImmichServer(options), f)

const source = (server: ImmichServer, options: Partial<Immich.ImmichOptions> = {}) =>
  Immich.make({ apiKey: Redacted.make(KEY), baseUrl: server.url, retry: FAST, ...options })

const list = (
  server: ImmichServer,
  albums: ReadonlyArray<string>,
  options: Partial<Immich.ImmichOptions> = {}
) => listThrough(source(server, options), albums)

const listError = (
  server: ImmichServer,
  albums: ReadonlyArray<string>,
  options: Partial<Immich.ImmichOptions> = {}
) => typedFailure(list(server, albums, options), KEY)

const ALBUM = uuid("album-holiday")
const OTHER = uuid("album-family")

describe("Immich listing by version", () => {
  it.live("v2: the album route's assets, streamed; x-api-key sent, no Authorization", () => {
    const assets = makeImmichAssets(0, 300, "v2")
    return withServer({ key: KEY, version: 2, albums: { [ALBUM]: assets } }, (server) =>
      Effect.gen(function* () {
        assertExactlyOnce(yield* list(server, [ALBUM]), ALBUM, assets)
        assert.deepStrictEqual(
          server.requests.map((r) => r.route),
          ["version", "album"]
        )
        for (const r of server.requests) {
          assert.strictEqual(r.headers["x-api-key"], KEY)
          assert.isUndefined(r.headers.authorization)
          assert.strictEqual(r.headers.accept, "application/json")
          assert.notInclude(JSON.stringify(r.query), KEY)
        }
      })
    )
  })

  it.live("v3: search pages with albumIds, page, size, withExif and withPeople, following nextPage", () => {
    const assets = makeImmichAssets(0, 250, "v3")
    return withServer({ key: KEY, version: 3, albums: { [ALBUM]: assets } }, (server) =>
      Effect.gen(function* () {
        assertExactlyOnce(yield* list(server, [ALBUM], { pageSize: 100 }), ALBUM, assets)
        const searches = server.requests.filter((r) => r.route === "search")
        assert.deepStrictEqual(
          searches.map((r) => r.body),
          [1, 2, 3].map((page) => ({
            albumIds: [ALBUM],
            page,
            size: 100,
            withExif: true,
            withPeople: true,
            withStacked: true
          }))
        )
        // The album is checked (without its assets) before searching.
        const albumCalls = server.requests.filter((r) => r.route === "album")
        assert.deepStrictEqual(
          albumCalls.map((r) => r.query.withoutAssets),
          ["true"]
        )
      })
    )
  })

  it.live("v3 default page size is 1000", () => {
    const assets = makeImmichAssets(0, 5, "v3")
    return withServer({ key: KEY, version: 3, albums: { [ALBUM]: assets } }, (server) =>
      Effect.gen(function* () {
        assertExactlyOnce(yield* list(server, [ALBUM]), ALBUM, assets)
        assert.strictEqual(
          (server.requests.find((r) => r.route === "search")?.body as { size?: number } | undefined)?.size,
          1000
        )
      })
    )
  })

  it.live(
    "no version route: the album route is tried, and an album without assets falls back to search",
    () => {
      const assets = makeImmichAssets(0, 7, "v3")
      return withServer({ key: KEY, version: null, albums: { [ALBUM]: assets } }, (server) =>
        Effect.gen(function* () {
          assertExactlyOnce(yield* list(server, [ALBUM]), ALBUM, assets)
          assert.strictEqual(server.count("album"), 1)
          assert.strictEqual(server.count("search"), 1)
        })
      )
    }
  )

  it.live("no version route, v2 behaviour: the album route's assets are used", () => {
    const assets = makeImmichAssets(0, 7, "v2")
    return withServer({ key: KEY, version: null, albumAssets: true, albums: { [ALBUM]: assets } }, (server) =>
      Effect.gen(function* () {
        assertExactlyOnce(yield* list(server, [ALBUM]), ALBUM, assets)
        assert.strictEqual(server.count("search"), 0)
      })
    )
  })

  it.live("the version is read once for several albums", () => {
    const a = makeImmichAssets(0, 3, "v3")
    const b = makeImmichAssets(2, 3, "v3")
    return withServer({ key: KEY, version: 3, albums: { [ALBUM]: a, [OTHER]: b } }, (server) =>
      Effect.gen(function* () {
        const items = yield* list(server, [ALBUM, OTHER])
        assertExactlyOnce(items, ALBUM, a)
        assertExactlyOnce(items, OTHER, b)
        assert.strictEqual(server.count("version"), 1)
      })
    )
  })
})

describe("Immich mapping into the core's InputAsset", () => {
  it("maps the DTO fields the analysis reads, and nothing Gumnut-shaped", () => {
    const video = uuid("motion")
    const raw = makeImmichAsset(3, {
      stack: { id: uuid("stack-1"), primaryAssetId: uuid("immich-asset-3"), assetCount: 2 },
      duplicateId: uuid("dup-1"),
      isFavorite: true,
      livePhotoVideoId: video,
      rating: -1
    })
    const out = ImmichAsset.fields(raw, "http://nas:2283/")
    assert.strictEqual(out.id, raw.id)
    assert.strictEqual(out.checksum, raw.checksum)
    assert.strictEqual((out.checksum as string).length, 28, "base64 SHA-1 stays as is")
    assert.strictEqual(out.stackId, uuid("stack-1"))
    assert.strictEqual(out.duplicateId, uuid("dup-1"))
    assert.strictEqual(out.favorite, true)
    assert.strictEqual(out.livePhotoVideoId, video)
    assert.strictEqual(out.deviceId, "iphone-15")
    assert.strictEqual(out.mimeType, "image/heic")
    assert.strictEqual(out.fileSize, 2_400_003)
    assert.strictEqual(out.width, 4032)
    assert.strictEqual(out.thumbnailUrl, `http://nas:2283/api/assets/${raw.id}/thumbnail?size=thumbnail`)
    // localDateTime is wall-clock time written as UTC: it loses the Z.
    assert.strictEqual(out.localDateTime, "2025-06-01T08:03:00.000")
    assert.strictEqual(out.make, "Apple")
    assert.strictEqual(out.rating, -1)
    // dateTimeOriginal (an instant) shown in its time zone, with the offset.
    assert.strictEqual(out.originalDateTime, "2025-06-01T08:03:00.000+02:00")
    assert.deepStrictEqual(out.people, ["Maya"])
    assert.strictEqual(out.faceCount, 1)
    for (const gumnut of [
      "device_asset_id",
      "file_modified_at",
      "updated_at",
      "exif",
      "original_file_name"
    ]) {
      assert.notProperty(out, gumnut)
    }
  })

  it("v3 assets have no device ids: the owner stands in", () => {
    const raw = makeImmichAsset(1, { version: "v3" })
    assert.strictEqual(ImmichAsset.fields(raw, "http://nas:2283").deviceId, raw.ownerId)
  })

  it("capture time: fixed-offset zones, no zone (offset implied by localDateTime), or neither", () => {
    assert.strictEqual(
      ImmichAsset.originalTime("2025-01-01T12:00:00.000Z", "UTC-8", undefined),
      "2025-01-01T04:00:00.000-08:00"
    )
    assert.strictEqual(
      ImmichAsset.originalTime("2025-01-01T12:00:00.000Z", "America/New_York", undefined),
      "2025-01-01T07:00:00.000-05:00"
    )
    assert.strictEqual(
      ImmichAsset.originalTime("2025-01-01T12:00:00.000Z", undefined, "2025-01-01T17:30:00.000Z"),
      "2025-01-01T17:30:00.000+05:30"
    )
    assert.strictEqual(
      ImmichAsset.originalTime("2025-01-01T12:00:00.000Z", "Not/AZone", undefined),
      "2025-01-01T12:00:00.000Z"
    )
  })

  it("an asset id that is not safe in a path gets no thumbnail link (no `..` route with the key)", () => {
    for (const id of ["..", ".", "a/../b", "%2e%2e", ""]) {
      const mapped = ImmichAsset.toInputAsset({ ...makeImmichAsset(1), id }, "http://nas:2283") as Record<
        string,
        unknown
      >
      assert.isNull(mapped.thumbnailUrl, id)
    }
    const ok = ImmichAsset.toInputAsset(makeImmichAsset(1), "http://nas:2283") as Record<string, unknown>
    assert.match(
      String(ok.thumbnailUrl),
      /^http:\/\/nas:2283\/api\/assets\/[0-9a-f-]+\/thumbnail\?size=thumbnail$/
    )
  })

  it("non-objects pass through for the pipeline to reject", () => {
    assert.strictEqual(ImmichAsset.toInputAsset(null, "http://x"), null)
  })

  it.live(
    "end to end: stacks and Immich duplicate groups become evidence; SHA-1 checksums group exact copies",
    () => {
      const stack = { id: uuid("stack-a"), primaryAssetId: uuid("immich-asset-0"), assetCount: 2 }
      const assets = [
        makeImmichAsset(0, { version: "v3", stack, second: 0 }),
        makeImmichAsset(1, { version: "v3", stack, second: 3600 }),
        makeImmichAsset(2, { version: "v3", duplicateId: uuid("dup-a"), second: 7200 }),
        makeImmichAsset(3, { version: "v3", duplicateId: uuid("dup-a"), second: 10800 }),
        makeImmichAsset(4, { version: "v3", second: 14400 }),
        makeImmichAsset(5, { version: "v3", bytesOf: 4, second: 18000 })
      ]
      return withServer({ key: KEY, version: 3, albums: { [ALBUM]: assets } }, (server) =>
        Effect.gen(function* () {
          const src = yield* source(server)
          const analysis = yield* Pipeline.analyze(AlbumSource.listAlbums([ALBUM])).pipe(
            Effect.provideService(AlbumSource.AlbumSource, src)
          )
          assert.strictEqual(analysis.summary.rejected, 0, JSON.stringify(analysis.rejected))
          assert.strictEqual(analysis.summary.assets, 6)
          const evidence = analysis.groups.map((g) => [...g.evidence].sort().join("+")).sort()
          assert.deepStrictEqual(evidence, ["checksum", "immich_duplicate", "stack"])
        }).pipe(Effect.provide(NodeHttpClient.layerUndici))
      )
    }
  )
})

describe("Immich faults (shared retry and error code)", () => {
  it.live("429 with Retry-After, then 503, then success on a search page", () => {
    const assets = makeImmichAssets(0, 20, "v3")
    return withServer({ key: KEY, version: 3, albums: { [ALBUM]: assets } }, (server) =>
      Effect.gen(function* () {
        server.inject({
          route: "search",
          fault: {
            kind: "status",
            status: 429,
            headers: { "retry-after": "2" },
            body: { message: "Too many requests" }
          }
        })
        server.inject({
          route: "search",
          fault: { kind: "status", status: 503, body: { message: "maintenance" } }
        })
        assertExactlyOnce(yield* list(server, [ALBUM]), ALBUM, assets)
        assert.strictEqual(server.count("search"), 3)
      })
    )
  })

  it.live("a v2 album body cut half-way is re-read without duplicates", () => {
    const assets = makeImmichAssets(0, 300, "v2")
    return withServer({ key: KEY, version: 2, albums: { [ALBUM]: assets } }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "album", fault: { kind: "cut" } })
        assertExactlyOnce(yield* list(server, [ALBUM]), ALBUM, assets)
        assert.strictEqual(server.count("album"), 2)
      })
    )
  })

  it.live("a search page slower than the timeout, or cut, is fetched again", () => {
    const assets = makeImmichAssets(0, 30, "v3")
    return withServer({ key: KEY, version: 3, albums: { [ALBUM]: assets } }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "search", fault: { kind: "slow", ms: 4000 } })
        server.inject({ route: "search", fault: { kind: "cut", contentLength: true } })
        assertExactlyOnce(yield* list(server, [ALBUM], { pageSize: 10 }), ALBUM, assets)
        assert.strictEqual(server.count("search"), 5)
      })
    )
  })

  it.live("malformed JSON on a search page is retried, then reported after the retries", () =>
    withServer({ key: KEY, version: 3, albums: { [ALBUM]: makeImmichAssets(0, 3, "v3") } }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "search", fault: { kind: "malformed" }, times: 99 })
        const error = yield* listError(server, [ALBUM])
        assert.match(
          error.message,
          new RegExp(
            `^Immich: could not read album ${ALBUM} after 5 attempts: the response is not valid JSON`
          )
        )
      })
    )
  )

  it.live("an HTML 502 page: says so, after the retries", () =>
    withServer({ key: KEY, version: 2, albums: { [ALBUM]: makeImmichAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        server.inject({ route: "album", fault: { kind: "html", status: 502 }, times: 99 })
        const error = yield* listError(server, [ALBUM])
        assert.strictEqual(
          error.message,
          `Immich: could not read album ${ALBUM} after 5 attempts: HTTP 502 Bad Gateway (the body is an HTML page, not JSON ("502 Bad Gateway"))`
        )
      })
    )
  )

  it.live("a wrong key: one line naming the album and IMMICH_API_KEY, not retried, no key", () =>
    withServer({ key: KEY, version: 3, albums: { [ALBUM]: makeImmichAssets(0, 3) } }, (server) =>
      Effect.gen(function* () {
        const error = yield* typedFailure(
          Immich.make({ apiKey: Redacted.make("wrong-key-123456"), baseUrl: server.url, retry: FAST }).pipe(
            Effect.flatMap((src) => Stream.runCollect(src.list(ALBUM))),
            Effect.provide(NodeHttpClient.layerUndici)
          ),
          "wrong-key"
        )
        assert.strictEqual(
          error.message,
          `Immich rejected the API key (HTTP 401) for album ${ALBUM}: Invalid API key; check IMMICH_API_KEY`
        )
        assert.strictEqual(server.requests.length, 1)
      })
    )
  )

  it.live(
    "an unknown album (Immich's 400 'Not found or no album.read access') is not found, not retried",
    () =>
      withServer({ key: KEY, version: 2, albums: { [ALBUM]: makeImmichAssets(0, 3) } }, (server) =>
        Effect.gen(function* () {
          const missing = uuid("nope")
          const error = yield* listError(server, [missing])
          assert.strictEqual(error._tag, "AlbumNotFound")
          assert.strictEqual(error.message, `Immich: album ${missing} not found (HTTP 400)`)
          assert.strictEqual(server.count("album"), 1)
        })
      )
  )

  it.live("a validation error (Immich's 400 with a list of messages) is shown, not retried", () =>
    withServer({ key: KEY, version: 3, albums: { [ALBUM]: makeImmichAssets(0, 3, "v3") } }, (server) =>
      Effect.gen(function* () {
        server.inject({
          route: "search",
          fault: {
            kind: "status",
            status: 400,
            body: {
              message: ["size must not be greater than 1000", "withStacked must be a boolean value"],
              error: "Bad Request",
              statusCode: 400
            }
          }
        })
        const error = yield* listError(server, [ALBUM])
        assert.strictEqual(error._tag, "RequestRejected")
        assert.strictEqual(
          error.message,
          `Immich rejected the request for album ${ALBUM} (HTTP 400): size must not be greater than 1000; withStacked must be a boolean value`
        )
        assert.strictEqual(server.count("search"), 1)
      })
    )
  )

  it.live("unknown album on v3 is caught by the album check before searching", () =>
    withServer({ key: KEY, version: 3, albums: {} }, (server) =>
      Effect.gen(function* () {
        const error = yield* listError(server, [uuid("nope")])
        assert.strictEqual(error._tag, "AlbumNotFound")
        assert.strictEqual(server.count("search"), 0)
      })
    )
  )
})

describe("Immich configuration and key safety", () => {
  const build = (env: Record<string, string>, options?: Immich.ConfigOptions) =>
    Immich.fromConfig(options).pipe(withEnv(env), Effect.provide(NodeHttpClient.layerUndici))

  it.live("IMMICH_API_KEY is required; a base URL is required (option or IMMICH_BASE_URL)", () =>
    Effect.gen(function* () {
      const noKey = yield* Effect.flip(build({ IMMICH_BASE_URL: "http://nas:2283" }))
      assert.strictEqual(
        noKey.message,
        "Immich: IMMICH_API_KEY is not set; create an API key in Immich (Account Settings > API Keys) and export it"
      )
      const noUrl = yield* Effect.flip(build({ IMMICH_API_KEY: KEY }))
      assert.strictEqual(
        noUrl.message,
        "Immich: no server address; pass --base-url http://host:2283 or set IMMICH_BASE_URL"
      )
      const ok = yield* build({ IMMICH_API_KEY: KEY }, { baseUrl: "http://nas:2283" })
      assert.strictEqual(ok.name, "immich")
    })
  )

  it.live("thumbnail credentials: the key for the server's origin only, kept redacted", () =>
    Effect.gen(function* () {
      const src = yield* build({ IMMICH_API_KEY: KEY, IMMICH_BASE_URL: "http://nas:2283/" })
      const auth = src.thumbnailAuthorization
      if (auth === undefined) return assert.fail("Immich thumbnails need credentials")
      assert.strictEqual(auth.origin, "http://nas:2283")
      const header = auth.headers["x-api-key"]
      if (header === undefined) return assert.fail("no x-api-key header")
      assert.strictEqual(Redacted.value(header), KEY)
      assert.notInclude(String(header), KEY)
      assert.notInclude(JSON.stringify(auth), KEY)
    })
  )

  it.live("listed items never carry the key (thumbnail links are plain server URLs)", () => {
    const assets = makeImmichAssets(0, 5, "v2")
    return withServer({ key: KEY, version: 2, albums: { [ALBUM]: assets } }, (server) =>
      Immich.listAlbums([ALBUM], { baseUrl: server.url, retry: FAST }).pipe(
        Stream.runCollect,
        withEnv({ IMMICH_API_KEY: KEY }),
        Effect.provide(NodeHttpClient.layerUndici),
        Effect.tap((items) => {
          const all = Chunk.toReadonlyArray(items)
          assertExactlyOnce(all, ALBUM, assets)
          assert.notInclude(JSON.stringify(all), KEY)
          assert.match(
            (all[0]?.value as { thumbnailUrl?: string } | undefined)?.thumbnailUrl ?? "",
            /^http:\/\/127\.0\.0\.1:\d+\/api\/assets\/.+\/thumbnail\?size=thumbnail$/
          )
        })
      )
    )
  })
})

describe("Immich hostile answers: no silent truncation, no endless listing", () => {
  const searchPage = (items: ReadonlyArray<Record<string, unknown>>, nextPage: unknown) =>
    ({
      kind: "status",
      status: 200,
      body: { assets: { items, ...(nextPage === undefined ? {} : { nextPage }), total: items.length } }
    }) as const

  for (const [name, next] of [
    ["no nextPage at all", undefined],
    ['nextPage "two"', "two"],
    ["nextPage true", true]
  ] as const) {
    it.live(`a search page with ${name} is an error, not the end of the album`, () => {
      const assets = makeImmichAssets(0, 20, "v3")
      return withServer({ key: KEY, version: 3, albums: { [ALBUM]: assets } }, (server) =>
        Effect.gen(function* () {
          server.inject({ route: "search", fault: searchPage(assets.slice(0, 10), next) })
          const error = yield* listError(server, [ALBUM])
          assert.strictEqual(error._tag, "UnexpectedResponse")
          assert.include(error.message, 'expected {assets: {items: [...], nextPage: "<n>"|null}}')
        })
      )
    })
  }

  it.live("search pages that keep listing fresh assets stop at the page ceiling", () =>
    withServer({ key: KEY, version: 3, albums: { [ALBUM]: makeImmichAssets(0, 3, "v3") } }, (server) =>
      Effect.gen(function* () {
        for (let p = 0; p < 10; p++)
          server.inject({
            route: "search",
            fault: searchPage(makeImmichAssets(p * 5, 5, "v3"), String(p + 2))
          })
        const error = yield* listError(server, [ALBUM], { maxPages: 3 })
        assert.include(error.message, "the listing still had more after 3 pages (the page ceiling, maxPages)")
        assert.strictEqual(server.count("search"), 3)
      })
    )
  )

  it.live("a search page that lists an asset again is an error", () =>
    withServer({ key: KEY, version: 3, albums: { [ALBUM]: makeImmichAssets(0, 3, "v3") } }, (server) =>
      Effect.gen(function* () {
        const same = makeImmichAssets(0, 5, "v3")
        server.inject({ route: "search", fault: searchPage(same, "2") })
        server.inject({ route: "search", fault: searchPage(same, "3") })
        const error = yield* listError(server, [ALBUM])
        assert.include(error.message, "was listed twice: the paging loops")
      })
    )
  )
})
