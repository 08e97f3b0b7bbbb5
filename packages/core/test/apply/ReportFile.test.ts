import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import { parse } from "../../src/apply/ReportFile.js"

const reason = (text: string) => {
  const parsed = parse(text, "r.json")
  return Either.isLeft(parsed) ? parsed.left.message : "decoded"
}

describe("ReportFile.parse", () => {
  it("names the field a non-report lacks, in one line", () => {
    assert.strictEqual(
      reason("{}"),
      "cannot use report r.json: not an albumsift report.json: schema_version: is missing"
    )
  })

  it("says what a value that is no object is", () => {
    for (const [text, got] of [
      ['"str"', "a string"],
      ["[]", "an array"],
      ["null", "null"]
    ]) {
      assert.strictEqual(
        reason(text!),
        `cannot use report r.json: not an albumsift report.json: expected an object, got ${got}`
      )
    }
  })

  it("names a field of the wrong kind by its path", () => {
    assert.strictEqual(
      reason(
        '{"schema_version":1,"groups":[{"id":"g","kind":"exact","keeper":"a","members":"x"}],"assets":[]}'
      ),
      'cannot use report r.json: not an albumsift report.json: groups[0].members: Expected ReadonlyArray<ReportMember>, actual "x"'
    )
  })
})
