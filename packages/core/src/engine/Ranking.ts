/**
 * Scores assets and ranks the shots of each group, with a recommendation and reasons per member.
 *
 * - Every metric becomes its album-wide percentile (simple-statistics `quantileRankSorted`), so
 *   scales (1–5, 0–1) do not matter; lower-is-better metrics are ranked on their negation.
 * - Rating: 1–5 stars map to 0..1; unrated (0/null) adds nothing; -1 (rejected) is a component of 0 at
 *   three times the rating weight, and a rejected shot never outranks one that is not rejected.
 *   A favourite adds a component of 1 (weight `favorite`, default 1).
 * - Score = weighted mean of the components an asset has (null when it has none).
 * - Order within a group: not rejected, then score, then the tie-break chain (EXIF present, companion
 *   files held (RAW, Live Photo video), larger resolution, larger file, earlier `created_at`, id).
 *   Exact copies (same bytes) are one picture: they rank by richest metadata first (companion files
 *   counting as richer), whatever a copy's rating; any copy's rating is carried into the keeper's
 *   reasons (`rated -1 on one copy: you rejected this photo`).
 *   The result never depends on input order.
 * - One `keep` per group; others `discard`, or `review` when within `reviewMargin` of the keeper,
 *   when a near duplicate has no score to compare, or when discarding would lose something the keeper lacks
 *   (people, faces, rating, favourite, GPS, description, albums, a RAW file or a Live Photo video).
 */
import { quantileRankSorted } from "simple-statistics"
import type { Member, Recommendation, ResolvedOptions } from "../Analysis.js"
import type { Projected } from "../Asset.js"

/** What ranking reads of an asset (read through the table's getters: no file names, URLs or times as text). */
export type RankAsset = Pick<
  Projected,
  | "id"
  | "rating"
  | "favorite"
  | "metrics"
  | "width"
  | "height"
  | "fileSize"
  | "hasExif"
  | "hasGps"
  | "description"
  | "people"
  | "faceCount"
  | "albums"
  | "wallMs"
  | "createdMs"
> & {
  /** Its ordinal in the asset table. */
  readonly ordinal: number
  /** Ordinal of the first asset with the same bytes (equal for exact copies). */
  readonly copy: number
  readonly hasThumbnail: boolean
}

/** The `RankAsset` of asset `i`. */
const rankAsset = (table: AssetTable, i: number, copyOf: Int32Array): RankAsset => ({
  id: table.idOf(i),
  rating: table.ratingOf(i),
  favorite: table.isFavorite(i),
  metrics: table.metricsOf(i),
  width: table.widthOf(i),
  height: table.heightOf(i),
  fileSize: table.fileSizeOf(i),
  hasExif: table.hasExif(i),
  hasGps: table.hasGps(i),
  description: table.sparseOf<string>("description", i),
  people: table.peopleOf(i),
  faceCount: table.faceCountOf(i),
  albums: table.albumsOf(i),
  wallMs: table.wallMsOf(i),
  createdMs: table.createdMsOf(i),
  ordinal: i,
  copy: copyOf[i]!,
  hasThumbnail: table.hasThumbnail(i)
})

import { weightOf } from "../Options.js"
import type { GroupDraft } from "./Grouping.js"
import type { AssetTable } from "./internal/assetTable.js"
import { sortSmall } from "./internal/sortSmall.js"
import type { Shots } from "./Shots.js"
import { isRaw, isVideo } from "./Shots.js"

/** Album-wide scoring: per-asset composite score and per-metric percentile tables. */
export interface Scoring {
  /** Asset ordinal → score in [0,1], NaN when unknown. */
  readonly score: Float64Array
  /** Percentile in (0,1] of `value` for `metric` across the album (inverted when lower is better). */
  readonly percentile: (metric: string, value: number) => number
}

/** Rating of 1..5 stars as a component in [0,1]. */
export const ratingComponent = (rating: number): number => (rating - 1) / 4

