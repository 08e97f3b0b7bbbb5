/**
 * Acting on a plan, and undoing it: check the server, then make each change with a journal entry
 * written (and fsynced) before and after its request.
 *
 * `prepare` only reads (GET): it looks every keeper and target up again, skips what changed, checks
 * that trashing is soft, and computes the merges. `execute` first finishes requests an interrupted
 * run left `pending` (each checked on the server, only the undone part re-sent), then merges (per
 * group, before its discards; a group whose merge fails keeps its discards), then the action, at
 * most 100 ids per request. `undo` reverses the `done` requests of a journal, newest first.
 */
import { Effect, Option, Schema, type Scope } from "effect"
import * as Http from "../source/Http.js"
import * as GumnutTarget from "../target/GumnutTarget.js"
import * as ImmichTarget from "../target/ImmichTarget.js"
import type { ServerRef } from "../target/Target.js"
import {
  chunks,
  type Fields,
  fieldUnits,
  hasFields,
  type LiveAsset,
  MAX_IDS_PER_REQUEST,
  type Op,
  type OpResult,
  pickFields,
  Target,
  TargetError
} from "../target/Target.js"
import * as Journal from "./Journal.js"
import * as Merge from "./Merge.js"
import * as Plan from "./Plan.js"
import type * as ReportFile from "./ReportFile.js"

/** One merge to make. @since 0.2.0 */
export interface GroupMerge {
  readonly group: string
  readonly keeper: string
  readonly merge: Merge.MergePlan
}

/** A request `execute` will send (before the journal's leftovers are checked). @since 0.2.0 */
export interface Request {
  readonly group?: string | undefined
  readonly reverses?: number | undefined
  readonly op: Op
}

/** A plan checked against the server, with its requests. @since 0.2.0 */
export interface Prepared {
  readonly plan: Plan.Plan
  readonly merges: ReadonlyArray<GroupMerge>
  /** Merge requests first, then the action's. */
  readonly requests: ReadonlyArray<Request>
  /** Requests an interrupted run left without an answer: checked before anything is re-sent. */
  readonly pending: ReadonlyArray<Journal.Step>
  /** Notes for people (e.g. fields an undo leaves alone). */
  readonly notes: ReadonlyArray<string>
  /** Ids of `pending` trash/removals the check now skips (changed, or keeper gone): never re-sent. */
  readonly holdBack?: ReadonlySet<string> | undefined
}

/** What a run did. @since 0.2.0 */
export interface Outcome {
  readonly done: number
  /** Requests that turned out already done when checked. */
  readonly alreadyDone: number
  readonly failed: ReadonlyArray<string>
  /**
   * Copies the last look before their trash request held back: changed on the server while the run
   * went on (a description given meanwhile, a keeper trashed), so never sent. @since 0.2.0
   */
  readonly held: ReadonlyArray<Plan.Skipped>
}

const SkippedSchema = Schema.Struct({
  group: Schema.String,
  ids: Schema.Array(Schema.String),
  reason: Schema.String
})

/** Some changes failed; the journal says what was done. @since 0.2.0 */
export class ApplyFailed extends Schema.TaggedError<ApplyFailed>()("ApplyFailed", {
  failed: Schema.Number,
  first: Schema.String,
  journal: Schema.String,
  /** The run's outcome, every failure included (set by `applyPlan`). */
  outcome: Schema.optional(
    Schema.Struct({
      done: Schema.Number,
      alreadyDone: Schema.Number,
      failed: Schema.Array(Schema.String),
      held: Schema.Array(SkippedSchema)
    })
  )
}) {
  override get message(): string {
    return `${this.failed} change${this.failed === 1 ? "" : "s"} failed (first: ${this.first}); the journal ${this.journal} says what was done`
  }
}

const opIds = (op: Op): ReadonlyArray<string> =>
  op.kind === "update" ? [op.id] : op.kind === "stack" ? [op.keeper, ...op.ids] : op.ids

/**
 * What a journal already covers: assets trashed, (album, asset) pairs removed, groups stacked.
 * Merges are not covered: they are planned again from the server's current values, so a merge cut
 * short by an interruption is completed (each request journals its own previous values for undo).
 */
const coveredBy = (steps: ReadonlyArray<Journal.Step>) => {
  const assets = new Set<string>()
  const removed = new Set<string>()
  const groups = new Set<string>()
  for (const s of steps) {
    if (s.state === "failed") continue
    if (s.op.kind === "trash") for (const id of s.op.ids) assets.add(id)
    if (s.op.kind === "remove-from-album") for (const id of s.op.ids) removed.add(pair(s.op.album, id))
    // A stack journalled done without an id was held back on resume (nothing made): planned again.
    if (
      s.op.kind === "stack" &&
      s.group !== undefined &&
      !(s.state === "done" && s.result.stack_id === undefined)
    )
      groups.add(s.group)
  }
  return { assets, removed, groups }
}

const pair = (album: string, id: string) => `${album}\n${id}`

