/**
 * End-to-end: the built `albumsift report --album` against the loopback Gumnut server, as a new
 * user would run it: two albums sharing assets give one report with each asset once; a wrong or
 * missing key fails in one clear line that never shows a key.
 */
import { readdirSync, readFileSync } from "node:fs"
import { createServer, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { type GumnutServer, type GumnutServerOptions, startGumnutServer } from "./support/gumnutServer.js"
import { encodePng } from "./support/png.js"
import { runCli, SAMPLE, tempDir } from "./support/runCli.js"

const KEY = "apikey_E2Ecli7Hq2LmN4pR8sT1vW3xY5z"
const ALBUM_A = "album_R99NCS4MdYwULi9UyBwy4z"
const ALBUM_B = "album_J7kPq2ZxWm9LcV4bN8tR3s"

// The bundled sample's valid-looking records, split into two overlapping albums.
const records: ReadonlyArray<Record<string, unknown>> = JSON.parse(readFileSync(SAMPLE, "utf8")).filter(
  (x: unknown) => typeof x === "object" && x !== null && typeof (x as { id?: unknown }).id === "string"
)
const albumA = records.slice(0, 180)
const albumB = records.slice(120)
const shared = new Set(albumA.map((a) => a.id)).size + new Set(albumB.map((a) => a.id)).size - records.length

let server: GumnutServer | undefined
const start = async (options: Partial<GumnutServerOptions> = {}) => {
  server = await startGumnutServer({
    key: KEY,
    albums: { [ALBUM_A]: albumA, [ALBUM_B]: albumB },
    style: "seed",
    ...options
  })
  return server
}
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** Every byte the run left behind: stdout, stderr and the files it wrote. */
const everything = (cwd: string, out: string, stdout: string, stderr: string) => {
  let files = ""
  try {
    for (const f of readdirSync(join(cwd, out)))
      if (f.startsWith("report.")) files += readFileSync(join(cwd, out, f), "utf8")
  } catch {
    // no report written
  }
  return stdout + stderr + files
}

describe("albumsift report --album (Gumnut, loopback)", () => {
  for (const style of ["seed", "cursor"] as const) {
    it(`two albums sharing assets give one report, each asset once (${style} listing, detected)`, async () => {
      const s = await start({ style })
      const cwd = tempDir()
      const r = await runCli(
        ["report", "--album", ALBUM_A, "--album", ALBUM_B, "--base-url", s.url, "--json"],
        {
          cwd,
          env: { GUMNUT_API_KEY: KEY }
        }
      )
      expect(r.stderr).not.toMatch(/could not|failed/i)
      expect(r.code).toBe(0)
      expect(shared).toBe(60)
      const report = JSON.parse(readFileSync(join(cwd, "albumsift-report", "report.json"), "utf8"))
      const ids: Array<string> = report.assets.map((a: { id: string }) => a.id)
      expect(new Set(ids).size).toBe(ids.length)
      expect(report.summary.input_items).toBe(albumA.length + albumB.length)
      expect(report.summary.duplicate_ids).toBe(shared)
      expect(report.summary.assets + report.summary.rejected).toBe(records.length)
      const inBoth = report.assets.filter((a: { albums: Array<string> }) => a.albums.length === 2)
      expect(inBoth.length).toBeGreaterThan(0)
      expect(JSON.parse(r.stdout).summary).toEqual(report.summary)
      expect(report.sources[0]).toMatchObject({ kind: "api", server: "gumnut", albums: [ALBUM_A, ALBUM_B] })
      // The key went to the server and nowhere else.
      expect(s.requests.every((q) => q.headers.authorization === `Bearer ${KEY}`)).toBe(true)
      expect(everything(cwd, "albumsift-report", r.stdout, r.stderr)).not.toContain(KEY)
    })
  }

  it("a wrong key fails in one clear line that shows no key (exit 1)", async () => {
    const s = await start()
    const cwd = tempDir()
    const wrong = "apikey_WRONGwrongWRONGwrong0000"
    const r = await runCli(["report", "--album", ALBUM_A, "--base-url", s.url], {
      cwd,
      env: { GUMNUT_API_KEY: wrong }
    })
    expect(r.code).toBe(1)
    const lines = r.stderr.trimEnd().split("\n")
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^albumsift: .*(401|API key).*GUMNUT_API_KEY/)
    expect(r.stdout).toBe("")
    const all = everything(cwd, "albumsift-report", r.stdout, r.stderr)
    expect(all).not.toContain(wrong)
    expect(all).not.toContain(KEY)
    expect(readdirSync(cwd)).toEqual([])
  })

  it("no key fails in one line naming GUMNUT_API_KEY, before any request (exit 1)", async () => {
    const s = await start()
    const r = await runCli(["report", "--album", ALBUM_A, "--base-url", s.url])
    expect(r.code).toBe(1)
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1)
    expect(r.stderr).toMatch(/GUMNUT_API_KEY is not set/)
    expect(s.requests).toHaveLength(0)
  })

  it("an unknown album fails in one line naming it (exit 1)", async () => {
    const s = await start()
    const r = await runCli(["report", "--album", "album_DoesNotExist000000000", "--base-url", s.url], {
      env: { GUMNUT_API_KEY: KEY }
    })
    expect(r.code).toBe(1)
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1)
    expect(r.stderr).toMatch(/album_DoesNotExist000000000 not found/)
  })

  it("GUMNUT_BASE_URL is used when --base-url is absent, and a server error after retries is one line", async () => {
    const s = await start()
    s.inject({ route: "seed", fault: { kind: "html", status: 502 }, times: 10 })
    const r = await runCli(["report", "--album", ALBUM_A, "--retries", "1", "--timeout", "2s"], {
      env: { GUMNUT_API_KEY: KEY, GUMNUT_BASE_URL: s.url }
    })
    expect(r.code).toBe(1)
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1)
    expect(r.stderr).toMatch(/after 2 attempts/)
    expect(s.count("seed", ALBUM_A)).toBe(2)
    expect(r.stderr).not.toContain(KEY)
  })

  it("--thumbnails keep downloads thumbnails from the CDN without the key, beside the report", async () => {
    // A stand-in CDN on another port: pre-signed thumbnail URLs live on another host than the API.
    const png = encodePng(4, 3, (x, y) => [x * 60, y * 80, 120])
    const cdnHeaders: Array<IncomingHttpHeaders> = []
    const cdnUrls: Array<string> = []
    const cdn = createServer((req, res) => {
      cdnHeaders.push(req.headers)
      cdnUrls.push(req.url ?? "")
      res.writeHead(200, { "content-type": "image/png" }).end(png)
    })
    await new Promise<void>((resolve) => cdn.listen(0, "127.0.0.1", resolve))
    const cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`
    try {
      const signed = albumA.slice(0, 40).map((a) => ({
        ...a,
        thumbnail_url: `${cdnUrl}/thumbnails/${a.id}.png?Expires=1893456000&Signature=abc`
      }))
      server = await startGumnutServer({ key: KEY, albums: { [ALBUM_A]: signed }, style: "seed" })
      const cwd = tempDir()
      const r = await runCli(
        ["report", "--album", ALBUM_A, "--base-url", server.url, "--thumbnails", "keep"],
        {
          cwd,
          env: { GUMNUT_API_KEY: KEY }
        }
      )
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/Kept \d+ thumbnails? in thumbs\//)
      const kept = readdirSync(join(cwd, "albumsift-report", "thumbs"))
      expect(kept.length).toBeGreaterThan(0)
      expect(kept.length).toBe(cdnUrls.length)
      for (const h of cdnHeaders) {
        expect(h.authorization).toBeUndefined()
        expect(JSON.stringify(h)).not.toContain(KEY)
      }
      expect(everything(cwd, "albumsift-report", r.stdout, r.stderr)).not.toContain(KEY)
    } finally {
      await new Promise((resolve) => cdn.close(resolve))
    }
  })
})
