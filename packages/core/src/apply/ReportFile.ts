/**
 * The part of an earlier run's report.json that `apply` reads: its sources, groups and assets.
 *
 * Decoded with Schema; unknown fields are ignored (later report versions add fields freely), and
 * fields added after `schema_version` 1 first appeared (`would_merge`) are optional.
 * Each part has an identifier, so a decode failure names it (`ReadonlyArray<ReportMember>`)
 * rather than the schema's inner structure.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs"
import { join } from "node:path"
import { Effect, Either, Schema } from "effect"
import * as FileFailure from "../FileFailure.js"
import { formatParseError } from "../internal/parseIssues.js"
import { oneLine } from "../source/internal/jsonSplitter.js"
import { isInvalidJson, Parser } from "../source/JsonInput.js"

const Nullable = <S extends Schema.Schema.Any>(s: S) =>
  Schema.optionalWith(Schema.NullOr(s), { default: () => null })

/** A source the report was made from; only `api` sources name a server. */
export const ReportSource = Schema.Struct({
  kind: Schema.String,
  server: Schema.optional(Schema.Literal("gumnut", "immich")),
  base_url: Schema.optional(Schema.String),
  albums: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
}).annotations({ identifier: "ReportSource" })

/** One member of a group as report.json records it. */
export const ReportMember = Schema.Struct({
  asset_id: Schema.String,
  shot_id: Schema.String,
  rank: Schema.Number,
  recommendation: Schema.Literal("keep", "discard", "review"),
  reasons: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  would_lose: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  would_merge: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
}).annotations({ identifier: "ReportMember" })

/** One group. */
export const ReportGroup = Schema.Struct({
  id: Schema.String,
  kind: Schema.Literal("exact", "near"),
  keeper: Schema.String,
  /** `you` when the report was made with decisions that decided this group. */
  decided_by: Schema.optional(Schema.String),
  members: Schema.Array(ReportMember)
}).annotations({ identifier: "ReportGroup" })

/** One asset: what the plan checks against the server and what a merge reads. */
export const ReportAsset = Schema.Struct({
  id: Schema.String,
  albums: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  file_name: Nullable(Schema.String),
  checksum: Nullable(Schema.String),
  file_size: Nullable(Schema.Number),
  rating: Nullable(Schema.Number),
  favorite: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  has_gps: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  description: Nullable(Schema.String),
  /** Who the report saw in it, and its faces: a loss the owner already saw when deciding. */
  people: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  face_count: Schema.optionalWith(Schema.Number, { default: () => 0 }),
  taken_at: Schema.optionalWith(Schema.NullOr(Schema.Struct({ wall: Schema.NullOr(Schema.String) })), {
    default: () => null
  })
}).annotations({ identifier: "ReportAsset" })

/**
 * The analysis options apply reads: whether the page said a discard's GPS merges into its keeper
 * (absent in reports made before it was recorded, whose pages always said so).
 */
export const ReportAnalysisOptions = Schema.Struct({
  can_merge_gps: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "ReportAnalysisOptions" })

/** What apply reads of report.json. */
export const ReportFile = Schema.Struct({
  schema_version: Schema.Literal(1),
  sources: Schema.optionalWith(Schema.Array(ReportSource), { default: () => [] }),
  options: Schema.optional(Schema.Struct({ analysis: Schema.optional(ReportAnalysisOptions) })),
  groups: Schema.Array(ReportGroup),
  assets: Schema.Array(ReportAsset)
})

/** The decoded report. @since 0.2.0 */
export type ReportFile = typeof ReportFile.Type
/** @since 0.2.0 */
export type ReportMember = typeof ReportMember.Type
/** @since 0.2.0 */
export type ReportGroup = typeof ReportGroup.Type
/** @since 0.2.0 */
export type ReportAsset = typeof ReportAsset.Type

/** report.json is unreadable or not a report. @since 0.2.0 */
export class ReportFileError extends Schema.TaggedError<ReportFileError>()("ReportFileError", {
  path: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `cannot use report ${this.path}: ${this.reason}`
  }
}

const decode = Schema.decodeUnknownEither(ReportFile, { onExcessProperty: "ignore" })

/** Parses the text of a report.json (pure). @since 0.2.0 */
export const parse = (text: string, path: string): Either.Either<ReportFile, ReportFileError> => {
  let json: unknown
  try {
    // A byte order mark is no JSON, but an editor may add one (the streamed read skips it too).
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  } catch (e) {
    return Either.left(notJson(path, e))
  }
  return decodeJson(json, path)
}

const notJson = (path: string, e: unknown) =>
  new ReportFileError({ path, reason: `not JSON (${oneLine(e instanceof Error ? e.message : String(e))})` })

const decodeJson = (json: unknown, path: string): Either.Either<ReportFile, ReportFileError> => {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    const got = json === null ? "null" : Array.isArray(json) ? "an array" : `a ${typeof json}`
    return Either.left(
      new ReportFileError({ path, reason: `not an albumsift report.json: expected an object, got ${got}` })
    )
  }
  return Either.mapLeft(
    decode(json),
    (e) =>
      new ReportFileError({
        path,
        reason: `not an albumsift report.json: ${formatParseError(e, "not an object")}`
      })
  )
}

