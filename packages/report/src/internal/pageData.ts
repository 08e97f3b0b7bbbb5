/**
 * The shape of the data report.html embeds, shared by its writer (`htmlData.ts`) and the page script
 * (`src/client/`). Each layout is one ordered list of field names, and both sides address a field by
 * name (`row[ASSET.fileName]`), never by a bare number. What repeats across a 1M-asset page is stored
 * once: text shared by many rows (MIME types, cameras, people, stack ids, ranking reasons) in `strings`,
 * the shared parts of thumbnail URLs in `thumbPrefixes` and `thumbMiddles`.
 *
 * Layout 4. The data is in many non-executable `<script type="application/json">` elements, each one
 * whole JSON value the page parses on its own: asset blocks (`BLOCK_ROWS` rows as columns, see
 * `AssetBlock`), each in two elements (its index columns, `ASSET_CLASS`, and its details,
 * `DETAIL_CLASS`), group blocks (`GROUP_CLASS`, `BLOCK_ROWS` groups and their members as columns, see
 * `GroupBlock`), then one element with the rest (`META_CLASS`, `PageMeta`). A row number (an asset's or
 * a group's) counts across the blocks: row i is row i % BLOCK_ROWS of block ⌊i / BLOCK_ROWS⌋. Why so,
 * on a 1M-asset page (138 MB of data; bench/NOTES.md, thirteenth and fourteenth rounds): Chromium's HTML
 * parser takes one large text element at a cost growing faster than its length; parsing the parts one
 * by one needs no joined copy; columns spare the parser an array for every row and its nested lists
 * (the asset blocks parse in 0.8 s where rows took 1.3 s, the groups in 0.35 s where rows took 0.7 s);
 * and a block's details (two thirds of its bytes: thumbnail URLs, metrics, scores…) are parsed only
 * when one of its rows is shown, which at 1M assets is a few dozen blocks of 530.
 */
import type { Analysis } from "@albumsift/core"

/** The class of the elements holding asset blocks' index columns (`INDEX_FIELDS`), in row order. */
export const ASSET_CLASS = "albumsift-assets"
/** The class of the elements holding asset blocks' other columns, one after each index element. */
export const DETAIL_CLASS = "albumsift-details"
/** The class of the elements holding group blocks, in group order. */
export const GROUP_CLASS = "albumsift-groups"
/** The class of the one element holding everything else (`PageMeta`). */
export const META_CLASS = "albumsift-meta"
/** Rows per asset block and per group block (the last may hold fewer). */
export const BLOCK_ROWS = 1024

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
  /** Row number of its group, -1 when ungrouped. */
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
/**
 * The asset fields the page reads for every row, not only for the rows it shows: search (ids, file
 * names, cameras, people), totals (sizes), the owner of each row, and the time-zone list (times). They
 * are parsed with the page; the other fields, a block's details, when the block's first row is shown.
 */
export const INDEX_FIELDS = [
  "id",
  "fileName",
  "wall",
  "offsetMinutes",
  "camera",
  "people",
  "fileSize",
  "group"
] as const satisfies ReadonlyArray<keyof AssetFields>
/** Index fields: readable in every row without its block's details. */
export type IndexField = (typeof INDEX_FIELDS)[number]
/** By position in `ASSET_FIELDS`: true for a detail field. */
const IS_DETAIL: ReadonlyArray<boolean> = ASSET_FIELDS.map(
  (name) => !(INDEX_FIELDS as ReadonlyArray<string>).includes(name)
)
/** An asset row. */
export type AssetRow = Row<typeof ASSET_FIELDS, AssetFields>

/** One member of a group. */
export interface MemberFields {
  /** Row number of the member's asset. */
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
    /** Whether apply can merge GPS into a keeper there (not on Immich). */
    readonly canMergeGps: boolean
  }
  readonly summary: Analysis.Summary
  readonly evidenceNames: ReadonlyArray<Analysis.Evidence>
  readonly flagNames: ReadonlyArray<Analysis.QualityFlag>
  readonly recommendationNames: ReadonlyArray<Analysis.Recommendation>
  readonly metricNames: ReadonlyArray<string>
  /** MIME types, cameras, people, stack ids, reasons and would-lose notes, each once; rows refer to them by index. */
  readonly strings: ReadonlyArray<string>
  /** Lists of indexes in `strings` (members' reasons and would-lose notes), each once; group blocks refer to them by index. */
  readonly lists: ReadonlyArray<ReadonlyArray<number>>
  readonly thumbPrefixes: ReadonlyArray<string>
  /** What follows the asset id in its thumbnail URL, up to the URL's last `=` (see `Thumb`). */
  readonly thumbMiddles: ReadonlyArray<string>
  readonly metrics: ReadonlyArray<Analysis.MetricStats>
  /** Asset row numbers, worst first. */
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