/** Checks the plan on the server (GET only) and lists its requests. @since 0.2.0 */
export const prepare = Effect.fn("Apply.prepare")(function* (
  plan: Plan.Plan,
  journal?: Journal.Contents | undefined
) {
  const target = yield* Target
  const previous = journal?.steps ?? []
  const pending = previous.filter((s) => s.state === "pending")
  const covered = coveredBy(previous)
  const live = yield* target.lookup(Plan.idsToCheck(plan))
  let checked = Plan.check(plan, live, covered)
  // A pending request is re-sent only for what passes the same check as everything else.
  const pendingIds = new Set(
    pending.flatMap((s) =>
      s.op.kind === "trash" || s.op.kind === "remove-from-album"
        ? s.op.ids
        : s.op.kind === "stack"
          ? [s.op.keeper, ...s.op.ids]
          : []
    )
  )
  const recheck = holdBackLosses(
    heldBackNow(
      Plan.check(plan, live, coveredBy(previous.filter((s) => s.state !== "pending"))),
      live,
      target
    ),
    live,
    target
  )
  const allowed = new Set(
    recheck.groups.flatMap((g) => [
      ...(plan.action === "stack" ? [g.keeper.id] : []),
      ...g.targets.map((t) => t.id)
    ])
  )
  const holdBack = new Set([...pendingIds].filter((id) => !allowed.has(id)))
  const heldReasons = recheck.skipped.filter((s) => s.ids.some((id) => holdBack.has(id) && live.has(id)))
  if (heldReasons.length > 0) checked = { ...checked, skipped: [...checked.skipped, ...heldReasons] }
  checked = heldBackNow(checked, live, target)
  // Unmerged, a copy's albums are judged on the server below, and its other losses with them.
  const byAlbum = albumsJudged(plan)
  if (!byAlbum) checked = holdBackLosses(checked, live, target)
  if (plan.action === "trash" && checked.groups.length > 0) yield* target.checkTrashIsSoft

  const merges: Array<GroupMerge> = []
  // Albums are looked up for merges, and for what a copy's album means without one: removing it from
  // an album, or trashing it unmerged, loses the photo from an album its keeper is not in now.
  const albumGroups = checked.groups.filter((g) => g.merge || byAlbum)
  const albums = [...new Set(albumGroups.flatMap((g) => g.targets.flatMap((t) => t.albums)))].sort()
  const { membership, gone } = yield* lookUpAlbums(albumAsks(albumGroups, byAlbum))
  // A merge into an album gone since the report could be neither made nor checked: its group waits.
  // Without a merge, an album gone is no loss, and nothing to remove a copy from.
  if (gone.size > 0) checked = holdBackGoneAlbums(checked, gone)
  if (byAlbum) checked = holdBackLossesByAlbum(checked, live, target, membership)
  for (const g of checked.groups.filter((g) => g.merge)) {
    const keeperLive = live.get(g.keeper.id)!
    const merge = Merge.plan({
      keeper: { live: keeperLive, report: g.keeper },
      keeperAlbums: new Set(albums.filter((a) => membership.get(a)?.has(g.keeper.id) === true)),
      sources: g.targets.flatMap((t) => {
        const l = live.get(t.id)
        // Looked up (removing from albums): an album the copy has left since gains the keeper nothing.
        const albums = byAlbum ? t.albums.filter((a) => membership.get(a)?.has(t.id) ?? true) : t.albums
        return l === undefined ? [] : [{ live: l, report: { ...t, albums } }]
      }),
      hasFavorite: target.hasFavorite,
      canClearGps: target.canClearGps
    })
    if (!Merge.isEmpty(merge) || merge.notes.length > 0)
      merges.push({ group: g.id, keeper: g.keeper.id, merge })
  }

  const requests: Array<Request> = []
  for (const m of merges) {
    for (const album of m.merge.albums)
      requests.push({ group: m.group, op: { kind: "add-to-album", album, ids: [m.keeper] } })
    if (Object.keys(m.merge.set).length > 0) {
      requests.push({
        group: m.group,
        op: { kind: "update", id: m.keeper, set: m.merge.set, previous: m.merge.previous }
      })
    }
  }
  // A copy no longer in an album is not removed from it (undo would add it back where it never was).
  const notThere = new Set(
    byAlbum
      ? checked.groups.flatMap((g) =>
          g.targets.flatMap((t) =>
            t.albums.filter((a) => !membership.get(a)!.has(t.id)).map((a) => pair(a, t.id))
          )
        )
      : []
  )
  requests.push(...actionRequests(checked, live, new Set([...covered.removed, ...notThere])))
  return {
    plan: checked,
    merges,
    requests,
    pending,
    notes: [],
    holdBack
  } satisfies Prepared
})

/** Whether a copy's albums are judged on the server: removing it from them, or trashing it unmerged. */
const albumsJudged = (plan: Plan.Plan) =>
  plan.action === "remove-from-album" || (plan.action === "trash" && !plan.merge)

/**
 * Removing a copy from an album without merging, or trashing it unmerged, takes the photo out of each
 * album the copy is in now and its keeper is not (the report's albums may be stale): such a copy is
 * held back with its shot. An album the copy has left since is no loss, and nothing to remove it from.
 */
const holdBackAlbumLosses = (
  plan: Plan.Plan,
  membership: ReadonlyMap<string, ReadonlySet<string>>
): Plan.Plan => {
  const has = (album: string, id: string) => membership.get(album)!.has(id)
  const groups: Array<Plan.PlannedGroup> = []
  const skipped = [...plan.skipped]
  for (const g of plan.groups) {
    const shotOf = (id: string) => g.stillOf?.[id] ?? id
    const held = new Map<string, Array<string>>()
    const left: Array<string> = []
    for (const t of g.targets) {
      const now = t.albums.filter((a) => has(a, t.id))
      // Merging adds the keeper to the copy's albums first.
      const lost = g.merge ? [] : now.filter((a) => !has(a, g.keeper.id))
      if (lost.length > 0) held.set(shotOf(t.id), [...(held.get(shotOf(t.id)) ?? []), ...lost])
      else if (plan.action === "remove-from-album" && now.length === 0) left.push(t.id)
    }
    for (const [shot, lost] of held) {
      skipped.push({
        group: g.id,
        ids: g.targets.filter((t) => shotOf(t.id) === shot).map((t) => t.id),
        reason: `is in album ${[...new Set(lost)].sort().join(", ")} on the server now and its keeper ${g.keeper.id} is not; ${plan.action === "trash" ? "trashing" : "removing"} it would take the photo out: review it`
      })
    }
    if (left.length > 0)
      skipped.push({
        group: g.id,
        ids: left,
        reason: "is in none of the report's albums on the server now: nothing to remove"
      })
    const targets = g.targets.filter((t) => !held.has(shotOf(t.id)) && !left.includes(t.id))
    if (targets.length > 0) groups.push({ ...g, targets })
  }
  return { ...plan, groups, skipped }
}

/** `holdBackLosses` where albums are judged on the server: their losses first, then the rest. */
const holdBackLossesByAlbum = (
  plan: Plan.Plan,
  live: ReadonlyMap<string, LiveAsset>,
  server: { readonly hasFavorite: boolean; readonly canClearGps: boolean },
  membership: ReadonlyMap<string, ReadonlySet<string>>
): Plan.Plan => holdBackLosses(holdBackAlbumLosses(plan, membership), live, server, membership)

/** The ids to ask each album about: the groups' keepers (and, `withTargets`, their copies) by album. */
const albumAsks = (groups: ReadonlyArray<Plan.PlannedGroup>, withTargets: boolean) => {
  const asks = new Map<string, Set<string>>()
  for (const g of groups)
    for (const t of g.targets)
      for (const album of t.albums) {
        const ids = asks.get(album) ?? new Set<string>()
        asks.set(album, ids.add(g.keeper.id))
        if (withTargets) ids.add(t.id)
      }
  return asks
}

