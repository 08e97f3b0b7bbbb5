/**
 * The reviewer's decisions applied to one analysis, in two steps around grouping:
 *
 * - before: `accept` vetoes every link between shots of one not-duplicates decision, so its members
 *   are not grouped with each other again but can still join other copies;
 * - after: `resolve` matches each decision with the groups its members landed in. A keep decision
 *   whose members are all in one group (with a kept one) decides that group; a not-duplicates
 *   decision whose members were joined again by another photo puts a note on the group; the rest
 *   are settled (already carried out) or stale (all gone, split across groups, no longer grouped).
 */

import type { DecisionsSummary, StaleDecision } from "../../Analysis.js"
import type { Decisions, GroupDecision } from "../../Decisions.js"
import type { AcceptLink, Grouping } from "../Grouping.js"
import type { Choice } from "../Ranking.js"
import { membersOf, type Shots } from "../Shots.js"
import type { IdLookup } from "./IdIndex.js"
import { EMPTY } from "./Interner.js"

/** What the decisions did to the groups and how each decision fared. */
export interface Resolved {
  /** Group index → the reviewer's choice for it, when a decision touches it. */
  readonly choices: ReadonlyArray<Choice | undefined>
  /** Group index → notes for the reviewer (shared `EMPTY` when none). */
  readonly notes: ReadonlyArray<ReadonlyArray<string>>
  readonly summary: DecisionsSummary
  readonly stale: ReadonlyArray<StaleDecision>
}

/** Decisions bound to the assets of one album. */
export interface Plan {
  readonly accept: AcceptLink
  readonly resolve: (grouping: Grouping) => Resolved
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

const staleOf = (decision: GroupDecision, reason: string): StaleDecision => ({
  members: decision.members,
  ...(decision.keep !== undefined ? { keep: decision.keep } : {}),
  ...(decision.not_duplicates === true ? { notDuplicates: true } : {}),
  reason
})

interface MutableChoice {
  readonly kept: Set<number>
  readonly discarded: Set<number>
  readonly apart: Set<number>
}

/** Binds `decisions` to an album: `ids` maps asset id → ordinal. */
export const plan = (decisions: Decisions, ids: IdLookup, shots: Shots): Plan => {
  // Present members of each decision (ordinals), and each shot's not-duplicates decision.
  const present = decisions.groups.map((d) =>
    d.members.map((id) => ids.get(id)).filter((i): i is number => i !== undefined)
  )
  const apartOf = new Int32Array(shots.count).fill(-1)
  decisions.groups.forEach((d, k) => {
    if (d.not_duplicates === true) for (const i of present[k]!) apartOf[shots.shotOf[i]!] = k
  })
  const accept: AcceptLink = (a, b) => apartOf[a]! < 0 || apartOf[a] !== apartOf[b]

  const resolve = (grouping: Grouping): Resolved => {
    const choices: Array<MutableChoice | undefined> = new Array(grouping.groups.length)
    const choiceOf = (g: number) => {
      let c = choices[g]
      if (c === undefined) {
        c = { kept: new Set(), discarded: new Set(), apart: new Set() }
        choices[g] = c
      }
      return c
    }
    const notes: Array<Array<string> | undefined> = new Array(grouping.groups.length)
    const note = (g: number, text: string) => {
      const list = notes[g] ?? []
      list.push(text)
      notes[g] = list
    }
    const stale: Array<StaleDecision> = []
    let applied = 0
    let settled = 0
    for (const [k, d] of decisions.groups.entries()) {
      const members = present[k]!
      if (members.length === 0) {
        stale.push(staleOf(d, "all members are gone"))
        continue
      }
      const byGroup = new Map<number, Array<number>>()
      for (const i of members) {
        const g = grouping.groupOf[shots.shotOf[i]!]!
        if (g < 0) continue
        const list = byGroup.get(g)
        if (list === undefined) byGroup.set(g, [i])
        else list.push(i)
      }
      if (d.not_duplicates === true) {
        if (members.length < 2) {
          stale.push(staleOf(d, "only one member is left"))
          continue
        }
        applied++
        for (const [g, list] of byGroup) {
          if (list.length < 2) continue
          for (const i of list) choiceOf(g).apart.add(shots.shotOf[i]!)
          note(g, `you marked ${list.length} of these as not duplicates; a new copy joins them`)
        }
        continue
      }
      const keep = new Set(d.keep?.map((id) => ids.get(id)))
      if (byGroup.size === 0) {
        if (members.every((i) => keep.has(i))) settled++
        else stale.push(staleOf(d, "its members are no longer grouped"))
        continue
      }
      if (byGroup.size > 1) {
        stale.push(staleOf(d, `its members are split across ${byGroup.size} groups`))
        continue
      }
      const [[g, list]] = [...byGroup] as [[number, Array<number>]]
      if (!list.some((i) => keep.has(i))) {
        stale.push(staleOf(d, "the members you kept are no longer in the group"))
        continue
      }
      applied++
      const choice = choiceOf(g)
      for (const i of list) {
        const s = shots.shotOf[i]!
        if (keep.has(i)) choice.kept.add(s)
        else choice.discarded.add(s)
      }
    }
    // Companions follow their still: a shot with a kept asset is kept.
    let decidedGroups = 0
    choices.forEach((c, g) => {
      if (c === undefined || c.kept.size === 0) return
      decidedGroups++
      for (const s of c.kept) c.discarded.delete(s)
      let fresh = 0
      for (const s of grouping.groups[g]!.shots) {
        if (!c.kept.has(s) && !c.discarded.has(s)) fresh += [...membersOf(shots, s)].length
      }
      if (fresh > 0) note(g, `${plural(fresh, "member is", "members are")} new since your decision`)
    })
    return {
      choices,
      notes: Array.from(notes, (list) => list ?? EMPTY),
      summary: { given: decisions.groups.length, applied, settled, stale: stale.length, decidedGroups },
      stale
    }
  }
  return { accept, resolve }
}
