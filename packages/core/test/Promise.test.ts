import { describe, expect, it } from "vitest"
import { InvalidOptions } from "../src/Options.js"
import { analyzeAssets } from "../src/Promise.js"
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
