/**
 * `apply` and `undo` run in this process through the core's Promise API (`planActions` then
 * `applyPlan`, and `undoJournal`, as a library user would) with short retry delays, so a test can
 * exhaust retries against a loopback server in milliseconds. Unlike `albumsift apply --yes`, which
 * checks the server once before acting, the plan checks it and `applyPlan` checks it again: a test
 * aiming a fault at the n-th look-up counts both.
 */

import { type Apply, ApplyFailed, applyPlan, type Plan, planActions, undoJournal } from "@albumsift/core"
import { Either } from "effect"

export const FAST = { baseDelay: "1 millis", maxDelay: "2 millis", jitter: false, retries: 2 } as const

/**
 * The outcome (changes that failed included: `applyPlan`'s `ApplyFailed` carries it), or the error
 * the run failed with; a run its signal interrupted rejects with the signal's reason.
 */
const settled = async (
  run: () => Promise<Apply.Outcome>,
  signal: AbortSignal | undefined
): Promise<Either.Either<Apply.Outcome, unknown>> => {
  try {
    return Either.right(await run())
  } catch (error) {
    if (signal?.aborted && error === signal.reason) throw error
    if (error instanceof ApplyFailed && error.outcome !== undefined) return Either.right(error.outcome)
    return Either.left(error)
  }
}

/** `albumsift apply --yes` in process: the outcome, or the error it failed with. */
export const applyInProcess = (options: {
  readonly source?: "gumnut" | "immich"
  readonly url: string
  readonly key: string
  readonly report: string
  readonly journal: string
  readonly action?: Plan.Action
  readonly merge?: boolean
  readonly decisions?: string
  /** Interrupts the run when aborted (as a kill would, between any two steps). */
  readonly signal?: AbortSignal
}) =>
  settled(async () => {
    const planned = await planActions(options.report, {
      action: options.action ?? "trash",
      source: options.source ?? "gumnut",
      // As the report records it, so a journal written by hand with this URL resumes.
      baseUrl: new URL(options.url).href,
      apiKey: options.key,
      journal: options.journal,
      merge: options.merge,
      decisions: options.decisions,
      retry: FAST,
      signal: options.signal
    })
    return (await applyPlan(planned, { signal: options.signal })).outcome
  }, options.signal)

/** `albumsift undo --yes` in process (its own journal beside the apply's). */
export const undoInProcess = (options: {
  readonly url: string
  readonly key: string
  readonly journal: string
  readonly signal?: AbortSignal
}) =>
  settled(async () => {
    const undone = await undoJournal(options.journal, {
      yes: true,
      baseUrl: new URL(options.url).href,
      apiKey: options.key,
      retry: FAST,
      signal: options.signal
    })
    return undone.outcome!
  }, options.signal)
