/**
 * The result of an albumsift run, as plain data.
 *
 * `Analysis` is the one shape the reports (HTML, CSV, JSON), the CLI summary and library users
 * all read. It is versioned: a change that removes or renames a field bumps `SCHEMA_VERSION`.
 * Everything here is JSON-safe (no Dates, Maps or classes), so `JSON.stringify` round-trips it.
 */

import type { Decisions } from "./Decisions.js"

/**
 * Version of the `Analysis` shape; report.json carries it as `schema_version`.
 *
 * @since 0.1.0
 */
export const SCHEMA_VERSION = 1 as const

/**
 * The evidence registry: every signal that can put shots in one group, in the order reports list
 * them (and grouping runs them). Everything else (types, reports, the page) reads this list.
 * - `checksum`: identical content hash (an exact copy).
 * - `auto_stack_id`: the same camera burst id (`exif.auto_stack_id`).
 * - `capture_time`: consecutive shots from one camera within the burst gap.
 * - `stack`: the server already stacked them (Immich `stack`, Gumnut `stack_id`).
 * - `immich_duplicate`: Immich's own CLIP-based duplicate group (`duplicateId`).
 *
 * @since 0.1.0
 */
export const EVIDENCE = ["checksum", "auto_stack_id", "capture_time", "stack", "immich_duplicate"] as const

/**
 * A signal that put shots in one group (see `EVIDENCE`).
 *
 * @since 0.1.0
 */
export type Evidence = (typeof EVIDENCE)[number]

/**
 * The group kinds, in report order: `exact` when every shot's primary (the still it is shown by) has
 * the same bytes, so the shots are one picture (a Live Photo re-uploaded whole too); `near` otherwise.
 *
 * @since 0.2.0
 */
export const GROUP_KINDS = ["exact", "near"] as const

/** `exact` when every shot's primary has one checksum (same bytes); `near` otherwise. @since 0.1.0 */
export type GroupKind = (typeof GROUP_KINDS)[number]

/**
 * The recommendation registry, in report order (a recommendation's code in compact rows is its index).
 *
 * @since 0.2.0
 */
export const RECOMMENDATIONS = ["keep", "discard", "review"] as const

/** What albumsift suggests for one member of a group. @since 0.1.0 */
export type Recommendation = (typeof RECOMMENDATIONS)[number]

/**
 * The quality-flag registry, in report order (bit k of a flag mask is `QUALITY_FLAGS[k]`).
 * - `low_quality`: bottom of the album on the composite score, or below a user threshold;
 * - `rejected_rating`: rated -1 (rejected) by the user or camera;
 * - `missing_metrics`: no numeric ML metric at all;
 * - `missing_exif`: no camera EXIF (no make/model/original time);
 * - `timezone_anomaly`: see `TimezoneAnomaly`.
 *
 * @since 0.2.0
 */
export const QUALITY_FLAGS = [
  "low_quality",
  "rejected_rating",
  "missing_metrics",
  "missing_exif",
  "timezone_anomaly"
] as const

/** Per-asset quality flags (see `QUALITY_FLAGS`). @since 0.1.0 */
export type QualityFlag = (typeof QUALITY_FLAGS)[number]

/**
 * An input item that could not be decoded. The rest of the album is still analysed.
 *
 * @since 0.1.0
 */
export interface Rejected {
  /** 0-based position of the item in its input (per album when read from a server). */
  readonly index: number
  /** The item's `id`, when it had a readable one. */
  readonly id?: string
  /** The album it came from, when read from a server. */
  readonly album?: string
  /** Why, naming the field path, e.g. `checksum: Expected string, actual null` or `device_asset_id: is missing`. */
  readonly reason: string
}

/**
 * A time the camera wrote, as given: wall clock plus the offset when the source stated one.
 *
 * @since 0.1.0
 */
export interface CaptureTime {
  /** The timestamp exactly as the source gave it. */
  readonly raw: string
  /** Wall-clock time, ISO without zone: `2024-02-25T06:57:27.660`. */
  readonly wall: string
  /** Offset from UTC in minutes when stated (`Z` is 0), else null. Never invented. */
  readonly offsetMinutes: number | null
}

