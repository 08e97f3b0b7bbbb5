import { execFileSync } from "node:child_process"
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Fiber, Stream } from "effect"
import type { Analysis } from "../../src/Analysis.js"
import * as Pipeline from "../../src/engine/Pipeline.js"
import { Predecoded } from "../../src/internal/projectionWire.js"
import { TOO_DEEP } from "../../src/source/internal/nesting.js"
import * as OffThread from "../../src/source/internal/offThread.js"
import * as JsonInput from "../../src/source/JsonInput.js"

// The worker path (`worker: "always"`) against the calling thread's (`never`, which is `items`
// decoded in the pipeline): same items, indexes, rejections, errors and analysis.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../../..")
const encoder = new TextEncoder()

/** A generated album (the bench's generator), as text. */
const album = (count: number, ...flags: Array<string>): string =>
  execFileSync(
    process.execPath,
    [join(ROOT, "scripts/generate-album.mjs"), "--count", String(count), "--seed", "5", ...flags],
    { encoding: "utf8", maxBuffer: 1 << 28 }
  )

/** The text's bytes in chunks of `size` bytes. */
const chunks = (text: string, size: number): Stream.Stream<Uint8Array> => {
  const bytes = encoder.encode(text)
  const parts: Array<Uint8Array> = []
  for (let at = 0; at < bytes.length; at += size) parts.push(bytes.subarray(at, at + size))
  return Stream.fromIterable(parts)
}

/** The analysis of `text` read in a worker or not; checks that a worker ran exactly when asked. */
const analyse = (text: string, worker: "always" | "never", options?: JsonInput.DecodedItemsOptions) => {
  let workers = 0
  const items = JsonInput.decodedItems(chunks(text, 7919), { ...options, worker }).pipe(
    Stream.tap(() => Effect.sync(() => (workers = Math.max(workers, OffThread.running()))))
  )
  return Pipeline.analyze(items).pipe(
    Effect.tap(() => assert.strictEqual(workers, worker === "always" ? 1 : 0, "workers running"))
  )
}

/** Everything an analysis says, as JSON (the lazy views walked). */
const everything = (a: Analysis): string =>
  JSON.stringify({
    summary: a.summary,
    assets: [...a.assets],
    groups: [...a.groups],
    rejected: a.rejected,
    metrics: a.metrics,
    anomalies: a.timezoneAnomalies
  })

// Chunks past the texts' sizes: where a chunk ends can change how much of the input a message
// quotes, and the worker reads 1 MiB at a time.
const failure = (text: string, worker: "always" | "never", options?: JsonInput.DecodedItemsOptions) =>
  JsonInput.decodedItems(chunks(text, 1 << 16), { input: "album.json", ...options, worker }).pipe(
    Stream.runDrain,
    Effect.flip
  )

