/**
 * Tried as a new user would: a script outside the workspace imports the BUILT `@albumsift/core`
 * by package name, calls `analyzeAssets` on an array, and gets groups and rejected entries.
 */
import { execFile } from "node:child_process"
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const run = promisify(execFile)
const coreDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "packages", "core")

const script = `
import { analyzeAssets, SCHEMA_VERSION } from "@albumsift/core"

const checksum = (n) => Buffer.alloc(32, "c" + n).toString("base64")
const asset = (id, extra = {}) => ({
  id, device_asset_id: id, device_id: "phone", mime_type: "image/jpeg",
  original_file_name: id + ".jpg", file_created_at: "2024-05-01T12:00:00Z",
  file_modified_at: "2024-05-01T12:00:00Z", local_datetime: "2024-05-01T12:00:00Z",
  checksum: checksum(id), created_at: "2024-06-01T08:00:00Z", updated_at: "2024-06-01T08:00:00Z",
  ...extra
})
const camera = (id, time, rating) => asset(id, {
  local_datetime: time, exif: { make: "Canon", model: "EOS R5", original_datetime: time, rating }
})

const analysis = await analyzeAssets([
  asset("copy-a", { checksum: checksum("same") }),
  asset("copy-b", { checksum: checksum("same"), exif: { make: "Canon", model: "EOS R5", latitude: 1, longitude: 2 } }),
  camera("burst-1", "2024-05-01T09:00:00.000", 2),
  camera("burst-2", "2024-05-01T09:00:00.500", 5),
  { id: "broken", checksum: null },
  "not an asset"
])
process.stdout.write(JSON.stringify({
  schemaVersion: analysis.schemaVersion === SCHEMA_VERSION ? analysis.schemaVersion : "mismatch",
  groups: analysis.groups.map((g) => ({ kind: g.kind, keeper: g.keeper, members: g.members.map((m) => m.assetId + ":" + m.recommendation) })),
  rejected: analysis.rejected,
  assets: analysis.assets.length
}))
try {
  await analyzeAssets([], { burstGapSeconds: -1 })
} catch (error) {
  process.stderr.write(error.name + ": " + error.message)
}
`

describe("@albumsift/core as a library (built package, outside the workspace)", () => {
  let dir = ""
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "albumsift-user-"))
    await mkdir(join(dir, "node_modules", "@albumsift"), { recursive: true })
    await symlink(coreDir, join(dir, "node_modules", "@albumsift", "core"), "dir")
    await writeFile(
      join(dir, "package.json"),
      JSON.stringify({ name: "user-app", type: "module", private: true })
    )
    await writeFile(join(dir, "app.mjs"), script)
  })
  afterAll(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true })
  })

  it("analyzeAssets returns groups and rejected entries; bad options reject with a clear error", async () => {
    const { stdout, stderr } = await run(process.execPath, ["app.mjs"], { cwd: dir })
    const out = JSON.parse(stdout)
    expect(out.schemaVersion).toBe(1)
    expect(out.assets).toBe(4)
    expect(out.groups).toEqual([
      { kind: "near", keeper: "burst-2", members: ["burst-2:keep", "burst-1:discard"] },
      { kind: "exact", keeper: "copy-b", members: ["copy-b:keep", "copy-a:discard"] }
    ])
    expect(out.rejected).toEqual([
      {
        index: 4,
        id: "broken",
        reason:
          "device_asset_id, device_id, mime_type, original_file_name, file_created_at, file_modified_at, local_datetime, created_at, updated_at: is missing; checksum: Expected string, actual null"
      },
      { index: 5, reason: "expected an asset object, got string" }
    ])
    expect(stderr).toBe("InvalidOptions: Invalid option burstGapSeconds: must be a number >= 0")
  })
})
