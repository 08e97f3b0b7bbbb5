/**
 * The reviewer's decisions: per group, keep or discard for each member (companions follow their still)
 * or "not duplicates". Kept in localStorage under the report's identity, so a reload keeps them and
 * another report never shows them; exported to and imported from decisions.json (schema_version 1).
 */
import { GROUP, type GroupRow, MEMBER, memberSpan } from "../internal/pageData.js"
import { assetValue, D, groupAt, groupValue } from "./data.js"

/** A member's state: keep, discard, or still to review. */
export const KEEP = 0
/** See `KEEP`. */
export const DISCARD = 1
/** See `KEEP`. */
export const REVIEW = 2
/** `KEEP`, `DISCARD` or `REVIEW`. */
export type MemberState = typeof KEEP | typeof DISCARD | typeof REVIEW
/** By state: its name (as the recommendation of that meaning is named) and its label. */
const STATE_NAMES = ["keep", "discard", "review"] as const
/** The state's name, for CSS classes: `keep`, `discard`, `review`. */
export const stateName = (state: MemberState): string => STATE_NAMES[state]
/** The state's label. */
export const STATE_LABEL = ["Keep", "Discard", "Review"] as const
/** The state each recommendation of the data (`recommendationNames`) suggests. */
const SUGGESTED: ReadonlyArray<MemberState> = D.recommendationNames.map((name) => {
  const state = STATE_NAMES.indexOf(name)
  return state < 0 ? REVIEW : (state as MemberState)
})

/** A group's decision: one state per member (in the group's order), or "not duplicates". */
export type Decision = { readonly notDuplicates: true } | { readonly states: ReadonlyArray<MemberState> }

/** What the reviewer has done with a group. */
export type GroupStatus = "undecided" | "partial" | "decided" | "changed" | "not-duplicates"

const decisions = new Map<number, Decision>()

/** For each member, the index of its shot's still (itself for a still). */
export const stillOf = (g: GroupRow): Array<number> => {
  const members = g[GROUP.members]
  return members.map((m, i) => {
    const still = members.findIndex((x) => x[MEMBER.shot] === m[MEMBER.shot] && x[MEMBER.still] === 1)
    return still < 0 ? i : still
  })
}

/** The tool's suggestion as member states. */
export const suggestion = (gi: number): Array<MemberState> =>
  groupAt(gi)[GROUP.members].map((m) => SUGGESTED[m[MEMBER.recommendation]] ?? REVIEW)

/** The reviewer's decision on group `gi`, if any. */
export const decisionOf = (gi: number): Decision | undefined => decisions.get(gi)

/** The member states in force: the decision's, else the suggestion's; all kept when not duplicates. */
export const effective = (gi: number): ReadonlyArray<MemberState> => {
  const decision = decisions.get(gi)
  if (decision === undefined) return suggestion(gi)
  if ("notDuplicates" in decision) return groupAt(gi)[GROUP.members].map(() => KEEP)
  return decision.states
}

/**
 * The member the discards of group `gi` merge into under the states in force, as `apply` picks it:
 * the suggested keeper while not discarded, else the still of the first member not discarded (a member
 * left to review goes kept in the decisions file, see `exportDecisions`); -1 when all are discarded.
 */
export const keeperOf = (gi: number): number => {
  const g = groupAt(gi)
  const states = effective(gi)
  const keeper = states[g[GROUP.keeper]]
  if (keeper !== undefined && keeper !== DISCARD) return g[GROUP.keeper]
  const first = states.findIndex((state) => state !== DISCARD)
  return first < 0 ? -1 : (stillOf(g)[first] ?? first)
}

const sameStates = (a: ReadonlyArray<MemberState>, b: ReadonlyArray<MemberState>): boolean =>
  a.length === b.length && a.every((state, i) => state === b[i])

/** A decision is complete when nothing is left to review and something is kept. */
const complete = (states: ReadonlyArray<MemberState>): boolean =>
  !states.includes(REVIEW) && states.includes(KEEP)

/** What the reviewer has done with group `gi`. */
export const statusOf = (gi: number): GroupStatus => {
  const decision = decisions.get(gi)
  if (decision === undefined) return "undecided"
  if ("notDuplicates" in decision) return "not-duplicates"
  if (!complete(decision.states)) return "partial"
  const suggested = suggestion(gi).map((state) => (state === REVIEW ? DISCARD : state))
  return sameStates(decision.states, suggested) ? "decided" : "changed"
}

