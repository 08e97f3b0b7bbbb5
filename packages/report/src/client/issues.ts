/** The issues section: time-zone anomalies and rejected inputs. */
import { assetValue, D, fmtWallOffset, groupIdAt, wallAt } from "./data.js"
import { byId, el } from "./dom.js"
import { fmtInt, plural, wallMillis } from "./format.js"

/** What the list shows of a copy: index fields only, so listing a thousand reads no block's details. */
interface Copy {
  readonly fileName: string
  readonly wall: string
  readonly offsetMinutes: number | null
  readonly group: number
}

const copyAt = (index: number): Copy => ({
  fileName: assetValue(index, "fileName") ?? "",
  wall: wallAt(index),
  offsetMinutes: assetValue(index, "offsetMinutes") ?? null,
  group: assetValue(index, "group") ?? -1
})

/** The wall-clock difference of two copies in minutes when it is a whole zone step (15 min .. 26 h), else null. */
const zoneShift = (a: Copy, b: Copy): number | null => {
  const diff = wallMillis(b.wall) - wallMillis(a.wall)
  return diff === 0 || !Number.isFinite(diff) || Math.abs(diff) > 26 * 3_600_000 || diff % 900_000 !== 0
    ? null
    : diff / 60_000
}

const fmtShift = (minutes: number): string => {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`
}

interface ShiftRow {
  /** One asset (its own times disagree) or two copies, earlier clock first. */
  readonly assets: ReadonlyArray<Copy>
  readonly reason: string
}

/**
 * The anomalies grouped by the actual shift: each pair of copies whose clocks are a zone step apart
 * goes under that shift (copies further apart, e.g. a re-upload a month later, are left out), and a
 * single asset whose own times disagree goes under its reason.
 */
const shiftGroups = (): Map<string, Array<ShiftRow>> => {
  const groups = new Map<string, Array<ShiftRow>>()
  const add = (heading: string, row: ShiftRow) => {
    const rows = groups.get(heading)
    if (rows === undefined) groups.set(heading, [row])
    else rows.push(row)
  }
  for (const [indexes, reason] of D.timezone.items) {
    const assets = indexes.map(copyAt).sort((a, b) => wallMillis(a.wall) - wallMillis(b.wall))
    if (assets.length === 1) {
      add(reason, { assets, reason })
      continue
    }
    assets.forEach((later, k) => {
      const earlier = assets.slice(0, k).find((a) => zoneShift(a, later) !== null)
      if (earlier !== undefined) {
        add(`Copies ${fmtShift(zoneShift(earlier, later) as number)} apart`, {
          assets: [earlier, later],
          reason
        })
      }
    })
  }
  return groups
}

const copyText = (a: Copy): HTMLElement =>
  el(
    "span",
    "tz-copy",
    el("span", "fname", a.fileName),
    " ",
    el("span", "muted nb", fmtWallOffset(a.wall, a.offsetMinutes))
  )

/** A table cell that names its column, for the stacked table on a phone. */
const labelled = (label: string, cell: HTMLTableCellElement): HTMLTableCellElement => {
  cell.dataset.label = label
  return cell
}

/** Fills the issues section. */
export const renderIssues = (showGroup: (id: string) => void): void => {
  const tz = byId("timezones")
  const tzNote = byId("timezones-note")
  tzNote.textContent =
    D.timezone.total === 0
      ? "None found: copies of one photo agree on their capture time."
      : `${plural(D.timezone.total, "set")} of copies whose capture times disagree, often by whole hours (a camera or upload in the wrong zone).${D.timezone.items.length < D.timezone.total ? ` Showing ${fmtInt(D.timezone.items.length)}; report.json lists all.` : ""}`
  for (const [heading, rows] of shiftGroups()) {
    const files = el("ul", "tz-files")
    for (const row of rows) {
      const item = el("li", undefined, ...row.assets.flatMap((a, i) => [i > 0 ? " → " : "", copyText(a)]))
      const group = groupIdAt(row.assets[0]?.group ?? -1)
      if (group !== undefined) {
        const link = el("a", "tz-group", group)
        link.href = "#groups"
        link.addEventListener("click", () => showGroup(group))
        item.append(" · ", link)
      }
      if (row.reason !== heading) item.title = row.reason
      files.append(item)
    }
    tz.append(el("li", "tz", el("div", "tz-reason", heading), files))
  }

  const rejected = byId("rejected")
  const note = byId("rejected-note")
  note.textContent =
    D.rejected.total === 0
      ? "Every input item was read."
      : `${plural(D.rejected.total, "input item")} could not be read and ${D.rejected.total === 1 ? "was" : "were"} left out; the rest of the album was analysed.${D.rejected.items.length < D.rejected.total ? ` Showing ${fmtInt(D.rejected.items.length)}; report.json lists all.` : ""}`
  if (D.rejected.items.length === 0) {
    rejected.hidden = true
    return
  }
  const body = rejected.querySelector("tbody") as HTMLTableSectionElement
  for (const [index, id, album, reason] of D.rejected.items) {
    body.append(
      el(
        "tr",
        undefined,
        labelled("Index", el("td", "num", fmtInt(index))),
        labelled("Album", el("td", "small", album ?? "—")),
        labelled("Id", el("td", "mono", id ?? "—")),
        labelled("Reason", el("td", "reason", reason))
      )
    )
  }
}