/** Who of the ids asked is in each album now; an album gone since holds no one, and is in `gone`. */
const lookUpAlbums = (asks: ReadonlyMap<string, ReadonlySet<string>>) =>
  Effect.gen(function* () {
    const target = yield* Target
    const membership = new Map<string, ReadonlySet<string>>()
    const gone = new Set<string>()
    for (const [album, ids] of [...asks].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const inside = yield* Effect.either(target.inAlbum(album, [...ids]))
      if (inside._tag === "Right") membership.set(album, inside.right)
      else if (inside.left.album !== undefined) {
        gone.add(album)
        membership.set(album, new Set())
      } else return yield* inside.left
    }
    return { membership, gone }
  })

/** Merging groups with a copy in an album the server no longer has are held back whole. */
const holdBackGoneAlbums = (plan: Plan.Plan, gone: ReadonlySet<string>): Plan.Plan => {
  const albumOf = (g: Plan.PlannedGroup) =>
    g.merge ? g.targets.flatMap((t) => t.albums).find((a) => gone.has(a)) : undefined
  const skipped = plan.groups.flatMap((g) => {
    const album = albumOf(g)
    return album === undefined
      ? []
      : [
          {
            group: g.id,
            ids: g.targets.map((t) => t.id),
            reason: `album ${album} could not be looked up on the server (deleted since the report?), so the keeper cannot be merged into it: nothing done`
          }
        ]
  })
  return {
    ...plan,
    groups: plan.groups.filter((g) => albumOf(g) === undefined),
    skipped: [...plan.skipped, ...skipped]
  }
}

/**
 * The checks of the server's values now that every look makes (the first, a pending request's and the
 * last before a trash), before the losses, which may need albums looked up: fields the answer left
 * out; for `stack`, members stacked since (a second stack would move them out of theirs, which undo
 * could not put back); else, on a server that cannot clear GPS, a copy's GPS its keeper lacks.
 */
const heldBackNow = (
  plan: Plan.Plan,
  live: ReadonlyMap<string, LiveAsset>,
  server: { readonly canClearGps: boolean }
): Plan.Plan => {
  const known = holdBackUnknownFields(plan, live)
  if (plan.action === "stack") return skipStacked(known, live)
  return server.canClearGps ? known : holdBackGps(known, live)
}

/** Stack: a group already stacked together, or partly in other stacks, is left alone. */
const skipStacked = (plan: Plan.Plan, live: ReadonlyMap<string, LiveAsset>): Plan.Plan => {
  const groups: Array<Plan.PlannedGroup> = []
  const skipped = [...plan.skipped]
  for (const g of plan.groups) {
    const ids = [g.keeper.id, ...g.targets.map((t) => t.id)]
    const stacks = new Set(ids.map((id) => live.get(id)?.stackId ?? null))
    if (stacks.size === 1 && !stacks.has(null)) {
      skipped.push({ group: g.id, ids, reason: "already stacked together" })
    } else if ([...stacks].some((s) => s !== null)) {
      skipped.push({
        group: g.id,
        ids,
        reason:
          "some members are in another stack; stacking would move them there, which undo could not put back"
      })
    } else groups.push(g)
  }
  return { ...plan, groups, skipped }
}

const located = (a: LiveAsset | undefined) => a !== undefined && a.latitude !== null && a.longitude !== null

/**
 * With merging on, or trashing without it, a group is held back whole when the server answered for
 * its keeper or a target without their fields: a copy would look as if it carried nothing to merge
 * (or to lose: `holdBackLosses` is the only check of a decided discard with merging off).
 */
const holdBackUnknownFields = (plan: Plan.Plan, live: ReadonlyMap<string, LiveAsset>): Plan.Plan => {
  if (!plan.merge && plan.action !== "trash") return plan
  const unknown = (id: string) => live.get(id)?.fieldsKnown === false
  const groups: Array<Plan.PlannedGroup> = []
  const held: Array<Plan.PlannedGroup> = []
  for (const g of plan.groups)
    (unknown(g.keeper.id) || g.targets.some((t) => unknown(t.id)) ? held : groups).push(g)
  const reason = `the server answered without rating, description and GPS, so what ${plan.merge ? "a merge needs" : "a copy would lose"} cannot be checked: nothing done`
  return {
    ...plan,
    groups,
    skipped: [...plan.skipped, ...held.map((g) => ({ group: g.id, ids: g.targets.map((t) => t.id), reason }))]
  }
}

/**
 * A server that cannot clear GPS (Immich) never gets GPS merged, so a copy carrying GPS its keeper
 * lacks would lose it: such a copy (with its shot) is held back for review, unless a decision chose
 * to discard it on a page that said its GPS is lost (a page that said it merges misled the choice).
 */
const holdBackGps = (plan: Plan.Plan, live: ReadonlyMap<string, LiveAsset>): Plan.Plan => {
  const groups: Array<Plan.PlannedGroup> = []
  const skipped = [...plan.skipped]
  for (const g of plan.groups) {
    const informed = g.decided === true && plan.gpsMergeShown === false
    if (informed || located(live.get(g.keeper.id))) {
      groups.push(g)
      continue
    }
    const shotOf = (id: string) => g.stillOf?.[id] ?? id
    const heldShots = new Set(g.targets.filter((t) => located(live.get(t.id))).map((t) => shotOf(t.id)))
    const held = g.targets.filter((t) => heldShots.has(shotOf(t.id))).map((t) => t.id)
    if (held.length > 0)
      skipped.push({
        group: g.id,
        ids: held,
        reason:
          g.decided === true
            ? "carries GPS the keeper lacks, and the report you decided on said it would merge; this server can't merge GPS: make the report from this server, then decide again"
            : "carries GPS the keeper lacks; this server can't undo a GPS merge: review it"
      })
    const targets = g.targets.filter((t) => !heldShots.has(shotOf(t.id)))
    if (targets.length > 0) groups.push({ ...g, targets })
  }
  return { ...plan, groups, skipped }
}

const text = (s: string | null | undefined): s is string => s !== null && s !== undefined && s.trim() !== ""

