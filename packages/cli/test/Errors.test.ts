import { InvalidOptions } from "@albumsift/core"
import { HelpDoc, ValidationError } from "@effect/cli"
import { assert, describe, it } from "@effect/vitest"
import { Cause } from "effect"
import { InputFileError, NothingReadable, outcomeOf, StrictRejected, UsageError } from "../src/Errors.js"

describe("Errors.outcomeOf", () => {
  it("usage problems exit 2, with the message on one line", () => {
    assert.deepStrictEqual(outcomeOf(Cause.fail(new UsageError({ message: "no source:\n  give one" }))), {
      code: 2,
      line: "no source: give one"
    })
    assert.strictEqual(
      outcomeOf(Cause.fail(new InvalidOptions({ option: "reviewMargin", reason: "must be in 0..1" }))).code,
      2
    )
  })

  it("@effect/cli's validation errors exit 2 without a second message (it printed its own)", () => {
    const e = ValidationError.invalidValue(HelpDoc.p("Received unknown argument: '--x'"))
    assert.deepStrictEqual(outcomeOf(Cause.fail(e)), { code: 2, line: "" })
  })

  it("runtime failures exit 1 with their message; defects never show a stack", () => {
    assert.deepStrictEqual(
      outcomeOf(Cause.fail(new InputFileError({ path: "a.json", reason: "no such file" }))),
      {
        code: 1,
        line: "cannot read input a.json: no such file"
      }
    )
    assert.strictEqual(outcomeOf(Cause.fail(new StrictRejected({ rejected: 1 }))).code, 1)
    const defect = outcomeOf(Cause.die(new Error("boom\n    at somewhere (x.js:1:1)")))
    assert.strictEqual(defect.code, 1)
    assert.notInclude(defect.line, "\n")
  })

  it("an input none of whose items could be read says how many, and the first reason", () => {
    const first = "item 0: id: is missing"
    assert.strictEqual(
      new NothingReadable({ items: 1, first }).message,
      "the only item could not be read: item 0: id: is missing"
    )
    assert.strictEqual(
      new NothingReadable({ items: 1200, first }).message,
      "none of the 1,200 items could be read; first: item 0: id: is missing"
    )
  })

  it("interruption exits 130", () => {
    assert.strictEqual(outcomeOf(Cause.interrupt("x" as never)).code, 130)
  })
})
