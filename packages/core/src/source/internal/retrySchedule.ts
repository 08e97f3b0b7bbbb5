/**
 * The retry policy of the HTTP layer as an Effect `Schedule` (the Gumnut SDK's policy, made
 * configurable), so it composes with `Effect.retry` and is tested with `TestClock`:
 * - only failures marked retryable are retried (the caller classifies: connection errors,
 *   timeouts, 408, 409, 429, 5xx, cut-off or non-JSON bodies, or `x-should-retry: true`);
 * - at most `retries` times;
 * - the delay is the server's (`retry-after-ms`, else `Retry-After`, already capped) when it gave
 *   one; else `min(baseDelay * 2^n, maxDelay)` times a jitter factor in [0.75, 1].
 */
import { Duration, Effect, Option, Schedule } from "effect"

/** What the schedule needs to know of a failed attempt. */
export interface Failure {
  readonly retryable: boolean
  /** A source error to raise as it is: never retried. */
  readonly error?: unknown
  /** The delay the server asked for, already capped. */
  readonly retryAfter?: Duration.Duration | undefined
  readonly summary: string
}

/** The settings the schedule reads. */
export interface Policy {
  readonly retries: number
  readonly baseDelay: Duration.DurationInput
  readonly maxDelay: Duration.DurationInput
  readonly jitter: boolean
}

/** Whether a status is worth retrying by default: 408, 409, 429 and 5xx. */
export const isRetryableStatus = (status: number): boolean =>
  status === 408 || status === 409 || status === 429 || status >= 500

/**
 * The delay a server asks for: `retry-after-ms` (milliseconds), else `retry-after` in seconds or
 * as an HTTP date (relative to `now`). Nothing when absent, unparsable or negative.
 */
export const requestedDelay = (
  headers: Readonly<Record<string, string | undefined>>,
  now: number
): Option.Option<Duration.Duration> => {
  const ms = headers["retry-after-ms"]
  if (ms !== undefined && ms.trim() !== "") {
    const v = Number(ms)
    if (Number.isFinite(v) && v >= 0) return Option.some(Duration.millis(v))
  }
  const ra = headers["retry-after"]?.trim()
  if (ra !== undefined && ra !== "") {
    if (/^\d+(\.\d+)?$/.test(ra)) return Option.some(Duration.millis(Number(ra) * 1000))
    const at = Date.parse(ra)
    if (!Number.isNaN(at)) return Option.some(Duration.millis(Math.max(0, at - now)))
  }
  return Option.none()
}

/**
 * The schedule: fed each failed attempt, it waits the delay above before the next one and stops
 * (so the failure is final) when the failure is not retryable or the retries are used up.
 * `onRetry` is told each failure and delay (the HTTP layer logs them).
 */
export const schedule = <F extends Failure>(
  policy: Policy,
  onRetry: (failure: F, delay: Duration.Duration) => Effect.Effect<void> = () => Effect.void
): Schedule.Schedule<unknown, F> => {
  const exponential = Schedule.exponential(policy.baseDelay, 2).pipe(
    // `union` waits the shorter of the two delays: the doubling, capped at maxDelay.
    Schedule.union(Schedule.spaced(policy.maxDelay))
  )
  const backoff = policy.jitter ? Schedule.jitteredWith(exponential, { min: 0.75, max: 1 }) : exponential
  return backoff.pipe(
    Schedule.intersect(Schedule.recurs(policy.retries)),
    Schedule.intersect(Schedule.identity<F>()),
    Schedule.whileInput((failure: F) => failure.retryable && failure.error === undefined),
    // The server's own delay wins over the backoff (and is not jittered).
    Schedule.modifyDelayEffect(([, failure], delay) => {
      const chosen = failure.retryAfter ?? delay
      return Effect.as(onRetry(failure, chosen), chosen)
    })
  )
}
