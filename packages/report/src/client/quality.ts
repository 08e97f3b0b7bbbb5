/** The quality section: a histogram per metric and the worst low-quality assets. */
import { ASSET, type PageData } from "../internal/pageData.js"
import { assetAt, D, flagsOf, groupIdAt, thumb } from "./data.js"
import { byId, el, svg } from "./dom.js"
import { flagLabel, fmtInt, fmtMetric, fmtRating, fmtScore, pct, plural } from "./format.js"

type MetricStats = PageData["metrics"][number]

const histogram = (m: MetricStats): SVGElement => {
  const width = 320
  const height = 132
  const pad = { l: 8, r: 8, t: 10, b: 26 }
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "hist", role: "img" })
  const title = svg("title", {})
  title.textContent = `Histogram of ${m.name}`
  root.append(title)
  const bins = m.histogram
  const max = Math.max(1, ...bins.map((b) => b.count))
  const innerW = width - pad.l - pad.r
  const innerH = height - pad.t - pad.b
  const bw = bins.length > 0 ? innerW / bins.length : innerW
  bins.forEach((bin, i) => {
    const h = (bin.count / max) * innerH
    const rect = svg("rect", {
      x: (pad.l + i * bw + 1).toFixed(2),
      y: (pad.t + innerH - h).toFixed(2),
      width: Math.max(1, bw - 2).toFixed(2),
      height: Math.max(bin.count > 0 ? 1 : 0, h).toFixed(2),
      rx: 2,
      class: "bin"
    })
    const tip = svg("title", {})
    tip.textContent = `${fmtMetric(bin.from)} – ${fmtMetric(bin.to)}: ${fmtInt(bin.count)}`
    rect.append(tip)
    root.append(rect)
  })
  const threshold = D.options.lowQualityThresholds[m.name]
  if (typeof threshold === "number" && m.min !== null && m.max !== null && m.max > m.min) {
    const x = pad.l + ((threshold - m.min) / (m.max - m.min)) * innerW
    if (x >= pad.l && x <= width - pad.r) {
      root.append(svg("line", { x1: x, x2: x, y1: pad.t - 4, y2: pad.t + innerH, class: "threshold" }))
    }
  }
  root.append(
    svg("line", { x1: pad.l, x2: width - pad.r, y1: pad.t + innerH, y2: pad.t + innerH, class: "axis" })
  )
  const label = (x: number, anchor: string, text: string) => {
    const t = svg("text", { x, y: height - 8, "text-anchor": anchor, class: "tick" })
    t.textContent = text
    root.append(t)
  }
  label(pad.l, "start", fmtMetric(m.min))
  label(width / 2, "middle", `median ${fmtMetric(m.median)}`)
  label(width - pad.r, "end", fmtMetric(m.max))
  return root
}

/** Fills the quality section. */
export const renderQuality = (showGroup: (id: string) => void): void => {
  const box = byId("metrics")
  if (D.metrics.length === 0)
    box.append(el("p", "muted", "No asset in this album carries ML quality metrics."))
  for (const m of D.metrics) {
    const card = el("div", "metric-card")
    const head = el(
      "div",
      "metric-head",
      el("h3", undefined, m.name),
      el("span", "muted", m.lowerIsBetter ? "lower is better" : "higher is better")
    )
    const table = el("dl", "metric-stats")
    for (const [label, value] of [
      ["count", fmtInt(m.count)],
      ["missing", fmtInt(m.missing)],
      ["min", fmtMetric(m.min)],
      ["q1", fmtMetric(m.q1)],
      ["median", fmtMetric(m.median)],
      ["q3", fmtMetric(m.q3)],
      ["max", fmtMetric(m.max)],
      ["mean", fmtMetric(m.mean)],
      ["stdev", fmtMetric(m.stdev)]
    ] as const) {
      table.append(el("div", undefined, el("dt", undefined, label), el("dd", undefined, value)))
    }
    const threshold = D.options.lowQualityThresholds[m.name]
    card.append(head, histogram(m))
    if (typeof threshold === "number") {
      card.append(el("p", "threshold-note", `Low-quality threshold: ${fmtMetric(threshold)}`))
    }
    card.append(table)
    box.append(card)
  }

  const low = byId("low-quality")
  const note = byId("low-quality-note")
  note.textContent =
    D.lowQuality.total === 0
      ? "No asset was flagged low quality."
      : D.lowQuality.items.length < D.lowQuality.total
        ? `The ${fmtInt(D.lowQuality.items.length)} lowest-scoring of ${fmtInt(D.lowQuality.total)} flagged assets; report.csv lists all.`
        : `${plural(D.lowQuality.total, "asset")} in the bottom ${pct(D.options.lowQualityPercentile)} of the album's scores or below a threshold, worst first.`
  if (D.lowQuality.items.length === 0) {
    low.hidden = true
    return
  }
  const body = low.querySelector("tbody") as HTMLTableSectionElement
  for (const ai of D.lowQuality.items) {
    const a = assetAt(ai)
    const chips = el("div", "chips")
    for (const flag of flagsOf(a[ASSET.flags])) chips.append(el("span", `chip flag-${flag}`, flagLabel(flag)))
    const flags = el("td", undefined, chips)
    const metrics = D.metricNames
      .map((name, i) =>
        a[ASSET.metrics][i] === null || a[ASSET.metrics][i] === undefined
          ? ""
          : `${name} ${fmtMetric(a[ASSET.metrics][i])}`
      )
      .filter((s) => s !== "")
      .join(" · ")
    const groupCell = el("td")
    const group = groupIdAt(a[ASSET.group])
    if (group !== undefined) {
      const link = el("a", undefined, group)
      link.href = "#groups"
      link.addEventListener("click", () => showGroup(group))
      groupCell.append(link)
    } else groupCell.append(el("span", "muted", "—"))
    const name = el("td", "fname", a[ASSET.fileName])
    name.title = a[ASSET.fileName]
    body.append(
      el(
        "tr",
        undefined,
        el("td", "mini", thumb(a, "mini-thumb")),
        name,
        el("td", "num", fmtScore(a[ASSET.score])),
        el("td", undefined, fmtRating(a[ASSET.rating])),
        el("td", "small", metrics || "—"),
        flags,
        groupCell
      )
    )
  }
}
