/**
 * The analysis as one pass over a stream of raw items: decode each item into a compact projection
 * (or a `Rejected`), then fold companions into shots, group, rank and describe quality.
 *
 * Only a compact column store is kept per asset (never the raw JSON), so memory grows with the
 * album's distinct assets, not with its bytes. Each group is ranked exactly once, into a compact
 * ranking (`internal/rankTable`). `Analysis.assets` and `Analysis.groups` are read-only views built
 * on access from those two (see `Analysis`); reading them never re-runs the analysis.
 */
import { Effect, Stream } from "effect"
import type {
  Analysis,
  AssetGlance,
  AssetInfo,
  Evidence,
  Group,
  GroupKind,
  GroupOutline,
  GroupPositions,
  Recommendation,
  Rejected
} from "../Analysis.js"
import { EVIDENCE, SCHEMA_VERSION } from "../Analysis.js"
import * as Asset from "../Asset.js"
import { fromRecord, Predecoded } from "../internal/projectionWire.js"
import type { AnalysisOptions, InvalidOptions, ResolvedOptions } from "../Options.js"
import * as Options from "../Options.js"
import type { SourceItem } from "../SourceItem.js"
import * as Grouping from "./Grouping.js"
import { AssetTable } from "./internal/assetTable.js"
import * as Decided from "./internal/decided.js"
import { IdIndex, type IdLookup } from "./internal/IdIndex.js"
import { EMPTY, Interner } from "./internal/Interner.js"
import { lazyArray } from "./internal/LazyArray.js"
import { type RankTable, RankTableBuilder } from "./internal/rankTable.js"
import * as Shared from "./internal/Shared.js"
import * as Quality from "./Quality.js"
import * as Ranking from "./Ranking.js"
import * as SharedAnalysis from "./SharedAnalysis.js"
import * as Shots from "./Shots.js"

const LOW_QUALITY = Quality.flagBit("low_quality")
const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Mutable state of the one-pass fold: feed items with `add`, then call `finish` once.
 *
 * @since 0.1.0
 */
export class Accumulator {
  private readonly store = new AssetTable()
  private readonly ids = new IdIndex((i, id) => this.store.idIs(i, id))
  private readonly rejected: Array<Rejected> = []
  private readonly interner = new Interner()
  private inputItems = 0
  private duplicateIds = 0

  /** Items read so far (valid or not). */
  get count(): number {
    return this.inputItems
  }

  /** Decodes and keeps one item; a repeated id only adds its album. */
  add(item: SourceItem): void {
    this.inputItems++
    // Decoded off the main thread (`JsonInput.decodedItems`): its record is taken at once, so the item
    // holds none after (see `Predecoded`); the pipeline only rebuilds it, with strings interned here.
    const record = item.value instanceof Predecoded ? item.value.take() : undefined
    const id = Asset.peekId(item.value)
    if (id !== undefined) {
      const seen = this.ids.get(id)
      if (seen !== undefined) {
        this.duplicateIds++
        const albums = this.store.albumsOf(seen)
        if (item.album !== undefined && !albums.includes(item.album)) {
          this.store.setAlbums(seen, this.interner.list([...albums, item.album].sort()))
        }
        return
      }
    }
    const decoded =
      record !== undefined ? fromRecord(record, item.album, this.interner) : Asset.decode(item, this.interner)
    if (Asset.isRejected(decoded)) this.rejected.push(decoded)
    else this.ids.set(decoded.id, this.store.push(decoded))
  }

  /** Groups, ranks and summarises everything added. Call once. */
  finish(options: ResolvedOptions): Analysis {
    const result = finishAnalysis(this.store, this.ids, options, {
      inputItems: this.inputItems,
      duplicateIds: this.duplicateIds,
      rejected: this.rejected.slice()
    })
    this.ids.clear()
    return result
  }
}

/**
 * Builds the `Analysis`. A free function (not a method) so the lazy views below capture only the
 * compact columns they read, never the accumulator and its decode-time tables.
 */
