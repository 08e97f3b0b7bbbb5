/** The page header (sources, downloads) and the summary: counts, decisions, evidence, coverage. */
import { D } from "./data.js"
import { type MemberState, onChange, STATE_LABEL, stateName, totals } from "./decisions.js"
import { byId, el } from "./dom.js"
import { evidenceLabel, fmtBytes, fmtInt, pct, plural } from "./format.js"

/** Fills the page header: when, by what, from where, and the other report files. */
export const renderHeader = (): void => {
  const meta = byId("meta")
  const when = D.meta.generatedAt
    .replace("T", " ")
    .replace(/\.\d+Z$/, " UTC")
    .replace(/Z$/, " UTC")
  meta.append(
    el("span", undefined, `Generated ${when}`),
    el("span", undefined, `${D.meta.tool} ${D.meta.version}`),
    ...D.meta.sources.map((s) => el("span", "source", s))
  )
  const links = byId("downloads")
  for (const format of D.meta.formats) {
    if (format === "html") continue
    const a = el("a", "button", `report.${format}`)
    a.href = `report.${format}`
    a.download = `report.${format}`
    links.append(a)
  }
}

const stat = (label: string, value: string, sub: string, tone?: string, href?: string): HTMLElement => {
  const box = el(href ? "a" : "div", `stat${tone ? ` tone-${tone}` : ""}`)
  if (href && box instanceof HTMLAnchorElement) box.href = href
  box.append(el("div", "stat-label", label), el("div", "stat-value", value), el("div", "stat-sub", sub))
  return box
}

const discardStat = stat("Discards", "", "", "discard")
const reclaimStat = stat("Reclaimable", "", "", "keep")
const setStat = (box: HTMLElement, value: string, sub: string): void => {
  ;(box.querySelector(".stat-value") as HTMLElement).textContent = value
  ;(box.querySelector(".stat-sub") as HTMLElement).textContent = sub
}

/** The counts that follow the reviewer's decisions: keep, discard, review left, bytes to reclaim. */
const showDecisions = (): void => {
  const decided = totals.decided
  setStat(
    discardStat,
    fmtInt(totals.discard),
    `${fmtInt(totals.review)} to review by hand${decided > 0 ? ` · ${plural(decided, "group")} decided` : ""}`
  )
  setStat(
    reclaimStat,
    fmtBytes(totals.bytes),
    totals.bytes > 0
      ? "if every discard is removed"
      : totals.discard > 0
        ? "no file sizes known"
        : "nothing to discard"
  )
  const counts = [totals.keep, totals.discard, totals.review] as const
  const total = totals.keep + totals.discard + totals.review
  const stack = el("div", "stack")
  const legend = el("div", "legend")
  counts.forEach((count, state) => {
    const name = stateName(state as MemberState)
    const label = STATE_LABEL[state as MemberState]
    if (total > 0 && count > 0) {
      const part = el("span", `part part-${name}`)
      part.style.width = `${(count / total) * 100}%`
      part.title = `${label}: ${fmtInt(count)}`
      stack.append(part)
    }
    legend.append(el("span", `key key-${name}`, `${label} ${fmtInt(count)}`))
  })
  const title = el(
    "p",
    "decided-note",
    decided > 0 ? `Your decisions on ${plural(decided, "group")} are counted.` : "As suggested; decide below."
  )
  serverNote ??= makeServerNote()
  byId("decisions").replaceChildren(stack, legend, title, serverNote)
}

/** What the choices do on the server (made once, so it stays open across changes). */
let serverNote: HTMLElement | undefined
const makeServerNote = (): HTMLElement => {
  const note = el("details", "server-note")
  const line = (...parts: Array<string | HTMLElement>) => el("p", undefined, ...parts)
  note.append(
    el("summary", undefined, "What these choices do on your server"),
    line(
      "Nothing changes on your server from this page. Export decisions, then run ",
      el(
        "code",
        undefined,
        "albumsift apply --report <this report's folder> --decisions decisions.json --action trash"
      ),
      ": it shows a dry run first, changes things only with --yes, and albumsift undo takes them back."
    ),
    line(
      "Discard: trash moves it to the server's trash after giving the keeper what it can carry (albums, rating, description, GPS where the server can undo it; people and faces cannot be moved, so such a copy is held back unless you chose to discard it); remove-from-album takes it out of the album; stack puts it under its keeper and deletes nothing. apply acts on every group in the decisions file, accepted suggestions included; the other groups follow the suggestion within --groups (trash: exact-copy groups by default; --groups all adds the rest)."
    ),
    line(
      "Keep and Review members are never touched; Not duplicates leaves the whole group alone, and the next report never groups them together again."
    )
  )
  return note
}

/** Fills the summary, whose decision counts follow every change. */
export const renderSummary = (): void => {
  const s = D.summary
  const grid = byId("stats")
  grid.append(
    stat(
      "Assets analysed",
      fmtInt(s.assets),
      `${plural(s.inputItems, "input item")}${s.duplicateIds > 0 ? ` · ${fmtInt(s.duplicateIds)} repeated ids` : ""}`
    ),
    stat(
      "Duplicate groups",
      fmtInt(s.groups),
      `${fmtInt(s.groupsByKind.exact ?? 0)} exact · ${fmtInt(s.groupsByKind.near ?? 0)} near`,
      undefined,
      "#groups"
    ),
    discardStat,
    reclaimStat,
    stat("Low quality", fmtInt(s.lowQuality), "assets at the bottom of the album", undefined, "#quality"),
    stat(
      "Rejected inputs",
      fmtInt(s.rejected),
      s.rejected > 0 ? "could not be read — see below" : "every input was read",
      s.rejected > 0 ? "warn" : undefined,
      "#issues"
    ),
    stat(
      "Time-zone anomalies",
      fmtInt(s.timezoneAnomalies),
      s.timezoneAnomalies > 0 ? "copies whose clocks disagree" : "none found",
      s.timezoneAnomalies > 0 ? "warn" : undefined,
      "#issues"
    )
  )
  const evidence = byId("evidence-summary")
  D.evidenceNames.forEach((name) => {
    const count = s.groupsByEvidence[name] ?? 0
    if (count === 0) return
    evidence.append(el("span", "chip evidence", evidenceLabel(name), el("b", undefined, fmtInt(count))))
  })
  if (evidence.children.length === 0) evidence.append(el("span", "muted", "no groups"))
  showDecisions()
  onChange(showDecisions)
  const coverage = byId("coverage")
  for (const [label, share] of [
    ["EXIF", s.coverage.exif],
    ["Metrics", s.coverage.metrics],
    ["Thumbnails", s.coverage.thumbnails]
  ] as const) {
    const bar = el("span", "cov-bar")
    const fill = el("span", "cov-fill")
    fill.style.width = pct(share)
    bar.append(fill)
    coverage.append(
      el("div", "cov", el("span", "cov-label", label), bar, el("span", "cov-value", pct(share)))
    )
  }
}
