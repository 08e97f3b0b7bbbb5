/**
 * End-to-end: the built CLI against hostile loopback servers and inputs, as an attacker would set
 * them up. Each test reproduces one attack from the hardening issue and checks what the run left
 * behind: its exit code, its one-line message, and every byte it wrote.
 */
import { spawn } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { listen } from "./support/faults.js"
import { startGumnutServer } from "./support/gumnutServer.js"
import { encodePng } from "./support/png.js"
import { BIN, generate, runCli, SAMPLE, tempDir } from "./support/runCli.js"

const KEY = "apikey_Hostile7Hq2LmN4pR8sT1vW3x"
const ALBUM = "album_R99NCS4MdYwULi9UyBwy4z"

// The bundled sample's records (they form duplicate groups, so the report shows them).
const records: ReadonlyArray<Record<string, unknown>> = JSON.parse(readFileSync(SAMPLE, "utf8")).filter(
  (x: unknown) => typeof x === "object" && x !== null && typeof (x as { id?: unknown }).id === "string"
)

/** Every file under `dir`: its path relative to `dir` and its content. */
const filesUnder = (dir: string, prefix = ""): Array<{ name: string; text: string }> =>
  readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    return statSync(full).isDirectory()
      ? filesUnder(full, `${prefix}${name}/`)
      : [{ name: `${prefix}${name}`, text: readFileSync(full, "latin1") }]
  })

describe("a key planted in asset data", () => {
  it("reaches no report and no thumbnail file name (blanked at the source)", async () => {
    const png = encodePng(4, 3, (x, y) => [x * 60, y * 80, 120])
    const cdn = await listen(async (_req, res) => {
      res.writeHead(200, { "content-type": "image/png" }).end(png)
    })
    const planted = records.slice(0, 60).map((a, k) => ({
      ...a,
      id: k % 2 === 0 ? `${a.id as string}_${KEY}` : a.id,
      original_file_name: k % 3 === 0 ? `${KEY}.jpg` : a.original_file_name,
      thumbnail_url: `${cdn.url}/thumbnails/${k}.png?sig=${KEY}`
    }))
    const server = await startGumnutServer({ key: KEY, albums: { [ALBUM]: planted }, style: "seed" })
    try {
      const cwd = tempDir()
      const r = await runCli(["report", "--album", ALBUM, "--base-url", server.url, "--thumbnails", "keep"], {
        cwd,
        env: { GUMNUT_API_KEY: KEY }
      })
      expect(r.code).toBe(0)
      const files = filesUnder(join(cwd, "albumsift-report"))
      expect(files.some((f) => f.name.startsWith("thumbs/"))).toBe(true)
      expect(files.some((f) => f.text.includes("[redacted]"))).toBe(true)
      for (const f of files) {
        expect(f.name).not.toContain(KEY)
        expect(f.text).not.toContain(KEY)
      }
      expect(r.stdout + r.stderr).not.toContain(KEY)
    } finally {
      await Promise.all([server.close(), cdn.close()])
    }
  })
})

describe("thumbnails from a hostile server", () => {
  it("--thumbnails keep never fetches from private or link-local addresses (no request forgery)", async () => {
    const aimed = records.slice(0, 40).map((a, k) => ({
      ...a,
      thumbnail_url:
        k % 2 === 0 ? `http://169.254.169.254/latest/meta-data/${k}` : `http://10.0.0.1/admin/${k}.png`
    }))
    const server = await startGumnutServer({ key: KEY, albums: { [ALBUM]: aimed }, style: "seed" })
    try {
      const cwd = tempDir()
      const started = Date.now()
      const r = await runCli(["report", "--album", ALBUM, "--base-url", server.url, "--thumbnails", "keep"], {
        cwd,
        env: { GUMNUT_API_KEY: KEY }
      })
      expect(r.code).toBe(0)
      expect(r.stderr).toContain("refused: a private address")
      expect(
        readdirSync(join(cwd, "albumsift-report")).includes("thumbs")
          ? readdirSync(join(cwd, "albumsift-report", "thumbs"))
          : []
      ).toEqual([])
      // Refused before any connection: no waiting on unroutable addresses.
      expect(Date.now() - started).toBeLessThan(20_000)
    } finally {
      await server.close()
    }
  })

  it("stalled thumbnails obey --timeout", async () => {
    const stalled = await listen(() => new Promise(() => undefined))
    const slow = records.slice(0, 48).map((a, k) => ({ ...a, thumbnail_url: `${stalled.url}/t/${k}.png` }))
    const server = await startGumnutServer({ key: KEY, albums: { [ALBUM]: slow }, style: "seed" })
    try {
      const started = Date.now()
      const r = await runCli(
        ["report", "--album", ALBUM, "--base-url", server.url, "--thumbnails", "keep", "--timeout", "1s"],
        { env: { GUMNUT_API_KEY: KEY } }
      )
      expect(r.code).toBe(0)
      expect(r.stderr).toContain("timed out")
      // 48 stalled thumbnails, 8 at a time, 1 s each: about 6 s, far below the 30 s default per thumbnail.
      expect(Date.now() - started).toBeLessThan(25_000)
    } finally {
      await Promise.all([server.close(), stalled.close()])
    }
  })
})

