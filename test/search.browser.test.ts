/// <reference lib="dom" />
/**
 * The report page's search in a real Chromium, against its definition: a group matches when its
 * words (its id; each member's file name, asset id, camera and people), lower-cased, contain the
 * lower-cased query. Names with characters whose lower case is special (İ, the Kelvin sign, ß, Σ)
 * and with pattern characters check that the page's fast word-by-word matching keeps that meaning.
 */
import { join } from "node:path"
import type { Analysis } from "@albumsift/core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { assemble, baseAsset } from "./support/analysis.js"
import { type Browser, launch, openReport } from "./support/browser.js"
import { writeReport } from "./support/reports.js"
import { tempDir } from "./support/runCli.js"

// One group per line: its members' file names, cameras and people.
const GROUPS: ReadonlyArray<ReadonlyArray<readonly [string, string | null, ReadonlyArray<string>]>> = [
  [
    ["İstanbul.jpg", "Apple iPhone 15 Pro", ["Zoë"]],
    ["istanbul copy.jpg", null, []]
  ],
  [
    ["KELVIN_\u212a.jpg", "Ricoh GR Ⅲ", []],
    ["kelvin_k.jpg", "Ricoh GR Ⅲ", ["Kai"]]
  ],
  [
    ["Straße.heic", null, ["ΟΔΟΣ"]],
    ["STRASSE.heic", null, ["σοφία"]]
  ],
  [
    ["a.c(1).png", "NIKON Z 6", ["Ana"]],
    ["[x]*+?.jpg", null, ["back\\slash"]]
  ],
  [
    ["Temp_300\u212a.jpg", null, []],
    ["Xİ.png", null, []]
  ],
  [
    ["IMG_0001.JPG", "Canon EOS R5", ["Marta", "Ike"]],
    ["img_0001 (1).jpg", "Canon EOS R5", []]
  ]
]

const analysis = (): Analysis.Analysis => {
  const assets: Array<Analysis.AssetInfo> = []
  const groups: Array<Analysis.Group> = GROUPS.map((rows, g) => {
    const groupId = `g-${g}`
    const members: Array<Analysis.Member> = rows.map(([fileName, camera, people], i) => {
      const id = `asset_${g}_${i}`
      assets.push(baseAsset(id, { fileName, camera, people: [...people], groupId, shotId: id }))
      return {
        assetId: id,
        shotId: id,
        rank: i + 1,
        score: 1 - i / 10,
        margin: i / 10,
        recommendation: i === 0 ? "keep" : "discard",
        reasons: [],
        wouldLose: []
      }
    })
    return {
      id: groupId,
      kind: "near",
      evidence: ["capture_time"],
      shotCount: members.length,
      members,
      keeper: members[0]?.assetId ?? "",
      reclaimableBytes: 3_000_000,
      timeSpan: { from: "2024-06-01T10:00:00.000", to: "2024-06-01T10:00:01.000" }
    }
  })
  return assemble({ assets, groups })
}

/** The groups the definition says match `query`. */
const expected = (a: Analysis.Analysis, query: string): Array<string> => {
  const q = query.trim().toLowerCase()
  return a.groups
    .filter((g) => {
      const words = [g.id]
      for (const m of g.members) {
        const asset = a.assets.find((x) => x.id === m.assetId)
        if (asset !== undefined) words.push(asset.fileName, asset.id, asset.camera ?? "", ...asset.people)
      }
      return words.join("\n").toLowerCase().includes(q)
    })
    .map((g) => g.id)
}

let browser: Browser
beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

/** Opens the report in `dir` and searches each query: the page shows exactly the groups `expected` names. */
const expectSearches = async (a: Analysis.Analysis, dir: string, queries: ReadonlyArray<string>) => {
  const { page } = browser
  await openReport(page, join(dir, "report.html"))
  const found: Array<[string, Array<string>]> = []
  const wanted: Array<[string, Array<string>]> = []
  for (const query of queries) {
    await page.fill("#search", query)
    await page.press("#search", "Enter")
    const groups = await page
      .locator("#cards .card")
      .evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.group ?? ""))
    found.push([query, groups.sort()])
    wanted.push([query, expected(a, query).sort()])
  }
  expect(found).toEqual(wanted)
}

describe("searching report.html", () => {
  it("finds exactly the groups whose lower-cased words contain the lower-cased query", async () => {
    const a = analysis()
    const dir = tempDir()
    await writeReport(a, dir)
    const queries = [
      ...["i", "I", "İ", "ist", "istanbul", "k", "K", "\u212a", "kelvin_k", "_k.jpg", "n_k", "ki", "ik"],
      ...["ß", "STRASSE", "strasse", "straße", "σ", "ς", "οδος", "οδοσ", "ⅲ", "gr ⅲ", "zoë", "ë", "ZOË"],
      ...[
        "a.c",
        "a?c",
        "(1)",
        "[x]",
        "*",
        "+?",
        "\\",
        "back\\s",
        ".",
        "img_0001",
        " IMG_0001 ",
        "g-3",
        "asset_4_1"
      ]
    ]
    await expectSearches(a, dir, queries)
    // The special cases match something, so the comparison above says something about them.
    for (const query of ["\u212a", "ς", "ß", "(1)", "\\", "ⅲ"]) expect(expected(a, query)).not.toEqual([])
    expect(expected(a, "İ")).toEqual(["g-0", "g-4"])
    expect(expected(a, "kelvin_k")).toEqual(["g-1"])
    expect([expected(a, "300k"), expected(a, "xi"), expected(a, "xi.")]).toEqual([["g-4"], ["g-4"], []])
  })

  it("finds the same groups when one asset is a member of two (the search that reads whole groups)", async () => {
    const base = analysis()
    // g-5 also lists g-0's first member, so no asset row has one owner and the page searches group by group.
    const shared = base.groups[0]!.members[0]!
    const a = {
      ...base,
      groups: base.groups.map((g) =>
        g.id === "g-5"
          ? { ...g, members: [...g.members, { ...shared, rank: 3, recommendation: "review" as const }] }
          : g
      )
    }
    const dir = tempDir()
    await writeReport(a, dir)
    await expectSearches(a, dir, [
      "istanbul",
      "zoë",
      "apple iphone",
      "asset_0_0",
      "marta",
      "kelvin_k",
      "g-5",
      "nothing"
    ])
    // The shared member's words find both its groups.
    expect([expected(a, "zoë"), expected(a, "asset_0_0")]).toEqual([
      ["g-0", "g-5"],
      ["g-0", "g-5"]
    ])
  })
})