/** Scores every asset of the album. */
export const scoreAssets = (store: AssetTable, options: ResolvedOptions): Scoring => {
  const n = store.length
  const lower = new Set(options.lowerIsBetter)
  const sorted = new Map<string, Array<number>>()
  for (const name of store.metricNames()) {
    const sign = lower.has(name) ? -1 : 1
    const values = store.metricValues(name)
    for (let k = 0; k < values.length; k++) values[k] = sign * values[k]!
    // simple-statistics reads typed arrays fine; the cast only satisfies its `number[]` signature.
    sorted.set(name, values.sort() as unknown as Array<number>)
  }
  const percentile = (metric: string, value: number): number => {
    const table = sorted.get(metric)
    if (table === undefined || table.length === 0) return Number.NaN
    return quantileRankSorted(table, lower.has(metric) ? -value : value)
  }
  const ratingWeight = weightOf(options, "rating")
  const favoriteWeight = options.weights.favorite ?? 1
  const columns = store
    .metricNames()
    .map((name) => ({ name, metricOf: store.metricReader(name)!, w: weightOf(options, name) }))
  const score = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let sum = 0
    let weight = 0
    const rating = store.ratingOf(i)
    if (rating === -1) weight += 3 * ratingWeight
    else if (rating !== null) {
      sum += ratingWeight * ratingComponent(rating)
      weight += ratingWeight
    }
    if (store.isFavorite(i)) {
      sum += favoriteWeight
      weight += favoriteWeight
    }
    for (const { name, metricOf, w } of columns) {
      const v = metricOf(i)
      if (Number.isNaN(v)) continue
      sum += w * percentile(name, v)
      weight += w
    }
    score[i] = weight > 0 ? sum / weight : Number.NaN
  }
  return { score, percentile }
}

/** A group after ranking. */
export interface RankedGroup {
  readonly members: ReadonlyArray<Member>
  /** The asset ordinal of each member, and of its shot's primary, aligned with `members`. */
  readonly ordinals: Int32Array
  readonly shotOrdinals: Int32Array
  readonly keeper: string
  readonly reclaimableBytes: number
  /** The keeper's asset ordinal. */
  readonly keeperOrdinal: number
  /** Earliest and latest member wall clock in ms (the earliest orders groups). */
  readonly startMs: number
  readonly endMs: number
}

interface ShotView {
  readonly shot: number
  readonly primary: RankAsset
  readonly assets: ReadonlyArray<RankAsset>
  readonly score: number | null
  readonly rejected: boolean
  readonly hasExif: boolean
  readonly pixels: number
  readonly fileSize: number
  readonly richness: number
  /** The shot holds a Live Photo video / a RAW file (what a keeper without them would not keep). */
  readonly hasVideo: boolean
  readonly hasRaw: boolean
}

/** The reason added to the companion files of a shot (they follow their shot). */
export const COMPANION = "companion file of this shot (Live Photo video or RAW/JPEG pair)"

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

const viewOf = (
  store: AssetTable,
  shots: Shots,
  scoring: Scoring,
  copyOf: Int32Array,
  s: number
): ShotView => {
  // Index loops over the shot's slice of `members` (no typed-array view per loop).
  const from = shots.start[s]!
  const to = shots.start[s + 1]!
  const list: Array<RankAsset> = []
  for (let k = from; k < to; k++) list.push(rankAsset(store, shots.members[k]!, copyOf))
  const primary = list[0]!
  let score: number | null = null
  const ps = scoring.score[shots.primary[s]!]!
  if (!Number.isNaN(ps)) score = ps
  else {
    for (let k = from; k < to; k++) {
      const v = scoring.score[shots.members[k]!]!
      if (!Number.isNaN(v) && (score === null || v > score)) score = v
    }
  }
  const any = (p: (a: RankAsset) => boolean) => list.some(p)
  let hasVideo = false
  let hasRaw = false
  for (let k = from; k < to; k++) {
    const i = shots.members[k]!
    const mime = store.mimeOf(i)
    if (isVideo(mime)) hasVideo = true
    // A RAW MIME type decides alone; only a generic one (octet-stream, TIFF) needs the file name.
    else if (isRaw(mime, "x.jpg") || (isRaw(mime, "x.nef") && isRaw(mime, store.fileNameOf(i)))) hasRaw = true
  }
  const richness =
    Number(any((a) => a.hasExif)) +
    Number(any((a) => a.hasGps)) +
    Number(any((a) => a.description !== null)) +
    Number(any((a) => a.people.length > 0)) +
    Number(any((a) => a.faceCount > 0)) +
    Number(any((a) => a.rating !== null && a.rating > 0)) +
    Number(any((a) => a.favorite)) +
    Number(any((a) => Object.keys(a.metrics).length > 0)) +
    Number(any((a) => a.hasThumbnail)) +
    Number(hasVideo) +
    Number(hasRaw)
  return {
    shot: s,
    primary,
    assets: list,
    score,
    rejected: primary.rating === -1,
    hasExif: any((a) => a.hasExif),
    pixels: (primary.width ?? 0) * (primary.height ?? 0),
    fileSize: primary.fileSize ?? 0,
    richness,
    hasVideo,
    hasRaw
  }
}

