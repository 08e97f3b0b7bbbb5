/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The report page's browser code. `Html` embeds `reportClient.toString()` in an inline script (its hash
 * goes into the Content-Security-Policy), so this function must be self-contained: no imports, no
 * references to anything outside its body.
 *
 * Every string in the data is hostile: text goes in through `textContent`, attributes through DOM
 * properties, URLs only when http(s) or relative; `innerHTML` is never used.
 */

type AssetRow = [
  string, // 0 id
  string, // 1 fileName
  string, // 2 mimeType
  string, // 3 wall
  number | null, // 4 offsetMinutes
  string | null, // 5 camera
  number | null, // 6 rating
  number, // 7 favorite
  number | null, // 8 width
  number | null, // 9 height
  number | null, // 10 fileSize
  string[], // 11 people
  number, // 12 faceCount
  string | null, // 13 description
  [number, string] | null, // 14 thumb: [index in thumbPrefixes (-1: none), rest]
  number | null, // 15 score
  number, // 16 flags
  Array<number | null>, // 17 metrics
  number, // 18 hasGps
  number, // 19 hasExif
  number, // 20 group
  number, // 21 cameraTime
  string | null // 22 autoStackId
]
type MemberRow = [number, number, number, number | null, number | null, number, string[], string[], number]
type GroupRow = [string, number, number, number, number, number, string, string, MemberRow[]]
interface MetricStats {
  name: string
  count: number
  missing: number
  min: number | null
  q1: number | null
  median: number | null
  q3: number | null
  max: number | null
  mean: number | null
  stdev: number | null
  lowerIsBetter: boolean
  histogram: Array<{ from: number; to: number; count: number }>
}
interface Data {
  v: number
  meta: {
    tool: string
    version: string
    generatedAt: string
    sources: string[]
    formats: string[]
    keptThumbnails: boolean
  }
  options: {
    reviewMargin: number
    burstGapSeconds: number
    lowQualityThresholds: Record<string, number>
    lowQualityPercentile: number
  }
  summary: {
    inputItems: number
    assets: number
    duplicateIds: number
    rejected: number
    shots: number
    groups: number
    groupsByKind: Record<string, number>
    groupsByEvidence: Record<string, number>
    recommendations: Record<string, number>
    reclaimableBytes: number
    timezoneAnomalies: number
    lowQuality: number
    coverage: { exif: number; metrics: number; thumbnails: number }
  }
  evidenceNames: string[]
  flagNames: string[]
  recommendationNames: string[]
  metricNames: string[]
  thumbPrefixes: string[]
  metrics: MetricStats[]
  lowQuality: { total: number; items: number[] }
  timezone: { total: number; items: Array<[number[], string]> }
  rejected: { total: number; items: Array<[number, string | null, string | null, string]> }
  assets: AssetRow[]
  groups: GroupRow[]
}

