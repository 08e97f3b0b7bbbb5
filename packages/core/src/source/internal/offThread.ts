/**
 * The main thread's side of the decode worker: finds the worker's code, starts it inside a `Scope`
 * (closing the scope, on success, failure or interruption, terminates it), and pairs each message
 * sent with its reply. The worker answers every message once and in order, so replies are matched
 * first-in, first-out.
 */
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import { Deferred, Effect, Exit, FiberId, type Scope } from "effect"
import type { ExportShape } from "./exportShape.js"

/** What the worker is started with. */
export interface WorkerSettings {
  readonly input: string | undefined
  readonly maxItemSize: number | undefined
  readonly album: string | undefined
  readonly detectShape: boolean
  /** An open file the worker reads itself, a piece per `READ` message, by position (the caller closes it). */
  readonly fd?: number | undefined
  /** Bytes the worker reads per `READ` message. */
  readonly readBytes?: number | undefined
}

/** Asks a worker reading a file (`fd`) for its next piece; the reply says when it was the last. */
export const READ = "read"

/** A message to the worker: bytes (transferred), `READ` with an emptied records buffer to reuse (or none), or `null` for the end. */
export type WorkerMessage =
  | Uint8Array
  | null
  | { readonly read: typeof READ; readonly spare: Uint8Array | undefined }

/**
 * The worker's answer to one message: a batch of wire records (UTF-8 JSON arrays back to back,
 * each ending at an offset in `ends`), or the input's error.
 */
export type WorkerReply =
  | {
      readonly records: Uint8Array
      readonly ends: ReadonlyArray<number>
      readonly shape: ExportShape | undefined
      /** Reading a file: this reply holds its last items. */
      readonly end?: boolean
      /** The input ended as a cursor page that says `has_more: true` (see `ItemsOptions.onPartialPage`). */
      readonly partialPage?: boolean
    }
  | {
      readonly error: {
        readonly reason: string
        readonly offset: number
        readonly items: number
        readonly limit?: string
      }
    }
  | {
      /** Reading a file failed (its `code` and message, as Node gave them). */
      readonly unreadable: { readonly code: string | undefined; readonly message: string }
    }

/** A running decode worker. */
export interface DecodeWorker {
  /** Posts a message (its buffers transferred: the caller gives them up); the reply arrives later. */
  readonly send: (message: WorkerMessage) => Deferred.Deferred<WorkerReply>
}

// The bundled CLI inlines the worker's own bundle here (see packages/cli/scripts/bundle.mjs).
declare const __ALBUMSIFT_DECODE_WORKER__: string | undefined

/** Where the worker's code is: inlined source, the built module beside this one, or none. */
const locate = (): { readonly source: string } | { readonly url: URL } | undefined => {
  if (typeof __ALBUMSIFT_DECODE_WORKER__ === "string") return { source: __ALBUMSIFT_DECODE_WORKER__ }
  try {
    const url = new URL("./decodeWorker.js", import.meta.url)
    if (url.protocol !== "file:") return undefined
    if (existsSync(fileURLToPath(url))) return { url }
    // Run from its TypeScript sources (the test runner): the worker runs from the build.
    const built = new URL(
      url.href.replace(/\/src\/source\/internal\/decodeWorker\.js$/, "/dist/source/internal/decodeWorker.js")
    )
    return built.href !== url.href && existsSync(fileURLToPath(built)) ? { url: built } : undefined
  } catch {
    return undefined
  }
}

let located: ReturnType<typeof locate> | null = null
let live = 0

/** Decode workers started and not yet exited (for tests: none is left behind). */
export const running = (): number => live

/** Whether a decode worker can be started here. */
export const available = (): boolean => {
  if (located === null) located = locate()
  return located !== undefined
}

/** Starts a decode worker for the life of the current scope. */
export const start = (settings: WorkerSettings): Effect.Effect<DecodeWorker, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => {
      if (located === null) located = locate()
      const where = located!
      const worker =
        "source" in where
          ? new Worker(where.source, { eval: true, workerData: settings })
          : new Worker(where.url, { workerData: settings })
      live++
      const pending: Array<Deferred.Deferred<WorkerReply>> = []
      let stopped: string | undefined
      const stop = (why: string) => {
        stopped ??= why
        for (const d of pending.splice(0)) Deferred.unsafeDone(d, Exit.die(new Error(stopped)))
      }
      worker.on("message", (reply: WorkerReply) => {
        const d = pending.shift()
        if (d !== undefined) Deferred.unsafeDone(d, Exit.succeed(reply))
      })
      worker.on("error", (error) => stop(`the decode worker failed: ${error.message}`))
      worker.on("exit", (code) => {
        live--
        stop(`the decode worker stopped (exit code ${code})`)
      })
      const send = (message: WorkerMessage): Deferred.Deferred<WorkerReply> => {
        const d = Deferred.unsafeMake<WorkerReply>(FiberId.none)
        if (stopped !== undefined) {
          Deferred.unsafeDone(d, Exit.die(new Error(stopped)))
          return d
        }
        pending.push(d)
        const bytes = message instanceof Uint8Array ? message : message?.spare
        worker.postMessage(message, bytes === undefined ? [] : [bytes.buffer as ArrayBuffer])
        return d
      }
      return { worker, send }
    }),
    ({ worker }) => Effect.promise(() => worker.terminate())
  )
