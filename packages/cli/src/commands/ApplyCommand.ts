/**
 * `albumsift apply`: act on a report's decisions on the server it came from (trash, remove from
 * album, or stack), as a dry run unless `--yes`, with every change journalled for `undo`.
 */
import { dirname, join } from "node:path"
import { Apply, Decisions, Journal, Plan, ReportFile, type Target } from "@albumsift/core"
import { Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { choice, retries, timeout } from "../CommonOptions.js"
import { UsageError } from "../Errors.js"
import * as Output from "../internal/applyOutput.js"
import { retryPolicy } from "../Sources.js"

const report = Options.text("report").pipe(
  Options.withDescription("The report folder of an earlier `albumsift report` run, or its report.json.")
)
const action = choice("action", Plan.ACTIONS).pipe(
  Options.withDescription(
    "stack (group each set under its keeper; deletes nothing), remove-from-album, or trash (soft; undoable)."
  )
)
const decisions = Options.text("decisions").pipe(
  Options.withDescription("A decisions file (JSON, or an edited report.csv) that overrides recommendations."),
  Options.optional
)
const groups = choice("groups", Plan.SCOPES).pipe(
  Options.withDescription("Which groups take part (default: exact for trash, all otherwise)."),
  Options.optional
)
const journal = Options.text("journal").pipe(
  Options.withDescription(
    "The journal file (default <report dir>/journal-<action>-<UTC time>.ndjson). An existing one resumes its run."
  ),
  Options.optional
)
const yes = Options.boolean("yes").pipe(
  Options.withDescription("Make the changes. Without it, print the plan and change nothing.")
)
const merge = Options.boolean("merge").pipe(
  Options.withDescription(
    "Before a discard, give its keeper the albums, rating, favourite, description and GPS it lacks (default for trash)."
  )
)
const noMerge = Options.boolean("no-merge").pipe(
  Options.withDescription("Merge nothing; a discard that would lose something mergeable is left alone.")
)
const source = choice("source", ["gumnut", "immich"]).pipe(
  Options.withDescription("The server (default: the one recorded in report.json)."),
  Options.optional
)
const baseUrl = Options.text("base-url").pipe(
  Options.withDescription("The server's base URL (default: the one in report.json, else *_BASE_URL)."),
  Options.optional
)
const json = Options.boolean("json").pipe(Options.withDescription("Print the plan and outcome as JSON."))
const quiet = Options.boolean("quiet").pipe(
  Options.withAlias("q"),
  Options.withDescription("Print only the outcome, not the plan (with --yes).")
)

/** The server to act on: --source/--base-url, else the report's api source, else a usage error. */
const resolveServer = (
  recorded: ReportFile.ReportFile,
  server: Option.Option<"gumnut" | "immich">,
  base: Option.Option<string>
): Effect.Effect<Target.ServerRef, UsageError> => {
  const api = ReportFile.serverOf(recorded)
  const kind = Option.getOrUndefined(server) ?? api?.server
  if (kind === undefined) {
    return new UsageError({
      message:
        "this report was not made from a server: give --source gumnut|immich and --base-url (or GUMNUT_BASE_URL / IMMICH_BASE_URL)"
    })
  }
  const variable = kind === "immich" ? "IMMICH_BASE_URL" : "GUMNUT_BASE_URL"
  const url =
    Option.getOrUndefined(base) ??
    (api !== undefined && api.server === kind ? api.base_url : undefined) ??
    (process.env[variable]?.trim() || undefined)
  if (url === undefined) {
    return new UsageError({
      message: `no server address for ${kind}: give --base-url or set ${variable}`
    })
  }
  return Effect.succeed({ source: kind, base_url: url })
}

/** The `apply` subcommand. */
export const apply = Command.make(
  "apply",
  {
    report,
    action,
    decisions,
    groups,
    journal,
    yes,
    merge,
    noMerge,
    source,
    baseUrl,
    retries,
    timeout,
    json,
    quiet
  },
  (o) =>
    Effect.gen(function* () {
      if (o.merge && o.noMerge)
        return yield* new UsageError({ message: "give --merge or --no-merge, not both" })
      if (o.action === "stack" && o.merge) {
        return yield* new UsageError({
          message: "--merge applies to trash and remove-from-album, not to stack"
        })
      }
      const path = ReportFile.resolvePath(o.report)
      const recorded = yield* ReportFile.read(path)
      const server = yield* resolveServer(recorded, o.source, o.baseUrl)
      const decided = Option.isSome(o.decisions) ? yield* Decisions.readFile(o.decisions.value) : undefined
      const plan = Plan.make(recorded, {
        action: o.action,
        groups: Option.getOrUndefined(o.groups),
        merge: o.merge ? true : o.noMerge ? false : undefined,
        decisions: decided?.groups
      })
      const journalPath = Option.getOrElse(o.journal, () =>
        join(dirname(path), Journal.defaultName("apply", o.action, new Date()))
      )
      // Held from before the journal is read until the run ends: one run at a time acts on it.
      if (o.yes) yield* Journal.lock(journalPath)
      const previous = yield* Apply.resumable(journalPath, { command: "apply", action: o.action, server })
      yield* Journal.checkWritable(journalPath)
      const program = Effect.gen(function* () {
        const prepared = yield* Apply.prepare(plan, previous)
        const view = { command: "apply" as const, action: o.action, server, journal: journalPath, prepared }
        if (!o.yes) {
          // A dry run names the journal a --yes run would write (its time is that run's).
          const next = Option.isSome(o.journal)
            ? journalPath
            : join(dirname(path), `journal-${o.action}-<UTC time>.ndjson`)
          yield* show({ ...view, journal: next, dryRun: true }, o.json)
          return
        }
        if (!o.quiet && !o.json) yield* show({ ...view, dryRun: false }, false)
        const outcome = yield* Apply.act({ ...view, previous, source: path })
        yield* finish({ ...view, dryRun: false, outcome }, o.json)
      })
      const retry = retryPolicy(Option.getOrUndefined(o.retries), Option.getOrUndefined(o.timeout))
      yield* program.pipe(Effect.provide(Apply.targetLayer(server, retry)))
    }).pipe(Effect.scoped, Output.oneError)
).pipe(
  Command.withDescription(
    "Act on a report: stack, remove-from-album or trash the discards (dry run unless --yes; undo with `albumsift undo`)."
  )
)

/** Prints the plan. */
export const show = (view: Output.View, asJson: boolean) =>
  asJson ? Console.log(JSON.stringify(Output.json(view), null, 2)) : Console.log(Output.text(view).join("\n"))

/** Prints the outcome and fails (exit 1) when a change failed. */
export const finish = (view: Output.View, asJson: boolean) =>
  Effect.gen(function* () {
    const outcome = view.outcome!
    if (asJson) yield* show(view, true)
    else yield* Console.log(Output.outcomeLines(view, outcome).join("\n"))
    if (outcome.failed.length > 0) {
      return yield* new Apply.ApplyFailed({
        failed: outcome.failed.length,
        first: outcome.failed[0]!,
        journal: view.journal
      })
    }
  })