const finishAnalysis = (
  store: AssetTable,
  ids: IdLookup,
  options: ResolvedOptions,
  input: {
    readonly inputItems: number
    readonly duplicateIds: number
    readonly rejected: ReadonlyArray<Rejected>
  }
): Analysis => {
  store.seal()
  const n = store.length
  const shots = Shots.build(store, ids)
  // The reviewer's decisions: links between not-duplicates cut in grouping, keepers honoured in ranking.
  const decided = options.decisions === undefined ? undefined : Decided.plan(options.decisions, ids, shots)
  const grouping = Grouping.group(store, shots, options, decided?.accept)
  const resolved = decided?.resolve(grouping)
  // Each higher-is-better metric's values are sorted once, for its percentiles and its statistics.
  const sortedMetrics = new Map<string, Float64Array>()
  const scoring = Ranking.scoreAssets(store, options, sortedMetrics)
  const metrics = Quality.metricStats(store, options, sortedMetrics)
  sortedMetrics.clear()
  const anomalies = Grouping.timezoneAnomalies(store, grouping.copyOf)
  const anomalous = new Uint8Array(n)
  for (const a of anomalies) for (const id of a.assetIds) anomalous[ids.get(id)!] = 1
  const flagMasks = Quality.flagAssets(store, scoring.score, options, anomalous)
  const coverage = Quality.coverage(store)

  // Each group is ranked exactly once, into a compact ranking (typed arrays) that also gives the
  // summary, the asset order and the group order. Group objects are rebuilt from it on access.
  const recommendations: Record<Recommendation, number> = { keep: 0, discard: 0, review: 0 }
  const groupsByKind: Record<GroupKind, number> = { exact: 0, near: 0 }
  const groupsByEvidence = Object.fromEntries(EVIDENCE.map((e) => [e, 0])) as Record<Evidence, number>
  const drafts = grouping.groups
  let memberCount = 0
  for (const draft of drafts)
    for (const s of draft.shots) memberCount += shots.start[s + 1]! - shots.start[s]!
  const ranks = new RankTableBuilder(drafts.length, memberCount)
  const ranker = new Ranking.Ranker(store, shots, scoring, options, grouping.copyOf, ranks)
  drafts.forEach((draft, g) => {
    const choice = resolved?.choices[g]
    Ranking.rankGroup(ranker, draft, choice)
    groupsByKind[draft.kind]++
    for (const e of draft.evidence) groupsByEvidence[e]++
    ranks.head({
      id: draft.id,
      kind: draft.kind,
      evidence: draft.evidence,
      shotCount: draft.shots.length,
      decidedBy: choice !== undefined && choice.kept.size > 0 ? "you" : "suggested",
      notes: resolved?.notes[g] ?? EMPTY
    })
  })
  const ranking = ranks.seal(store, options.canMergeGps !== false)
  let reclaimableBytes = 0
  for (let g = 0; g < ranking.length; g++) reclaimableBytes += ranking.reclaimableOf(g)
  // Assets in group order first (each group's members in rank order), then the rest by id.
  const order = Shared.int32(n)
  const placed = new Uint8Array(n)
  let filled = 0
  for (let m = 0; m < ranking.memberCount; m++) {
    recommendations[ranking.recommendationAt(m)]++
    const i = ranking.assetAt(m)
    order[filled++] = i
    placed[i] = 1
  }
  // The rest by id, compared in place in the store: no id strings built, none looked up again.
  const rest = new Int32Array(n - filled)
  for (let i = 0, r = 0; i < n; i++) if (placed[i] === 0) rest[r++] = i
  store.sortByIds(rest)
  order.set(rest, filled)

  // Groups by earliest capture time, then id.
  const groupOrder = Shared.int32(drafts.length)
  for (let g = 0; g < drafts.length; g++) groupOrder[g] = g
  groupOrder.sort(
    (x, y) => ranking.startMsOf(x) - ranking.startMsOf(y) || cmpStr(ranking.idOf(x), ranking.idOf(y))
  )

  let lowQuality = 0
  for (let i = 0; i < n; i++) if ((flagMasks[i]! & LOW_QUALITY) !== 0) lowQuality++
  const { assets, groups } = views({
    store,
    order,
    shotOf: shots.shotOf,
    primary: shots.primary,
    groupOf: grouping.groupOf,
    score: scoring.score,
    flagMasks,
    ranking,
    groupOrder
  })

  return {
    schemaVersion: SCHEMA_VERSION,
    options,
    summary: {
      inputItems: input.inputItems,
      assets: n,
      duplicateIds: input.duplicateIds,
      rejected: input.rejected.length,
      shots: shots.count,
      groups: drafts.length,
      groupsByKind,
      groupsByEvidence,
      recommendations,
      reclaimableBytes,
      timezoneAnomalies: anomalies.length,
      lowQuality,
      coverage,
      ...(resolved !== undefined ? { decisions: resolved.summary } : {})
    },
    assets,
    groups,
    metrics,
    timezoneAnomalies: anomalies,
    rejected: input.rejected,
    staleDecisions: resolved?.stale ?? EMPTY
  }
}

