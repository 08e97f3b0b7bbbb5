/**
 * The compact data the HTML report embeds: what the page needs, as arrays rather than objects, and
 * only the assets it can show (group members, the worst low-quality assets, time-zone anomalies), never
 * every ungrouped asset of a 1M-asset album. The browser code (`client.ts`) reads the same layout.
 */
import type { Analysis } from "@albumsift/core"
import type { Metadata } from "../Metadata.js"
import { describeSource } from "../Metadata.js"
import { compareCodePoints, safeImageUrl } from "./text.js"

/*
 * Layout (positions are mirrored in client.ts):
 * asset row:  [id, fileName, mimeType, wall, offsetMinutes, camera, rating, favorite, width, height, fileSize,
 *              people, faceCount, description, thumb, score, flagMask, metrics (by metricNames), hasGps, hasExif,
 *              groupIndex, cameraTime, autoStackId]
 * group row:  [id, kind (0 exact, 1 near), evidenceMask, shotCount, keeperMember, reclaimableBytes, from, to, members]
 * member row: [assetRow, shotNumber, rank, score, margin, recommendation (0 keep, 1 discard, 2 review), reasons,
 *              wouldLose, sameBytesAsKeeper]
 */

/** At most this many low-quality assets are embedded (worst first); the rest are in report.csv/json. */
export const LOW_QUALITY_LIMIT = 500
/** At most this many rejected inputs and time-zone anomalies are embedded. */
export const ISSUE_LIMIT = 1000

export const FLAG_NAMES: ReadonlyArray<Analysis.QualityFlag> = [
  "low_quality",
  "rejected_rating",
  "missing_metrics",
  "missing_exif",
  "timezone_anomaly"
]
const EVIDENCE_NAMES: ReadonlyArray<Analysis.Evidence> = [
  "checksum",
  "auto_stack_id",
  "capture_time",
  "stack",
  "immich_duplicate"
]
const RECOMMENDATIONS: ReadonlyArray<Analysis.Recommendation> = ["keep", "discard", "review"]

type Row = ReadonlyArray<unknown>

/** What `build` needs besides the analysis. */
export interface HtmlDataOptions {
  readonly metadata: Metadata
  readonly thumbnails?: ReadonlyMap<string, string>
  /** The other report files written beside this one, for links. */
  readonly formats?: ReadonlyArray<string>
}

/** The assets the HTML shows, gathered in one pass over `analysis.assets` (which may be a lazy view). */
export interface Shown {
  /** Group members, time-zone anomaly assets and the embedded low-quality assets, by id. */
  readonly byId: ReadonlyMap<string, Analysis.AssetInfo>
  /** The embedded low-quality assets: worst composite score first, then id; at most `LOW_QUALITY_LIMIT`. */
  readonly lowQuality: ReadonlyArray<Analysis.AssetInfo>
}

const byScoreThenId = (a: Analysis.AssetInfo, b: Analysis.AssetInfo): number =>
  (a.score ?? Number.POSITIVE_INFINITY) - (b.score ?? Number.POSITIVE_INFINITY) ||
  compareCodePoints(a.id, b.id)

/** Collects what the HTML shows without holding every asset of a large album. */
export const collectShown = (analysis: Analysis.Analysis): Shown => {
  const wanted = new Set<string>()
  for (const group of analysis.groups) for (const member of group.members) wanted.add(member.assetId)
  for (const anomaly of analysis.timezoneAnomalies.slice(0, ISSUE_LIMIT)) {
    for (const id of anomaly.assetIds) wanted.add(id)
  }
  const byId = new Map<string, Analysis.AssetInfo>()
  let low: Array<Analysis.AssetInfo> = []
  for (const asset of analysis.assets) {
    if (wanted.has(asset.id)) byId.set(asset.id, asset)
    if (asset.flags.includes("low_quality")) {
      low.push(asset)
      // Keep only the worst few as we go, so memory stays bounded.
      if (low.length >= 4 * LOW_QUALITY_LIMIT) low = low.sort(byScoreThenId).slice(0, LOW_QUALITY_LIMIT)
    }
  }
  low = low.sort(byScoreThenId).slice(0, LOW_QUALITY_LIMIT)
  for (const asset of low) byId.set(asset.id, asset)
  return { byId, lowQuality: low }
}

/** Ids of every asset the HTML shows, in a stable order: the ones worth keeping thumbnails for. */
export const shownAssetIds = (analysis: Analysis.Analysis, shown: Shown = collectShown(analysis)) => {
  const ids = new Set<string>()
  for (const group of analysis.groups) for (const member of group.members) ids.add(member.assetId)
  for (const asset of shown.lowQuality) ids.add(asset.id)
  for (const anomaly of analysis.timezoneAnomalies.slice(0, ISSUE_LIMIT)) {
    for (const id of anomaly.assetIds) ids.add(id)
  }
  return [...ids]
}