/**
 * One decoded asset, projected to what grouping, ranking and reports need.
 *
 * @since 0.1.0
 */
export interface AssetInfo {
  readonly id: string
  /** Position in the input of the first occurrence (per album when read from a server). */
  readonly index: number
  /** Albums this asset was listed in (empty when read from a file). */
  readonly albums: ReadonlyArray<string>
  readonly fileName: string
  readonly mimeType: string
  /** The content hash as given (base64). */
  readonly checksum: string
  /** The capture time used for grouping (EXIF original time, else `local_datetime`). */
  readonly takenAt: CaptureTime
  /** True when `takenAt` came from a camera (EXIF make/model present), not a file or upload time. */
  readonly cameraTime: boolean
  /** `make model` from EXIF, or null. */
  readonly camera: string | null
  readonly deviceId: string
  readonly autoStackId: string | null
  readonly livePhotoCid: string | null
  /** Stars 1..5, -1 for rejected, null for unrated (0 and out-of-range values are unrated). */
  readonly rating: number | null
  readonly favorite: boolean
  /** Numeric ML metrics only (nulls dropped). */
  readonly metrics: Readonly<Record<string, number>>
  readonly width: number | null
  readonly height: number | null
  readonly fileSize: number | null
  readonly hasExif: boolean
  readonly hasGps: boolean
  readonly description: string | null
  /** Names (or ids when unnamed) of people recognised in the asset. */
  readonly people: ReadonlyArray<string>
  readonly faceCount: number
  /** Thumbnail URL (pre-signed, may expire) or a path relative to the report. */
  readonly thumbnailUrl: string | null
  readonly createdAt: string
  /** The shot this asset belongs to (companions share one). */
  readonly shotId: string
  /** The group it is in, or null. */
  readonly groupId: string | null
  /** Composite quality score in [0,1], null when the asset has no rating and no metrics. */
  readonly score: number | null
  readonly flags: ReadonlyArray<QualityFlag>
}

/**
 * One asset's place in a group. Companions of one shot share rank and recommendation.
 *
 * @since 0.1.0
 */
export interface Member {
  readonly assetId: string
  readonly shotId: string
  /** 1 = the keeper's shot. Shots are ranked; companions share their shot's rank. */
  readonly rank: number
  /** Composite score used for ranking, in [0,1]; null when nothing was known. */
  readonly score: number | null
  /** Keeper score minus this score (0 for the keeper); null when either is unknown. */
  readonly margin: number | null
  readonly recommendation: Recommendation
  /** Human-readable reasons, e.g. `rating 2 vs 5`, `liqe_mix at 38th vs 97th percentile`. */
  readonly reasons: ReadonlyArray<string>
  /** For `review`: what would be lost if this member were discarded and cannot be merged (people, faces, RAW file...). */
  readonly wouldLose: ReadonlyArray<string>
  /** What the keeper lacks and `apply` merges into it before discarding this member (albums, rating, gps...). @since 0.2.0 */
  readonly wouldMerge?: ReadonlyArray<string> | undefined
}

/**
 * A set of two or more shots that look like copies or near-copies of one photo.
 *
 * @since 0.1.0
 */
export interface Group {
  /** Stable id derived from content (not input order), e.g. `g-0a1b2c3d4e5f60`. */
  readonly id: string
  readonly kind: GroupKind
  /** The signals that joined its shots, sorted as in `EVIDENCE`. */
  readonly evidence: ReadonlyArray<Evidence>
  /** Number of shots (>= 2). */
  readonly shotCount: number
  /** Members sorted by rank, then asset id. */
  readonly members: ReadonlyArray<Member>
  /** Asset id of the keeper (the rank-1 shot's primary asset). */
  readonly keeper: string
  /** Bytes freed by removing every `discard` member, counting only known sizes. */
  readonly reclaimableBytes: number
  /** Earliest and latest capture wall time among members. */
  readonly timeSpan: { readonly from: string; readonly to: string }
  /** Who decided its recommendations (see `DecidedBy`); absent means `suggested`. @since 0.2.0 */
  readonly decidedBy?: DecidedBy
  /** Notes for the reviewer about earlier decisions, e.g. a new copy joining a not-duplicates set. @since 0.2.0 */
  readonly notes?: ReadonlyArray<string>
}

