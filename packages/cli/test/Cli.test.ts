import { describe, expect, it } from "vitest"
import { splitRepeated } from "../src/Cli.js"

describe("splitRepeated", () => {
  it("splits --name=value of a repeatable option at the first =, and leaves the rest alone", () => {
    expect(
      splitRepeated(["report", "--weight=rating=2", "--format=json", "--out=r", "--yes", "-a=x", "--album="])
    ).toEqual([
      "report",
      "--weight",
      "rating=2",
      "--format",
      "json",
      "--out=r",
      "--yes",
      "-a=x",
      "--album",
      ""
    ])
  })

  it("leaves everything after -- as it is", () => {
    expect(splitRepeated(["report", "--album=a", "--", "--album=b"])).toEqual([
      "report",
      "--album",
      "a",
      "--",
      "--album=b"
    ])
  })
})
