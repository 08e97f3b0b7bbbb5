import { Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import * as Options from "../src/Options.js"

describe("Options", () => {
  it("fills documented defaults and merges weights", () => {
    const o = Options.resolve({ weights: { liqe_mix: 3 } })
    expect(o.burstGapSeconds).toBe(2)
    expect(o.maxBurstSpanSeconds).toBe(10)
    expect(o.weights).toEqual({ rating: 2, favorite: 1, metric: 1, liqe_mix: 3 })
    expect(Options.resolve()).toEqual(Options.defaults)
    expect(Options.weightOf(o, "liqe_mix")).toBe(3)
    expect(Options.weightOf(o, "other")).toBe(1)
    expect(Options.weightOf(o, "rating")).toBe(2)
  })

  it("rejects bad values with a message naming the option", () => {
    expect(() => Options.resolve({ burstGapSeconds: -1 })).toThrow(/burstGapSeconds/)
    expect(() => Options.resolve({ histogramBins: 0 })).toThrow(/histogramBins/)
    expect(() => Options.resolve({ weights: { rating: Number.NaN } })).toThrow(/weights.rating/)
    expect(() => Options.resolve({ reviewMargin: 2 })).toThrow(/reviewMargin/)
    const exit = Effect.runSyncExit(Options.validate({ lowQualityPercentile: 5 }))
    expect(Exit.isFailure(exit)).toBe(true)
    if (Exit.isFailure(exit)) expect(String(exit.cause)).toMatch(/lowQualityPercentile/)
  })
})