/** Renders the report from the JSON in `<script id={dataId}>`. Runs in the browser. */
export function reportClient(dataId: string): void {
  const source = document.getElementById(dataId)
  const D = JSON.parse(source?.textContent ?? "null") as Data
  const PAGE_SIZE = 24
  const REC = D.recommendationNames
  const REC_LABEL = ["Keep", "Discard", "Review"]
  const KIND = ["exact", "near"]
  const SVG = "http://www.w3.org/2000/svg"
  const numberFormat = new Intl.NumberFormat("en-US")

  // ---------- tiny DOM helpers (text only) ----------
  type Child = Node | string | null | undefined | false
  const el = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    className?: string,
    ...children: Child[]
  ): HTMLElementTagNameMap[K] => {
    const node = document.createElement(tag)
    if (className) node.className = className
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue
      node.append(typeof child === "string" ? document.createTextNode(child) : child)
    }
    return node
  }
  const svg = (tag: string, attrs: Record<string, string | number>): SVGElement => {
    const node = document.createElementNS(SVG, tag) as SVGElement
    for (const key of Object.keys(attrs)) node.setAttribute(key, String(attrs[key]))
    return node
  }
  const byId = (id: string): HTMLElement => {
    const node = document.getElementById(id)
    if (node === null) throw new Error(`missing #${id}`)
    return node
  }
  const clear = (node: Element): void => {
    node.replaceChildren()
  }

  // Only http(s) and relative URLs may become an image source or link.
  const safeUrl = (url: string | null): string | null => {
    if (typeof url !== "string" || url === "") return null
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    if (/[\u0000-\u001f\u007f\\]/.test(url) || url.startsWith("//")) return null
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)
    if (scheme) return /^https?$/i.test(scheme[1] ?? "") ? url : null
    if (url.includes(":") && !/^[^:]*[/?#]/.test(url)) return null
    try {
      const resolved = new URL(url, document.baseURI)
      return resolved.protocol === "http:" || resolved.protocol === "https:" || resolved.protocol === "file:"
        ? url
        : null
    } catch {
      return null
    }
  }

  // ---------- formatting ----------
  const fmtInt = (n: number): string => numberFormat.format(n)
  // Decimal units, as file managers (and the CLI summary) show them.
  const fmtBytes = (n: number | null): string => {
    if (n === null || !Number.isFinite(n)) return "—"
    if (n < 1000) return `${n} B`
    const units = ["KB", "MB", "GB", "TB", "PB"]
    let value = n
    let unit = -1
    do {
      value /= 1000
      unit++
    } while (value >= 1000 && unit < units.length - 1)
    return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`
  }
  const fmtScore = (n: number | null): string => (n === null ? "—" : n.toFixed(3))
  const fmtMetric = (n: number | null | undefined): string =>
    n === null || n === undefined
      ? "—"
      : Math.abs(n) >= 100
        ? n.toFixed(0)
        : Number(n.toPrecision(4)).toString()
  const fmtOffset = (minutes: number | null): string => {
    if (minutes === null) return ""
    const sign = minutes < 0 ? "−" : "+"
    const abs = Math.abs(minutes)
    return ` ${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`
  }
  // "2024-07-14T09:12:00.600" -> "2024-07-14 09:12:00.6"; whole seconds lose their ".000".
  const fmtWall = (wall: string): string =>
    wall
      .replace("T", " ")
      .replace(/(\.\d*?)0+$/, "$1")
      .replace(/\.$/, "")
  const fmtTime = (a: AssetRow): string => (a[3] ? fmtWall(a[3]) + fmtOffset(a[4]) : "—")
  const fmtClock = (a: AssetRow): string => (a[3] ? fmtWall(a[3]).slice(11) + fmtOffset(a[4]) : "—")
  const wallMillis = (wall: string): number => Date.parse(`${wall}Z`)
  const fmtDelta = (ms: number): string => {
    const sign = ms < 0 ? "−" : "+"
    const s = Math.abs(ms) / 1000
    if (s < 1) return `${sign}${Math.round(s * 1000)} ms`
    if (s < 60) return `${sign}${s < 10 ? s.toFixed(1) : s.toFixed(0)} s`
    if (s < 3600) return `${sign}${(s / 60).toFixed(1)} min`
    if (s < 172800) return `${sign}${(s / 3600).toFixed(1)} h`
    return `${sign}${(s / 86400).toFixed(0)} d`
  }
  const fmtRating = (r: number | null): string => {
    if (r === null) return "unrated"
    if (r < 0) return "rejected"
    return "★".repeat(Math.min(5, r)) + "☆".repeat(Math.max(0, 5 - r))
  }
  const fmtDims = (a: AssetRow): string => (a[8] !== null && a[9] !== null ? `${a[8]}×${a[9]}` : "")
  const plural = (n: number, word: string, many?: string): string =>
    `${fmtInt(n)} ${n === 1 ? word : (many ?? `${word}s`)}`
  const pct = (share: number): string => `${Math.round(share * 100)}%`
  const evidenceLabel = (name: string): string =>
    ({
      checksum: "same checksum",
      auto_stack_id: "burst id",
      capture_time: "capture time",
      stack: "server stack",
      immich_duplicate: "Immich duplicate"
    })[name] ?? name
  const flagLabel = (name: string): string =>
    ({
      low_quality: "low quality",
      rejected_rating: "rated rejected",
      missing_metrics: "no metrics",
      missing_exif: "no EXIF",
      timezone_anomaly: "time-zone anomaly"
    })[name] ?? name
  const flagsOf = (mask: number): string[] => D.flagNames.filter((_, i) => (mask & (1 << i)) !== 0)

  // ---------- thumbnails ----------
  const placeholder = (text: string): HTMLElement => {
    const node = el("span", "ph", el("span", "ph-icon"), el("span", "ph-text", text))
    node.setAttribute("aria-hidden", "true")
    return node
  }
  const thumbUrl = (a: AssetRow): string | null =>
    a[14] === null ? null : (D.thumbPrefixes[a[14][0]] ?? "") + a[14][1]
  const thumb = (a: AssetRow, className: string): HTMLElement => {
    const raw = thumbUrl(a)
    const url = safeUrl(raw)
    if (url === null) return el("div", className, placeholder(raw ? "Unsafe URL hidden" : "No thumbnail"))
    const img = el("img")
    img.loading = "lazy"
    img.decoding = "async"
    img.referrerPolicy = "no-referrer"
    img.alt = a[1]
    img.addEventListener(
      "error",
      () => {
        img.replaceWith(placeholder("Preview unavailable"))
      },
      { once: true }
    )
    img.src = url
    const link = el("a", className, img)
    link.href = url
    link.target = "_blank"
    link.rel = "noopener noreferrer"
    link.title = `Open the thumbnail of ${a[1]}`
    return link
  }

  // ---------- group index for filtering and sorting ----------
  interface GroupKey {
    kind: number
    evidence: number
    recMask: number
    time: number
    size: number
    reclaim: number
    margin: number
    search: string | null
  }
  /** True for members of the keeper's shot or of a shot holding a byte-identical copy of the keeper. */
  const settledShot = (g: GroupRow, m: MemberRow): boolean =>
    m[1] === g[8][g[4]]?.[1] || g[8].some((x) => x[1] === m[1] && x[8] === 1)
  const keys: GroupKey[] = D.groups.map((g) => {
    let recMask = 0
    let size = 0
    let margin = Number.POSITIVE_INFINITY
    for (const m of g[8]) {
      recMask |= 1 << (m[5] ?? 0)
      size += D.assets[m[0]]?.[10] ?? 0
      // A close call is a runner-up shot near the keeper; identical copies and the keeper's companions are not.
      if (!settledShot(g, m) && m[4] !== null && m[4] < margin) margin = m[4]
    }
    return {
      kind: g[1],
      evidence: g[2],
      recMask,
      time: wallMillis(g[6]),
      size,
      reclaim: g[5],
      margin,
      search: null
    }
  })
  const searchText = (i: number): string => {
    const key = keys[i] as GroupKey
    if (key.search === null) {
      const g = D.groups[i] as GroupRow
      key.search = [g[0], ...g[8].map((m) => D.assets[m[0]]?.[1] ?? "")].join("\n").toLowerCase()
    }
    return key.search
  }

  const state = {
    kind: "all",
    evidence: 0,
    rec: "any",
    query: "",
    sort: "time",
    page: 0
  }
  let visible: number[] = []
  let current = -1 // index of the focused card on the page

  const applyFilters = (): void => {
    const kind = state.kind === "exact" ? 0 : state.kind === "near" ? 1 : -1
    const query = state.query.trim().toLowerCase()
    const out: number[] = []
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as GroupKey
      if (kind >= 0 && k.kind !== kind) continue
      if (state.evidence !== 0 && (k.evidence & state.evidence) === 0) continue
      if (state.rec === "review" && (k.recMask & 4) === 0) continue
      if (state.rec === "discard" && (k.recMask & 2) === 0) continue
      if (state.rec === "decided" && (k.recMask & 4) !== 0) continue
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
    out.sort(sorters[state.sort] ?? sorters.time)
    visible = out
  }

  // ---------- member tile ----------
  const factRow = (
    label: string,
    value: string | Node,
    diff: boolean,
    keeperValue: string,
    extraClass?: string
  ): HTMLElement[] => {
    const dt = el("dt", undefined, label)
    dt.title = label
    const dd = el("dd", extraClass, value)
    if (diff) {
      dd.classList.add("diff")
      dd.title = `Keeper: ${keeperValue}`
    }
    return [dt, dd]
  }

  const memberTile = (g: GroupRow, m: MemberRow, keeperMember: MemberRow, index: number): HTMLElement => {
    const a = D.assets[m[0]] as AssetRow
    const k = D.assets[keeperMember[0]] as AssetRow
    const isKeeper = m === keeperMember
    const keeperShot = !isKeeper && m[1] === keeperMember[1]
    const identical = !isKeeper && !keeperShot && settledShot(g, m)
    const rec = REC[m[5]] ?? "review"
    const tile = el("figure", `member rec-${rec}`)
    tile.dataset.assetIndex = String(m[0])

    const media = el("div", "media", thumb(a, "thumb"))
    const badge = el("span", `badge badge-${rec}`, isKeeper ? "★ Keep" : (REC_LABEL[m[5]] ?? rec))
    media.append(badge, el("span", "rank", `#${m[2]}`))
    const prev = g[8][index - 1]
    if (prev !== undefined && prev[1] === m[1]) {
      const first = g[8].find((x) => x[1] === m[1])
      const of = first !== undefined ? D.assets[first[0]]?.[1] : undefined
      media.append(el("span", "companion", of ? `companion of ${of}` : "companion"))
    }
    tile.append(media)

    const cap = el("figcaption")
    const name = el("div", "fname", a[1])
    name.title = a[1]
    cap.append(name)

    // Score bar and margin.
    const bar = el("div", "bar")
    const fill = el("span", "fill")
    fill.style.width = `${Math.max(0, Math.min(1, m[3] ?? 0)) * 100}%`
    bar.append(fill)
    bar.title = m[3] === null ? "No score: no rating and no metrics" : `Score ${fmtScore(m[3])}`
    const marginText = isKeeper
      ? "keeper"
      : keeperShot
        ? "same shot as keeper"
        : identical
          ? m[8] === 1
            ? "identical copy"
            : "companion of an identical copy"
          : m[4] === null
            ? "margin unknown"
            : m[4] === 0
              ? "tie with keeper"
              : `${m[4] > 0 ? "−" : "+"}${Math.abs(m[4]).toFixed(3)} vs keeper`
    const close = !isKeeper && !keeperShot && !identical && m[4] !== null && m[4] < D.options.reviewMargin
    bar.title += isKeeper ? "" : ` · margin ${m[4] === null ? "unknown" : fmtScore(m[4])}`
    cap.append(
      el(
        "div",
        "scoreline",
        bar,
        el("span", "score", fmtScore(m[3])),
        el("span", close ? "margin close" : "margin", marginText)
      )
    )

    if (m[6].length > 0) {
      const list = el("ul", "reasons")
      for (const reason of m[6]) list.append(el("li", undefined, reason))
      cap.append(list)
    }
    if (m[7].length > 0) {
      cap.append(el("div", "lose", el("strong", undefined, "Would lose: "), m[7].join(", ")))
    }

    // Facts, with what differs from the keeper highlighted.
    const facts = el("dl", "facts")
    const add = (rows: HTMLElement[]) => facts.append(...rows)
    const timeDiff = !isKeeper && (a[3] !== k[3] || a[4] !== k[4])
    const sameDay = a[3] !== "" && a[3].slice(0, 10) === k[3].slice(0, 10)
    let timeValue = sameDay ? fmtClock(a) : fmtTime(a)
    if (timeDiff && a[3] && k[3]) {
      const delta = wallMillis(a[3]) - wallMillis(k[3])
      if (Number.isFinite(delta) && delta !== 0) timeValue += ` (${fmtDelta(delta)})`
    }
    const timeRow = factRow("Time", timeValue, timeDiff, fmtTime(k))
    if (!timeDiff) (timeRow[1] as HTMLElement).title = fmtTime(a)
    add(timeRow)
    add(factRow("Camera", a[5] ?? "—", !isKeeper && a[5] !== k[5], k[5] ?? "—"))
    add(factRow("Rating", fmtRating(a[6]), !isKeeper && a[6] !== k[6], fmtRating(k[6]), "stars"))
    const size = [fmtBytes(a[10]), fmtDims(a)].filter((s) => s && s !== "—").join(" · ") || "—"
    const keeperSize = [fmtBytes(k[10]), fmtDims(k)].filter((s) => s && s !== "—").join(" · ") || "—"
    add(factRow("Size", size, !isKeeper && size !== keeperSize, keeperSize))
    const people = a[11].length > 0 ? a[11].join(", ") : "—"
    const keeperPeople = k[11].length > 0 ? k[11].join(", ") : "—"
    add(factRow("People", people, !isKeeper && people !== keeperPeople, keeperPeople))
    D.metricNames.forEach((metric, i) => {
      const value = a[17][i]
      const kv = k[17][i]
      if ((value === null || value === undefined) && (kv === null || kv === undefined)) return
      const differs = !isKeeper && value !== kv
      let text = fmtMetric(value)
      if (differs && typeof value === "number" && typeof kv === "number") text += value > kv ? " ▲" : " ▼"
      add(factRow(metric, text, differs, fmtMetric(kv), "metric"))
    })
    if (!isKeeper && m[8] === 1) add(factRow("Bytes", "identical to keeper", false, ""))
    if (a[13]) add(factRow("Note", a[13], !isKeeper && a[13] !== k[13], k[13] ?? "—"))
    cap.append(facts)

    const flags = flagsOf(a[16])
    if (a[7] === 1 || flags.length > 0) {
      const chips = el("div", "chips")
      if (a[7] === 1) chips.append(el("span", "chip chip-fav", "♥ favorite"))
      for (const flag of flags) chips.append(el("span", `chip flag-${flag}`, flagLabel(flag)))
      cap.append(chips)
    }
    tile.append(cap)
    return tile
  }

  // ---------- group card ----------
  const groupCard = (gi: number): HTMLElement => {
    const g = D.groups[gi] as GroupRow
    const card = el("article", "card")
    card.tabIndex = -1
    card.dataset.group = g[0]
    const kind = KIND[g[1]] ?? "near"
    const head = el("header", "card-head")
    const title = el(
      "div",
      "card-title",
      el("span", `kind kind-${kind}`, kind === "exact" ? "Exact copies" : "Near duplicates")
    )
    D.evidenceNames.forEach((name, i) => {
      if ((g[2] & (1 << i)) !== 0) {
        const chip = el("span", "chip evidence", evidenceLabel(name))
        chip.title = `Evidence: ${name}`
        title.append(chip)
      }
    })
    const span =
      g[6] === g[7]
        ? fmtWall(g[6])
        : `${fmtWall(g[6])} → ${g[7].slice(0, 10) === g[6].slice(0, 10) ? fmtWall(g[7]).slice(11) : fmtWall(g[7])}`
    const reviews = g[8].filter((m) => m[5] === 2).length
    const facts = el(
      "div",
      "card-facts",
      el("span", undefined, plural(g[3], "shot")),
      el("span", undefined, span),
      g[5] > 0 ? el("span", "reclaim", `${fmtBytes(g[5])} reclaimable`) : null,
      reviews > 0 ? el("span", "needs-review", `${reviews} to review`) : null
    )
    const id = el("code", "gid", g[0])
    head.append(title, facts, id)
    card.append(head)
    const keeperMember = (g[8][g[4]] ?? g[8][0]) as MemberRow
    const members = el("div", "members")
    g[8].forEach((m, i) => {
      members.append(memberTile(g, m, keeperMember, i))
    })
    card.append(members)
    card.addEventListener("focusin", () => {
      setCurrent(Array.prototype.indexOf.call(byId("cards").children, card) as number, false)
    })
    return card
  }

  // ---------- groups section ----------
  const renderPage = (): void => {
    const list = byId("cards")
    clear(list)
    const pages = Math.max(1, Math.ceil(visible.length / PAGE_SIZE))
    if (state.page >= pages) state.page = pages - 1
    if (state.page < 0) state.page = 0
    const start = state.page * PAGE_SIZE
    const slice = visible.slice(start, start + PAGE_SIZE)
    for (const gi of slice) list.append(groupCard(gi))
    if (slice.length === 0) {
      list.append(
        el(
          "div",
          "empty",
          D.groups.length === 0 ? "No duplicate groups in this album." : "No group matches these filters."
        )
      )
    }
    const total = D.groups.length
    const shown =
      visible.length === 0
        ? "No groups"
        : `Groups ${fmtInt(start + 1)}–${fmtInt(start + slice.length)} of ${fmtInt(visible.length)}`
    byId("count").textContent = visible.length === total ? shown : `${shown} (filtered from ${fmtInt(total)})`
    for (const pager of document.querySelectorAll<HTMLElement>(".pager")) {
      const [prev, label, next] = Array.from(pager.children) as [
        HTMLButtonElement,
        HTMLElement,
        HTMLButtonElement
      ]
      prev.disabled = state.page === 0
      next.disabled = state.page >= pages - 1
      label.textContent = `Page ${fmtInt(state.page + 1)} of ${fmtInt(pages)}`
    }
    current = -1
  }

  // The view (filters, sort, page) lives in the URL fragment, so a reload or a bookmark keeps it.
  const SORTS = ["time", "time-desc", "reclaim", "size", "margin"]
  const saveView = (): void => {
    const params = new URLSearchParams()
    if (state.kind !== "all") params.set("kind", state.kind)
    if (state.evidence !== 0) params.set("evidence", String(state.evidence))
    if (state.rec !== "any") params.set("decision", state.rec)
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
  const loadView = (): void => {
    if (!location.hash.startsWith("#view?")) return
    const params = new URLSearchParams(location.hash.slice("#view?".length))
    const kind = params.get("kind")
    if (kind === "exact" || kind === "near") state.kind = kind
    const evidence = Number(params.get("evidence"))
    if (Number.isInteger(evidence) && evidence > 0)
      state.evidence = evidence & ((1 << D.evidenceNames.length) - 1)
    const rec = params.get("decision")
    if (rec === "review" || rec === "discard" || rec === "decided") state.rec = rec
    state.query = (params.get("q") ?? "").slice(0, 500)
    const sort = params.get("sort") ?? ""
    if (SORTS.includes(sort)) state.sort = sort
    const page = Number(params.get("page"))
    if (Number.isInteger(page) && page > 1) state.page = page - 1
  }

  const update = (resetPage: boolean): void => {
    if (resetPage) state.page = 0
    applyFilters()
    renderPage()
    saveView()
  }

  const setCurrent = (index: number, focus: boolean): void => {
    const cards = byId("cards").querySelectorAll<HTMLElement>(".card")
    if (cards.length === 0) return
    const clamped = Math.max(0, Math.min(cards.length - 1, index))
    cards.forEach((c, i) => {
      c.classList.toggle("current", i === clamped)
    })
    current = clamped
    const card = cards[clamped] as HTMLElement
    if (focus) {
      card.focus({ preventScroll: true })
      card.scrollIntoView({ block: "start", behavior: "auto" })
    }
  }

  const goPage = (delta: number, focusIndex: number | "first" | "last"): void => {
    const pages = Math.max(1, Math.ceil(visible.length / PAGE_SIZE))
    const next = Math.max(0, Math.min(pages - 1, state.page + delta))
    if (next === state.page) return
    state.page = next
    renderPage()
    saveView()
    const cards = byId("cards").querySelectorAll(".card").length
    setCurrent(focusIndex === "first" ? 0 : focusIndex === "last" ? cards - 1 : focusIndex, true)
  }

  /** Makes every control show `state`. */
  const syncControls = (): void => {
    for (const input of document.querySelectorAll<HTMLInputElement>("#filter-kind input")) {
      input.checked = input.value === state.kind
    }
    document.querySelectorAll<HTMLInputElement>("#filter-evidence input").forEach((input) => {
      const bit = D.evidenceNames.indexOf(input.value)
      input.checked = bit >= 0 && (state.evidence & (1 << bit)) !== 0
    })
    ;(byId("filter-rec") as HTMLSelectElement).value = state.rec
    ;(byId("sort") as HTMLSelectElement).value = state.sort
    ;(byId("search") as HTMLInputElement).value = state.query
  }

  const buildControls = (): void => {
    const kindBox = byId("filter-kind")
    for (const [value, label] of [
      ["all", "All"],
      ["exact", "Exact"],
      ["near", "Near"]
    ] as const) {
      const input = el("input")
      input.type = "radio"
      input.name = "kind"
      input.value = value
      input.addEventListener("change", () => {
        state.kind = value
        update(true)
      })
      const count = value === "all" ? D.summary.groups : (D.summary.groupsByKind[value] ?? 0)
      kindBox.append(
        el("label", "seg", input, el("span", undefined, label, el("small", undefined, fmtInt(count))))
      )
    }

    const evidenceBox = byId("filter-evidence")
    D.evidenceNames.forEach((name, i) => {
      const count = D.summary.groupsByEvidence[name] ?? 0
      if (count === 0) return
      const input = el("input")
      input.type = "checkbox"
      input.value = name
      input.addEventListener("change", () => {
        state.evidence = input.checked ? state.evidence | (1 << i) : state.evidence & ~(1 << i)
        update(true)
      })
      evidenceBox.append(
        el(
          "label",
          "toggle",
          input,
          el("span", undefined, evidenceLabel(name), el("small", undefined, fmtInt(count)))
        )
      )
    })
    if (evidenceBox.children.length === 0) evidenceBox.append(el("span", "muted", "—"))

    const rec = byId("filter-rec") as HTMLSelectElement
    rec.addEventListener("change", () => {
      state.rec = rec.value
      update(true)
    })
    const sort = byId("sort") as HTMLSelectElement
    sort.addEventListener("change", () => {
      state.sort = sort.value
      update(true)
    })
    const search = byId("search") as HTMLInputElement
    let timer = 0
    search.addEventListener("input", () => {
      window.clearTimeout(timer)
      timer = window.setTimeout(() => {
        state.query = search.value
        update(true)
      }, 120)
    })
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        window.clearTimeout(timer)
        state.query = search.value
        update(true)
      }
    })
    byId("reset").addEventListener("click", () => {
      state.kind = "all"
      state.evidence = 0
      state.rec = "any"
      state.query = ""
      state.sort = "time"
      syncControls()
      update(true)
    })
    for (const pager of document.querySelectorAll<HTMLElement>(".pager")) {
      const [prev, , next] = Array.from(pager.children) as [HTMLButtonElement, HTMLElement, HTMLButtonElement]
      prev.addEventListener("click", () => goPage(-1, "first"))
      next.addEventListener("click", () => goPage(1, "first"))
    }

    document.addEventListener("keydown", (event) => {
      const target = event.target as HTMLElement | null
      const typing =
        target !== null &&
        (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA")
      if (event.key === "Escape") {
        if (typing) target.blur()
        byId("help").hidden = true
        return
      }
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return
      const cards = byId("cards").querySelectorAll(".card").length
      switch (event.key) {
        case "j":
          if (current + 1 >= cards) goPage(1, "first")
          else setCurrent(current + 1, true)
          break
        case "k":
          if (current <= 0) goPage(-1, "last")
          else setCurrent(current - 1, true)
          break
        case "n":
        case "ArrowRight":
          goPage(1, "first")
          break
        case "p":
        case "ArrowLeft":
          goPage(-1, "first")
          break
        case "/":
          search.focus()
          search.select()
          break
        case "?":
          byId("help").hidden = !byId("help").hidden
          break
        default:
          return
      }
      event.preventDefault()
    })
  }

  // ---------- header and summary ----------
  const renderHeader = (): void => {
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

  const renderSummary = (): void => {
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
      stat(
        "Suggested discards",
        fmtInt(s.recommendations.discard ?? 0),
        `${fmtInt(s.recommendations.review ?? 0)} to review by hand`,
        "discard"
      ),
      stat(
        "Reclaimable",
        fmtBytes(s.reclaimableBytes),
        s.reclaimableBytes > 0 ? "if every discard is removed" : "no file sizes known",
        "keep"
      ),
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
    const decisions = byId("decisions")
    const total =
      (s.recommendations.keep ?? 0) + (s.recommendations.discard ?? 0) + (s.recommendations.review ?? 0)
    const stack = el("div", "stack")
    const legend = el("div", "legend")
    REC.forEach((rec, i) => {
      const count = s.recommendations[rec] ?? 0
      if (total > 0 && count > 0) {
        const part = el("span", `part part-${rec}`)
        part.style.width = `${(count / total) * 100}%`
        part.title = `${REC_LABEL[i]}: ${fmtInt(count)}`
        stack.append(part)
      }
      legend.append(el("span", `key key-${rec}`, `${REC_LABEL[i]} ${fmtInt(count)}`))
    })
    decisions.append(stack, legend)
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

  // ---------- quality ----------
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

  const renderQuality = (): void => {
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
      const a = D.assets[ai] as AssetRow
      const chips = el("div", "chips")
      for (const flag of flagsOf(a[16])) chips.append(el("span", `chip flag-${flag}`, flagLabel(flag)))
      const flags = el("td", undefined, chips)
      const metrics = D.metricNames
        .map((name, i) =>
          a[17][i] === null || a[17][i] === undefined ? "" : `${name} ${fmtMetric(a[17][i])}`
        )
        .filter((s) => s !== "")
        .join(" · ")
      const groupCell = el("td")
      const group = D.groups[a[20]]
      if (group !== undefined) {
        const link = el("a", undefined, group[0])
        link.href = "#groups"
        link.addEventListener("click", () => showGroup(group[0]))
        groupCell.append(link)
      } else groupCell.append(el("span", "muted", "—"))
      const name = el("td", "fname", a[1])
      name.title = a[1]
      body.append(
        el(
          "tr",
          undefined,
          el("td", "mini", thumb(a, "mini-thumb")),
          name,
          el("td", "num", fmtScore(a[15])),
          el("td", undefined, fmtRating(a[6])),
          el("td", "small", metrics || "—"),
          flags,
          groupCell
        )
      )
    }
  }

  const showGroup = (id: string): void => {
    state.query = id
    state.kind = "all"
    state.evidence = 0
    state.rec = "any"
    syncControls()
    update(true)
  }

  // ---------- issues ----------
  const renderIssues = (): void => {
    const tz = byId("timezones")
    const tzNote = byId("timezones-note")
    tzNote.textContent =
      D.timezone.total === 0
        ? "None found: copies of one photo agree on their capture time."
        : `${plural(D.timezone.total, "set")} of copies whose capture times disagree, often by whole hours (a camera or upload in the wrong zone).${D.timezone.items.length < D.timezone.total ? ` Showing ${fmtInt(D.timezone.items.length)}; report.json lists all.` : ""}`
    for (const [assets, reason] of D.timezone.items) {
      const files = el("ul", "tz-files")
      for (const ai of assets) {
        const a = D.assets[ai] as AssetRow
        const item = el("li", undefined, el("span", "fname", a[1]), el("span", "muted", ` ${fmtTime(a)}`))
        const group = D.groups[a[20]]
        if (group !== undefined) {
          const link = el("a", "tz-group", group[0])
          link.href = "#groups"
          link.addEventListener("click", () => showGroup(group[0]))
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

  renderHeader()
  renderSummary()
  loadView()
  buildControls()
  syncControls()
  update(false)
  renderQuality()
  renderIssues()
  document.documentElement.dataset.ready = "true"
}
