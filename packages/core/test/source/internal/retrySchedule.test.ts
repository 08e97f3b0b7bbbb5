import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Schedule, TestClock } from "effect"
import { type Failure, schedule } from "../../../src/source/internal/retrySchedule.js"

const policy = { retries: 4, baseDelay: "500 millis", maxDelay: "8 seconds", jitter: false } as const

const failure = (over: Partial<Failure> = {}): Failure => ({ retryable: true, summary: "HTTP 503", ...over })

/**
 * Feeds `failures` to the schedule's driver one by one on the virtual clock and records, for each,
 * the virtual milliseconds waited before the next attempt, or "stop" when the schedule gave up.
 */
const delays = (failures: ReadonlyArray<Failure>, p: typeof policy | { readonly jitter: boolean } = policy) =>
  Effect.gen(function* () {
    const driver = yield* Schedule.driver(schedule<Failure>({ ...policy, ...p }))
    const out: Array<number | "stop"> = []
    for (const f of failures) {
      const before = yield* TestClock.currentTimeMillis
      const fiber = yield* Effect.fork(Effect.either(driver.next(f)))
      // Step the virtual clock until the driver has slept and decided.
      let result = yield* Fiber.poll(fiber)
      while (result._tag === "None") {
        yield* TestClock.adjust("50 millis")
        result = yield* Fiber.poll(fiber)
      }
      const decided = yield* Fiber.join(fiber)
      if (decided._tag === "Left") {
        out.push("stop")
        break
      }
      out.push((yield* TestClock.currentTimeMillis) - before)
    }
    return out
  })

describe("retrySchedule", () => {
  it.effect("backs off 0.5 s doubling to the 8 s cap, and stops after the retries", () =>
    Effect.gen(function* () {
      const got = yield* delays(
        Array.from({ length: 7 }, () => failure()),
        { ...policy, retries: 5 } as never
      )
      assert.deepStrictEqual(got, [500, 1000, 2000, 4000, 8000, "stop"])
    })
  )

  it.effect("Retry-After (already capped by the caller) wins over the backoff", () =>
    Effect.gen(function* () {
      const got = yield* delays([
        failure({ retryAfter: Duration.seconds(3) }),
        failure(),
        failure({ retryAfter: Duration.millis(100) })
      ])
      assert.deepStrictEqual(got, [3000, 1000, 100])
    })
  )

  it.effect("a failure that is not retryable, or carries a source error, stops at once", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* delays([failure({ retryable: false })]), ["stop"])
      assert.deepStrictEqual(yield* delays([failure(), failure({ error: new Error("album changed") })]), [
        500,
        "stop"
      ])
    })
  )

  it.effect("jitter scales each backoff into [0.75, 1] of its value; never a server delay", () =>
    Effect.gen(function* () {
      const got = yield* delays(
        [failure(), failure(), failure(), failure({ retryAfter: Duration.seconds(2) })],
        { jitter: true }
      )
      const [a, b, c, d] = got as Array<number>
      // The virtual clock moves in 50 ms steps: allow one step of slack.
      assert.isTrue(a! >= 375 - 50 && a! <= 500 + 50, `first ${a}`)
      assert.isTrue(b! >= 750 - 50 && b! <= 1000 + 50, `second ${b}`)
      assert.isTrue(c! >= 1500 - 50 && c! <= 2000 + 50, `third ${c}`)
      assert.strictEqual(d, 2000)
    })
  )
})