const mask = <A>(values: ReadonlyArray<A>, names: ReadonlyArray<A>): number =>
  values.reduce((bits, value) => {
    const i = names.indexOf(value)
    return i < 0 ? bits : bits | (1 << i)
  }, 0)

/** The embedded data object, as separate pieces so `Html` can stream the big arrays. */
export const build = (analysis: Analysis.Analysis, options: HtmlDataOptions) => {
  const shown = collectShown(analysis)
  const byId = shown.byId
  // `metrics` has statistics for every metric seen in the album.
  const metricNames = analysis.metrics.map((m) => m.name).sort(compareCodePoints)
  const groupIndex = new Map<string, number>()
  analysis.groups.forEach((group, i) => {
    groupIndex.set(group.id, i)
  })

  // Asset rows are appended on first reference; `assetIndex` maps an id to its row.
  const assetRows: Array<Row> = []
  const assetIndex = new Map<string, number>()
  const ref = (id: string): number => {
    const known = assetIndex.get(id)
    if (known !== undefined) return known
    const a = byId.get(id)
    const index = assetRows.length
    assetIndex.set(id, index)
    if (a === undefined) {
      // Referenced but not decoded: show the id rather than fail.
      assetRows.push([
        id,
        id,
        "",
        "",
        null,
        null,
        null,
        0,
        null,
        null,
        null,
        [],
        0,
        null,
        null,
        null,
        0,
        [],
        0,
        0,
        -1,
        0,
        null
      ])
      return index
    }
    const kept = options.thumbnails?.get(id)
    assetRows.push([
      a.id,
      a.fileName,
      a.mimeType,
      a.takenAt.wall,
      a.takenAt.offsetMinutes,
      a.camera,
      a.rating,
      a.favorite ? 1 : 0,
      a.width,
      a.height,
      a.fileSize,
      a.people,
      a.faceCount,
      a.description,
      safeImageUrl(kept ?? a.thumbnailUrl),
      a.score,
      mask(a.flags, FLAG_NAMES),
      metricNames.map((name) => a.metrics[name] ?? null),
      a.hasGps ? 1 : 0,
      a.hasExif ? 1 : 0,
      a.groupId !== null ? (groupIndex.get(a.groupId) ?? -1) : -1,
      a.cameraTime ? 1 : 0,
      a.autoStackId
    ])
    return index
  }

  const groups: Array<Row> = analysis.groups.map((group) => {
    const keeper = byId.get(group.keeper)
    const shots: Array<string> = []
    const members = group.members.map((member) => {
      let shot = shots.indexOf(member.shotId)
      if (shot < 0) shot = shots.push(member.shotId) - 1
      const asset = byId.get(member.assetId)
      const sameBytes =
        keeper !== undefined && asset !== undefined && asset.checksum === keeper.checksum ? 1 : 0
      return [
        ref(member.assetId),
        shot,
        member.rank,
        member.score,
        member.margin,
        Math.max(0, RECOMMENDATIONS.indexOf(member.recommendation)),
        member.reasons,
        member.wouldLose,
        sameBytes
      ]
    })
    const keeperIndex = Math.max(
      0,
      group.members.findIndex((m) => m.assetId === group.keeper)
    )
    return [
      group.id,
      group.kind === "exact" ? 0 : 1,
      mask(group.evidence, EVIDENCE_NAMES),
      group.shotCount,
      keeperIndex,
      group.reclaimableBytes,
      group.timeSpan.from,
      group.timeSpan.to,
      members
    ]
  })

  const lowQualityAll = analysis.summary.lowQuality
  const lowQuality = shown.lowQuality.map((a) => ref(a.id))
  const timezone = analysis.timezoneAnomalies
    .slice(0, ISSUE_LIMIT)
    .map((anomaly) => [anomaly.assetIds.map(ref), anomaly.reason])
  const rejected = analysis.rejected
    .slice(0, ISSUE_LIMIT)
    .map((r) => [r.index, r.id ?? null, r.album ?? null, r.reason])

  const head = {
    v: 1,
    meta: {
      tool: options.metadata.tool.name,
      version: options.metadata.tool.version,
      generatedAt: options.metadata.generatedAt,
      sources: options.metadata.sources.map(describeSource),
      formats: options.formats ?? [],
      keptThumbnails: options.thumbnails !== undefined
    },
    options: {
      reviewMargin: analysis.options.reviewMargin,
      burstGapSeconds: analysis.options.burstGapSeconds,
      lowQualityThresholds: analysis.options.lowQualityThresholds,
      lowQualityPercentile: analysis.options.lowQualityPercentile
    },
    summary: analysis.summary,
    evidenceNames: EVIDENCE_NAMES,
    flagNames: FLAG_NAMES,
    metricNames,
    metrics: analysis.metrics,
    lowQuality: { total: lowQualityAll, items: lowQuality },
    timezone: { total: analysis.timezoneAnomalies.length, items: timezone },
    rejected: { total: analysis.rejected.length, items: rejected }
  }
  return { head, assets: assetRows, groups }
}
