/**
 * The analysis as one pass over a stream of raw items: decode each item into a compact projection
 * (or a `Rejected`), then fold companions into shots, group, rank and describe quality.
 *
 * Only the projection is kept per asset (never the raw JSON), so memory grows with the album's
 * distinct assets, not with its bytes.
 */
import { Effect, Stream } from "effect"
import type { Analysis, AssetInfo, Evidence, Group, GroupKind, Recommendation, Rejected } from "./Analysis.js"
import { EVIDENCE, SCHEMA_VERSION } from "./Analysis.js"
import * as Asset from "./Asset.js"
import * as Grouping from "./Grouping.js"
import { Interner } from "./internal/Interner.js"
import type { AnalysisOptions, InvalidOptions, ResolvedOptions } from "./Options.js"
import * as Options from "./Options.js"
import * as Quality from "./Quality.js"
import * as Ranking from "./Ranking.js"
import * as Shots from "./Shots.js"
import type { SourceItem } from "./SourceItem.js"

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Mutable state of the one-pass fold: feed items with `add`, then call `finish` once. */
export class Accumulator {
  private readonly assets: Array<Asset.Projected> = []
  private readonly ids = new Map<string, number>()
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
    const id = Asset.peekId(item.value)
    if (id !== undefined) {
      const seen = this.ids.get(id)
      if (seen !== undefined) {
        this.duplicateIds++
        const a = this.assets[seen]!
        if (item.album !== undefined && !a.albums.includes(item.album)) {
          a.albums = this.interner.list([...a.albums, item.album].sort())
        }
        return
      }
    }
    const decoded = Asset.decode(item, this.interner)
    if (Asset.isRejected(decoded)) this.rejected.push(decoded)
    else {
      this.ids.set(decoded.id, this.assets.length)
      this.assets.push(decoded)
    }
  }

  /** Groups, ranks and summarises everything added. */
  finish(options: ResolvedOptions): Analysis {
    const assets = this.assets
    const shots = Shots.build(assets, this.ids)
    this.ids.clear()
    const grouping = Grouping.group(assets, shots, options)
    const scoring = Ranking.scoreAssets(assets, options)
    const anomalies = Grouping.timezoneAnomalies(assets)
    const anomalous = new Set(anomalies.flatMap((a) => a.assetIds))
    const flags = Quality.flagAssets(assets, scoring.score, options, anomalous, this.interner)
    const metrics = Quality.metricStats(assets, options)
    const coverage = Quality.coverage(assets)

    const recommendations: Record<Recommendation, number> = { keep: 0, discard: 0, review: 0 }
    const groupsByKind: Record<GroupKind, number> = { exact: 0, near: 0 }
    const groupsByEvidence = Object.fromEntries(EVIDENCE.map((e) => [e, 0])) as Record<Evidence, number>
    let reclaimableBytes = 0
    const groups: Array<Group> = grouping.groups.map((draft) => {
      const ranked = Ranking.rankGroup(draft, assets, shots, scoring, options)
      for (const m of ranked.members) recommendations[m.recommendation]++
      groupsByKind[draft.kind]++
      for (const e of draft.evidence) groupsByEvidence[e]++
      reclaimableBytes += ranked.reclaimableBytes
      return {
        id: draft.id,
        kind: draft.kind,
        evidence: draft.evidence,
        shotCount: draft.shots.length,
        members: ranked.members,
        keeper: ranked.keeper,
        reclaimableBytes: ranked.reclaimableBytes,
        timeSpan: ranked.timeSpan
      }
    })

    // Assets: grouped first (by group id, then rank), then the rest by id.
    const infos: Array<AssetInfo | undefined> = new Array(assets.length)
    let lowQuality = 0
    for (let i = 0; i < assets.length; i++) {
      const a = assets[i]!
      const s = shots.shotOf[i]!
      const g = grouping.groupOf[s]!
      const score = scoring.score[i]!
      const f = flags[i]!
      if (f.includes("low_quality")) lowQuality++
      infos[i] = toInfo(
        a,
        assets[shots.primary[s]!]!.id,
        g === -1 ? null : grouping.groups[g]!.id,
        Number.isNaN(score) ? null : score,
        f
      )
    }
    const ordinalOf = new Map<string, number>()
    for (let i = 0; i < assets.length; i++) ordinalOf.set(assets[i]!.id, i)
    const ordered: Array<AssetInfo> = []
    const placed = new Uint8Array(assets.length)
    for (const g of groups) {
      for (const m of g.members) {
        const i = ordinalOf.get(m.assetId)!
        ordered.push(infos[i]!)
        placed[i] = 1
      }
    }
    const rest: Array<number> = []
    for (let i = 0; i < assets.length; i++) if (placed[i] === 0) rest.push(i)
    rest.sort((x, y) => cmpStr(assets[x]!.id, assets[y]!.id))
    for (const i of rest) ordered.push(infos[i]!)
    ordinalOf.clear()

    groups.sort((a, b) => cmpStr(a.timeSpan.from, b.timeSpan.from) || cmpStr(a.id, b.id))
    const rejected = this.rejected.slice()
    return {
      schemaVersion: SCHEMA_VERSION,
      options,
      summary: {
        inputItems: this.inputItems,
        assets: assets.length,
        duplicateIds: this.duplicateIds,
        rejected: rejected.length,
        shots: shots.count,
        groups: groups.length,
        groupsByKind,
        groupsByEvidence,
        recommendations,
        reclaimableBytes,
        timezoneAnomalies: anomalies.length,
        lowQuality,
        coverage
      },
      assets: ordered,
      groups,
      metrics,
      timezoneAnomalies: anomalies,
      rejected
    }
  }
}

