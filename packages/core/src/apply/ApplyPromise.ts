/**
 * A plain-Promise facade for acting on a report: `planActions` (a dry run: GET requests only),
 * `applyPlan` (re-checks the server, then acts, journalling every change) and `undoJournal`.
 * Each rejects with the real error (a `TargetError`, a `ReportFileError`...), never a FiberFailure;
 * each takes a `retry` policy for its requests and a `signal` to stop it.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Cause, Duration, Effect, Exit, Layer, Option, Redacted, type Scope } from "effect"
import * as Decisions from "../Decisions.js"
import { InvalidOptions } from "../Options.js"
import type * as Http from "../source/Http.js"
import * as GumnutTarget from "../target/GumnutTarget.js"
import * as ImmichTarget from "../target/ImmichTarget.js"
import type { ServerRef, Target } from "../target/Target.js"
import * as Apply from "./Apply.js"
import * as Journal from "./Journal.js"
import * as Plan from "./Plan.js"
import * as ReportFile from "./ReportFile.js"

/**
 * Runs in a scope of its own: a journal's lock is held until the call settles. An aborted `signal`
 * interrupts the run (its finalizers run, the lock is released) and rejects with `signal.reason`.
 */
const run = async <A, E>(effect: Effect.Effect<A, E, Scope.Scope>, signal?: unknown): Promise<A> => {
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new InvalidOptions({ option: "signal", reason: "expected an AbortSignal" })
  if (signal?.aborted) throw signal.reason
  const exit = await Effect.runPromiseExit(
    Effect.scoped(effect),
    signal === undefined ? undefined : { signal }
  )
  if (Exit.isSuccess(exit)) return exit.value
  if (signal?.aborted && Cause.isInterruptedOnly(exit.cause)) throw signal.reason
  throw Cause.originalError(Cause.squash(exit.cause))
}

/**
 * What every call takes besides its own options: how its requests are retried, and a way to stop it.
 * @since 0.2.0
 */
export interface RequestOptions {
  /**
   * The HTTP retry policy, as the target layers take it (`GumnutTarget.layer`, `ImmichTarget.layer`):
   * any of `retries`, `baseDelay`, `maxDelay`, `maxRetryAfter`, `timeout`, `deadline`, `jitter`, the
   * rest as `albumsift apply` does (4 retries, backoff 0.5 s doubling to 8 s, a server's `Retry-After`
   * up to 10 minutes, 60 s timeout), e.g. `{ retries: 0 }` to fail on the first 5xx.
   */
  readonly retry?: Partial<Http.RetryOptions> | undefined
  /**
   * Aborting it stops the run where it is, as a kill would (a request in flight is abandoned, its
   * answer unrecorded): the call rejects with `signal.reason`, the journal's lock is released, and
   * the journal says what was done; a run on the same journal resumes it.
   */
  readonly signal?: AbortSignal | undefined
}

/** Whether a duration input is written without a negative (or NaN) amount. */
const notNegative = (value: unknown): boolean =>
  typeof value === "number"
    ? value >= 0
    : typeof value === "bigint"
      ? value >= 0n
      : typeof value === "string"
        ? !value.startsWith("-")
        : Array.isArray(value)
          ? value.every((x) => typeof x !== "number" || x >= 0)
          : true

/** A value as a message shows it (a bigint as `5n`). */
const shown = (value: unknown): string =>
  typeof value === "bigint" ? `${value}n` : (JSON.stringify(value) ?? String(value))

const RETRY_KEYS = ["retries", "baseDelay", "maxDelay", "maxRetryAfter", "timeout", "deadline", "jitter"]