/**
 * An asset block: `BLOCK_ROWS` asset rows (fewer in the last block) as columns, in `ASSET_FIELDS` order.
 * Column `f` holds field `f` of each row, except four fields stored so that no row needs an array or
 * a string of its own: `people` is null where the row's list is empty; `thumb` is three columns (prefix,
 * middle or -1 for a two-part URL, rest or null for none; see `Thumb`); `metrics` is one column per
 * name in `metricNames`; `wall` is `WallColumns`. `score` is in ten-thousandths (see `toTenThousandths`).
 */
export type AssetBlock = {
  -readonly [I in keyof typeof ASSET_FIELDS]: (typeof ASSET_FIELDS)[I] extends keyof AssetFields
    ? ColumnOf<(typeof ASSET_FIELDS)[I]>
    : never
}
/** An asset block as the page holds it: its detail columns are null until they are read (`withDetails`). */
export type PageAssetBlock = {
  -readonly [I in keyof AssetBlock]: (typeof ASSET_FIELDS)[I & keyof typeof ASSET_FIELDS] extends IndexField
    ? AssetBlock[I]
    : AssetBlock[I] | null
}
type ColumnOf<Name extends keyof AssetFields> = Name extends "people"
  ? Array<ReadonlyArray<number> | null>
  : Name extends "wall"
    ? WallColumns
    : Name extends "thumb"
      ? [Array<number>, Array<number>, Array<string | null>]
      : Name extends "metrics"
        ? Array<Array<number | null>>
        : Array<AssetFields[Name]>

/**
 * A group block: up to `BLOCK_ROWS` group rows as columns, in `GROUP_FIELDS` order, then their members'
 * rows as columns, in `MEMBER_FIELDS` order, group after group. In the group columns `members` holds
 * each group's member count and `notes` is null where a group has none; in the member columns `reasons`
 * and `wouldLose` are indexes in `lists`, `score` and `margin` ten-thousandths (see `toTenThousandths`).
 * `from` and `to` are each `WallColumns`.
 */
export type GroupBlock = [GroupColumns, MemberColumns]
export type GroupColumns = {
  -readonly [I in keyof typeof GROUP_FIELDS]: (typeof GROUP_FIELDS)[I] extends "members"
    ? Array<number>
    : (typeof GROUP_FIELDS)[I] extends "notes"
      ? Array<ReadonlyArray<string> | null>
      : (typeof GROUP_FIELDS)[I] extends "from" | "to"
        ? WallColumns
        : (typeof GROUP_FIELDS)[I] extends keyof GroupFields
          ? Array<GroupFields[(typeof GROUP_FIELDS)[I]]>
          : never
}

/**
 * Wall-clock times as two columns: a time as `core` writes it (`YYYY-MM-DDTHH:MM:SS`, plus `.mmm` when
 * not whole seconds) as its day since 1970-01-01 and its millisecond of that day, both small integers,
 * where the text would cost 26 bytes and a string each (≈740k at 1M assets); `""` as null; anything
 * else as itself, with null. `pushWall` adds one, `wallFrom` gives back the same text.
 */
export type WallColumns = [Array<number | string | null>, Array<number | null>]
export type MemberColumns = {
  -readonly [I in keyof typeof MEMBER_FIELDS]: (typeof MEMBER_FIELDS)[I] extends "reasons" | "wouldLose"
    ? Array<number>
    : (typeof MEMBER_FIELDS)[I] extends keyof MemberFields
      ? Array<MemberFields[(typeof MEMBER_FIELDS)[I]]>
      : never
}

/** The data as the page holds it: the meta element, and the asset and group blocks. */
export interface PageData extends PageMeta {
  readonly v: 4
  /**
   * The asset blocks. A block's detail columns are null until its details are read (`withDetails`):
   * read index fields with `assetField` and `assetWall`, whole rows with `assetRow`.
   */
  readonly assetBlocks: ReadonlyArray<PageAssetBlock>
  /** By asset block: its details' text, or how to get it, until they are read (then null). */
  readonly unreadDetails: Array<string | (() => string) | null>
  /** Asset rows in all blocks. */
  readonly assetCount: number
  readonly groupBlocks: ReadonlyArray<GroupBlock>
  /** By group block: where each group's members start in its member columns, and (last) where they end. */
  readonly memberStarts: ReadonlyArray<Int32Array>
  readonly groupCount: number
}

