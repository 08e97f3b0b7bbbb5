import { FileSystem } from "@effect/platform"
import { SystemError } from "@effect/platform/Error"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as Decisions from "../src/Decisions.js"

const sample: Decisions.Decisions = {
  schema_version: 1,
  tool: "albumsift",
  decided_at: "2026-11-30T10:00:00.000Z",
  groups: [
    { members: ["asset_A", "asset_B", "asset_C"], keep: ["asset_B"] },
    { members: ["asset_D", "asset_E"], not_duplicates: true }
  ]
}

const parseValue = (value: unknown) => Decisions.parse(JSON.stringify(value), "d.json")

const errorOf = (value: unknown): string => {
  const result = typeof value === "string" ? Decisions.parse(value, "d.json") : parseValue(value)
  if (Either.isRight(result)) throw new Error("expected an error")
  const message = result.left.message
  assert.notInclude(message, "\n")
  return message
}

const withGroups = (...groups: Array<unknown>) => ({ schema_version: 1, groups })

describe("Decisions", () => {
  it("parses the documented example", () => {
    const result = parseValue(sample)
    assert.isTrue(Either.isRight(result))
    if (Either.isRight(result)) assert.deepStrictEqual(result.right, sample)
  })

  it("ignores unknown fields at every level", () => {
    const result = parseValue({
      ...sample,
      reviewer: "ann",
      groups: [{ members: ["a", "b"], keep: ["a"], note: "blurry", state: "changed" }]
    })
    assert.isTrue(Either.isRight(result))
    if (Either.isRight(result)) {
      assert.deepStrictEqual(result.right, { ...sample, groups: [{ members: ["a", "b"], keep: ["a"] }] })
    }
  })

  it("rejects a file that is not JSON, naming the file", () => {
    assert.match(errorOf("{ schema_version: 1"), /^d\.json: not valid JSON: /)
    assert.match(errorOf(""), /^d\.json: not valid JSON/)
  })

  it("rejects a wrong shape, naming the entry", () => {
    assert.match(errorOf({ groups: [] }), /^d\.json: schema_version: /)
    assert.match(errorOf({ schema_version: 2, groups: [] }), /^d\.json: schema_version: Expected 1, actual 2/)
    assert.match(errorOf(withGroups({ members: "a" })), /^d\.json: groups\[0\]\.members: /)
    assert.match(
      errorOf(withGroups({ members: ["a", "b"], keep: ["a"] }, { members: ["c", 7] })),
      /groups\[1\]\.members\[1\]: Expected string/
    )
    assert.match(
      errorOf(withGroups({ members: ["a", ""], keep: ["a"] })),
      /groups\[0\]\.members\[1\]: an asset id must not be empty/
    )
    assert.match(
      errorOf(withGroups({ members: ["a"], not_duplicates: "yes" })),
      /groups\[0\]\.not_duplicates: Expected boolean/
    )
  })

  it("rejects a keep id that is not a member", () => {
    assert.strictEqual(
      errorOf(withGroups({ members: ["a", "b"], keep: ["a"] }, { members: ["c", "d"], keep: ["x"] })),
      'd.json: groups[1].keep: keep id "x" is not in members'
    )
  })

  it("rejects both, or neither, of keep and not_duplicates, and an empty keep", () => {
    assert.match(
      errorOf(withGroups({ members: ["a", "b"], keep: ["a"], not_duplicates: true })),
      /groups\[0\]: has both keep and not_duplicates/
    )
    assert.match(errorOf(withGroups({ members: ["a", "b"] })), /groups\[0\]: decides nothing for "a", "b"/)
    assert.match(
      errorOf(withGroups({ members: ["a", "b"], not_duplicates: false })),
      /groups\[0\]: decides nothing/
    )
    assert.match(errorOf(withGroups({ members: ["a", "b"], keep: [] })), /groups\[0\]\.keep: keep is empty/)
    // not_duplicates: false with a keep list is just a keep decision.
    assert.isTrue(
      Either.isRight(parseValue(withGroups({ members: ["a", "b"], keep: ["b"], not_duplicates: false })))
    )
  })

  it("rejects an asset in two decisions, or twice in one", () => {
    assert.strictEqual(
      errorOf(
        withGroups({ members: ["a", "b"], keep: ["a"] }, { members: ["c", "b"], not_duplicates: true })
      ),
      'd.json: groups[1]: asset "b" is also in groups[0]; an asset can be in one decision only'
    )
    assert.match(
      errorOf(withGroups({ members: ["a", "a"], keep: ["a"] })),
      /groups\[0\]\.members: asset "a" is listed twice/
    )
    assert.match(
      errorOf(withGroups({ members: [], not_duplicates: true })),
      /groups\[0\]\.members: members is empty/
    )
  })

  it("memberKey ignores order; index finds a decision by its member set", () => {
    assert.strictEqual(Decisions.memberKey(["b", "a", "c"]), Decisions.memberKey(["c", "b", "a"]))
    assert.notStrictEqual(Decisions.memberKey(["a", "b"]), Decisions.memberKey(["a", "b", "c"]))
    // Ids containing the separator of a naive join do not collide.
    assert.notStrictEqual(Decisions.memberKey(["a,b", "c"]), Decisions.memberKey(["a", "b,c"]))
    const result = parseValue(sample)
    if (Either.isLeft(result)) throw result.left
    const byKey = Decisions.index(result.right)
    assert.strictEqual(byKey.size, 2)
    assert.deepStrictEqual(byKey.get(Decisions.memberKey(["asset_C", "asset_A", "asset_B"]))?.keep, [
      "asset_B"
    ])
    assert.isTrue(byKey.get(Decisions.memberKey(["asset_E", "asset_D"]))?.not_duplicates)
    assert.isUndefined(byKey.get(Decisions.memberKey(["asset_A", "asset_B"])))
  })

  const files = (contents: Record<string, string>) =>
    FileSystem.layerNoop({
      readFileString: (path) =>
        path in contents
          ? Effect.succeed(contents[path]!)
          : Effect.fail(
              new SystemError({
                reason: "NotFound",
                module: "FileSystem",
                method: "readFileString",
                pathOrDescriptor: path
              })
            )
    })

  it.effect("readFile reads and parses a file, and names it in errors", () =>
    Effect.gen(function* () {
      const layer = files({
        "/d/ok.json": JSON.stringify(sample),
        "/d/bad.json": JSON.stringify(withGroups({ members: ["a"] }))
      })
      const ok = yield* Decisions.readFile("/d/ok.json").pipe(Effect.provide(layer))
      assert.strictEqual(ok.groups.length, 2)
      const bad = yield* Decisions.readFile("/d/bad.json").pipe(Effect.flip, Effect.provide(layer))
      assert.strictEqual(bad._tag, "DecisionsError")
      assert.match(bad.message, /^\/d\/bad\.json: groups\[0\]: decides nothing/)
      const missing = yield* Decisions.readFile("/d/none.json").pipe(Effect.flip, Effect.provide(layer))
      assert.match(missing.message, /^\/d\/none\.json: cannot read the file: /)
    })
  )

  describe("from an edited report.csv", () => {
    const csv = (...lines: Array<string>) => `${lines.join("\r\n")}\r\n`
    const header = "asset_id,group_id,group_kind,group_size,rank,recommendation,score,reasons"
    const decided = (text: string, name = "report.csv") => {
      const result = Decisions.parse(text, name)
      if (Either.isLeft(result)) throw result.left
      return result.right
    }
    const csvError = (text: string) => {
      const result = Decisions.parse(text, "report.csv")
      if (Either.isRight(result)) throw new Error("expected an error")
      assert.notInclude(result.left.message, "\n")
      return result.left.message
    }

    it("makes every resolved group a decision and leaves groups with review undecided", () => {
      const text = csv(
        header,
        "asset_A,g-1,near,3,1,discard,0.9,",
        "asset_B,g-1,near,3,2,keep,0.8,your pick",
        "asset_C,g-1,near,3,3,discard,0.1,",
        "asset_D,g-2,near,2,1,Not duplicates,,",
        "asset_E,g-2,near,2,2,not_duplicates,,",
        "asset_F,g-3,near,2,1,keep,,",
        "asset_G,g-3,near,2,2,review,,",
        "asset_H,,,,,,0.5,"
      )
      assert.deepStrictEqual(decided(text), {
        schema_version: 1,
        groups: [
          { members: ["asset_A", "asset_B", "asset_C"], keep: ["asset_B"], fromCsv: true },
          { members: ["asset_D", "asset_E"], not_duplicates: true, fromCsv: true }
        ]
      })
    })

    it("reads what spreadsheets save: BOM, semicolons, LF, reordered columns, the formula guard", () => {
      const text =
        "\uFEFFrecommendation;asset_id;group_id\nKEEP;'-dash;g-1\ndiscard;'=eq;g-1\nkeep;plain;g-1\n"
      assert.deepStrictEqual(decided(text, "edited.txt").groups, [
        { members: ["-dash", "=eq", "plain"], keep: ["-dash", "plain"], fromCsv: true }
      ])
      // A quoted field with the delimiter inside stays one cell.
      assert.deepStrictEqual(
        decided(csv("asset_id,group_id,recommendation", '"a,1",g,keep', "b,g,discard")).groups,
        [{ members: ["a,1", "b"], keep: ["a,1"], fromCsv: true }]
      )
    })

    it("rejects a resolved group with no keep, naming the group and its line", () => {
      assert.strictEqual(
        csvError(
          csv(
            header,
            "a,g-1,near,2,1,keep,,",
            "b,g-1,near,2,2,discard,,",
            "c,g-2,near,2,1,discard,,",
            "d,g-2,near,2,2,discard,,"
          )
        ),
        "report.csv: group g-2 (line 4): no row says keep: keep at least one, or mark the group not_duplicates"
      )
    })

    it("rejects unknown values, half-marked not-duplicates, missing columns and repeated assets", () => {
      assert.strictEqual(
        csvError(csv(header, "a,g-1,near,2,1,keep,,", "b,g-1,near,2,2,maybe,,")),
        'report.csv: line 3: recommendation "maybe" is not keep, discard, review or not_duplicates'
      )
      assert.match(
        csvError(csv(header, "a,g-1,near,2,1,keep,,", "b,g-1,near,2,2,not_duplicates,,")),
        /group g-1 \(line 2\): mark every row/
      )
      assert.strictEqual(
        csvError(csv("asset_id,group_id,score", "a,g,1")),
        "report.csv: header: missing column recommendation (a report.csv has them)"
      )
      assert.match(
        csvError(
          csv(
            header,
            "a,g-1,near,2,1,keep,,",
            "b,g-1,near,2,2,discard,,",
            "a,g-2,near,2,1,keep,,",
            "c,g-2,near,2,2,discard,,"
          )
        ),
        /^report\.csv: group g-2 \(line 4\): asset "a" is also in group g-1 \(line 2\)/
      )
      assert.match(csvError(csv(header, '"a,g-1')), /^report\.csv: not a readable CSV: /)
      assert.match(csvError(""), /^report\.csv: empty CSV/)
    })
  })
})
