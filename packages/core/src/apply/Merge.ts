/**
 * The merge before a discard: what the keeper gains from the copies about to be trashed or
 * removed, computed purely from the server's current values (and the report's albums).
 *
 * Rules: albums — the keeper joins every album a discard is in; rating — the highest 1..5 of the
 * discards when the keeper is unrated (−1 never spreads); favourite — if any discard is (Immich;
 * on Gumnut rating 5 is the favourite); description — the longest non-empty one when the keeper
 * has none; GPS — that of the discard closest in capture time when the keeper has none (never on
 * Immich, which cannot clear GPS, so undo could not take it back). A merge never overwrites a value
 * the keeper has; a value the keeper gained since the report is left alone, with a note.
 */
import type { Fields, LiveAsset } from "../target/Target.js"
import type { ReportAsset } from "./ReportFile.js"

/** One copy the keeper may inherit from. @since 0.2.0 */
export interface MergeSource {
  readonly live: LiveAsset
  readonly report: ReportAsset
}

/** What a merge needs. @since 0.2.0 */
export interface MergeInput {
  readonly keeper: { readonly live: LiveAsset; readonly report: ReportAsset }
  /** Albums (of those the sources are in) the keeper is in now. */
  readonly keeperAlbums: ReadonlySet<string>
  readonly sources: ReadonlyArray<MergeSource>
  readonly hasFavorite: boolean
  readonly canClearGps: boolean
}

/** The merge of one group. @since 0.2.0 */
export interface MergePlan {
  /** Albums the keeper is added to. */
  readonly albums: ReadonlyArray<string>
  /** Fields written on the keeper. */
  readonly set: Fields
  /** The keeper's values of those fields before the merge (as read from the server). */
  readonly previous: Fields
  /** What the keeper gains, for people: `album Holidays`, `rating 4`, `GPS`. */
  readonly gains: ReadonlyArray<string>
  /** Fields not merged, with the reason. */
  readonly notes: ReadonlyArray<string>
}

const rated = (r: number | null | undefined): r is number => r !== null && r !== undefined && r > 0
const text = (s: string | null | undefined): s is string => s !== null && s !== undefined && s.trim() !== ""
const hasGps = (a: LiveAsset) => a.latitude !== null && a.longitude !== null
const wallMs = (a: ReportAsset): number => {
  const wall = a.taken_at?.wall
  const ms = wall === null || wall === undefined ? Number.NaN : Date.parse(`${wall.slice(0, 23)}Z`)
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms
}

/** Whether the plan changes nothing. @since 0.2.0 */
export const isEmpty = (plan: MergePlan): boolean =>
  plan.albums.length === 0 && Object.keys(plan.set).length === 0

/** Computes the merge for one group (pure). @since 0.2.0 */
export const plan = (input: MergeInput): MergePlan => {
  const { keeper, sources } = input
  const k = keeper.live
  const set: { -readonly [K in keyof Fields]: Fields[K] } = {}
  const previous: { -readonly [K in keyof Fields]: Fields[K] } = {}
  const gains: Array<string> = []
  const notes: Array<string> = []
  const changedSince = (what: string, now: string) =>
    notes.push(`${what}: the keeper has ${now} since the report; left as is`)

  const albums = [...new Set(sources.flatMap((s) => s.report.albums))]
    .filter((a) => !input.keeperAlbums.has(a))
    .sort()
  for (const a of albums) gains.push(`album ${a}`)

  const best = sources.reduce<number | null>(
    (m, s) => (rated(s.live.rating) && (m === null || s.live.rating > m) ? s.live.rating : m),
    null
  )
  if (best !== null) {
    if (!rated(k.rating) && k.rating !== -1) {
      set.rating = best
      previous.rating = k.rating
      gains.push(`rating ${best}`)
    } else if (!rated(keeper.report.rating) && keeper.report.rating !== k.rating) {
      changedSince("rating", `rating ${k.rating}`)
    }
  }

  if (input.hasFavorite && sources.some((s) => s.live.favorite)) {
    if (!k.favorite) {
      set.favorite = true
      previous.favorite = false
      gains.push("favourite")
    } else if (!keeper.report.favorite) changedSince("favourite", "become a favourite")
  }

  const description = sources
    .map((s) => s.live.description)
    .filter(text)
    .reduce<string | null>((m, d) => (m === null || d.length > m.length ? d : m), null)
  if (description !== null) {
    if (!text(k.description)) {
      set.description = description
      previous.description = k.description
      gains.push("description")
    } else if (!text(keeper.report.description)) changedSince("description", "a description")
  }

  const located = sources.filter((s) => hasGps(s.live))
  if (located.length > 0) {
    if (hasGps(k)) {
      if (!keeper.report.has_gps) changedSince("GPS", "GPS")
    } else if (!input.canClearGps) {
      notes.push("GPS not merged: this server cannot clear GPS, so undo could not take it back")
    } else {
      const at = wallMs(keeper.report)
      const closest = [...located].sort(
        (a, b) =>
          Math.abs(wallMs(a.report) - at) - Math.abs(wallMs(b.report) - at) ||
          (a.live.id < b.live.id ? -1 : 1)
      )[0]!
      set.latitude = closest.live.latitude
      set.longitude = closest.live.longitude
      previous.latitude = k.latitude
      previous.longitude = k.longitude
      gains.push("GPS")
    }
  }
  return { albums, set, previous, gains, notes }
}
