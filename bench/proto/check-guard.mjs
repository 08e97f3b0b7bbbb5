// Checks the guard against Schema decoding on every item of an album plus mutations, and times both.
// Usage: node bench/proto/check-guard.mjs bench/data/album-100k-seed42.json
import { createReadStream, realpathSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { splitArray } from "../lib/split.mjs"
import { compileGuard } from "./guard.mjs"

const coreDir = join(import.meta.dirname, "..", "..", "packages", "core")
const dir = realpathSync(join(coreDir, "node_modules", "effect"))
const { Schema, Either } = await import(pathToFileURL(join(dir, "dist/esm/index.js")).href)
const Asset = await import(pathToFileURL(join(coreDir, "dist", "Asset.js")).href)

const items = []
await splitArray(createReadStream(process.argv[2]), (v) => items.push(v))
const decode = Schema.decodeUnknownEither(Asset.AssetResponse, {
  errors: "first",
  onExcessProperty: "ignore"
})
const guard = compileGuard(Asset.AssetResponse.ast)

// Mutations: every field of a valid asset replaced by values of other types, or removed.
const odd = [
  null,
  undefined,
  0,
  -1,
  1.5,
  "",
  " ",
  "x",
  "2024-13-01T00:00:00Z",
  "2024-02-25T06:57:27Z",
  true,
  [],
  {},
  [1],
  { a: 1 },
  { url: 3 }
]
const mutants = []
for (const base of items.slice(0, 400)) {
  if (base === null || typeof base !== "object") continue
  for (const key of Object.keys(base)) {
    for (const v of odd) mutants.push({ ...base, [key]: v })
    const { [key]: _, ...rest } = base
    mutants.push(rest)
    const inner = base[key]
    if (inner !== null && typeof inner === "object" && !Array.isArray(inner))
      for (const k2 of Object.keys(inner))
        for (const v of odd) mutants.push({ ...base, [key]: { ...inner, [k2]: v } })
    if (Array.isArray(inner) && inner.length > 0)
      for (const v of odd) mutants.push({ ...base, [key]: [...inner, v] })
  }
}
let disagree = 0
let accepted = 0
for (const v of [...items, ...mutants, ...odd]) {
  const a = Either.isRight(decode(v))
  const b = guard(v)
  if (a) accepted++
  if (a !== b) {
    disagree++
    if (disagree < 5) console.log("DISAGREE schema", a, "guard", b, JSON.stringify(v)?.slice(0, 300))
  }
}
console.log(
  `${items.length} items + ${mutants.length} mutants: ${accepted} accepted, ${disagree} disagreements`
)

const time = (name, f) => {
  const t = performance.now()
  let ok = 0
  for (const v of items) if (f(v)) ok++
  const ms = performance.now() - t
  console.log(
    `${name.padEnd(8)} ${ms.toFixed(0).padStart(6)} ms  ${((ms * 1000) / items.length).toFixed(2)} µs/item  (${ok} accepted)`
  )
}
for (let r = 0; r < 2; r++) {
  time("schema", (v) => Either.isRight(decode(v)))
  time("guard", guard)
}
