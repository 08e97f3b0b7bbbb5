/**
 * Scores assets and ranks the shots of each group, with a recommendation and reasons per member.
 *
 * - Every metric becomes its album-wide percentile (simple-statistics' `quantileRankSorted`, read
 *   through `Percentiles`), so scales (1–5, 0–1) do not matter; lower-is-better metrics are ranked
 *   on their negation.
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
 *   when a near duplicate has no score to compare, when discarding would lose something the keeper lacks
 *   (people, faces, rating, favourite, GPS, description, albums, a RAW file or a Live Photo video), or
 *   when the two were scored on different metrics and, counting only what both carry (rating,
 *   favourite, the metrics both have), the keeper does not win by `reviewMargin`: a discard never rests
 *   on a metric one side lacks. Exact copies (same bytes) are discarded whatever their metrics.
 *
 * Ranking runs once per group over the whole album, so it reads the table's columns directly and
 * keeps each shot's facts in scratch arrays reused from group to group: no object per asset or shot.
 * It writes members, reasons and would-lose items as codes into a `RankSink` (the compact rank table).
 */
import type { Recommendation, ResolvedOptions } from "../Analysis.js"
import { weightOf } from "../Options.js"
import type { GroupDraft } from "./Grouping.js"
import type { AssetTable } from "./internal/assetTable.js"
import { isMergeable } from "./internal/mergeable.js"
import { Percentiles } from "./internal/percentiles.js"
import * as Shared from "./internal/Shared.js"
import { sortSmall } from "./internal/sortSmall.js"
import type { Shots } from "./Shots.js"
import { isRaw, isVideo } from "./Shots.js"

/** Album-wide scoring: per-asset composite score and per-metric percentile tables. */
export interface Scoring {
  /** Asset ordinal → score in [0,1], NaN when unknown. */
  readonly score: Float64Array
  /**
   * Metric name → each asset's album-wide percentile as reasons state it, a whole number 1..100
   * (0 where the asset lacks the metric); inverted when lower is better.
   */
  readonly percents: ReadonlyMap<string, Uint8Array>
  /**
   * Metric name → its percentile table (of values negated when lower is better), to score an asset on
   * part of its metrics (`Ranker` compares members scored on different metrics on what both carry).
   */
  readonly tables: ReadonlyMap<string, Percentiles>
}

/** A percentile in (0,1] as the whole number reasons state: 1..100. */
const pct = (p: number) => Math.max(1, Math.round(p * 100))

/** Rating of 1..5 stars as a component in [0,1]. */
export const ratingComponent = (rating: number): number => (rating - 1) / 4

/**
 * Scores every asset of the album. `sortedOut`, when given, receives each higher-is-better metric's
 * values sorted ascending (the arrays the percentile tables were made from), for `Quality.metricStats`.
 */
export const scoreAssets = (
  store: AssetTable,
  options: ResolvedOptions,
  sortedOut?: Map<string, Float64Array>
): Scoring => {
  const n = store.length
  const lower = new Set(options.lowerIsBetter)
  // Each asset's value is looked up in the table made from the same column (`metricValues` and
  // `metricReader` read the same numbers), as `Percentiles.of` requires.
  const tables = new Map<string, Percentiles>()
  for (const name of store.metricNames()) {
    const sign = lower.has(name) ? -1 : 1
    const values = store.metricValues(name)
    for (let k = 0; k < values.length; k++) values[k] = sign * values[k]!
    tables.set(name, new Percentiles(values.sort()))
    if (sign === 1) sortedOut?.set(name, values)
  }
  const ratingWeight = weightOf(options, "rating")
  const favoriteWeight = options.weights.favorite ?? 1
  // Each metric's reader, percentile table and sign looked up once, not per asset. The percentile is
  // kept (1 byte per asset) for the reasons, which compare group members' percentiles.
  const percents = new Map<string, Uint8Array>()
  // Summed in name order, not the order names first appear: a score never depends on input order,
  // not even in its last bit.
  const columns = [...store.metricNames()].sort().map((name) => {
    const percent = new Uint8Array(n)
    percents.set(name, percent)
    return {
      metricOf: store.metricReader(name)!,
      table: tables.get(name)!,
      sign: lower.has(name) ? -1 : 1,
      percent,
      w: weightOf(options, name)
    }
  })
  const score = Shared.float64(n)
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
    for (let c = 0; c < columns.length; c++) {
      const { metricOf, table, sign, percent, w } = columns[c]!
      const v = metricOf(i)
      if (Number.isNaN(v)) continue
      const p = table.of(sign === 1 ? v : -v)
      percent[i] = pct(p)
      sum += w * p
      weight += w
    }
    score[i] = weight > 0 ? sum / weight : Number.NaN
  }
  return { score, percents, tables }
}

