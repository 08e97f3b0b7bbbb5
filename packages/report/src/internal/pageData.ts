/**
 * The shape of the data report.html embeds, shared by its writer (`htmlData.ts`) and the page script
 * (`src/client/`). Rows are arrays to keep a 100k-group page light; each layout is one ordered list of
 * field names, and both sides address a field by name (`row[ASSET.fileName]`), never by a bare number.
 * What repeats across a 1M-asset page is stored once: text shared by many rows (MIME types, cameras,
 * people, stack ids, ranking reasons) in `strings`, and the shared parts of thumbnail URLs in
 * `thumbPrefixes` and `thumbMiddles`.
 */
import type { Analysis } from "@albumsift/core"

/**
 * The class of the non-executable `<script type="application/json">` elements that hold the data: its
 * JSON text in parts, to be joined in document order. Chromium's HTML parser takes one large text
 * element at a cost that grows faster than its length (a 1M-asset page, 156 MB of data: ready in
 * 7.5–10 s as one element, 6.0–6.4 s in parts of 256 KiB; bench/NOTES.md, twelfth round).
 */
export const DATA_CLASS = "albumsift-data"

type IndexOf<
  Names extends ReadonlyArray<string>,
  Name,
  Seen extends Array<unknown> = []
> = Names extends readonly [infer Head, ...infer Rest extends ReadonlyArray<string>]
  ? Head extends Name
    ? Seen["length"]
    : IndexOf<Rest, Name, [...Seen, Head]>
  : never

/** Field name to position, with literal types so `row[ASSET.rating]` has the rating's type. */
type Positions<Names extends ReadonlyArray<string>> = {
  readonly [Name in Names[number]]: IndexOf<Names, Name>
}

/** The row tuple: the type of each named field, in list order. */
type Row<Names extends ReadonlyArray<string>, Fields> = {
  -readonly [I in keyof Names]: Names[I] extends keyof Fields ? Fields[Names[I]] : never
}

const positions = <const Names extends ReadonlyArray<string>>(names: Names): Positions<Names> =>
  Object.fromEntries(names.map((name, i) => [name, i])) as Positions<Names>

/** Builds a row from named fields, in the layout's order. */
export const toRow = <const Names extends ReadonlyArray<keyof Fields & string>, Fields>(
  names: Names,
  fields: Fields
): Row<Names, Fields> => names.map((name) => fields[name]) as Row<Names, Fields>

/**
 * A thumbnail URL in parts: `[p, rest]` is `thumbPrefixes[p] + rest` (p = -1: no prefix, the whole URL);
 * `[p, m, tail]` is `thumbPrefixes[p] + <the asset's id> + thumbMiddles[m] + tail`.
 */
export type Thumb = readonly [number, string] | readonly [number, number, string]

/** A shown asset. */
export interface AssetFields {
  readonly id: string
  readonly fileName: string
  /** Index in `strings`. */
  readonly mimeType: number
  /** Local wall-clock capture time, `""` when unknown. */
  readonly wall: string
  readonly offsetMinutes: number | null
  /** Index in `strings`, or null. */
  readonly camera: number | null
  readonly rating: number | null
  readonly favorite: 0 | 1
  readonly width: number | null
  readonly height: number | null
  readonly fileSize: number | null
  /** Indexes in `strings`. */
  readonly people: ReadonlyArray<number>
  readonly faceCount: number
  readonly description: string | null
  /** A URL, or null: see `Thumb`. */
  readonly thumb: Thumb | null
  readonly score: number | null
  /** Bit i set: the asset carries `flagNames[i]`. */
  readonly flags: number
  /** By `metricNames`. */
  readonly metrics: ReadonlyArray<number | null>
  readonly hasGps: 0 | 1
  readonly hasExif: 0 | 1
  /** Index in `groups`, -1 when ungrouped. */
  readonly group: number
  readonly cameraTime: 0 | 1
  /** Index in `strings`, or null. */
  readonly autoStackId: number | null
}
/** The asset row's fields, in order. */
export const ASSET_FIELDS = [
  "id",
  "fileName",
  "mimeType",
  "wall",
  "offsetMinutes",
  "camera",
  "rating",
  "favorite",
  "width",
  "height",
  "fileSize",
  "people",
  "faceCount",
  "description",
  "thumb",
  "score",
  "flags",
  "metrics",
  "hasGps",
  "hasExif",
  "group",
  "cameraTime",
  "autoStackId"
] as const satisfies ReadonlyArray<keyof AssetFields>
/** Asset field name to position. */
export const ASSET = positions(ASSET_FIELDS)
/** An asset row. */
export type AssetRow = Row<typeof ASSET_FIELDS, AssetFields>

/** One member of a group. */
export interface MemberFields {
  /** Index in `assets`. */
  readonly asset: number
  /** Members of one shot share this number (0 for the group's first shot). */
  readonly shot: number
  readonly rank: number
  readonly score: number | null
  readonly margin: number | null
  /** Index in `recommendationNames`. */
  readonly recommendation: number
  /** Indexes in `strings`. */
  readonly reasons: ReadonlyArray<number>
  /** Indexes in `strings`. */
  readonly wouldLose: ReadonlyArray<number>
  /** 1 when its bytes equal the keeper's. */
  readonly sameBytesAsKeeper: 0 | 1
  /** 1 for the shot's still; its other members (a Live Photo video, a RAW file) are its companions. */
  readonly still: 0 | 1
}
/** The member row's fields, in order. */
export const MEMBER_FIELDS = [
  "asset",
  "shot",
  "rank",
  "score",
  "margin",
  "recommendation",
  "reasons",
  "wouldLose",
  "sameBytesAsKeeper",
  "still"
] as const satisfies ReadonlyArray<keyof MemberFields>
/** Member field name to position. */
export const MEMBER = positions(MEMBER_FIELDS)
/** A member row. */
export type MemberRow = Row<typeof MEMBER_FIELDS, MemberFields>

