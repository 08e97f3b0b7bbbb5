import { Cause, Effect, Exit } from "effect"
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
    expect(() => Options.resolve({ canMergeGps: "no" } as unknown as Options.AnalysisOptions)).toThrow(
      /canMergeGps: must be true or false/
    )
    expect(Options.resolve({ canMergeGps: false }).canMergeGps).toBe(false)
    const exit = Effect.runSyncExit(Options.validate({ lowQualityPercentile: 5 }))
    expect(Exit.isFailure(exit)).toBe(true)
    if (Exit.isFailure(exit)) expect(String(exit.cause)).toMatch(/lowQualityPercentile/)
  })

  it("rejects a key it does not know, naming it and the nearest known one", () => {
    const exit = Effect.runSyncExit(Options.validate({ burstGap: 1 } as Options.AnalysisOptions))
    expect(Exit.isFailure(exit)).toBe(true)
    if (Exit.isFailure(exit)) {
      const error = Cause.squash(exit.cause)
      expect(error).toBeInstanceOf(Options.InvalidOptions)
      expect((error as Options.InvalidOptions).option).toBe("burstGap")
      expect((error as Options.InvalidOptions).message).toMatch(
        /unknown option \(did you mean burstGapSeconds\?\)/
      )
    }
    expect(() => Options.resolve({ colour: "red" } as Options.AnalysisOptions)).toThrow(
      /colour: unknown option; known:/
    )
    // Every documented key is accepted, including undefined values.
    expect(Options.resolve({ ...Options.defaults, reviewMargin: undefined })).toEqual(Options.defaults)
  })
})