/** The elements' texts, in document order, by class. */
export interface PageTexts {
  readonly assets: ReadonlyArray<string>
  /** One per asset block; the page passes a function that reads its element when first needed. */
  readonly details: ReadonlyArray<string | (() => string)>
  readonly groups: ReadonlyArray<string>
  readonly meta: string
}

/** An asset block as two values, its index columns and its details, each with null in the other's places. */
export const splitAssetBlock = (block: AssetBlock): readonly [Array<unknown>, Array<unknown>] => {
  const columns = block as unknown as Array<unknown>
  return [
    columns.map((column, f) => (IS_DETAIL[f] ? null : column)),
    columns.map((column, f) => (IS_DETAIL[f] ? column : null))
  ]
}

/** Asset block `b`, its details read (once: the first call parses them into the block). */
const withDetails = (data: PageData, b: number): AssetBlock | undefined => {
  const block = data.assetBlocks[b] as AssetBlock | undefined
  const unread = data.unreadDetails[b]
  if (block === undefined || unread === null || unread === undefined) return block
  data.unreadDetails[b] = null
  const details = JSON.parse(typeof unread === "string" ? unread : unread()) as Array<unknown>
  const columns = block as unknown as Array<unknown>
  for (let f = 0; f < columns.length; f++) if (IS_DETAIL[f]) columns[f] = details[f]
  return block
}

/** Rows in blocks whose id columns are `ids` (every block but the last is full). */
const rowsIn = (ids: ReadonlyArray<ReadonlyArray<string>>): number => {
  const last = ids[ids.length - 1]
  return last === undefined ? 0 : (ids.length - 1) * BLOCK_ROWS + last.length
}

/** Parses the data, one element at a time. */
export const readPage = (texts: PageTexts): PageData => {
  const meta = JSON.parse(texts.meta) as PageMeta & { readonly v: 4 }
  // A page is read by its own script, so this holds unless the page was edited by hand.
  if (meta.v !== 4) throw new Error(`the page's data has layout ${meta.v}, not 4`)
  const assetBlocks = texts.assets.map((text) => JSON.parse(text) as PageAssetBlock)
  if (texts.details.length !== assetBlocks.length)
    throw new Error(`the page has ${assetBlocks.length} asset blocks but ${texts.details.length} details`)
  const groupBlocks = texts.groups.map((text) => JSON.parse(text) as GroupBlock)
  const memberStarts = groupBlocks.map(([groups]) => {
    const counts = groups[GROUP.members]
    const starts = new Int32Array(counts.length + 1)
    for (let k = 0; k < counts.length; k++) starts[k + 1] = starts[k]! + counts[k]!
    return starts
  })
  return {
    ...meta,
    assetBlocks,
    unreadDetails: [...texts.details],
    assetCount: rowsIn(assetBlocks.map((block) => block[ASSET.id])),
    groupBlocks,
    memberStarts,
    groupCount: rowsIn(groupBlocks.map(([groups]) => groups[GROUP.id]))
  }
}

/** Row `j` of `columns`: each column's value there (the nested ones are then decoded by the caller). */
const valuesAt = <R>(columns: ReadonlyArray<unknown>, j: number): R =>
  (columns as ReadonlyArray<ReadonlyArray<unknown>>).map((column) => column[j]) as R

/** Plain group fields: one value per group in their column. */
export type PlainGroupField = Exclude<keyof GroupFields, "members" | "notes" | "from" | "to">

/** Field `name` of group `index` (not checked: `index` must be below `groupCount`). */
export const groupField = <Name extends PlainGroupField>(
  data: PageData,
  index: number,
  name: Name
): GroupFields[Name] =>
  (data.groupBlocks[Math.floor(index / BLOCK_ROWS)]![0][GROUP[name]] as Array<GroupFields[Name]>)[
    index % BLOCK_ROWS
  ]!

/** Where group `index`'s members are: its block's member columns, from `start` to before `end`. */
export const memberSpan = (
  data: PageData,
  index: number
): { readonly members: MemberColumns; readonly start: number; readonly end: number } => {
  const b = Math.floor(index / BLOCK_ROWS)
  const starts = data.memberStarts[b]!
  const k = index % BLOCK_ROWS
  return { members: data.groupBlocks[b]![1], start: starts[k]!, end: starts[k + 1]! }
}

