/**
 * The plain-Promise facade as a library user calls it: real files and a real loopback Gumnut
 * server, and errors that are the real error classes, not FiberFailure wrappers.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import {
  AuthenticationFailed,
  analyzeAlbums,
  analyzeAssets,
  analyzeFile,
  InputUnreadable,
  JsonInputError
} from "@albumsift/core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeAsset, makeAssets } from "./support/assets.js"
import { listen, sendJson } from "./support/faults.js"
import { type GumnutServer, startGumnutServer, startRecordingServer } from "./support/gumnutServer.js"
import { makeImmichAsset, makeImmichAssets, uuid } from "./support/immichAssets.js"
import { startImmichServer } from "./support/immichServer.js"

const KEY = "apikey_promise_facade_secret"
const SAMPLE = resolve(import.meta.dirname, "..", "packages", "cli", "sample", "album.json")

describe("Promise facade: analyzeFile", () => {
  let dir = ""
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "albumsift-promise-"))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it("streams an exported album file into an analysis", async () => {
    const analysis = await analyzeFile(SAMPLE)
    expect(analysis.summary.inputItems).toBe(300)
    expect(analysis.groups.length).toBeGreaterThan(0)
    expect(analysis.rejected.length).toBeGreaterThan(0)
  })

  it("reads NDJSON too, and rejects a cut-off document with a JsonInputError naming the file", async () => {
    const assets = makeAssets(0, 3)
    const ndjson = join(dir, "album.ndjson")
    await writeFile(ndjson, assets.map((a) => JSON.stringify(a)).join("\n"))
    expect((await analyzeFile(ndjson)).summary.assets).toBe(3)

    const cut = join(dir, "cut.json")
    await writeFile(cut, JSON.stringify(assets).slice(0, 200))
    const error = await analyzeFile(cut).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as { _tag?: string })._tag).toBe("JsonInputError")
    expect(error).toBeInstanceOf(JsonInputError)
    expect((error as Error).message).toContain("cut.json")
  })

  it("recognises an Immich export, as the CLI does", async () => {
    const file = join(dir, "immich.json")
    await writeFile(file, JSON.stringify(makeImmichAssets(0, 4)))
    const analysis = await analyzeFile(file)
    expect(analysis.rejected).toEqual([])
    expect(analysis.summary.assets).toBe(4)
  })

  it("an Immich export's GPS copy is review, not discard: Immich cannot merge GPS (unless told it can)", async () => {
    const file = join(dir, "immich-gps.json")
    const keeper = makeImmichAsset(1, { second: 0, rating: 5 })
    keeper.exifInfo = { ...(keeper.exifInfo as object), latitude: null, longitude: null }
    await writeFile(file, JSON.stringify([keeper, makeImmichAsset(2, { second: 1, rating: 1 })]))
    const copyOf = (a: Awaited<ReturnType<typeof analyzeFile>>) =>
      a.groups[0]?.members.find((m) => m.assetId === uuid("immich-asset-2"))
    expect(copyOf(await analyzeFile(file))).toMatchObject({ recommendation: "review", wouldLose: ["gps"] })
    expect(copyOf(await analyzeFile(file, { canMergeGps: true }))).toMatchObject({
      recommendation: "discard",
      wouldMerge: ["gps"]
    })
  })

  it("rejects a missing file, or a folder, with a typed InputUnreadable naming it", async () => {
    const error = await analyzeFile(join(dir, "nope.json")).catch((e: unknown) => e)
    expect((error as { _tag?: string })._tag).toBe("InputUnreadable")
    // The error classes come from the top level: no namespace needed for instanceof.
    expect(error).toBeInstanceOf(InputUnreadable)
    expect((error as { code?: string }).code).toBe("ENOENT")
    expect((error as Error).message).toBe(
      `${join(dir, "nope.json")}: cannot read it: no such file or directory (ENOENT)`
    )
    const folder = await analyzeFile(dir).catch((e: unknown) => e)
    expect((folder as { _tag?: string })._tag).toBe("InputUnreadable")
    expect((folder as Error).message).toContain("it is a folder, not a file (EISDIR)")
  })
})

describe("Promise facade: analyzeAlbums", () => {
  let server: GumnutServer
  beforeAll(async () => {
    const shared = makeAssets(100, 2)
    server = await startGumnutServer({
      key: KEY,
      style: "seed",
      albums: { album_one: [...makeAssets(0, 3), ...shared], album_two: [...makeAssets(10, 2), ...shared] }
    })
  })
  afterAll(() => server.close())

  it("reads several albums with the given key; shared assets are analysed once", async () => {
    const analysis = await analyzeAlbums(["album_one", "album_two"], { baseUrl: server.url, apiKey: KEY })
    expect(analysis.summary.inputItems).toBe(9)
    expect(analysis.summary.assets).toBe(7)
    const shared = analysis.assets.filter((a) => a.albums.length === 2)
    expect(shared).toHaveLength(2)
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true)
  })

  it("rejects a wrong key with AuthenticationFailed, and the message does not carry the key", async () => {
    const error = await analyzeAlbums(["album_one"], {
      baseUrl: server.url,
      apiKey: "wrong-key-value"
    }).catch((e: unknown) => e)
    expect((error as { _tag?: string })._tag).toBe("AuthenticationFailed")
    expect(error).toBeInstanceOf(AuthenticationFailed)
    expect((error as Error).message).toContain("album_one")
    expect((error as Error).message).not.toContain("wrong-key-value")
  })
})

describe("Promise facade: hostile servers (the same HTTP layer as the CLI)", () => {
  const IMMICH_KEY = "kXb1mT9qLw0R3vY7uP2sZ8nC4dF6gH5jJ1aQe"
  const ALBUM = uuid("album-hostile")
  const A = "album_R99NCS4MdYwULi9UyBwy4z"

  it("Immich: a cross-host redirect is an error, and x-api-key never reaches the other host", async () => {
    const other = await startRecordingServer()
    const immich = await startImmichServer({
      key: IMMICH_KEY,
      version: 2,
      albums: { [ALBUM]: makeImmichAssets(0, 3, "v2") }
    })
    try {
      immich.inject({
        route: "any",
        times: 10,
        fault: { kind: "status", status: 307, headers: { location: `${other.url}/steal` } }
      })
      const error = await analyzeAlbums([ALBUM], {
        source: "immich",
        baseUrl: immich.url,
        apiKey: IMMICH_KEY
      }).catch((e: unknown) => e)
      expect((error as { _tag?: string })._tag).toBe("RequestRejected")
      expect((error as Error).message).toContain(`a redirect to ${other.url}, not followed`)
      expect(other.requests).toHaveLength(0)
      expect(JSON.stringify(other.requests)).not.toContain(IMMICH_KEY)
    } finally {
      await Promise.all([other.close(), immich.close()])
    }
  })

  it("Gumnut: a redirect is not followed, so another host's answer is never analysed as the album", async () => {
    const seen: Array<string> = []
    const rogue = await listen(async (req, res) => {
      seen.push(req.url ?? "")
      sendJson(res, 200, makeAssets(500, 4))
    })
    const gumnut = await startGumnutServer({ key: KEY, style: "seed", albums: { [A]: makeAssets(0, 3) } })
    try {
      gumnut.inject({
        route: "seed",
        fault: { kind: "status", status: 302, headers: { location: `${rogue.url}/api/albums/${A}/assets` } }
      })
      const error = await analyzeAlbums([A], { baseUrl: gumnut.url, apiKey: KEY }).catch((e: unknown) => e)
      expect((error as { _tag?: string })._tag).toBe("RequestRejected")
      expect(seen).toHaveLength(0)
    } finally {
      await Promise.all([rogue.close(), gumnut.close()])
    }
  })

  it("an echo of the key, JSON-escaped (\\u0073…, \\/), is blanked in the error message", async () => {
    const key = "sk_live/Zq81/escapedEcho"
    const gumnut = await startGumnutServer({ key, style: "seed", albums: { [A]: makeAssets(0, 3) } })
    try {
      // What PHP's json_encode sends by default: every "/" as "\/"; and one letter as \u0073.
      const escaped = key.replaceAll("/", "\\/").replace("s", "\\u0073")
      gumnut.inject({
        route: "seed",
        times: 10,
        fault: { kind: "status", status: 403, body: `{"detail":"key ${escaped} is not allowed here"}` }
      })
      const error = await analyzeAlbums([A], { baseUrl: gumnut.url, apiKey: key }).catch((e: unknown) => e)
      expect((error as { _tag?: string })._tag).toBe("AuthenticationFailed")
      const message = (error as Error).message
      expect(message).toContain("key [redacted] is not allowed here")
      expect(message).not.toContain(key)
      expect(message).not.toContain("Zq81")
    } finally {
      await gumnut.close()
    }
  })

  it("a key the server plants in asset data never reaches the analysis", async () => {
    const key = "apikey_planted_Secret_9f8e7d"
    const escaped = `\\u0061pikey_planted_Secret_9f8e7d`
    const planted = [
      makeAsset(1, { original_file_name: `${key}.jpg` }),
      makeAsset(2, { id: `asset_${key}`, device_asset_id: "KEY_HERE" }),
      makeAsset(3, { exif: { make: "Apple", model: key, description: [key, { [key]: key }] } })
    ]
    const gumnut = await startGumnutServer({ key, style: "seed", albums: { [A]: planted } })
    try {
      // Also one JSON-escaped copy, which only decoding reveals.
      const body = JSON.stringify(planted).replace("KEY_HERE", escaped)
      gumnut.inject({ route: "seed", fault: { kind: "status", status: 200, body } })
      const analysis = await analyzeAlbums([A], { baseUrl: gumnut.url, apiKey: key })
      expect(analysis.summary.inputItems).toBe(3)
      const everything = JSON.stringify({
        assets: [...analysis.assets],
        rejected: analysis.rejected,
        groups: [...analysis.groups]
      })
      expect(everything).toContain("[redacted]")
      expect(everything).not.toContain(key)
      expect(everything.toLowerCase()).not.toContain("planted_secret")
    } finally {
      await gumnut.close()
    }
  })
})

describe("Promise facade: every function returns a Promise that rejects with a typed error", () => {
  const settle = (make: () => Promise<unknown>) => {
    let promise: Promise<unknown> | undefined
    expect(() => {
      promise = make()
    }).not.toThrow()
    expect(promise).toBeInstanceOf(Promise)
    return promise!.then(
      () => expect.fail("should have rejected"),
      (e: unknown) => e as Error & { _tag?: string }
    )
  }

  for (const [name, input] of [
    ["null", null],
    ["a string", "album.json"],
    ["a number", 42],
    ["undefined", undefined],
    ["a plain object", { id: "asset_x" }]
  ] as const) {
    it(`analyzeAssets(${name}) rejects with InvalidInput`, async () => {
      const error = await settle(() => analyzeAssets(input as never))
      expect(error._tag).toBe("InvalidInput")
      expect(error.message).toMatch(
        /^analyzeAssets: expected an array or an \(async\) iterable of assets, got /
      )
    })
  }

  for (const [name, albums] of [
    ["null", null],
    ["a string", "album_x"],
    ["an empty array", []],
    ["an array holding a number", ["album_x", 7]]
  ] as const) {
    it(`analyzeAlbums(${name}) rejects with InvalidInput, before any request`, async () => {
      const error = await settle(() =>
        analyzeAlbums(albums as never, { baseUrl: "http://127.0.0.1:9", apiKey: KEY })
      )
      expect(error._tag).toBe("InvalidInput")
      expect(error.message).toMatch(/^analyzeAlbums: expected a non-empty array of album ids/)
    })
  }

  it("analyzeAlbums with an unknown source rejects with InvalidInput", async () => {
    const error = await settle(() => analyzeAlbums(["a"], { source: "flickr" as never }))
    expect(error.message).toBe('analyzeAlbums: source must be "gumnut" or "immich", got "flickr"')
  })

  it("analyzeAlbums on Immich with no base URL anywhere says what to give", async () => {
    const saved = process.env.IMMICH_BASE_URL
    delete process.env.IMMICH_BASE_URL
    try {
      const error = await settle(() => analyzeAlbums([uuid("a")], { source: "immich", apiKey: KEY }))
      expect(error.message).toBe(
        "Immich: no base URL: give the server's address (for example http://immich.local:2283) or set IMMICH_BASE_URL"
      )
    } finally {
      if (saved !== undefined) process.env.IMMICH_BASE_URL = saved
    }
  })

  it("analyzeFile(null) rejects with InvalidInput; bad options reject with InvalidOptions", async () => {
    expect((await settle(() => analyzeFile(null as never)))._tag).toBe("InvalidInput")
    expect((await settle(() => analyzeFile(""))).message).toBe(
      "analyzeFile: expected a file path, got an empty string"
    )
    expect((await settle(() => analyzeAssets([], { burstGapSeconds: -1 })))._tag).toBe("InvalidOptions")
  })

  it("analyzeAssets: an asset nested 3,000 levels deep is rejected on its own, the rest analysed", async () => {
    let deep: unknown = "x"
    for (let i = 0; i < 3000; i++) deep = { a: deep }
    const analysis = await analyzeAssets([makeAsset(0), makeAsset(1, { exif: deep }), makeAsset(2)])
    expect(analysis.summary.assets).toBe(2)
    expect(analysis.rejected).toHaveLength(1)
    expect(analysis.rejected[0]!.reason).toContain("nested more than 64 levels deep")
  })
})
