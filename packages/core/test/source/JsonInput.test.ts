import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Either, Stream } from "effect"
import * as fc from "fast-check"
import * as Pipeline from "../../src/engine/Pipeline.js"
import type { SourceItem } from "../../src/SourceItem.js"
import * as JsonInput from "../../src/source/JsonInput.js"

const encoder = new TextEncoder()

/** The input's bytes cut at the given offsets (sorted, deduplicated), as a stream of chunks. */
const chunked = (text: string, cuts: ReadonlyArray<number> = []): Stream.Stream<Uint8Array> => {
  const bytes = encoder.encode(text)
  const points = [...new Set(cuts.map((c) => Math.min(Math.max(0, c), bytes.length)))].sort((a, b) => a - b)
  const parts: Array<Uint8Array> = []
  let from = 0
  for (const p of [...points, bytes.length]) {
    parts.push(bytes.subarray(from, p))
    from = p
  }
  return Stream.fromIterable(parts)
}

const read = (text: string, cuts?: ReadonlyArray<number>, options?: JsonInput.ItemsOptions) =>
  JsonInput.items(chunked(text, cuts), options).pipe(
    Stream.runCollect,
    Effect.map((c) => Chunk.toReadonlyArray(c))
  )

const values = (items: ReadonlyArray<SourceItem>) => items.map((i) => i.value)

const readError = (text: string, cuts?: ReadonlyArray<number>) =>
  read(text, cuts, { input: "album.json" }).pipe(Effect.flip)

describe("JsonInput formats", () => {
  it.effect("reads a bare array with 0-based indexes and the album tag", () =>
    Effect.gen(function* () {
      const items = yield* read(`[{"id":"a"}, {"id":"b"} ,{"id":"c"}]`, [], { album: "album_1" })
      assert.deepStrictEqual(items, [
        { value: { id: "a" }, index: 0, album: "album_1" },
        { value: { id: "b" }, index: 1, album: "album_1" },
        { value: { id: "c" }, index: 2, album: "album_1" }
      ])
    })
  )

  it.effect("reads an empty array as no items", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* read(" [ ] \n"), [])
    })
  )

  it.effect("reads a cursor page, members in any order, and exposes its envelope", () =>
    Effect.gen(function* () {
      const page = `{\n  "has_more": true,\n  "data": [\n    {"id": "a", "data": [1]},\n    {"id": "b"}\n  ],\n  "next": {"x": [1, 2]}\n}\n`
      assert.deepStrictEqual(values(yield* read(page)), [{ id: "a", data: [1] }, { id: "b" }])
      const parser = new JsonInput.Parser()
      const got = [...parser.feed(encoder.encode(page)), ...parser.finish()]
      assert.strictEqual(got.length, 2)
      assert.strictEqual(parser.format, "page")
      assert.deepStrictEqual(parser.envelope, { has_more: true, data: [], next: { x: [1, 2] } })
      const compact = `{"data":[{"id":"a"}],"has_more":false}`
      assert.deepStrictEqual(values(yield* read(compact)), [{ id: "a" }])
    })
  )

  it.effect("reads NDJSON, skipping blank lines and CRLF, one item per line", () =>
    Effect.gen(function* () {
      const items = yield* read(`{"id":"a","faces":[]}\r\n\r\n{"id":"b"}\n  {"id":"c"}  \n`)
      assert.deepStrictEqual(values(items), [{ id: "a", faces: [] }, { id: "b" }, { id: "c" }])
      assert.deepStrictEqual(
        items.map((i) => i.index),
        [0, 1, 2]
      )
    })
  )

  it.effect("reads concatenated pretty-printed values (jq '.[]' output)", () =>
    Effect.gen(function* () {
      const text = `{\n  "id": "a",\n  "exif": {"make": "X"}\n}\n{\n  "id": "b"\n}\n`
      assert.deepStrictEqual(values(yield* read(text)), [{ id: "a", exif: { make: "X" } }, { id: "b" }])
    })
  )

  it.effect("reads a single object as one item", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(values(yield* read(`{"id":"only"}`)), [{ id: "only" }])
    })
  )
})

