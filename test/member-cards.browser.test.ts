/// <reference lib="dom" />
/**
 * What each member's card says in report.html (real Chromium, file://) once the reviewer decides: the
 * text follows the reviewer's keeper, not the suggested one.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { member } from "../packages/report/test/fixtures.js"
import { assemble, baseAsset } from "./support/analysis.js"
import { type Browser, launch, openFresh } from "./support/browser.js"
import { writeReport } from "./support/reports.js"
import { tempDir } from "./support/runCli.js"

const wall = "2024-06-01T10:00:00.000"
const at = (seconds: number) => ({
  raw: `2024-06-01T10:00:0${seconds}Z`,
  wall: wall.replace(":00.000", `:0${seconds}.000`),
  offsetMinutes: 0
})

/**
 * One near group as the engine writes it: IMG_1001 (rated 4, Ben's face) suggested keeper; IMG_1002
 * (unrated, GPS and a description) and IMG_1003 (rated 2, a description) suggested discards that merge.
 */
const swapAnalysis = () => {
  const common = { groupId: "g-swap", score: null, thumbnailUrl: null }
  const assets = [
    baseAsset("asset_k", {
      ...common,
      fileName: "IMG_1001.jpg",
      shotId: "shot_k",
      takenAt: at(0),
      rating: 4,
      people: ["Ben"],
      faceCount: 1
    }),
    baseAsset("asset_c", {
      ...common,
      fileName: "IMG_1002.jpg",
      shotId: "shot_c",
      takenAt: at(1),
      hasGps: true,
      description: "Harbour at dusk"
    }),
    baseAsset("asset_d", {
      ...common,
      fileName: "IMG_1003.jpg",
      shotId: "shot_d",
      takenAt: at(2),
      rating: 2,
      description: "Boats"
    })
  ]
  const members = [
    member("asset_k", {
      shotId: "shot_k",
      rank: 1,
      score: 0.8,
      margin: 0,
      recommendation: "keep",
      reasons: ["best of 3: score 0.800", "rating 4"]
    }),
    member("asset_c", {
      shotId: "shot_c",
      rank: 2,
      score: 0.75,
      margin: 0.05,
      recommendation: "discard",
      reasons: [
        "unrated vs rating 4",
        "score 0.750 vs 0.800",
        "gps; description will be merged into the keeper"
      ],
      wouldLose: ["gps", "description"],
      wouldMerge: ["gps", "description"]
    }),
    member("asset_d", {
      shotId: "shot_d",
      rank: 3,
      score: 0.6,
      margin: 0.2,
      recommendation: "discard",
      reasons: ["rating 2 vs 4", "score 0.600 vs 0.800", "description will be merged into the keeper"],
      wouldLose: ["description"],
      wouldMerge: ["description"]
    })
  ]
  return assemble({
    assets,
    groups: [
      {
        id: "g-swap",
        kind: "near",
        evidence: ["capture_time"],
        shotCount: 3,
        members,
        keeper: "asset_k",
        reclaimableBytes: 6_000_000,
        timeSpan: { from: at(0).wall, to: at(2).wall }
      }
    ]
  })
}

const tile = (page: Page, fileName: string) =>
  page.locator("#cards .member", { has: page.locator(".fname", { hasText: fileName }) })
/** What a member's card says about its decision: reasons, margin, merge and loss lines. */
const said = (page: Page, fileName: string) =>
  tile(page, fileName).evaluate((t) => ({
    reasons: [...t.querySelectorAll(".reasons li")].map((li) => li.textContent ?? ""),
    margin: t.querySelector(".margin")?.textContent ?? "",
    merge: t.querySelector(".merge")?.textContent ?? null,
    lose: t.querySelector(".lose")?.textContent ?? null
  }))

let browser: Browser
beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

/** Writes the analysis's report and opens it with no stored decisions; the page, its errors cleared. */
const openFreshReport = async (analysis: Parameters<typeof writeReport>[0]): Promise<Page> => {
  const dir = tempDir()
  await writeReport(analysis, dir)
  browser.errors.length = 0
  await openFresh(browser.page, join(dir, "report.html"))
  return browser.page
}

