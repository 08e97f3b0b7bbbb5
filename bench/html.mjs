// Opens a report.html in headless Chromium and times what a reader waits for: load until the page
// says it is ready (`<html data-ready="true">`), then one search filter. Reports Chromium's JS heap.
// Usage: node bench/html.mjs <report.html> ; prints one JSON line. Needs Chromium (CHROMIUM_PATH or
// /usr/bin/chromium) and playwright-core (a dev dependency of packages/report).
import { existsSync, statSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const { chromium } = createRequire(join(root, "packages", "report", "package.json"))("playwright-core")
const executablePath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p) => p !== undefined && existsSync(p)
)
if (executablePath === undefined) throw new Error("no Chromium found (set CHROMIUM_PATH)")

const file = resolve(process.argv[2])
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] })
try {
  const page = await browser.newPage()
  const cdp = await page.context().newCDPSession(page)
  await cdp.send("Performance.enable")
  const t0 = performance.now()
  await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 600_000 })
  const loadMs = performance.now() - t0
  await page.waitForSelector('html[data-ready="true"]', { timeout: 600_000 })
  const readyMs = performance.now() - t0
  const cards = await page.locator("#cards .card").count()
  const count = await page.locator("#count").textContent()
  // One filter: a search that matches part of the album (a common file-name prefix).
  const t1 = performance.now()
  await page.fill("#search", "IMG_1")
  await page.waitForFunction((before) => document.getElementById("count")?.textContent !== before, count, {
    timeout: 600_000
  })
  const filterMs = performance.now() - t1
  const filtered = await page.locator("#count").textContent()
  const metrics = Object.fromEntries(
    (await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value])
  )
  process.stdout.write(
    `${JSON.stringify({
      htmlBytes: statSync(file).size,
      // The build matters: the same 10k page was ready twice as fast in npm's Chromium 153 as in Debian's 156.
      chromium: `${browser.version()} (${executablePath})`,
      loadMs,
      readyMs,
      filterMs,
      cards,
      count,
      filtered,
      jsHeapMB: metrics.JSHeapUsedSize / 2 ** 20,
      jsHeapTotalMB: metrics.JSHeapTotalSize / 2 ** 20
    })}\n`
  )
} finally {
  await browser.close()
}