/**
 * Trash only, judged on the server's current values (the report's may be stale): a copy is held
 * back with its shot when trashing it would leave what it carries on no live asset. That is a
 * description of its own the keeper will not hold after the merge (a merge gives an undescribed
 * keeper one description, and never joins two), a Live Photo's motion part the keeper lacks (it
 * goes when the still is purged), the cover of a stack on the server (trashing it hides the stack),
 * people or faces the keeper lacks that the report did not show (no merge carries them) and, with
 * merging off, a rating, favourite, description or GPS the keeper lacks. A decision that
 * chose the discard goes ahead but for the last two: `--no-merge` says to merge nothing, not to lose
 * it, and the owner did not choose to hide a stack.
 */
const holdBackLosses = (
  plan: Plan.Plan,
  live: ReadonlyMap<string, LiveAsset>,
  server: { readonly hasFavorite: boolean; readonly canClearGps: boolean },
  /** Who is in the copies' albums now, when looked up (else the report's albums are taken). */
  membership?: ReadonlyMap<string, ReadonlySet<string>> | undefined
): Plan.Plan => {
  if (plan.action !== "trash") return plan
  const groups: Array<Plan.PlannedGroup> = []
  const skipped = [...plan.skipped]
  for (const g of plan.groups) {
    const k = live.get(g.keeper.id)
    if (k === undefined) {
      groups.push(g)
      continue
    }
    const inside = (album: string, id: string) => membership?.get(album)?.has(id)
    const mergeFrom = (targets: ReadonlyArray<ReportFile.ReportAsset>) =>
      Merge.plan({
        keeper: { live: k, report: g.keeper },
        // The albums the keeper is in (as a merge's), to see what a copy alone is in.
        keeperAlbums: new Set(
          membership === undefined
            ? g.keeper.albums
            : targets
                .flatMap((t) => t.albums)
                .filter((a) => inside(a, g.keeper.id) ?? g.keeper.albums.includes(a))
        ),
        sources: targets.flatMap((t) => {
          const l = live.get(t.id)
          const albums = membership === undefined ? t.albums : t.albums.filter((a) => inside(a, t.id) ?? true)
          return l === undefined ? [] : [{ live: l, report: { ...t, albums } }]
        }),
        hasFavorite: server.hasFavorite,
        canClearGps: server.canClearGps
      })
    const described = text(k.description)
      ? k.description
      : plan.merge
        ? (mergeFrom(g.targets).set.description ?? null)
        : null
    const shotOf = (id: string) => g.stillOf?.[id] ?? id
    const held = new Map<string, string>()
    for (const t of g.targets) {
      const l = live.get(t.id)
      if (l === undefined) continue
      const lost: Array<string> = []
      // What a merge cannot carry: a decision that saw it may discard it anyway.
      if (g.decided !== true && text(l.description) && !(described ?? "").includes(l.description.trim()))
        lost.push("a description the keeper will not have")
      // Immich never lists a Live Photo's motion part, so the report may not know it is one.
      if (
        g.decided !== true &&
        typeof l.livePhotoVideoId === "string" &&
        typeof k.livePhotoVideoId !== "string"
      )
        lost.push("a Live Photo video the keeper lacks")
      // Immich hides a whole stack from the timeline once its cover is trashed (immich#27940), the
      // keeper with it; the owner has to pick another cover first, whatever was decided.
      if (l.stackId !== null && l.stackPrimary === l.id)
        lost.push(
          "the cover of a stack (trashing it hides the stack's other photos: make another one the cover first)"
        )
      // Who is recognised in it: no merge carries that. A decision saw the report's losses, so only
      // a loss the report did not show (a person tagged since, or untagged from the keeper) holds it.
      const people = lostNow(l.people, k.people, t.people, g.keeper.people)
      if (people.length > 0) lost.push(`people the keeper lacks: ${people.join(", ")}`)
      if (
        (l.faceCount ?? 0) > 0 &&
        (k.faceCount ?? 0) === 0 &&
        !(t.face_count > 0 && g.keeper.face_count === 0)
      )
        lost.push("faces the keeper lacks")
      // What a merge would carry, with merging off: kept whatever was decided.
      if (!plan.merge) lost.push(...mergeFrom([t]).gains)
      if (lost.length > 0 && !held.has(shotOf(t.id))) held.set(shotOf(t.id), lost.join(", "))
    }
    for (const [shot, lost] of held) {
      skipped.push({
        group: g.id,
        ids: g.targets.filter((t) => shotOf(t.id) === shot).map((t) => t.id),
        reason: `carries ${lost}${plan.merge ? "" : " (merging is off)"} on the server now; trashing it would lose that: review it`
      })
    }
    const targets = g.targets.filter((t) => !held.has(shotOf(t.id)))
    if (targets.length > 0) groups.push({ ...g, targets })
  }
  return { ...plan, groups, skipped }
}

/**
 * The names a copy has and its keeper lacks on the server now, less those the report already showed
 * it would lose (what a discard there was judged on, or decided with). A copy not answered with its
 * people loses none; a keeper not answered with them is taken to show nobody. Names are compared, as
 * the report names people, so a person renamed since counts as someone the report did not show.
 */
const lostNow = (
  copy: ReadonlyArray<string> | undefined,
  keeper: ReadonlyArray<string> | undefined,
  reportCopy: ReadonlyArray<string>,
  reportKeeper: ReadonlyArray<string>
): ReadonlyArray<string> =>
  copy === undefined
    ? []
    : [...new Set(copy)]
        .filter((p) => !(keeper ?? []).includes(p))
        .filter((p) => !(reportCopy.includes(p) && !reportKeeper.includes(p)))
        .sort()

/**
 * The copies to trash in requests of at most `MAX_IDS_PER_REQUEST`, a shot never split across two
 * (the last look before each request holds a still back with its companions, so they must go in one).
 * An edited report may list one copy in two groups: it goes once.
 */
