/** A group card: its evidence and facts, and one tile per member with what differs from the keeper. */
import {
  ASSET,
  type AssetRow,
  GROUP,
  type GroupRow,
  MEMBER,
  type MemberRow,
  RECOMMENDATIONS
} from "../internal/pageData.js"
import { assetAt, D, flagsOf, fmtClock, fmtDims, fmtTime, thumb } from "./data.js"
import { el } from "./dom.js"
import {
  evidenceLabel,
  flagLabel,
  fmtBytes,
  fmtDelta,
  fmtMetric,
  fmtRating,
  fmtScore,
  fmtWall,
  plural,
  wallMillis
} from "./format.js"
import { groupAt, settledShot } from "./view.js"

const REC_LABEL = ["Keep", "Discard", "Review"]

const factRow = (
  label: string,
  value: string | Node,
  diff: boolean,
  keeperValue: string,
  extraClass?: string
): Array<HTMLElement> => {
  const dt = el("dt", undefined, label)
  dt.title = label
  const dd = el("dd", extraClass, value)
  if (diff) {
    dd.classList.add("diff")
    dd.title = `Keeper: ${keeperValue}`
  }
  return [dt, dd]
}

const sizeText = (a: AssetRow): string =>
  [fmtBytes(a[ASSET.fileSize]), fmtDims(a)].filter((s) => s && s !== "—").join(" · ") || "—"
const peopleText = (a: AssetRow): string => (a[ASSET.people].length > 0 ? a[ASSET.people].join(", ") : "—")

const marginText = (m: MemberRow, isKeeper: boolean, keeperShot: boolean, identical: boolean): string => {
  const margin = m[MEMBER.margin]
  if (isKeeper) return "keeper"
  if (keeperShot) return "same shot as keeper"
  if (identical)
    return m[MEMBER.sameBytesAsKeeper] === 1 ? "identical copy" : "companion of an identical copy"
  if (margin === null) return "margin unknown"
  if (margin === 0) return "tie with keeper"
  return `${margin > 0 ? "−" : "+"}${Math.abs(margin).toFixed(3)} vs keeper`
}

const facts = (a: AssetRow, k: AssetRow, m: MemberRow, isKeeper: boolean): HTMLElement => {
  const list = el("dl", "facts")
  const add = (rows: Array<HTMLElement>) => list.append(...rows)
  const wall = a[ASSET.wall]
  const keeperWall = k[ASSET.wall]
  const timeDiff = !isKeeper && (wall !== keeperWall || a[ASSET.offsetMinutes] !== k[ASSET.offsetMinutes])
  const sameDay = wall !== "" && wall.slice(0, 10) === keeperWall.slice(0, 10)
  let timeValue = sameDay ? fmtClock(a) : fmtTime(a)
  if (timeDiff && wall && keeperWall) {
    const delta = wallMillis(wall) - wallMillis(keeperWall)
    if (Number.isFinite(delta) && delta !== 0) timeValue += ` (${fmtDelta(delta)})`
  }
  const timeRow = factRow("Time", timeValue, timeDiff, fmtTime(k))
  if (!timeDiff) (timeRow[1] as HTMLElement).title = fmtTime(a)
  add(timeRow)
  add(
    factRow(
      "Camera",
      a[ASSET.camera] ?? "—",
      !isKeeper && a[ASSET.camera] !== k[ASSET.camera],
      k[ASSET.camera] ?? "—"
    )
  )
  add(
    factRow(
      "Rating",
      fmtRating(a[ASSET.rating]),
      !isKeeper && a[ASSET.rating] !== k[ASSET.rating],
      fmtRating(k[ASSET.rating]),
      "stars"
    )
  )
  add(factRow("Size", sizeText(a), !isKeeper && sizeText(a) !== sizeText(k), sizeText(k)))
  add(factRow("People", peopleText(a), !isKeeper && peopleText(a) !== peopleText(k), peopleText(k)))
  D.metricNames.forEach((metric, i) => {
    const value = a[ASSET.metrics][i]
    const kv = k[ASSET.metrics][i]
    if ((value === null || value === undefined) && (kv === null || kv === undefined)) return
    const differs = !isKeeper && value !== kv
    let text = fmtMetric(value)
    if (differs && typeof value === "number" && typeof kv === "number") text += value > kv ? " ▲" : " ▼"
    add(factRow(metric, text, differs, fmtMetric(kv), "metric"))
  })
  if (!isKeeper && m[MEMBER.sameBytesAsKeeper] === 1) add(factRow("Bytes", "identical to keeper", false, ""))
  const note = a[ASSET.description]
  if (note)
    add(factRow("Note", note, !isKeeper && note !== k[ASSET.description], k[ASSET.description] ?? "—"))
  return list
}