describe("JsonInput broken elements", () => {
  it.effect("an element that splits but does not parse becomes InvalidJson; the rest is read", () =>
    Effect.gen(function* () {
      const items = yield* read(`[{"id":"a"},{"id":"b", "x": oops},{"id":"c"}]`)
      assert.strictEqual(items.length, 3)
      assert.deepStrictEqual(items[0]?.value, { id: "a" })
      assert.deepStrictEqual(items[2]?.value, { id: "c" })
      const bad = items[1]!
      assert.strictEqual(bad.index, 1)
      assert.isTrue(JsonInput.isInvalidJson(bad.value))
      const marker = bad.value as JsonInput.InvalidJson
      assert.match(marker.reason, /^invalid JSON: /)
      assert.notInclude(marker.reason, "\n")
      assert.strictEqual(marker.id, "b")
    })
  )

  it.effect("a broken NDJSON line spoils only itself", () =>
    Effect.gen(function* () {
      const items = yield* read(`{"id":"a"}\n{"id":"b", "faces": [}\n{"id":"c"}\n`)
      assert.deepStrictEqual(
        items.map((i) => JsonInput.isInvalidJson(i.value)),
        [false, true, false]
      )
    })
  )

  it.effect("empty elements (double or trailing comma) are invalid items, not lost or fatal", () =>
    Effect.gen(function* () {
      const items = yield* read(`[{"id":"a"},,{"id":"b"},]`)
      assert.strictEqual(items.length, 4)
      const reasons = items.map((i) => (JsonInput.isInvalidJson(i.value) ? i.value.reason : "ok"))
      assert.strictEqual(reasons[0], "ok")
      assert.match(reasons[1]!, /empty element/)
      assert.strictEqual(reasons[2], "ok")
      assert.match(reasons[3]!, /empty element/)
    })
  )

  it.effect("non-object elements are passed through for the decoder to judge", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(values(yield* read(`[null, 1, "x", [2]]`)), [null, 1, "x", [2]])
    })
  )
})

describe("JsonInput broken documents", () => {
  const cases: ReadonlyArray<readonly [string, string, RegExp, number]> = [
    ["empty", "", /input is empty/, 0],
    ["whitespace only", "  \n\t ", /input is empty/, 5],
    ["HTML", "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", /not JSON.*'<'.*HTML page/, 0],
    ["plain text", "  Internal Server Error", /not JSON: it starts with 'I'/, 2],
    [
      "a bare JSON value",
      " null",
      /^a bare JSON value \(it starts with 'n'\), not an array or object of assets$/,
      1
    ],
    ["a bare number", "42", /^a bare JSON value/, 0],
    // UTF-16 (what Windows tools often save) read as UTF-8: its byte order mark becomes two U+FFFD.
    [
      "UTF-16",
      "\uFFFD\uFFFD[\u0000]\u0000",
      /character U\+FFFD \(it looks like UTF-16 text: save it as UTF-8\)/,
      0
    ],
    ["unterminated array", `[{"id":"a"},{"id":"b"`, /end of input.*array is not closed/, 21],
    ["unterminated string", `[{"id":"a"},{"id":"b`, /inside a string/, 20],
    ["garbage after the array", `[{"id":"a"}] x`, /unexpected 'x' after the end/, 13],
    ["second array", `[1]\n[2]`, /unexpected '\[' after the end/, 4],
    ["unterminated page", `{"data":[{"id":"a"}`, /page is not closed/, 19],
    ["stray brace in array", `[{"id":"a"}}, {"id":"b"}]`, /unexpected '}'/, 11],
    ["multibyte offset", `["é"] é`, /unexpected character U\+00E9/, 7]
  ]
  for (const [name, text, pattern, offset] of cases) {
    it.effect(`fails clearly: ${name}`, () =>
      Effect.gen(function* () {
        const error = yield* readError(text)
        assert.strictEqual(error._tag, "JsonInputError")
        assert.match(error.reason, pattern)
        assert.strictEqual(error.offset, offset)
        assert.match(error.message, /^album\.json: invalid JSON at byte \d+: /)
        assert.notInclude(error.message, "\n")
      })
    )
  }

  it.effect("byte offsets stay exact wherever the chunks split multi-byte characters", () =>
    Effect.gen(function* () {
      const garbage = `["é", "日本", "😀", {"k": "ü😀"}] x`
      const truncated = `["é", "日本", "😀", {"k": "ü😀`
      const size = (t: string) => encoder.encode(t).length
      for (let cut = 0; cut <= size(garbage); cut++) {
        for (const second of [cut, cut + 1, cut + 2]) {
          const e1 = yield* readError(garbage, [cut, second])
          assert.strictEqual(e1.offset, size(garbage) - 1, `cut at ${cut}/${second}`)
        }
      }
      for (let cut = 0; cut <= size(truncated); cut++) {
        const e2 = yield* readError(truncated, [cut, cut + 1])
        assert.strictEqual(e2.offset, size(truncated), `cut at ${cut}`)
      }
    })
  )

  it.effect("counts items read before the problem", () =>
    Effect.gen(function* () {
      const error = yield* readError(`[{"id":"a"},{"id":"b"},{"id"`)
      assert.strictEqual(error.items, 2)
    })
  )
})

