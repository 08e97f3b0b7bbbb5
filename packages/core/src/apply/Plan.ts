/**
 * The plan: which members of which groups an action touches, computed purely from report.json
 * (and a decisions file), then checked against the server's current state.
 *
 * - A member is acted on only when its recommendation is `discard` or a decision says so; `keep`
 *   members and the keeper's companions never are; `review` only when a decision resolves it.
 *   Companions (Live Photo video, RAW file) go with their shot.
 * - `stack` ignores recommendations: every group in scope becomes one stack of all its members
 *   (a group of more than 100 members is skipped: one stack request takes at most 100 ids).
 * - `--groups` (default `exact` for trash, `all` otherwise) picks groups; a group whose decision
 *   changes the suggestion takes part whatever its kind (one that keeps what the report suggested,
 *   as an untouched group of an edited report.csv does, follows `--groups`); `not_duplicates` leaves
 *   a group alone.
 * - Without merging, a member whose discard would lose something mergeable stays untouched.
 * - The check skips, with a reason, assets gone, trashed or changed (checksum) since the report,
 *   and a whole group whose keeper is gone or changed, so no group is ever left without a copy.
 */
import { type LiveAsset, MAX_IDS_PER_REQUEST } from "../target/Target.js"
import type { ReportAsset, ReportFile, ReportGroup } from "./ReportFile.js"

/** What apply does. @since 0.2.0 */
export type Action = "trash" | "remove-from-album" | "stack"
/** @since 0.2.0 */
export const ACTIONS: ReadonlyArray<Action> = ["trash", "remove-from-album", "stack"]
/** Which groups take part. @since 0.2.0 */
export type Scope = "exact" | "near" | "all"
/** @since 0.2.0 */
export const SCOPES: ReadonlyArray<Scope> = ["exact", "near", "all"]

/** A user's decision on one group (the decisions file's shape). @since 0.2.0 */
export interface GroupDecision {
  readonly members: ReadonlyArray<string>
  readonly keep?: ReadonlyArray<string> | undefined
  readonly not_duplicates?: boolean | undefined
  /** From an edited report.csv: when it keeps what the report suggested, it may be an untouched group. */
  readonly fromCsv?: true | undefined
}

/** Options of `make`. @since 0.2.0 */
export interface PlanOptions {
  readonly action: Action
  /** Default `exact` for trash, `all` otherwise. */
  readonly groups?: Scope | undefined
  /** Merge into the keeper before discarding (default: on for trash, off otherwise; never for stack). */
  readonly merge?: boolean | undefined
  /** The decision for a group, if any (matched by member set). */
  readonly decide?: ((group: ReportGroup) => GroupDecision | undefined) | undefined
  /**
   * A decisions file's groups, matched by member set (in place of `decide`). A group that matches none
   * but shares members with one (the album changed since it was decided) is left alone, unless the
   * report itself was made with the decisions (`decided_by: you`); the plan counts what matched.
   */
  readonly decisions?: ReadonlyArray<GroupDecision> | undefined
}

/** How a decisions file fits the report. @since 0.2.0 */
export interface DecisionsFit {
  /** Decisions in the file. */
  readonly given: number
  /** Those whose members are exactly a group's, or that the report was made with (`decided_by: you`). */
  readonly matched: number
  /** Those that share no member with any group of the report. */
  readonly unmatched: number
}

/** One group the action touches. @since 0.2.0 */
export interface PlannedGroup {
  readonly id: string
  readonly kind: "exact" | "near"
  readonly keeper: ReportAsset
  /** The assets acted on (for stack: every member but the keeper), companions included. */
  readonly targets: ReadonlyArray<ReportAsset>
  /** Whether the keeper inherits from the targets first. */
  readonly merge: boolean
  /** Companion target id → the id of its shot's still (a companion never goes without its still). */
  readonly stillOf?: Readonly<Record<string, string>> | undefined
  /** Whether a decision (not the report's recommendation) chose the discards. */
  readonly decided?: boolean | undefined
}

/** Assets left alone, and why. @since 0.2.0 */
export interface Skipped {
  readonly group: string
  readonly ids: ReadonlyArray<string>
  readonly reason: string
}

/** The plan. @since 0.2.0 */
export interface Plan {
  readonly action: Action
  readonly scope: Scope
  readonly merge: boolean
  readonly groups: ReadonlyArray<PlannedGroup>
  readonly skipped: ReadonlyArray<Skipped>
  /** Groups outside `--groups` (not listed one by one). */
  readonly outOfScope: number
  /** With `decisions`: how they fit the report. */
  readonly decisionsFit?: DecisionsFit | undefined
  /**
   * Whether the report's page said a discard's GPS merges into its keeper (report.json's
   * `can_merge_gps`; true when absent). On a server that cannot merge GPS, a decision to discard a
   * copy whose GPS the keeper lacks is honoured only when the page said that GPS is lost.
   */
  readonly gpsMergeShown?: boolean | undefined
}

