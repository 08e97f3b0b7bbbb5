/**
 * Schema decode failures in one line a user can act on, naming the fields at fault, e.g.
 * `device_id, checksum: is missing; local_datetime: expected an ISO date-time, got "soon"`.
 * Effect's own TreeFormatter text describes the schema's structure, which no user wrote.
 */
import { ParseResult } from "effect"

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s)

/** A field's path as written in JSON terms: `groups[2].keep`, or "" for the value itself. */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc === "" ? String(k) : `${acc}.${String(k)}`),
    ""
  )

/**
 * Every field at fault: the missing ones together, then each invalid one; `whole` when no field
 * is named.
 */
export const formatParseError = (error: ParseResult.ParseError, whole: string): string => {
  // A nullable field reports each union member it failed: keep the first issue per field, and
  // none about a parent of a field already named.
  const byPath = new Map<string, ParseResult.ArrayFormatterIssue>()
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
    const where = formatPath(issue.path)
    if (!byPath.has(where)) byPath.set(where, issue)
  }
  const paths = [...byPath.keys()]
  const named = paths.filter(
    (p) => !paths.some((q) => q !== p && (p === "" || q.startsWith(`${p}.`) || q.startsWith(`${p}[`)))
  )
  if (named.length === 0) return whole
  const missing = named.filter((p) => byPath.get(p)!._tag === "Missing")
  return [
    ...(missing.length === 0 ? [] : [`${missing.join(", ")}: is missing`]),
    ...named
      .filter((p) => byPath.get(p)!._tag !== "Missing")
      .map((p) => {
        const message = clip(byPath.get(p)!.message.replace(/\s+/g, " "), 160)
        return p === "" ? message : `${p}: ${message}`
      })
  ].join("; ")
}