/**
 * The lazy `assets` and `groups` of an analysis. Built apart from `finishAnalysis` so their closures
 * keep only these compact columns alive, not the stage results (drafts, percentile tables, builders).
 */
const views = (
  c: SharedAnalysis.PerAsset & {
    readonly store: AssetTable
    readonly ranking: RankTable
    /** Position k of `groups` → group index. */
    readonly groupOrder: Int32Array
  }
): Pick<Analysis, "assets" | "groups"> => {
  const { store, order, shotOf, primary, groupOf, score, flagMasks, ranking, groupOrder } = c
  const groups = lazyArray(ranking.length, (k): Group => ranking.group(groupOrder[k]!))
  const assets = lazyArray(
    order.length,
    SharedAnalysis.reader({
      store,
      order,
      shotOf,
      primary,
      groupOf,
      score,
      flagMasks,
      groupId: (g) => ranking.idOf(g)
    })
  )
  built.set(groups, {
    assets,
    outlines: lazyArray(ranking.length, (k) => ranking.outline(groupOrder[k]!)),
    // Made once, on first use: the group index and the page's data both read it.
    place: once(() => {
      const positionOf = new Int32Array(order.length)
      for (let k = 0; k < order.length; k++) positionOf[order[k]!] = k
      const start = new Int32Array(ranking.length + 1)
      const members = new Int32Array(ranking.memberCount)
      const keeper = new Int32Array(ranking.length)
      let j = 0
      const place = (ordinal: number) => {
        members[j] = positionOf[ordinal]!
        j++
      }
      for (let k = 0; k < ranking.length; k++) {
        start[k] = j
        keeper[k] = positionOf[ranking.ordinals(groupOrder[k]!, place)]!
      }
      start[ranking.length] = j
      return { start, members, keeper }
    }),
    // Every column is already in shared memory (allocated there): nothing is copied.
    share: () => ({ ranking, order, shotOf, primary, groupOf, score, flagMasks, groupOrder }),
    // As `SharedAnalysis.reader` reads them.
    glance: {
      id: (k) => store.idOf(order[k]!),
      score: (k) => SharedAnalysis.scoreOf(score, order[k]!),
      flagMask: (k) => flagMasks[order[k]!]!
    }
  })
  return { groups, assets }
}

/** `make`'s value, made on the first call. */
const once = <T>(make: () => T): (() => T) => {
  let made: T | undefined
  return () => {
    made ??= make()
    return made
  }
}

/**
 * What each pipeline-built `groups` view was built with: its `assets` view, and readers of the compact
 * ranking for walks that need less than whole groups (outlines, positions) or another thread (share).
 */
const built = new WeakMap<
  ReadonlyArray<Group>,
  {
    readonly assets: ReadonlyArray<AssetInfo>
    readonly outlines: ReadonlyArray<GroupOutline>
    readonly place: () => GroupPositions
    readonly share: () => SharedAnalysis.SharedAnalysis
    readonly glance: AssetGlance
  }
>()

/** What the pipeline built `analysis` with, while its `groups` and `assets` are the ones it built. */
const builtFor = (analysis: Pick<Analysis, "groups" | "assets">) => {
  const made = built.get(analysis.groups)
  return made !== undefined && made.assets === analysis.assets ? made : undefined
}

