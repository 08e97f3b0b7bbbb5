import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { UuidTexts } from "../../src/engine/internal/UuidTexts.js"

const hexDigits = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-fA-F]{${n}}$`))
/** UUID-shaped texts: canonical in either case, mixed case, or with a wrong character or length. */
const uuidLike = fc
  .tuple(hexDigits(8), hexDigits(4), hexDigits(4), hexDigits(4), hexDigits(12))
  .chain((parts) =>
    fc.constantFrom(
      parts.join("-").toLowerCase(),
      parts.join("-").toUpperCase(),
      parts.join("-"),
      parts.join("_").toLowerCase(),
      `${parts.join("-").toLowerCase()} `,
      parts.join("-").toLowerCase().replace(/^./, "g"),
      parts.join("").toLowerCase()
    )
  )

describe("UuidTexts", () => {
  it("gives back every text exactly, here and after crossing to another thread", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(uuidLike, fc.string(), fc.constant("")), { maxLength: 40 }), (values) => {
        const texts = new UuidTexts(values)
        const there = UuidTexts.revive(structuredClone(texts))
        for (const t of [texts, there]) {
          expect(t.length).toBe(values.length)
          values.forEach((value, k) => {
            expect(t.at(k)).toBe(value)
          })
          // Again, each twice and backwards: the one remembered text must not answer for another.
          for (let k = values.length - 1; k >= 0; k--) {
            expect(t.at(k)).toBe(values[k])
            expect(t.at(k)).toBe(values[k])
          }
        }
      }),
      { numRuns: 500 }
    )
  })

  it("keeps a canonical UUID as bytes, and anything else as text", () => {
    const texts = new UuidTexts([
      "258eafa5-e914-47da-95ca-c5ab0dc85b11",
      "286FA7BB-660B-423C-A2A1-07490EA95375",
      "286Fa7BB-660B-423C-A2A1-07490EA95375"
    ])
    const kept = (texts as unknown as { texts: Map<number, string> }).texts
    expect([...kept.keys()]).toEqual([2])
    expect(() => texts.at(3)).toThrow(RangeError)
  })
})
