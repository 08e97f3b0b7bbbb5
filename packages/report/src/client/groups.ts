/** The groups section: the filter bar, the paged list of cards, deciding, and the keyboard. */
import { GROUP } from "../internal/pageData.js"
import { groupCard } from "./cards.js"
import { compareKey, compareOpen, openCompare } from "./compare.js"
import { D, groupAt, groupValue } from "./data.js"
import {
  acceptAll,
  acceptSuggestion,
  clearDecision,
  DISCARD,
  earlierCount,
  effective,
  exportDecisions,
  importDecisions,
  isDecided,
  KEEP,
  onChange,
  restoreEarlier,
  setMember,
  stillOf,
  storageStatus,
  toggleNotDuplicates
} from "./decisions.js"
import { button, byId, el, layoutWhenNear } from "./dom.js"
import { evidenceLabel, fmtInt, plural } from "./format.js"
import { filteredGroups, loadView, saveView, state } from "./view.js"

const PAGE_SIZE = 24

let visible: Array<number> = []
let current = -1 // index of the focused card on the page

const cardsOnPage = (): NodeListOf<HTMLElement> => byId("cards").querySelectorAll<HTMLElement>(".card")

/** A card that becomes the current one when anything in it gets focus. */
const makeCard = (gi: number): HTMLElement => {
  const card = groupCard(gi)
  // Only the cards on screen are laid out: a page of cards took most of a filter's time.
  layoutWhenNear(card, 320 + 420 * Math.ceil(groupAt(gi)[GROUP.members].length / 4))
  card.addEventListener("focusin", () => {
    setCurrent(Array.prototype.indexOf.call(byId("cards").children, card) as number, false)
  })
  return card
}

const renderPage = (): void => {
  const list = byId("cards")
  list.replaceChildren()
  const pages = Math.max(1, Math.ceil(visible.length / PAGE_SIZE))
  if (state.page >= pages) state.page = pages - 1
  if (state.page < 0) state.page = 0
  const start = state.page * PAGE_SIZE
  const slice = visible.slice(start, start + PAGE_SIZE)
  for (const gi of slice) list.append(makeCard(gi))
  if (slice.length === 0) {
    list.append(
      el(
        "div",
        "empty",
        D.groupCount === 0 ? "No duplicate groups in this album." : "No group matches these filters."
      )
    )
  }
  const total = D.groupCount
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
    scrollBelowBars(card)
  }
}

/** The height the sticky header and filter bar cover at the top of the view. */
const barsHeight = (): number => {
  let covered = 0
  for (const bar of document.querySelectorAll<HTMLElement>(".top, .controls")) {
    const style = getComputedStyle(bar)
    if (style.position === "sticky")
      covered = Math.max(covered, (Number.parseFloat(style.top) || 0) + bar.offsetHeight)
  }
  return covered
}

/** Scrolls `node` to the top of the view, below the sticky header and filter bar. */
const scrollBelowBars = (node: HTMLElement): void => {
  window.scrollTo({
    top: window.scrollY + node.getBoundingClientRect().top - barsHeight() - 8,
    behavior: "auto"
  })
}

/** True when some of `node` shows in the view, below the bars. */
const inView = (node: HTMLElement): boolean => {
  const rect = node.getBoundingClientRect()
  return rect.bottom > barsHeight() && rect.top < window.innerHeight
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
  byId<HTMLSelectElement>("filter-progress").value = state.progress
  byId<HTMLSelectElement>("sort").value = state.sort
  byId<HTMLInputElement>("search").value = state.query
}

/** Shows one group (from a link elsewhere on the page): every filter off, its id searched. */
export const showGroup = (id: string): void => {
  state.query = id
  state.kind = "all"
  state.evidence = 0
  state.rec = "any"
  state.progress = "all"
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
  const progress = byId<HTMLSelectElement>("filter-progress")
  progress.addEventListener("change", () => {
    state.progress = progress.value
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
    state.progress = "all"
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
    if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && compareKey(event)) {
      event.preventDefault()
      return
    }
    if (compareOpen()) return
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
        toggleHelp()
        break
      case "u":
        nextUndecided()
        break
      case "a":
        onCurrent(acceptSuggestion)
        break
      case "x":
        onCurrent(toggleNotDuplicates)
        break
      case "Delete":
      case "Backspace":
        onCurrent(clearDecision)
        break
      case "c":
        onCurrent((gi) => openCompare(gi, 0))
        break
      default:
        if (/^[1-9]$/.test(event.key)) onCurrent((gi) => flipMember(gi, Number(event.key) - 1))
        else return
    }
    event.preventDefault()
  })
}

/**
 * Runs `action` on the group of the current card. When none is current, or the current one was scrolled
 * out of view, the first card in view becomes current (else the current, or the first, is scrolled to):
 * a key never changes a group the reviewer cannot see.
 */
const onCurrent = (action: (gi: number) => void): void => {
  const cards = cardsOnPage()
  const shown = cards[current]
  if (shown === undefined || !inView(shown)) {
    const seen = Array.prototype.findIndex.call(cards, inView) as number
    setCurrent(seen >= 0 ? seen : Math.max(0, current), true)
  }
  const card = cardsOnPage()[current]
  if (card !== undefined) action(Number(card.dataset.index))
}

