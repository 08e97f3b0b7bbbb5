/// <reference lib="dom" />
/**
 * Nothing report.html exports may make `apply` act on a copy the reviewer did not see marked Discard
 * (real Chromium, file://): the exported decisions.json, planned by `Plan.make` as `apply --action
 * trash` plans it, targets exactly the tiles the page shows Discard in the groups it acts on.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Plan, ReportFile } from "@albumsift/core"
import { Either } from "effect"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Browser, exportDecisions, launch, openFresh, openReport } from "./support/browser.js"
import { writeRealisticReport } from "./support/reports.js"
import { tempDir } from "./support/runCli.js"

const card = (page: Page, group: string) => page.locator(`#cards .card[data-group="${group}"]`)
const tile = (page: Page, group: string, index: number) => card(page, group).locator(".member").nth(index)
/** Each member's state as its tile shows it. */
const shownStates = (page: Page, group: string) =>
  card(page, group).evaluate((c) =>
    [...c.querySelectorAll(".member")].map(
      (t) => ["keep", "discard", "review"].find((s) => t.classList.contains(`rec-${s}`)) ?? ""
    )
  )

/** Clicks "Export decisions" and returns the parsed file. */
const exportFile = async (page: Page) => (await exportDecisions(page)).json

/** The ids `apply --action trash --decisions` (dry run) would trash, from the report and the file. */
const trashTargets = (dir: string, decisions: { groups: ReadonlyArray<Plan.GroupDecision> }) => {
  const report = Either.getOrThrow(
    ReportFile.parse(readFileSync(join(dir, "report.json"), "utf8"), "report.json")
  )
  const plan = Plan.make(report, { action: "trash", decisions: decisions.groups })
  return plan.groups.flatMap((g) => g.targets.map((t) => t.id)).sort()
}

let browser: Browser
beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

