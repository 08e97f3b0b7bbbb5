import { assert, describe, it } from "@effect/vitest"
import { Blanker } from "../../../src/source/internal/credentials.js"

const KEY = "sk_live/Ab9-xyz.42"

describe("credentials.Blanker", () => {
  const blanker = new Blanker(KEY)

  it("blanks the key as is, in any letter case, and in every escaped spelling", () => {
    const spellings = [
      KEY,
      KEY.toUpperCase(), // a URL host is lower-cased; any case counts
      KEY.replace("/", "\\/"), // JSON's optional \/ (PHP's default)
      KEY.replace("s", "\\u0073").replace("A", "\\u0041"), // JSON \uXXXX
      KEY.replace("/", "%2F").replace("k", "%6b"), // percent-encoding
      KEY.replace("x", "&#120;").replace("y", "&#x79;") // HTML character references
    ]
    for (const s of spellings)
      assert.strictEqual(blanker.text(`before ${s} after`), "before [redacted] after", s)
  })

  it("leaves other text alone, and never blanks keys of 3 characters or fewer", () => {
    assert.strictEqual(blanker.text("sk_live/Ab9-xy"), "sk_live/Ab9-xy")
    assert.strictEqual(new Blanker("abc").text("abc abc"), "abc abc")
    assert.isFalse(new Blanker("abc").mayHold("abc"))
  })

  it("blanks every string and member name of a parsed value, however deep", () => {
    const innermost = [KEY]
    let deep: unknown = innermost
    for (let i = 0; i < 50_000; i++) deep = [deep]
    const value = { id: `asset_${KEY}`, [KEY]: 1, exif: { model: [KEY, { deep }] as Array<unknown> } }
    blanker.value(value)
    assert.deepStrictEqual(innermost, ["[redacted]"])
    value.exif.model[1] = {}
    const clean = JSON.stringify(value)
    assert.notInclude(clean, KEY)
    assert.include(clean, '"id":"asset_[redacted]"')
    assert.include(clean, '"[redacted]":1')
  })

  it("mayHold: raw JSON text holding the key as is, or any escape, needs the walk", () => {
    assert.isTrue(blanker.mayHold(`{"a":"${KEY}"}`))
    assert.isTrue(blanker.mayHold(`{"a":"\\u0073k_live"}`))
    assert.isFalse(blanker.mayHold(`{"a":"nothing here"}`))
  })
})
