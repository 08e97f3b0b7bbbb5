import { assert, describe, it } from "@effect/vitest"
import { errorLine } from "../src/internal/plainConsole.js"

describe("plainConsole.errorLine", () => {
  it("makes one prefixed line of a multi-line message, once", () => {
    assert.strictEqual(
      errorLine("Received unknown argument: '--x'\n\n"),
      "albumsift: Received unknown argument: '--x'"
    )
    assert.strictEqual(errorLine("albumsift: already\n  prefixed"), "albumsift: already prefixed")
  })
})