/**
 * Each group's id, keeper and member asset ids, in `analysis.groups` order, without building the
 * groups: for walks that need only ids. An analysis from the pipeline reads its compact ranking
 * (a lazy array, like `groups`); any other (a copy, a hand-built one) is outlined from its groups.
 *
 * @since 0.2.0
 */
export const groupOutlines = (analysis: Pick<Analysis, "groups">): ReadonlyArray<GroupOutline> =>
  built.get(analysis.groups)?.outlines ??
  analysis.groups.map((group) => ({
    id: group.id,
    keeper: group.keeper,
    memberIds: group.members.map((member) => member.assetId)
  }))

/**
 * Where each group's members and keeper sit in `analysis.assets` (see `GroupPositions`), in typed
 * arrays: for walks that must find members again without holding ~0.5M member ids (a 1M-asset
 * album). Read from the compact ranking of an analysis the pipeline built; undefined for any other
 * (a copy, a hand-built one, one given other assets), whose members are found by id. Made once per
 * analysis: every call gives the same arrays, so read them only.
 *
 * @since 0.2.0
 */
export const groupPositions = (analysis: Pick<Analysis, "groups" | "assets">): GroupPositions | undefined => {
  return builtFor(analysis)?.place()
}

/**
 * The asset at each position of `analysis.assets` at a glance (id, score, flags), read from
 * the columns without building its `AssetInfo`: for walks that skip most assets (the page shows group
 * members and a few others). Undefined for an analysis the pipeline did not build (as `groupPositions`).
 *
 * @since 0.2.0
 */
export const glance = (analysis: Pick<Analysis, "groups" | "assets">): AssetGlance | undefined => {
  return builtFor(analysis)?.glance
}

/**
 * An analysis' `assets` and `groups` to send to another thread, which reads them with
 * `SharedAnalysis.read`: for an analysis the pipeline built; undefined for any other (a copy of its
 * assets or groups, a hand-built one).
 *
 * @since 0.2.0
 */
export const shareAnalysis = (
  analysis: Pick<Analysis, "assets" | "groups">
): SharedAnalysis.SharedAnalysis | undefined => {
  return builtFor(analysis)?.share()
}

/**
 * Pure, synchronous analysis of items already in memory (tests, small albums).
 *
 * @since 0.1.0
 */
export const analyzeItems = (items: Iterable<SourceItem>, options?: AnalysisOptions): Analysis => {
  const resolved = Options.resolve(options)
  const acc = new Accumulator()
  for (const item of items) acc.add(item)
  return acc.finish(resolved)
}

/**
 * Analyses a stream of source items in one pass. `readOptions`, when given, is called once every
 * item is read, for options only the items tell (e.g. `canMergeGps: false` once a local export
 * turns out to be Immich's); they go over `options`.
 *
 * @since 0.1.0
 */
export const analyze: <E, R>(
  items: Stream.Stream<SourceItem, E, R>,
  options?: AnalysisOptions,
  readOptions?: () => AnalysisOptions
) => Effect.Effect<Analysis, E | InvalidOptions, R> = Effect.fn("Pipeline.analyze")(function* <E, R>(
  items: Stream.Stream<SourceItem, E, R>,
  options?: AnalysisOptions,
  readOptions?: () => AnalysisOptions
) {
  // Checked before reading, so a bad option fails before a large album is read.
  const resolved = yield* Options.validate(options)
  const acc = new Accumulator()
  yield* Stream.runForEachChunk(items, (chunk) =>
    Effect.sync(() => {
      for (const item of chunk) acc.add(item)
    })
  )
  return acc.finish(
    readOptions === undefined ? resolved : yield* Options.validate({ ...options, ...readOptions() })
  )
})

/**
 * Analyses a stream of raw JSON values, numbering them 0, 1, 2… as their `index`.
 *
 * @since 0.1.0
 */
export const analyzeValues = <E, R>(
  values: Stream.Stream<unknown, E, R>,
  options?: AnalysisOptions
): Effect.Effect<Analysis, E | InvalidOptions, R> =>
  analyze(
    Stream.mapAccum(values, 0, (index, value): readonly [number, SourceItem] => [
      index + 1,
      { value, index }
    ]),
    options
  )
