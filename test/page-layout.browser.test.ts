/// <reference lib="dom" />
/**
 * report.html's layout in a real Chromium: a phone (390×844) without sideways scrolling or numbers
 * broken across lines, sticky bars that never cover what `j` scrolls to, help that opens on screen,
 * and the time-zone panel grouped by the actual shift.
 */
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { realisticAnalysis } from "./support/analysis.js"
import { type Browser, launch, openReport } from "./support/browser.js"
import { writeRealisticReport, writeReport } from "./support/reports.js"
import { ROOT, runCli, tempDir } from "./support/runCli.js"

/** Numbers (digits with their separators) whose characters are laid out on more than one line. */
const brokenNumbers = (page: Page) =>
  page.evaluate(() => {
    const broken: Array<string> = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const text = node.textContent ?? ""
      for (const match of text.matchAll(/\d[\d.,:×]*\d/g)) {
        const range = document.createRange()
        range.setStart(node, match.index)
        range.setEnd(node, match.index + match[0].length)
        const tops = new Set(
          [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))
        )
        if (tops.size > 1) broken.push(match[0])
      }
    }
    return broken
  })

let phone: Browser
let desktop: Browser
beforeAll(async () => {
  phone = await launch({ width: 390, height: 844 })
  desktop = await launch()
})
afterAll(async () => {
  await phone?.close()
  await desktop?.close()
})

describe("report.html layout", () => {
  it("fits a phone: no sideways scroll, no number broken across lines, a readable rejected-inputs table", async () => {
    // The demo, as a new user first sees it.
    const cwd = tempDir()
    const demo = await runCli(["demo", "--quiet"], { cwd, env: { SOURCE_DATE_EPOCH: "1795669200" } })
    expect(demo.code).toBe(0)
    const { page } = phone
    phone.errors.length = 0
    await openReport(page, join(cwd, "albumsift-report", "report.html"))
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390)
    expect(await brokenNumbers(page)).toEqual([])
    // Each rejected input is a stacked block: its reason gets (nearly) the whole width.
    const reasons = await page
      .locator("#rejected td.reason")
      .evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect().width))
    expect(reasons.length).toBeGreaterThan(0)
    for (const width of reasons) expect(width).toBeGreaterThan(300)
    // The compare view fits too, two members across.
    await page.locator("#cards .card").first().getByRole("button", { name: "Compare" }).click()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390)
    const cells = await page
      .locator("#compare .cmp-cell")
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right))
    for (const right of cells) expect(right).toBeLessThanOrEqual(390)
    await page.keyboard.press("Escape")
    await page.keyboard.press("j")
    mkdirSync(join(ROOT, "test-artifacts"), { recursive: true })
    await page.screenshot({ path: join(ROOT, "test-artifacts", "report-phone.png") })
    if (process.env.UPDATE_SCREENSHOT === "1") {
      await page.screenshot({ path: join(ROOT, "docs", "report-phone.png") })
    }
    expect(phone.errors).toEqual([])
  })

  it("scrolls each group below the sticky header and filter bar, and opens the help on screen", async () => {
    const dir = tempDir()
    const { html } = await writeRealisticReport(dir)
    const { page } = desktop
    await openReport(page, html)
    await page.locator("body").click({ position: { x: 5, y: 5 } })
    const covered = async () =>
      page.evaluate(() =>
        Math.max(
          ...[...document.querySelectorAll(".top, .controls")].map((e) => e.getBoundingClientRect().bottom)
        )
      )
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("j")
      const head = await page.locator("#cards .card.current .card-head").boundingBox()
      expect(head?.y).toBeGreaterThanOrEqual(await covered())
    }
    await page.keyboard.press("?")
    const help = await page.locator("#help").boundingBox()
    expect(help).not.toBeNull()
    expect(help?.y).toBeGreaterThanOrEqual(0)
    expect((help?.y ?? 0) + (help?.height ?? 0)).toBeLessThanOrEqual(900)
    expect(await page.locator("#help").textContent()).toContain("not duplicates")
    await page.keyboard.press("Escape")
    expect(await page.locator("#help").isVisible()).toBe(false)
  })

  it("groups the time-zone panel by the actual shift and shows both times", async () => {
    const { analysis } = realisticAnalysis()
    // Three copies: two whose clocks are 2 h apart, and a re-upload a month later (no zone step).
    const monthLater = { raw: "2024-08-13T10:12:00", wall: "2024-08-13T10:12:00.000", offsetMinutes: null }
    const ids = ["asset_g-4d5e6f_0", "asset_g-4d5e6f_1", "asset_g-9f00a_1"]
    const shifted = {
      ...analysis,
      assets: analysis.assets.map((a) => (a.id === "asset_g-9f00a_1" ? { ...a, takenAt: monthLater } : a)),
      timezoneAnomalies: [{ assetIds: ids, reason: "same checksum, capture time differs by 2h" }]
    }
    const dir = tempDir()
    await writeReport(shifted, dir)
    const { page } = desktop
    await openReport(page, join(dir, "report.html"))
    expect(await page.locator("#timezones .tz-reason").allTextContents()).toEqual(["Copies 2 h apart"])
    const rows = await page.locator("#timezones .tz-files li").allTextContents()
    const name = (id: string) => analysis.assets.find((a) => a.id === id)?.fileName
    expect(rows).toEqual([
      `${name(ids[0] as string)} 2024-07-14 10:12:00 +02:00 → ${name(ids[1] as string)} 2024-07-14 12:12:00 · g-4d5e6f`
    ])
  })
})
