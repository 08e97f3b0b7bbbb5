/**
 * The plain-Promise facade as a library user calls it: real files and a real loopback Gumnut
 * server, and errors that are the real error classes, not FiberFailure wrappers.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { analyzeAlbums, analyzeFile } from "@albumsift/core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeAssets } from "./support/assets.js"
import { type GumnutServer, startGumnutServer } from "./support/gumnutServer.js"

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
    expect((error as Error).message).toContain("cut.json")
  })

  it("rejects a missing file with the file system's error", async () => {
    const error = await analyzeFile(join(dir, "nope.json")).catch((e: unknown) => e)
    expect((error as NodeJS.ErrnoException).code).toBe("ENOENT")
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
    expect((error as Error).message).toContain("album_one")
    expect((error as Error).message).not.toContain("wrong-key-value")
  })
})