const needsNothing = (gi: number): boolean => {
  const status = statusOf(gi)
  return status === "decided" || status === "changed" || status === "not-duplicates"
}
/** By group: 1 when it needs nothing more (kept up to date with `decisions`). */
const decidedFlags = new Uint8Array(D.groupCount)

/** True when group `gi` needs nothing more: decided, changed or not duplicates. */
export const isDecided = (gi: number): boolean => decidedFlags[gi] === 1

// ---------- totals for the summary, kept up to date one group at a time ----------

/** Members to keep, to discard, still to review, and the bytes the discards free. */
export interface Totals {
  keep: number
  discard: number
  review: number
  bytes: number
  decided: number
}
const contribution = (gi: number): Totals => {
  const totals: Totals = { keep: 0, discard: 0, review: 0, bytes: 0, decided: needsNothing(gi) ? 1 : 0 }
  const members = groupAt(gi)[GROUP.members]
  effective(gi).forEach((state, i) => {
    if (state === KEEP) totals.keep++
    else if (state === REVIEW) totals.review++
    else {
      totals.discard++
      const member = members[i]
      totals.bytes += (member && assetValue(member[MEMBER.asset], "fileSize")) ?? 0
    }
  })
  return totals
}
/** The album's totals with every decision applied (kept up to date by `setDecisions`). */
export const totals: Totals = { keep: 0, discard: 0, review: 0, bytes: 0, decided: 0 }
const addTotals = (gi: number, sign: 1 | -1): void => {
  const c = contribution(gi)
  totals.keep += sign * c.keep
  totals.discard += sign * c.discard
  totals.review += sign * c.review
  totals.bytes += sign * c.bytes
  totals.decided += sign * c.decided
}
// Before any decision every group counts as suggested: `contribution` of each, without its allocations.
// Over the member columns: no group row is built.
D.groupBlocks.forEach(([, members]) => {
  const recommendations = members[MEMBER.recommendation]
  for (let j = 0; j < recommendations.length; j++) {
    const state = SUGGESTED[recommendations[j] as number] ?? REVIEW
    if (state === KEEP) totals.keep++
    else if (state === REVIEW) totals.review++
    else {
      totals.discard++
      totals.bytes += assetValue(members[MEMBER.asset][j] as number, "fileSize") ?? 0
    }
  }
})

/** Puts `decision` (undefined: none) on group `gi`, keeping the totals and flags in step; saves nothing. */
const decide = (gi: number, decision: Decision | undefined): void => {
  addTotals(gi, -1)
  if (decision === undefined) {
    decisions.delete(gi)
    codes.delete(gi)
  } else {
    decisions.set(gi, decision)
    codes.set(gi, codeOf(gi, decision))
  }
  addTotals(gi, 1)
  decidedFlags[gi] = needsNothing(gi) ? 1 : 0
}

// ---------- changes ----------

type Listener = (groups: ReadonlyArray<number>) => void
const listeners: Array<Listener> = []
/** Calls `listener` with the changed groups after every change. */
export const onChange = (listener: Listener): void => {
  listeners.push(listener)
}

/** Sets (or with undefined, clears) the decisions of several groups at once, then saves and notifies. */
export const setDecisions = (changes: ReadonlyArray<readonly [number, Decision | undefined]>): void => {
  if (changes.length === 0) return
  for (const [gi, decision] of changes) decide(gi, decision)
  save()
  notify(changes)
}
const notify = (changes: ReadonlyArray<readonly [number, Decision | undefined]>): void => {
  const groups = changes.map(([gi]) => gi)
  for (const listener of listeners) listener(groups)
}

/** Sets one member (its companions follow their still), starting from the suggestion when undecided. */
export const setMember = (gi: number, member: number, state: MemberState): void => {
  const g = groupAt(gi)
  const stills = stillOf(g)
  const still = stills[member] ?? member
  const states = [...effectiveForEdit(gi)]
  stills.forEach((s, i) => {
    if (s === still) states[i] = state
  })
  setDecisions([[gi, { states }]])
}
const effectiveForEdit = (gi: number): ReadonlyArray<MemberState> => {
  const decision = decisions.get(gi)
  return decision === undefined || "notDuplicates" in decision ? suggestion(gi) : decision.states
}

/** The suggestion as a decision: review members stay to be reviewed. */
export const acceptSuggestion = (gi: number): void => setDecisions([[gi, { states: suggestion(gi) }]])