/**
 * Where `rankGroup` writes a ranked group: its members in order (by rank, then asset id), each
 * followed by its reasons and what discarding it would lose (mergeable items after the others), then
 * the group's totals. Texts are written as codes (`code`), so each distinct text is kept once.
 */
export interface RankSink {
  /** The code of a reason or would-lose text: equal texts, equal codes. */
  code(text: string): number
  /** Appends a member (asset and shot-primary ordinals); score and margin are NaN when unknown. */
  member(
    asset: number,
    shot: number,
    rank: number,
    score: number,
    margin: number,
    recommendation: Recommendation
  ): void
  /** Appends a reason to the last member. */
  reason(code: number): void
  /** Appends a would-lose item to the last member. */
  lose(code: number): void
  /** Ends the group: its keeper's ordinal, bytes freed by its discards and members' wall-clock span. */
  endGroup(keeper: number, reclaimableBytes: number, fromMs: number, toMs: number): void
}

/** The reason added to the companion files of a shot (they follow their shot). */
export const COMPANION = "companion file of this shot (Live Photo video or RAW/JPEG pair)"

/** The reason on members the reviewer decided. @since 0.2.0 */
export const YOUR_CHOICE = "your choice"

/** Reasons that are always the same text. */
const FIXED = {
  companion: COMPANION,
  yourChoice: YOUR_CHOICE,
  exactCopy: "exact copy of the keeper (same checksum)",
  noExif: "no EXIF vs EXIF",
  later: "uploaded later than the keeper",
  identical: "identical on every criterion; the keeper has the smaller id",
  noScores: "no rating or metrics to compare",
  above: "new since your decision, and ranks above your choice",
  new: "new since your decision",
  apart: "you marked it as not a duplicate of the others"
} as const

// What any asset of a shot has, one bit each (`Ranker.flags`).
const EXIF = 1
const GPS = 2
const DESCRIPTION = 4
const PEOPLE = 8
const FACES = 16
const RATED = 32
const FAVORITE = 64
const METRICS = 128
const THUMBNAIL = 256
const VIDEO = 512
const RAW = 1024
const ALBUMS = 2048
/** The bits that make a copy richer (all but albums): richness is how many of them a shot has. */
const RICH = EXIF | GPS | DESCRIPTION | PEOPLE | FACES | RATED | FAVORITE | METRICS | THUMBNAIL | VIDEO | RAW

// Media kind of a MIME type (`Ranker.mediaOf`): a generic type defers to the file name.
const STILL = 0
const RAW_FILE = 1
const GENERIC = 2
const VIDEO_FILE = 3