const memberTile = (g: GroupRow, m: MemberRow, keeperMember: MemberRow, index: number): HTMLElement => {
  const members = g[GROUP.members]
  const a = assetAt(m[MEMBER.asset])
  const k = assetAt(keeperMember[MEMBER.asset])
  const isKeeper = m === keeperMember
  const keeperShot = !isKeeper && m[MEMBER.shot] === keeperMember[MEMBER.shot]
  const identical = !isKeeper && !keeperShot && settledShot(g, m)
  const rec = RECOMMENDATIONS[m[MEMBER.recommendation]] ?? "review"
  const tile = el("figure", `member rec-${rec}`)
  tile.dataset.assetIndex = String(m[MEMBER.asset])

  const media = el("div", "media", thumb(a, "thumb"))
  const badge = el(
    "span",
    `badge badge-${rec}`,
    isKeeper ? "★ Keep" : (REC_LABEL[m[MEMBER.recommendation]] ?? rec)
  )
  media.append(badge, el("span", "rank", `#${m[MEMBER.rank]}`))
  const prev = members[index - 1]
  if (prev !== undefined && prev[MEMBER.shot] === m[MEMBER.shot]) {
    const first = members.find((x) => x[MEMBER.shot] === m[MEMBER.shot])
    const of = first !== undefined ? D.assets[first[MEMBER.asset]]?.[ASSET.fileName] : undefined
    media.append(el("span", "companion", of ? `companion of ${of}` : "companion"))
  }
  tile.append(media)

  const cap = el("figcaption")
  const name = el("div", "fname", a[ASSET.fileName])
  name.title = a[ASSET.fileName]
  cap.append(name)

  // Score bar and margin.
  const score = m[MEMBER.score]
  const margin = m[MEMBER.margin]
  const bar = el("div", "bar")
  const fill = el("span", "fill")
  fill.style.width = `${Math.max(0, Math.min(1, score ?? 0)) * 100}%`
  bar.append(fill)
  bar.title = score === null ? "No score: no rating and no metrics" : `Score ${fmtScore(score)}`
  const close = !isKeeper && !keeperShot && !identical && margin !== null && margin < D.options.reviewMargin
  bar.title += isKeeper ? "" : ` · margin ${margin === null ? "unknown" : fmtScore(margin)}`
  cap.append(
    el(
      "div",
      "scoreline",
      bar,
      el("span", "score", fmtScore(score)),
      el("span", close ? "margin close" : "margin", marginText(m, isKeeper, keeperShot, identical))
    )
  )

  if (m[MEMBER.reasons].length > 0) {
    const list = el("ul", "reasons")
    for (const reason of m[MEMBER.reasons]) list.append(el("li", undefined, reason))
    cap.append(list)
  }
  if (m[MEMBER.wouldLose].length > 0) {
    cap.append(el("div", "lose", el("strong", undefined, "Would lose: "), m[MEMBER.wouldLose].join(", ")))
  }
  cap.append(facts(a, k, m, isKeeper))

  const flags = flagsOf(a[ASSET.flags])
  if (a[ASSET.favorite] === 1 || flags.length > 0) {
    const chips = el("div", "chips")
    if (a[ASSET.favorite] === 1) chips.append(el("span", "chip chip-fav", "♥ favorite"))
    for (const flag of flags) chips.append(el("span", `chip flag-${flag}`, flagLabel(flag)))
    cap.append(chips)
  }
  tile.append(cap)
  return tile
}

/** The card of group `gi`. */
export const groupCard = (gi: number): HTMLElement => {
  const g = groupAt(gi)
  const card = el("article", "card")
  card.tabIndex = -1
  card.dataset.group = g[GROUP.id]
  const kind = g[GROUP.kind] === 0 ? "exact" : "near"
  const head = el("header", "card-head")
  const title = el(
    "div",
    "card-title",
    el("span", `kind kind-${kind}`, kind === "exact" ? "Exact copies" : "Near duplicates")
  )
  D.evidenceNames.forEach((name, i) => {
    if ((g[GROUP.evidence] & (1 << i)) !== 0) {
      const chip = el("span", "chip evidence", evidenceLabel(name))
      chip.title = `Evidence: ${name}`
      title.append(chip)
    }
  })
  const from = g[GROUP.from]
  const to = g[GROUP.to]
  const span =
    from === to
      ? fmtWall(from)
      : `${fmtWall(from)} → ${to.slice(0, 10) === from.slice(0, 10) ? fmtWall(to).slice(11) : fmtWall(to)}`
  const reviews = g[GROUP.members].filter((m) => m[MEMBER.recommendation] === 2).length
  const reclaim = g[GROUP.reclaimableBytes]
  const groupFacts = el(
    "div",
    "card-facts",
    el("span", undefined, plural(g[GROUP.shotCount], "shot")),
    el("span", undefined, span),
    reclaim > 0 ? el("span", "reclaim", `${fmtBytes(reclaim)} reclaimable`) : null,
    reviews > 0 ? el("span", "needs-review", `${reviews} to review`) : null
  )
  head.append(title, groupFacts, el("code", "gid", g[GROUP.id]))
  card.append(head)
  const members = g[GROUP.members]
  const keeperMember = (members[g[GROUP.keeper]] ?? members[0]) as MemberRow
  const tiles = el("div", "members")
  members.forEach((m, i) => {
    tiles.append(memberTile(g, m, keeperMember, i))
  })
  card.append(tiles)
  return card
}
