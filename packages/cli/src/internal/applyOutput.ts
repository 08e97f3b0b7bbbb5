/**
 * How `apply` and `undo` show a plan and an outcome: plain text for people, or one JSON document.
 */
import { Apply, type Target } from "@albumsift/core"
import { Effect, Schema } from "effect"
import { UsageError } from "../Errors.js"

/** What a run reports. */
export interface View {
  readonly command: "apply" | "undo"
  readonly action: string
  readonly server: Target.ServerRef
  readonly dryRun: boolean
  readonly journal: string
  readonly prepared: Apply.Prepared
  readonly outcome?: Apply.Outcome | undefined
}

const FIRST = 10
const SKIPS_SHOWN = 20
const GROUPS_SHOWN = 20

/** What the action does to a group's targets, in the plan's words. */
const VERB: Record<Apply.Prepared["plan"]["action"], string> = {
  trash: "trash",
  "remove-from-album": "remove from its albums",
  stack: "stack under it"
}

const named = (a: { readonly id: string; readonly file_name: string | null }) =>
  a.file_name === null ? a.id : `${a.id} (${a.file_name})`

/** Each group's keeper and what happens to the rest: what to check before `--yes`. */
const groupLines = (prepared: Apply.Prepared): Array<string> => {
  const groups = prepared.plan.groups
  if (groups.length === 0) return []
  const lines = [`Groups (${groups.length}):`]
  for (const g of groups.slice(0, GROUPS_SHOWN)) {
    lines.push(
      `  group ${g.id} (${g.kind}): keep ${named(g.keeper)}; ${VERB[prepared.plan.action]}: ${g.targets.map(named).join(", ")}`
    )
  }
  if (groups.length > GROUPS_SHOWN) lines.push(`  … ${groups.length - GROUPS_SHOWN} more (--json lists all)`)
  return lines
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`
const bytes = (n: number) =>
  n >= 1e9
    ? `${(n / 1e9).toFixed(2)} GB`
    : n >= 1e6
      ? `${(n / 1e6).toFixed(1)} MB`
      : `${(n / 1e3).toFixed(1)} kB`

/** The ids acted on by the action's own requests (not merges). */
const actedOn = (prepared: Apply.Prepared) =>
  prepared.requests.filter(
    (r) => (r.op.kind !== "update" && r.op.kind !== "add-to-album") || r.reverses !== undefined
  )

const reclaimable = (prepared: Apply.Prepared) =>
  prepared.plan.action === "trash" && prepared.plan.groups.length > 0
    ? prepared.plan.groups.reduce((n, g) => n + g.targets.reduce((m, t) => m + (t.file_size ?? 0), 0), 0)
    : 0

/** The plan (and outcome) as text lines. */
export const text = (view: View): Array<string> => {
  const { prepared } = view
  const lines: Array<string> = []
  const action = view.command === "undo" ? `undo of ${view.action}` : view.action
  lines.push(`${view.dryRun ? "Plan (dry run: nothing is changed without --yes)" : "Applying"}: ${action}`)
  lines.push(`  server: ${view.server.source} ${view.server.base_url}`)
  const acted = actedOn(prepared)
  const ids = [...new Set(acted.flatMap((r) => Apply.idsOf(r.op)))]
  const merges = prepared.requests.length - acted.length
  if (view.command === "apply") {
    lines.push(
      `  ${count(prepared.plan.groups.length, "group")}, ${count(ids.length, "asset")}, ${count(prepared.requests.length, "request")} (${merges} for merges, ${acted.length} for ${view.action})`
    )
    if (view.action === "trash")
      lines.push(`  reclaimable: ${bytes(reclaimable(prepared))} (${reclaimable(prepared)} bytes)`)
  } else {
    lines.push(`  ${count(prepared.requests.length, "request")} to reverse, newest first`)
  }
  // An apply lists its groups below instead.
  if (ids.length > 0 && view.command === "undo") {
    lines.push(
      `  first ids: ${ids.slice(0, FIRST).join(", ")}${ids.length > FIRST ? `, … (${ids.length - FIRST} more)` : ""}`
    )
  }
  if (prepared.pending.length > 0) {
    lines.push(
      `  ${count(prepared.pending.length, "request")} left pending by an interrupted run: each is checked on the server before anything is re-sent`
    )
  }
  if (view.command === "apply") lines.push(...groupLines(prepared))
  if (prepared.merges.length > 0) {
    lines.push(`Merges (made before the ${view.action}; counted apart from it): ${prepared.merges.length}`)
    for (const m of prepared.merges) {
      lines.push(
        `  group ${m.group}: keeper ${m.keeper} ${m.merge.gains.length > 0 ? `gains: ${m.merge.gains.join(", ")}` : "gains nothing"}`
      )
      for (const note of m.merge.notes) lines.push(`    note: ${note}`)
    }
  }
  for (const note of prepared.notes) lines.push(`  note: ${note}`)
  const skipped = prepared.plan.skipped
  if (skipped.length > 0) {
    lines.push(`Skipped (${skipped.length}):`)
    for (const s of skipped.slice(0, SKIPS_SHOWN)) {
      lines.push(`  ${s.ids.length > 0 ? s.ids.join(", ") : "every member"} (group ${s.group}): ${s.reason}`)
    }
    if (skipped.length > SKIPS_SHOWN)
      lines.push(`  … ${skipped.length - SKIPS_SHOWN} more (--json lists all)`)
  }
  const fit = prepared.plan.decisionsFit
  if (fit !== undefined && fit.matched < fit.given) {
    lines.push(
      `Decisions: ${fit.given} in the file, ${fit.matched} fit this report; ${fit.unmatched} ${fit.unmatched === 1 ? "matches" : "match"} no group of it (made for another report?)`
    )
  }
  if (prepared.plan.outOfScope > 0) {
    lines.push(
      `${count(prepared.plan.outOfScope, "group")} not in --groups ${prepared.plan.scope} (left alone; --groups all includes them)`
    )
  }
  if (view.outcome !== undefined) {
    lines.push(...outcomeLines(view, view.outcome))
  } else if (view.dryRun) {
    lines.push(
      prepared.requests.length + prepared.pending.length === 0
        ? "Nothing to do."
        : `Run again with --yes to make these changes; the journal will be ${view.journal}`
    )
  }
  return lines
}

/** What a run did (after the plan, or alone once the plan was printed before acting). */
export const outcomeLines = (view: View, o: Apply.Outcome): Array<string> => {
  const lines = [
    `Done: ${count(o.done, "request")} made${o.alreadyDone > 0 ? `, ${o.alreadyDone} found already done` : ""}${o.failed.length > 0 ? `, ${o.failed.length} failed` : ""}`
  ]
  const held = o.held.flatMap((s) => s.ids)
  if (held.length > 0) {
    lines.push(
      `Held back at the last look before trashing (changed on the server during the run): ${held.length} ${held.length === 1 ? "copy" : "copies"}`
    )
    for (const s of o.held.slice(0, SKIPS_SHOWN))
      lines.push(`  ${s.ids.join(", ")} (group ${s.group}): ${s.reason}`)
    if (o.held.length > SKIPS_SHOWN) lines.push(`  … ${o.held.length - SKIPS_SHOWN} more (--json lists all)`)
  }
  lines.push(`Journal: ${view.journal}`)
  if (view.command === "apply" && o.done + o.alreadyDone > 0) {
    lines.push(`Undo with: albumsift undo --journal ${view.journal} (add --yes to act)`)
  }
  return lines
}

/** The plan (and outcome) as one JSON document. */
export const json = (view: View): unknown => {
  const { prepared } = view
  return {
    command: view.command,
    action: view.action,
    dry_run: view.dryRun,
    server: view.server,
    journal: view.journal,
    groups: prepared.plan.groups.map((g) => ({
      id: g.id,
      kind: g.kind,
      keeper: g.keeper.id,
      targets: g.targets.map((t) => t.id)
    })),
    requests: prepared.requests.map((r) => ({ group: r.group, reverses: r.reverses, ...r.op })),
    pending: prepared.pending.map((s) => ({ seq: s.seq, ...s.op })),
    reclaimable_bytes: reclaimable(prepared),
    merges: prepared.merges.map((m) => ({
      group: m.group,
      keeper: m.keeper,
      gains: m.merge.gains,
      albums: m.merge.albums,
      set: m.merge.set,
      notes: m.merge.notes
    })),
    skipped: prepared.plan.skipped,
    out_of_scope: prepared.plan.outOfScope,
    decisions: prepared.plan.decisionsFit ?? null,
    notes: prepared.notes,
    outcome: view.outcome ?? null
  }
}

/** Any runtime failure of apply/undo, as the one line the CLI prints (exit 1). */
export class ActFailed extends Schema.TaggedError<ActFailed>()("ActFailed", { message: Schema.String }) {}

/**
 * Keeps usage errors (exit 2), a journal of another run among them; every other failure becomes
 * an `ActFailed` with its message.
 */
export const oneError = <A, E extends { readonly _tag: string; readonly message: string }, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, UsageError | ActFailed, R> =>
  Effect.mapError(self, (e) =>
    e instanceof UsageError
      ? e
      : e._tag === "JournalMismatch"
        ? new UsageError({ message: e.message })
        : new ActFailed({ message: e.message })
  )
