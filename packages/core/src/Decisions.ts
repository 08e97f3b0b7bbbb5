/**
 * Decisions: what a reviewer decided about duplicate groups, as read by `report`, `apply` and the
 * library. The file is a documented contract (REPORT_FORMAT.md, "Decisions"):
 *
 * ```json
 * { "schema_version": 1, "tool": "albumsift", "decided_at": "2026-11-30T10:00:00.000Z",
 *   "groups": [ { "members": ["asset_A", "asset_B", "asset_C"], "keep": ["asset_B"] },
 *               { "members": ["asset_D", "asset_E"], "not_duplicates": true } ] }
 * ```
 *
 * A decision is either a keep list (every other member is discarded) or `not_duplicates: true`
 * (nothing is touched, and the members are not grouped together again). A decision matches the
 * group with the same member set (`memberKey`). Unknown fields are ignored; anything else that is
 * off (not JSON, a wrong type, a `keep` id outside `members`, both or neither of `keep` and
 * `not_duplicates`, an asset in two decisions) is a `DecisionsError` naming the file and the entry.
 */

import * as FileSystem from "@effect/platform/FileSystem"
import { Effect, Either, ParseResult, Schema } from "effect"
import * as FileFailure from "./FileFailure.js"
import { type CsvGroup, type CsvProblem, looksLikeCsv, readCsv } from "./internal/decisionsCsv.js"
import { formatPath } from "./internal/parseIssues.js"

/** One reviewed group: its members as the reviewer saw them, and what to do with them. @since 0.2.0 */
export type GroupDecision = {
  readonly members: ReadonlyArray<string>
  readonly keep?: ReadonlyArray<string>
  readonly not_duplicates?: boolean
  /**
   * Read from an edited report.csv, where every group has rows: one that keeps what the report
   * suggested may never have been looked at (never set from a decisions file).
   */
  readonly fromCsv?: true
}

/** A decisions file (`schema_version: 1`). @since 0.2.0 */
export type Decisions = {
  readonly schema_version: 1
  readonly tool?: string
  readonly decided_at?: string
  readonly groups: ReadonlyArray<GroupDecision>
}