/**
 * A group's ids only, for walks that read no ranking (see `Pipeline.groupOutlines`).
 *
 * @since 0.2.0
 */
export interface GroupOutline {
  readonly id: string
  /** Asset id of the keeper. */
  readonly keeper: string
  /** Asset ids of the members, in `members` order (from the pipeline, built on each read: read it once per walk). */
  readonly memberIds: ReadonlyArray<string>
}

/**
 * Where each group's members sit in `analysis.assets`, as positions (indexes), for walks that must
 * find members again without keeping their ids: group k (in `analysis.groups` order) has its members,
 * in `members` order, at `members[start[k]]` up to `members[start[k + 1]]`, and its keeper at
 * `keeper[k]`.
 *
 * @since 0.2.0
 */
export interface GroupPositions {
  readonly start: Int32Array
  readonly members: Int32Array
  readonly keeper: Int32Array
}

/**
 * What a walk of `analysis.assets` may need of the asset at a position without building its
 * `AssetInfo` (see `Pipeline.glance`): the same values its `id`, `score` and `flags` have.
 *
 * @since 0.2.0
 */
export interface AssetGlance {
  readonly id: (position: number) => string
  readonly score: (position: number) => number | null
  /** Its quality flags as a mask: bit k set for `QUALITY_FLAGS[k]`. */
  readonly flagMask: (position: number) => number
}

/**
 * Who decided a group: `suggested` (albumsift's ranking) or `you` (a decision the reviewer made,
 * read from a decisions file; its members carry the reason `your choice`).
 *
 * @since 0.2.0
 */
export type DecidedBy = "suggested" | "you"

/**
 * A decision from the decisions file that no longer fits the album (its members all gone, split
 * across groups, or no longer grouped). Listed, never silently dropped.
 *
 * @since 0.2.0
 */
export interface StaleDecision {
  /** The decision's members, as in the file. */
  readonly members: ReadonlyArray<string>
  readonly keep?: ReadonlyArray<string>
  readonly notDuplicates?: boolean
  /** Why it no longer applies, e.g. `members are split across 2 groups`. */
  readonly reason: string
}

/** How the decisions given to the run fared. @since 0.2.0 */
export interface DecisionsSummary {
  /** Decisions in the file. */
  readonly given: number
  /** Keep decisions that decided a group, and not-duplicates decisions whose members were kept apart. */
  readonly applied: number
  /** Keep decisions already carried out: only kept members are left, and none is grouped. */
  readonly settled: number
  /** Decisions that no longer fit (see `StaleDecision`). */
  readonly stale: number
  /** Groups decided by `you`. */
  readonly decidedGroups: number
}

/**
 * Summary statistics of one metric across the album.
 *
 * @since 0.1.0
 */
export interface MetricStats {
  readonly name: string
  readonly count: number
  readonly missing: number
  readonly min: number | null
  readonly q1: number | null
  readonly median: number | null
  readonly q3: number | null
  readonly max: number | null
  readonly mean: number | null
  readonly stdev: number | null
  /** Lower-is-better metrics are inverted before ranking. */
  readonly lowerIsBetter: boolean
  /** Equal-width bins from min to max. */
  readonly histogram: ReadonlyArray<{ readonly from: number; readonly to: number; readonly count: number }>
}

/**
 * Copies of one checksum whose capture times differ by a whole number of hours, and similar.
 *
 * @since 0.1.0
 */
export interface TimezoneAnomaly {
  readonly assetIds: ReadonlyArray<string>
  /** e.g. `same checksum, capture time differs by 3h`. */
  readonly reason: string
}

/**
 * Album-wide figures.
 *
 * @since 0.1.0
 */