// Property tests: any chunking of any valid input gives exactly the original elements.

const trickyString = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.constantFrom(
    '"',
    "\\",
    '\\"',
    '\\\\"',
    "\\u0041",
    "]",
    "}",
    ",",
    "[{",
    "\n",
    "é",
    "😀",
    "日本",
    "\u2028"
  ),
  fc.string({ unit: fc.constantFrom('"', "\\", "a", "]", "😀", "é"), maxLength: 8 })
)
const asset = fc.record({
  id: trickyString,
  n: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)),
  exif: fc.option(fc.dictionary(trickyString, trickyString, { maxKeys: 3 })),
  faces: fc.array(fc.record({ box: fc.array(fc.integer(), { maxLength: 3 }) }), { maxLength: 2 })
})
const assets = fc.array(asset, { maxLength: 12 })

type Layout = "array" | "pretty-array" | "page" | "pretty-page" | "ndjson" | "values"
const layouts: ReadonlyArray<Layout> = ["array", "pretty-array", "page", "pretty-page", "ndjson", "values"]
const render = (items: ReadonlyArray<unknown>, layout: Layout): string => {
  switch (layout) {
    case "array":
      return JSON.stringify(items)
    case "pretty-array":
      return JSON.stringify(items, null, 2)
    case "page":
      return JSON.stringify({ data: items, has_more: false })
    case "pretty-page":
      return JSON.stringify({ has_more: true, data: items }, null, 2)
    case "ndjson":
      return items.map((i) => `${JSON.stringify(i)}\n`).join("")
    case "values":
      return items.map((i) => `${JSON.stringify(i, null, 1)}\n`).join("")
  }
}

describe("JsonInput chunk boundaries (property)", () => {
  it.effect(
    "every layout, split anywhere (inside strings, escapes, UTF-8 sequences), reads back exactly",
    () =>
      Effect.sync(() =>
        fc.assert(
          fc.property(
            assets.filter((a) => a.length > 0),
            fc.constantFrom(...layouts),
            fc.array(fc.nat(), { maxLength: 12 }),
            (items, layout, rawCuts) => {
              const text = render(items, layout)
              const size = encoder.encode(text).length
              const cuts = rawCuts.map((c) => c % (size + 1))
              const got = Effect.runSync(read(text, cuts))
              assert.deepStrictEqual(values(got), JSON.parse(JSON.stringify(items)))
              assert.deepStrictEqual(
                got.map((i) => i.index),
                items.map((_, k) => k)
              )
            }
          ),
          { numRuns: 400 }
        )
      )
  )

  it.effect("one byte per chunk reads the same as one chunk", () =>
    Effect.gen(function* () {
      const text = JSON.stringify([
        { id: 'a"\\', s: "😀é日本\\u0041" },
        { id: "b", x: [[{}]] }
      ])
      const all = Array.from({ length: encoder.encode(text).length }, (_, k) => k)
      assert.deepStrictEqual(yield* read(text, all), yield* read(text))
    })
  )

  it.effect("an array cut short anywhere fails; nothing passes as complete", () =>
    Effect.sync(() =>
      fc.assert(
        fc.property(
          assets.filter((a) => a.length > 0),
          fc.boolean(),
          (items, pretty) => {
            const text = pretty ? JSON.stringify(items, null, 2) : JSON.stringify(items)
            // Every proper prefix that still contains the opening bracket.
            for (const cut of [1, Math.floor(text.length / 2), text.length - 1]) {
              const result = Effect.runSync(Effect.either(read(text.slice(0, cut), [cut >> 1])))
              assert.isTrue(Either.isLeft(result), `prefix of ${cut} chars was accepted`)
            }
          }
        ),
        { numRuns: 200 }
      )
    )
  )
})

