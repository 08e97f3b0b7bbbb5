// Checks that two report.html files embed the same page data, whatever their layout: each is decoded
// into full logical rows (every asset's MIME type, camera, people, stack id and thumbnail URL, every
// member's reasons and would-lose notes spelled out) and the two are compared field by field. Proves a
// layout change (v1 -> v2 -> v3 -> v4) loses nothing the page shows. Not compared: `meta.identity`, the hash the page
// keeps its decisions under, which each layout takes over its own text (checked: both are 22 characters).
// An asset the groups name but the album lacks (not expected) has metrics [] in v2 and [null, ...] in v3.
// The decoder here is written apart from the page's own (src/internal/pageData.ts), on purpose.
// Usage: node bench/pagedata-equal.mjs <old report.html> <new report.html> ; exits 1 on a difference.
import { readFileSync } from "node:fs"
import { isDeepStrictEqual } from "node:util"

// Positions in an asset row (the same in v1 to v4's rows; only some fields' encoding differs).
const ID = 0
const MIME_TYPE = 2
const WALL = 3
const CAMERA = 5
const PEOPLE = 11
const THUMB = 14
const SCORE = 15
const METRICS = 17
const AUTO_STACK_ID = 22
// Positions in a group row and in a member row.
const FROM = 6
const TO = 7
const MEMBERS = 8
const MEMBER_SCORE = 3
const MARGIN = 4
const NOTES = 10
const REASONS = 6
const WOULD_LOSE = 7

// Every `<script type="application/json">` element's text with its class, in document order.
const elementsOf = (file) => {
  const html = readFileSync(file, "utf8")
  const found = []
  for (let open = html.indexOf('<script type="application/json"'); open !== -1; ) {
    const start = html.indexOf(">", open) + 1
    const end = html.indexOf("</script>", start)
    if (start === 0 || end === -1)
      throw new Error(`${file}: a data element at character ${open} is not closed`)
    const className = /class="([^"]*)"/.exec(html.slice(open, start))?.[1] ?? ""
    found.push({ className, text: html.slice(start, end) })
    open = html.indexOf('<script type="application/json"', end)
  }
  return found
}

// Layouts 3 and 4 store scores and margins as whole ten-thousandths.
const fromTenThousandths = (n) => (n === null ? null : n / 1e4)

// Layout 4's capture time: [days since 1970-01-01, ms of the day] when it was a plain wall clock,
// [text, null] otherwise, [null, null] for none. Formatted as core does: ".mmm" only when not whole seconds.
const wallOf = ([days, times], j) => {
  const day = days[j]
  if (day === null) return ""
  if (typeof day === "string") return day
  const iso = new Date(Date.UTC(1970, 0, 1 + day) + times[j]).toISOString()
  return times[j] % 1000 === 0 ? iso.slice(0, 19) : iso.slice(0, 23)
}

// Layout 3's and 4's asset block (columns) back into rows: people null is [], thumb is three columns,
// metrics one column per metric; in layout 4, wall is two columns.
const rowsOfBlock = (block, v) =>
  block[ID].map((_, j) =>
    block.map((column, f) => {
      if (f === WALL && v === 4) return wallOf(column, j)
      if (f === PEOPLE) return column[j] ?? []
      if (f === THUMB) {
        const [prefix, middle, rest] = column
        if (rest[j] === null) return null
        return middle[j] < 0 ? [prefix[j], rest[j]] : [prefix[j], middle[j], rest[j]]
      }
      if (f === METRICS) return column.map((metric) => metric[j])
      if (f === SCORE) return fromTenThousandths(column[j])
      return column[j]
    })
  )

// Layout 3's and 4's group block back into rows: group columns (members: each group's member count,
// notes: null for none; in layout 4 from and to are two columns each), then the members' columns, whose
// reasons and would-lose notes are indexes in `lists`.
const rowsOfGroupBlock = ([groups, members], lists, v) => {
  let next = 0
  return groups[0].map((_, k) =>
    groups.map((column, f) => {
      if ((f === FROM || f === TO) && v === 4) return wallOf(column, k)
      if (f === NOTES) return column[k] ?? []
      if (f !== MEMBERS) return column[k]
      const start = next
      next += column[k]
      return Array.from({ length: column[k] }, (_, j) =>
        members.map((memberColumn, c) =>
          c === REASONS || c === WOULD_LOSE
            ? lists[memberColumn[start + j]]
            : c === MEMBER_SCORE || c === MARGIN
              ? fromTenThousandths(memberColumn[start + j])
              : memberColumn[start + j]
        )
      )
    })
  )
}

// Layouts 1 and 2: one JSON text in one element or in parts, joined. Layout 3: asset blocks, group
// blocks and the rest, each element whole; layout 4 the same, each asset block in two elements (index
// columns, then details; each null where the other has a column). Read here into layout 2's shape.
const dataOf = (file) => {
  const elements = elementsOf(file)
  const meta = elements.find((e) => e.className === "albumsift-meta")
  if (meta === undefined) return JSON.parse(elements.map((e) => e.text).join(""))
  const of = (className) => elements.filter((e) => e.className === className).map((e) => JSON.parse(e.text))
  const { lists, ...rest } = JSON.parse(meta.text)
  const details = of("albumsift-details")
  const indexes = of("albumsift-assets")
  if (rest.v === 4 && details.length !== indexes.length)
    throw new Error(`${file}: ${indexes.length} asset blocks but ${details.length} details elements`)
  const blocks = indexes.map((index, b) =>
    rest.v === 4 ? index.map((column, f) => (column === null ? details[b][f] : column)) : index
  )
  return {
    ...rest,
    assets: blocks.flatMap((block) => rowsOfBlock(block, rest.v)),
    groups: of("albumsift-groups").flatMap((block) => rowsOfGroupBlock(block, lists, rest.v))
  }
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
      : v === 2 || v === 3 || v === 4
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