/**
 * Accepts the suggestion of every undecided group among `groups` that has nothing to review; `undo` takes
 * back those still as accepted.
 */
export const acceptAll = (
  groups: ReadonlyArray<number>
): { readonly accepted: number; readonly toReview: number; readonly undo: () => void } => {
  const changes: Array<readonly [number, Decision]> = []
  let toReview = 0
  for (const gi of groups) {
    if (decisions.has(gi)) continue
    const states = suggestion(gi)
    if (states.includes(REVIEW)) toReview++
    else changes.push([gi, { states }])
  }
  setDecisions(changes)
  return {
    accepted: changes.length,
    toReview,
    // Only the groups still as accepted: one the reviewer changed since keeps their decision.
    undo: () =>
      setDecisions(
        changes
          .filter(([gi, decision]) => decisions.get(gi) === decision)
          .map(([gi]) => [gi, undefined] as const)
      )
  }
}

/** By "not duplicates" mark set here: the decision it replaced, given back when the mark is cleared. */
const replacedByApart = new WeakMap<Decision, Decision>()

/** Marks group `gi` "not duplicates", or clears that mark (back to the decision it replaced, if any). */
export const toggleNotDuplicates = (gi: number): void => {
  const decision = decisions.get(gi)
  if (decision !== undefined && "notDuplicates" in decision) {
    setDecisions([[gi, replacedByApart.get(decision)]])
    return
  }
  const apart: Decision = { notDuplicates: true }
  if (decision !== undefined) replacedByApart.set(apart, decision)
  setDecisions([[gi, apart]])
}

/** Back to the suggestion for group `gi`. */
export const clearDecision = (gi: number): void => setDecisions([[gi, undefined]])

// ---------- persistence (localStorage, under the report's identity) ----------

const STORAGE_PREFIX = "albumsift.decisions."
const STORAGE_KEY = `${STORAGE_PREFIX}${D.meta.identity}`
const CODES = "kdr"
let storageProblem: string | null = null

/**
 * The members' positions in the order of their asset ids. A group's id is made from its sorted member
 * ids, so a code in this order means the same assets in any report where the group has that id (stored
 * as version 2; version 1 followed the group's rank order, which may differ in another report).
 */
const sortedOrder = (gi: number): Array<number> => {
  const ids = idsOf(gi)
  return ids.map((_, i) => i).sort((a, b) => ((ids[a] as string) < (ids[b] as string) ? -1 : 1))
}
/** The stored code of a decision: `n`, or one of `kdr` per member in asset id order. */
const codeOf = (gi: number, decision: Decision): string => {
  if ("notDuplicates" in decision) return "n"
  return sortedOrder(gi)
    .map((i) => CODES[decision.states[i] as MemberState])
    .join("")
}
/** A stored code back as a decision on group `gi`, or undefined when it does not fit it. */
const decisionOfCode = (gi: number, code: unknown, sorted: boolean): Decision | undefined => {
  if (code === "n") return { notDuplicates: true }
  if (typeof code !== "string" || !/^[kdr]*$/.test(code)) return undefined
  const order = sorted ? sortedOrder(gi) : groupAt(gi)[GROUP.members].map((_, i) => i)
  if (code.length !== order.length) return undefined
  const states: Array<MemberState> = []
  order.forEach((i, j) => {
    states[i] = CODES.indexOf(code[j] as string) as MemberState
  })
  return { states }
}
/** By group: its decision's stored code (kept up to date by `decide`). */
const codes = new Map<number, string>()

/** Why decisions could not be kept in this browser, or null. */
export const storageStatus = (): string | null => storageProblem

function save(): void {
  const groups: Record<string, string> = {}
  for (const [gi, code] of codes) groups[groupValue(gi, "id")] = code
  try {
    if (decisions.size === 0) localStorage.removeItem(STORAGE_KEY)
    else localStorage.setItem(STORAGE_KEY, JSON.stringify({ v: 2, at: Date.now(), groups }))
    storageProblem = null
  } catch {
    storageProblem = "This browser did not keep the decisions; export them to keep them."
  }
}

/**
 * Reads back the decisions this report's page kept; a group a decisions file decided (`--decisions`)
 * starts decided as the report shows it, so an export carries that decision on.
 */
