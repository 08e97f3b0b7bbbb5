import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { createServer, type IncomingHttpHeaders, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Analysis } from "@albumsift/core"
import { FetchHttpClient, type FileSystem, type HttpClient, type Path } from "@effect/platform"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodePath from "@effect/platform-node/NodePath"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import * as Report from "../src/Report.js"
import * as Thumbnails from "../src/Thumbnails.js"
import { asset, member, metadata, sampleAnalysis } from "./fixtures.js"

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)])
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(100, 1)
])
const KEY = "immich-secret-key-123"

interface Seen {
  readonly path: string
  readonly headers: IncomingHttpHeaders
}

/** A loopback server recording every request; `/ok/*` answers after `delayMs` so requests overlap. */
const serve = async (other?: () => string) => {
  const seen: Array<Seen> = []
  let inFlight = 0
  let maxInFlight = 0
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/"
    seen.push({ path, headers: req.headers })
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    const done = (
      status: number,
      type: string,
      body: Buffer | string,
      headers: Record<string, string> = {}
    ) => {
      setTimeout(() => {
        inFlight--
        res.writeHead(status, { "content-type": type, ...headers })
        res.end(body)
      }, 15)
    }
    if (path.startsWith("/ok/")) return done(200, "image/jpeg", JPEG)
    if (path.startsWith("/png/")) return done(200, "image/png", PNG)
    if (path.startsWith("/html/")) return done(200, "text/html", "<html><script>alert(1)</script></html>")
    if (path.startsWith("/svg/"))
      return done(200, "image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    if (path.startsWith("/big/")) return done(200, "image/jpeg", Buffer.concat([JPEG, Buffer.alloc(4096)]))
    if (path.startsWith("/auth/")) {
      return req.headers["x-api-key"] === KEY
        ? done(200, "image/jpeg", JPEG)
        : done(401, "application/json", "{}")
    }
    if (path.startsWith("/redirect/") && other)
      return done(302, "text/plain", "", { location: `${other()}/ok/r.jpg` })
    return done(404, "text/plain", "not found")
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    seen,
    maxInFlight: () => maxInFlight,
    reset: () => {
      seen.length = 0
      maxInFlight = 0
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

type Served = Awaited<ReturnType<typeof serve>>
let a: Served
let b: Served
beforeAll(async () => {
  b = await serve()
  a = await serve(() => b.origin)
})
afterAll(async () => {
  await a.close()
  await b.close()
})

const made: Array<string> = []
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), "albumsift-thumbs-"))
  made.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})
// Both HTTP clients a caller may provide: fetch (follows redirects itself) and undici (the CLI's).
const CLIENTS = [
  ["fetch", FetchHttpClient.layer],
  ["undici", NodeHttpClient.layerUndici]
] as const

/** One group whose members have the given thumbnail URLs, plus an ungrouped asset that must not be fetched. */
const analysisWith = (urls: ReadonlyArray<string | null>): Analysis.Analysis => {
  const base = sampleAnalysis()
  const assets = urls.map((url, i) => asset(`t${i}`, { thumbnailUrl: url, groupId: "g" }))
  return {
    ...base,
    assets: [...assets, asset("ungrouped", { thumbnailUrl: `${a.origin}/ok/ungrouped.jpg` })],
    groups: [
      {
        ...(base.groups[0] as Analysis.Group),
        id: "g",
        members: assets.map((x, i) =>
          member(x.id, { rank: i + 1, recommendation: i === 0 ? "keep" : "discard" })
        ),
        keeper: "t0"
      }
    ],
    timezoneAnomalies: []
  }
}

