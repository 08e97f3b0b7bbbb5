/**
 * End-to-end: `albumsift report --source immich` against the loopback Immich server (v2 and v3),
 * as a new user would run it: stacks and Immich duplicate groups show as evidence, thumbnails are
 * kept beside the report (fetched with the key, which never reaches the report or the terminal).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { makeImmichAsset, uuid } from "./support/immichAssets.js"
import { type ImmichServer, startImmichServer } from "./support/immichServer.js"
import { runCli, tempDir } from "./support/runCli.js"

const KEY = "kXb1mT9qLw0R3vY7uP2sZ8nC4dF6gH5jJ1aQeCLI"
const ALBUM_A = uuid("cli-album-a")
const ALBUM_B = uuid("cli-album-b")

const albums = (version: "v2" | "v3") => {
  const stack = { id: uuid("cli-stack"), primaryAssetId: uuid("immich-asset-0"), assetCount: 2 }
  const a = [
    makeImmichAsset(0, { version, stack, second: 0 }),
    makeImmichAsset(1, { version, stack, second: 3600 }),
    makeImmichAsset(2, { version, duplicateId: uuid("cli-dup"), second: 7200 }),
    makeImmichAsset(3, { version, duplicateId: uuid("cli-dup"), second: 10800 }),
    makeImmichAsset(4, { version, second: 14400 })
  ]
  // Album B shares assets 3 and 4 with A, and holds an exact copy of 4 (same bytes).
  const b = [
    a[3]!,
    a[4]!,
    makeImmichAsset(5, { version, bytesOf: 4, second: 18000 }),
    makeImmichAsset(6, { version })
  ]
  return { [ALBUM_A]: a, [ALBUM_B]: b }
}

let server: ImmichServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const leftovers = (dir: string): string => {
  let text = ""
  if (!existsSync(dir)) return text
  for (const f of readdirSync(dir)) if (f.startsWith("report.")) text += readFileSync(join(dir, f), "utf8")
  return text
}

describe("albumsift report --source immich (loopback)", () => {
  for (const version of [2, 3] as const) {
    it(`v${version}: one report, shared assets once, stack and duplicate evidence, thumbnails kept`, async () => {
      server = await startImmichServer({ key: KEY, version, albums: albums(version === 2 ? "v2" : "v3") })
      const cwd = tempDir()
      const r = await runCli(
        [
          "report",
          "--source",
          "immich",
          "--base-url",
          server.url,
          "--album",
          ALBUM_A,
          "--album",
          ALBUM_B,
          "--json"
        ],
        { cwd, env: { IMMICH_API_KEY: KEY } }
      )
      expect(r.stderr).toBe("")
      expect(r.code).toBe(0)
      const out = join(cwd, "albumsift-report")
      const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
      expect(report.summary.assets).toBe(7)
      expect(report.summary.duplicate_ids).toBe(2)
      expect(report.summary.groups_by_evidence.stack).toBe(1)
      expect(report.summary.groups_by_evidence.immich_duplicate).toBe(1)
      expect(report.summary.groups_by_evidence.checksum).toBe(1)
      expect(report.sources[0]).toMatchObject({ kind: "api", server: "immich", albums: [ALBUM_A, ALBUM_B] })
      // Thumbnails were fetched with the key and kept beside the report.
      expect(server.count("thumbnail")).toBeGreaterThan(0)
      expect(readdirSync(join(out, "thumbs")).length).toBe(server.count("thumbnail"))
      expect(server.requests.every((q) => q.headers["x-api-key"] === KEY)).toBe(true)
      expect(r.stdout + r.stderr + leftovers(out)).not.toContain(KEY)
    })
  }

  it("a wrong key fails in one clear line naming IMMICH_API_KEY and showing no key (exit 1)", async () => {
    server = await startImmichServer({ key: KEY, version: 3, albums: albums("v3") })
    const cwd = tempDir()
    const wrong = "wrongWRONGwrong1234567890abcdefWRONG"
    const r = await runCli(["report", "--source", "immich", "--base-url", server.url, "--album", ALBUM_A], {
      cwd,
      env: { IMMICH_API_KEY: wrong, GUMNUT_API_KEY: KEY }
    })
    expect(r.code).toBe(1)
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1)
    expect(r.stderr).toMatch(/^albumsift: Immich .*IMMICH_API_KEY/)
    expect(r.stdout + r.stderr).not.toContain(wrong)
    expect(r.stdout + r.stderr).not.toContain(KEY)
    expect(readdirSync(cwd)).toEqual([])
  })

  it("a Gumnut-only listing with --source immich is a usage error (exit 2)", async () => {
    const r = await runCli(["report", "--source", "immich", "--listing", "cursor", "--album", ALBUM_A])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--listing cursor does not apply to immich/)
  })
})
