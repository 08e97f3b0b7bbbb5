/**
 * The compact data the HTML report embeds: what the page needs, as arrays rather than objects, and
 * only the assets it can show (group members, the worst low-quality assets, time-zone anomalies), never
 * every ungrouped asset of a 1M-asset album. The rows' layout is `pageData.ts`, which the page reads too.
 */
import { createHash } from "node:crypto"
import { Analysis, Pipeline } from "@albumsift/core"
import type { Metadata, Source } from "../Metadata.js"
import { describeSource } from "../Metadata.js"
import type { GroupIndex } from "./groupIndex.js"
import {
  ASSET,
  ASSET_FIELDS,
  type AssetFields,
  type AssetRow,
  BLOCK_ROWS,
  emptyAssetBlock,
  GROUP_FIELDS,
  type GroupFields,
  type GroupRow,
  groupBlock,
  MEMBER,
  MEMBER_FIELDS,
  type MemberRow,
  type PageMeta,
  pushAssetRow,
  splitAssetBlock,
  type Thumb,
  toRow
} from "./pageData.js"
import type { Row } from "./rowMaker.js"
import { compareCodePoints, httpUrlParser, own, safeImageUrl } from "./text.js"

/** At most this many low-quality assets are embedded (worst first); the rest are in report.csv/json. */
export const LOW_QUALITY_LIMIT = 500
/** At most this many rejected inputs and time-zone anomalies are embedded. */
export const ISSUE_LIMIT = 1000

export const FLAG_NAMES: ReadonlyArray<Analysis.QualityFlag> = Analysis.QUALITY_FLAGS
/** `low_quality` in a flag mask (see `Analysis.AssetGlance`). */
const LOW_QUALITY_BIT = 1 << FLAG_NAMES.indexOf("low_quality")
const EVIDENCE_NAMES: ReadonlyArray<Analysis.Evidence> = Analysis.EVIDENCE
const RECOMMENDATIONS: ReadonlyArray<Analysis.Recommendation> = Analysis.RECOMMENDATIONS

/** What `build` needs besides the analysis. */
export interface HtmlDataOptions {
  readonly metadata: Metadata
  readonly thumbnails?: ReadonlyMap<string, string>
  /** The thumbnail to show for an asset (see `Writer.Context.thumbnailLink`); default the kept copy, else the URL. */
  readonly thumbnailLink?: (asset: Analysis.AssetInfo) => string | null
  /** The other report files written beside this one, for links. */
  readonly formats?: ReadonlyArray<string>
  /** Group id → position in `analysis.groups` (the run's `Writer.Context.groupIndex`). */
  readonly groupIndex: GroupIndex
}

/** The assets the HTML shows, gathered in one pass over `analysis.assets` (which may be a lazy view). */
export interface Shown<T> {
  /** Group members, time-zone anomaly assets and the embedded low-quality assets, projected, by id. */
  readonly byId: ReadonlyMap<string, T>
  /** Ids of the embedded low-quality assets: worst composite score first, then id; at most `LOW_QUALITY_LIMIT`. */
  readonly lowQuality: ReadonlyArray<string>
}

interface Candidate<T> {
  readonly id: string
  readonly score: number
  readonly value: T
}

const worstFirst = <T>(a: Candidate<T>, b: Candidate<T>): number =>
  a.score - b.score || compareCodePoints(a.id, b.id)

/** The position of each group's last member in `analysis.assets` (-1 for a group with none). */
const lastPositions = ({ start, members }: Analysis.GroupPositions): Int32Array => {
  const last = new Int32Array(start.length - 1).fill(-1)
  for (let k = 0; k < last.length; k++) {
    for (let j = start[k]!; j < start[k + 1]!; j++) last[k] = Math.max(last[k]!, members[j]!)
  }
  return last
}

/**
 * Collects what the HTML shows without holding every asset of a large album: each shown asset is kept
 * only as `project(asset)` (a compact row, a URL), never as the full object.
 */
