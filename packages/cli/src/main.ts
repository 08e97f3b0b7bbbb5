/**
 * The `albumsift` executable: Node layers, the command tree, and exact exit codes.
 *
 * 0 success, 1 runtime failure (one line naming the cause), 2 usage error; stopped by a signal,
 * 128 + its number: 130 SIGINT (Ctrl-C), 143 SIGTERM, 129 SIGHUP. Every signal stops the run the
 * same clean way (no temporary file is left), SIGHUP included, which Node would otherwise obey by
 * dying on the spot.
 * Set ALBUMSIFT_DEBUG=1 to also print the full cause with its trace.
 */
import { setFlagsFromString } from "node:v8"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Console, Effect, Exit, Layer } from "effect"
import * as Cli from "./Cli.js"
import { outcomeOf } from "./Errors.js"
import * as Plain from "./internal/plainConsole.js"
import { colorAllowed } from "./Progress.js"

// `pnpm albumsift` and `pnpm demo` run in the workspace's root (or the package's folder); the
// paths the user typed are relative to where they ran pnpm, which pnpm and npm pass as INIT_CWD.
const script = process.env.npm_lifecycle_event
if ((script === "albumsift" || script === "demo") && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD)

// V8 lets the heap grow up to 4x what survived the last full collection before collecting again.
// A report run's survivors are its asset columns and its garbage is rows already written, so 2x is
// plenty: a 1M-asset run peaks ≈50 MB lower at no measurable CPU cost (bench/NOTES.md, perf-memory).
// launch.ts sets it too, before compiling: V8 takes the code cache only under the flags it was made with.
setFlagsFromString("--heap-growing-percent=100")

const debug =
  process.env.ALBUMSIFT_DEBUG !== undefined && !["", "0", "false"].includes(process.env.ALBUMSIFT_DEBUG)

const MainLayer = Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici)

let exitCode = 0

// The signal that stopped the run, for its exit code. runMain interrupts the run on SIGINT and
// SIGTERM; SIGHUP is turned into the same clean interruption.
const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const
let stoppedBy: keyof typeof SIGNAL_CODES | undefined
process.once("SIGINT", () => {
  stoppedBy ??= "SIGINT"
})
process.once("SIGTERM", () => {
  stoppedBy ??= "SIGTERM"
})
process.once("SIGHUP", () => {
  stoppedBy ??= "SIGHUP"
  process.kill(process.pid, "SIGINT")
})

const program = Cli.main(process.argv, {
  stdinIsTTY: process.stdin.isTTY === true,
  columns: process.stdout.isTTY === true ? process.stdout.columns : Number(process.env.COLUMNS) || undefined
}).pipe(
  Effect.provide(MainLayer),
  // @effect/cli always writes ANSI styles; keep them for terminals that want colour only.
  (self) =>
    Effect.flatMap(Effect.console, (base) =>
      Console.withConsole(
        self,
        Plain.console(
          base,
          {
            stdout: process.stdout.isTTY === true && colorAllowed(process.env),
            stderr: process.stderr.isTTY === true && colorAllowed(process.env)
          },
          process.argv.slice(2)
        )
      )
    ),
  Effect.catchAllCause((cause) =>
    Effect.sync(() => {
      const outcome = outcomeOf(cause)
      if (debug) process.stderr.write(`${Cause.pretty(cause, { renderErrorCause: true })}\n`)
      if (outcome.line !== "") process.stderr.write(`albumsift: ${outcome.line}\n`)
      exitCode = outcome.code
    })
  )
)

NodeRuntime.runMain(program, {
  disableErrorReporting: true,
  disablePrettyLogger: true,
  teardown: (exit, onExit) => {
    const code = Exit.isFailure(exit)
      ? Cause.isInterruptedOnly(exit.cause)
        ? SIGNAL_CODES[stoppedBy ?? "SIGINT"]
        : 1
      : exitCode
    // Let Node exit on its own so stdout and stderr are flushed; only a signal forces process.exit.
    process.exitCode = code
    onExit(Exit.isFailure(exit) ? code : 0)
  }
})