describe("JsonInput with the pipeline", () => {
  it.effect("a broken element is reported as Rejected with its index, id and 'invalid JSON' reason", () =>
    Effect.gen(function* () {
      const items = yield* read(`[{"id":"asset_a", "checksum": oops}, 7]`)
      const analysis = Pipeline.analyzeItems(items)
      const first = analysis.rejected[0]
      assert.strictEqual(first?.index, 0)
      assert.strictEqual(first?.id, "asset_a")
      // V8's own wording follows; it names the bad token.
      assert.match(first?.reason ?? "", /^invalid JSON: .*'o'/)
      assert.strictEqual(analysis.rejected[1]?.index, 1)
    })
  )
})

describe("JsonInput limits", () => {
  const big = `{"id":"big","pad":"${"x".repeat(5000)}"}`
  const small = (id: string) => `{"id":"${id}"}`
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["an array", `[${small("a")},${big},${small("c")}]`],
    ["a cursor page", `{"data":[${small("a")},${big}],"has_more":false}`],
    ["NDJSON", `${small("a")}\n${big}\n${small("c")}\n`],
    ["concatenated values", `{\n"id":"a"\n}\n${big}\n`],
    ["a value that never ends", `[${small("a")},{"id":"x","pad":"${"y".repeat(9000)}`]
  ]
  for (const [name, text] of cases) {
    for (const cuts of [[], [10, 2000, 4000, 4100, 6000]]) {
      it.effect(`${name}: an item past maxItemSize fails naming the cap (${cuts.length} cuts)`, () =>
        Effect.gen(function* () {
          const error = yield* read(text, cuts, { input: "album.json", maxItemSize: 4096 }).pipe(Effect.flip)
          assert.strictEqual(error._tag, "JsonInputError")
          assert.strictEqual(error.limit, "item size")
          assert.include(error.message, "an item is larger than the 4 KiB item size cap")
        })
      )
    }
  }

  it.effect("items under the cap read as before", () =>
    Effect.gen(function* () {
      const items = yield* read(`[${small("a")},${big}]`, [100], { maxItemSize: 8192 })
      assert.strictEqual(items.length, 2)
    })
  )

  it.effect("an item nested thousands of levels deep becomes InvalidJson on its own", () =>
    Effect.gen(function* () {
      const deep = `{"id":"deep","exif":${"[".repeat(3000)}${"]".repeat(3000)}}`
      const wide = `{"id":"wide","faces":[${Array.from({ length: 200 }, () => "{}").join(",")}]}`
      for (const text of [`[${small("a")},${deep},${wide}]`, `${small("a")}\n${deep}\n${wide}\n`]) {
        const items = values(yield* read(text, [7, 900]))
        assert.strictEqual(items.length, 3)
        const bad = items[1]
        assert.isTrue(JsonInput.isInvalidJson(bad))
        if (JsonInput.isInvalidJson(bad)) {
          assert.strictEqual(bad.reason, "nested more than 64 levels deep")
          assert.strictEqual(bad.id, "deep")
        }
        // Many brackets, but shallow: read as usual.
        assert.deepInclude(items[2] as object, { id: "wide" })
      }
    })
  )
})

