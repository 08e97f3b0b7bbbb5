import { assert, describe, it } from "@effect/vitest"
import * as Gumnut from "../../src/source/Gumnut.js"
import { Hasher, idOf } from "../../src/source/internal/sourceIds.js"
import * as JsonInput from "../../src/source/JsonInput.js"

describe("Gumnut.toSeedShape", () => {
  const newer = {
    id: "asset_EVDYwYYmiDoCVZiZnA5k5w",
    mime_type: "image/jpeg",
    original_file_name: "DSC_0652.jpg",
    local_datetime: "2024-02-25T06:57:27.660000-08:00",
    metadata: { make: "NIKON CORPORATION", model: "NIKON Z 6_2", rating: 4 },
    file_data: {
      checksum: "DR00pgYMC13XiSPf+jNy26nU7l/jzvMVLaB5EBRZQOA=",
      checksum_sha1: "PaDX6+c+Lhjpm5/ciXUROL1ryaU=",
      device_asset_id: "web-DSC_0652.jpg-1767394994000",
      device_id: "WEB",
      file_created_at: "2026-01-02T23:03:14Z",
      file_modified_at: "2026-01-02T23:03:14Z",
      file_size_bytes: 100
    },
    asset_urls: {
      thumbnail: { url: "https://assets.gumnut.ai/t.webp", mimetype: "image/webp", width: 250 },
      original: { url: "https://assets.gumnut.ai/o.jpg" }
    }
  }

  it("maps metadata to exif, hoists file_data, and takes links from asset_urls", () => {
    const out = Gumnut.toSeedShape(newer) as Record<string, unknown>
    assert.deepStrictEqual(out.exif, newer.metadata)
    assert.strictEqual(out.checksum, newer.file_data.checksum)
    assert.strictEqual(out.checksum_sha1, newer.file_data.checksum_sha1)
    assert.strictEqual(out.device_id, "WEB")
    assert.strictEqual(out.device_asset_id, newer.file_data.device_asset_id)
    assert.strictEqual(out.file_created_at, newer.file_data.file_created_at)
    assert.strictEqual(out.thumbnail_url, "https://assets.gumnut.ai/t.webp")
    assert.strictEqual(out.download_url, "https://assets.gumnut.ai/o.jpg")
    assert.notStrictEqual(out, newer, "the input is not mutated")
    assert.isUndefined((newer as Record<string, unknown>).exif)
  })

  it("leaves seed-shaped assets untouched (same object) and top-level fields win", () => {
    const seed = { id: "a", checksum: "x", exif: { make: "A" }, thumbnail_url: "t" }
    assert.strictEqual(Gumnut.toSeedShape(seed), seed)
    const mixed = { ...newer, checksum: "top" } as Record<string, unknown>
    assert.strictEqual((Gumnut.toSeedShape(mixed) as Record<string, unknown>).checksum, "top")
  })

  it("passes non-objects through for the pipeline to reject", () => {
    assert.strictEqual(Gumnut.toSeedShape(null), null)
    assert.deepStrictEqual(Gumnut.toSeedShape([1]), [1])
  })
})

describe("source ids", () => {
  it("hashes ids in order", () => {
    const h = (ids: Array<string>) => {
      const x = new Hasher()
      for (const id of ids) x.add(id)
      return x
    }
    assert.isTrue(h(["a", "b"]).equals(h(["a", "b"])))
    assert.isFalse(h(["a", "b"]).equals(h(["b", "a"])))
    assert.isFalse(h(["ab", "c"]).equals(h(["a", "bc"])))
    assert.isFalse(h(["a"]).equals(h(["a", ""])))
  })

  it("reads ids of raw items, with stand-ins for bad ones", () => {
    assert.strictEqual(idOf({ id: "asset_1" }), "asset_1")
    assert.strictEqual(idOf(new JsonInput.InvalidJson("invalid JSON: x", "asset_2")), "#invalid:asset_2")
    assert.strictEqual(idOf(null), "#null")
    assert.strictEqual(idOf({ name: "x" }), "#no-id")
  })
})
