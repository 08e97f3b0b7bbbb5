import { assert, describe, it } from "@effect/vitest"
import * as Help from "../src/Help.js"
import { errorLine, usageHint } from "../src/internal/plainConsole.js"

const widest = (text: string) => Math.max(...text.split("\n").map((l) => l.length))

describe("Help", () => {
  it("wraps words to the width, a longer word on a line of its own", () => {
    assert.deepStrictEqual(Help.wrap("one two three four", 9), ["one two", "three", "four"])
    assert.deepStrictEqual(Help.wrap("a https://example.org/long b", 5), [
      "a",
      "https://example.org/long",
      "b"
    ])
  })

  it("fits every page to the terminal's width, with examples, exit codes and environment", () => {
    for (const command of ["albumsift", ...Help.commands]) {
      for (const width of [60, 80, 100]) {
        const page = Help.text(command, width)
        assert.isAtMost(widest(page), width, `${command} at ${width}`)
        for (const heading of ["Usage:", "Examples:", "Exit codes:", "Environment:"])
          assert.include(page, heading)
      }
      assert.notInclude(Help.text(command, 80), "--log-level")
      assert.notInclude(Help.text(command, 80), "--wizard")
    }
    assert.isAtMost(Help.text("report", 80).split("\n").length, 80)
    assert.include(Help.text("report", 80), "--review-margin <0..1>")
  })

  it("apply and undo show their own exit codes and README section, report its own", () => {
    for (const command of ["apply", "undo"]) {
      const page = Help.text(command, 100).replace(/\s+/g, " ")
      assert.include(page, "0 Done, or a dry run.")
      assert.include(page, "the journal says what was done")
      assert.notInclude(page, "with or without duplicates")
      assert.notInclude(page, "--strict")
      assert.include(page, "the README's “Acting on the report” section")
    }
    const report = Help.text("report", 100)
    assert.include(report, "with or without duplicates")
    assert.include(report, "the README's “Using it” section")
  })

  it("knows which flags take a value", () => {
    for (const flag of ["--input", "--album", "--out", "--burst-gap", "--review-margin", "--thumbnails"]) {
      assert.include(Help.valueFlags, flag)
    }
    for (const flag of ["--quiet", "--json", "--strict", "--csv-bom", "-o"])
      assert.notInclude(Help.valueFlags, flag)
  })
})

describe("usage hints", () => {
  it("a bare file name suggests --input; a value flag without a value says so", () => {
    assert.strictEqual(usageHint("Received unknown argument: 'one.json'"), "; did you mean --input one.json?")
    assert.strictEqual(
      usageHint("Received unknown argument: '--burst-gap'"),
      "; --burst-gap needs a value (see --help)"
    )
    assert.strictEqual(usageHint("Received unknown argument: '--frobnicate'"), "")
    assert.strictEqual(usageHint("something else"), "")
    assert.strictEqual(
      errorLine("Received unknown argument: 'one.json'\n\n"),
      "albumsift: Received unknown argument: 'one.json'; did you mean --input one.json?"
    )
  })
  it("a value flag given twice says so, not that it needs a value", () => {
    const line = "Received unknown argument: '--input'"
    assert.strictEqual(
      errorLine(line, ["report", "--input", "a.json", "--input=b.json"]),
      "albumsift: --input was given twice; it takes one value"
    )
    assert.strictEqual(
      errorLine(line, ["report", "--input"]),
      "albumsift: Received unknown argument: '--input'; --input needs a value (see --help)"
    )
    // Refused whole as `--input=b.json`; and a switch given twice takes no value at all.
    assert.strictEqual(
      errorLine("Received unknown argument: '--input=b.json'", [
        "report",
        "--input=a.json",
        "--input=b.json"
      ]),
      "albumsift: --input was given twice; it takes one value"
    )
    assert.strictEqual(
      errorLine("Received unknown argument: '--yes'", ["apply", "--yes", "--yes"]),
      "albumsift: --yes was given twice"
    )
  })
})
