import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Metadata from "../src/Metadata.js"

describe("Metadata", () => {
  it.effect("refuses a malformed SOURCE_DATE_EPOCH with a clear message", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Metadata.generatedAt({ SOURCE_DATE_EPOCH: "yesterday" }))
      expect(error.message).toBe(
        'SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got "yesterday"'
      )
    })
  )

  it.effect("never records credentials of a server URL", () =>
    Effect.gen(function* () {
      const meta = yield* Metadata.make({
        sources: [
          {
            kind: "api",
            server: "immich",
            baseUrl: "http://user:secret@immich.local:2283/api?apiKey=secret#x",
            albums: ["a1"]
          }
        ],
        env: { SOURCE_DATE_EPOCH: "0" }
      })
      expect(meta.sources).toEqual([
        { kind: "api", server: "immich", baseUrl: "http://immich.local:2283/api", albums: ["a1"] }
      ])
      expect(meta.generatedAt).toBe("1970-01-01T00:00:00.000Z")
      expect(JSON.stringify(meta)).not.toContain("secret")
    })
  )

  it("records this package's version by default", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    expect(Metadata.VERSION).toBe(pkg.version)
    expect(Metadata.defaultTool).toEqual({ name: "albumsift", version: pkg.version })
  })

  it("describes sources in one line", () => {
    expect(Metadata.describeSource({ kind: "file", path: "a.json" })).toBe("file a.json")
    expect(
      Metadata.describeSource({
        kind: "api",
        server: "gumnut",
        baseUrl: "https://api.gumnut.ai/",
        albums: ["x", "y"]
      })
    ).toBe("gumnut https://api.gumnut.ai/ albums x, y")
  })
})
