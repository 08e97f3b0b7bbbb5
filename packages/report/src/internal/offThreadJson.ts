/**
 * report.json's groups and asset lines written on the second core (see `jsonWorker`): the largest part
 * of the largest report, rendered while the main thread renders the page and the CSV.
 */
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import type { SharedAnalysis } from "@albumsift/core"
import { Effect } from "effect"

/** What the worker is given. */
export interface JsonJob {
  readonly shared: SharedAnalysis.SharedAnalysis
  /** The staged file, open for writing (threads share the process' descriptors). */
  readonly fd: number
  /** The file's text before the groups (header and summary), rendered by the main thread. */
  readonly opening: string
  /** Kept thumbnails: asset id to a path relative to the report. */
  readonly thumbnails: ReadonlyMap<string, string> | undefined
  /** report.csv's rows from position `from` on, to be written into the file `fd` from its start. */
  readonly csv?: {
    readonly fd: number
    readonly from: number
    readonly metrics: ReadonlyArray<string>
  }
}

/**
 * The worker's one reply: where its text ends in report.json's file (and in the CSV rows' file, when
 * asked for them), or why it stopped (a system error's code and message).
 */
export type JsonReply =
  | { readonly end: number; readonly csvEnd?: number }
  | {
      readonly error: {
        readonly code: string | undefined
        readonly message: string
        /** The file being written: report.json's, or the CSV rows' scratch file. */
        readonly file?: "json" | "csv"
      }
    }

/** Fewer assets than this are written on the main thread: a worker's start-up would cost more. */
export const MIN_ASSETS = 10_000

// The bundled CLI inlines the worker's own bundle here (see packages/cli/scripts/bundle.mjs).
declare const __ALBUMSIFT_JSON_WORKER__: string | undefined

/** Where the worker's code is: inlined source, the built module beside this one, or none. */
const locate = (): { readonly source: string } | { readonly url: URL } | undefined => {
  if (typeof __ALBUMSIFT_JSON_WORKER__ === "string") return { source: __ALBUMSIFT_JSON_WORKER__ }
  try {
    const url = new URL("./jsonWorker.js", import.meta.url)
    if (url.protocol !== "file:") return undefined
    if (existsSync(fileURLToPath(url))) return { url }
    // Run from its TypeScript sources (the test runner): the worker runs from the build.
    const built = new URL(
      url.href.replace(/\/src\/internal\/jsonWorker\.js$/, "/dist/internal/jsonWorker.js")
    )
    return built.href !== url.href && existsSync(fileURLToPath(built)) ? { url: built } : undefined
  } catch {
    return undefined
  }
}

/** A small young generation: the worker's garbage is short-lived lines (at 1M assets: −40 MB peak, same speed). */
const LIMITS = { maxYoungGenerationSizeMb: 4 }

let located: ReturnType<typeof locate> | null = null
let started = 0
let live = 0

/** Workers started so far, and those not yet exited (for tests: which path ran; none is left behind). */
export const counts = (): { readonly started: number; readonly running: number } => ({
  started,
  running: live
})

/** Whether the worker can be started here. */
export const available = (): boolean => {
  if (located === null) located = locate()
  return located !== undefined
}

/** A worker started for a job, and its answer: the first of its reply, its error or its exit. */
interface Started {
  readonly worker: Worker | undefined
  readonly answer: Promise<JsonReply>
}

const begin = (job: JsonJob): Started => {
  if (located === null) located = locate()
  const where = located!
  let worker: Worker
  try {
    worker =
      "source" in where
        ? new Worker(where.source, { eval: true, workerData: job, resourceLimits: LIMITS })
        : new Worker(where.url, { workerData: job, resourceLimits: LIMITS })
  } catch (error) {
    // The job could not be sent, or no thread could be made.
    const message = `the report worker could not start: ${error instanceof Error ? error.message : String(error)}`
    return { worker: undefined, answer: Promise.resolve({ error: { code: undefined, message } }) }
  }
  started++
  live++
  // Listened to at once: an error event with no listener would end the process.
  const answer = new Promise<JsonReply>((resolve) => {
    const fail = (message: string) => resolve({ error: { code: undefined, message } })
    worker.once("message", resolve)
    worker.once("error", (error) => fail(`the report worker failed: ${error.message}`))
    worker.once("exit", (code) => fail(`the report worker stopped (exit code ${code})`))
  })
  worker.once("exit", () => live--)
  return { worker, answer }
}

/** Runs the job in a worker; the worker is stopped if the caller is interrupted. */
export const run = (job: JsonJob): Effect.Effect<JsonReply> =>
  Effect.acquireUseRelease(
    Effect.sync(() => begin(job)),
    // The first to settle answers: a reply is followed by the worker's exit.
    ({ answer }) => Effect.promise(() => answer),
    ({ worker }) => (worker === undefined ? Effect.void : Effect.promise(() => worker.terminate()))
  )