const toInfo = (
  a: Asset.Projected,
  shotId: string,
  groupId: string | null,
  score: number | null,
  flags: AssetInfo["flags"]
): AssetInfo => ({
  id: a.id,
  index: a.index,
  albums: a.albums,
  fileName: a.fileName,
  mimeType: a.mimeType,
  checksum: a.checksum,
  takenAt: a.takenAt,
  cameraTime: a.cameraTime,
  camera: a.camera,
  deviceId: a.deviceId,
  autoStackId: a.autoStackId,
  livePhotoCid: a.livePhotoCid,
  rating: a.rating,
  favorite: a.favorite,
  metrics: a.metrics,
  width: a.width,
  height: a.height,
  fileSize: a.fileSize,
  hasExif: a.hasExif,
  hasGps: a.hasGps,
  description: a.description,
  people: a.people,
  faceCount: a.faceCount,
  thumbnailUrl: a.thumbnailUrl,
  createdAt: a.createdAt,
  shotId,
  groupId,
  score,
  flags
})

/** Pure, synchronous analysis of items already in memory (tests, small albums). */
export const analyzeItems = (items: Iterable<SourceItem>, options?: AnalysisOptions): Analysis => {
  const resolved = Options.resolve(options)
  const acc = new Accumulator()
  for (const item of items) acc.add(item)
  return acc.finish(resolved)
}

/** Analyses a stream of source items in one pass. */
export const analyze: <E, R>(
  items: Stream.Stream<SourceItem, E, R>,
  options?: AnalysisOptions
) => Effect.Effect<Analysis, E | InvalidOptions, R> = Effect.fn("Pipeline.analyze")(function* <E, R>(
  items: Stream.Stream<SourceItem, E, R>,
  options?: AnalysisOptions
) {
  const resolved = yield* Options.validate(options)
  const acc = new Accumulator()
  yield* Stream.runForEachChunk(items, (chunk) =>
    Effect.sync(() => {
      for (const item of chunk) acc.add(item)
    })
  )
  return acc.finish(resolved)
})

/** Analyses a stream of raw JSON values, numbering them 0, 1, 2… as their `index`. */
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