describe("bad ids and URLs are usage errors", () => {
  it("--album .. is refused before any request (exit 2), so no dot segment moves a request", async () => {
    const server = await startGumnutServer({
      key: KEY,
      albums: { [ALBUM]: records.slice(0, 3) },
      style: "seed"
    })
    try {
      for (const album of ["..", ".", "a/../b", "%2e%2e"]) {
        const r = await runCli(["report", "--album", album, "--base-url", server.url], {
          env: { GUMNUT_API_KEY: KEY }
        })
        expect(r.code, album).toBe(2)
        expect(r.stderr).toContain("is not an album id")
        expect(r.stderr.trimEnd().split("\n")).toHaveLength(1)
      }
      expect(server.requests).toEqual([])
    } finally {
      await server.close()
    }
  })

  it("a bad album id or base URL is said (exit 2) before a missing key (exit 1)", async () => {
    const noKey = { GUMNUT_API_KEY: "", IMMICH_API_KEY: "" }
    for (const [args, said] of [
      [["--album", ".."], "is not an album id"],
      [
        ["--album", ALBUM, "--base-url", "http://alice:hunter2secret@127.0.0.1:9/"],
        "carries a user name or password"
      ],
      [["--album", ALBUM, "--base-url", "ftp://127.0.0.1/"], "is not an http(s) URL"],
      [["--source", "immich", "--album", "a/b", "--base-url", "http://127.0.0.1:9"], "is not an album id"]
    ] as const) {
      const r = await runCli(["report", ...args], { env: noKey })
      expect(r.code, args.join(" ")).toBe(2)
      expect(r.stderr).toContain(said)
      expect(r.stderr).not.toContain("API_KEY")
      expect(r.stderr).not.toContain("hunter2secret")
    }
    // With valid ids and URL, the missing key is what is said.
    const r = await runCli(["report", "--album", ALBUM, "--base-url", "http://127.0.0.1:9"], { env: noKey })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("GUMNUT_API_KEY is not set")
  })

  it("a base URL with user:password@ is a usage error (exit 2) that never prints the password", async () => {
    const r = await runCli(
      ["report", "--album", ALBUM, "--base-url", "http://alice:hunter2secret@127.0.0.1:9/"],
      {
        env: { GUMNUT_API_KEY: KEY }
      }
    )
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("carries a user name or password")
    expect(r.stdout + r.stderr).not.toContain("hunter2secret")
    expect(r.stdout + r.stderr).not.toContain("alice")
    const env = await runCli(["report", "--album", ALBUM], {
      env: { GUMNUT_API_KEY: KEY, GUMNUT_BASE_URL: "https://bob:pw-in-env-123@api.example.com" }
    })
    expect(env.code).toBe(2)
    expect(env.stdout + env.stderr).not.toContain("pw-in-env-123")
  })
})

describe("output folders and signals", () => {
  it("an output folder that cannot be created (under /proc) fails in one line, fast", async () => {
    const started = Date.now()
    const r = await runCli(["report", "--input", SAMPLE, "--out", "/proc/self/x", "--quiet"])
    expect(r.code).toBe(1)
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1)
    expect(r.stderr).toMatch(/^albumsift: Cannot write \/proc\/self\/x: /)
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  /** Runs a report of a large album and sends `signal` once the first temporary report file appears. */
  const stopWhileWriting = async (signal: NodeJS.Signals) => {
    const cwd = tempDir()
    const album = join(cwd, "album.json")
    await generate(["--count", "50000", "--seed", "3", "--out", album])
    const out = join(cwd, "out")
    mkdirSync(out)
    // Left over by an earlier crash: cleaned up by this run whatever happens.
    writeFileSync(join(out, ".report.csv.0123456789ab.tmp"), "stale")
    const child = spawn(process.execPath, [BIN, "report", "--input", album, "--out", out, "--quiet"], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"]
    })
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)))
    let sent = false
    while (!sent) {
      const names = existsSync(out) ? readdirSync(out) : []
      if (names.some((n) => /^\.report\.(html|json)\.[0-9a-f]{12}\.tmp$/.test(n))) {
        child.kill(signal)
        sent = true
      } else if (child.exitCode !== null) {
        break
      } else {
        await new Promise((r) => setTimeout(r, 5))
      }
    }
    const code = await exited
    return { sent, code, left: readdirSync(out) }
  }

  for (const [signal, code] of [
    ["SIGTERM", 143],
    ["SIGHUP", 129]
  ] as const) {
    it(`${signal} while writing exits ${code} and leaves no temporary file (stale ones are cleaned too)`, async () => {
      const { sent, code: exit, left } = await stopWhileWriting(signal)
      expect(sent).toBe(true)
      expect(exit).toBe(code)
      expect(left.filter((n) => n.endsWith(".tmp"))).toEqual([])
      // All or nothing: the interrupted run put no report in place.
      expect(left.filter((n) => n.startsWith("report."))).toEqual([])
    })
  }
})