const shotBatches = (plan: Plan.Plan): Array<ReadonlyArray<string>> => {
  const seen = new Set<string>()
  const shots: Array<Array<string>> = []
  for (const g of plan.groups) {
    const byShot = new Map<string, Array<string>>()
    for (const t of g.targets) {
      if (seen.has(t.id)) continue
      seen.add(t.id)
      const shot = g.stillOf?.[t.id] ?? t.id
      byShot.set(shot, [...(byShot.get(shot) ?? []), t.id])
    }
    shots.push(...byShot.values())
  }
  const out: Array<ReadonlyArray<string>> = []
  let batch: Array<string> = []
  for (const shot of shots) {
    if (batch.length + shot.length > MAX_IDS_PER_REQUEST && batch.length > 0) {
      out.push(batch)
      batch = []
    }
    // A shot larger than a request (never seen: a still has a few companions) is sent in parts.
    if (shot.length > MAX_IDS_PER_REQUEST) out.push(...chunks(shot))
    else batch.push(...shot)
  }
  if (batch.length > 0) out.push(batch)
  return out
}

/** The action's requests: trash in batches across groups, removal per album, one stack per group. */
const actionRequests = (
  plan: Plan.Plan,
  live: ReadonlyMap<string, LiveAsset>,
  removed: ReadonlySet<string>
): Array<Request> => {
  const out: Array<Request> = []
  if (plan.action === "stack") {
    for (const g of plan.groups) {
      const ids = g.targets.map((t) => t.id)
      const before = [...new Set([g.keeper.id, ...ids].map((id) => live.get(id)?.stackId ?? null))].filter(
        (s): s is string => s !== null
      )
      out.push({ group: g.id, op: { kind: "stack", keeper: g.keeper.id, ids, before } })
    }
  } else if (plan.action === "trash") {
    for (const part of shotBatches(plan)) out.push({ op: { kind: "trash", ids: part } })
  } else if (plan.action === "remove-from-album") {
    // Sets: an edited report may list one copy in two groups.
    const byAlbum = new Map<string, Set<string>>()
    for (const g of plan.groups) {
      for (const t of g.targets) {
        for (const album of t.albums) {
          if (removed.has(pair(album, t.id))) continue
          const ids = byAlbum.get(album) ?? new Set<string>()
          byAlbum.set(album, ids.add(t.id))
        }
      }
    }
    for (const [album, ids] of [...byAlbum].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (const part of chunks([...ids])) out.push({ op: { kind: "remove-from-album", album, ids: part } })
    }
  } else {
    // Untyped callers: an action that is none of the three must not fall into one of them.
    const unknown: never = plan.action
    throw new Error(`unknown action ${JSON.stringify(unknown)}: expected ${Plan.ACTIONS.join(", ")}`)
  }
  return out
}

/**
 * Where in the plan are the groups each copy is a target of (an edited report may list one copy in
 * two): to hold back the discards of a group whose merge failed, and so that each last look visits
 * only its batch's groups.
 */
const groupIndexOfTarget = (plan: Plan.Plan) => {
  const out = new Map<string, Array<number>>()
  plan.groups.forEach((g, i) => {
    for (const t of g.targets) out.set(t.id, [...(out.get(t.id) ?? []), i])
  })
  return out
}

/** One request: `pending` entry, the request (checked first when `check`), `done`/`failed` entry. */
const step = Effect.fn("Apply.step")(function* (
  writer: Journal.Writer,
  request: Request,
  existingSeq?: number | undefined,
  holdBack: ReadonlySet<string> = new Set()
) {
  const target = yield* Target
  const at = () => new Date().toISOString()
  const seq = existingSeq ?? writer.nextSeq()
  if (existingSeq === undefined) {
    yield* writer.append({
      type: "pending",
      seq,
      group: request.group,
      reverses: request.reverses,
      op: request.op,
      at: at()
    })
  }
  // A pending request may have reached the server, and an undo's may find it moved on (a stack
  // dissolved by hand, a copy restored already): both are checked first and send only what is left.
  // So is a merge's update: a field the owner set since the run looked (a rating given meanwhile) is
  // theirs, and a merge never overwrites.
  const checkFirst =
    existingSeq !== undefined || request.reverses !== undefined || request.op.kind === "update"
  type Ran = {
    result: OpResult
    checked: boolean
    ids?: ReadonlyArray<string> | undefined
    fields?: ReadonlyArray<keyof Fields> | undefined
  }
  // A fresh merge update journals the fields it wrote: one the owner set meanwhile, even to the
  // merge's own value, is theirs, and undo must not take it back.
  const fresh = existingSeq === undefined && request.reverses === undefined
  const run: Effect.Effect<Ran, TargetError> = !checkFirst
    ? Effect.map(target.perform(request.op), (result) => ({ result, checked: false }))
    : Effect.flatMap(
        // A check that fails leaves the request as unknown as it was: pending, never failed. But for
        // an album gone since: whatever the request did to it went with it, and every rerun would
        // find it gone (an undo waiting on it forever): failed, and not fatal.
        Effect.mapError(target.outstanding(request.op), (e) =>
          e.album !== undefined
            ? e
            : new TargetError({ message: e.message, fatal: e.fatal, unanswered: true })
        ),
        (o): Effect.Effect<Ran, TargetError> => {
          if (o.done)
            return Effect.succeed({
              result: o.result,
              checked: true,
              ...(fresh && request.op.kind === "update" ? { fields: [] } : {})
            })
          // A stack held back is not made: done without a stack id, so undo has nothing to dissolve
          // and a later run plans the group again.
          if (o.op.kind === "stack" && opIds(o.op).some((id) => holdBack.has(id))) {
            const ids = opIds(o.op)
            // The check sees live assets only: with a member trashed since, the stack may have been
            // made all the same. Pending until a rerun can see every member.
            return Effect.flatMap(target.lookup(ids), (live) =>
              ids.every((id) => live.has(id))
                ? Effect.succeed({ result: {}, checked: true })
                : new TargetError({
                    message: `the stack of ${ids[0]} is held back, and a member is not live to check whether it was made: a rerun with the same journal checks it`,
                    fatal: false,
                    unanswered: true
                  })
            )
          }
          if (o.op.kind !== "trash" && o.op.kind !== "remove-from-album") {
            const op = o.op
            const fields =
              fresh && op.kind === "update" && request.op.kind === "update"
                ? Object.keys(op.set).length < Object.keys(request.op.set).length
                  ? (Object.keys(op.set) as Array<keyof Fields>)
                  : undefined
                : undefined
            return Effect.map(target.perform(op), (result) => ({
              result,
              checked: false,
              ...(fields === undefined ? {} : { fields })
            }))
          }
          // Ids held back while still outstanding were never acted on: the `done` entry lists the
          // request's ids without them, so later runs do not skip them and undo does not reverse them.
          const held = new Set(o.op.ids.filter((id) => holdBack.has(id)))
          const ids = held.size === 0 ? undefined : opIds(request.op).filter((id) => !held.has(id))
          const send = o.op.ids.filter((id) => !held.has(id))
          return send.length === 0
            ? Effect.succeed({ result: {}, checked: true, ids })
            : Effect.map(target.perform({ ...o.op, ids: send }), (result) => ({
                result,
                checked: false,
                ids
              }))
        }
      )
  const ran = yield* run.pipe(
    // A request that may have been made stays `pending`: a rerun checks it on the server, and undo
    // waits for that (journalled failed, a trash made would never be restored, yet its merge undone).
    Effect.tapError((e) =>
      e.unanswered === true ? Effect.void : writer.append({ type: "failed", seq, error: e.message, at: at() })
    )
  )
  // An album change is read back before it is journalled done: servers answer 200 and refuse ids one
  // by one (Immich's per-id `no_permission`), and a refused id was not changed. A read-back that
  // cannot be made leaves the request pending (a rerun checks it).
  const refused = isAlbumOp(request)
    ? yield* Effect.mapError(
        albumRefused(request.op, ran.ids ?? request.op.ids, request.reverses !== undefined),
        (e) => new TargetError({ message: e.message, fatal: e.fatal, unanswered: true })
      )
    : []
  if (isAlbumOp(request) && refused.length > 0) {
    const { album, ids, kind } = request.op
    const sent = ran.ids ?? ids
    const message =
      kind === "add-to-album"
        ? `album ${album} was sent ${sent.length} but lacks ${refused.join(", ")} (the server refused them)`
        : `album ${album} was asked to remove ${sent.length} but still holds ${refused.join(", ")} (the server refused them)`
    // An undo's change is failed: a rerun of the undo checks it and sends what is left. An apply's is
    // done, for undo (which checks the server first) to take back whatever it did: a removal for the
    // ids that left (a rerun plans the rest again), a merge's add whole (the read-back may miss a
    // keeper trashed meanwhile; merges are planned again from the server on every run).
    if (request.reverses !== undefined)
      yield* writer.append({ type: "failed", seq, error: message, at: at() })
    else
      yield* writer.append({
        type: "done",
        seq,
        result: ran.result,
        ...(kind === "remove-from-album" ? { ids: sent.filter((id) => !refused.includes(id)) } : {}),
        at: at()
      })
    return yield* new TargetError({ message, fatal: false })
  }
  // After the server's answer: a `done` that cannot be written leaves the request `pending`, never
  // `failed` (the change was made; a rerun finds it on the server, and undo can then reverse it).
  yield* writer.append({
    type: "done",
    seq,
    result: ran.result,
    ...(ran.checked ? { checked: true } : {}),
    ...(ran.ids === undefined ? {} : { ids: ran.ids }),
    ...(ran.fields === undefined ? {} : { fields: ran.fields }),
    at: at()
  })
  return ran
})

