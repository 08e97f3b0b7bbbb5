/**
 * The `albumsift` command tree: `report`, `demo`, `apply` and `undo`, with our own concise `--help`
 * and `--version`.
 */
import { Command } from "@effect/cli"
import { Effect } from "effect"
import { apply } from "./commands/ApplyCommand.js"
import { demo } from "./commands/DemoCommand.js"
import { report } from "./commands/ReportCommand.js"
import { undo } from "./commands/UndoCommand.js"
import { UsageError } from "./Errors.js"
import * as Help from "./Help.js"
import { VERSION } from "./Version.js"

/** The root command. Without a subcommand it fails as a usage error. */
const root = Command.make("albumsift", {}, () =>
  Effect.fail(
    new UsageError({ message: "no command: use `albumsift report ...` or `albumsift demo` (see --help)" })
  )
).pipe(
  Command.withDescription(
    "Find duplicate and near-duplicate photos in albums from metadata, and say which to keep."
  ),
  Command.withSubcommands([report, demo, apply, undo])
)

/** Parses `argv` (with node and script first) and runs the chosen command. */
export const run = Command.run(root, { name: "albumsift", version: VERSION })

/** What the terminal around the process is like. */
export interface Terminal {
  readonly stdinIsTTY: boolean
  /** stdout's width in columns, when it is a terminal. */
  readonly columns: number | undefined
}

/** The options given more than once (`Options.repeated`): @effect/cli reads `--name=value` only for the others. */
const REPEATED = new Set(["album", "format", "weight", "lower-is-better", "low-quality"])

/** `--name=value` of a repeated option as `--name value` (up to `--`, after which nothing is an option). */
export const splitRepeated = (args: ReadonlyArray<string>): Array<string> => {
  const end = args.indexOf("--")
  return args.flatMap((arg, i) => {
    const eq = arg.indexOf("=")
    if ((end !== -1 && i > end) || !arg.startsWith("--") || eq === -1) return [arg]
    return REPEATED.has(arg.slice(2, eq)) ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg]
  })
}

/**
 * `run`, after what @effect/cli would get wrong: `--help` prints our short page (commands
 * without one keep @effect/cli's), `--version` only the version's line, `--wizard`, which
 * asks questions on stdin, is refused when stdin is not a terminal instead of waiting forever, and
 * a repeated option takes `--name=value` like the others.
 */
export const main = (argv: ReadonlyArray<string>, terminal: Terminal) =>
  Effect.suspend(() => {
    const args = argv.slice(2)
    const command = args.find((a) => !a.startsWith("-")) ?? "albumsift"
    if (
      (args.includes("--help") || args.includes("-h")) &&
      (command === "albumsift" || Help.commands.includes(command))
    ) {
      const page = Help.text(command, terminal.columns ?? 80)
      return Effect.sync(() => void process.stdout.write(page))
    }
    // @effect/cli's own prints a blank line after the version.
    if (args.includes("--version")) return Effect.sync(() => void process.stdout.write(`${VERSION}\n`))
    if (args.includes("--wizard") && !terminal.stdinIsTTY) {
      return Effect.fail(
        new UsageError({
          message:
            "--wizard asks its questions on a terminal, and stdin is not one: give the options as flags (see --help)"
        })
      )
    }
    return run([...argv.slice(0, 2), ...splitRepeated(args)])
  })