describe("JsonInput.decodedItems in a worker", () => {
  it("finds the built worker", () => {
    assert.isTrue(OffThread.available())
  })

  for (const [format, flags] of [
    ["array", []],
    ["NDJSON", ["--ndjson"]],
    ["cursor page", ["--page"]]
  ] as const) {
    it.effect(
      `gives the same analysis as the calling thread (${format}, invalid items included)`,
      () =>
        Effect.gen(function* () {
          const text = album(3000, "--invalid-rate", "0.03", ...flags)
          const off = yield* analyse(text, "always")
          const on = yield* analyse(text, "never")
          assert.isAbove(off.summary.rejected, 20)
          assert.isAbove(off.summary.groups, 100)
          assert.strictEqual(everything(off), everything(on))
        }),
      { timeout: 60_000 }
    )
  }

  it.effect("keeps order and 0-based indexes; invalid items come back with index and reason", () =>
    Effect.gen(function* () {
      const text = `[{"id":"a"},{"id":"b", "x": oops},7,{"id":"a"},[1],{"id":"c","checksum":""}]`
      const items = yield* JsonInput.decodedItems(chunks(text, 3), { worker: "always" }).pipe(
        Stream.runCollect,
        Effect.map(Chunk.toReadonlyArray)
      )
      assert.deepStrictEqual(
        items.map((i) => i.index),
        [0, 1, 2, 3, 4, 5]
      )
      const off = yield* analyse(text, "always")
      const on = yield* analyse(text, "never")
      assert.deepStrictEqual(off.rejected, on.rejected)
      assert.deepStrictEqual(
        off.rejected.map((r) => [r.index, r.id]),
        [
          [0, "a"],
          [1, "b"],
          [2, undefined],
          [3, "a"],
          [4, undefined],
          [5, "c"]
        ]
      )
      assert.match(off.rejected[1]!.reason, /^invalid JSON: /)
      assert.strictEqual(off.summary.duplicateIds, 0)
    })
  )

  it.effect("many tiny items in one piece (several record segments) keep their order", () =>
    Effect.gen(function* () {
      const text = `[${Array.from({ length: 3000 }, (_, k) => (k % 7 === 3 ? "7" : `{"id":"t${k}"}`)).join(",")}]`
      assert.isBelow(text.length, 64 * 1024)
      const off = yield* analyse(text, "always")
      const on = yield* analyse(text, "never")
      assert.strictEqual(off.summary.rejected, 3000)
      assert.strictEqual(everything(off), everything(on))
      assert.deepStrictEqual(
        off.rejected.map((r) => r.index),
        [...Array(3000).keys()]
      )
    })
  )

  // Consumed items can stay reachable for a while; a record still held then is promoted with them
  // (at 250k assets 280 MB promoted on the main thread). So the pipeline takes each record once,
  // a repeated id's too.
  it.effect("the pipeline takes each item's record once and leaves none held", () =>
    Effect.gen(function* () {
      const once = album(300)
      const text = `${once.trimEnd().slice(0, -1)},${once.trim().slice(1)}`
      const items = Chunk.toReadonlyArray(
        yield* Stream.runCollect(JsonInput.decodedItems(chunks(text, 7919), { worker: "always" }))
      )
      assert.isTrue(items.every((item) => item.value instanceof Predecoded))
      const taken = Pipeline.analyzeItems(items)
      assert.isAbove(taken.summary.duplicateIds, 290)
      assert.strictEqual(everything(taken), everything(yield* analyse(text, "never")))
      for (const item of items) assert.throws(() => (item.value as Predecoded).take(), /already taken/)
    })
  )

  it.effect("a repeated id only adds its album, as on the calling thread", () =>
    Effect.gen(function* () {
      const text = album(400)
      const doubled = `${text.trimEnd().slice(0, -1)},${text.trim().slice(1)}`
      const off = yield* analyse(doubled, "always", { album: "album_1" })
      const on = yield* analyse(doubled, "never", { album: "album_1" })
      assert.isAbove(off.summary.duplicateIds, 390)
      assert.strictEqual(everything(off), everything(on))
      assert.deepStrictEqual([...off.assets][0]!.albums, ["album_1"])
    })
  )

  it.effect("an item nested too deeply is rejected on its own", () =>
    Effect.gen(function* () {
      const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`
      const off = yield* analyse(`[{"id":"x","a":${deep}},${album(3).trim().slice(1)}`, "always")
      assert.deepStrictEqual(
        off.rejected.map((r) => [r.index, r.id, r.reason]),
        [[0, "x", TOO_DEEP]]
      )
    })
  )

  for (const [name, text] of [
    ["truncated", `[{"id":"a"},{"id":"b"},{"id":"c", "s": "é`],
    ["garbage after the end", `[{"id":"a"}] é`],
    ["not JSON", `<!doctype html><p>hi`],
    ["empty", "  \n"]
  ] as const) {
    it.effect(`fails like the calling thread: ${name}`, () =>
      Effect.gen(function* () {
        const off = yield* failure(text, "always")
        const on = yield* failure(text, "never")
        assert.strictEqual(off._tag, "JsonInputError")
        assert.strictEqual(off.message, on.message)
        assert.deepStrictEqual(
          [off.offset, off.items, off.reason],
          [
            (on as JsonInput.JsonInputError).offset,
            (on as JsonInput.JsonInputError).items,
            (on as JsonInput.JsonInputError).reason
          ]
        )
        assert.notInclude(off.message, "\n")
      })
    )
  }

  it.effect("an item past the size cap fails naming the limit", () =>
    Effect.gen(function* () {
      const text = `[{"id":"a"},{"id":"b","s":"${"x".repeat(5000)}"}]`
      const off = yield* failure(text, "always", { maxItemSize: 1000 })
      const on = yield* failure(text, "never", { maxItemSize: 1000 })
      assert.strictEqual(off.message, on.message)
      assert.strictEqual((off as JsonInput.JsonInputError).limit, "item size")
      assert.match(off.message, /item is larger than the 1000 bytes item size cap \(1 item read before it\)$/)
    })
  )

  it.effect("a failing byte stream fails after the items read before it", () =>
    Effect.gen(function* () {
      const text = album(50)
      const bytes = Stream.concat(
        Stream.make(encoder.encode(text.slice(0, text.lastIndexOf(`{"id"`)))),
        Stream.fail("disk on fire")
      )
      const read: Array<number> = []
      const error = yield* JsonInput.decodedItems(bytes, { worker: "always" }).pipe(
        Stream.runForEach((item) => Effect.sync(() => read.push(item.index))),
        Effect.flip
      )
      assert.strictEqual(error, "disk on fire")
      assert.deepStrictEqual(read, [...Array(49).keys()])
    })
  )

  it.effect("detects and maps an Immich export in the worker, as on the calling thread", () =>
    Effect.gen(function* () {
      const assets = [0, 1, 2].map((k) => ({
        id: `im-${k}`,
        checksum: Buffer.alloc(20, k === 2 ? 1 : 0).toString("base64"),
        originalFileName: `IMG_${k}.JPG`,
        deviceAssetId: `d${k}`,
        deviceId: "phone",
        localDateTime: `2025-06-01T08:00:0${k}.000Z`,
        fileCreatedAt: `2025-06-01T08:00:0${k}.000Z`,
        createdAt: "2025-06-02T08:00:00.000Z",
        type: "IMAGE"
      }))
      const text = JSON.stringify({ albumName: "Trip", assets })
      const shapes: Array<string> = []
      const off = yield* analyse(text, "always", { detectShape: true, onShape: (s) => shapes.push(s) })
      const on = yield* analyse(text, "never", { detectShape: true })
      assert.strictEqual(everything(off), everything(on))
      assert.strictEqual(off.summary.assets, 3)
      assert.strictEqual(off.summary.groups, 1)
      assert.deepStrictEqual([...new Set(shapes)], ["immich"])
    })
  )

  it.effect(
    "says when a cursor page holds one page of a longer listing (has_more: true), in the worker too",
    () =>
      Effect.gen(function* () {
        const page = JSON.parse(album(30, "--page")) as { data: Array<unknown> }
        for (const worker of ["always", "never"] as const) {
          for (const hasMore of [true, false]) {
            let partial = 0
            const text = JSON.stringify({ data: page.data, has_more: hasMore })
            const a = yield* analyse(text, worker, { onPartialPage: () => partial++ })
            assert.strictEqual(a.summary.inputItems, 30)
            assert.strictEqual(partial, hasMore ? 1 : 0, `${worker}, has_more ${hasMore}`)
          }
        }
        let partial = 0
        yield* analyse(album(30), "never", { onPartialPage: () => partial++ })
        assert.strictEqual(partial, 0, "an array is no page")
      })
  )

  it.live("interrupting the stream terminates the worker", () =>
    Effect.gen(function* () {
      const text = album(1500)
      // Bytes that never end: the worker is started and then left waiting.
      const bytes = Stream.concat(Stream.make(encoder.encode(text.slice(0, -2))), Stream.never)
      let seen = 0
      const fiber = yield* JsonInput.decodedItems(bytes, { worker: "always" }).pipe(
        Stream.runForEach(() => Effect.sync(() => seen++)),
        Effect.fork
      )
      while (seen < 500) yield* Effect.sleep("10 millis")
      assert.strictEqual(OffThread.running(), 1)
      const exit = yield* Fiber.interrupt(fiber)
      assert.isTrue(Exit.isInterrupted(exit))
      assert.strictEqual(OffThread.running(), 0)
    })
  )

  it.effect("a finished or failed stream leaves no worker running", () =>
    Effect.gen(function* () {
      yield* analyse(album(20), "always")
      yield* failure(`[{"id":"a"}`, "always")
      assert.strictEqual(OffThread.running(), 0)
    })
  )

  it.effect("under `auto`, a known size decides at once: a worker past 32 MiB, none below", () =>
    Effect.gen(function* () {
      const text = album(100)
      const peak = (size: number) => {
        let most = 0
        return JsonInput.decodedItems(chunks(text, 1000), { size }).pipe(
          Stream.runForEach(() => Effect.sync(() => (most = Math.max(most, OffThread.running())))),
          Effect.map(() => most)
        )
      }
      assert.strictEqual(yield* peak(64 * 1024 * 1024), 1)
      assert.strictEqual(yield* peak(text.length), 0)
    })
  )

  it.effect("small inputs stay on the calling thread under `auto`", () =>
    Effect.gen(function* () {
      let peak = 0
      yield* JsonInput.decodedItems(chunks(album(100), 1000)).pipe(
        Stream.runForEach(() => Effect.sync(() => (peak = Math.max(peak, OffThread.running()))))
      )
      assert.strictEqual(peak, 0)
    })
  )
})

describe("JsonInput reads ASCII and non-ASCII pieces alike", () => {
  it.effect("multi-byte characters across 64 KiB pieces, a byte order mark, U+FEFF inside", () =>
    Effect.gen(function* () {
      // Strings of varied lengths put multi-byte characters (2, 3 and 4 bytes) at every position
      // around the piece boundaries, between long runs of ASCII-only pieces.
      const values: Array<unknown> = []
      for (let k = 0; k < 400; k++) {
        values.push({ id: `a${k}`, s: `${"x".repeat((k * 997) % 3001)}é€😀\uFEFF`, t: "y".repeat(k % 7) })
        if (k % 50 === 0) values.push({ id: `long${k}`, s: "z".repeat(70_000) })
      }
      const text = `\uFEFF${JSON.stringify(values)}`
      for (const size of [1 << 20, 65_536, 65_537, 9_973]) {
        const items = yield* JsonInput.items(chunks(text, size)).pipe(
          Stream.runCollect,
          Effect.map((c) => Chunk.toReadonlyArray(c).map((i) => i.value))
        )
        assert.deepStrictEqual(items, values, `chunks of ${size}`)
      }
    })
  )
})

describe("JsonInput.decodedItems reading a file in the worker (fd)", () => {
  /** Runs `f` with `text` in a file open for reading (`flags`), then closes and removes it. */
  const withFile = <A, E>(text: string, f: (fd: number) => Effect.Effect<A, E>, flags = "r") =>
    Effect.acquireUseRelease(
      Effect.sync(() => {
        const dir = mkdtempSync(join(tmpdir(), "albumsift-fd-"))
        writeFileSync(join(dir, "album.json"), text)
        return { dir, fd: openSync(join(dir, "album.json"), flags) }
      }),
      ({ fd }) => f(fd),
      ({ dir, fd }) =>
        Effect.sync(() => {
          closeSync(fd)
          rmSync(dir, { recursive: true })
        })
    )
  // The bytes stream must not be read: the worker reads the file itself.
  const unread = Stream.die("the bytes were read")
  const fromFile = (fd: number, options?: JsonInput.DecodedItemsOptions) =>
    JsonInput.decodedItems(unread, { input: "album.json", ...options, worker: "always", fd })

  it.effect("gives the same analysis as the bytes read on the calling thread (several 1 MiB reads)", () =>
    Effect.gen(function* () {
      const text = album(3000, "--invalid-rate", "0.03")
      assert.isAbove(encoder.encode(text).length, 3 << 20)
      const off = yield* withFile(text, (fd) => Pipeline.analyze(fromFile(fd)))
      const on = yield* analyse(text, "never")
      assert.strictEqual(everything(off), everything(on))
      assert.strictEqual(OffThread.running(), 0)
    })
  )

  for (const text of [`[{"id":"a"},{"id":"b"},{"id":"c", "s": "é`, `[{"id":"a"}] é`, "  \n"]) {
    it.effect(`fails at the same offset as the calling thread: ${JSON.stringify(text)}`, () =>
      Effect.gen(function* () {
        const off = yield* withFile(text, (fd) => Effect.flip(Stream.runDrain(fromFile(fd))))
        const on = yield* failure(text, "never")
        assert.strictEqual(off._tag, "JsonInputError")
        assert.strictEqual(off.message, on.message)
      })
    )
  }

  it.effect("a file that cannot be read fails with InputUnreadable, on one line", () =>
    Effect.gen(function* () {
      const error = yield* withFile(album(5), (fd) => Effect.flip(Stream.runDrain(fromFile(fd))), "a")
      assert.strictEqual(error._tag, "InputUnreadable")
      assert.match(error.message, /^album\.json: cannot read it: .*\(EBADF\)$/)
      assert.notInclude(error.message, "\n")
      assert.strictEqual(OffThread.running(), 0)
    })
  )
})

describe("JsonInput.decodedItems reading a file given by path", () => {
  /** Runs `f` with `text` written to a file (its path), then removes it. */
  const withPath = <A, E>(text: string, f: (path: string) => Effect.Effect<A, E>) =>
    Effect.acquireUseRelease(
      Effect.sync(() => {
        const dir = mkdtempSync(join(tmpdir(), "albumsift-path-"))
        writeFileSync(join(dir, "album.json"), text)
        return dir
      }),
      (dir) => f(join(dir, "album.json")),
      (dir) => Effect.sync(() => rmSync(dir, { recursive: true }))
    )
  const fromPath = (path: string) =>
    JsonInput.decodedItems(Stream.die("the bytes were read"), { input: "album.json", path, worker: "always" })

  it.effect("the worker reads it: same analysis, and the same error at the same offset", () =>
    Effect.gen(function* () {
      const text = album(3000, "--invalid-rate", "0.03")
      const cut = `${text.slice(0, -3)} x`
      const off = yield* withPath(text, (path) => Pipeline.analyze(fromPath(path)))
      const error = yield* withPath(cut, (path) => Effect.flip(Stream.runDrain(fromPath(path))))
      assert.strictEqual(everything(off), everything(yield* analyse(text, "never")))
      assert.strictEqual(error.message, (yield* failure(cut, "never")).message)
      assert.strictEqual(OffThread.running(), 0)
    })
  )

  it.effect("under `auto`, a small file is read from `bytes` on the calling thread", () =>
    Effect.gen(function* () {
      const text = album(100)
      let peak = 0
      const off = yield* withPath(text, (path) =>
        Pipeline.analyze(
          JsonInput.decodedItems(chunks(text, 1000), { input: "album.json", path }).pipe(
            Stream.tap(() => Effect.sync(() => (peak = Math.max(peak, OffThread.running()))))
          )
        )
      )
      assert.strictEqual(peak, 0)
      assert.strictEqual(everything(off), everything(yield* analyse(text, "never")))
    })
  )

  it.effect("a path that is not a regular file is not opened: `bytes` are read, and say why", () =>
    Effect.gen(function* () {
      const bytes = Stream.fail(new Error("the bytes' own error"))
      const error = yield* Effect.flip(
        Stream.runDrain(JsonInput.decodedItems(bytes, { input: "dir", path: tmpdir(), worker: "always" }))
      )
      assert.strictEqual(error.message, "the bytes' own error")
      assert.strictEqual(OffThread.running(), 0)
    })
  )
})