/** A `retry` policy from plain JavaScript: known keys, whole retries, durations; unset keys dropped. */
const checkRetry = (
  retry: unknown
): Effect.Effect<Partial<Http.RetryOptions> | undefined, InvalidOptions> => {
  if (retry === undefined) return Effect.succeed(undefined)
  const refuse = (reason: string) => Effect.fail(new InvalidOptions({ option: "retry", reason }))
  if (typeof retry !== "object" || retry === null || Array.isArray(retry))
    return refuse(`expected an object such as { retries: 2 }, got ${shown(retry)}`)
  const given: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(retry)) {
    if (!RETRY_KEYS.includes(key)) return refuse(`unknown key ${key} (known: ${RETRY_KEYS.join(", ")})`)
    if (value !== undefined) given[key] = value
  }
  const { retries, jitter } = given
  if (retries !== undefined && !(Number.isSafeInteger(retries) && (retries as number) >= 0))
    return refuse(`retries: expected a whole number of 0 or more, got ${shown(retries)}`)
  if (jitter !== undefined && typeof jitter !== "boolean")
    return refuse(`jitter: expected true or false, got ${shown(jitter)}`)
  for (const key of ["baseDelay", "maxDelay", "maxRetryAfter", "timeout", "deadline"]) {
    const value = given[key]
    if (value === undefined) continue
    // Effect reads a negative or NaN duration written as text, a bigint or a tuple as zero: refused as
    // a negative number is. A timeout or deadline of zero would fail every request at once.
    const decoded = notNegative(value) ? Duration.decodeUnknown(value) : Option.none()
    const positive = key === "timeout" || key === "deadline"
    if (Option.isNone(decoded) || (positive && Duration.isZero(decoded.value)))
      return refuse(
        `${key}: expected a duration${positive ? " above zero" : ""} such as "2 seconds", got ${shown(value)}`
      )
  }
  return Effect.succeed(given as Partial<Http.RetryOptions>)
}

/** The server and key; by default the report's server and `GUMNUT_API_KEY` / `IMMICH_API_KEY`. @since 0.2.0 */
export interface ServerOptions {
  readonly source?: "gumnut" | "immich" | undefined
  readonly baseUrl?: string | undefined
  /** Kept `Redacted` from here on and sent only to the base URL. */
  readonly apiKey?: string | undefined
}

/** What `planActions` needs besides the report. `retry` is `applyPlan`'s too unless it is given one. @since 0.2.0 */
export interface PlanActionsOptions extends ServerOptions, RequestOptions {
  readonly action: Plan.Action
  readonly groups?: Plan.Scope | undefined
  readonly merge?: boolean | undefined
  /** A decisions file (JSON, or an edited report.csv). */
  readonly decisions?: string | undefined
  /** Default `<report dir>/journal-<action>-<UTC time>.ndjson`; an existing journal resumes. */
  readonly journal?: string | undefined
}

/** A plan checked against the server, ready for `applyPlan`. @since 0.2.0 */
export interface PlannedActions {
  readonly server: ServerRef
  readonly report: string
  readonly journal: string
  readonly plan: Plan.Plan
  readonly prepared: Apply.Prepared
  readonly apiKey?: string | undefined
  /** The `retry` given to `planActions`, for `applyPlan`. */
  readonly retry?: Partial<Http.RetryOptions> | undefined
}

const layerFor = (
  server: ServerRef,
  apiKey: string | undefined,
  retry: Partial<Http.RetryOptions> | undefined
) =>
  (apiKey === undefined
    ? Apply.targetLayer(server, retry)
    : server.source === "immich"
      ? ImmichTarget.layer({ apiKey: Redacted.make(apiKey), baseUrl: server.base_url, retry })
      : GumnutTarget.layer({ apiKey: Redacted.make(apiKey), baseUrl: server.base_url, retry })
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))

const provided = <A, E>(
  effect: Effect.Effect<A, E, Target>,
  server: ServerRef,
  apiKey: string | undefined,
  retry: Partial<Http.RetryOptions> | undefined
) => Effect.provide(effect, layerFor(server, apiKey, retry))

/** The `signal` of an options argument, whatever plain JavaScript passed (checked by `run`). */
const optionsSignal = (options: unknown): unknown =>
  typeof options === "object" && options !== null ? (options as { signal?: unknown }).signal : undefined