export const load = (): void => {
  for (let gi = 0; gi < D.groupCount; gi++)
    if (groupValue(gi, "decidedByYou") === 1) decide(gi, { states: suggestion(gi) })
  let own: string | null
  try {
    own = localStorage.getItem(STORAGE_KEY)
  } catch {
    return
  }
  const index = groupIndex()
  if (own === null) {
    findEarlier(index)
    return
  }
  const stored = parseStored(own)
  if (stored === undefined) return
  for (const [id, code] of Object.entries(stored.groups)) {
    const gi = index.get(id)
    const decision = gi === undefined ? undefined : decisionOfCode(gi, code, stored.v === 2)
    if (gi !== undefined && decision !== undefined) decide(gi, decision)
  }
}

/** By group id: its index. */
const groupIndex = (): Map<string, number> => {
  const index = new Map<string, number>()
  for (let gi = 0; gi < D.groupCount; gi++) index.set(groupValue(gi, "id"), gi)
  return index
}

/**
 * Another tab of this report saved its decisions (each save holds all of them): take them on, so this
 * tab neither shows nor exports stale ones, nor erases the other's on its next save.
 */
const adopt = (text: string | null): void => {
  const stored = text === null ? { v: 2, groups: {} } : parseStored(text)
  if (stored === undefined) return
  const next = new Map<number, Decision>()
  const index = groupIndex()
  for (const [id, code] of Object.entries(stored.groups)) {
    const gi = index.get(id)
    const decision = gi === undefined ? undefined : decisionOfCode(gi, code, stored.v === 2)
    if (gi !== undefined && decision !== undefined) next.set(gi, decision)
  }
  const changes: Array<readonly [number, Decision | undefined]> = []
  for (const gi of new Set([...decisions.keys(), ...next.keys()])) {
    const decision = next.get(gi)
    if (codes.get(gi) !== (decision === undefined ? undefined : codeOf(gi, decision)))
      changes.push([gi, decision])
  }
  if (changes.length === 0) return
  for (const [gi, decision] of changes) decide(gi, decision)
  notify(changes)
}
window.addEventListener("storage", (event) => {
  if (event.key === STORAGE_KEY) adopt(event.newValue)
})

const parseStored = (
  text: string | null
): { readonly v: number; readonly at: number; readonly groups: Record<string, unknown> } | undefined => {
  try {
    const stored = JSON.parse(text ?? "null") as { v?: unknown; at?: unknown; groups?: unknown } | null
    const groups = stored?.groups
    if (groups === null || typeof groups !== "object" || Array.isArray(groups)) return undefined
    const at = typeof stored?.at === "number" ? stored.at : 0
    return { v: stored?.v === 2 ? 2 : 1, at, groups: groups as Record<string, unknown> }
  } catch {
    return undefined
  }
}

/** Decisions this browser kept for an earlier report of the same groups, offered to restore. */
let earlier: Map<number, { readonly at: number; readonly decision: Decision }> | undefined

/**
 * A report made again has another identity, so its page starts with none of the decisions made on
 * the earlier one. When this report has none kept, look for groups with the same id (the same
 * members) decided on another report's page in this browser (version 2 codes: by asset id).
 */
const findEarlier = (index: ReadonlyMap<string, number>): void => {
  const found = new Map<number, { readonly at: number; readonly decision: Decision }>()
  try {
    for (let k = 0; k < localStorage.length; k++) {
      const key = localStorage.key(k)
      if (key === null || !key.startsWith(STORAGE_PREFIX) || key === STORAGE_KEY) continue
      const stored = parseStored(localStorage.getItem(key))
      if (stored === undefined || stored.v !== 2) continue
      for (const [id, code] of Object.entries(stored.groups)) {
        const gi = index.get(id)
        if (gi === undefined || decisions.has(gi) || (found.get(gi)?.at ?? -1) >= stored.at) continue
        const decision = decisionOfCode(gi, code, true)
        if (decision !== undefined) found.set(gi, { at: stored.at, decision })
      }
    }
  } catch {
    return
  }
  if (found.size > 0) earlier = found
}

/** How many groups an earlier report's decisions could restore (0 when none). */
export const earlierCount = (): number => earlier?.size ?? 0

/** Puts the earlier report's decisions on their groups (those still undecided), and saves them. */
export const restoreEarlier = (): number => {
  const changes = [...(earlier ?? [])]
    .filter(([gi]) => !decisions.has(gi))
    .map(([gi, { decision }]) => [gi, decision] as const)
  earlier = undefined
  setDecisions(changes)
  return changes.length
}

// ---------- decisions.json ----------

const idsOf = (gi: number): Array<string> => {
  const { members, start, end } = memberSpan(D, gi)
  return members[MEMBER.asset].slice(start, end).map((asset) => assetValue(asset, "id") ?? "")
}