type AlbumOp = Extract<Op, { kind: "add-to-album" | "remove-from-album" }>

const isAlbumOp = (request: Request): request is Request & { op: AlbumOp } =>
  request.op.kind === "add-to-album" || request.op.kind === "remove-from-album"

/**
 * The ids of an album change the album did not take: not in it after an add, still in it after a
 * removal. An undo puts a copy the owner trashed since back in its album too, and albums list live
 * assets only: such a copy is not taken for a refusal.
 */
const albumRefused = (op: AlbumOp, ids: ReadonlyArray<string>, undoing: boolean) =>
  Effect.flatMap(Target, (target) =>
    Effect.gen(function* () {
      if (ids.length === 0) return []
      const inside = yield* target.inAlbum(op.album, ids)
      const adding = op.kind === "add-to-album"
      const wrong = ids.filter((id) => inside.has(id) !== adding)
      if (!adding || !undoing || wrong.length === 0) return wrong
      const live = yield* target.lookup(wrong)
      return wrong.filter((id) => live.has(id))
    })
  )

const isMergeUpdate = (request: Request): request is Request & { op: Extract<Op, { kind: "update" }> } =>
  request.op.kind === "update" && request.reverses === undefined

/**
 * Fails (not fatally: the group's copies stay) when the keeper still holds, after a 200, the value a
 * field had before the merge: a server may ignore a field it does not know (an SDK version lists no
 * rating in its bulk-update change). A field that holds neither value was edited by someone: theirs.
 */
const updateTook = (op: Extract<Op, { kind: "update" }>) =>
  Effect.flatMap(Target, (target) =>
    Effect.flatMap(target.lookup([op.id]), (live) => {
      const now = live.get(op.id)
      const ignored = fieldUnits(op.set).filter(
        (unit) =>
          now === undefined ||
          (!hasFields(now, pickFields(op.set, unit)) && hasFields(now, pickFields(op.previous, unit)))
      )
      return ignored.length === 0
        ? Effect.void
        : new TargetError({
            message: `the keeper ${op.id} was sent ${ignored.map((u) => u.join(" and ")).join(", ")} but does not hold ${ignored.length === 1 ? "it" : "them"} (the server ignored ${ignored.length === 1 ? "it" : "them"}, or the keeper is gone)`,
            fatal: false
          })
    })
  )

/**
 * The last look before a trash request: the groups of its copies looked up again and put through the
 * same checks as when the run began, since the merges before it may have taken a while and the owner
 * (or another run) may have acted meanwhile. Returns the copies still to trash and why others wait.
 * `trashed`: copies this run trashed already (their companions still go).
 */
