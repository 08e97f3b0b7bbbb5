/**
 * Debian's Chromium driven by playwright-core, with a fresh profile per launch and no background traffic.
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { type BrowserContext, chromium, type Page } from "playwright-core"

export const CHROMIUM = "/usr/bin/chromium"

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

/** A browser context plus a page whose console errors and page errors are collected. */
export interface Browser {
  readonly context: BrowserContext
  readonly page: Page
  /** Console errors and uncaught exceptions seen so far. */
  readonly errors: Array<string>
  readonly close: () => Promise<void>
}

export const launch = async (
  options: { width?: number; height?: number; dark?: boolean } = {}
): Promise<Browser> => {
  const profile = await mkdtemp(join(tmpdir(), "albumsift-chromium-"))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: options.width ?? 1360, height: options.height ?? 900 },
    colorScheme: options.dark ? "dark" : "light"
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const errors: Array<string> = []
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text())
  })
  page.on("pageerror", (error) => errors.push(String(error)))
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    }
  }
}

/** Opens a report over file:// and waits until its script has rendered the first page. */
export const openReport = async (page: Page, htmlPath: string): Promise<void> => {
  await page.goto(pathToFileURL(htmlPath).href)
  await page.waitForSelector("html[data-ready=true]", { timeout: 60_000 })
}