/** The default `--groups` for an action. @since 0.2.0 */
export const defaultScope = (action: Action): Scope => (action === "trash" ? "exact" : "all")

/** Whether merging is on by default for an action. @since 0.2.0 */
export const defaultMerge = (action: Action): boolean => action === "trash"

const inScope = (scope: Scope, kind: "exact" | "near") => scope === "all" || scope === kind

/**
 * Whether a decision is an edited report.csv's rows as the report wrote them: it keeps exactly the
 * shots the report suggested keeping, with no `review` left. A decisions file says what its reviewer
 * chose, even where that is the suggestion; a CSV has rows for every group, looked at or not.
 */
const untouchedCsvRows = (
  group: ReportGroup,
  decision: GroupDecision,
  shotOf: ReadonlyMap<string, string>
): boolean => {
  if (decision.fromCsv !== true || decision.keep === undefined) return false
  if (group.members.some((m) => m.recommendation === "review")) return false
  const decided = new Set(decision.keep.map((id) => shotOf.get(id) ?? id))
  const suggested = new Set(group.members.filter((m) => m.recommendation === "keep").map((m) => m.shot_id))
  return decided.size === suggested.size && [...decided].every((shot) => suggested.has(shot))
}

/** Computes the plan from a report (pure). @since 0.2.0 */
export const make = (report: ReportFile, options: PlanOptions): Plan => {
  const { action } = options
  const scope = options.groups ?? defaultScope(action)
  const merge = action !== "stack" && (options.merge ?? defaultMerge(action))
  const gpsMergeShown = report.options?.analysis?.can_merge_gps !== false
  const assets = new Map(report.assets.map((a) => [a.id, a]))
  const assetOf = (id: string): ReportAsset =>
    assets.get(id) ?? {
      id,
      albums: [],
      file_name: null,
      checksum: null,
      file_size: null,
      rating: null,
      favorite: false,
      has_gps: false,
      description: null,
      people: [],
      face_count: 0,
      taken_at: null
    }
  const groups: Array<PlannedGroup> = []
  const skipped: Array<Skipped> = []
  let outOfScope = 0
  // Members kept by any group: never acted on through another group (an edited report may overlap).
  const keptIds = new Set<string>()
  const fileDecisions = options.decisions ?? []
  const keyOf = (ids: ReadonlyArray<string>) => JSON.stringify([...new Set(ids)].sort())
  const byKey = new Map(fileDecisions.map((d) => [keyOf(d.members), d]))
  const byMember = new Map(fileDecisions.flatMap((d) => d.members.map((id) => [id, d] as const)))
  const matched = new Set<GroupDecision>()
  const touched = new Set<GroupDecision>()
  for (const group of report.groups) {
    // Shots: a shot is kept or acted on as a whole (a still with its companions).
    const shotOf = new Map(group.members.map((m) => [m.asset_id, m.shot_id]))
    const ids = group.members.map((m) => m.asset_id)
    const exact = byKey.get(keyOf(ids))
    if (exact !== undefined) matched.add(exact)
    for (const id of ids) {
      const d = byMember.get(id)
      if (d === undefined) continue
      touched.add(d)
      if (group.decided_by === "you") matched.add(d)
    }
    // A decision made on other members than the group has now (the album changed since, or the file
    // is of another report) says nothing safe about it: the report's suggestion may discard a copy the
    // reviewer kept. A report made with the decisions (`decided_by: you`) has taken them in already.
    if (exact === undefined && group.decided_by !== "you") {
      const counts = new Map<GroupDecision, number>()
      for (const id of ids) {
        const d = byMember.get(id)
        if (d !== undefined) counts.set(d, (counts.get(d) ?? 0) + 1)
      }
      // A not-duplicates decision speaks of a group only when two of its members are in it.
      const other = [...counts].filter(([d, n]) => d.not_duplicates !== true || n >= 2)
      if (other.length > 0) {
        const n = other.reduce((sum, [, k]) => sum + k, 0)
        skipped.push({
          group: group.id,
          ids: [],
          reason: `your decisions file decided ${n} of its members as another group (the album changed since): run \`albumsift report --decisions\` again, then apply that report`
        })
        continue
      }
    }
    // An edited report.csv has rows for every group: one it leaves untouched decides nothing (so
    // --groups and the report's own safeguards hold for it).
    const given = exact ?? options.decide?.(group)
    const decision = given !== undefined && untouchedCsvRows(group, given, shotOf) ? undefined : given
    if (decision?.not_duplicates === true) {
      skipped.push({ group: group.id, ids: [], reason: "decided: not duplicates" })
      continue
    }
    if (decision === undefined && !inScope(scope, group.kind)) {
      outOfScope++
      continue
    }
    let keeperId = group.keeper
    let kept: (shot: string) => boolean
    if (decision?.keep !== undefined) {
      const keptShots = new Set(decision.keep.map((id) => shotOf.get(id) ?? id))
      const first = group.members.find((m) => keptShots.has(m.shot_id))
      if (first === undefined) {
        skipped.push({
          group: group.id,
          ids: [],
          reason: "the decision keeps no member of this group; a group is never left without a copy"
        })
        continue
      }
      if (!keptShots.has(shotOf.get(group.keeper) ?? group.keeper)) keeperId = first.shot_id
      kept = (shot) => keptShots.has(shot)
    } else {
      kept = (shot) => shot === (shotOf.get(group.keeper) ?? group.keeper)
    }
    const keeperShot = shotOf.get(keeperId) ?? keeperId
    const stillOf = Object.fromEntries(
      group.members.filter((m) => m.asset_id !== m.shot_id).map((m) => [m.asset_id, m.shot_id])
    )
    const keeper = assetOf(keeperId)
    const decided = decision?.keep !== undefined
    if (action === "stack") {
      if (group.members.length > MAX_IDS_PER_REQUEST) {
        skipped.push({
          group: group.id,
          ids: group.members.map((m) => m.asset_id),
          reason: `${group.members.length} members: one stack request takes at most ${MAX_IDS_PER_REQUEST} ids`
        })
        continue
      }
      const targets = group.members.filter((m) => m.asset_id !== keeperId).map((m) => assetOf(m.asset_id))
      groups.push({ id: group.id, kind: group.kind, keeper, targets, merge: false, stillOf })
      continue
    }
    for (const m of group.members) if (m.shot_id === keeperShot || kept(m.shot_id)) keptIds.add(m.asset_id)
    const targets: Array<ReportAsset> = []
    const byShot = new Map<string, Array<(typeof group.members)[number]>>()
    for (const m of group.members) {
      if (m.shot_id === keeperShot || kept(m.shot_id)) continue
      const list = byShot.get(m.shot_id) ?? []
      list.push(m)
      byShot.set(m.shot_id, list)
    }
    for (const [, shot] of byShot) {
      const ids = shot.map((m) => m.asset_id)
      const primary = shot.find((m) => m.asset_id === m.shot_id) ?? shot[0]!
      if (decided) {
        targets.push(...ids.map(assetOf))
        continue
      }
      if (primary.recommendation !== "discard") {
        const why = primary.reasons.at(-1)
        skipped.push({
          group: group.id,
          ids,
          reason: `recommendation ${primary.recommendation}${why === undefined ? "" : ` (${why})`}`
        })
        continue
      }
      const mergeable = [...new Set(shot.flatMap((m) => m.would_merge))]
      if (!merge && mergeable.length > 0) {
        skipped.push({
          group: group.id,
          ids,
          reason: `would lose ${mergeable.join("; ")} without a merge (merging is off)`
        })
        continue
      }
      targets.push(...ids.map(assetOf))
    }
    if (action === "remove-from-album") {
      const noAlbum = targets.filter((t) => t.albums.length === 0)
      if (noAlbum.length > 0) {
        skipped.push({ group: group.id, ids: noAlbum.map((t) => t.id), reason: "listed in no album" })
      }
      const rest = targets.filter((t) => t.albums.length > 0)
      if (rest.length > 0)
        groups.push({ id: group.id, kind: group.kind, keeper, targets: rest, merge, stillOf, decided })
      continue
    }
    if (targets.length > 0)
      groups.push({ id: group.id, kind: group.kind, keeper, targets, merge, stillOf, decided })
  }
  const decisionsFit =
    options.decisions === undefined
      ? undefined
      : {
          given: fileDecisions.length,
          matched: matched.size,
          unmatched: fileDecisions.filter((d) => !touched.has(d)).length
        }
  if (action === "stack") {
    // A photo is in one stack at a time: an edited report's second group holding it would move it
    // out of the first group's stack, so that group waits for review.
    const stacked = new Set<string>()
    const apart: Array<PlannedGroup> = []
    for (const g of groups) {
      const photos = [g.keeper.id, ...g.targets.map((t) => t.id)]
      if (photos.some((id) => stacked.has(id))) {
        skipped.push({
          group: g.id,
          ids: g.targets.map((t) => t.id),
          reason: "shares a photo with another group's stack (a photo is in one stack at a time): review it"
        })
        continue
      }
      for (const id of photos) stacked.add(id)
      apart.push(g)
    }
    return { action, scope, merge, groups: apart, skipped, outOfScope, decisionsFit, gpsMergeShown }
  }
  const safe: Array<PlannedGroup> = []
  const safeByKeeper = new Map<string, number>()
  for (const g of groups) {
    const isKept = (id: string) => keptIds.has(id) || keptIds.has(g.stillOf?.[id] ?? id)
    const clash = g.targets.filter((t) => isKept(t.id))
    if (clash.length > 0) {
      skipped.push({ group: g.id, ids: clash.map((t) => t.id), reason: "kept in another group" })
    }
    const targets = g.targets.filter((t) => !isKept(t.id))
    if (targets.length === 0) continue
    // An edited report may give one keeper two groups: merged apart, the second merge would
    // overwrite what the first gave (both read the keeper before either), so they are one group.
    const same = safeByKeeper.get(g.keeper.id)
    if (same === undefined) {
      safeByKeeper.set(g.keeper.id, safe.length)
      safe.push({ ...g, targets })
      continue
    }
    const first = safe[same]!
    const ids = new Set(first.targets.map((t) => t.id))
    safe[same] = {
      ...first,
      targets: [...first.targets, ...targets.filter((t) => !ids.has(t.id))],
      stillOf: { ...first.stillOf, ...g.stillOf },
      // The decided bypasses hold only when every discard was decided.
      decided: first.decided === true && g.decided === true
    }
  }
  return { action, scope, merge, groups: safe, skipped, outOfScope, decisionsFit, gpsMergeShown }
}