/** Group row `index` in full, its members' lists spelled out as indexes in `strings`; undefined past the last. */
export const groupRow = (data: PageData, index: number): GroupRow | undefined => {
  const block = data.groupBlocks[Math.floor(index / BLOCK_ROWS)]
  const k = index % BLOCK_ROWS
  if (block === undefined || k >= block[0][GROUP.id].length || index < 0) return undefined
  const [groups, members] = block
  const row = valuesAt<GroupRow>(groups, k)
  row[GROUP.from] = wallAt(groups[GROUP.from], k)
  row[GROUP.to] = wallAt(groups[GROUP.to], k)
  row[GROUP.notes] = groups[GROUP.notes][k] ?? []
  const { start, end } = memberSpan(data, index)
  const list = (i: number | undefined) => data.lists[i ?? -1] ?? []
  row[GROUP.members] = Array.from({ length: end - start }, (_, j) => {
    const member = valuesAt<MemberRow>(members, start + j)
    member[MEMBER.reasons] = list(members[MEMBER.reasons][start + j])
    member[MEMBER.wouldLose] = list(members[MEMBER.wouldLose][start + j])
    member[MEMBER.score] = fromTenThousandths(members[MEMBER.score][start + j])
    member[MEMBER.margin] = fromTenThousandths(members[MEMBER.margin][start + j])
    return member
  })
  return row
}

/** Group rows as one block (the writer's side of `groupRow`); `listIndex` gives a list's index in `lists`. */
export const groupBlock = (
  rows: ReadonlyArray<GroupRow>,
  listIndex: (list: ReadonlyArray<number>) => number
): GroupBlock => {
  const groups = GROUP_FIELDS.map((_, f) => rows.map((row) => row[f])) as unknown as GroupColumns
  groups[GROUP.members] = rows.map((row) => row[GROUP.members].length)
  groups[GROUP.notes] = rows.map((row) => (row[GROUP.notes].length === 0 ? null : row[GROUP.notes]))
  for (const f of [GROUP.from, GROUP.to] as const) {
    const walls: WallColumns = [[], []]
    for (const row of rows) pushWall(walls, row[f])
    groups[f] = walls
  }
  const all = rows.flatMap((row) => row[GROUP.members])
  const members = MEMBER_FIELDS.map((_, f) => all.map((member) => member[f])) as unknown as MemberColumns
  members[MEMBER.reasons] = all.map((member) => listIndex(member[MEMBER.reasons]))
  members[MEMBER.wouldLose] = all.map((member) => listIndex(member[MEMBER.wouldLose]))
  members[MEMBER.score] = all.map((member) => toTenThousandths(member[MEMBER.score]))
  members[MEMBER.margin] = all.map((member) => toTenThousandths(member[MEMBER.margin]))
  return [groups, members]
}

/**
 * Scores and margins (rounded to 4 decimals) are stored as whole ten-thousandths: small integers the
 * parser keeps unboxed, where each decimal would be an object of its own (≈1.6M at 1M assets).
 */
export const toTenThousandths = (n: number | null): number | null => (n === null ? null : Math.round(n * 1e4))
/** The stored ten-thousandths back as the rounded number (the same double the writer rounded to). */
export const fromTenThousandths = (n: number | null | undefined): number | null =>
  n === null || n === undefined ? null : n / 1e4

/** Index fields with one value per row in their column, as the row holds it (no block's details read). */
export type PlainField = Exclude<IndexField, "people" | "wall">

/** The capture time of asset row `index` (not checked: `index` must be below `assetCount`). */
export const assetWall = (data: PageData, index: number): string => {
  return wallAt(data.assetBlocks[Math.floor(index / BLOCK_ROWS)]![ASSET.wall], index % BLOCK_ROWS)
}

const DAY_MS = 86_400_000
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** The number in `text` from `from` to before `to`, or -1 if it is not all ASCII digits. */
const digitsAt = (text: string, from: number, to: number): number => {
  let value = 0
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return -1
    value = value * 10 + digit
  }
  return value
}

/** Adds a wall-clock time to its two columns (see `WallColumns`). */
const pushWall = ([days, times]: WallColumns, wall: string): void => {
  const n = wall.length
  if (n === 19 || n === 23) {
    const y = digitsAt(wall, 0, 4)
    const m = digitsAt(wall, 5, 7)
    const d = digitsAt(wall, 8, 10)
    const h = digitsAt(wall, 11, 13)
    const mi = digitsAt(wall, 14, 16)
    const s = digitsAt(wall, 17, 19)
    const ms = n === 23 ? digitsAt(wall, 20, 23) : 0
    const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
    if (
      wall[4] === "-" &&
      wall[7] === "-" &&
      wall[10] === "T" &&
      wall[13] === ":" &&
      wall[16] === ":" &&
      (n === 19 || (wall[19] === "." && ms > 0)) &&
      y >= 0 &&
      m >= 1 &&
      m <= 12 &&
      d >= 1 &&
      d <= DAYS_IN_MONTH[m - 1]! + (m === 2 && leap ? 1 : 0) &&
      h >= 0 &&
      h < 24 &&
      mi >= 0 &&
      mi < 60 &&
      s >= 0 &&
      s < 60 &&
      ms >= 0
    ) {
      // Days from the civil date (H. Hinnant's days_from_civil), years counted from March.
      const yy = m <= 2 ? y - 1 : y
      const era = Math.floor(yy / 400)
      const yearOfEra = yy - era * 400
      const dayOfYear = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
      const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
      days.push(era * 146_097 + dayOfEra - 719_468)
      times.push(((h * 60 + mi) * 60 + s) * 1000 + ms)
      return
    }
  }
  days.push(wall === "" ? null : wall)
  times.push(null)
}