/**
 * The decisions file: every decided group, in report order. A group with members still to review that
 * the reviewer changed from the suggestion, or that a decisions file decided (a new copy joined it), goes
 * with those members kept: left out, `apply` would follow the suggestion and could discard a copy the page
 * shows kept, and the next report would forget the reviewer's keeper; so only what shows Discard goes.
 */
export const exportDecisions = (
  decidedAt: string
): {
  readonly text: string
  readonly skipped: number
  readonly reviewKept: number
  readonly noKeeper: number
} => {
  const groups: Array<Record<string, unknown>> = []
  let skipped = 0
  let reviewKept = 0
  // Every member marked Discard: apply never empties a group, so it is left out (and said apart).
  let noKeeper = 0
  for (const gi of [...decisions.keys()].sort((a, b) => a - b)) {
    const decision = decisions.get(gi) as Decision
    const members = idsOf(gi)
    if ("notDuplicates" in decision) groups.push({ members, not_duplicates: true })
    else if (complete(decision.states)) {
      groups.push({ members, keep: members.filter((_, i) => decision.states[i] === KEEP) })
    } else if (
      decision.states.includes(REVIEW) &&
      (!sameStates(decision.states, suggestion(gi)) || groupValue(gi, "decidedByYou") === 1)
    ) {
      groups.push({ members, keep: members.filter((_, i) => decision.states[i] !== DISCARD) })
      reviewKept++
    } else if (decision.states.every((state) => state === DISCARD)) noKeeper++
    else skipped++
  }
  const file = { schema_version: 1, tool: "albumsift", decided_at: decidedAt, groups }
  return { text: `${JSON.stringify(file, null, 2)}\n`, skipped, reviewKept, noKeeper }
}

const strings = (value: unknown): value is Array<string> =>
  Array.isArray(value) && value.every((item) => typeof item === "string")
const setKey = (ids: ReadonlyArray<string>): string => [...ids].sort().join("\u0000")

/** Reads a decisions file into this report: each decision goes to the group with the same members. */
export const importDecisions = (
  text: string
): { readonly error: string } | { readonly imported: number; readonly unmatched: number } => {
  let file: unknown
  try {
    file = JSON.parse(text)
  } catch {
    return { error: "the file is not JSON" }
  }
  const root = file as { schema_version?: unknown; groups?: unknown } | null
  if (root === null || typeof root !== "object" || Array.isArray(root))
    return { error: "the file is not an object" }
  if (root.schema_version !== 1) return { error: "schema_version is not 1" }
  if (!Array.isArray(root.groups)) return { error: "groups is not a list" }
  const byMembers = new Map<string, number>()
  for (let gi = 0; gi < D.groupCount; gi++) byMembers.set(setKey(idsOf(gi)), gi)
  const changes: Array<readonly [number, Decision]> = []
  let unmatched = 0
  for (const [n, entry] of (root.groups as Array<unknown>).entries()) {
    const e = entry as { members?: unknown; keep?: unknown; not_duplicates?: unknown } | null
    if (e === null || typeof e !== "object") return { error: `groups[${n}] is not an object` }
    if (!strings(e.members) || e.members.length === 0)
      return { error: `groups[${n}].members is not a list of ids` }
    const notDuplicates = e.not_duplicates === true
    if (!notDuplicates && !strings(e.keep))
      return { error: `groups[${n}] has neither keep nor not_duplicates` }
    const members = e.members
    const keep = new Set(notDuplicates ? [] : (e.keep as Array<string>))
    for (const id of keep)
      if (!members.includes(id)) return { error: `groups[${n}].keep names an id not in its members` }
    if (!notDuplicates && keep.size === 0) return { error: `groups[${n}].keep is empty` }
    const gi = byMembers.get(setKey(members))
    if (gi === undefined) {
      unmatched++
      continue
    }
    if (notDuplicates) {
      changes.push([gi, { notDuplicates: true }])
      continue
    }
    // Companions follow their still: a shot is kept when any of its members is.
    const ids = idsOf(gi)
    const stills = stillOf(groupAt(gi))
    const keptStills = new Set(stills.filter((_, i) => keep.has(ids[i] as string)))
    changes.push([gi, { states: stills.map((still) => (keptStills.has(still) ? KEEP : DISCARD)) }])
  }
  setDecisions(changes)
  return { imported: changes.length, unmatched }
}