describe("member cards follow the reviewer's keeper", () => {
  it("after a swap of keeper, says what merges into the new keeper and what the old one loses", async () => {
    const page = await openFreshReport(swapAnalysis())
    // As suggested: the discards merge into IMG_1001.
    expect((await said(page, "IMG_1003.jpg")).reasons).toContain("description will be merged into the keeper")

    // Keep IMG_1002 instead of IMG_1001.
    await tile(page, "IMG_1002.jpg").getByRole("button", { name: "Keep" }).click()
    await tile(page, "IMG_1001.jpg").getByRole("button", { name: "Discard" }).click()
    const keeper = await said(page, "IMG_1002.jpg")
    expect(keeper.margin).toBe("keeper")
    expect(keeper.reasons.join("\n")).not.toContain("merged into the keeper")
    expect([keeper.merge, keeper.lose]).toEqual([null, null])
    // The former keeper: what merges into the new keeper, what nothing kept carries.
    expect(await said(page, "IMG_1001.jpg")).toMatchObject({
      margin: "+0.050 vs keeper",
      merge: "Merged into IMG_1002.jpg: rating 4",
      lose: "Discarding loses: people: Ben, faces (no kept copy has them; a merge cannot carry them)"
    })
    // The other discard merges into the new keeper what it lacks (its rating; it has a description).
    const other = await said(page, "IMG_1003.jpg")
    expect(other.reasons.join("\n")).not.toContain("merged into the keeper")
    expect(other).toMatchObject({ margin: "−0.150 vs keeper", merge: "Merged into IMG_1002.jpg: rating 2" })
    expect(other.lose).toBeNull()
    expect(await tile(page, "IMG_1003.jpg").locator("dd.diff.stars").getAttribute("title")).toBe(
      "Keeper: unrated"
    )

    // Both kept: IMG_1001 is the keeper again; a kept copy merges nothing and loses nothing.
    await tile(page, "IMG_1001.jpg").getByRole("button", { name: "Keep" }).click()
    expect(await said(page, "IMG_1001.jpg")).toMatchObject({ margin: "keeper", merge: null, lose: null })
    const kept = await said(page, "IMG_1002.jpg")
    expect(kept.reasons.join("\n")).not.toContain("merged into the keeper")
    expect(kept.merge).toBeNull()
    expect((await said(page, "IMG_1003.jpg")).reasons).toContain("description will be merged into the keeper")
    expect(browser.errors).toEqual([])
    await page.evaluate(() => localStorage.clear())
  })
})

describe("what a discard merges or loses depends on the server", () => {
  it.each([
    [true, "Merged into IMG_1003.jpg: gps", null],
    [false, null, "Discarding loses: gps (no kept copy has them; a merge cannot carry them)"]
  ])("canMergeGps %s: a GPS copy discarded for a keeper without GPS", async (canMergeGps, merge, lose) => {
    const analysis = swapAnalysis()
    const page = await openFreshReport({ ...analysis, options: { ...analysis.options, canMergeGps } })
    // Keep IMG_1003 (no GPS) alone.
    await tile(page, "IMG_1003.jpg").getByRole("button", { name: "Keep" }).click()
    await tile(page, "IMG_1001.jpg").getByRole("button", { name: "Discard" }).click()
    await tile(page, "IMG_1002.jpg").getByRole("button", { name: "Discard" }).click()
    expect(await said(page, "IMG_1002.jpg")).toMatchObject({ merge, lose })
    expect(browser.errors).toEqual([])
    await page.evaluate(() => localStorage.clear())
  })
})

describe("member decision buttons for assistive technology", () => {
  it("name the member they decide (file name, else id) and expose which is pressed", async () => {
    const analysis = swapAnalysis()
    // A member without a file name is named by its id.
    const assets = analysis.assets.map((a) => (a.id === "asset_d" ? { ...a, fileName: "" } : a))
    const page = await openFreshReport({ ...analysis, assets })
    const pressed = (name: string) =>
      page.getByRole("button", { name, exact: true }).getAttribute("aria-pressed")

    expect(await page.getByRole("group", { name: "Decision on IMG_1002.jpg" }).count()).toBe(1)
    expect(await pressed("Keep IMG_1002.jpg")).toBe("false")
    expect(await pressed("Discard IMG_1002.jpg")).toBe("true")
    expect(await pressed("Keep IMG_1001.jpg")).toBe("true")
    expect(await pressed("Discard asset_d")).toBe("true")
    await page.getByRole("button", { name: /Keep IMG_1002/ }).click()
    expect(await pressed("Keep IMG_1002.jpg")).toBe("true")
    expect(await pressed("Discard IMG_1002.jpg")).toBe("false")

    // The compare view's buttons are named the same way.
    await page.getByRole("button", { name: "Compare" }).click()
    expect(
      await page.locator("#compare").getByRole("button", { name: "Keep IMG_1001.jpg", exact: true }).count()
    ).toBe(1)
    await page.keyboard.press("Escape")
    expect(browser.errors).toEqual([])
    await page.evaluate(() => localStorage.clear())
  })

  it("export leaves out a group with every member marked Discard, and says why", async () => {
    const page = await openFreshReport(swapAnalysis())
    // The suggested keeper discarded too: no copy is kept.
    await tile(page, "IMG_1001.jpg").getByRole("button", { name: "Discard" }).click()
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export decisions" }).click()
    ])
    const exported = JSON.parse(readFileSync(await download.path(), "utf8")) as { groups: Array<unknown> }
    expect(exported.groups).toEqual([])
    expect(await page.locator("#decide-status").textContent()).toBe(
      "Exported; 1 group with every member marked Discard left out (apply never empties a group; keep one copy)."
    )
    expect(browser.errors).toEqual([])
    await page.evaluate(() => localStorage.clear())
  })
})