/** Every asset id the check must look up: keepers and targets. @since 0.2.0 */
export const idsToCheck = (plan: Plan): ReadonlyArray<string> => {
  const ids = new Set<string>()
  for (const g of plan.groups) {
    ids.add(g.keeper.id)
    for (const t of g.targets) ids.add(t.id)
  }
  return [...ids]
}

/** Why a live asset may not be acted on, or nothing when it is the one the report saw. */
const problem = (asset: ReportAsset, live: LiveAsset | undefined): string | undefined => {
  if (live === undefined) return "gone or already in the trash"
  if (live.trashed) return "already in the trash"
  if (asset.checksum === null || live.checksum === null) return "no checksum to confirm it is unchanged"
  if (asset.checksum !== live.checksum) return "changed since the report (checksum differs)"
  return undefined
}

/** A plan checked against the server: skipped assets are gone from its groups. @since 0.2.0 */
export const check = (
  plan: Plan,
  live: ReadonlyMap<string, LiveAsset>,
  /** Assets (and groups) a journal already covers: left out without a skip. */
  done: { readonly assets: ReadonlySet<string>; readonly groups: ReadonlySet<string> } = {
    assets: new Set(),
    groups: new Set()
  }
): Plan => {
  const groups: Array<PlannedGroup> = []
  const skipped: Array<Skipped> = [...plan.skipped]
  for (const g of plan.groups) {
    if (done.groups.has(g.id) && plan.action === "stack") continue
    const targets = g.targets.filter((t) => !done.assets.has(t.id))
    if (targets.length === 0) continue
    const keeperProblem = problem(g.keeper, live.get(g.keeper.id))
    if (keeperProblem !== undefined) {
      skipped.push({
        group: g.id,
        ids: targets.map((t) => t.id),
        reason: `the keeper ${g.keeper.id} is ${keeperProblem}; the whole group is left alone`
      })
      continue
    }
    const ok: Array<ReportAsset> = []
    const bad = new Set(targets.filter((t) => problem(t, live.get(t.id)) !== undefined).map((t) => t.id))
    for (const t of targets) {
      const why = problem(t, live.get(t.id))
      const still = g.stillOf?.[t.id]
      if (why !== undefined) skipped.push({ group: g.id, ids: [t.id], reason: why })
      else if (still !== undefined && bad.has(still))
        skipped.push({
          group: g.id,
          ids: [t.id],
          reason: `its still ${still} is skipped; a companion never goes alone`
        })
      else ok.push(t)
    }
    if (ok.length > 0) groups.push({ ...g, targets: ok })
  }
  return { ...plan, groups, skipped }
}

/** Bytes the planned discards free (trash only; known sizes). @since 0.2.0 */
export const reclaimableBytes = (plan: Plan): number =>
  plan.action === "trash"
    ? plan.groups.reduce((n, g) => n + g.targets.reduce((m, t) => m + (t.file_size ?? 0), 0), 0)
    : 0