/** Flips member `member` (its still, when it is a companion) between keep and discard. */
const flipMember = (gi: number, member: number): void => {
  const still = stillOf(groupAt(gi))[member]
  if (still === undefined) return
  setMember(gi, still, effective(gi)[still] === KEEP ? DISCARD : KEEP)
}

/** Moves to the next group in the view, after the current one, that is not decided yet. */
const nextUndecided = (): void => {
  const card = cardsOnPage()[current]
  const from = card === undefined ? state.page * PAGE_SIZE - 1 : visible.indexOf(Number(card.dataset.index))
  for (let step = 1; step <= visible.length; step++) {
    const at = (from + step) % visible.length
    if (isDecided(visible[at] as number)) continue
    const page = Math.floor(at / PAGE_SIZE)
    if (page !== state.page) {
      state.page = page
      renderPage()
      saveView()
    }
    setCurrent(at - page * PAGE_SIZE, true)
    return
  }
  say("Every group in this view is decided.")
}

const toggleHelp = (): void => {
  const help = byId("help")
  help.hidden = !help.hidden
}

const say = (text: string, action?: HTMLElement): void => {
  const status = byId("decide-status")
  status.replaceChildren(text)
  if (action !== undefined) status.append(" ", action)
}

/** Re-renders the changed cards of this page in place, keeping the current one current. */
const refreshCards = (groups: ReadonlyArray<number>): void => {
  const changed = new Set(groups)
  for (const card of cardsOnPage()) {
    const gi = Number(card.dataset.index)
    if (!changed.has(gi)) continue
    const fresh = makeCard(gi)
    const hadFocus = card.contains(document.activeElement)
    const focusedMember = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>(".member")
      ?.dataset.member
    const focusedLabel = document.activeElement?.textContent
    fresh.classList.toggle("current", card.classList.contains("current"))
    card.replaceWith(fresh)
    if (hadFocus) {
      // Put focus back on the same control of the new card, or on the card.
      const scope =
        focusedMember === undefined ? fresh : fresh.querySelector(`.member[data-member="${focusedMember}"]`)
      const same = [...(scope ?? fresh).querySelectorAll<HTMLElement>("button")].find(
        (b) => b.textContent === focusedLabel
      )
      ;(same ?? fresh).focus({ preventScroll: true })
    }
  }
  const problem = storageStatus()
  if (problem !== null) say(problem)
}

const download = (name: string, text: string): void => {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }))
  const link = el("a")
  link.href = url
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

const buildDecideBar = (): void => {
  const input = byId<HTMLInputElement>("import-file")
  input.addEventListener("change", () => {
    const file = input.files?.[0]
    if (file === undefined) return
    file.text().then(
      (text) => {
        const result = importDecisions(text)
        input.value = ""
        if ("error" in result) say(`Not imported: ${result.error}.`)
        else
          say(
            `Imported ${plural(result.imported, "decision")}${result.unmatched > 0 ? `; ${plural(result.unmatched, "decision")} matched no group of this report` : ""}.`
          )
      },
      () => say("Not imported: the file could not be read.")
    )
  })
  const next = button("Next undecided", undefined, nextUndecided)
  next.title = "The next group in this view that is not decided yet (key u)"
  byId("decide-bar").append(
    next,
    button("Accept suggestions in view", undefined, () => acceptGroups(visible)),
    button("Accept all exact-copy groups", undefined, () =>
      acceptGroups(
        Array.from({ length: D.groupCount }, (_, gi) => gi).filter((gi) => groupValue(gi, "kind") === 0)
      )
    ),
    button("Export decisions", undefined, () => {
      const { text, skipped, reviewKept, noKeeper } = exportDecisions(new Date().toISOString())
      download("decisions.json", text)
      const notes = [
        ...(reviewKept > 0
          ? [`${plural(reviewKept, "group")} you changed with members still to review: those members kept`]
          : []),
        ...(skipped > 0 ? [`${plural(skipped, "group")} with members still to review left out`] : []),
        ...(noKeeper > 0
          ? [
              `${plural(noKeeper, "group")} with every member marked Discard left out (apply never empties a group; keep one copy)`
            ]
          : [])
      ]
      say(notes.length > 0 ? `Exported; ${notes.join("; ")}.` : "Exported decisions.json.")
    }),
    button("Import decisions", undefined, () => input.click()),
    button("Keys ?", "help-open", toggleHelp)
  )
  const help = byId("help")
  help.prepend(button("Close", "help-close", toggleHelp))
  const restorable = earlierCount()
  if (restorable > 0) {
    say(
      `This browser kept your decisions on ${plural(restorable, "group")} of an earlier report of this album.`,
      button("Restore them", "link", () => say(`Restored ${plural(restoreEarlier(), "decision")}.`))
    )
  }
}

/** Accepts the suggestions of the undecided groups among `groups` that have nothing to review; undoable. */
const acceptGroups = (groups: ReadonlyArray<number>): void => {
  const result = acceptAll(groups)
  const undo = button("Undo", "link", () => {
    result.undo()
    say("Undone.")
  })
  say(
    `Accepted ${plural(result.accepted, "group")}${result.toReview > 0 ? `; ${plural(result.toReview, "group")} with members to review left for you` : ""}.`,
    undo
  )
}

/** Builds the filter bar from the URL's view, renders the first page and binds the keys. */
export const renderGroups = (): void => {
  loadView()
  buildFilters()
  buildDecideBar()
  syncControls()
  bindKeys()
  onChange(refreshCards)
  update(false)
}
