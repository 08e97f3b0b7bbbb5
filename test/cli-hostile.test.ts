/**
 * End-to-end: the built CLI against hostile loopback servers and inputs, as an attacker would set
 * them up. Each test reproduces one attack from the hardening issue and checks what the run left
 * behind: its exit code, its one-line message, and every byte it wrote.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { listen } from "./support/faults.js"
import { startGumnutServer } from "./support/gumnutServer.js"
import { encodePng } from "./support/png.js"
import { runCli, SAMPLE, tempDir } from "./support/runCli.js"

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
