/**
 * The compare view: a group's members side by side, as large as the screen allows. Arrow keys step
 * between members, k keeps and d discards the one in focus, Esc closes.
 */
import { ASSET, type AssetRow, GROUP, MEMBER } from "../internal/pageData.js"
import { idButton, serverLink, stateButtons } from "./controls.js"
import { assetAt, fmtDims, fmtTime, groupAt, thumbUrl } from "./data.js"
import {
  DISCARD,
  effective,
  KEEP,
  onChange,
  STATE_LABEL,
  setMember,
  stateName,
  stillOf
} from "./decisions.js"
import { button, byId, el, safeUrl } from "./dom.js"
import { fmtBytes, fmtScore } from "./format.js"

let open: { gi: number; focus: number; returnTo: Element | null } | null = null

/** True while the compare view is shown. */
export const compareOpen = (): boolean => open !== null

const GAP = 10
const CAPTION = 84

/** Columns and row height that show every member as large as the screen allows (scrolling when too many). */
const layout = (assets: ReadonlyArray<AssetRow>): { cols: number; rowHeight: number } => {
  const width = window.innerWidth - 28
  const height = window.innerHeight - 64
  const ratios = assets.map((a) => (a[ASSET.width] ?? 4) / (a[ASSET.height] ?? 3)).filter(Number.isFinite)
  const aspect = ratios.length > 0 ? ratios.reduce((x, y) => x + y, 0) / ratios.length : 4 / 3
  let best = { cols: Math.min(assets.length, 2), rowHeight: Math.max(240, height / 2), image: 0 }
  for (let cols = 1; cols <= Math.min(assets.length, 6); cols++) {
    const rows = Math.ceil(assets.length / cols)
    const rowHeight = (height - (rows - 1) * GAP) / rows
    const imageHeight = Math.min((width - (cols - 1) * GAP) / cols / aspect, rowHeight - CAPTION)
    if (imageHeight >= 120 && imageHeight > best.image) best = { cols, rowHeight, image: imageHeight }
  }
  return { cols: best.cols, rowHeight: Math.floor(best.rowHeight) }
}

const render = (): void => {
  if (open === null) return
  const { gi, focus } = open
  const g = groupAt(gi)
  const members = g[GROUP.members]
  const states = effective(gi)
  const stills = stillOf(g)
  const root = byId("compare")
  const grid = el("div", "cmp-grid")
  const { cols, rowHeight } = layout(members.map((m) => assetAt(m[MEMBER.asset])))
  grid.style.setProperty("--cols", String(cols))
  grid.style.gridAutoRows = `${rowHeight}px`
  members.forEach((m, i) => {
    const a = assetAt(m[MEMBER.asset])
    const state = states[i] ?? KEEP
    const cell = el("figure", `cmp-cell rec-${stateName(state)}${i === focus ? " focus" : ""}`)
    cell.dataset.member = String(i)
    cell.addEventListener("click", () => {
      if (open !== null && open.focus !== i) {
        open.focus = i
        render()
      }
    })
    const url = safeUrl(thumbUrl(a))
    const media = el("div", "cmp-media")
    if (url !== null) {
      const img = el("img")
      img.referrerPolicy = "no-referrer"
      img.alt = a[ASSET.fileName]
      img.src = url
      media.append(img)
    } else media.append(el("span", "muted", "No preview"))
    const facts = [
      fmtTime(a),
      [fmtBytes(a[ASSET.fileSize]), fmtDims(a)].filter((t) => t && t !== "—").join(" · ")
    ]
    const name = el(
      "div",
      "fname",
      el("span", `pill badge-${stateName(state)}`, STATE_LABEL[state]),
      " ",
      a[ASSET.fileName]
    )
    name.title = a[ASSET.fileName]
    cell.append(
      media,
      el(
        "figcaption",
        undefined,
        name,
        el(
          "div",
          "cmp-facts",
          `#${m[MEMBER.rank]} · score ${fmtScore(m[MEMBER.score])} · ${facts.join(" · ")}`
        ),
        el(
          "div",
          "idline",
          idButton(a[ASSET.id]),
          serverLink(a[ASSET.id]),
          stills[i] === i ? stateButtons(gi, i, state, "") : el("span", "muted", "follows its still")
        )
      )
    )
    grid.append(cell)
  })
  const close = button("Close", "cmp-close", closeCompare)
  close.title = "Close (Esc)"
  root.replaceChildren(
    el(
      "div",
      "cmp-head",
      el("strong", undefined, `Compare ${members.length} members of `, el("code", undefined, g[GROUP.id])),
      el("span", "keys", "← → step · k keep · d discard · Esc close"),
      close
    ),
    grid
  )
  root.querySelector(".cmp-cell.focus")?.scrollIntoView({ block: "nearest", inline: "nearest" })
}

/** Opens the compare view on group `gi`, member `focus` first. */
export const openCompare = (gi: number, focus: number): void => {
  open = { gi, focus, returnTo: document.activeElement }
  const root = byId("compare")
  root.hidden = false
  document.body.classList.add("modal-open")
  render()
  root.focus()
}

/** Closes the compare view and puts focus back where it was. */
export const closeCompare = (): void => {
  if (open === null) return
  const returnTo = open.returnTo
  open = null
  byId("compare").hidden = true
  document.body.classList.remove("modal-open")
  if (returnTo instanceof HTMLElement) returnTo.focus({ preventScroll: true })
}

/** Tab and Shift+Tab cycle through the view's own controls while it is open. */
const keepFocusInside = (event: KeyboardEvent): void => {
  const controls = [...byId("compare").querySelectorAll<HTMLElement>("button, a[href]")]
  const at = controls.indexOf(document.activeElement as HTMLElement)
  const step = event.shiftKey ? -1 : 1
  const next =
    controls[at < 0 ? (step > 0 ? 0 : controls.length - 1) : (at + step + controls.length) % controls.length]
  next?.focus()
}

/** Handles a key while the view is open; true when it was the view's. */
export const compareKey = (event: KeyboardEvent): boolean => {
  if (open === null) return false
  const count = groupAt(open.gi)[GROUP.members].length
  switch (event.key) {
    case "Escape":
      closeCompare()
      return true
    case "ArrowRight":
    case "ArrowDown":
      open.focus = (open.focus + 1) % count
      break
    case "ArrowLeft":
    case "ArrowUp":
      open.focus = (open.focus - 1 + count) % count
      break
    case "Tab":
      keepFocusInside(event)
      return true
    case "k":
      setMember(open.gi, open.focus, KEEP)
      return true
    case "d":
      setMember(open.gi, open.focus, DISCARD)
      return true
    default:
      return false
  }
  render()
  return true
}

onChange((groups) => {
  if (open !== null && groups.includes(open.gi)) render()
})