/** The tie-break chain, after score: EXIF present, companion files held, resolution, file size, earlier upload, id. */
const tieBreak = (a: ShotView, b: ShotView): number =>
  Number(b.hasExif) - Number(a.hasExif) ||
  Number(b.hasRaw) + Number(b.hasVideo) - Number(a.hasRaw) - Number(a.hasVideo) ||
  b.pixels - a.pixels ||
  b.fileSize - a.fileSize ||
  a.primary.createdMs - b.primary.createdMs ||
  cmpStr(a.primary.id, b.primary.id)

const byScore = (a: ShotView, b: ShotView): number =>
  a.score === b.score ? 0 : a.score === null ? 1 : b.score === null ? -1 : b.score - a.score

const ordinal = (n: number): string => {
  const t = n % 100
  const suffix = t >= 11 && t <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th")
  return `${n}${suffix}`
}
const pct = (p: number) => Math.max(1, Math.round(p * 100))
const fmt = (x: number) => x.toFixed(2)
const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`
const ratingText = (r: number | null) => (r === null ? "unrated" : r === -1 ? "rejected" : String(r))

/** What discarding `m` would lose that keeper `k` lacks. */
export const wouldLose = (m: ShotView, k: ShotView): ReadonlyArray<string> => {
  const out: Array<string> = []
  const has = (v: ShotView, p: (a: RankAsset) => boolean) => v.assets.some(p)
  // Sets only when the member has people at all (most do not).
  if (has(m, (a) => a.people.length > 0)) {
    const kPeople = new Set(k.assets.flatMap((a) => a.people))
    const lostPeople = [...new Set(m.assets.flatMap((a) => a.people))].filter((p) => !kPeople.has(p)).sort()
    if (lostPeople.length > 0) out.push(`people: ${lostPeople.join(", ")}`)
  }
  if (has(m, (a) => a.faceCount > 0) && !has(k, (a) => a.faceCount > 0)) out.push("faces")
  const mRating = m.assets.find((a) => a.rating !== null && a.rating > 0)?.rating
  if (mRating !== undefined && !has(k, (a) => a.rating !== null && a.rating > 0))
    out.push(`rating ${mRating}`)
  if (has(m, (a) => a.favorite) && !has(k, (a) => a.favorite)) out.push("favorite")
  if (has(m, (a) => a.hasGps) && !has(k, (a) => a.hasGps)) out.push("gps")
  if (has(m, (a) => a.description !== null) && !has(k, (a) => a.description !== null)) out.push("description")
  if (m.hasVideo && !k.hasVideo) out.push("Live Photo video")
  if (m.hasRaw && !k.hasRaw) out.push("RAW file")
  if (has(m, (a) => a.albums.length > 0)) {
    const kAlbums = new Set(k.assets.flatMap((a) => a.albums))
    const lostAlbums = [...new Set(m.assets.flatMap((a) => a.albums))].filter((x) => !kAlbums.has(x)).sort()
    if (lostAlbums.length > 0) out.push(`albums: ${lostAlbums.join(", ")}`)
  }
  return out
}

/**
 * Whether a would-lose item can be merged into the keeper by `apply` (albums, rating, favourite,
 * description, GPS); people, faces, a RAW file and a Live Photo video cannot.
 */
export const isMergeable = (item: string): boolean =>
  item === "favorite" || item === "gps" || item === "description" || /^(rating |albums: )/.test(item)

/** The ratings the copies of one picture carry, as reasons: a rating on any copy is about the picture. */
const copyRatings = (views: ReadonlyArray<ShotView>): Array<string> => {
  const counts = new Map<number, number>()
  for (const v of views) {
    const r = v.primary.rating
    if (r !== null) counts.set(r, (counts.get(r) ?? 0) + 1)
  }
  return [...counts]
    .sort(([x], [y]) => x - y)
    .map(([r, n]) => {
      const where = n === views.length ? "every copy" : n === 1 ? "one copy" : `${n} copies`
      return r === -1 ? `rated -1 on ${where}: you rejected this photo` : `rated ${r} on ${where}`
    })
}

/** Why `m` ranks below keeper `k`, in plain words. */
const compareReasons = (m: ShotView, k: ShotView, scoring: Scoring): Array<string> => {
  const out: Array<string> = []
  if (m.rejected && !k.rejected) out.push("rated -1 (rejected)")
  const mr = m.primary.rating
  const kr = k.primary.rating
  if (mr !== kr && !(m.rejected && !k.rejected)) {
    out.push(
      mr === null
        ? `unrated vs rating ${ratingText(kr)}`
        : kr === null
          ? `rating ${ratingText(mr)} vs unrated`
          : `rating ${ratingText(mr)} vs ${ratingText(kr)}`
    )
  }
  if (m.primary.favorite !== k.primary.favorite) {
    out.push(m.primary.favorite ? "favorite vs not" : "not favorite vs favorite")
  }
  const names = new Set([...Object.keys(m.primary.metrics), ...Object.keys(k.primary.metrics)])
  for (const name of [...names].sort()) {
    const mv = m.primary.metrics[name]
    const kv = k.primary.metrics[name]
    if (mv !== undefined && kv !== undefined) {
      const mp = pct(scoring.percentile(name, mv))
      const kp = pct(scoring.percentile(name, kv))
      if (mp !== kp) out.push(`${name} at ${ordinal(mp)} vs ${ordinal(kp)} percentile`)
    } else if (mv !== undefined || kv !== undefined) {
      out.push(
        `${name} ${mv === undefined ? "missing" : String(mv)} vs ${kv === undefined ? "missing" : String(kv)}`
      )
    }
  }
  if (m.score !== null && k.score !== null && m.score !== k.score) {
    out.push(`score ${fmt(m.score)} vs ${fmt(k.score)}`)
  }
  if (m.score === null && k.score !== null) out.push(`no rating or metrics vs score ${fmt(k.score)}`)
  else if (m.score === k.score) {
    if (m.hasExif !== k.hasExif) out.push("no EXIF vs EXIF")
    else if (m.pixels !== k.pixels) {
      const size = (v: ShotView) => `${v.primary.width ?? "?"}×${v.primary.height ?? "?"}`
      out.push(`resolution ${size(m)} vs ${size(k)}`)
    } else if (m.fileSize !== k.fileSize) out.push(`file ${mb(m.fileSize)} vs ${mb(k.fileSize)}`)
    else if (m.primary.createdMs !== k.primary.createdMs) out.push("uploaded later than the keeper")
    else out.push("identical on every criterion; the keeper has the smaller id")
  }
  return out
}

/**
 * The reviewer's choice for one group (from a decisions file), by shot index: the shots they kept
 * and discarded, and shots they marked as not duplicates of each other that a new copy joined again.
 *
 * @since 0.2.0
 */
export interface Choice {
  readonly kept: ReadonlySet<number>
  readonly discarded: ReadonlySet<number>
  readonly apart: ReadonlySet<number>
}

/** The reason on members the reviewer decided. @since 0.2.0 */
export const YOUR_CHOICE = "your choice"

/**
 * Ranks the shots of one group and recommends what to keep. With a `choice`, the reviewer's keepers
 * rank first and keep, their discards discard, both with the reason `your choice`; shots new since
 * are ranked as usual against the chosen keeper, and marked `review` when they would beat it.
 */
export const rankGroup = (
  draft: GroupDraft,
  store: AssetTable,
  shots: Shots,
  scoring: Scoring,
  options: ResolvedOptions,
  copyOf: Int32Array,
  choice?: Choice
): RankedGroup => {
  const exact = draft.kind === "exact"
  const views = draft.shots.map((s) => viewOf(store, shots, scoring, copyOf, s))
  // Identical files are one picture: a rating on any copy is about the picture, so exact copies rank
  // by richest metadata alone (a rejected original still beats its EXIF-less re-upload). Between
  // different pictures (a burst), a rejection and then the score decide.
  sortSmall(
    views,
    exact
      ? (a, b) => b.richness - a.richness || byScore(a, b) || tieBreak(a, b)
      : (a, b) => Number(a.rejected) - Number(b.rejected) || byScore(a, b) || tieBreak(a, b)
  )
  // The reviewer's keepers first, in the usual order among themselves (the sort is stable).
  const chosen = choice !== undefined && choice.kept.size > 0 ? choice : undefined
  const natural = chosen === undefined ? undefined : new Map(views.map((v, r) => [v.shot, r]))
  if (chosen !== undefined)
    sortSmall(views, (a, b) => Number(chosen.kept.has(b.shot)) - Number(chosen.kept.has(a.shot)))
  const keeper = views[0]!
  const placed: Array<{ readonly member: Member; readonly ordinal: number; readonly shot: number }> = []
  let reclaimable = 0
  let from = Number.POSITIVE_INFINITY
  let to = Number.NEGATIVE_INFINITY
  views.forEach((v, r) => {
    const margin = keeper.score !== null && v.score !== null ? keeper.score - v.score : null
    let recommendation: Recommendation
    let reasons: Array<string>
    let lose: ReadonlyArray<string> = []
    let merge: ReadonlyArray<string> = []
    const mine = chosen?.kept.has(v.shot) ? "keep" : chosen?.discarded.has(v.shot) ? "discard" : undefined
    if (mine !== undefined) {
      recommendation = mine
      reasons = [YOUR_CHOICE]
    } else if (r === 0) {
      recommendation = "keep"
      reasons = exact
        ? [`richest metadata of ${views.length} identical copies`]
        : [
            v.score === null
              ? `best of ${views.length} by tie-break (no rating or metrics)`
              : `best of ${views.length}: score ${fmt(v.score)}`
          ]
      if (exact) reasons.push(...copyRatings(views))
      else if (v.primary.rating !== null) reasons.push(`rating ${ratingText(v.primary.rating)}`)
    } else {
      const all = wouldLose(v, keeper)
      // What apply can merge into the keeper does not hold a discard back; the rest does.
      lose = all.filter((x) => !isMergeable(x))
      merge = all.filter(isMergeable)
      // Same bytes as the keeper (also inside a near group, e.g. a re-upload with EXIF stripped).
      const copy = exact || keeper.assets.some((k) => k.copy === v.primary.copy)
      reasons = copy ? ["exact copy of the keeper (same checksum)"] : compareReasons(v, keeper, scoring)
      const decidedByRejection = v.rejected && !keeper.rejected
      if (lose.length > 0) {
        recommendation = "review"
        reasons.push(`would lose ${lose.join("; ")}`)
      } else if (!copy && !decidedByRejection && margin === null) {
        recommendation = "review"
        reasons.push("no rating or metrics to compare")
      } else if (!copy && !decidedByRejection && margin !== null && margin < options.reviewMargin) {
        recommendation = "review"
        reasons.push(`too close to call (margin ${fmt(margin)} < ${fmt(options.reviewMargin)})`)
      } else recommendation = "discard"
      if (natural !== undefined && natural.get(v.shot)! < natural.get(keeper.shot)!) {
        recommendation = "review"
        reasons.push("new since your decision, and ranks above your choice")
      } else if (chosen !== undefined) reasons.push("new since your decision")
    }
    if (choice?.apart.has(v.shot) === true && r > 0 && recommendation === "discard") {
      recommendation = "review"
      reasons.push("you marked it as not a duplicate of the others")
    }
    if (recommendation === "discard" && merge.length > 0) {
      reasons.push(`${merge.join("; ")} will be merged into the keeper`)
    }
    for (const a of v.assets) {
      const own = a === v.primary ? reasons : [...reasons, COMPANION]
      const member: Member = {
        assetId: a.id,
        shotId: v.primary.id,
        rank: r + 1,
        score: v.score,
        margin,
        recommendation,
        reasons: own,
        wouldLose: lose,
        wouldMerge: merge
      }
      placed.push({ member, ordinal: a.ordinal, shot: v.primary.ordinal })
      if (recommendation === "discard" && a.fileSize !== null) reclaimable += a.fileSize
      if (a.wallMs < from) from = a.wallMs
      if (a.wallMs > to) to = a.wallMs
    }
  })
  sortSmall(placed, (a, b) => a.member.rank - b.member.rank || cmpStr(a.member.assetId, b.member.assetId))
  return {
    members: placed.map((p) => p.member),
    ordinals: Int32Array.from(placed, (p) => p.ordinal),
    shotOrdinals: Int32Array.from(placed, (p) => p.shot),
    keeper: keeper.primary.id,
    reclaimableBytes: reclaimable,
    keeperOrdinal: keeper.primary.ordinal,
    startMs: from,
    endMs: to
  }
}
