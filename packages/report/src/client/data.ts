/** The embedded report data, read once, and what each asset row shows (time, size, thumbnail). */
import {
  ASSET,
  ASSET_CLASS,
  type AssetFields,
  type AssetRow,
  assetField,
  assetRow,
  assetWall,
  cameraOf,
  DETAIL_CLASS,
  GROUP_CLASS,
  type GroupFields,
  type GroupRow,
  groupField,
  groupRow,
  META_CLASS,
  type PageData,
  type PlainField,
  type PlainGroupField,
  peopleOf,
  readPage,
  thumbUrl as thumbUrlOf
} from "../internal/pageData.js"
import { el, safeUrl } from "./dom.js"
import { fmtOffset, fmtWall } from "./format.js"

const elements = (className: string): Array<Element> =>
  Array.from(document.querySelectorAll(`script.${className}`))
const texts = (className: string): Array<string> =>
  elements(className).map((element) => element.textContent ?? "")

/**
 * The report's data (from the non-executable JSON script elements, each parsed on its own; an asset
 * block's details only when one of its rows is first shown).
 */
export const D: PageData = readPage({
  assets: texts(ASSET_CLASS),
  details: elements(DETAIL_CLASS).map((element) => () => element.textContent ?? "null"),
  groups: texts(GROUP_CLASS),
  meta: texts(META_CLASS)[0] ?? "null"
})

// Group rows built so far (from the columns, on first use: mostly the groups on screen).
const groupRows: Array<GroupRow | undefined> = []

/** The group row at `index` (built from its block's columns once, then kept). */
export const groupAt = (index: number): GroupRow => {
  let row = groupRows[index]
  if (row === undefined && index >= 0 && index < D.groupCount) {
    row = groupRow(D, index) as GroupRow
    groupRows[index] = row
  }
  return row as GroupRow
}

/** One field of group `index` (no row built); `index` must be below `D.groupCount`. */
export const groupValue = <Name extends PlainGroupField>(index: number, name: Name): GroupFields[Name] =>
  groupField(D, index, name)

/** The id of group `index`, or undefined (an ungrouped asset's group is -1). */
export const groupIdAt = (index: number): string | undefined =>
  index >= 0 && index < D.groupCount ? groupField(D, index, "id") : undefined

/** The asset row at `index` (built from its block's columns). */
export const assetAt = (index: number): AssetRow => assetRow(D, index) as AssetRow

/** One field of the asset row at `index` (no row built), or undefined past the last. */
export const assetValue = <Name extends PlainField>(
  index: number,
  name: Name
): AssetFields[Name] | undefined =>
  index >= 0 && index < D.assetCount ? assetField(D, index, name) : undefined

/** The capture time of the asset row at `index` (no row built), or "" when unknown or past the last. */
export const wallAt = (index: number): string =>
  index >= 0 && index < D.assetCount ? assetWall(D, index) : ""

/** Date, time and offset, or "—" when unknown. */
export const fmtWallOffset = (wall: string, offsetMinutes: number | null): string =>
  wall ? fmtWall(wall) + fmtOffset(offsetMinutes) : "—"
/** The asset's date, time and offset, or "—" when unknown. */
export const fmtTime = (a: AssetRow): string => fmtWallOffset(a[ASSET.wall], a[ASSET.offsetMinutes])
/** Time of day and offset, or "—" when unknown. */
export const fmtClock = (a: AssetRow): string =>
  a[ASSET.wall] ? fmtWall(a[ASSET.wall]).slice(11) + fmtOffset(a[ASSET.offsetMinutes]) : "—"
/** `width×height`, or "" when unknown. */
export const fmtDims = (a: AssetRow): string =>
  a[ASSET.width] !== null && a[ASSET.height] !== null ? `${a[ASSET.width]}×${a[ASSET.height]}` : ""

/** The quality flags set in `mask`. */
export const flagsOf = (mask: number): Array<string> => D.flagNames.filter((_, i) => (mask & (1 << i)) !== 0)

const placeholder = (text: string): HTMLElement => {
  const node = el("span", "ph", el("span", "ph-icon"), el("span", "ph-text", text))
  node.setAttribute("aria-hidden", "true")
  return node
}

/** The thumbnail URL as written (not yet checked for safety), or null. */
export const thumbUrl = (a: AssetRow): string | null => thumbUrlOf(D, a)

/** The asset's camera, or null. */
export const camera = (a: AssetRow): string | null => cameraOf(D, a)

/** The people in the asset. */
export const people = (a: AssetRow): Array<string> => peopleOf(D, a)

/** The asset's thumbnail, linked to itself, or a placeholder saying why there is none. */
export const thumb = (a: AssetRow, className: string): HTMLElement => {
  const raw = thumbUrl(a)
  const url = safeUrl(raw)
  if (url === null) return el("div", className, placeholder(raw ? "Unsafe URL hidden" : "No thumbnail"))
  const img = el("img")
  img.loading = "lazy"
  img.decoding = "async"
  img.referrerPolicy = "no-referrer"
  img.alt = a[ASSET.fileName]
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
  link.title = `Open the thumbnail of ${a[ASSET.fileName]}`
  return link
}