describe("JsonInput batches (runs of items read with one JSON.parse)", () => {
  /**
   * What a parser makes of `bytes` fed in chunks ending at `cuts`: every value, or the error, its
   * counts, and how many batches it read (each one hands the splitter back with `skippedItems`).
   */
  const parse = (bytes: Uint8Array, cuts: ReadonlyArray<number>, options: JsonInput.ParserOptions) => {
    const parser = new JsonInput.Parser("album.json", options)
    const splitter = (parser as unknown as { splitter: { skippedItems: () => void } }).splitter
    const skipped = splitter.skippedItems.bind(splitter)
    let batches = 0
    splitter.skippedItems = () => {
      batches++
      skipped()
    }
    const got: Array<unknown> = []
    let error: string | undefined
    try {
      let from = 0
      for (const cut of [...cuts, bytes.length]) {
        for (const v of parser.feed(bytes.subarray(from, cut))) got.push(v)
        from = cut
      }
      for (const v of parser.finish()) got.push(v)
    } catch (e) {
      error = e instanceof JsonInput.JsonInputError ? e.message : `not a JsonInputError: ${String(e)}`
    }
    const shown = got.map((v) => (JsonInput.isInvalidJson(v) ? { invalid: v.reason, id: v.id } : v))
    const result = { values: shown, error, format: parser.format, envelope: parser.envelope }
    return { result, items: parser.items, batches }
  }

  // Items that tempt a wrong cut: ",\n" escaped in strings, "},{" inside items, nested arrays of
  // objects, items nested too deep, multi-byte text, items past one 64 KiB piece; now and then an
  // invalid or empty one (each makes the reader fall back and wait before batching again).
  const deep = `${"[".repeat(70)}${"]".repeat(70)}`
  const valid = fc.constantFrom(
    `{"id":"a","s":"x,\\ny"}`,
    `{"id":"b","s":"},{\\"q\\":1},\\n"}`,
    `{"id":"c","people":[{"id":"p"},\n{"id":"q"}]}`,
    `{"id":"é日本😀","n":-1.5e3}`,
    `{"__proto__":{"x":1},"id":"proto"}`,
    `1`,
    `"str,\\n"`,
    `[1,\n2]`,
    `{"id":"deep","v":${deep}}`,
    deep,
    `{"id":"big","pad":"${"x".repeat(70_000)}"}`,
    `{"id":"mid","pad":"${"y,".repeat(9_000)}"}`
  )
  const invalid = fc.constantFrom(`{"id":"bad",}`, `{"id":"x" "y"}`, "", " ", "tru")
  const item = fc.oneof({ weight: 40, arbitrary: valid }, { weight: 1, arbitrary: invalid })
  const separator = fc.oneof(
    { weight: 6, arbitrary: fc.constant(",\n") },
    { weight: 1, arbitrary: fc.constantFrom(",", ", ", "\n,", ",\n  ", ",\r\n", " ,\n") }
  )
  const render = (items: ReadonlyArray<string>, seps: ReadonlyArray<string>, shape: string): string => {
    const body = items.map((it, k) => (k === 0 ? it : `${seps[k % seps.length]}${it}`)).join("")
    switch (shape) {
      case "page":
        return `{"data":[\n${body}\n],\n"has_more":false,\n"next":[1,\n2]}`
      case "page-data-last":
        return `{"has_more":true,\n"data":[${body}]}\n`
      case "ndjson":
        return items.filter((it) => it.trim() !== "" && !it.includes("\n")).join("\n")
      default:
        return `[\n${body}\n]\n`
    }
  }
  const withEnding = (text: string, ending: string): string =>
    ending === "cut short"
      ? text.slice(0, Math.floor(text.length * 0.7))
      : ending === "garbage after"
        ? `${text} x`
        : ending === "trailing comma"
          ? text.replace(/\n\]\n$/, ",\n]\n")
          : text

  /** Batched and item-by-item reading of the same bytes agree; returns whether batches were read. */
  const agree = (
    bytes: Uint8Array,
    cuts: ReadonlyArray<number>,
    options: JsonInput.ParserOptions
  ): boolean => {
    const batched = parse(bytes, cuts, options)
    const itemByItem = parse(bytes, cuts, { ...options, batches: false })
    assert.strictEqual(itemByItem.batches, 0)
    if (itemByItem.result.error === undefined) {
      assert.deepStrictEqual(batched.result, itemByItem.result)
      assert.strictEqual(batched.items, itemByItem.items)
    } else {
      // The same error (reason, byte offset, items before it). The text after the last ",\n" waits
      // for the next piece, so how many values arrive before the error differs, as it does between
      // chunkings: one list is a prefix of the other.
      assert.strictEqual(batched.result.error, itemByItem.result.error)
      assert.strictEqual(batched.result.format, itemByItem.result.format)
      const [short, long] = [batched.result.values, itemByItem.result.values].sort(
        (a, b) => a.length - b.length
      )
      assert.deepStrictEqual(short, long!.slice(0, short!.length))
    }
    return batched.batches > 0
  }

  it("give what reading item by item gives: the same values, errors, counts, format and envelope", () => {
    let batchedRuns = 0
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 40 }),
        fc.array(separator, { minLength: 1, maxLength: 3 }),
        fc.constantFrom("array", "array", "page", "page-data-last", "ndjson"),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom("whole", "whole", "cut short", "garbage after", "trailing comma"),
        fc.boolean(),
        (items, seps, shape, rawCuts, ending, bom) => {
          const text = `${bom ? "\uFEFF" : ""}${withEnding(render(items, seps, shape), ending)}`
          const bytes = encoder.encode(text)
          const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
          if (agree(bytes, cuts, {})) batchedRuns++
        }
      ),
      { numRuns: 300 }
    )
    // The property is about batches: most documents must have been read with some.
    assert.isAbove(batchedRuns, 60, "runs that read a batch")
  })

  it("keep the item size cap where it is noticed, with pieces under the cap and items across it", () => {
    let batchedRuns = 0
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 20, max: 90 }),
        fc.boolean(),
        (sizes, piece, pretty) => {
          // Pretty items put a ",\n" inside an item, where the reader might split an item early.
          const items = sizes.map((n, k) =>
            pretty
              ? `{"pad":"${"z".repeat(n * 9)}",\n"id":"${k}"}`
              : `{"id":"${k}","pad":"${"z".repeat(n * 9)}"}`
          )
          const bytes = encoder.encode(`[\n${items.join(",\n")}\n]`)
          const cuts = Array.from({ length: Math.floor(bytes.length / piece) }, (_, k) => (k + 1) * piece)
          if (agree(bytes, cuts, { maxItemSize: 100 })) batchedRuns++
        }
      ),
      { numRuns: 300 }
    )
    assert.isAbove(batchedRuns, 20, "runs that read a batch")
  })

  it("count a byte order mark in offsets, before and after a batch", () => {
    const bom = [0xef, 0xbb, 0xbf]
    for (const [text, offset] of [
      ["[\n}", 5],
      ["[\n1,\n2}\n", 9]
    ] as const) {
      const bytes = Uint8Array.from([...bom, ...encoder.encode(text)])
      for (const cuts of [[], [1], [2], [4]]) {
        const read = parse(bytes, cuts, {})
        assert.include(
          read.result.error ?? "",
          `at byte ${offset}:`,
          `${JSON.stringify(text)} cut at ${cuts}`
        )
        agree(bytes, cuts, {})
      }
    }
  })

  it("keep what the splitter must know: a trailing comma after a batch, items counted when a piece fails", () => {
    // Cut right after "[": the next piece starts between items with no comma seen yet.
    const trailing = encoder.encode(`[\n{"id":"a"},\n{"id":"b"},\n]\n`)
    const batched = parse(trailing, [2], {})
    assert.deepStrictEqual(batched.result, parse(trailing, [2], { batches: false }).result)
    assert.strictEqual(batched.result.values.length, 3, "a, b and the empty item after the trailing comma")
    assert.strictEqual(batched.batches, 1)
    // Blank text before a comma is an empty item, not an empty batch.
    const blank = encoder.encode(`[\n \n,\n{"id":"a"}\n]`)
    const empty = parse(blank, [2], {})
    assert.deepStrictEqual(empty.result, parse(blank, [2], { batches: false }).result)
    assert.deepStrictEqual(empty.result.values[0], {
      invalid: "invalid JSON: empty element (two commas in a row, or a comma before ']')",
      id: undefined
    })
    // One piece: its first item is split, its batch does not parse, and then the document breaks.
    const broken = encoder.encode(`[\n{"id":"a"},\n{"id":"b"}\n]\n]\n,\n{"id":"c"}`)
    const failed = parse(broken, [], {})
    assert.match(failed.result.error ?? "", /unexpected '\]' after the end/)
    assert.deepStrictEqual(failed.result, parse(broken, [], { batches: false }).result)
    assert.strictEqual(failed.items, 0, "no item of a piece that failed is counted")
  })

  it("reads a line-per-item album in batches, and item by item when asked", () => {
    const bytes = encoder.encode(
      `[\n${Array.from({ length: 3000 }, (_, k) => JSON.stringify({ id: `asset_${k}`, n: k })).join(",\n")}\n]`
    )
    const on = parse(bytes, [], {})
    const off = parse(bytes, [], { batches: false })
    assert.deepStrictEqual(on.result, off.result)
    assert.strictEqual(on.result.values.length, 3000)
    // One batch per 64 KiB piece read after the first.
    assert.isAtLeast(on.batches, Math.floor(bytes.length / 65536) - 1)
    assert.strictEqual(off.batches, 0)
  })
})