describe.each(CLIENTS)("Thumbnails.keep over %s", (_name, clientLayer) => {
  const run = <A, E>(
    effect: Effect.Effect<A, E, FileSystem.FileSystem | Path.Path | HttpClient.HttpClient>
  ) => effect.pipe(Effect.provide(Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, clientLayer)))

  it.live("downloads shown thumbnails with bounded concurrency and falls back to links on failure", () =>
    run(
      Effect.gen(function* () {
        a.reset()
        const urls = [
          ...Array.from({ length: 12 }, (_, i) => `${a.origin}/ok/${i}.jpg?sig=s${i}`),
          `${a.origin}/png/x.png`,
          `${a.origin}/missing/x.jpg`,
          `${a.origin}/html/x.jpg`,
          `${a.origin}/svg/x.svg`,
          `${a.origin}/big/x.jpg`,
          "javascript:alert(1)",
          "thumbs/local.jpg",
          null
        ]
        const analysis = analysisWith(urls)
        const out = temp()
        const fetch = yield* Thumbnails.httpFetch({ maxBytes: 1024, trustedOrigin: a.origin })
        const written = yield* Report.write(analysis, {
          outDir: out,
          metadata,
          thumbnails: { fetch, concurrency: 3 }
        })
        const kept = written.thumbnails
        expect(kept?.downloaded).toBe(13)
        expect(kept?.failed).toBe(4)
        expect(kept?.failures.map((f) => f.reason).sort()).toEqual([
          `Cannot fetch a thumbnail from ${a.origin.slice(7)}: HTTP 404`,
          `Cannot fetch a thumbnail from ${a.origin.slice(7)}: larger than 1024 bytes`,
          "not an image (image/svg+xml)",
          "not an image (text/html)"
        ])
        expect(a.maxInFlight()).toBeLessThanOrEqual(3)
        // Only the shown thumbnails were requested: never the ungrouped asset, never a non-http URL.
        expect(a.seen.map((s) => s.path)).not.toContain("/ok/ungrouped.jpg")
        expect(a.seen).toHaveLength(17)
        const files = readdirSync(join(out, "thumbs")).sort()
        expect(files).toHaveLength(13)
        expect(files).toContain("t0.jpg")
        expect(files).toContain("t12.png")
        expect(readFileSync(join(out, "thumbs", "t0.jpg")).equals(JPEG)).toBe(true)

        const html = readFileSync(join(out, "report.html"), "utf8")
        expect(html).toContain('"thumbs/t0.jpg"')
        expect(html).toContain(`"${a.origin}/missing/"`) // the fallback link (a shared URL prefix)
        const json = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
        expect(json.options.report.thumbnails).toBe("keep")
        const t0 = json.assets.find((x: { id: string }) => x.id === "t0")
        expect(t0.thumbnail_file).toBe("thumbs/t0.jpg")
        expect(t0.thumbnail_url).toBe(`${a.origin}/ok/0.jpg?sig=s0`)

        // A second run reuses the kept copies without asking the server again.
        a.reset()
        const again = yield* Thumbnails.keep(analysis, out, { fetch })
        expect(again.reused).toBe(13)
        expect(a.seen.map((s) => s.path).filter((p) => p.startsWith("/ok/"))).toEqual([])
      })
    )
  )

  it.live("sends the key only to its own origin and never follows a redirect with it", () =>
    run(
      Effect.gen(function* () {
        a.reset()
        b.reset()
        const analysis = analysisWith([
          `${a.origin}/auth/1.jpg`,
          `${b.origin}/ok/elsewhere.jpg`,
          `${a.origin}/redirect/1.jpg`
        ])
        const out = temp()
        const fetch = yield* Thumbnails.httpFetch({
          authorize: { origin: a.origin, headers: { "x-api-key": Redacted.make(KEY) } }
        })
        const written = yield* Report.write(analysis, { outDir: out, metadata, thumbnails: { fetch } })
        expect(written.thumbnails?.downloaded).toBe(2)
        expect(written.thumbnails?.failed).toBe(1)
        expect(a.seen.find((s) => s.path === "/auth/1.jpg")?.headers["x-api-key"]).toBe(KEY)
        // The other host got its own request, without the key, and the redirect was not followed.
        expect(b.seen.map((s) => s.path)).toEqual(["/ok/elsewhere.jpg"])
        expect(b.seen.every((s) => s.headers["x-api-key"] === undefined)).toBe(true)
        for (const file of ["report.html", "report.json", "report.csv"]) {
          expect(readFileSync(join(out, file), "utf8")).not.toContain(KEY)
        }
        expect(JSON.stringify(written)).not.toContain(KEY)
      })
    )
  )
})

