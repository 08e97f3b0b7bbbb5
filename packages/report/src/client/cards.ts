/** A group card: its evidence and facts, and one tile per member with what differs from the keeper. */
import {
  ASSET,
  type AssetRow,
  GROUP,
  type GroupRow,
  MEMBER,
  type MemberRow,
  reasonsOf,
  wouldLoseOf
} from "../internal/pageData.js"
import { openCompare } from "./compare.js"
import { idButton, serverLink, stateButtons } from "./controls.js"
import {
  assetAt,
  assetValue,
  camera,
  D,
  flagsOf,
  fmtClock,
  fmtDims,
  fmtTime,
  groupAt,
  people,
  thumb
} from "./data.js"
import {
  acceptSuggestion,
  clearDecision,
  DISCARD,
  decisionOf,
  effective,
  type GroupStatus,
  KEEP,
  keeperOf,
  type MemberState,
  REVIEW,
  STATE_LABEL,
  stateName,
  statusOf,
  stillOf,
  suggestion,
  toggleNotDuplicates
} from "./decisions.js"
import { button, el, unbroken } from "./dom.js"
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
import { settledShot } from "./view.js"

const STATUS_LABEL: Record<GroupStatus, string> = {
  undecided: "",
  partial: "partly decided",
  decided: "decided",
  changed: "changed from suggestion",
  "not-duplicates": "not duplicates"
}

/** Only capture time joined these: the images themselves were never compared. */
export const momentOnly = (g: GroupRow): boolean =>
  g[GROUP.evidence] !== 0 && g[GROUP.evidence] === 1 << D.evidenceNames.indexOf("capture_time")

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
const peopleText = (a: AssetRow): string => people(a).join(", ") || "—"

const marginText = (
  margin: number | null,
  isKeeper: boolean,
  keeperShot: boolean,
  identical: boolean,
  sameBytes: boolean
): string => {
  if (isKeeper) return "keeper"
  if (keeperShot) return "same shot as keeper"
  if (identical) return sameBytes ? "identical copy" : "companion of an identical copy"
  if (margin === null) return "margin unknown"
  if (margin === 0) return "tie with keeper"
  return `${margin > 0 ? "−" : "+"}${Math.abs(margin).toFixed(3)} vs keeper`
}

const facts = (a: AssetRow, k: AssetRow, isKeeper: boolean, sameBytes: boolean): HTMLElement => {
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
  const timeRow = factRow("Time", unbroken(timeValue), timeDiff, fmtTime(k))
  if (!timeDiff) (timeRow[1] as HTMLElement).title = fmtTime(a)
  add(timeRow)
  add(factRow("Camera", camera(a) ?? "—", !isKeeper && camera(a) !== camera(k), camera(k) ?? "—"))
  add(
    factRow(
      "Rating",
      fmtRating(a[ASSET.rating]),
      !isKeeper && a[ASSET.rating] !== k[ASSET.rating],
      fmtRating(k[ASSET.rating]),
      "stars"
    )
  )
  add(factRow("Size", unbroken(sizeText(a)), !isKeeper && sizeText(a) !== sizeText(k), sizeText(k)))
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
  if (!isKeeper && sameBytes) add(factRow("Bytes", "identical to keeper", false, ""))
  const note = a[ASSET.description]
  if (note)
    add(factRow("Note", note, !isKeeper && note !== k[ASSET.description], k[ASSET.description] ?? "—"))
  return list
}

/** What the group's kept members carry that no merge can give a keeper: people, faces, GPS on Immich. */
interface KeptTraits {
  readonly people: Set<string>
  faces: boolean
  gps: boolean
}

/** What of `a` no kept member has and no merge can carry: a discard loses it. */
const lostByDiscard = (a: AssetRow, kept: KeptTraits): Array<string> => {
  const lostPeople = people(a).filter((name) => !kept.people.has(name))
  return [
    ...(lostPeople.length > 0 ? [`people: ${lostPeople.join(", ")}`] : []),
    ...((a[ASSET.faceCount] ?? 0) > 0 && !kept.faces ? ["faces"] : []),
    ...(!D.options.canMergeGps && a[ASSET.hasGps] === 1 && !kept.gps ? ["gps"] : [])
  ]
}

/** What `apply` merges from a discarded `a` into keeper `k`: what `a` carries and `k` lacks (albums unseen here). */
const mergedInto = (a: AssetRow, k: AssetRow): Array<string> => {
  const rating = a[ASSET.rating]
  const keeperRating = k[ASSET.rating]
  return [
    ...(rating !== null && rating > 0 && !(keeperRating !== null && keeperRating > 0)
      ? [`rating ${rating}`]
      : []),
    ...(a[ASSET.favorite] === 1 && k[ASSET.favorite] !== 1 ? ["favorite"] : []),
    ...(D.options.canMergeGps && a[ASSET.hasGps] === 1 && k[ASSET.hasGps] !== 1 ? ["gps"] : []),
    ...(a[ASSET.description] && !k[ASSET.description] ? ["description"] : [])
  ]
}

