import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { DecisionsError } from "../src/Decisions.js"
import { InvalidOptions } from "../src/Options.js"
import { analyzeAssets, readDecisions } from "../src/Promise.js"
import { raw, sha256 } from "./fixtures.js"

describe("analyzeAssets", () => {
  const album = [raw("a", { checksum: sha256("k") }), raw("b", { checksum: sha256("k") }), { id: "broken" }]

  it("analyses an array", async () => {
    const a = await analyzeAssets(album)
    expect(a.groups.map((g) => g.keeper)).toEqual(["a"])
    // Every missing field is named, not only the first.
    expect(a.rejected).toEqual([
      {
        index: 2,
        id: "broken",
        reason:
          "device_asset_id, device_id, mime_type, original_file_name, file_created_at, file_modified_at, local_datetime, checksum, created_at, updated_at: is missing"
      }
    ])
  })

  it("analyses an async iterable the same way", async () => {
    async function* gen() {
      for (const x of album) yield x
    }
    const a = await analyzeAssets(gen())
    expect(a.summary).toEqual((await analyzeAssets(album)).summary)
  })

  it("rejects with the real error, not a FiberFailure", async () => {
    const boom = new RangeError("source broke")
    async function* failing() {
      yield raw("a")
      throw boom
    }
    await expect(analyzeAssets(failing())).rejects.toBe(boom)
    const error = await analyzeAssets([], { burstGapSeconds: -5 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidOptions)
    expect((error as Error).message).toBe("Invalid option burstGapSeconds: must be a number >= 0")
  })
})

describe("readDecisions", () => {
  const album = [raw("a", { checksum: sha256("k") }), raw("b", { checksum: sha256("k") })]

  it("reads a decisions file for the decisions option, and rejects with a DecisionsError", async () => {
    const dir = mkdtempSync(join(tmpdir(), "albumsift-decisions-"))
    try {
      const path = join(dir, "decisions.json")
      writeFileSync(
        path,
        JSON.stringify({ schema_version: 1, groups: [{ members: ["b", "a"], keep: ["b"] }] })
      )
      const a = await analyzeAssets(album, { decisions: await readDecisions(path) })
      expect(a.groups.map((g) => [g.keeper, g.decidedBy])).toEqual([["b", "you"]])
      writeFileSync(path, "{}")
      const bad = await readDecisions(path).catch((e: unknown) => e)
      expect(bad).toBeInstanceOf(DecisionsError)
      expect((bad as Error).message).toMatch(/decisions\.json: schema_version: /)
      const missing = await readDecisions(join(dir, "none.json")).catch((e: unknown) => e)
      expect((missing as Error).message).toMatch(/none\.json: cannot read the file: no such file$/)
      const notAPath = await readDecisions(42 as unknown as string).catch((e: unknown) => e)
      expect((notAPath as Error).message).toBe("readDecisions: expected a file path, got number")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