/** The decisions file cannot be used; `entry` names the offending part, e.g. `groups[2].keep`. @since 0.2.0 */
export class DecisionsError extends Schema.TaggedError<DecisionsError>()("DecisionsError", {
  /** The file (or other source) the decisions came from. */
  file: Schema.String,
  /** The offending entry, when one part of the file is at fault. */
  entry: Schema.optional(Schema.String),
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.file}: ${this.entry === undefined ? "" : `${this.entry}: `}${this.reason}`
  }
}

const AssetId = Schema.String.pipe(Schema.minLength(1, { message: () => "an asset id must not be empty" }))

const GroupDecisionSchema = Schema.Struct({
  members: Schema.Array(AssetId),
  keep: Schema.optionalWith(Schema.Array(AssetId), { exact: true }),
  not_duplicates: Schema.optionalWith(Schema.Boolean, { exact: true })
})

const DecisionsSchema = Schema.Struct({
  schema_version: Schema.Literal(1),
  tool: Schema.optionalWith(Schema.String, { exact: true }),
  decided_at: Schema.optionalWith(Schema.String, { exact: true }),
  groups: Schema.Array(GroupDecisionSchema)
})

/** The order-independent key of a member set: the same ids in any order give the same key. @since 0.2.0 */
export const memberKey = (ids: Iterable<string>): string => JSON.stringify([...new Set(ids)].sort())

const oneLine = (s: string): string => s.replace(/\s+/g, " ").trim()

const describeIds = (ids: ReadonlyArray<string>): string =>
  ids
    .slice(0, 3)
    .map((id) => JSON.stringify(id))
    .join(", ") + (ids.length > 3 ? `, … (${ids.length} ids)` : "")

/** Checks the rules the schema cannot say; returns the first problem. `label` names an entry. */
const check = (
  decisions: Decisions,
  file: string,
  label: (i: number, field?: string) => string = (i, field = "") => `groups[${i}]${field}`
): DecisionsError | undefined => {
  const seen = new Map<string, number>()
  for (const [i, group] of decisions.groups.entries()) {
    const fail = (reason: string, field?: string) =>
      new DecisionsError({ file, entry: label(i, field), reason })
    if (group.members.length === 0) return fail("members is empty", ".members")
    const members = new Set(group.members)
    if (members.size !== group.members.length) {
      const dup = group.members.find((id, j) => group.members.indexOf(id) !== j)!
      return fail(`asset ${JSON.stringify(dup)} is listed twice in members`, ".members")
    }
    const notDuplicates = group.not_duplicates === true
    if (group.keep !== undefined && notDuplicates) {
      return fail("has both keep and not_duplicates: give one of them")
    }
    if (group.keep === undefined && !notDuplicates) {
      return fail(`decides nothing for ${describeIds(group.members)}: give keep or not_duplicates: true`)
    }
    if (group.keep !== undefined) {
      if (group.keep.length === 0) {
        return fail("keep is empty: keep at least one member, or mark the group not_duplicates", ".keep")
      }
      const stranger = group.keep.find((id) => !members.has(id))
      if (stranger !== undefined)
        return fail(`keep id ${JSON.stringify(stranger)} is not in members`, ".keep")
    }
    for (const id of members) {
      const before = seen.get(id)
      if (before !== undefined) {
        return fail(
          `asset ${JSON.stringify(id)} is also in ${label(before)}; an asset can be in one decision only`
        )
      }
      seen.set(id, i)
    }
  }
  return undefined
}

const decode = Schema.decodeUnknownEither(DecisionsSchema, { errors: "first", onExcessProperty: "ignore" })

/** Decodes an already-parsed JSON value as decisions. @since 0.2.0 */
export const fromJson = (json: unknown, sourceName: string): Either.Either<Decisions, DecisionsError> => {
  const decoded = decode(json)
  if (Either.isLeft(decoded)) {
    const [issue] = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
    return Either.left(
      new DecisionsError({
        file: sourceName,
        entry: issue === undefined ? undefined : formatPath(issue.path) || undefined,
        reason: issue === undefined ? "not a decisions file" : oneLine(issue.message)
      })
    )
  }
  const problem = check(decoded.right, sourceName)
  return problem === undefined ? Either.right(decoded.right) : Either.left(problem)
}

/**
 * Decisions from an edited report.csv (`recommendation` column): each group whose rows all say
 * `keep`/`discard` becomes a keep decision, one whose rows all say `not_duplicates` a not-duplicates
 * decision; a group with `review` left is not decided. A decided group with no `keep` is an error.
 *
 * @since 0.2.0
 */
export const fromCsv = (text: string, sourceName: string): Either.Either<Decisions, DecisionsError> => {
  const read = readCsv(text)
  if (!Array.isArray(read)) {
    const problem = read as CsvProblem
    return Either.left(new DecisionsError({ file: sourceName, entry: problem.entry, reason: problem.reason }))
  }
  const groups = read as ReadonlyArray<CsvGroup>
  const decisions: Decisions = {
    schema_version: 1,
    groups: groups.map(({ label: _, ...decision }) => ({ ...decision, fromCsv: true as const }))
  }
  const problem = check(decisions, sourceName, (i) => groups[i]!.label)
  return problem === undefined ? Either.right(decisions) : Either.left(problem)
}

/**
 * Parses the text of a decisions file, or of an edited report.csv (named `*.csv`, or starting with
 * its `asset_id` header); `sourceName` names it in errors.
 *
 * @since 0.2.0
 */
export const parse = (text: string, sourceName: string): Either.Either<Decisions, DecisionsError> => {
  if (/\.csv$/i.test(sourceName) || looksLikeCsv(text)) return fromCsv(text, sourceName)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return Either.left(new DecisionsError({ file: sourceName, reason: `not valid JSON: ${oneLine(reason)}` }))
  }
  return fromJson(json, sourceName)
}

/** Reads and parses a decisions file (JSON, or an edited report.csv). @since 0.2.0 */
export const readFile = Effect.fn("Decisions.readFile")(function* (path: string) {
  const fs = yield* FileSystem.FileSystem
  const text = yield* fs
    .readFileString(path)
    .pipe(
      Effect.mapError(
        (error) =>
          new DecisionsError({ file: path, reason: `cannot read the file: ${FileFailure.reason(error)}` })
      )
    )
  return yield* parse(text, path)
})

/** The decisions by `memberKey` of their members, for matching groups. @since 0.2.0 */
export const index = (decisions: Decisions): ReadonlyMap<string, GroupDecision> =>
  new Map(decisions.groups.map((group) => [memberKey(group.members), group]))