export const collectShown = <T>(
  analysis: Analysis.Analysis,
  project: (asset: Analysis.AssetInfo) => T
): Shown<T> => {
  const wanted = new Set<string>()
  for (const group of Pipeline.groupOutlines(analysis)) for (const id of group.memberIds) wanted.add(id)
  for (const anomaly of analysis.timezoneAnomalies.slice(0, ISSUE_LIMIT)) {
    for (const id of anomaly.assetIds) wanted.add(id)
  }
  const byId = new Map<string, T>()
  let low: Array<Candidate<T>> = []
  for (const asset of analysis.assets) {
    const isWanted = wanted.has(asset.id)
    const isLow = asset.flags.includes("low_quality")
    if (!isWanted && !isLow) continue
    const value = project(asset)
    if (isWanted) byId.set(asset.id, value)
    if (isLow) {
      low.push({ id: asset.id, score: asset.score ?? Number.POSITIVE_INFINITY, value })
      // Keep only the worst few as we go, so memory stays bounded.
      if (low.length >= 4 * LOW_QUALITY_LIMIT) low = low.sort(worstFirst).slice(0, LOW_QUALITY_LIMIT)
    }
  }
  low = low.sort(worstFirst).slice(0, LOW_QUALITY_LIMIT)
  for (const candidate of low) byId.set(candidate.id, candidate.value)
  return { byId, lowQuality: low.map((candidate) => candidate.id) }
}

/** Ids of every asset the HTML shows, in a stable order: the ones worth keeping thumbnails for. */
export const shownAssetIds = <T>(analysis: Analysis.Analysis, shown: Shown<T>): ReadonlyArray<string> => {
  const ids = new Set<string>()
  for (const group of Pipeline.groupOutlines(analysis)) for (const id of group.memberIds) ids.add(id)
  for (const id of shown.lowQuality) ids.add(id)
  for (const anomaly of analysis.timezoneAnomalies.slice(0, ISSUE_LIMIT)) {
    for (const id of anomaly.assetIds) ids.add(id)
  }
  return [...ids]
}

const unknownAsset = (id: string, noMimeType: number): AssetFields => ({
  id,
  fileName: id,
  mimeType: noMimeType,
  wall: "",
  offsetMinutes: null,
  camera: null,
  rating: null,
  favorite: 0,
  width: null,
  height: null,
  fileSize: null,
  people: [],
  faceCount: 0,
  description: null,
  thumb: null,
  score: null,
  flags: 0,
  metrics: [],
  hasGps: 0,
  hasExif: 0,
  group: -1,
  cameraTime: 0,
  autoStackId: null
})

