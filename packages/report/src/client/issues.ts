/** The issues section: time-zone anomalies and rejected inputs. */
import { ASSET, GROUP } from "../internal/pageData.js"
import { assetAt, D, fmtTime } from "./data.js"
import { byId, el } from "./dom.js"
import { fmtInt, plural } from "./format.js"

export const renderIssues = (showGroup: (id: string) => void): void => {
  const tz = byId("timezones")
  const tzNote = byId("timezones-note")
  tzNote.textContent =
    D.timezone.total === 0
      ? "None found: copies of one photo agree on their capture time."
      : `${plural(D.timezone.total, "set")} of copies whose capture times disagree, often by whole hours (a camera or upload in the wrong zone).${D.timezone.items.length < D.timezone.total ? ` Showing ${fmtInt(D.timezone.items.length)}; report.json lists all.` : ""}`
  for (const [assets, reason] of D.timezone.items) {
    const files = el("ul", "tz-files")
    for (const ai of assets) {
      const a = assetAt(ai)
      const item = el(
        "li",
        undefined,
        el("span", "fname", a[ASSET.fileName]),
        el("span", "muted", ` ${fmtTime(a)}`)
      )
      const group = D.groups[a[ASSET.group]]
      if (group !== undefined) {
        const link = el("a", "tz-group", group[GROUP.id])
        link.href = "#groups"
        link.addEventListener("click", () => showGroup(group[GROUP.id]))
        item.append(" · ", link)
      }
      files.append(item)
    }
    tz.append(el("li", "tz", el("div", "tz-reason", reason), files))
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
        el("td", "num", fmtInt(index)),
        el("td", "small", album ?? "—"),
        el("td", "mono", id ?? "—"),
        el("td", "reason", reason)
      )
    )
  }
}
