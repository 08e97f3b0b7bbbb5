/**
 * The `albumsift` command tree: `report` and `demo`, plus @effect/cli's `--help` and `--version`.
 */
import { Command } from "@effect/cli"
import { Effect } from "effect"
import { apply } from "./commands/ApplyCommand.js"
import { demo } from "./commands/DemoCommand.js"
import { report } from "./commands/ReportCommand.js"
import { undo } from "./commands/UndoCommand.js"
import { UsageError } from "./Errors.js"
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
