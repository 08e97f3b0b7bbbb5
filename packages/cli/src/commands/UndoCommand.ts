/**
 * `albumsift undo`: reverse what an `apply` journal says was done, newest first, on the server the
 * journal names (dry run unless `--yes`). It keeps its own journal beside the first, so an
 * interrupted undo resumes when run again.
 */
import { Apply, Journal } from "@albumsift/core"
import { Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { retries, timeout } from "../CommonOptions.js"
import { UsageError } from "../Errors.js"
import * as Output from "../internal/applyOutput.js"
import { retryPolicy } from "../Sources.js"
import { finish, show } from "./ApplyCommand.js"

const journal = Options.text("journal").pipe(
  Options.withDescription("The journal of the `apply` run to undo.")
)
const yes = Options.boolean("yes").pipe(
  Options.withDescription("Make the changes. Without it, print what would be undone and change nothing.")
)
const baseUrl = Options.text("base-url").pipe(
  Options.withDescription("Only when the journal's server has moved: its new base URL."),
  Options.optional
)
const json = Options.boolean("json").pipe(Options.withDescription("Print the plan and outcome as JSON."))
const quiet = Options.boolean("quiet").pipe(
  Options.withAlias("q"),
  Options.withDescription("Print only the outcome, not the plan (with --yes).")
)

/**
 * Why an undo has nothing to send, said plainly rather than as a plan of 0 requests; undefined
 * when it has something, or when its plan says why not (notes).
 */
const nothingToUndo = (
  original: Journal.Contents,
  prepared: Apply.Prepared,
  own: Journal.Contents | undefined,
  ownPath: string
): string | undefined => {
  if (prepared.requests.length + prepared.pending.length + prepared.notes.length > 0) return undefined
  if (!original.steps.some((s) => s.state === "done"))
    return "Nothing to undo: the journal records no change made"
  if (own?.steps.some((s) => s.state === "done") === true)
    return `Nothing to undo: every change of this journal was already undone (see ${ownPath})`
  return undefined
}

/** The `undo` subcommand. */
export const undo = Command.make("undo", { journal, yes, baseUrl, retries, timeout, json, quiet }, (o) =>
  Effect.gen(function* () {
    const {
      original,
      server,
      journal: ownPath,
      previous
    } = yield* Apply.startUndo(o.journal, { yes: o.yes, baseUrl: Option.getOrUndefined(o.baseUrl) }).pipe(
      Effect.catchTag("NotAnApplyJournal", (e) => Effect.fail(new UsageError({ message: e.message })))
    )
    yield* Journal.checkWritable(ownPath)
    const program = Effect.gen(function* () {
      const prepared = yield* Apply.prepareUndo(original, previous)
      const view = {
        command: "undo" as const,
        action: original.header.action,
        server,
        journal: ownPath,
        prepared
      }
      const nothing = nothingToUndo(original, prepared, previous, ownPath)
      if (nothing !== undefined && !o.json) return yield* Console.log(nothing)
      if (!o.yes) return yield* show({ ...view, dryRun: true }, o.json)
      if (!o.quiet && !o.json) yield* show({ ...view, dryRun: false }, false)
      const outcome = yield* Apply.act({ ...view, previous, source: o.journal })
      yield* finish({ ...view, dryRun: false, outcome }, o.json)
    })
    const retry = retryPolicy(Option.getOrUndefined(o.retries), Option.getOrUndefined(o.timeout))
    yield* program.pipe(Effect.provide(Apply.targetLayer(server, retry)))
  }).pipe(Effect.scoped, Output.oneError)
).pipe(Command.withDescription("Undo an `albumsift apply` run from its journal (dry run unless --yes)."))