const recheckTrash = (
  plan: Plan.Plan,
  ids: ReadonlyArray<string>,
  trashed: ReadonlySet<string>,
  groupIndex: ReadonlyMap<string, ReadonlyArray<number>>
) =>
  Effect.gen(function* () {
    const target = yield* Target
    const batch = new Set(ids)
    // In plan order, as the first look saw them.
    const visited = [...new Set(ids.flatMap((id) => groupIndex.get(id) ?? []))].sort((a, b) => a - b)
    // The batch's copies with the rest of their shots (a companion never goes alone), and keepers.
    const mine: Plan.Plan = {
      ...plan,
      groups: visited.flatMap((i) => {
        const g = plan.groups[i]!
        const shotOf = (id: string) => g.stillOf?.[id] ?? id
        const shots = new Set(g.targets.filter((t) => batch.has(t.id)).map((t) => shotOf(t.id)))
        const targets = g.targets.filter((t) => shots.has(shotOf(t.id)))
        return targets.length === 0 ? [] : [{ ...g, targets }]
      }),
      skipped: []
    }
    const live = yield* target.lookup(Plan.idsToCheck(mine))
    let now = heldBackNow(Plan.check(mine, live, { assets: trashed, groups: new Set() }), live, target)
    if (albumsJudged(plan)) {
      const { membership } = yield* lookUpAlbums(albumAsks(now.groups, true))
      now = holdBackLossesByAlbum(now, live, target, membership)
    } else now = holdBackLosses(now, live, target)
    const allowed = new Set(now.groups.flatMap((g) => g.targets.map((t) => t.id)))
    const held = now.skipped
      .map((s) => ({ ...s, ids: s.ids.filter((id) => batch.has(id)) }))
      .filter((s) => s.ids.length > 0)
    return { ids: ids.filter((id) => allowed.has(id)), held }
  })

/** Sends the prepared requests, journalling each; fails with the first fatal refusal. @since 0.2.0 */
export const execute = Effect.fn("Apply.execute")(function* (prepared: Prepared, writer: Journal.Writer) {
  let done = 0
  let alreadyDone = 0
  const failed: Array<string> = []
  const failedGroups = new Set<string>()
  const held: Array<Plan.Skipped> = []
  const trashed = new Set<string>()
  const attempt = (request: Request, existingSeq?: number) =>
    step(writer, request, existingSeq, prepared.holdBack).pipe(
      // A merge's update is read back before its group's copies go (a 200 may ignore a field); album
      // changes are read back by `step` itself.
      Effect.tap(() => (isMergeUpdate(request) ? updateTook(request.op) : Effect.void)),
      Effect.map(({ checked }) => {
        if (checked) alreadyDone++
        else done++
        return true
      }),
      Effect.catchAll((e) =>
        e._tag === "TargetError" && !e.fatal
          ? Effect.sync(() => {
              failed.push(e.message)
              if (request.group !== undefined) failedGroups.add(request.group)
              return false
            })
          : Effect.fail(e)
      )
    )
  for (const s of prepared.pending) {
    yield* attempt({ group: s.group, reverses: s.reverses, op: s.op }, s.seq)
  }
  const groupIndex = groupIndexOfTarget(prepared.plan)
  const failedGroupOf = (id: string) =>
    (groupIndex.get(id) ?? []).some((i) => failedGroups.has(prepared.plan.groups[i]!.id))
  for (const request of prepared.requests) {
    const op = request.op
    // After an undo's first failure only copies still come back (from the trash, or into the albums
    // the action took them from): the keepers' fields and albums go back only once every copy did
    // (a copy lost from the trash lives on in its keeper). Stacks are still dissolved: that returns
    // frames to loose display and changes no data.
    const copiesBack = op.kind === "restore" || (op.kind === "add-to-album" && request.group === undefined)
    const goesOn = copiesBack || op.kind === "unstack"
    if (request.reverses !== undefined && failed.length > 0 && !goesOn) continue
    if (request.group !== undefined && failedGroups.has(request.group)) continue
    if (op.kind === "trash" || op.kind === "remove-from-album") {
      // A group whose merge failed keeps its discards.
      let ids = op.ids.filter((id) => !failedGroupOf(id))
      if (ids.length > 0 && op.kind === "trash" && request.reverses === undefined) {
        // A look that fails sends nothing: the copies stay, and a rerun plans them again.
        const now = yield* Effect.either(recheckTrash(prepared.plan, ids, trashed, groupIndex))
        if (now._tag === "Left") {
          if (now.left.fatal) return yield* now.left
          failed.push(now.left.message)
          continue
        }
        held.push(...now.right.held)
        ids = now.right.ids
      }
      if (ids.length === 0) continue
      const sent = yield* attempt({ ...request, op: { ...op, ids } })
      if (sent && op.kind === "trash") for (const id of ids) trashed.add(id)
    } else yield* attempt(request)
  }
  return { done, alreadyDone, failed, held } satisfies Outcome
})

/** The undo of a journal: its done requests reversed, newest first, minus those already undone. @since 0.2.0 */
export const prepareUndo = Effect.fn("Apply.prepareUndo")(function* (
  original: Journal.Contents,
  undoJournal?: Journal.Contents | undefined
) {
  // A request sent but never recorded as answered may or may not have been made: the apply's own
  // resume checks it on the server, after which everything it did is in the journal to undo.
  const unanswered = original.steps.filter((s) => s.state === "pending").length
  if (unanswered > 0) {
    return yield* new JournalMismatch({
      message: `the run was interrupted: ${unanswered} request${unanswered === 1 ? " was" : "s were"} sent without an answer recorded; resume it first (albumsift apply with the same --journal, which checks them on the server), then undo`
    })
  }
  const target = yield* Target
  const previous = undoJournal?.steps ?? []
  const handled = new Set(
    previous.filter((s) => s.state !== "failed" && s.reverses !== undefined).map((s) => s.reverses!)
  )
  const requests: Array<Request> = []
  const notes: Array<string> = []
  const toReverse = original.steps.filter((s) => s.state === "done" && !handled.has(s.seq)).reverse()
  const keepers = toReverse.flatMap((s) => (s.op.kind === "update" ? [s.op.id] : []))
  const live = keepers.length > 0 ? yield* target.lookup(keepers) : new Map<string, LiveAsset>()
  for (const s of toReverse) {
    const op = Journal.reverse(s)
    if (op === undefined) continue
    if (op.kind === "update" && s.op.kind === "update") {
      // Only fields still holding what the merge wrote go back; a later edit by someone wins.
      const now = live.get(op.id)
      const wrote = s.op.set
      const keys: Array<keyof Fields> = []
      for (const unit of fieldUnits(op.set)) {
        if (now !== undefined && hasFields(now, pickFields(wrote, unit))) keys.push(...unit)
        else
          notes.push(
            `${op.id}: ${unit.join(" and ")} changed since the merge (or the asset is gone); left as is`
          )
      }
      const set = pickFields(op.set, keys)
      if (Object.keys(set).length > 0) requests.push({ group: s.group, reverses: s.seq, op: { ...op, set } })
      continue
    }
    requests.push({ group: s.group, reverses: s.seq, op })
  }
  const plan: Plan.Plan = {
    action: original.header.action,
    scope: "all",
    merge: false,
    groups: [],
    skipped: [],
    outOfScope: 0
  }
  return {
    plan,
    merges: [],
    requests,
    pending: previous.filter((s) => s.state === "pending"),
    notes
  } satisfies Prepared
})