/** The ranking's reason that says what merges into the suggested keeper. */
const isMergeReason = (reason: string): boolean => reason.endsWith(" will be merged into the keeper")

const nameOf = (a: AssetRow): string => a[ASSET.fileName] || a[ASSET.id]

const memberTile = (
  gi: number,
  g: GroupRow,
  m: MemberRow,
  keeper: MemberRow | undefined,
  suggested: MemberRow,
  index: number,
  state: MemberState,
  decided: boolean,
  kept: KeptTraits
): HTMLElement => {
  const members = g[GROUP.members]
  // The ranking's text (margin, reasons, would-lose, same bytes) is about the suggested keeper; once the
  // reviewer keeps another (or none), what depends on the keeper is worked out here against theirs.
  const swapped = keeper !== suggested
  const keeperMember = keeper ?? suggested
  const a = assetAt(m[MEMBER.asset])
  const k = assetAt(keeperMember[MEMBER.asset])
  const isKeeper = m === keeperMember
  const keeperShot = !isKeeper && m[MEMBER.shot] === keeperMember[MEMBER.shot]
  // Byte-identical to the suggested keeper is known; to another member only through it.
  const identical =
    !isKeeper && !keeperShot && settledShot(g, m) && (!swapped || settledShot(g, keeperMember))
  const sameBytes = swapped
    ? keeperMember[MEMBER.sameBytesAsKeeper] === 1 && (m === suggested || m[MEMBER.sameBytesAsKeeper] === 1)
    : m[MEMBER.sameBytesAsKeeper] === 1
  const rec = stateName(state)
  const tile = el("figure", `member rec-${rec}${decided ? " yours" : ""}`)
  tile.dataset.assetIndex = String(m[MEMBER.asset])
  tile.dataset.member = String(index)

  const media = el("div", "media", thumb(a, "thumb"))
  const badge = el("span", `badge badge-${rec}`, !decided && isKeeper ? "★ Keep" : STATE_LABEL[state])
  if (decided) badge.title = "Your decision"
  media.append(badge, el("span", "rank", `#${m[MEMBER.rank]}`))
  const still = stillOf(g)[index] ?? index
  if (still !== index) {
    const of = assetValue(members[still]?.[MEMBER.asset] ?? -1, "fileName")
    media.append(el("span", "companion", of ? `companion of ${of}` : "companion"))
  }
  tile.append(media)

  const cap = el("figcaption")
  const name = el("div", "fname", a[ASSET.fileName])
  name.title = a[ASSET.fileName]
  cap.append(name)
  cap.append(
    el(
      "div",
      "idline",
      idButton(a[ASSET.id]),
      serverLink(a[ASSET.id]),
      still === index
        ? stateButtons(gi, index, state, index < 9 ? String(index + 1) : "")
        : el("span", "muted", "follows its still")
    )
  )

  // Score bar and margin.
  const score = m[MEMBER.score]
  const keeperScore = keeperMember[MEMBER.score]
  const margin = !swapped
    ? m[MEMBER.margin]
    : score === null || keeperScore === null
      ? null
      : keeperScore - score
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
      el(
        "span",
        close ? "margin close" : "margin",
        marginText(margin, isKeeper, keeperShot, identical, sameBytes)
      )
    )
  )

  // What merges into the suggested keeper holds only while this member goes and that keeper stays.
  const reasons = reasonsOf(D, m).filter((reason) => !isMergeReason(reason) || (!swapped && state !== KEEP))
  if (reasons.length > 0) {
    if (swapped)
      cap.append(
        el("div", "suggested", `Suggested with ${nameOf(assetAt(suggested[MEMBER.asset]))} as keeper:`)
      )
    const list = el("ul", "reasons")
    for (const reason of reasons) list.append(el("li", undefined, reason))
    cap.append(list)
  }
  const wouldLose = wouldLoseOf(D, m)
  const lost = state === KEEP ? [] : lostByDiscard(a, kept)
  const lostLine = (label: string) =>
    el(
      "div",
      "lose",
      el("strong", undefined, label),
      `${lost.join(", ")} (no kept copy has them; a merge cannot carry them)`
    )
  if (swapped) {
    const merged = keeper === undefined || state === KEEP ? [] : mergedInto(a, k)
    const discard = state === DISCARD
    if (merged.length > 0)
      cap.append(
        el(
          "div",
          "merge",
          el("strong", undefined, `${discard ? "Merged" : "Would merge"} into ${nameOf(k)}: `),
          merged.join(", ")
        )
      )
    if (lost.length > 0) cap.append(lostLine(discard ? "Discarding loses: " : "Would lose: "))
  } else if (wouldLose.length > 0) {
    cap.append(el("div", "lose", el("strong", undefined, "Would lose: "), wouldLose.join(", ")))
  } else if (state === DISCARD && lost.length > 0) {
    // A discard the reviewer chose: what no kept copy has and no merge carries.
    cap.append(lostLine("Discarding loses: "))
  }
  cap.append(facts(a, k, isKeeper, sameBytes))

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

