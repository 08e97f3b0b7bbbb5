/** Controls a member shows on its card and in the compare view: its id, its server page, keep/discard. */
import { GROUP, MEMBER } from "../internal/pageData.js"
import { assetValue, D, groupAt } from "./data.js"
import { DISCARD, KEEP, type MemberState, setMember, stateName } from "./decisions.js"
import { button, el, safeUrl } from "./dom.js"

/** A long asset id as its start and end, e.g. `asset_EVDY…5k5w`. */
export const shortId = (id: string): string => (id.length > 16 ? `${id.slice(0, 10)}…${id.slice(-4)}` : id)

/** The asset id, shortened; a click copies the whole id. */
export const idButton = (id: string): HTMLButtonElement => {
  const node = button(shortId(id), "aid", () => {
    const done = () => {
      node.dataset.copied = "true"
      window.setTimeout(() => delete node.dataset.copied, 1200)
    }
    // Where the clipboard is refused, the id is shown selected, ready to copy by hand.
    const byHand = () => window.prompt("Asset id (copy it from here)", id)
    if (navigator.clipboard === undefined) byHand()
    else navigator.clipboard.writeText(id).then(done, byHand)
  })
  node.title = `Asset id ${id} (click to copy)`
  node.setAttribute("aria-label", `Copy asset id ${id}`)
  return node
}

/** A link to the asset on its server, when the source has web pages. */
export const serverLink = (id: string): HTMLElement | null => {
  const prefix = D.meta.assetLink
  const url = prefix === null ? null : safeUrl(prefix + encodeURIComponent(id))
  if (url === null) return null
  const link = el("a", "server-link", "Open on server ↗")
  link.href = url
  link.target = "_blank"
  link.rel = "noopener noreferrer"
  return link
}

/**
 * Keep / Discard buttons for a member; the state in force is pressed. Each names its member (file name,
 * else id), so a screen reader going through a group hears which member a "Keep" is for.
 */
export const stateButtons = (gi: number, member: number, state: MemberState, key: string): HTMLElement => {
  const asset = groupAt(gi)[GROUP.members][member]?.[MEMBER.asset] ?? -1
  const name = assetValue(asset, "fileName") || assetValue(asset, "id") || `member ${member + 1}`
  const box = el("div", "decide")
  box.setAttribute("role", "group")
  box.setAttribute("aria-label", `Decision on ${name}`)
  for (const [target, label] of [
    [KEEP, "Keep"],
    [DISCARD, "Discard"]
  ] as const) {
    const b = button(label, `choice choice-${stateName(target)}`, () => setMember(gi, member, target))
    b.setAttribute("aria-pressed", String(state === target))
    b.setAttribute("aria-label", `${label} ${name}`)
    b.title = `${label} this${key ? ` (key ${key} flips it)` : ""}${target === DISCARD ? ": albumsift apply trashes it or removes it from the album" : ""}`
    box.append(b)
  }
  return box
}