/** Row `j`'s wall-clock time in `columns`. */
const wallAt = ([days, times]: WallColumns, j: number): string => wallFrom(days[j], times[j])

/** A wall-clock time from its two columns' values (see `WallColumns`). */
export const wallFrom = (
  day: number | string | null | undefined,
  time: number | null | undefined
): string => {
  if (day === null || day === undefined) return ""
  if (typeof day === "string") return day
  const iso = new Date(day * DAY_MS + (time ?? 0)).toISOString()
  return (time ?? 0) % 1000 === 0 ? iso.slice(0, 19) : iso.slice(0, 23)
}

/** Field `name` of asset row `index` (not checked: `index` must be below `assetCount`). */
export const assetField = <Name extends PlainField>(
  data: PageData,
  index: number,
  name: Name
): AssetFields[Name] =>
  (data.assetBlocks[Math.floor(index / BLOCK_ROWS)]![ASSET[name]] as Array<AssetFields[Name]>)[
    index % BLOCK_ROWS
  ]!

/** Asset row `index` in full, or undefined past the last. */
export const assetRow = (data: PageData, index: number): AssetRow | undefined => {
  const j = index % BLOCK_ROWS
  const block = index < 0 ? undefined : withDetails(data, Math.floor(index / BLOCK_ROWS))
  if (block === undefined || j >= block[ASSET.id].length) return undefined
  const row = valuesAt<AssetRow>(block, j)
  row[ASSET.wall] = wallAt(block[ASSET.wall], j)
  row[ASSET.people] = block[ASSET.people][j] ?? []
  const [prefix, middle, rest] = block[ASSET.thumb]
  const tail = rest[j] ?? null
  row[ASSET.thumb] =
    tail === null ? null : middle[j]! < 0 ? [prefix[j]!, tail] : [prefix[j]!, middle[j]!, tail]
  row[ASSET.metrics] = block[ASSET.metrics].map((column) => column[j] ?? null)
  row[ASSET.score] = fromTenThousandths(block[ASSET.score][j])
  return row
}

/** An asset block without rows, with `metricCount` (`metricNames.length`) metric columns. */
export const emptyAssetBlock = (metricCount: number): AssetBlock => {
  const block = ASSET_FIELDS.map(() => []) as unknown as AssetBlock
  block[ASSET.wall] = [[], []]
  block[ASSET.thumb] = [[], [], []]
  block[ASSET.metrics] = Array.from({ length: metricCount }, () => [])
  return block
}

/**
 * Adds `row` to `block` (the writer's side of `assetRow`). Its values are copied, except its `people`
 * list, which the block keeps: the writer fills one row array again for the next asset, with a new list.
 */
export const pushAssetRow = (block: AssetBlock, row: AssetRow): void => {
  const columns = block as unknown as Array<Array<unknown>>
  for (let f = 0; f < ASSET_FIELDS.length; f++) {
    if (
      f === ASSET.wall ||
      f === ASSET.people ||
      f === ASSET.thumb ||
      f === ASSET.metrics ||
      f === ASSET.score
    )
      continue
    columns[f]!.push(row[f])
  }
  pushWall(block[ASSET.wall], row[ASSET.wall])
  const people = row[ASSET.people]
  block[ASSET.people].push(people.length === 0 ? null : people)
  const t = row[ASSET.thumb]
  const [prefix, middle, rest] = block[ASSET.thumb]
  prefix.push(t?.[0] ?? -1)
  middle.push(t?.length === 3 ? t[1] : -1)
  rest.push(t === null ? null : t.length === 3 ? t[2] : t[1])
  const metrics = block[ASSET.metrics]
  for (let k = 0; k < metrics.length; k++) metrics[k]!.push(row[ASSET.metrics][k] ?? null)
  block[ASSET.score].push(toTenThousandths(row[ASSET.score]))
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