export interface Summary {
  /** Items read from the input, valid or not. */
  readonly inputItems: number
  /** Distinct decoded assets. */
  readonly assets: number
  /** Items whose id had been seen already (analysed once). */
  readonly duplicateIds: number
  readonly rejected: number
  readonly shots: number
  readonly groups: number
  readonly groupsByKind: Readonly<Record<GroupKind, number>>
  /** Groups that carry each evidence (a group may count under several). */
  readonly groupsByEvidence: Readonly<Record<Evidence, number>>
  readonly recommendations: Readonly<Record<Recommendation, number>>
  readonly reclaimableBytes: number
  readonly timezoneAnomalies: number
  readonly lowQuality: number
  /** Shares in [0,1] of assets with EXIF, with at least one metric, with a thumbnail. */
  readonly coverage: { readonly exif: number; readonly metrics: number; readonly thumbnails: number }
  /** How the decisions given fared; absent when none were given. @since 0.2.0 */
  readonly decisions?: DecisionsSummary
}

/**
 * Options as resolved for the run (defaults filled in), recorded so a report can be reproduced.
 *
 * @since 0.1.0
 */
export interface ResolvedOptions {
  /** Max seconds between consecutive shots of one camera for a `capture_time` edge. */
  readonly burstGapSeconds: number
  /** A capture-time chain stops growing after this many seconds from its first shot. */
  readonly maxBurstSpanSeconds: number
  /** Weights of score components: `rating` and metric names (default for unnamed metrics: `metric`). */
  readonly weights: Readonly<Record<string, number>>
  /** Metrics where a lower value is better. */
  readonly lowerIsBetter: ReadonlyArray<string>
  /** A non-keeper whose score is within this margin of the keeper gets `review`. */
  readonly reviewMargin: number
  /**
   * Assets in this bottom share of the album's composite scores are flagged `low_quality`: only when at
   * least 20 assets have a score, and never an asset rated 4 or 5 stars on this rule alone.
   */
  readonly lowQualityPercentile: number
  /** Explicit thresholds, e.g. `{ liqe_mix: 1.375 }`: a value below (above when lower-is-better) is low quality. */
  readonly lowQualityThresholds: Readonly<Record<string, number>>
  readonly histogramBins: number
  /** The reviewer's decisions (see `Decisions`): honoured keepers, not-duplicates kept apart. @since 0.2.0 */
  readonly decisions?: Decisions
  /**
   * Whether `apply` can merge GPS into a keeper on the server the album lives on (default true).
   * Immich cannot clear GPS, so undo could not take a merge back and apply never merges it there:
   * with `false`, GPS a copy carries and its keeper lacks is "would lose gps", and the copy `review`.
   * @since 0.2.0
   */
  readonly canMergeGps?: boolean
}

/**
 * The whole result.
 *
 * @since 0.1.0
 */
export interface Analysis {
  readonly schemaVersion: typeof SCHEMA_VERSION
  readonly options: ResolvedOptions
  readonly summary: Summary
  /**
   * Every distinct decoded asset, sorted by group (grouped first, by group id and rank), then id.
   * A read-only array whose elements are built on access from compact storage (so 1M assets do
   * not hold 1M objects): indexing, iteration, array methods and `JSON.stringify` work as usual,
   * but each access builds a fresh object (walk it once, and use `Array.from` for a plain copy).
   */
  readonly assets: ReadonlyArray<AssetInfo>
  /**
   * Groups sorted by earliest capture time, then id. Each group was ranked exactly once by the
   * pipeline, into a compact ranking; like `assets`, a read-only array whose elements are rebuilt
   * from it on access (cheap: reading never ranks again). Use `Array.from` for a plain copy.
   */
  readonly groups: ReadonlyArray<Group>
  readonly metrics: ReadonlyArray<MetricStats>
  readonly timezoneAnomalies: ReadonlyArray<TimezoneAnomaly>
  readonly rejected: ReadonlyArray<Rejected>
  /** Decisions that no longer fit the album; empty (or absent, from older builds) when none were given. @since 0.2.0 */
  readonly staleDecisions?: ReadonlyArray<StaleDecision>
}
