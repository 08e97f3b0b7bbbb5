// Checks that two report.html files embed the same page data, whatever their layout: each is decoded
// into full logical rows (every asset's MIME type, camera, people, stack id and thumbnail URL, every
// member's reasons and would-lose notes spelled out) and the two are compared field by field. Proves a
// layout change (v1 -> v2) loses nothing the page shows. Not compared: `meta.identity`, the hash the page
// keeps its decisions under, which v2 takes over its own text (checked: both are 22 characters).
// The decoder here is written apart from the page's own (src/internal/pageData.ts), on purpose.
// Usage: node bench/pagedata-equal.mjs <old report.html> <new report.html> ; exits 1 on a difference.
import { readFileSync } from "node:fs"
import { isDeepStrictEqual } from "node:util"

// Positions in an asset row (the same in v1 and v2; only some fields' encoding differs).
const ID = 0
const MIME_TYPE = 2
const CAMERA = 5
const PEOPLE = 11
const THUMB = 14
const AUTO_STACK_ID = 22
// Positions in a group row and in a member row.
const MEMBERS = 8
const REASONS = 6
const WOULD_LOSE = 7

// Every `<script type="application/json">` element's text, joined: one element in older pages, parts since.
const dataOf = (file) => {
  const html = readFileSync(file, "utf8")
  const parts = []
  for (let open = html.indexOf('<script type="application/json"'); open !== -1; ) {
    const start = html.indexOf(">", open) + 1
    const end = html.indexOf("</script>", start)
    if (start === 0 || end === -1)
      throw new Error(`${file}: a data element at character ${open} is not closed`)
    parts.push(html.slice(start, end))
    open = html.indexOf('<script type="application/json"', end)
  }
  return JSON.parse(parts.join(""))
}

/** The data with every asset row in logical form and the layout's lookup tables dropped. */
const logical = (data) => {
  const { v, assets, groups, strings, thumbPrefixes, thumbMiddles, ...rest } = data
  const text = (i) => strings[i]
  const prefix = (i) => (i === -1 ? "" : thumbPrefixes[i])
  const decode =
    v === 1
      ? (row) => {
          const t = row[THUMB]
          return {
            mimeType: row[MIME_TYPE],
            camera: row[CAMERA],
            people: row[PEOPLE],
            thumb: t && prefix(t[0]) + t[1],
            autoStackId: row[AUTO_STACK_ID]
          }
        }
      : v === 2
        ? (row) => {
            const t = row[THUMB]
            const thumb =
              t === null
                ? null
                : t.length === 2
                  ? prefix(t[0]) + t[1]
                  : prefix(t[0]) + row[ID] + thumbMiddles[t[1]] + t[2]
            return {
              mimeType: text(row[MIME_TYPE]),
              camera: row[CAMERA] === null ? null : text(row[CAMERA]),
              people: row[PEOPLE].map(text),
              thumb,
              autoStackId: row[AUTO_STACK_ID] === null ? null : text(row[AUTO_STACK_ID])
            }
          }
        : undefined
  if (decode === undefined) throw new Error(`unknown page data version ${v}`)
  const rows = assets.map((row) => {
    const { mimeType, camera, people, thumb, autoStackId } = decode(row)
    const out = [...row]
    out[MIME_TYPE] = mimeType
    out[CAMERA] = camera
    out[PEOPLE] = people
    out[THUMB] = thumb
    out[AUTO_STACK_ID] = autoStackId
    return out
  })
  const spelled = (member) => {
    const out = [...member]
    out[REASONS] = member[REASONS].map(text)
    out[WOULD_LOSE] = member[WOULD_LOSE].map(text)
    return out
  }
  const groupRows =
    v === 1
      ? groups
      : groups.map((group) => {
          const out = [...group]
          out[MEMBERS] = group[MEMBERS].map(spelled)
          return out
        })
  const { identity, ...meta } = rest.meta
  if (typeof identity !== "string" || identity.length !== 22) throw new Error(`bad identity ${identity}`)
  return { version: v, assets: rows, rest: { ...rest, meta, groups: groupRows } }
}

const [oldFile, newFile] = process.argv.slice(2)
if (oldFile === undefined || newFile === undefined) {
  console.error("usage: node bench/pagedata-equal.mjs <old report.html> <new report.html>")
  process.exit(2)
}
const a = logical(dataOf(oldFile))
const b = logical(dataOf(newFile))
let differences = 0
if (a.assets.length !== b.assets.length) {
  console.error(`asset rows: ${a.assets.length} vs ${b.assets.length}`)
  differences++
}
for (let i = 0; i < Math.min(a.assets.length, b.assets.length); i++) {
  if (isDeepStrictEqual(a.assets[i], b.assets[i])) continue
  if (differences++ < 5)
    console.error(`asset row ${i}:\n  ${JSON.stringify(a.assets[i])}\n  ${JSON.stringify(b.assets[i])}`)
}
for (const key of new Set([...Object.keys(a.rest), ...Object.keys(b.rest)])) {
  if (isDeepStrictEqual(a.rest[key], b.rest[key])) continue
  console.error(
    `"${key}" differs: ${JSON.stringify(a.rest[key])?.slice(0, 300)}\n  ${JSON.stringify(b.rest[key])?.slice(0, 300)}`
  )
  differences++
}
const thumbs = a.assets.filter((row) => row[THUMB] !== null).length
console.log(
  JSON.stringify({
    versions: [a.version, b.version],
    assets: a.assets.length,
    withThumbnail: thumbs,
    groups: a.rest.groups?.length,
    equal: differences === 0
  })
)
process.exit(differences === 0 ? 0 : 1)
