/**
 * Which groups the list shows: the filter and sort state, a small per-group index to filter and sort
 * 100k groups without touching their rows, and the view kept in the URL fragment.
 */
import { ASSET, GROUP, type GroupRow, MEMBER, type MemberRow } from "../internal/pageData.js"
import { D, groupAt } from "./data.js"
import { isDecided } from "./decisions.js"
import { wallMillis } from "./format.js"

interface GroupKey {
  readonly kind: number
  readonly evidence: number
  readonly recMask: number
  readonly time: number
  readonly size: number
  readonly reclaim: number
  readonly margin: number
  search: string | null
}

/** True for members of the keeper's shot or of a shot holding a byte-identical copy of the keeper. */
export const settledShot = (g: GroupRow, m: MemberRow): boolean =>
  m[MEMBER.shot] === g[GROUP.members][g[GROUP.keeper]]?.[MEMBER.shot] ||
  g[GROUP.members].some((x) => x[MEMBER.shot] === m[MEMBER.shot] && x[MEMBER.sameBytesAsKeeper] === 1)

const keys: Array<GroupKey> = D.groups.map((g) => {
  let recMask = 0
  let size = 0
  let margin = Number.POSITIVE_INFINITY
  for (const m of g[GROUP.members]) {
    recMask |= 1 << m[MEMBER.recommendation]
    size += D.assets[m[MEMBER.asset]]?.[ASSET.fileSize] ?? 0
    // A close call is a runner-up shot near the keeper; identical copies and the keeper's companions are not.
    const memberMargin = m[MEMBER.margin]
    if (!settledShot(g, m) && memberMargin !== null && memberMargin < margin) margin = memberMargin
  }
  return {
    kind: g[GROUP.kind],
    evidence: g[GROUP.evidence],
    recMask,
    time: wallMillis(g[GROUP.from]),
    size,
    reclaim: g[GROUP.reclaimableBytes],
    margin,
    search: null
  }
})

const searchText = (i: number): string => {
  const key = keys[i] as GroupKey
  if (key.search === null) {
    const g = groupAt(i)
    // File names, asset ids, people and cameras.
    const words: Array<string> = [g[GROUP.id]]
    for (const m of g[GROUP.members]) {
      const a = D.assets[m[MEMBER.asset]]
      if (a !== undefined)
        words.push(a[ASSET.fileName], a[ASSET.id], a[ASSET.camera] ?? "", ...a[ASSET.people])
    }
    key.search = words.join("\n").toLowerCase()
  }
  return key.search
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
  const out: Array<number> = []
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as GroupKey
    if (kind >= 0 && k.kind !== kind) continue
    if (state.evidence !== 0 && (k.evidence & state.evidence) === 0) continue
    if (state.rec === "review" && (k.recMask & 4) === 0) continue
    if (state.rec === "discard" && (k.recMask & 2) === 0) continue
    if (state.rec === "no-review" && (k.recMask & 4) !== 0) continue
    if (state.progress !== "all" && isDecided(i) !== (state.progress === "decided")) continue
    if (query !== "" && !searchText(i).includes(query)) continue
    out.push(i)
  }
  const by = (f: (k: GroupKey) => number, dir: number) => (a: number, b: number) =>
    dir * (f(keys[a] as GroupKey) - f(keys[b] as GroupKey)) || a - b
  const sorters: Record<string, (a: number, b: number) => number> = {
    time: (a, b) => a - b,
    "time-desc": (a, b) => b - a,
    reclaim: by((k) => k.reclaim, -1),
    size: by((k) => k.size, -1),
    margin: by((k) => (Number.isFinite(k.margin) ? k.margin : 1e9), 1)
  }
  return out.sort(sorters[state.sort] ?? sorters.time)
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
