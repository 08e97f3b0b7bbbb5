import { describe, expect, it } from "vitest"
import { EMPTY, Interner, PassThrough } from "../../src/engine/internal/Interner.js"

describe("Interner", () => {
  it("shares one copy of equal strings and lists", () => {
    const interner = new Interner()
    const a = "image/heic"
    const b = ["image", "heic"].join("/")
    expect(interner.string(a)).toBe(a)
    expect(interner.string(b)).toBe(a)
    const list = interner.list(["x", "y"])
    expect(interner.list(["x", "y"])).toBe(list)
    expect(Object.isFrozen(list)).toBe(true)
  })

  it("PassThrough shares nothing but gives the same values", () => {
    const interner = new PassThrough()
    const a = "image/heic"
    const b = ["image", "heic"].join("/")
    expect(interner.string(a)).toBe(a)
    expect(interner.string(b)).toBe(b)
    const items = ["x", "y"]
    const list = interner.list(items)
    expect(list).toEqual(items)
    expect(list).not.toBe(items)
    expect(Object.isFrozen(list)).toBe(true)
    expect(interner.list([])).toBe(EMPTY)
    expect(interner.cameraKey("Apple", "iPhone", "dev")).toBe(
      new Interner().cameraKey("Apple", "iPhone", "dev")
    )
  })
})