describe.each(CLIENTS)("Thumbnails fetch policy over %s (no request forgery)", (_name, clientLayer) => {
  const attempt = (url: string, options: Thumbnails.HttpFetchOptions) =>
    Thumbnails.httpFetch(options).pipe(
      Effect.flatMap((fetch) => Effect.either(fetch(url))),
      Effect.provide(clientLayer)
    )

  it.live("loopback and private hosts are refused unless they are the source's own origin", () =>
    Effect.gen(function* () {
      a.reset()
      const publicSource = { trustedOrigin: "https://photos.example.com" }
      const cases: ReadonlyArray<readonly [string, Thumbnails.HttpFetchOptions, string]> = [
        [`${a.origin}/ok/1.jpg`, {}, "a loopback address"],
        [`${a.origin}/ok/2.jpg`, publicSource, "a loopback address"],
        [`http://localhost:${new URL(a.origin).port}/ok/3.jpg`, publicSource, "a loopback address"],
        ["http://[::1]:9/ok/4.jpg", publicSource, "a loopback address"],
        ["http://10.1.2.3/x.jpg", publicSource, "a private address"],
        ["https://192.168.1.10/x.jpg", { trustedOrigin: a.origin }, "a private address"],
        ["http://169.254.169.254/latest/meta-data", publicSource, "a private address"],
        ["https://[fd00::1]/x.jpg", publicSource, "a private address"],
        ["http://thumbs.example.com/x.jpg", publicSource, "not https"]
      ]
      for (const [url, options, why] of cases) {
        const result = yield* attempt(url, options)
        expect(result._tag, url).toBe("Left")
        if (result._tag === "Left") expect(result.left.message, url).toContain(`refused: ${why}`)
      }
      expect(a.seen).toEqual([])
    })
  )

  it.live("loopback hosts are allowed when the source is itself on loopback; redirects are failures", () =>
    Effect.gen(function* () {
      a.reset()
      b.reset()
      const own = yield* attempt(`${a.origin}/ok/own.jpg`, { trustedOrigin: a.origin })
      const other = yield* attempt(`${b.origin}/ok/other.jpg`, { trustedOrigin: a.origin })
      expect(own._tag).toBe("Right")
      expect(other._tag).toBe("Right")
      const redirected = yield* attempt(`${a.origin}/redirect/1.jpg`, { trustedOrigin: a.origin })
      expect(redirected._tag).toBe("Left")
      expect(b.seen.map((x) => x.path)).toEqual(["/ok/other.jpg"])
    })
  )

  it.live("a stalled thumbnail gives up after the timeout", () =>
    Effect.gen(function* () {
      const stalled = createServer(() => undefined)
      yield* Effect.promise(() => new Promise<void>((resolve) => stalled.listen(0, "127.0.0.1", resolve)))
      const url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/x.jpg`
      const started = Date.now()
      const result = yield* attempt(url, { trustedOrigin: url, timeout: "300 millis" })
      stalled.closeAllConnections()
      stalled.close()
      expect(result._tag).toBe("Left")
      if (result._tag === "Left") expect(result.left.reason).toBe("timed out")
      expect(Date.now() - started).toBeLessThan(5000)
    })
  )
})

describe("Thumbnails.addressKind", () => {
  it("tells loopback, private and public addresses apart", () => {
    for (const h of ["127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost", "a.localhost"])
      expect(Thumbnails.addressKind(h), h).toBe("loopback")
    for (const h of [
      "10.0.0.1",
      "172.16.5.4",
      "192.168.0.1",
      "169.254.169.254",
      "0.0.0.0",
      "100.64.0.1",
      "fc00::1",
      "fe80::1",
      "::",
      "::ffff:10.0.0.1"
    ])
      expect(Thumbnails.addressKind(h), h).toBe("private")
    for (const h of ["8.8.8.8", "172.32.0.1", "2606:4700::1111", "assets.gumnut.ai"])
      expect(Thumbnails.addressKind(h), h).toBe("public")
  })
})

describe("Thumbnails files", () => {
  it("names files after safe ids, hashing anything else", () => {
    expect(Thumbnails.fileStem("asset_EVDYwYYmiDoCVZiZnA5k5w")).toBe("asset_EVDYwYYmiDoCVZiZnA5k5w")
    expect(Thumbnails.fileStem("../../etc/passwd")).toMatch(/^h-[0-9a-f]{32}$/)
    expect(Thumbnails.imageExtension(new Uint8Array(JPEG))).toBe("jpg")
    expect(Thumbnails.imageExtension(new TextEncoder().encode("<svg/>"))).toBeNull()
  })
})
