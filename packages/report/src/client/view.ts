/**
 * Which groups the list shows: the filter and sort state, per-group facts and the search built on first
 * use (so a 100k-group page opens without paying for them), and the view kept in the URL fragment.
 */
import {
  ASSET,
  BLOCK_ROWS,
  fromTenThousandths,
  GROUP,
  type GroupRow,
  MEMBER,
  type MemberRow,
  memberSpan
} from "../internal/pageData.js"
import { assetValue, D, groupAt, groupValue } from "./data.js"
import { isDecided } from "./decisions.js"

/** `settledShot` over the member columns: `shots` and `same` hold the group's members from `start` to before `end`. */
const settledIn = (
  shots: ReadonlyArray<number>,
  same: ReadonlyArray<number>,
  start: number,
  end: number,
  keeperShot: number | undefined,
  shot: number
): boolean => {
  if (shot === keeperShot) return true
  for (let k = start; k < end; k++) if (shots[k] === shot && same[k] === 1) return true
  return false
}

/** True for members of the keeper's shot or of a shot holding a byte-identical copy of the keeper (rows). */
export const settledShot = (g: GroupRow, m: MemberRow): boolean =>
  m[MEMBER.shot] === g[GROUP.members][g[GROUP.keeper]]?.[MEMBER.shot] ||
  g[GROUP.members].some((x) => x[MEMBER.shot] === m[MEMBER.shot] && x[MEMBER.sameBytesAsKeeper] === 1)

// Per-group facts the filters and sorts need beyond the group row, computed on first use (a pass over
// every member), so opening a large report does not pay for a filter or sort nobody uses.
interface MemberFacts {
  /** Bit r set: some member's recommendation is r. */
  readonly recMask: Uint8Array
  /** Bytes of all members. */
  readonly size: Float64Array
  /** Smallest margin of a runner-up shot (+Infinity when none). */
  readonly margin: Float64Array
}
let memberFacts: MemberFacts | null = null
const factsOfMembers = (): MemberFacts => {
  if (memberFacts !== null) return memberFacts
  const n = D.groupCount
  const facts: MemberFacts = {
    recMask: new Uint8Array(n),
    size: new Float64Array(n),
    margin: new Float64Array(n)
  }
  // Over the member columns: no group row is built.
  for (let i = 0; i < n; i++) {
    const { members, start, end } = memberSpan(D, i)
    const shots = members[MEMBER.shot]
    const same = members[MEMBER.sameBytesAsKeeper]
    const keeper = groupValue(i, "keeper")
    const keeperShot = keeper < end - start ? shots[start + keeper] : undefined
    let recMask = 0
    let size = 0
    let margin = Number.POSITIVE_INFINITY
    for (let j = start; j < end; j++) {
      recMask |= 1 << (members[MEMBER.recommendation][j] as number)
      size += assetValue(members[MEMBER.asset][j] as number, "fileSize") ?? 0
      // A close call is a runner-up shot near the keeper; identical copies and the keeper's companions are not.
      const memberMargin = fromTenThousandths(members[MEMBER.margin][j])
      if (
        memberMargin !== null &&
        memberMargin < margin &&
        !settledIn(shots, same, start, end, keeperShot, shots[j] as number)
      )
        margin = memberMargin
    }
    facts.recMask[i] = recMask
    facts.size[i] = size
    facts.margin[i] = margin
  }
  memberFacts = facts
  return facts
}

/** A group's words: its id; each member's file name, asset id, camera and people (index fields only). */
const groupWords = (g: GroupRow): Array<string> => {
  const words = [g[GROUP.id]]
  for (const m of g[GROUP.members]) {
    const index = m[MEMBER.asset]
    const block = D.assetBlocks[Math.floor(index / BLOCK_ROWS)]
    const r = index % BLOCK_ROWS
    if (block === undefined || r >= block[ASSET.id].length) continue
    const cameraAt = block[ASSET.camera][r] ?? null
    words.push(
      block[ASSET.fileName][r] as string,
      block[ASSET.id][r] as string,
      cameraAt === null ? "" : (D.strings[cameraAt] ?? ""),
      ...(block[ASSET.people][r] ?? []).map((i) => D.strings[i] ?? "")
    )
  }
  return words
}

// By asset row: the group it is a member of (-1: none); null when some asset is in two groups.
let owners: Int32Array | null | undefined
const ownerOfAssets = (): Int32Array | null => {
  if (owners !== undefined) return owners
  const owner = new Int32Array(D.assetCount).fill(-1)
  let shared = false
  for (let gi = 0; gi < D.groupCount; gi++) {
    const { members, start, end } = memberSpan(D, gi)
    for (let j = start; j < end; j++) {
      const at = members[MEMBER.asset][j] as number
      if (owner[at] !== -1 && owner[at] !== gi) shared = true
      owner[at] = gi
    }
  }
  owners = shared ? null : owner
  return owners
}

/**
 * The test for one word that matches as `word.toLowerCase().includes(query)` does, for a lower-cased
 * query without line breaks. An ASCII query becomes a case-insensitive pattern, which allocates nothing:
 * only U+212A (Kelvin sign) lower-cases to an ASCII letter (k), and U+0130 (İ) to i plus a combining dot,
 * so an i can only end the match.
 */
const wordTest = (query: string): ((word: string) => boolean) => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is the range
  if (!/^[\u0000-\u007f]*$/.test(query)) return (word) => word.toLowerCase().includes(query)
  const last = query.length - 1
  const pattern = [...query]
    .map((c, i) =>
      c === "k"
        ? "[k\\u212a]"
        : c === "i" && i === last
          ? "[i\\u0130]"
          : c.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&")
    )
    .join("")
  const re = new RegExp(pattern, "i")
  return (word) => re.test(word)
}

