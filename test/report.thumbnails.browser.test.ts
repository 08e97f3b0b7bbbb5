/**
 * End-to-end: an album whose thumbnails are files beside it (relative paths), reported into a folder
 * elsewhere. The page still shows them over file://, and `--thumbnails keep` says why it kept none.
 */
import { join, relative } from "node:path"
import { pathToFileURL } from "node:url"
import { describe, expect, it } from "vitest"
import { launch } from "./support/browser.js"
import { ROOT, runCli, SAMPLE, tempDir } from "./support/runCli.js"

describe("relative thumbnails with --out elsewhere", () => {
  it("load in Chromium from a report written into another folder", async () => {
    const cwd = tempDir()
    const out = join(tempDir(), "nested", "out")
    // The input as a path relative to where the command runs, as a user types it.
    const r = await runCli(["report", "--input", relative(cwd, SAMPLE), "-o", out, "--quiet"], { cwd })
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    const browser = await launch()
    try {
      const outside: Array<string> = []
      await browser.context.route("**/*", (route) => {
        const url = route.request().url()
        if (!url.startsWith("file:")) outside.push(url)
        return url.startsWith("file:") ? route.continue() : route.abort()
      })
      await browser.page.goto(pathToFileURL(join(out, "report.html")).href)
      await browser.page.waitForSelector("html[data-ready=true]", { timeout: 60_000 })
      const thumbs = pathToFileURL(join(ROOT, "packages", "cli", "sample", "thumbs")).href
      // The first cards' thumbnails are in view: wait until they have decoded from the sample's folder.
      await browser.page.waitForFunction(
        (prefix) =>
          [...document.querySelectorAll("img")].filter(
            (img) => img.src.startsWith(prefix) && img.complete && img.naturalWidth > 0
          ).length >= 4,
        thumbs,
        { timeout: 20_000 }
      )
      const first = browser.page.locator("#cards .card").first()
      expect(await first.locator(".ph-text").allTextContents()).not.toContain("Preview unavailable")
      const sizes = await first
        .locator("img")
        .evaluateAll((imgs) =>
          imgs.map((i) => [(i as HTMLImageElement).naturalWidth, (i as HTMLImageElement).naturalHeight])
        )
      expect(sizes.length).toBeGreaterThan(0)
      for (const size of sizes) expect(size).toEqual([160, 120])
      expect(browser.errors).toEqual([])
      expect(outside).toEqual([])
    } finally {
      await browser.close()
    }
  })

  it("--thumbnails keep says why it kept none: they are local files, linked where they are", async () => {
    const out = join(tempDir(), "kept")
    const r = await runCli(["report", "--input", SAMPLE, "-o", out, "--thumbnails", "keep"])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /^Kept 0 thumbnails in thumbs\/; \d+ shown thumbnails are local files beside the input, linked where they are\.$/m
    )
  })
})