const groupActions = (gi: number, status: GroupStatus): HTMLElement => {
  const bar = el("div", "card-actions")
  const accept = button("Accept suggestion", undefined, () => acceptSuggestion(gi))
  accept.title = "Keep and discard as suggested (key a)"
  const decision = decisionOf(gi)
  accept.disabled = decision !== undefined && !("notDuplicates" in decision) && sameAsSuggestion(gi)
  const notDuplicates = button("Not duplicates", undefined, () => toggleNotDuplicates(gi))
  notDuplicates.setAttribute("aria-pressed", String(status === "not-duplicates"))
  notDuplicates.title = "None of these is a copy of another: touch none, never group them again (key x)"
  const compare = button("Compare", undefined, () => openCompare(gi, 0))
  compare.title = "Members side by side, as large as the screen allows (key c)"
  const clear = button("Clear", undefined, () => clearDecision(gi))
  clear.title = "Back to the suggestion (key Delete)"
  clear.disabled = status === "undecided"
  bar.append(accept, notDuplicates, compare, clear)
  return bar
}

const sameAsSuggestion = (gi: number): boolean => {
  const suggested = suggestion(gi)
  return effective(gi).every((state, i) => state === suggested[i])
}

/** The card of group `gi`. */
export const groupCard = (gi: number): HTMLElement => {
  const g = groupAt(gi)
  const card = el("article", "card")
  card.tabIndex = -1
  card.dataset.group = g[GROUP.id]
  card.dataset.index = String(gi)
  const kind = g[GROUP.kind] === 0 ? "exact" : momentOnly(g) ? "moment" : "near"
  const head = el("header", "card-head")
  const kindLabel = el(
    "span",
    `kind kind-${kind}`,
    kind === "exact"
      ? "Exact copies"
      : kind === "moment"
        ? "Same moment, images not compared"
        : "Near duplicates"
  )
  if (kind === "moment") kindLabel.title = "Only the capture time joined these; look before you discard"
  const title = el("div", "card-title", kindLabel)
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
  const states = effective(gi)
  const status = statusOf(gi)
  const decided = status !== "undecided"
  const reviews = states.filter((state) => state === REVIEW).length
  const reclaim = g[GROUP.reclaimableBytes]
  const groupFacts = el(
    "div",
    "card-facts",
    el("span", undefined, plural(g[GROUP.shotCount], "shot")),
    el("span", undefined, span),
    reclaim > 0 ? el("span", "reclaim", `${fmtBytes(reclaim)} reclaimable`) : null,
    reviews > 0 ? el("span", "needs-review", `${reviews} to review`) : null
  )
  const statusBadge =
    status === "undecided" ? null : el("span", `status status-${status}`, STATUS_LABEL[status])
  head.append(title, groupFacts)
  if (statusBadge !== null) head.append(statusBadge)
  if (g[GROUP.decidedByYou] === 1) head.append(el("span", "status status-file", "from your decisions file"))
  head.append(el("code", "gid", g[GROUP.id]))
  for (const note of g[GROUP.notes]) head.append(el("div", "group-note", note))
  card.append(head, groupActions(gi, status))
  const members = g[GROUP.members]
  const suggested = (members[g[GROUP.keeper]] ?? members[0]) as MemberRow
  const keeper = members[keeperOf(gi)]
  const tiles = el("div", "members")
  const kept: KeptTraits = { people: new Set(), faces: false, gps: false }
  members.forEach((m, i) => {
    if (states[i] !== KEEP) return
    const a = assetAt(m[MEMBER.asset])
    for (const name of people(a)) kept.people.add(name)
    if ((a[ASSET.faceCount] ?? 0) > 0) kept.faces = true
    if (a[ASSET.hasGps] === 1) kept.gps = true
  })
  members.forEach((m, i) => {
    tiles.append(memberTile(gi, g, m, keeper, suggested, i, states[i] ?? REVIEW, decided, kept))
  })
  card.append(tiles)
  return card
}