/**
 * Marks (1) the groups whose words contain `query` (lower-cased), as a search in each group's words
 * (lower-cased, one per line) would. A query without line breaks is tested word by word, in the order
 * the asset rows are stored (a group's members lie far apart), without building any text.
 */
const searchGroups = (query: string): Uint8Array => {
  const n = D.groupCount
  const hits = new Uint8Array(n)
  const owner = query.includes("\n") ? null : ownerOfAssets()
  if (owner === null) {
    for (let i = 0; i < n; i++)
      if (groupWords(groupAt(i)).join("\n").toLowerCase().includes(query)) hits[i] = 1
    return hits
  }
  const test = wordTest(query)
  // Cameras and people are shared strings: test each once.
  const named = D.strings.map(test)
  const cameraHit = (i: number | null) => i !== null && named[i] === true
  for (let i = 0; i < n; i++) if (test(groupValue(i, "id"))) hits[i] = 1
  // Block by block, column by column: no asset row is built.
  D.assetBlocks.forEach((block, b) => {
    const fileNames = block[ASSET.fileName]
    const ids = block[ASSET.id]
    const cameras = block[ASSET.camera]
    const peoples = block[ASSET.people]
    for (let r = 0; r < ids.length; r++) {
      const gi = owner[b * BLOCK_ROWS + r] as number
      if (gi < 0 || hits[gi] === 1) continue
      if (
        test(fileNames[r] as string) ||
        test(ids[r] as string) ||
        cameraHit(cameras[r] ?? null) ||
        (peoples[r] ?? []).some((i) => named[i] === true)
      )
        hits[gi] = 1
    }
  })
  return hits
}

/** The list's filters, sort and page. */
export const state = {
  kind: "all",
  evidence: 0,
  rec: "any",
  progress: "all",
  query: "",
  sort: "time",
  page: 0
}

const SORTS = ["time", "time-desc", "reclaim", "size", "margin"]

/** Indexes of the groups that pass the filters, in the chosen order. */
export const filteredGroups = (): Array<number> => {
  const kind = state.kind === "exact" ? 0 : state.kind === "near" ? 1 : -1
  const query = state.query.trim().toLowerCase()
  const evidence = state.evidence
  const rec = state.rec
  const recMask = rec === "any" ? null : factsOfMembers().recMask
  const progress = state.progress
  const hits = query === "" ? null : searchGroups(query)
  const out: Array<number> = []
  const n = D.groupCount
  for (let i = 0; i < n; i++) {
    if (hits !== null && hits[i] === 0) continue
    if (kind >= 0 && groupValue(i, "kind") !== kind) continue
    if (evidence !== 0 && (groupValue(i, "evidence") & evidence) === 0) continue
    if (recMask !== null) {
      const mask = recMask[i] as number
      if (rec === "review" && (mask & 4) === 0) continue
      if (rec === "discard" && (mask & 2) === 0) continue
      if (rec === "no-review" && (mask & 4) !== 0) continue
    }
    if (progress !== "all" && isDecided(i) !== (progress === "decided")) continue
    out.push(i)
  }
  // The groups come in the report's (time) order; the other orders break ties by it.
  if (state.sort === "time-desc") return out.reverse()
  const by = (key: (i: number) => number, dir: number) => (a: number, b: number) =>
    dir * (key(a) - key(b)) || a - b
  if (state.sort === "reclaim") return out.sort(by((i) => groupValue(i, "reclaimableBytes"), -1))
  if (state.sort === "size") {
    const size = factsOfMembers().size
    return out.sort(by((i) => size[i] as number, -1))
  }
  if (state.sort === "margin") {
    const margin = factsOfMembers().margin
    return out.sort(by((i) => (Number.isFinite(margin[i]) ? (margin[i] as number) : 1e9), 1))
  }
  return out
}

/** Keeps the view (filters, sort, page) in the URL fragment, so a reload or a bookmark keeps it. */
export const saveView = (): void => {
  const params = new URLSearchParams()
  if (state.kind !== "all") params.set("kind", state.kind)
  if (state.evidence !== 0) params.set("evidence", String(state.evidence))
  if (state.rec !== "any") params.set("suggestion", state.rec)
  if (state.progress !== "all") params.set("progress", state.progress)
  if (state.query !== "") params.set("q", state.query)
  if (state.sort !== "time") params.set("sort", state.sort)
  if (state.page > 0) params.set("page", String(state.page + 1))
  const text = params.toString()
  if (text === "" && !location.hash.startsWith("#view?")) return
  try {
    history.replaceState(null, "", text === "" ? location.pathname + location.search : `#view?${text}`)
  } catch {
    // Some browsers refuse history changes on file:// pages; the view then just is not kept.
  }
}

/** Reads the view back from the URL fragment. */
export const loadView = (): void => {
  if (!location.hash.startsWith("#view?")) return
  const params = new URLSearchParams(location.hash.slice("#view?".length))
  const kind = params.get("kind")
  if (kind === "exact" || kind === "near") state.kind = kind
  const evidence = Number(params.get("evidence"))
  if (Number.isInteger(evidence) && evidence > 0)
    state.evidence = evidence & ((1 << D.evidenceNames.length) - 1)
  const rec = params.get("suggestion")
  if (rec === "review" || rec === "discard" || rec === "no-review") state.rec = rec
  const progress = params.get("progress")
  if (progress === "undecided" || progress === "decided") state.progress = progress
  state.query = (params.get("q") ?? "").slice(0, 500)
  const sort = params.get("sort") ?? ""
  if (SORTS.includes(sort)) state.sort = sort
  const page = Number(params.get("page"))
  if (Number.isInteger(page) && page > 1) state.page = page - 1
}
