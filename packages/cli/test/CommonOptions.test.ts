import { Renderer } from "@albumsift/report"
import type { ValidationError } from "@effect/cli"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import {
  parseDuration,
  parseFormats,
  parseLowQuality,
  parseNames,
  parseNumber,
  parseWeights
} from "../src/CommonOptions.js"

describe("CommonOptions", () => {
  it.effect("formats: comma lists and repeats, in the report registry's order, all when none given", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* parseFormats(["html,json"]), ["json", "html"])
      assert.deepStrictEqual(yield* parseFormats(["csv", "CSV", "json"]), ["json", "csv"])
      assert.deepStrictEqual(yield* parseFormats([]), [...Renderer.FORMATS])
      assert.isTrue(Exit.isFailure(yield* Effect.exit(parseFormats(["html,pdf"]))))
    })
  )

  it.effect("weights: name=value, the last one wins, negatives and junk refused", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* parseWeights(["rating=3", "liqe_mix=0.5", "rating=1"]), {
        rating: 1,
        liqe_mix: 0.5
      })
      for (const bad of ["rating", "rating=", "rating=-1", "=2", "rating=two"]) {
        assert.isTrue(Exit.isFailure(yield* Effect.exit(parseWeights([bad]))), bad)
      }
    })
  )

  it("names: comma-separated or repeated, de-duplicated", () => {
    assert.deepStrictEqual(parseNames(["a,b", "b", " c "]), ["a", "b", "c"])
  })

  it.effect("low quality: thresholds respect the metric's direction; percentiles are 0..100%", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* parseLowQuality(["liqe_mix<1.375", "5%"], []), {
        percentile: 0.05,
        thresholds: { liqe_mix: 1.375 }
      })
      assert.deepStrictEqual(yield* parseLowQuality(["noise>0.8"], ["noise"]), { thresholds: { noise: 0.8 } })
      for (const [v, lower] of [
        ["liqe_mix>2", []],
        ["noise<0.2", ["noise"]],
        ["150%", []],
        ["liqe_mix", []]
      ] as const) {
        assert.isTrue(Exit.isFailure(yield* Effect.exit(parseLowQuality([v], lower))), v)
      }
    })
  )

  it.effect("durations: seconds by default, ms and m suffixes", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* parseDuration("--timeout", "30"), 30_000)
      assert.strictEqual(yield* parseDuration("--timeout", "500ms"), 500)
      assert.strictEqual(yield* parseDuration("--timeout", "1.5s"), 1500)
      assert.strictEqual(yield* parseDuration("--timeout", "2m"), 120_000)
      assert.isTrue(Exit.isFailure(yield* Effect.exit(parseDuration("--timeout", "0"))))
      assert.isTrue(Exit.isFailure(yield* Effect.exit(parseDuration("--timeout", "soon"))))
    })
  )

  it.effect("numbers: the error names the flag, what it takes and what it got", () =>
    Effect.gen(function* () {
      assert.strictEqual(
        yield* parseNumber("--review-margin", "0.1", { min: 0, max: 1, example: "0.1" }),
        0.1
      )
      assert.strictEqual(yield* parseNumber("--retries", "0", { min: 0, integer: true, example: "4" }), 0)
      const message = (exit: Exit.Exit<number, ValidationError.ValidationError>) =>
        Exit.isFailure(exit) ? JSON.stringify(exit.cause) : "succeeded"
      const abc = yield* Effect.exit(
        parseNumber("--review-margin", "abc", { min: 0, max: 1, example: "0.1" })
      )
      assert.include(
        message(abc),
        '--review-margin takes a number in 0..1 (e.g. --review-margin 0.1), got \\"abc\\"'
      )
      const half = yield* Effect.exit(
        parseNumber("--concurrency", "1.5", { min: 1, integer: true, example: "4" })
      )
      assert.include(message(half), "--concurrency takes a whole number >= 1")
      for (const bad of ["", "7", "-1", "NaN", "Infinity"]) {
        const exit = yield* Effect.exit(
          parseNumber("--review-margin", bad, { min: 0, max: 1, example: "0.1" })
        )
        assert.isTrue(Exit.isFailure(exit), bad)
      }
    })
  )
})
