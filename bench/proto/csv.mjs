// Prototype for report/Csv.ts: a hand RFC 4180 row writer that produces byte-identical output to the
// csv-stringify options report.csv uses, checked on every row of an album plus fuzzed cells, and timed.
// Usage: node bench/proto/csv.mjs <album.json>
import { createReadStream, realpathSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

/** One cell as csv-stringify writes it with report.csv's options (CRLF, escape_formulas, quote CR/LF). */
const cell = (v) => {
  if (v === null || v === undefined) return ""
  let s
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return ""
    s = String(v)
    // A number's own minus sign is not a formula; other formula starters cannot begin a number.
  } else {
    s = v
    if (s === "") return ""
    const c = s.charCodeAt(0)
    // = + - @ TAB CR and their full-width forms: prefixed with ' so spreadsheets do not run them.
    if (
      c === 61 ||
      c === 43 ||
      c === 45 ||
      c === 64 ||
      c === 9 ||
      c === 13 ||
      c === 0xff1d ||
      c === 0xff0b ||
      c === 0xff0d ||
      c === 0xff20
    )
      s = `'${s}`
  }
  const hasQuote = s.includes('"')
  if (hasQuote || s.includes(",") || s.includes("\n") || s.includes("\r"))
    return `"${hasQuote ? s.replaceAll('"', '""') : s}"`
  return s
}

/** Rows as CSV text, CRLF after each, as `stringify(rows, options)` does. */
export const fastRows = (rows) => {
  let out = ""
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) out += i === 0 ? cell(row[i]) : `,${cell(row[i])}`
    out += "\r\n"
  }
  return out
}

if (process.argv[2]) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..")
  const dist = (pkg, f = "index.js") => pathToFileURL(join(root, "packages", pkg, "dist", f)).href
  const effectDir = realpathSync(join(root, "packages", "core", "node_modules", "effect"))
  const { Effect, Stream } = await import(pathToFileURL(join(effectDir, "dist/esm/index.js")).href)
  const core = await import(dist("core"))
  const report = await import(dist("report"))
  const file = process.argv[2]
  const bytes = Stream.fromAsyncIterable(createReadStream(file, { highWaterMark: 1 << 20 }), (e) => e)
  const analysis = await Effect.runPromise(
    core.Pipeline.analyze(core.JsonInput.items(bytes, { input: file }))
  )
  const rows = [...report.Csv.rows(analysis)]
  // Fuzzed cells: every special character in every position, numbers of every kind.
  const specials = [
    '"',
    ",",
    "\n",
    "\r",
    "\r\n",
    "=",
    "+",
    "-",
    "@",
    "\t",
    "＝",
    "＋",
    "－",
    "＠",
    "'",
    " ",
    "é",
    "😀"
  ]
  const fuzz = []
  for (const a of specials) for (const b of specials) fuzz.push([`${a}x${b}`, `${a}${b}`, a, `x${a}y${b}z`])
  fuzz.push([
    0,
    -0,
    -1.5,
    1e21,
    1e-7,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -Number.MAX_VALUE,
    null,
    "",
    "plain"
  ])
  const all = [...rows, ...fuzz]
  let diff = 0
  for (let k = 0; k < all.length; k += 500) {
    const batch = all.slice(k, k + 500)
    const a = report.Csv.stringifyRows(batch)
    const b = fastRows(batch)
    if (a !== b) {
      diff++
      for (const r of batch)
        if (report.Csv.stringifyRows([r]) !== fastRows([r]) && diff < 5)
          console.log(
            "DIFF",
            JSON.stringify(r),
            JSON.stringify(report.Csv.stringifyRows([r])),
            JSON.stringify(fastRows([r]))
          )
    }
  }
  console.log(`${rows.length} rows + ${fuzz.length} fuzz rows: ${diff} differing batches`)
  for (let r = 0; r < 2; r++) {
    for (const [name, f] of [
      ["csv-stringify", report.Csv.stringifyRows],
      ["hand", fastRows]
    ]) {
      const t = performance.now()
      let chars = 0
      for (let k = 0; k < rows.length; k += 500) chars += f(rows.slice(k, k + 500)).length
      const ms = performance.now() - t
      console.log(
        `${name.padEnd(14)} ${ms.toFixed(0).padStart(6)} ms  ${((ms * 1000) / rows.length).toFixed(2)} µs/row  ${chars} chars`
      )
    }
  }
}
