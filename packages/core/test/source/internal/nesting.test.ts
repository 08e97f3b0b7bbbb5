import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { exceedsDepth, nestsDeeper } from "../../../src/source/internal/nesting.js"

/** A JSON value nested `depth` levels, alternating arrays and objects, with a leaf inside. */
const nested = (depth: number, leaf: unknown): unknown => {
  let value = leaf
  for (let k = 0; k < depth; k++) value = k % 2 === 0 ? [value] : { [`k${k}`]: value }
  return value
}

describe("nestsDeeper (the batch reader's depth check)", () => {
  it("agrees with exceedsDepth on JSON values, at and around every limit", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 0, max: 70 }),
        fc.jsonValue({ maxDepth: 4 }),
        (depth, max, leaf) => {
          const value = JSON.parse(JSON.stringify(nested(depth, leaf)))
          expect(nestsDeeper(value, max)).toBe(exceedsDepth(value, max))
        }
      ),
      { numRuns: 2000 }
    )
  })

  it("uses 64 levels by default: 64 nest fine, 65 do not", () => {
    expect(nestsDeeper(nested(64, 1))).toBe(false)
    expect(nestsDeeper(nested(65, 1))).toBe(true)
    expect(nestsDeeper(nested(10_000, 1))).toBe(true)
  })
})