const ordinal = (n: number): string => {
  const t = n % 100
  const suffix = t >= 11 && t <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th")
  return `${n}${suffix}`
}
const fmt = (x: number) => x.toFixed(2)
const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`
const ratingText = (r: number | null) => (r === null ? "unrated" : r === -1 ? "rejected" : String(r))
const sizeText = (x: number | null) => (x === null ? "?" : String(x))

export { isMergeable } from "./internal/mergeable.js"

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

/**
 * Ranks the groups of one album into one sink (make one `Ranker`, then `rankGroup` each group).
 * The facts of the group being ranked live in scratch arrays indexed by view (the group's k-th
 * shot), grown to the largest group and reused.
 */
export class Ranker {
  private capacity = 0
  private shot = new Int32Array(0)
  private primary = new Int32Array(0)
  private score = new Float64Array(0)
  private flags = new Int32Array(0)
  private richness = new Int32Array(0)
  private pixels = new Float64Array(0)
  private fileSize = new Float64Array(0)
  /** The asset whose score is the shot's (its primary, else its best-scored asset). */
  private scored = new Int32Array(0)
  /** The first positive rating among the shot's assets (NaN when none), for "would lose rating". */
  private firstRated = new Float64Array(0)
  /** Rank of each view before the reviewer's keepers moved first. */
  private natural = new Int32Array(0)
  /** Views in rank order; reasons, would-lose items and members of the view being written. */
  private readonly order: Array<number> = []
  private readonly reasons: Array<number> = []
  private readonly lost: Array<string> = []
  private readonly names: Array<string> = []
  private readonly loseCodes: Array<number> = []
  private readonly mergeCodes: Array<number> = []
  private readonly members: Array<number> = []
  /** Media kind per MIME code. */
  private readonly media = new Map<number, number>()
  /** Metric names sorted (the order reasons list them) and their readers (NaN where missing). */
  private readonly metricNames: ReadonlyArray<string>
  private readonly metricOf: ReadonlyArray<(i: number) => number>
  private readonly percentOf: ReadonlyArray<Uint8Array>
  /** Per metric (sorted as `metricNames`): percentile table, sign (-1: lower is better) and weight. */
  private readonly tableOf: ReadonlyArray<Percentiles>
  private readonly signOf: ReadonlyArray<number>
  private readonly metricWeight: ReadonlyArray<number>
  private readonly ratingWeight: number
  private readonly favoriteWeight: number
  /** Metrics only the keeper, and only the member, carry (`differentMetrics`). */
  private readonly keeperOnly: Array<string> = []
  private readonly memberOnly: Array<string> = []
  /** Codes of the fixed reasons, and of texts with few variants by a numeric key (built once each). */
  private readonly fixed: Readonly<Record<keyof typeof FIXED, number>>
  private readonly richestCodes: Array<number> = []
  private readonly tieCodes: Array<number> = []
  private readonly percentileCodes = new Map<number, number>()

  constructor(
    private readonly store: AssetTable,
    private readonly shots: Shots,
    private readonly scoring: Scoring,
    private readonly options: ResolvedOptions,
    /** Asset ordinal → ordinal of its first copy (same bytes). */
    private readonly copyOf: Int32Array,
    private readonly sink: RankSink
  ) {
    this.metricNames = [...store.metricNames()].sort()
    this.metricOf = this.metricNames.map((name) => store.metricReader(name)!)
    this.percentOf = this.metricNames.map((name) => scoring.percents.get(name)!)
    const lower = new Set(options.lowerIsBetter)
    this.tableOf = this.metricNames.map((name) => scoring.tables.get(name)!)
    this.signOf = this.metricNames.map((name) => (lower.has(name) ? -1 : 1))
    this.metricWeight = this.metricNames.map((name) => weightOf(options, name))
    this.ratingWeight = weightOf(options, "rating")
    this.favoriteWeight = options.weights.favorite ?? 1
    this.fixed = Object.fromEntries(
      Object.entries(FIXED).map(([key, text]) => [key, sink.code(text)])
    ) as Record<keyof typeof FIXED, number>
  }

  /** Exact copies: richest metadata first, then score, then the tie-break chain. */
  readonly byRichness = (a: number, b: number): number =>
    this.richness[b]! - this.richness[a]! || this.byScore(a, b) || this.tieBreak(a, b)

  /** Different pictures: not rejected first, then score, then the tie-break chain. */
  readonly byRejection = (a: number, b: number): number =>
    Number(this.rejected(a)) - Number(this.rejected(b)) || this.byScore(a, b) || this.tieBreak(a, b)

  private byScore(a: number, b: number): number {
    const x = this.score[a]!
    const y = this.score[b]!
    return x === y || (Number.isNaN(x) && Number.isNaN(y))
      ? 0
      : Number.isNaN(x)
        ? 1
        : Number.isNaN(y)
          ? -1
          : y - x
  }

  /** After score: EXIF present, companion files held, resolution, file size, earlier upload, id. */
  private tieBreak(a: number, b: number): number {
    const fa = this.flags[a]!
    const fb = this.flags[b]!
    const pa = this.primary[a]!
    const pb = this.primary[b]!
    return (
      Number((fb & EXIF) !== 0) - Number((fa & EXIF) !== 0) ||
      Number((fb & RAW) !== 0) +
        Number((fb & VIDEO) !== 0) -
        Number((fa & RAW) !== 0) -
        Number((fa & VIDEO) !== 0) ||
      this.pixels[b]! - this.pixels[a]! ||
      this.fileSize[b]! - this.fileSize[a]! ||
      this.store.createdMsOf(pa) - this.store.createdMsOf(pb) ||
      this.store.compareIds(pa, pb)
    )
  }

  private rejected(v: number): boolean {
    return this.store.ratingOf(this.primary[v]!) === -1
  }

  /** Grows the scratch arrays to hold `n` views. */
  private ensure(n: number): void {
    if (n <= this.capacity) return
    const c = Math.max(n, 2 * this.capacity, 16)
    this.capacity = c
    this.shot = new Int32Array(c)
    this.primary = new Int32Array(c)
    this.score = new Float64Array(c)
    this.flags = new Int32Array(c)
    this.richness = new Int32Array(c)
    this.pixels = new Float64Array(c)
    this.fileSize = new Float64Array(c)
    this.scored = new Int32Array(c)
    this.firstRated = new Float64Array(c)
    this.natural = new Int32Array(c)
  }

  private mediaOf(i: number): number {
    const code = this.store.mimeCodeOf(i)
    let kind = this.media.get(code)
    if (kind === undefined) {
      const mime = this.store.mimeOf(i)
      kind = isVideo(mime)
        ? VIDEO_FILE
        : isRaw(mime, "x.jpg")
          ? RAW_FILE
          : isRaw(mime, "x.nef")
            ? GENERIC
            : STILL
      this.media.set(code, kind)
    }
    return kind
  }

  /** Fills view `v` with the facts of shot `s`. */
  private describe(v: number, s: number): void {
    const { store, shots } = this
    const from = shots.start[s]!
    const to = shots.start[s + 1]!
    const p = shots.primary[s]!
    let score = this.scoring.score[p]!
    let scored = p
    if (Number.isNaN(score)) {
      for (let k = from; k < to; k++) {
        const x = this.scoring.score[shots.members[k]!]!
        if (!Number.isNaN(x) && (Number.isNaN(score) || x > score)) {
          score = x
          scored = shots.members[k]!
        }
      }
    }
    let flags = 0
    let firstRated = Number.NaN
    for (let k = from; k < to; k++) {
      const i = shots.members[k]!
      if (store.hasExif(i)) flags |= EXIF
      if (store.hasGps(i)) flags |= GPS
      if (store.sparseOf("description", i) !== null) flags |= DESCRIPTION
      if (store.peopleOf(i).length > 0) flags |= PEOPLE
      if (store.faceCountOf(i) > 0) flags |= FACES
      const rating = store.ratingOf(i)
      if (rating !== null && rating > 0) {
        flags |= RATED
        if (Number.isNaN(firstRated)) firstRated = rating
      }
      if (store.isFavorite(i)) flags |= FAVORITE
      if (store.hasMetrics(i)) flags |= METRICS
      if (store.hasThumbnail(i)) flags |= THUMBNAIL
      if (store.albumsOf(i).length > 0) flags |= ALBUMS
      const media = this.mediaOf(i)
      // A still naming its motion part holds a Live Photo video even when the listing leaves the
      // video out (Immich never lists it in an album).
      if (media === VIDEO_FILE || store.sparseOf("livePhotoVideoId", i) !== null) flags |= VIDEO
      else if (media === RAW_FILE || (media === GENERIC && isRaw(store.mimeOf(i), store.fileNameOf(i))))
        flags |= RAW
    }
    let richness = 0
    for (let bits = flags & RICH; bits !== 0; bits &= bits - 1) richness++
    this.shot[v] = s
    this.primary[v] = p
    this.score[v] = score
    this.scored[v] = scored
    this.flags[v] = flags
    this.richness[v] = richness
    this.firstRated[v] = firstRated
    this.pixels[v] = (store.widthOf(p) ?? 0) * (store.heightOf(p) ?? 0)
    this.fileSize[v] = store.fileSizeOf(p) ?? 0
  }

  /** The code of the text `make` builds for count `n`, built once per `n`. */
  private countCode(cache: Array<number>, n: number, make: (n: number) => string): number {
    let code = cache[n]
    if (code === undefined) {
      code = this.sink.code(make(n))
      cache[n] = code
    }
    return code
  }

  /** The people (or albums) of asset `i`: a short, shared list. */
  private namesOf(i: number, albums: boolean): ReadonlyArray<string> {
    return albums ? this.store.albumsOf(i) : this.store.peopleOf(i)
  }

  /** Whether an asset of view `v`'s shot has `name` among its people (or albums). */
  private hasName(v: number, name: string, albums: boolean): boolean {
    const s = this.shot[v]!
    for (let j = this.shots.start[s]!; j < this.shots.start[s + 1]!; j++) {
      if (this.namesOf(this.shots.members[j]!, albums).includes(name)) return true
    }
    return false
  }

  /**
   * The people (or albums) of view `m`'s assets that no asset of keeper view `k` has, distinct and
   * sorted, joined for a would-lose item ("" when none). Lists are short: scans, no sets.
   */
  private lostNames(m: number, k: number, albums: boolean): string {
    const names = this.names
    names.length = 0
    const s = this.shot[m]!
    for (let j = this.shots.start[s]!; j < this.shots.start[s + 1]!; j++) {
      const list = this.namesOf(this.shots.members[j]!, albums)
      for (let x = 0; x < list.length; x++) {
        const name = list[x]!
        if (!names.includes(name) && !this.hasName(k, name, albums)) names.push(name)
      }
    }
    return names.sort().join(", ")
  }

  /** Fills `lost` with what discarding view `m` would lose that keeper `k` lacks. */
  private wouldLose(m: number, k: number): void {
    const lost = this.lost
    lost.length = 0
    const fm = this.flags[m]!
    // What some asset of m has and no asset of k has.
    const lacks = fm & ~this.flags[k]!
    if ((fm & PEOPLE) !== 0) {
      const people = this.lostNames(m, k, false)
      if (people !== "") lost.push(`people: ${people}`)
    }
    if ((lacks & FACES) !== 0) lost.push("faces")
    if ((lacks & RATED) !== 0) lost.push(`rating ${this.firstRated[m]!}`)
    if ((lacks & FAVORITE) !== 0) lost.push("favorite")
    if ((lacks & GPS) !== 0) lost.push("gps")
    if ((lacks & DESCRIPTION) !== 0) lost.push("description")
    if ((lacks & VIDEO) !== 0) lost.push("Live Photo video")
    if ((lacks & RAW) !== 0) lost.push("RAW file")
    if ((fm & ALBUMS) !== 0) {
      const albums = this.lostNames(m, k, true)
      if (albums !== "") lost.push(`albums: ${albums}`)
    }
  }

  /** Whether a file of keeper view `k` has the same bytes as view `v`'s primary. */
  private sameBytes(v: number, k: number): boolean {
    const { shots, copyOf } = this
    const picture = copyOf[this.primary[v]!]!
    const s = this.shot[k]!
    for (let j = shots.start[s]!; j < shots.start[s + 1]!; j++)
      if (copyOf[shots.members[j]!] === picture) return true
    return false
  }

  /** The ratings the copies of one picture carry, as reasons: a rating on any copy is about the picture. */
  private copyRatings(n: number): void {
    let counts: Map<number, number> | undefined
    for (let v = 0; v < n; v++) {
      const r = this.store.ratingOf(this.primary[v]!)
      if (r !== null) {
        counts ??= new Map()
        counts.set(r, (counts.get(r) ?? 0) + 1)
      }
    }
    if (counts === undefined) return
    for (const [r, c] of [...counts].sort(([x], [y]) => x - y)) {
      const where = c === n ? "every copy" : c === 1 ? "one copy" : `${c} copies`
      this.reasons.push(
        this.sink.code(r === -1 ? `rated -1 on ${where}: you rejected this photo` : `rated ${r} on ${where}`)
      )
    }
  }

  /** Adds to `reasons` why view `m` ranks below keeper view `k`, in plain words. */
  private compareReasons(m: number, k: number): void {
    const { store, sink, reasons } = this
    const pm = this.primary[m]!
    const pk = this.primary[k]!
    const byRejection = this.rejected(m) && !this.rejected(k)
    if (byRejection) reasons.push(sink.code("rated -1 (rejected)"))
    const mr = store.ratingOf(pm)
    const kr = store.ratingOf(pk)
    if (mr !== kr && !byRejection) {
      reasons.push(
        sink.code(
          mr === null
            ? `unrated vs rating ${ratingText(kr)}`
            : kr === null
              ? `rating ${ratingText(mr)} vs unrated`
              : `rating ${ratingText(mr)} vs ${ratingText(kr)}`
        )
      )
    }
    if (store.isFavorite(pm) !== store.isFavorite(pk)) {
      reasons.push(sink.code(store.isFavorite(pm) ? "favorite vs not" : "not favorite vs favorite"))
    }
    for (let c = 0; c < this.metricNames.length; c++) {
      const name = this.metricNames[c]!
      const mv = this.metricOf[c]!(pm)
      const kv = this.metricOf[c]!(pk)
      const mHas = !Number.isNaN(mv)
      const kHas = !Number.isNaN(kv)
      if (mHas && kHas) {
        const mp = this.percentOf[c]![pm]!
        const kp = this.percentOf[c]![pk]!
        if (mp === kp) continue
        // Percentiles are whole numbers 1..100: few distinct texts, each built once.
        const key = (c * 101 + mp) * 101 + kp
        let code = this.percentileCodes.get(key)
        if (code === undefined) {
          code = sink.code(`${name} at ${ordinal(mp)} vs ${ordinal(kp)} percentile`)
          this.percentileCodes.set(key, code)
        }
        reasons.push(code)
      } else if (mHas || kHas) {
        reasons.push(
          sink.code(`${name} ${mHas ? String(mv) : "missing"} vs ${kHas ? String(kv) : "missing"}`)
        )
      }
    }
    const ms = this.score[m]!
    const ks = this.score[k]!
    if (!Number.isNaN(ms) && !Number.isNaN(ks) && ms !== ks)
      reasons.push(sink.code(`score ${fmt(ms)} vs ${fmt(ks)}`))
    if (Number.isNaN(ms) && !Number.isNaN(ks))
      reasons.push(sink.code(`no rating or metrics vs score ${fmt(ks)}`))
    else if (ms === ks || (Number.isNaN(ms) && Number.isNaN(ks))) {
      const fm = this.flags[m]!
      const fk = this.flags[k]!
      if ((fm & EXIF) !== (fk & EXIF)) reasons.push(this.fixed.noExif)
      else if (this.pixels[m] !== this.pixels[k]) {
        const size = (p: number) => `${sizeText(store.widthOf(p))}×${sizeText(store.heightOf(p))}`
        reasons.push(sink.code(`resolution ${size(pm)} vs ${size(pk)}`))
      } else if (this.fileSize[m] !== this.fileSize[k]) {
        reasons.push(sink.code(`file ${mb(this.fileSize[m]!)} vs ${mb(this.fileSize[k]!)}`))
      } else if (store.createdMsOf(pm) !== store.createdMsOf(pk)) {
        reasons.push(this.fixed.later)
      } else reasons.push(this.fixed.identical)
    }
  }

  /**
   * Whether the scores of view `m` and keeper view `k` rest on different metrics: fills `keeperOnly`
   * and `memberOnly` with the metrics one side's scored asset carries and the other's lacks.
   */
  private differentMetrics(m: number, k: number): boolean {
    const a = this.scored[m]!
    const b = this.scored[k]!
    this.keeperOnly.length = 0
    this.memberOnly.length = 0
    for (let c = 0; c < this.metricNames.length; c++) {
      const mHas = !Number.isNaN(this.metricOf[c]!(a))
      const kHas = !Number.isNaN(this.metricOf[c]!(b))
      if (mHas && !kHas) this.memberOnly.push(this.metricNames[c]!)
      else if (kHas && !mHas) this.keeperOnly.push(this.metricNames[c]!)
    }
    return this.keeperOnly.length > 0 || this.memberOnly.length > 0
  }

  /**
   * The score of asset `i` as `scoreAssets` makes it, counting only the metrics asset `j` carries too
   * (its rating and favourite count as ever); NaN when nothing is left.
   */
  private scoreOn(i: number, j: number): number {
    const { store } = this
    let sum = 0
    let weight = 0
    const rating = store.ratingOf(i)
    if (rating === -1) weight += 3 * this.ratingWeight
    else if (rating !== null) {
      sum += this.ratingWeight * ratingComponent(rating)
      weight += this.ratingWeight
    }
    if (store.isFavorite(i)) {
      sum += this.favoriteWeight
      weight += this.favoriteWeight
    }
    for (let c = 0; c < this.metricNames.length; c++) {
      const v = this.metricOf[c]!(i)
      if (Number.isNaN(v) || Number.isNaN(this.metricOf[c]!(j))) continue
      const w = this.metricWeight[c]!
      sum += w * this.tableOf[c]!.of(this.signOf[c] === 1 ? v : -v)
      weight += w
    }
    return weight > 0 ? sum / weight : Number.NaN
  }

  /** Which metrics one side lacks: "only the keeper has x, y and only this one has z" (no `;`: CSV splits on it). */
  private metricsApart(): string {
    const parts: Array<string> = []
    if (this.keeperOnly.length > 0) parts.push(`only the keeper has ${this.keeperOnly.join(", ")}`)
    if (this.memberOnly.length > 0) parts.push(`only this one has ${this.memberOnly.join(", ")}`)
    return parts.join(" and ")
  }

  /** Sorts the asset ordinals of view `v`'s shot by id into `members` (insertion sort: shots are tiny). */
  private membersById(v: number): void {
    const { shots, store, members } = this
    const s = this.shot[v]!
    members.length = 0
    for (let k = shots.start[s]!; k < shots.start[s + 1]!; k++) {
      const i = shots.members[k]!
      let j = members.length
      while (j > 0 && store.compareIds(members[j - 1]!, i) > 0) {
        members[j] = members[j - 1]!
        j--
      }
      members[j] = i
    }
  }

  /**
   * Ranks the shots of one group and writes it to the sink. With a `choice`, the reviewer's keepers
   * rank first and keep, their discards discard, both with the reason `your choice`; shots new since
   * are ranked as usual against the chosen keeper, and marked `review` when they would beat it.
   */
  rank(draft: GroupDraft, choice?: Choice): void {
    const { store, sink, reasons, order, options } = this
    const exact = draft.kind === "exact"
    const n = draft.shots.length
    this.ensure(n)
    order.length = 0
    for (let v = 0; v < n; v++) {
      this.describe(v, draft.shots[v]!)
      order.push(v)
    }
    // Identical files are one picture: a rating on any copy is about the picture, so exact copies rank
    // by richest metadata alone (a rejected original still beats its EXIF-less re-upload). Between
    // different pictures (a burst), a rejection and then the score decide.
    sortSmall(order, exact ? this.byRichness : this.byRejection)
    // The reviewer's keepers first, in the usual order among themselves (the sort is stable).
    const chosen = choice !== undefined && choice.kept.size > 0 ? choice : undefined
    if (chosen !== undefined) {
      for (let r = 0; r < n; r++) this.natural[order[r]!] = r
      const kept = (v: number) => Number(chosen.kept.has(this.shot[v]!))
      sortSmall(order, (a, b) => kept(b) - kept(a))
    }
    const keeper = order[0]!
    let reclaimable = 0
    let from = Number.POSITIVE_INFINITY
    let to = Number.NEGATIVE_INFINITY
    for (let r = 0; r < n; r++) {
      const v = order[r]!
      const s = this.shot[v]!
      const margin = this.score[keeper]! - this.score[v]!
      let recommendation: Recommendation
      reasons.length = 0
      this.loseCodes.length = 0
      this.mergeCodes.length = 0
      let merge = ""
      const mine = chosen?.kept.has(s) ? "keep" : chosen?.discarded.has(s) ? "discard" : undefined
      if (mine !== undefined) {
        recommendation = mine
        reasons.push(this.fixed.yourChoice)
      } else if (r === 0) {
        recommendation = "keep"
        const score = this.score[v]!
        if (exact)
          reasons.push(
            this.countCode(this.richestCodes, n, (c) => `richest metadata of ${c} identical copies`)
          )
        else if (Number.isNaN(score))
          reasons.push(
            this.countCode(this.tieCodes, n, (c) => `best of ${c} by tie-break (no rating or metrics)`)
          )
        else reasons.push(sink.code(`best of ${n}: score ${fmt(score)}`))
        const rating = store.ratingOf(this.primary[v]!)
        if (exact) this.copyRatings(n)
        else if (rating !== null) reasons.push(sink.code(`rating ${ratingText(rating)}`))
      } else {
        this.wouldLose(v, keeper)
        // What apply can merge into the keeper does not hold a discard back; the rest does.
        let lose = ""
        for (let x = 0; x < this.lost.length; x++) {
          const item = this.lost[x]!
          if (isMergeable(item, options.canMergeGps !== false)) {
            merge = merge === "" ? item : `${merge}; ${item}`
            this.mergeCodes.push(sink.code(item))
          } else {
            lose = lose === "" ? item : `${lose}; ${item}`
            this.loseCodes.push(sink.code(item))
          }
        }
        // Same bytes as the keeper (also inside a near group, e.g. a re-upload with EXIF stripped).
        const copy = exact || this.sameBytes(v, keeper)
        if (copy) reasons.push(this.fixed.exactCopy)
        else this.compareReasons(v, keeper)
        const decidedByRejection = this.rejected(v) && !this.rejected(keeper)
        if (lose !== "") {
          recommendation = "review"
          reasons.push(sink.code(`would lose ${lose}`))
        } else if (!copy && !decidedByRejection && Number.isNaN(margin)) {
          recommendation = "review"
          reasons.push(this.fixed.noScores)
        } else if (!copy && !decidedByRejection && margin < options.reviewMargin) {
          recommendation = "review"
          reasons.push(sink.code(`too close to call (margin ${fmt(margin)} < ${fmt(options.reviewMargin)})`))
        } else if (!copy && !decidedByRejection && this.differentMetrics(v, keeper)) {
          // Scored on different metrics: the margin compares unlike sets. Only what both carry can
          // decide a discard.
          const ms = this.scoreOn(this.scored[v]!, this.scored[keeper]!)
          const ks = this.scoreOn(this.scored[keeper]!, this.scored[v]!)
          if (ks - ms >= options.reviewMargin) recommendation = "discard"
          else {
            recommendation = "review"
            reasons.push(sink.code(`scored on different metrics (${this.metricsApart()})`))
            reasons.push(
              sink.code(
                Number.isNaN(ms) || Number.isNaN(ks)
                  ? "no rating or metric in common to compare"
                  : `on what both have: score ${fmt(ms)} vs ${fmt(ks)}`
              )
            )
          }
        } else recommendation = "discard"
        if (chosen !== undefined && this.natural[v]! < this.natural[keeper]!) {
          recommendation = "review"
          reasons.push(this.fixed.above)
        } else if (chosen !== undefined) reasons.push(this.fixed.new)
      }
      if (choice?.apart.has(s) === true && r > 0 && recommendation === "discard") {
        recommendation = "review"
        reasons.push(this.fixed.apart)
      }
      if (recommendation === "discard" && merge !== "") {
        reasons.push(sink.code(`${merge} will be merged into the keeper`))
      }
      // Its assets, by id, each with the shot's reasons (companions say so) and would-lose items.
      const primary = this.primary[v]!
      this.membersById(v)
      for (let j = 0; j < this.members.length; j++) {
        const i = this.members[j]!
        sink.member(i, primary, r + 1, this.score[v]!, margin, recommendation)
        for (let x = 0; x < reasons.length; x++) sink.reason(reasons[x]!)
        if (i !== primary) sink.reason(this.fixed.companion)
        for (let x = 0; x < this.loseCodes.length; x++) sink.lose(this.loseCodes[x]!)
        for (let x = 0; x < this.mergeCodes.length; x++) sink.lose(this.mergeCodes[x]!)
        const size = store.fileSizeOf(i)
        if (recommendation === "discard" && size !== null) reclaimable += size
        const wall = store.wallMsOf(i)
        if (wall < from) from = wall
        if (wall > to) to = wall
      }
    }
    sink.endGroup(this.primary[keeper]!, reclaimable, from, to)
  }
}

/** Ranks one group into the ranker's sink (see `Ranker.rank`). */
export const rankGroup = (ranker: Ranker, draft: GroupDraft, choice?: Choice): void =>
  ranker.rank(draft, choice)
