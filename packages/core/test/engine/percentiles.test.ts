import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { quantileRankSorted } from "simple-statistics"
import { Percentiles } from "../../src/engine/internal/percentiles.js"

/** Few distinct values (many ties), signed zeros, and any finite double. */
const value = fc.oneof(
  fc.integer({ min: -3, max: 3 }).map((k) => k / 4),
  fc.constantFrom(0, -0, 1e-300, -1e-300, Number.MAX_VALUE, -Number.MAX_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true })
)

describe("Percentiles", () => {
  it("gives every value of the table the same double as quantileRankSorted", () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), (values) => {
        const sorted = Float64Array.from(values).sort()
        const table = new Percentiles(sorted)
        for (const v of sorted) {
          // `toBe` compares with Object.is: -0 and 0 differ.
          expect(table.of(v)).toBe(quantileRankSorted(sorted as unknown as Array<number>, v))
        }
      }),
      { numRuns: 1000 }
    )
  })

  it("ranks ties by their mean position, -0 and 0 as one value", () => {
    const table = new Percentiles(Float64Array.from([-0, 0, 0, 0.5, 2]))
    // 0 and -0 hold positions 1..3 of 5: mean 2, so 0.4; 0.5 is 4th of 5; 2 is 5th.
    expect(table.of(0)).toBe(0.4)
    expect(table.of(-0)).toBe(0.4)
    expect(table.of(0.5)).toBe(0.8)
    expect(table.of(2)).toBe(1)
  })
})
