// Prototype (measured and dropped, twenty-second round): the decode worker's records as a binary wire
// instead of JSON text. Numbers go into a Float64Array, each string's length into an Int32Array and
// its bytes into one buffer (ASCII as latin1, anything else as UTF-16 so lone surrogates survive), and
// the main thread reads them back field by field. It checks itself: every record read back must equal
// the JSON wire's record. Usage: node bench/proto/wire-binary.mjs <album.json> [rounds]
import { readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const dist = join(resolve(dirname(fileURLToPath(import.meta.url)), "..", ".."), "packages", "core", "dist")
const load = (path) => import(pathToFileURL(join(dist, path)).href)
const Asset = await load("Asset.js")
const Wire = await load("internal/projectionWire.js")
const { PassThrough } = await load("engine/internal/Interner.js")
const { Parser } = await load("source/JsonInput.js")

const [file, roundsArg = "3"] = process.argv.slice(2)
const SEGMENT = 256 // records per JSON text, as the worker writes them

// The album's items decoded exactly as the worker does, as wire records.
const records = (() => {
  const parser = new Parser(file)
  const bytes = readFileSync(file)
  const values = []
  for (let at = 0; at < bytes.length; at += 1 << 20)
    values.push(...parser.feed(bytes.subarray(at, at + (1 << 20))))
  values.push(...parser.finish())
  const interner = new PassThrough()
  return values.map((value, index) => {
    const d = Asset.decode({ value, index }, interner)
    return Asset.isRejected(d) ? Wire.rejectionRecord(d.index, d.reason, d.id) : Wire.projectionRecord(d)
  })
})()

// Each projection field's kind, by position (see projectionRecord): string or null, number or null,
// boolean, metrics record (or 0), people list (or 0).
const KINDS = "snsssnsnnb" + "ssssssss" + "nbmnnnbbspnssnn"
if (KINDS.length !== records.find((r) => typeof r[0] === "string").length)
  throw new Error("KINDS is out of date")

// --- the JSON wire, as the worker writes it and the main thread reads it
const jsonBuffer = Buffer.allocUnsafeSlow(1 << 26)
const jsonWrite = () => {
  let at = 0
  for (let k = 0; k < records.length; k += SEGMENT) {
    const text = JSON.stringify(records.slice(k, k + SEGMENT))
    if (at + 3 * text.length > jsonBuffer.length) at = 0
    at += jsonBuffer.write(text, at, "utf8")
  }
}
const segments = []
for (let k = 0; k < records.length; k += SEGMENT)
  segments.push(Buffer.from(JSON.stringify(records.slice(k, k + SEGMENT))))
const jsonRead = () => segments.flatMap((s) => JSON.parse(s.toString("utf8")))

// --- the binary wire
class Out {
  bytes = Buffer.allocUnsafeSlow(1 << 24)
  at = 0
  numbers = new Float64Array(1 << 20)
  n = 0
  lengths = new Int32Array(1 << 21)
  l = 0
  full() {
    return (
      this.at > this.bytes.length - 65536 ||
      this.n > this.numbers.length - 256 ||
      this.l > this.lengths.length - 256
    )
  }
  string(s) {
    if (s === null || s === undefined) {
      this.lengths[this.l++] = -1
      return
    }
    const n = this.bytes.utf8Write(s, this.at)
    if (n === s.length) {
      this.lengths[this.l++] = n
      this.at += n
    } else {
      const m = this.bytes.ucs2Write(s, this.at)
      this.lengths[this.l++] = -2 - m
      this.at += m
    }
  }
  number(x) {
    this.numbers[this.n++] = x === null ? Number.NaN : x
  }
}
class In {
  constructor(out) {
    Object.assign(this, { bytes: out.bytes, numbers: out.numbers, lengths: out.lengths, end: out.n })
    this.at = 0
    this.n = 0
    this.l = 0
  }
  string() {
    const n = this.lengths[this.l++]
    if (n === -1) return null
    const start = this.at
    if (n >= 0) {
      this.at += n
      return this.bytes.latin1Slice(start, this.at)
    }
    this.at += -2 - n
    return this.bytes.ucs2Slice(start, this.at)
  }
  number() {
    const x = this.numbers[this.n++]
    return Number.isNaN(x) ? null : x
  }
}
const binaryWrite = () => {
  const outs = [new Out()]
  for (const r of records) {
    if (outs.at(-1).full()) outs.push(new Out())
    const out = outs.at(-1)
    if (typeof r[0] !== "string") {
      out.number(-1)
      out.number(r[0])
      out.string(r[1])
      out.string(r[2])
      continue
    }
    out.number(0)
    for (let f = 0; f < KINDS.length; f++) {
      const v = r[f]
      switch (KINDS[f]) {
        case "s":
          out.string(v)
          break
        case "n":
          out.number(v)
          break
        case "b":
          out.number(v ? 1 : 0)
          break
        case "m": {
          const keys = v === 0 ? [] : Object.keys(v)
          out.number(keys.length)
          for (const key of keys) {
            out.string(key)
            out.number(v[key])
          }
          break
        }
        default:
          out.number(v === 0 ? 0 : v.length)
          if (v !== 0) for (const s of v) out.string(s)
      }
    }
  }
  return outs
}
const binaryRead = (outs) => {
  const back = []
  for (const out of outs) {
    const read = new In(out)
    while (read.n < read.end) {
      if (read.number() === -1) {
        const r = [read.number(), read.string()]
        const id = read.string()
        back.push(id === null ? r : [...r, id])
        continue
      }
      const r = new Array(KINDS.length)
      for (let f = 0; f < KINDS.length; f++) {
        switch (KINDS[f]) {
          case "s":
            r[f] = read.string()
            break
          case "n":
            r[f] = read.number()
            break
          case "b":
            r[f] = read.number() === 1
            break
          case "m": {
            const count = read.number()
            const metrics = {}
            for (let j = 0; j < count; j++) metrics[read.string()] = read.number()
            r[f] = count === 0 ? 0 : metrics
            break
          }
          default: {
            const count = read.number()
            const people = []
            for (let j = 0; j < count; j++) people.push(read.string())
            r[f] = count === 0 ? 0 : people
          }
        }
      }
      back.push(r)
    }
  }
  return back
}

const time = (f) => {
  const t = performance.now()
  const result = f()
  return { ms: performance.now() - t, result }
}
const back = binaryRead(binaryWrite())
const differ = records.filter((r, i) => JSON.stringify(r) !== JSON.stringify(back[i])).length
if (back.length !== records.length || differ > 0)
  throw new Error(`${differ} records differ after the binary wire`)
console.log(`${records.length} records; the binary wire reads every one back equal`)
for (let round = 1; round <= Number(roundsArg); round++) {
  const jw = time(jsonWrite)
  const jr = time(jsonRead)
  const bw = time(binaryWrite)
  const br = time(() => binaryRead(bw.result))
  console.log(
    `round ${round}: JSON write ${jw.ms.toFixed(0)} ms, read ${jr.ms.toFixed(0)} ms; binary write ${bw.ms.toFixed(0)} ms, read ${br.ms.toFixed(0)} ms`
  )
}