/** The ids a request touches (for summaries). @since 0.2.0 */
export const idsOf = opIds

/** The target layer for a server: the key from `GUMNUT_API_KEY` / `IMMICH_API_KEY`. @since 0.2.0 */
export const targetLayer = (server: ServerRef, retry?: Partial<Http.RetryOptions>) =>
  server.source === "immich"
    ? ImmichTarget.layerConfig({ baseUrl: server.base_url, retry })
    : GumnutTarget.layerConfig({ baseUrl: server.base_url, retry })

/** What `act` needs: a prepared run and where to journal it. @since 0.2.0 */
export interface ActOptions {
  readonly command: "apply" | "undo"
  readonly action: Plan.Action
  readonly server: ServerRef
  readonly journal: string
  /** The journal as it was read before `prepare` (a rerun resumes it). */
  readonly previous?: Journal.Contents | undefined
  readonly prepared: Prepared
  /** apply: the report acted on; undo: the journal reversed. */
  readonly source: string
}

/** Opens the journal (header, or a `resume` entry) and executes the prepared requests. @since 0.2.0 */
export const act = Effect.fn("Apply.act")(function* (options: ActOptions) {
  return yield* Effect.scoped(
    Effect.gen(function* () {
      const { previous } = options
      const firstSeq = (previous?.steps.reduce((m, s) => Math.max(m, s.seq), 0) ?? 0) + 1
      const writer = yield* Journal.open(options.journal, firstSeq)
      const at = new Date().toISOString()
      if (previous === undefined) {
        yield* writer.append({
          type: "run",
          journal_version: 1,
          command: options.command,
          action: options.action,
          server: options.server,
          ...(options.command === "apply" ? { report: options.source } : { undoes: options.source }),
          at
        })
      } else yield* writer.append({ type: "resume", at })
      return yield* execute(options.prepared, writer)
    })
  )
})

/** A journal that belongs to another run. @since 0.2.0 */
export class JournalMismatch extends Schema.TaggedError<JournalMismatch>()("JournalMismatch", {
  message: Schema.String
}) {}

/**
 * Whether two base URLs name one server as requests see it: parsed as `Http` parses a base (trimmed,
 * query and fragment dropped; `URL` lowers the host's case and drops a default port), to the prefix
 * `Http` joins paths onto. So a rerun given `https://photos.example/` resumes the journal of one
 * given `https://Photos.example:443`. A URL that does not parse is compared as written.
 */
const sameServer = (a: string, b: string): boolean => serverKey(a) === serverKey(b)

const serverKey = (url: string): string =>
  Option.match(Http.parseBaseUrl(url), { onNone: () => url, onSome: Http.prefixOf })

/** Reads an existing journal to resume, checking it is for the same command, action and server. @since 0.2.0 */
export const resumable = (
  path: string,
  expected: { readonly command: "apply" | "undo"; readonly action: Plan.Action; readonly server: ServerRef }
): Effect.Effect<Journal.Contents | undefined, Journal.JournalError | JournalMismatch> =>
  Journal.exists(path)
    ? Effect.flatMap(Journal.read(path), (j) => {
        const h = j.header
        return h.command === expected.command &&
          h.action === expected.action &&
          h.server.source === expected.server.source &&
          sameServer(h.server.base_url, expected.server.base_url)
          ? Effect.succeed(j)
          : new JournalMismatch({
              message: `the journal ${path} is for ${h.command} ${h.action} on ${h.server.source} ${h.server.base_url}, not ${expected.command} ${expected.action} on ${expected.server.source} ${expected.server.base_url}; give another --journal`
            })
      })
    : Effect.succeed(undefined)

/** The journal an undo of the apply journal at `path` keeps: beside it, named with `-undo`. @since 0.2.0 */
export const undoJournalPath = (path: string): string => path.replace(/(\.ndjson)?$/, "-undo.ndjson")

/** A journal given to undo that is an undo's own, not an apply's. @since 0.2.0 */
export class NotAnApplyJournal extends Schema.TaggedError<NotAnApplyJournal>()("NotAnApplyJournal", {
  message: Schema.String
}) {}

/** What an undo starts from (see `startUndo`). @since 0.2.0 */
export interface UndoStart {
  /** The apply journal it reverses. */
  readonly original: Journal.Contents
  /** The server it acts on. */
  readonly server: ServerRef
  /** Its own journal's path. */
  readonly journal: string
  /** What its own journal already records (a run to resume), if it exists. */
  readonly previous: Journal.Contents | undefined
}

/**
 * Reads what an undo of the apply journal at `path` starts from. The server is the journal's, unless
 * `baseUrl` says it moved. To act (`yes`), each journal's lock is taken before that journal is read,
 * and held for the scope: the apply run it reverses must have ended (one still going would act after
 * its journal was read, e.g. trash copies whose merge the undo just took back), and one undo at a
 * time acts on its own journal. A missing apply journal is said by the read.
 *
 * @since 0.2.0
 */
export const startUndo = (
  path: string,
  options: { readonly yes: boolean; readonly baseUrl?: string | undefined }
): Effect.Effect<UndoStart, Journal.JournalError | JournalMismatch | NotAnApplyJournal, Scope.Scope> =>
  Effect.gen(function* () {
    if (options.yes && Journal.exists(path)) yield* Journal.lock(path)
    const original = yield* Journal.read(path)
    // Undoing an undo would redo only its keepers' merges, never the discards.
    if (original.header.command !== "apply")
      return yield* new NotAnApplyJournal({
        message: `${path} is the journal of an undo; give the journal of an apply`
      })
    const server = { ...original.header.server, base_url: options.baseUrl ?? original.header.server.base_url }
    const journal = undoJournalPath(path)
    if (options.yes) yield* Journal.lock(journal)
    const previous = yield* resumable(journal, { command: "undo", action: original.header.action, server })
    return { original, server, journal, previous }
  })