/** Where a member opens on its server: only for one Immich source (`<base>/photos/<id>`), else null. */
const assetLink = (sources: ReadonlyArray<Source>): string | null => {
  const servers = sources.filter((source) => source.kind === "api")
  const only = servers.length === 1 && sources.length === 1 ? servers[0] : undefined
  if (only === undefined || only.server !== "immich" || !/^https?:\/\//i.test(only.baseUrl)) return null
  return `${only.baseUrl.replace(/\/+$/, "").replace(/\/api$/, "")}/photos/`
}

// The page shows 3 decimals; fewer digits keep a 100k-group page light.
const round4 = (n: number | null): number | null => (n === null ? null : Math.round(n * 1e4) / 1e4)
const precise = (n: number | undefined): number | null => (n === undefined ? null : Number(n.toPrecision(6)))

const mask = <A>(values: ReadonlyArray<A>, names: ReadonlyArray<A>): number =>
  values.reduce((bits, value) => {
    const i = names.indexOf(value)
    return i < 0 ? bits : bits | (1 << i)
  }, 0)

/**
 * Each distinct value once, in first-seen order: `index` gives its position in `values`. Values are
 * told apart by `keyOf` (strings by themselves).
 */
const interner = <T = string>(keyOf: (value: T) => unknown = (value) => value) => {
  const values: Array<T> = []
  const positions = new Map<unknown, number>()
  return {
    values,
    index: (value: T): number => {
      const key = keyOf(value)
      let i = positions.get(key)
      if (i === undefined) {
        i = values.push(value) - 1
        positions.set(key, i)
      }
      return i
    }
  }
}

/** One element of the embedded data: what it holds (see `pageData.ts`) and its JSON text, not yet escaped. */
export interface DataElement {
  readonly holds: "assets" | "details" | "groups" | "meta"
  readonly json: string
}

/** No element: what most assets of the walk yield. */
const NONE: ReadonlyArray<DataElement> = []

/** The embedded data in two parts, so it can share the report's one walk over the assets. */
export interface DataWriter {
  /**
   * Takes one asset of the walk (at `position` in `analysis.assets`, in increasing order): an asset
   * block's two elements when its row fills one, else none.
   */
  readonly asset: (row: Pick<Row, "asset" | "position">) => ReadonlyArray<DataElement>
  /** The rest of the data: the shown assets' rows held back, the groups and the small fields. */
  readonly tail: () => Generator<DataElement>
}

/**
 * A position's mark in `writer`'s `rows`: not shown, shown but not written yet (with or without its
 * keeper's bytes), or written: `WRITTEN + row * 2 + same`.
 */
const NOT_SHOWN = 0
const UNWRITTEN = -1
const UNWRITTEN_SAME = -2
const WRITTEN = 2

/**
 * The embedded data as JSON elements, streamed: asset rows a block at a time, group rows a block at a
 * time, so a 1M-asset album never holds all rows at once; then the small fields. Every element is raw
 * JSON; the caller escapes it for HTML.
 *
 * The page shows group members, time-zone anomalies and the worst low-quality assets, in album order.
 * Which low-quality assets are the worst is known only at the end of the walk; until the walk meets the
 * first one the page may not show, each shown asset's row is written as the walk passes it (group
 * members come first in `analysis.assets`, so that is most of them). From that asset on, the walk notes
 * the shown ones by position, and `tail` builds their rows, reading each from `analysis.assets` again.
 */
export const writer = (analysis: Analysis.Analysis, options: HtmlDataOptions): DataWriter => {
  // `metrics` has statistics for every metric seen in the album.
  const metricNames = analysis.metrics.map((m) => m.name).sort(compareCodePoints)
  const { groupIndex } = options
  // Every shown asset's mark (see NOT_SHOWN…WRITTEN) by its position in `analysis.assets`: the wanted
  // ones (group members, time-zone anomalies) first, then the low-quality ones as written. Typed and
  // keyed by position, where a map would hold a copy of every member's id (~0.5M at 1M assets).
  const rows = new Int32Array(analysis.assets.length)
  let written = 0
  const isWritten = (position: number) => rows[position]! >= WRITTEN
  /** Gives the asset at `position` the next row number, keeping its same-bytes mark. */
  const write = (position: number) => {
    rows[position] = WRITTEN + written++ * 2 + (rows[position] === UNWRITTEN_SAME ? 1 : 0)
  }
  /** Marks a shown asset as having its keeper's bytes. */
  const markSame = (position: number) => {
    const v = rows[position]!
    if (v === UNWRITTEN) rows[position] = UNWRITTEN_SAME
    else if (v >= WRITTEN) rows[position] = v | 1
  }
  const sameAsKeeper = (position: number) => {
    const v = rows[position] ?? NOT_SHOWN
    return v === UNWRITTEN_SAME || (v >= WRITTEN && (v & 1) === 1)
  }
  /** The row number of the asset at `position`, or -1. */
  const rowAt = (position: number): number => {
    const v = rows[position] ?? NOT_SHOWN
    return v >= WRITTEN ? (v - WRITTEN) >> 1 : -1
  }
  // Members' positions come with a pipeline-built analysis; the other assets the page shows are named
  // by id (anomalies: a few thousand at most; members of any other analysis) and found as the walk
  // passes them (-1 until then).
  const placed = Pipeline.groupPositions(analysis)
  const outlines = placed === undefined ? Pipeline.groupOutlines(analysis) : []
  const named = new Map<string, number>()
  if (placed !== undefined) for (const position of placed.members) rows[position] = UNWRITTEN
  else for (const group of outlines) for (const id of group.memberIds) named.set(id, -1)
  const anomalies = analysis.timezoneAnomalies.slice(0, ISSUE_LIMIT)
  for (const anomaly of anomalies) for (const id of anomaly.assetIds) if (!named.has(id)) named.set(id, -1)
  /** Position of group k's member j, whose id is `id`. */
  const memberAt = (k: number, j: number, id: string): number =>
    placed !== undefined ? placed.members[placed.start[k]! + j]! : (named.get(id) ?? -1)
  const keeperAt = (k: number): number =>
    placed !== undefined ? placed.keeper[k]! : (named.get(outlines[k]!.keeper) ?? -1)
  // Ids that groups or anomalies name but the assets lack (not expected): rows that show only the id.
  const missing = new Map<string, number>()

  // From `heldFrom` on (the first low-quality asset not otherwise shown), rows are held back: the
  // positions of the shown assets there, and the worst low-quality candidates (value: position).
  let heldFrom = Number.POSITIVE_INFINITY
  const shown: Array<number> = []
  let low: Array<Candidate<number>> = []

  // Copies with the keeper's bytes: each group's keeper checksum, and members seen before their keeper.
  const keeperSums: Array<string | undefined> = []
  const waiting = new Map<number, Array<readonly [number, string]>>()
  // Where each group's last member is, when the positions are known: past it the group's checksum is
  // needed no more (at 1M assets ≈100k checksums, 6 MB, would otherwise stay until the walk ends).
  const lastMember = placed === undefined ? undefined : lastPositions(placed)
  const compare = (a: Analysis.AssetInfo, position: number) => {
    const g = a.groupId !== null ? groupIndex.get(a.groupId) : undefined
    if (g === undefined) return
    if (keeperAt(g) === position) {
      keeperSums[g] = a.checksum
      for (const [p, checksum] of waiting.get(g) ?? []) if (checksum === a.checksum) markSame(p)
      waiting.delete(g)
    } else {
      const sum = keeperSums[g]
      if (sum === undefined) {
        const list = waiting.get(g)
        if (list === undefined) waiting.set(g, [[position, a.checksum]])
        else list.push([position, a.checksum])
      } else if (sum === a.checksum) markSame(position)
    }
    if (lastMember?.[g] === position) keeperSums[g] = undefined
  }

  // Repeated text is stored once, rows refer to it by index: MIME types, cameras and people in
  // `strings`; thumbnail URLs' host and folder in `thumbPrefixes`, and what follows the asset id in
  // the URL, up to its last `=` (`.webp?Expires=…&Signature=`), in `thumbMiddles`.
  const strings = interner()
  const prefixes = interner()
  const middles = interner()
  const thumb = (url: string | null, id: string): Thumb | null => {
    if (url === null) return null
    const query = url.search(/[?#]/)
    const cut = url.lastIndexOf("/", query < 0 ? url.length : query) + 1
    if (cut < 12) return [-1, url]
    const prefix = prefixes.index(url.slice(0, cut))
    if (id === "" || !url.startsWith(id, cut)) return [prefix, url.slice(cut)]
    const end = Math.max(cut + id.length, url.lastIndexOf("=") + 1)
    return [prefix, middles.index(url.slice(cut + id.length, end)), url.slice(end)]
  }

  const parses = httpUrlParser()

  // With a pipeline-built analysis, an asset the page does not show is judged from the columns (is it
  // among the worst low-quality ones?) and never built: at 1M assets, about half of them.
  const glance = Pipeline.glance(analysis)
  const noteLow = (id: string, score: number | null, position: number, isWanted: boolean) => {
    low.push({ id, score: score ?? Number.POSITIVE_INFINITY, value: position })
    // Keep only the worst few as we go, so memory stays bounded.
    if (low.length >= 4 * LOW_QUALITY_LIMIT) low = low.sort(worstFirst).slice(0, LOW_QUALITY_LIMIT)
    if (!isWanted && heldFrom === Number.POSITIVE_INFINITY) heldFrom = position
  }

  // `row.asset` is read only when needed: reading it builds the asset (see `LazyRow`).
  const asset = (row: Pick<Row, "asset" | "position">): ReadonlyArray<DataElement> => {
    const { position } = row
    if (named.size > 0) {
      const id = glance !== undefined ? glance.id(position) : row.asset.id
      if (named.get(id) === -1) {
        named.set(id, position)
        if (rows[position] === NOT_SHOWN) rows[position] = UNWRITTEN
      }
    }
    // Only wanted assets are marked during the walk (low-quality ones join in `tail`).
    const isWanted = rows[position] !== NOT_SHOWN
    if (!isWanted && glance !== undefined) {
      if ((glance.flagMask(position) & LOW_QUALITY_BIT) !== 0)
        noteLow(glance.id(position), glance.score(position), position, false)
      return NONE
    }
    const a = row.asset
    if (isWanted && a.groupId !== null) compare(a, position)
    if (a.flags.includes("low_quality")) noteLow(a.id, a.score, position, isWanted)
    if (!isWanted) return NONE
    if (position < heldFrom) {
      const made = rowOf(a, position)
      return made === undefined ? NONE : add(made)
    }
    shown.push(position)
    return NONE
  }

  // Rows go into this block's columns until it is full.
  let pending = emptyAssetBlock(metricNames.length)
  const block = (): ReadonlyArray<DataElement> => {
    const [index, details] = splitAssetBlock(pending)
    pending = emptyAssetBlock(metricNames.length)
    return [
      { holds: "assets", json: JSON.stringify(index) },
      { holds: "details", json: JSON.stringify(details) }
    ]
  }
  const add = (row: AssetRow): ReadonlyArray<DataElement> => {
    pushAssetRow(pending, row)
    return pending[ASSET.id].length === BLOCK_ROWS ? block() : NONE
  }
  // Each shown asset's fields are set here, then copied into the block (one array for every row).
  const scratch = new Array(ASSET_FIELDS.length) as unknown as AssetRow

  const rowOf = (a: Analysis.AssetInfo, position: number): AssetRow | undefined => {
    if (isWritten(position)) return undefined
    // Filled by field name, into the one row array: this runs for most shown assets.
    scratch[ASSET.id] = a.id
    scratch[ASSET.fileName] = a.fileName
    scratch[ASSET.mimeType] = strings.index(a.mimeType)
    scratch[ASSET.wall] = a.takenAt.wall
    scratch[ASSET.offsetMinutes] = a.takenAt.offsetMinutes
    scratch[ASSET.camera] = a.camera === null ? null : strings.index(a.camera)
    scratch[ASSET.rating] = a.rating
    scratch[ASSET.favorite] = a.favorite ? 1 : 0
    scratch[ASSET.width] = a.width
    scratch[ASSET.height] = a.height
    scratch[ASSET.fileSize] = a.fileSize
    scratch[ASSET.people] = a.people.map(strings.index)
    scratch[ASSET.faceCount] = a.faceCount
    scratch[ASSET.description] = a.description
    scratch[ASSET.thumb] = thumb(
      safeImageUrl(options.thumbnailLink?.(a) ?? options.thumbnails?.get(a.id) ?? a.thumbnailUrl, parses),
      a.id
    )
    scratch[ASSET.score] = round4(a.score)
    scratch[ASSET.flags] = mask(a.flags, FLAG_NAMES)
    scratch[ASSET.metrics] = metricNames.map((name) => precise(own(a.metrics, name)))
    scratch[ASSET.hasGps] = a.hasGps ? 1 : 0
    scratch[ASSET.hasExif] = a.hasExif ? 1 : 0
    scratch[ASSET.group] = a.groupId !== null ? (groupIndex.get(a.groupId) ?? -1) : -1
    scratch[ASSET.cameraTime] = a.cameraTime ? 1 : 0
    scratch[ASSET.autoStackId] = a.autoStackId === null ? null : strings.index(a.autoStackId)
    write(position)
    return scratch
  }
  const tail = function* (): Generator<DataElement> {
    low = low.sort(worstFirst).slice(0, LOW_QUALITY_LIMIT)
    const lowPositions = low.map((c) => c.value)
    let previous = -1
    const held = low.map((c) => c.value).filter((position) => position >= heldFrom)
    for (const position of [...shown, ...held].sort((x, y) => x - y)) {
      if (position === previous) continue
      previous = position
      const a = analysis.assets.at(position)
      const made = a === undefined ? undefined : rowOf(a, position)
      if (made !== undefined) yield* add(made)
    }
    // Referenced but never decoded (not expected): show the id rather than fail. Group members first,
    // then anomalies, each id once.
    for (const [id, position] of named) {
      if (position >= 0) continue
      yield* add(toRow(ASSET_FIELDS, unknownAsset(id, strings.index(""))))
      missing.set(id, written++)
    }
    if (pending[ASSET.id].length > 0) yield* block()
    /** The row number of the asset at `position`, else of the missing asset `id`, or -1. */
    const ref = (position: number, id: string): number =>
      position >= 0 ? rowAt(position) : (missing.get(id) ?? -1)

    // The report's identity: its time, its sources, every group block and the strings and lists they refer to.
    const identity = createHash("sha256").update(
      JSON.stringify([options.metadata.generatedAt, options.metadata.sources])
    )
    // Members' reasons and would-lose notes as lists of strings' indexes, each list once.
    const lists = interner<ReadonlyArray<number>>((list) => list.join(","))
    let groupRows: Array<GroupRow> = []
    for (const [k, group] of analysis.groups.entries()) {
      const shots: Array<string> = []
      // A shot's still is the member its shot is named after, else its first member; companions follow it.
      const stills = new Set(group.members.filter((m) => m.assetId === m.shotId).map((m) => m.shotId))
      const members = group.members.map((member, j) => {
        const still =
          member.assetId === member.shotId || (!stills.has(member.shotId) && !shots.includes(member.shotId))
        let shot = shots.indexOf(member.shotId)
        if (shot < 0) shot = shots.push(member.shotId) - 1
        // Filled by field name, as asset rows are.
        const row = new Array(MEMBER_FIELDS.length) as unknown as MemberRow
        const position = memberAt(k, j, member.assetId)
        row[MEMBER.asset] = ref(position, member.assetId)
        row[MEMBER.shot] = shot
        row[MEMBER.rank] = member.rank
        row[MEMBER.score] = round4(member.score)
        row[MEMBER.margin] = round4(member.margin)
        row[MEMBER.recommendation] = Math.max(0, RECOMMENDATIONS.indexOf(member.recommendation))
        row[MEMBER.reasons] = member.reasons.map(strings.index)
        row[MEMBER.wouldLose] = member.wouldLose.map(strings.index)
        row[MEMBER.sameBytesAsKeeper] = sameAsKeeper(position) ? 1 : 0
        row[MEMBER.still] = still ? 1 : 0
        return row
      })
      const keeperMember = Math.max(
        0,
        group.members.findIndex((m) => m.assetId === group.keeper)
      )
      const row = toRow<typeof GROUP_FIELDS, GroupFields>(GROUP_FIELDS, {
        id: group.id,
        kind: group.kind === "exact" ? 0 : 1,
        evidence: mask(group.evidence, EVIDENCE_NAMES),
        shotCount: group.shotCount,
        keeper: keeperMember,
        reclaimableBytes: group.reclaimableBytes,
        from: group.timeSpan.from,
        to: group.timeSpan.to,
        members,
        decidedByYou: group.decidedBy === "you" ? 1 : 0,
        notes: group.notes ?? []
      })
      groupRows.push(row)
      if (groupRows.length === BLOCK_ROWS || k === analysis.groups.length - 1) {
        const json = JSON.stringify(groupBlock(groupRows, lists.index))
        identity.update(json)
        yield { holds: "groups", json }
        groupRows = []
      }
    }
    identity.update(JSON.stringify([strings.values, lists.values]))

    const rest: PageMeta = {
      meta: {
        tool: options.metadata.tool.name,
        version: options.metadata.tool.version,
        generatedAt: options.metadata.generatedAt,
        sources: options.metadata.sources.map(describeSource),
        formats: options.formats ?? [],
        keptThumbnails: options.thumbnails !== undefined,
        identity: identity.digest("base64url").slice(0, 22),
        assetLink: assetLink(options.metadata.sources)
      },
      options: {
        reviewMargin: analysis.options.reviewMargin,
        burstGapSeconds: analysis.options.burstGapSeconds,
        lowQualityThresholds: analysis.options.lowQualityThresholds,
        lowQualityPercentile: analysis.options.lowQualityPercentile,
        canMergeGps: analysis.options.canMergeGps !== false
      },
      summary: analysis.summary,
      evidenceNames: EVIDENCE_NAMES,
      flagNames: FLAG_NAMES,
      recommendationNames: RECOMMENDATIONS,
      metricNames,
      strings: strings.values,
      lists: lists.values,
      thumbPrefixes: prefixes.values,
      thumbMiddles: middles.values,
      metrics: analysis.metrics,
      lowQuality: { total: analysis.summary.lowQuality, items: lowPositions.map(rowAt) },
      timezone: {
        total: analysis.timezoneAnomalies.length,
        items: anomalies.map(
          (anomaly) => [anomaly.assetIds.map((id) => ref(named.get(id) ?? -1, id)), anomaly.reason] as const
        )
      },
      rejected: {
        total: analysis.rejected.length,
        items: analysis.rejected
          .slice(0, ISSUE_LIMIT)
          .map((r) => [r.index, r.id ?? null, r.album ?? null, r.reason] as const)
      }
    }
    yield { holds: "meta", json: JSON.stringify({ v: 4, ...rest }) }
  }
  return { asset, tail }
}