/** One duplicate group. */
export interface GroupFields {
  readonly id: string
  /** 0 exact, 1 near. */
  readonly kind: number
  /** Bit i set: the group has `evidenceNames[i]`. */
  readonly evidence: number
  readonly shotCount: number
  /** Index of the keeper in `members`. */
  readonly keeper: number
  readonly reclaimableBytes: number
  readonly from: string
  readonly to: string
  readonly members: ReadonlyArray<MemberRow>
  /** 1 when a decisions file (`--decisions`) decided it, else 0. */
  readonly decidedByYou: 0 | 1
  /** Notes about earlier decisions, e.g. a new copy joining a not-duplicates set. */
  readonly notes: ReadonlyArray<string>
}
/** The group row's fields, in order. */
export const GROUP_FIELDS = [
  "id",
  "kind",
  "evidence",
  "shotCount",
  "keeper",
  "reclaimableBytes",
  "from",
  "to",
  "members",
  "decidedByYou",
  "notes"
] as const satisfies ReadonlyArray<keyof GroupFields>
/** Group field name to position. */
export const GROUP = positions(GROUP_FIELDS)
/** A group row. */
export type GroupRow = Row<typeof GROUP_FIELDS, GroupFields>

/** Member recommendations by index. */
export const RECOMMENDATIONS = [
  "keep",
  "discard",
  "review"
] as const satisfies ReadonlyArray<Analysis.Recommendation>

/** Everything but the rows. */
export interface PageMeta {
  readonly meta: {
    readonly tool: string
    readonly version: string
    readonly generatedAt: string
    readonly sources: ReadonlyArray<string>
    readonly formats: ReadonlyArray<string>
    readonly keptThumbnails: boolean
    /** Names this report (its time, sources and groups): the page keeps its decisions under it. */
    readonly identity: string
    /** A member's page on its server is this plus its asset id (Immich: `<base>/photos/`), or null. */
    readonly assetLink: string | null
  }
  readonly options: {
    readonly reviewMargin: number
    readonly burstGapSeconds: number
    readonly lowQualityThresholds: Readonly<Record<string, number>>
    readonly lowQualityPercentile: number
  }
  readonly summary: Analysis.Summary
  readonly evidenceNames: ReadonlyArray<Analysis.Evidence>
  readonly flagNames: ReadonlyArray<Analysis.QualityFlag>
  readonly recommendationNames: ReadonlyArray<Analysis.Recommendation>
  readonly metricNames: ReadonlyArray<string>
  /** MIME types, cameras, people, stack ids, reasons and would-lose notes, each once; rows refer to them by index. */
  readonly strings: ReadonlyArray<string>
  readonly thumbPrefixes: ReadonlyArray<string>
  /** What follows the asset id in its thumbnail URL, up to the URL's last `=` (see `Thumb`). */
  readonly thumbMiddles: ReadonlyArray<string>
  readonly metrics: ReadonlyArray<Analysis.MetricStats>
  /** Indexes in `assets`, worst first. */
  readonly lowQuality: { readonly total: number; readonly items: ReadonlyArray<number> }
  /** `[asset indexes, reason]`. */
  readonly timezone: {
    readonly total: number
    readonly items: ReadonlyArray<readonly [ReadonlyArray<number>, string]>
  }
  /** `[input index, id, album, reason]`. */
  readonly rejected: {
    readonly total: number
    readonly items: ReadonlyArray<readonly [number, string | null, string | null, string]>
  }
}

/** The embedded object. */
export interface PageData extends PageMeta {
  readonly v: 2
  readonly assets: ReadonlyArray<AssetRow>
  readonly groups: ReadonlyArray<GroupRow>
}

/** The asset's thumbnail URL as written (not yet checked for safety), or null. */
export const thumbUrl = (data: PageMeta, a: AssetRow): string | null => {
  const t = a[ASSET.thumb]
  if (t === null) return null
  const prefix = data.thumbPrefixes[t[0]] ?? ""
  return t.length === 2 ? prefix + t[1] : prefix + a[ASSET.id] + (data.thumbMiddles[t[1]] ?? "") + t[2]
}

/** The asset's MIME type. */
export const mimeTypeOf = (data: PageMeta, a: AssetRow): string => data.strings[a[ASSET.mimeType]] ?? ""

/** The asset's camera, or null. */
export const cameraOf = (data: PageMeta, a: AssetRow): string | null => {
  const i = a[ASSET.camera]
  return i === null ? null : (data.strings[i] ?? "")
}

/** The people in the asset. */
export const peopleOf = (data: PageMeta, a: AssetRow): Array<string> =>
  a[ASSET.people].map((i) => data.strings[i] ?? "")

/** The member's ranking reasons. */
export const reasonsOf = (data: PageMeta, m: MemberRow): Array<string> =>
  m[MEMBER.reasons].map((i) => data.strings[i] ?? "")

/** What the member would lose if discarded. */
export const wouldLoseOf = (data: PageMeta, m: MemberRow): Array<string> =>
  m[MEMBER.wouldLose].map((i) => data.strings[i] ?? "")
