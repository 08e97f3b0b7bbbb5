/**
 * End-to-end: `albumsift demo` as a new user meets it. The report opens over file:// in Chromium,
 * with no console errors, and shows the sample's own thumbnails, offline.
 */
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { describe, expect, it } from "vitest"
import { launch } from "./support/browser.js"
import { ROOT, runCli, tempDir } from "./support/runCli.js"

describe("albumsift demo in a browser", () => {
  it("shows the bundled thumbnails over file:// with no request to the network", async () => {
    const cwd = tempDir()
    const r = await runCli(["demo", "--quiet"], { cwd })
    expect(r.code).toBe(0)
    const browser = await launch()
    try {
      const outside: Array<string> = []
      await browser.context.route("**/*", (route) => {
        const url = route.request().url()
        if (!url.startsWith("file:")) outside.push(url)
        return url.startsWith("file:") ? route.continue() : route.abort()
      })
      await browser.page.goto(pathToFileURL(join(cwd, "albumsift-report", "report.html")).href)
      // The first cards' thumbnails are in view: wait until they have decoded.
      await browser.page.waitForFunction(
        () =>
          [...document.querySelectorAll("img")].filter(
            (img) => img.getAttribute("src")?.startsWith("thumbs/") && img.complete && img.naturalWidth > 0
          ).length >= 4,
        undefined,
        { timeout: 20_000 }
      )
      const sizes = await browser.page.evaluate(() =>
        [...document.querySelectorAll("img")]
          .filter(
            (img) => img.getAttribute("src")?.startsWith("thumbs/") && img.complete && img.naturalWidth > 0
          )
          .map((img) => [img.naturalWidth, img.naturalHeight])
      )
      expect(sizes.length).toBeGreaterThanOrEqual(4)
      for (const [w, h] of sizes) expect([w, h]).toEqual([160, 120])
      expect(browser.errors).toEqual([])
      expect(outside).toEqual([])
      mkdirSync(join(ROOT, "test-artifacts"), { recursive: true })
      await browser.page.screenshot({
        path: join(ROOT, "test-artifacts", "demo-report.png"),
        fullPage: false
      })
    } finally {
      await browser.close()
    }
  })
})