/** Plain-JavaScript callers are not type-checked: a wrong argument is refused before anything is read. */
const checkPlanOptions = (report: unknown, options: unknown) => {
  const o = (typeof options === "object" && options !== null ? options : {}) as Record<string, unknown>
  const refuse = (option: string, reason: string) => Effect.fail(new InvalidOptions({ option, reason }))
  if (typeof report !== "string" || report === "")
    return refuse("report", "expected the path of a report.json or its folder")
  if (!Plan.ACTIONS.includes(o.action as Plan.Action))
    return refuse(
      "action",
      `expected one of ${Plan.ACTIONS.join(", ")}, got ${JSON.stringify(o.action) ?? "nothing"}`
    )
  if (o.groups !== undefined && !Plan.SCOPES.includes(o.groups as Plan.Scope))
    return refuse("groups", `expected one of ${Plan.SCOPES.join(", ")}, got ${JSON.stringify(o.groups)}`)
  if (o.source !== undefined && o.source !== "gumnut" && o.source !== "immich")
    return refuse("source", `expected gumnut or immich, got ${JSON.stringify(o.source)}`)
  return Effect.void
}

/**
 * Plans an action on a report and checks it against the server (GET requests only): what would be
 * done, merged and skipped, and why. Its requests are retried as `retry` says (see `RequestOptions`).
 * @since 0.2.0
 */
export const planActions = (report: string, options: PlanActionsOptions): Promise<PlannedActions> =>
  run(
    Effect.gen(function* () {
      yield* checkPlanOptions(report, options)
      const retry = yield* checkRetry(options.retry)
      const path = ReportFile.resolvePath(report)
      const recorded = yield* ReportFile.read(path)
      const api = ReportFile.serverOf(recorded)
      // With no server in the report or the options, the one base URL set in the environment names it.
      const fromEnv =
        process.env.GUMNUT_BASE_URL !== undefined && process.env.IMMICH_BASE_URL === undefined
          ? "gumnut"
          : process.env.IMMICH_BASE_URL !== undefined && process.env.GUMNUT_BASE_URL === undefined
            ? "immich"
            : undefined
      const source = options.source ?? api?.server ?? fromEnv
      const baseUrl =
        options.baseUrl ??
        (api?.server === source ? api?.base_url : undefined) ??
        (source === "immich" ? process.env.IMMICH_BASE_URL : process.env.GUMNUT_BASE_URL)
      if (source === undefined || baseUrl === undefined) {
        return yield* new ReportFile.ReportFileError({
          path,
          reason: "it names no server: give `source` and `baseUrl` (or GUMNUT_BASE_URL / IMMICH_BASE_URL)"
        })
      }
      const server: ServerRef = { source, base_url: baseUrl }
      const decided =
        options.decisions === undefined ? undefined : yield* Decisions.readFile(options.decisions)
      const plan = Plan.make(recorded, {
        action: options.action,
        groups: options.groups,
        merge: options.merge,
        decisions: decided?.groups
      })
      const journal =
        options.journal ??
        `${path.replace(/[^/\\]*$/, "")}${Journal.defaultName("apply", options.action, new Date())}`
      const previous = yield* Apply.resumable(journal, { command: "apply", action: options.action, server })
      const prepared = yield* provided(Apply.prepare(plan, previous), server, options.apiKey, retry)
      const planned = {
        server,
        report: path,
        journal,
        plan,
        prepared,
        ...(retry === undefined ? {} : { retry })
      }
      // The key rides along for applyPlan, but non-enumerable: logging or saving the plan never shows it.
      return Object.defineProperty(planned, "apiKey", {
        value: options.apiKey,
        enumerable: false
      }) as PlannedActions
    }).pipe(Effect.provide(NodeFileSystem.layer)),
    optionsSignal(options)
  )

/**
 * Makes the planned changes: checks the server again, then acts, journalling each request. Rejects
 * with an `ApplyFailed` when some change failed (its `outcome` and the journal say what was done).
 * `retry` defaults to the one given to `planActions`.
 * @since 0.2.0
 */
