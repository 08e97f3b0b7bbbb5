import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { lazyArray } from "../../src/engine/internal/LazyArray.js"

/** Element i of both arrays: a fresh object each time, as the analysis views build them. */
const element = (i: number) => ({ i, label: `asset-${i}` })

describe("lazyArray", () => {
  it("behaves as the real array of the same elements, at every length", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), (n) => {
        const lazy = lazyArray(n, element)
        const real = Array.from({ length: n }, (_, i) => element(i))
        expect(Array.isArray(lazy)).toBe(true)
        expect(lazy.length).toBe(n)
        expect(JSON.stringify(lazy)).toBe(JSON.stringify(real))
        expect([...lazy]).toEqual(real)
        expect(lazy.map((x) => x.i)).toEqual(real.map((x) => x.i))
        expect(lazy.slice(-3)).toEqual(real.slice(-3))
        expect(Object.keys(lazy)).toEqual(Object.keys(real))
        expect(n - 1 in lazy).toBe(n > 0)
        expect(n in lazy).toBe(false)
        expect(lazy[n]).toBeUndefined()
        expect(lazy[n - 1]).toEqual(real[n - 1])
      }),
      { numRuns: 30 }
    )
  })

  it("holds a long array (its holes kept sparse) like the real one", () => {
    const n = 150_000
    const lazy = lazyArray(n, element)
    expect(lazy.length).toBe(n)
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(Array.from({ length: n }, (_, i) => element(i))))
    expect(Object.keys(lazy).length).toBe(n)
    expect(lazy.at(-1)).toEqual(element(n - 1))
    expect(lazy.findIndex((x) => x.i === 123_456)).toBe(123_456)
    expect(n in lazy).toBe(false)
  })

  it("refuses writes", () => {
    const lazy = lazyArray(3, element) as Array<unknown>
    expect(() => {
      lazy[0] = "x"
    }).toThrow(TypeError)
    expect(() => {
      lazy.push("x")
    }).toThrow(TypeError)
    expect(lazy.length).toBe(3)
    expect(lazy[0]).toEqual(element(0))
  })
})
