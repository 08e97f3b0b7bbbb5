/** The groups section: the filter bar, the paged list of cards, and keyboard navigation. */
import { groupCard } from "./cards.js"
import { D } from "./data.js"
import { byId, el } from "./dom.js"
import { evidenceLabel, fmtInt } from "./format.js"
import { filteredGroups, loadView, saveView, state } from "./view.js"

const PAGE_SIZE = 24

let visible: Array<number> = []
let current = -1 // index of the focused card on the page

const cardsOnPage = (): NodeListOf<HTMLElement> => byId("cards").querySelectorAll<HTMLElement>(".card")

const renderPage = (): void => {
  const list = byId("cards")
  list.replaceChildren()
  const pages = Math.max(1, Math.ceil(visible.length / PAGE_SIZE))
  if (state.page >= pages) state.page = pages - 1
  if (state.page < 0) state.page = 0
  const start = state.page * PAGE_SIZE
  const slice = visible.slice(start, start + PAGE_SIZE)
  for (const gi of slice) {
    const card = groupCard(gi)
    card.addEventListener("focusin", () => {
      setCurrent(Array.prototype.indexOf.call(list.children, card) as number, false)
    })
    list.append(card)
  }
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

/** Re-filters and re-renders the list (back to page 1 when `resetPage`). */
const update = (resetPage: boolean): void => {
  if (resetPage) state.page = 0
  visible = filteredGroups()
  renderPage()
  saveView()
}

const setCurrent = (index: number, focus: boolean): void => {
  const cards = cardsOnPage()
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

const goPage = (delta: number, focusIndex: "first" | "last"): void => {
  const pages = Math.max(1, Math.ceil(visible.length / PAGE_SIZE))
  const next = Math.max(0, Math.min(pages - 1, state.page + delta))
  if (next === state.page) return
  state.page = next
  renderPage()
  saveView()
  setCurrent(focusIndex === "first" ? 0 : cardsOnPage().length - 1, true)
}

/** Makes every control show `state`. */
const syncControls = (): void => {
  for (const input of document.querySelectorAll<HTMLInputElement>("#filter-kind input")) {
    input.checked = input.value === state.kind
  }
  for (const input of document.querySelectorAll<HTMLInputElement>("#filter-evidence input")) {
    const bit = (D.evidenceNames as ReadonlyArray<string>).indexOf(input.value)
    input.checked = bit >= 0 && (state.evidence & (1 << bit)) !== 0
  }
  byId<HTMLSelectElement>("filter-rec").value = state.rec
  byId<HTMLSelectElement>("sort").value = state.sort
  byId<HTMLInputElement>("search").value = state.query
}

/** Shows one group (from a link elsewhere on the page): every filter off, its id searched. */
export const showGroup = (id: string): void => {
  state.query = id
  state.kind = "all"
  state.evidence = 0
  state.rec = "any"
  syncControls()
  update(true)
}

const buildFilters = (): void => {
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

  const rec = byId<HTMLSelectElement>("filter-rec")
  rec.addEventListener("change", () => {
    state.rec = rec.value
    update(true)
  })
  const sort = byId<HTMLSelectElement>("sort")
  sort.addEventListener("change", () => {
    state.sort = sort.value
    update(true)
  })
  const search = byId<HTMLInputElement>("search")
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
}

const bindKeys = (): void => {
  const search = byId<HTMLInputElement>("search")
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
    switch (event.key) {
      case "j":
        if (current + 1 >= cardsOnPage().length) goPage(1, "first")
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

/** Builds the filter bar from the URL's view, renders the first page and binds the keys. */
export const renderGroups = (): void => {
  loadView()
  buildFilters()
  syncControls()
  bindKeys()
  update(false)
}
