/**
 * The browser tests run on a machine with only Node and npm: without a system Chromium, the
 * helper inflates the one the `@sparticuz/chromium` devDependency ships. This launches that one
 * on purpose, so the fallback is exercised even where Debian's Chromium is installed.
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { describe, expect, it } from "vitest"
import { launch, npmChromium } from "./support/browser.js"

describe("the npm registry's Chromium", () => {
  it("inflates once and renders a page headless through playwright-core", async () => {
    const entry = createRequire(import.meta.url).resolve("@sparticuz/chromium")
    const { version } = JSON.parse(readFileSync(join(dirname(entry), "..", "package.json"), "utf8")) as {
      version: string
    }
    const executable = await npmChromium()
    expect(executable.origin).toBe("npm")
    // A second call reuses the inflated copy.
    expect((await npmChromium()).path).toBe(executable.path)
    const browser = await launch({ executable, width: 390, height: 844 })
    try {
      await browser.page.setContent(`<p id="t" style="font: 16px sans-serif">duplicate photos</p>`)
      expect(await browser.page.evaluate(() => navigator.userAgent)).toContain(
        `HeadlessChrome/${version.split(".")[0]}.`
      )
      const width = await browser.page.evaluate(
        () => document.getElementById("t")!.getBoundingClientRect().width
      )
      expect(width).toBe(390 - 16)
      const textWidth = await browser.page.evaluate(() => {
        const range = document.createRange()
        range.selectNodeContents(document.getElementById("t")!)
        return range.getBoundingClientRect().width
      })
      // Fonts were found: the text has a real, non-zero width.
      expect(textWidth).toBeGreaterThan(50)
      expect(browser.errors).toEqual([])
    } finally {
      await browser.close()
    }
  })
})
