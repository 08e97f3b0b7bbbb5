import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Progress from "../src/Progress.js"

const target = (color: boolean) => {
  const writes: Array<string> = []
  let now = 0
  return {
    writes,
    tick: (ms: number) => {
      now += ms
    },
    target: { write: (s: string) => void writes.push(s), color, now: () => now }
  }
}

describe("Progress", () => {
  it.effect("renders phase, albums and items on one line, throttled, and erases it at the end", () =>
    Effect.gen(function* () {
      const t = target(false)
      const p = Progress.make(t.target)
      yield* p.albums(2)
      yield* p.phase("reading")
      for (let i = 0; i < 50; i++) yield* p.items([{ album: "album_a" }])
      yield* p.albumRead("album_a")
      const drawn = t.writes.length
      for (let i = 0; i < 20; i++) yield* p.items([{}])
      // Item updates within 100 ms of the last render draw nothing.
      assert.strictEqual(t.writes.length, drawn)
      t.tick(150)
      yield* p.items([{ album: "album_b" }])
      const last = t.writes.at(-1) ?? ""
      assert.include(last, "reading")
      assert.include(last, "1/2 albums read")
      assert.include(last, "71 assets read")
      assert.notInclude(t.writes.join(""), "\x1b[36m")
      yield* p.done
      assert.strictEqual(t.writes.at(-1), "\r\x1b[2K")
    })
  )

  it.effect("uses colour only when allowed", () =>
    Effect.gen(function* () {
      const t = target(true)
      yield* Progress.make(t.target).phase("analysing")
      assert.include(t.writes.join(""), "\x1b[36manalysing\x1b[0m")
    })
  )

  it("NO_COLOR (any non-empty value) and TERM=dumb turn colour off", () => {
    assert.isTrue(Progress.colorAllowed({}))
    assert.isTrue(Progress.colorAllowed({ NO_COLOR: "" }))
    assert.isFalse(Progress.colorAllowed({ NO_COLOR: "1" }))
    assert.isFalse(Progress.colorAllowed({ TERM: "dumb" }))
  })
})
