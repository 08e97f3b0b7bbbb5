/**
 * `apply` and `undo` run in this process (the CLI's steps, through the core's Effect API) with short
 * retry delays, so a test can exhaust retries against a loopback server in milliseconds.
 */

import { Apply, Decisions, GumnutTarget, ImmichTarget, Journal, Plan, ReportFile } from "@albumsift/core"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Effect, Layer, Redacted } from "effect"

export const FAST = { baseDelay: "1 millis", maxDelay: "2 millis", jitter: false, retries: 2 } as const

const layer = (source: "gumnut" | "immich", url: string, key: string) =>
  (source === "immich"
    ? ImmichTarget.layer({ apiKey: Redacted.make(key), baseUrl: url, retry: FAST })
    : GumnutTarget.layer({ apiKey: Redacted.make(key), baseUrl: url, retry: FAST })
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))

const serverRef = (source: "gumnut" | "immich", url: string) => ({ source, base_url: new URL(url).href })

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
}) => {
  const source = options.source ?? "gumnut"
  const action = options.action ?? "trash"
  const server = serverRef(source, options.url)
  return Effect.runPromise(
    Effect.gen(function* () {
      const recorded = yield* ReportFile.read(options.report)
      const decided =
        options.decisions === undefined ? undefined : yield* Decisions.readFile(options.decisions)
      const plan = Plan.make(recorded, { action, merge: options.merge, decisions: decided?.groups })
      const previous = yield* Apply.resumable(options.journal, { command: "apply", action, server })
      const prepared = yield* Apply.prepare(plan, previous).pipe(
        Effect.provide(layer(source, options.url, options.key))
      )
      return yield* Apply.act({
        command: "apply",
        action,
        server,
        journal: options.journal,
        previous,
        prepared,
        source: options.report
      }).pipe(Effect.provide(layer(source, options.url, options.key)))
    }).pipe(Effect.scoped, Effect.either, Effect.provide(NodeFileSystem.layer)),
    { signal: options.signal }
  )
}

/** `albumsift undo --yes` in process (its own journal beside the apply's). */
export const undoInProcess = (options: {
  readonly url: string
  readonly key: string
  readonly journal: string
  readonly signal?: AbortSignal
}) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const original = yield* Journal.read(options.journal)
      const source = original.header.server.source
      const server = serverRef(source, options.url)
      const own = options.journal.replace(/(\.ndjson)?$/, "-undo.ndjson")
      const previous = yield* Apply.resumable(own, {
        command: "undo",
        action: original.header.action,
        server
      })
      return yield* Effect.gen(function* () {
        const prepared = yield* Apply.prepareUndo(original, previous)
        return yield* Apply.act({
          command: "undo",
          action: original.header.action,
          server,
          journal: own,
          previous,
          prepared,
          source: options.journal
        })
      }).pipe(Effect.provide(layer(source, options.url, options.key)))
    }).pipe(Effect.scoped, Effect.either),
    { signal: options.signal }
  )
