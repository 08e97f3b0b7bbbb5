/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The HTML report in a real Chromium (Debian's /usr/bin/chromium through playwright-core), over file://.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, readFileSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { assemble, hostileAnalysis, largeAnalysis, PAYLOADS, realisticAnalysis } from "./support/analysis.js"
import { type Browser, launch, openReport } from "./support/browser.js"
import { writeRealisticReport, writeReport } from "./support/reports.js"
import { tempDir } from "./support/runCli.js"

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..")
const ARTIFACTS = join(ROOT, "test-artifacts")
/** Thumbnails load lazily; give a busy machine time. */
const POLL = { timeout: 20_000, interval: 100 }

const cardCount = (page: Page) => page.locator("#cards .card").count()
const countText = (page: Page) => page.locator("#count").textContent()

/**
 * The README's picture, from the bundled demo album as `pnpm demo` shows it:
 * `pnpm build && UPDATE_SCREENSHOT=1 pnpm exec vitest run --project e2e report.browser`.
 */
const readmeScreenshot = async (page: Page) => {
  const out = tempDir()
  execFileSync(process.execPath, [join(ROOT, "packages/cli/dist/bin.js"), "demo", "--out", out, "--quiet"], {
    env: { ...process.env, SOURCE_DATE_EPOCH: "1795669200" }
  })
  await page.setViewportSize({ width: 1400, height: 1250 })
  // Closest calls first: a keeper, a near-tie marked for review, and discards.
  await page.goto(`${pathToFileURL(join(out, "report.html")).href}#view?sort=margin`)
  await page.waitForSelector("html[data-ready=true]")
  await page.waitForTimeout(500) // let the lazy thumbnails of the first card paint
  await page.screenshot({ path: join(ROOT, "docs", "report-screenshot.png") })
  await page.setViewportSize({ width: 1360, height: 900 })
}

let browser: Browser
beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

describe("report.html in Chromium", () => {
  it("loads over file:// with its local thumbnails and no console error", async () => {
    const dir = tempDir()
    const { html } = await writeRealisticReport(dir)
    browser.errors.length = 0
    const { page } = browser
    await openReport(page, html)
    expect(await cardCount(page)).toBe(12)
    expect(await countText(page)).toBe("Groups 1–12 of 12")
    // The first card's thumbnails really loaded (CSP img-src allows files beside the report).
    const firstCardImages = page.locator("#cards .card").first().locator("img")
    await expect
      .poll(
        () =>
          firstCardImages.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth > 0)),
        POLL
      )
      .toEqual([true, true, true, true])
    // The keeper is marked, reasons and the would-lose note are shown.
    const first = page.locator("#cards .card").first()
    await expect
      .poll(() => first.locator(".badge").allTextContents(), POLL)
      .toEqual(["★ Keep", "Review", "Discard", "Discard"])
    expect(await first.locator(".lose").textContent()).toContain("people: Marta")
    expect(await first.locator(".member").nth(2).locator(".reasons").textContent()).toContain("rating 3 vs 5")
    // Fields that differ from the keeper are highlighted, the keeper's own are not.
    expect(await first.locator(".member").first().locator("dd.diff").count()).toBe(0)
    expect(await first.locator(".member").nth(2).locator("dd.diff").count()).toBeGreaterThan(2)
    // Summary, quality and issues sections.
    expect(await page.locator("#stats .stat").first().textContent()).toContain("68")
    expect(await page.locator("#metrics svg.hist").count()).toBe(2)
    expect(await page.locator("#low-quality tbody tr").count()).toBe(6)
    expect(await page.locator("#rejected tbody tr").count()).toBe(2)
    expect(await page.locator("#timezones li.tz").count()).toBe(1)
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: join(ARTIFACTS, "report.png") })
    await page.emulateMedia({ colorScheme: "dark" })
    await page.screenshot({ path: join(ARTIFACTS, "report-dark.png") })
    await page.emulateMedia({ colorScheme: "light" })
    if (process.env.UPDATE_SCREENSHOT === "1") await readmeScreenshot(page)
    expect(browser.errors).toEqual([])
  })

  it("filters, searches, sorts and moves with the keyboard", async () => {
    const dir = tempDir()
    const { html, analysis } = await writeRealisticReport(dir)
    const { page } = browser
    browser.errors.length = 0
    await openReport(page, html)

    // Kind: exact copies only.
    await page.locator('#filter-kind label:has(input[value="exact"])').click()
    expect(await countText(page)).toBe("Groups 1–4 of 4 (filtered from 12)")
    expect(new Set(await page.locator("#cards .kind").allTextContents())).toEqual(new Set(["Exact copies"]))

    // Evidence: burst id (any kind).
    await page.locator('#filter-kind label:has(input[value="all"])').click()
    await page.locator('#filter-evidence label:has(input[value="auto_stack_id"])').click()
    expect(await cardCount(page)).toBe(2)
    for (const chips of await page.locator("#cards .card-title").allTextContents())
      expect(chips).toContain("burst id")
    await page.locator('#filter-evidence label:has(input[value="auto_stack_id"])').click()

    // Decision: groups that need a review.
    await page.selectOption("#filter-rec", "review")
    expect(await cardCount(page)).toBe(2)
    for (const card of await page.locator("#cards .card").all()) {
      expect(await card.locator(".badge-review").count()).toBeGreaterThan(0)
    }
    await page.selectOption("#filter-rec", "any")

    // Search by file name (case-insensitive), then clear.
    await page.fill("#search", "dsc_0652 (1)")
    await page.press("#search", "Enter")
    expect(await cardCount(page)).toBe(1)
    expect(await page.locator("#cards .card .fname").allTextContents()).toContain("DSC_0652 (1).jpg")
    await page.fill("#search", "no such file")
    await page.press("#search", "Enter")
    expect(await cardCount(page)).toBe(0)
    expect(await page.locator("#cards .empty").textContent()).toBe("No group matches these filters.")
    await page.click("#reset")
    expect(await cardCount(page)).toBe(12)

    // Sort by reclaimable bytes: the biggest saving first.
    const maxReclaim = Math.max(...analysis.groups.map((g) => g.reclaimableBytes))
    const biggest = analysis.groups.find((g) => g.reclaimableBytes === maxReclaim)?.id
    expect(await page.locator("#cards .card").first().getAttribute("data-group")).not.toBe(biggest)
    await page.selectOption("#sort", "reclaim")
    expect(await page.locator("#cards .card").first().getAttribute("data-group")).toBe(biggest)
    // Closest call first: the group whose runner-up is nearest the keeper.
    await page.selectOption("#sort", "margin")
    expect(await page.locator("#cards .card").first().getAttribute("data-group")).toBe("g-0c1d2e")
    const order = await page
      .locator("#cards .card")
      .evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.group))
    await page.selectOption("#sort", "time-desc")
    expect(
      await page
        .locator("#cards .card")
        .evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.group))
    ).not.toEqual(order)

    // Keyboard: j/k move between cards, / focuses the search box.
    await page.selectOption("#sort", "time")
    await page.locator("body").click({ position: { x: 5, y: 5 } })
    await page.keyboard.press("j")
    await page.keyboard.press("j")
    expect(await page.locator("#cards .card.current").getAttribute("data-group")).toBe(analysis.groups[1]?.id)
    await page.keyboard.press("k")
    expect(await page.locator("#cards .card.current").getAttribute("data-group")).toBe(analysis.groups[0]?.id)
    await page.keyboard.press("/")
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search")
    await page.keyboard.press("Escape")
    await page.keyboard.press("?")
    expect(await page.locator("#help").isVisible()).toBe(true)

    // The view is kept in the URL: a reload shows the same filters and order.
    await page.locator('#filter-kind label:has(input[value="near"])').click()
    await page.selectOption("#sort", "reclaim")
    const before = await page
      .locator("#cards .card")
      .evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.group))
    expect(page.url()).toContain("#view?kind=near&sort=reclaim")
    await page.reload()
    await page.waitForSelector("html[data-ready=true]")
    expect(await countText(page)).toBe("Groups 1–8 of 8 (filtered from 12)")
    expect(await page.locator("#sort").inputValue()).toBe("reclaim")
    expect(await page.locator('#filter-kind input[value="near"]').isChecked()).toBe(true)
    expect(
      await page
        .locator("#cards .card")
        .evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.group))
    ).toEqual(before)
    expect(browser.errors).toEqual([])
  })

  it("shows a placeholder when a thumbnail URL fails (an expired signed link)", async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(403, { "content-type": "text/plain" })
      res.end("expired")
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const { analysis } = realisticAnalysis()
      const expired = {
        ...analysis,
        assets: analysis.assets.map((a) => ({ ...a, thumbnailUrl: `${origin}/${a.id}.jpg?X-Amz-Expires=1` }))
      }
      const dir = tempDir()
      await writeReport(expired, dir)
      const { page } = browser
      await openReport(page, join(dir, "report.html"))
      const first = page.locator("#cards .card").first()
      await expect
        .poll(() => first.locator(".ph-text").allTextContents(), POLL)
        .toEqual(Array(4).fill("Preview unavailable"))
      expect(await first.locator("img").count()).toBe(0)
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it("never runs a payload from any text field or URL", async () => {
    const dir = tempDir()
    await writeReport(hostileAnalysis(), dir)
    const html = readFileSync(join(dir, "report.html"), "utf8")
    expect(html).not.toContain("window.__xss=2</script>")
    const { page } = browser
    browser.errors.length = 0
    await page.addInitScript(() => {
      delete (window as unknown as { __xss?: number }).__xss
    })
    await openReport(page, join(dir, "report.html"))
    // Exercise every view: groups (all pages and filters), search with a payload, quality, issues.
    await page.fill("#search", PAYLOADS[0])
    await page.press("#search", "Enter")
    await page.click("#reset")
    await page.selectOption("#filter-rec", "review")
    await page.selectOption("#filter-rec", "any")
    await page.locator("#quality").scrollIntoViewIfNeeded()
    await page.locator("#issues").scrollIntoViewIfNeeded()
    await page.waitForTimeout(300) // give any (wrongly) injected handler the chance to fire
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()

    // The payloads are shown as text...
    const names = await page.locator("#cards .fname").allTextContents()
    expect(names).toContain(PAYLOADS[1])
    expect(await page.locator("#rejected tbody").textContent()).toContain("<img src=x onerror=")
    // ...and never became markup or a dangerous URL.
    const dom = await page.evaluate(() => ({
      injected: document.querySelectorAll("iframe, svg[onload], [onerror], [onload], object, embed").length,
      // One script runs: the page's own; the others are its data, which never runs (type application/json).
      scripts: document.querySelectorAll('script:not([type="application/json"])').length,
      dataElements: [...document.querySelectorAll('script[type="application/json"]')].every((e) =>
        /^albumsift-(assets|details|groups|meta)$/.test(e.className)
      ),
      badUrls: [...document.querySelectorAll("img, a")]
        .map(
          (e) =>
            (e as HTMLImageElement).getAttribute("src") ?? (e as HTMLAnchorElement).getAttribute("href") ?? ""
        )
        .filter((u) => /^\s*(javascript|data|vbscript):/i.test(u) || u.startsWith("//"))
    }))
    expect(dom).toEqual({ injected: 0, scripts: 1, dataElements: true, badUrls: [] })
    // No CSP violation either (it would mean markup from the data reached the DOM); missing files are fine.
    expect(browser.errors.filter((e) => !e.startsWith("Failed to load resource"))).toEqual([])
  })

  it("says so plainly when an album has no duplicates, metrics or problems", async () => {
    const dir = tempDir()
    await writeReport(assemble({ assets: [], groups: [] }), dir)
    const { page } = browser
    browser.errors.length = 0
    await openReport(page, join(dir, "report.html"))
    expect(await page.locator("#cards .empty").textContent()).toBe("No duplicate groups in this album.")
    expect(await countText(page)).toBe("No groups")
    expect(await page.locator("#metrics").textContent()).toContain(
      "No asset in this album carries ML quality metrics."
    )
    expect(await page.locator("#rejected-note").textContent()).toBe("Every input item was read.")
    expect(await page.locator("#rejected").isVisible()).toBe(false)
    expect(browser.errors).toEqual([])
  })

  it("opens a 100k-group report and filters it", async () => {
    const dir = tempDir()
    const large = largeAnalysis(100_000)
    await writeReport(large, dir, { formats: ["html"] })
    const { page } = browser
    browser.errors.length = 0
    await openReport(page, join(dir, "report.html"))
    // The data comes in many blocks, each parsed on its own, read in order (the last group is found below).
    const assetBlocks = await page.locator("script.albumsift-assets").count()
    expect(assetBlocks).toBeGreaterThan(10)
    expect(await page.locator("script.albumsift-details").count()).toBe(assetBlocks)
    expect(await page.locator("script.albumsift-groups").count()).toBeGreaterThan(10)
    expect(await countText(page)).toBe("Groups 1–24 of 100,000")
    await page.locator('#filter-kind label:has(input[value="exact"])').click()
    expect(await countText(page)).toBe("Groups 1–24 of 20,000 (filtered from 100,000)")
    await page.fill("#search", "img_99995_1")
    await page.press("#search", "Enter")
    expect(await countText(page)).toBe("Groups 1–1 of 1 (filtered from 100,000)")
    await page.click("#reset")
    await page.selectOption("#sort", "reclaim")
    await page.keyboard.press("n")
    expect(await page.locator(".pager span").first().textContent()).toBe("Page 2 of 4,167")
    // Deciding at scale: accept every exact-copy group, then see only the undecided rest.
    await page.evaluate(() => localStorage.clear())
    await page.getByRole("button", { name: "Accept all exact-copy groups" }).click()
    const exact = large.groups.filter((g) => g.kind === "exact")
    const toReview = exact.filter((g) => g.members.some((m) => m.recommendation === "review")).length
    const accepted = exact.length - toReview
    const n = (x: number) => x.toLocaleString("en-US")
    expect(await page.locator("#decide-status").textContent()).toBe(
      `Accepted ${n(accepted)} groups; ${n(toReview)} groups with members to review left for you. Undo`
    )
    await page.selectOption("#filter-progress", "undecided")
    expect(await countText(page)).toBe(`Groups 1–24 of ${n(100_000 - accepted)} (filtered from 100,000)`)
    await page.locator("#decide-status").getByRole("button", { name: "Undo" }).click()
    expect(
      await page.locator("#stats .stat", { hasText: "Discards" }).locator(".stat-sub").textContent()
    ).not.toContain("decided")
    expect(browser.errors).toEqual([])
  }, 180_000)
})