/** report.json of a report folder, or the path itself when it is a file. @since 0.2.0 */
export const resolvePath = (given: string): string => {
  try {
    return statSync(given).isDirectory() ? join(given, "report.json") : given
  } catch {
    return given
  }
}

/**
 * Larger report.json files are read as a stream: whole, one of a million assets (≈1.1 GB) would pass
 * V8's longest string (≈512 Mi characters), and most of it is assets no group names.
 */
export const WHOLE_UP_TO = 64 * 1024 * 1024

/** Reads and decodes a report (a folder or its report.json). @since 0.2.0 */
export const read = (
  given: string,
  options?: {
    /** Files up to this many bytes are read whole (default `WHOLE_UP_TO`); larger ones streamed. */
    readonly wholeUpTo?: number | undefined
  }
): Effect.Effect<ReportFile, ReportFileError> => {
  const path = resolvePath(given)
  return Effect.try({
    try: () =>
      statSync(path).size <= (options?.wholeUpTo ?? WHOLE_UP_TO)
        ? parse(readFileSync(path, "utf8"), path)
        : streamed(path),
    catch: (e) =>
      new ReportFileError({
        path,
        reason: FileFailure.reason(e)
      })
  }).pipe(Effect.flatten)
}

/** The ids a group names: its keeper, members and their shots (the only assets apply reads). */
const namedIds = (groups: unknown): Set<string> => {
  const ids = new Set<string>()
  if (!Array.isArray(groups)) return ids
  for (const g of groups) {
    if (typeof g?.keeper === "string") ids.add(g.keeper)
    if (!Array.isArray(g?.members)) continue
    for (const m of g.members) {
      if (typeof m?.asset_id === "string") ids.add(m.asset_id)
      if (typeof m?.shot_id === "string") ids.add(m.shot_id)
    }
  }
  return ids
}

/**
 * The report read a piece at a time, keeping of its `assets` those a group names: the members before
 * the assets array (our own layout puts the groups there) say which; in another layout every asset is
 * kept until the groups are known. The result is then decoded as a whole report is, so a report
 * decodes to the same groups and assets either way.
 */
const streamed = (path: string): Either.Either<ReportFile, ReportFileError> => {
  // The members before the assets (groups above all) are one capture: up to well below V8's limit.
  const parser = new Parser(path, { itemsKey: "assets", maxItemSize: 400 * 1024 * 1024 })
  const kept: Array<unknown> = []
  // The ids the groups name, once read from the members before the assets (none there: all kept).
  let named: Set<string> | undefined
  let headRead = false
  const take = (values: ReadonlyArray<unknown>): ReportFileError | undefined => {
    if (!headRead && parser.head !== undefined) {
      headRead = true
      try {
        const groups = (JSON.parse(`${parser.head}[]}`) as { groups?: unknown }).groups
        if (groups !== undefined) named = namedIds(groups)
      } catch (e) {
        return notJson(path, e)
      }
    }
    for (const value of values) {
      if (isInvalidJson(value)) return notJson(path, new Error(`an asset: ${value.reason}`))
      if (named === undefined || named.has(idOf(value))) kept.push(assetFields(value))
    }
    return undefined
  }
  const fd = openSync(path, "r")
  try {
    const buffer = Buffer.allocUnsafe(1 << 20)
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null)
      const problem = take(n === 0 ? parser.finish() : parser.feed(buffer.subarray(0, n)))
      if (problem !== undefined) return Either.left(problem)
      // Not an object holding the assets (an album, say): said now, not after reading it all.
      if (n === 0 || (parser.format !== undefined && parser.format !== "page")) break
    }
  } catch (e) {
    // The parser's own errors say where; a read error is said as any other.
    const reason = (e as { reason?: unknown }).reason
    if (typeof reason === "string") return Either.left(notJson(path, new Error(reason)))
    throw e
  } finally {
    closeSync(fd)
  }
  if (parser.format === "array") return decodeJson([], path)
  if (parser.format !== "page" || parser.envelope === undefined)
    return Either.left(
      new ReportFileError({ path, reason: "not an albumsift report.json: no object holding an assets array" })
    )
  // Known from the head, the assets kept are those named already; else they are all, filtered now.
  const wanted = named ?? namedIds(parser.envelope.groups)
  const assets = named === undefined ? kept.filter((a) => wanted.has(idOf(a))) : kept
  return decodeJson({ ...parser.envelope, assets }, path)
}

const ASSET_FIELDS = Object.keys(ReportAsset.fields)

/** Of an asset, the members apply reads (a million whole assets would not fit in memory). */
const assetFields = (asset: unknown): unknown => {
  if (typeof asset !== "object" || asset === null || Array.isArray(asset)) return asset
  const out: Record<string, unknown> = {}
  for (const key of ASSET_FIELDS) if (key in asset) out[key] = (asset as Record<string, unknown>)[key]
  return out
}

const idOf = (asset: unknown): string => {
  const id = (asset as { id?: unknown } | null)?.id
  return typeof id === "string" ? id : ""
}

/** The server the report was read from, if any. @since 0.2.0 */
export const serverOf = (
  report: ReportFile
): { readonly server: "gumnut" | "immich"; readonly base_url?: string | undefined } | undefined => {
  const api = report.sources.find((s) => s.kind === "api" && s.server !== undefined)
  return api === undefined ? undefined : { server: api.server!, base_url: api.base_url }
}