describe("the page never exports a discard the reviewer did not see", () => {
  it("undoing a bulk accept leaves a group the reviewer changed since as they left it", async () => {
    const dir = tempDir()
    const { html } = await writeRealisticReport(dir)
    const { page } = browser
    await openFresh(page, html)
    await page.getByRole("button", { name: "Accept all exact-copy groups" }).click()
    // After the bulk accept, the reviewer keeps the copy the suggestion discards.
    await tile(page, "g-4d5e6f", 1)
      .getByRole("button", { name: /^Keep / })
      .click()
    expect(await shownStates(page, "g-4d5e6f")).toEqual(["keep", "keep"])
    await page.locator("#decide-status").getByRole("button", { name: "Undo" }).click()
    expect(await shownStates(page, "g-4d5e6f")).toEqual(["keep", "keep"])
    expect(await card(page, "g-9f00a").locator(".status").count()).toBe(0)
    const exported = await exportFile(page)
    expect(exported.groups).toEqual([
      { members: ["asset_g-4d5e6f_0", "asset_g-4d5e6f_1"], keep: ["asset_g-4d5e6f_0", "asset_g-4d5e6f_1"] }
    ])
    expect(trashTargets(dir, exported)).not.toContain("asset_g-4d5e6f_1")
    await page.evaluate(() => localStorage.clear())
  })

  it("a second tab of the same report neither erases nor misses the first tab's decisions", async () => {
    const dir = tempDir()
    const { html } = await writeRealisticReport(dir)
    const { page, context } = browser
    await openFresh(page, html)
    const other = await context.newPage()
    try {
      await openReport(other, html)
      // Tab one keeps both copies of an exact group; then tab two decides another group.
      await tile(page, "g-4d5e6f", 1)
        .getByRole("button", { name: /^Keep / })
        .click()
      await expect.poll(() => shownStates(other, "g-4d5e6f")).toEqual(["keep", "keep"])
      await tile(other, "g-9f00a", 1)
        .getByRole("button", { name: /^Keep / })
        .click()
      await expect.poll(() => shownStates(page, "g-9f00a")).toEqual(["keep", "keep"])
      // Either tab's export, and a reload, carry both.
      const both = [
        { members: ["asset_g-4d5e6f_0", "asset_g-4d5e6f_1"], keep: ["asset_g-4d5e6f_0", "asset_g-4d5e6f_1"] },
        { members: ["asset_g-9f00a_0", "asset_g-9f00a_1"], keep: ["asset_g-9f00a_0", "asset_g-9f00a_1"] }
      ]
      const fromOther = await exportFile(other)
      expect(fromOther.groups).toEqual(both)
      expect(trashTargets(dir, fromOther)).not.toContain("asset_g-4d5e6f_1")
      await page.reload()
      await page.waitForSelector("html[data-ready=true]")
      expect(await shownStates(page, "g-4d5e6f")).toEqual(["keep", "keep"])
      expect((await exportFile(page)).groups).toEqual(both)
    } finally {
      await other.close()
      await page.evaluate(() => localStorage.clear())
    }
  })

  it("unmarking not duplicates gives the group back the decision it had, not the suggestion", async () => {
    const dir = tempDir()
    const { html } = await writeRealisticReport(dir)
    const { page } = browser
    await openFresh(page, html)
    await tile(page, "g-4d5e6f", 1)
      .getByRole("button", { name: /^Keep / })
      .click()
    // Marked not duplicates by mistake (key x, then the button), and unmarked again.
    await page.keyboard.press("x")
    expect(await card(page, "g-4d5e6f").locator(".status").textContent()).toBe("not duplicates")
    await page.keyboard.press("x")
    expect(await shownStates(page, "g-4d5e6f")).toEqual(["keep", "keep"])
    await card(page, "g-4d5e6f").getByRole("button", { name: "Not duplicates" }).click()
    await card(page, "g-4d5e6f").getByRole("button", { name: "Not duplicates" }).click()
    expect(await shownStates(page, "g-4d5e6f")).toEqual(["keep", "keep"])
    const exported = await exportFile(page)
    expect(exported.groups).toEqual([
      { members: ["asset_g-4d5e6f_0", "asset_g-4d5e6f_1"], keep: ["asset_g-4d5e6f_0", "asset_g-4d5e6f_1"] }
    ])
    expect(trashTargets(dir, exported)).not.toContain("asset_g-4d5e6f_1")
    await page.evaluate(() => localStorage.clear())
  })

  it("a key acts on a group the reviewer can see, never on the current card scrolled out of view", async () => {
    const dir = tempDir()
    const { html } = await writeRealisticReport(dir)
    const { page } = browser
    await openFresh(page, html)
    await page.keyboard.press("j")
    expect(await page.locator("#cards .card.current").getAttribute("data-group")).toBe("g-1a2b3c")
    // Scrolled on with the wheel (focus stays on the first card), "1" flips the first member.
    await page.mouse.wheel(0, 3000)
    await expect
      .poll(() => card(page, "g-1a2b3c").evaluate((c) => c.getBoundingClientRect().bottom))
      .toBeLessThan(0)
    const before = await shownStates(page, "g-1a2b3c")
    await page.keyboard.press("1")
    expect(await shownStates(page, "g-1a2b3c")).toEqual(before)
    const acted = page.locator("#cards .card.current")
    expect(await acted.locator(".status").count()).toBe(1)
    expect(
      await acted.evaluate((c) => {
        const r = c.getBoundingClientRect()
        return r.top < innerHeight && r.bottom > 0
      })
    ).toBe(true)
    await page.evaluate(() => localStorage.clear())
  })

  it("names as keeper the copy apply merges into when members are left to review", async () => {
    const dir = tempDir()
    const { html } = await writeRealisticReport(dir)
    const { page } = browser
    await openFresh(page, html)
    // The suggested keeper discarded, the last copy kept, the second still to review.
    await tile(page, "g-1a2b3c", 3)
      .getByRole("button", { name: /^Keep / })
      .click()
    await tile(page, "g-1a2b3c", 0)
      .getByRole("button", { name: /^Discard / })
      .click()
    expect(await shownStates(page, "g-1a2b3c")).toEqual(["discard", "review", "discard", "keep"])
    const exported = await exportFile(page)
    const report = Either.getOrThrow(
      ReportFile.parse(readFileSync(join(dir, "report.json"), "utf8"), "report.json")
    )
    const planned = Plan.make(report, { action: "trash", decisions: exported.groups }).groups.find(
      (g) => g.id === "g-1a2b3c"
    )
    const group = report.groups.find((g) => g.id === "g-1a2b3c")
    const keeper = group?.members.find((m) => [m.asset_id, m.shot_id].includes(planned?.keeper.id ?? ""))
    const name = report.assets.find((a) => a.id === keeper?.asset_id)?.file_name
    expect(name).toBeTruthy()
    // The card works out margins and merges against the keeper it names "keeper".
    const keeperTile = card(page, "g-1a2b3c").locator(".member", {
      has: page.locator(".margin", { hasText: /^keeper$/ })
    })
    expect(await keeperTile.count()).toBe(1)
    expect(await keeperTile.locator(".fname").textContent()).toBe(name)
    await page.evaluate(() => localStorage.clear())
  })
})