export const applyPlan = (
  planned: PlannedActions,
  options: RequestOptions = {}
): Promise<{ readonly journal: string; readonly outcome: Apply.Outcome }> =>
  run(
    Effect.gen(function* () {
      const p = planned as Partial<PlannedActions> | null | undefined
      if (
        typeof p?.journal !== "string" ||
        typeof p.report !== "string" ||
        !Plan.ACTIONS.includes(p.plan?.action as Plan.Action)
      )
        return yield* new InvalidOptions({
          option: "planned",
          reason: "expected what planActions resolved to"
        })
      const retry = yield* checkRetry(options?.retry ?? planned.retry)
      const action = planned.plan.action
      yield* Journal.lock(planned.journal)
      const previous = yield* Apply.resumable(planned.journal, {
        command: "apply",
        action,
        server: planned.server
      })
      const outcome = yield* provided(
        Effect.gen(function* () {
          const prepared = yield* Apply.prepare(planned.plan, previous)
          return yield* Apply.act({
            command: "apply",
            action,
            server: planned.server,
            journal: planned.journal,
            previous,
            prepared,
            source: planned.report
          })
        }),
        planned.server,
        planned.apiKey,
        retry
      )
      if (outcome.failed.length > 0) {
        return yield* new Apply.ApplyFailed({
          failed: outcome.failed.length,
          first: outcome.failed[0]!,
          journal: planned.journal,
          outcome
        })
      }
      return { journal: planned.journal, outcome }
    }),
    optionsSignal(options)
  )

/** What `undoJournal` takes besides the journal. @since 0.2.0 */
export interface UndoJournalOptions extends RequestOptions {
  /** Act; without it only answer what would be done (GET requests only). */
  readonly yes?: boolean | undefined
  /** Only if the server moved since the apply run (default: the journal's). */
  readonly baseUrl?: string | undefined
  readonly apiKey?: string | undefined
}

/**
 * Undoes an apply run from its journal, newest change first, on the server the journal names. Without
 * `yes: true` it only answers what it would do (GET requests only). Rejects with an `ApplyFailed` when
 * some change failed (its `outcome` and the undo's journal say what was done; run it again to retry).
 * @since 0.2.0
 */
export const undoJournal = (
  journal: string,
  options: UndoJournalOptions = {}
): Promise<{
  readonly journal: string
  readonly prepared: Apply.Prepared
  readonly outcome?: Apply.Outcome
}> =>
  run(
    Effect.gen(function* () {
      if (typeof journal !== "string" || journal === "")
        return yield* new InvalidOptions({ option: "journal", reason: "expected the path of a journal file" })
      if (typeof options !== "object" || options === null || Array.isArray(options))
        return yield* new InvalidOptions({
          option: "options",
          reason: "expected an object such as { yes: true }"
        })
      const retry = yield* checkRetry(options.retry)
      const {
        original,
        server,
        journal: own,
        previous
      } = yield* Apply.startUndo(journal, { yes: options.yes === true, baseUrl: options.baseUrl }).pipe(
        Effect.catchTag("NotAnApplyJournal", (e) =>
          Effect.fail(new InvalidOptions({ option: "journal", reason: e.message }))
        )
      )
      return yield* provided(
        Effect.gen(function* () {
          const prepared = yield* Apply.prepareUndo(original, previous)
          if (options.yes !== true) return { journal: own, prepared }
          const outcome = yield* Apply.act({
            command: "undo",
            action: original.header.action,
            server,
            journal: own,
            previous,
            prepared,
            source: journal
          })
          // As applyPlan: a run with failed changes rejects, so `await` alone never hides them.
          if (outcome.failed.length > 0)
            return yield* new Apply.ApplyFailed({
              failed: outcome.failed.length,
              first: outcome.failed[0]!,
              journal: own,
              outcome
            })
          return { journal: own, prepared, outcome }
        }),
        server,
        options.apiKey,
        retry
      )
    }),
    optionsSignal(options)
  )
