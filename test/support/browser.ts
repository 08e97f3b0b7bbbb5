/**
 * Chromium driven by playwright-core, with a fresh profile per launch and no background traffic.
 *
 * The browser is found in this order: `CHROMIUM_PATH` (a path, or `bundled`), Debian's
 * `/usr/bin/chromium` (or `chromium-browser`), else the Chromium that the `@sparticuz/chromium`
 * devDependency ships inside its npm package, inflated once per user and version into the temp
 * folder. So `pnpm test` needs no apt and no root on a machine with only Node and npm.
 */
import { execFile } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { tmpdir, userInfo } from "node:os"
import { dirname, join } from "node:path"
import { pathToFileURL } from "node:url"
import { promisify } from "node:util"
import { type BrowserContext, chromium, type Page } from "playwright-core"

/** Where Debian and Ubuntu put their Chromium. */
const SYSTEM_CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]

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

/** A Chromium to launch: its binary and any environment it needs beyond ours. */
export interface ChromiumExecutable {
  readonly path: string
  readonly origin: "CHROMIUM_PATH" | "system" | "npm"
  readonly env: Readonly<Record<string, string>>
}

/**
 * Inflates the npm package's Chromium (brotli) into `<tmp>/albumsift-chromium-<user>-<version>`.
 * Runs the package's own `executablePath()` in a child process whose TMPDIR is a private staging
 * folder, then renames that folder into place: concurrent test workers never see a half-written
 * binary, and a loser of the race just drops its copy.
 */
export const npmChromium = async (): Promise<ChromiumExecutable> => {
  const entry = createRequire(import.meta.url).resolve("@sparticuz/chromium")
  const { version } = JSON.parse(await readFile(join(dirname(entry), "..", "package.json"), "utf8")) as {
    version: string
  }
  const dir = join(tmpdir(), `albumsift-chromium-${userInfo().uid}-${version}`)
  const binary = join(dir, "chromium")
  const fontsConf = join(dir, "fonts.conf")
  if (!existsSync(fontsConf)) {
    const staging = await mkdtemp(join(tmpdir(), "albumsift-chromium-staging-"))
    try {
      const script = `const { default: c } = await import(${JSON.stringify(pathToFileURL(entry).href)}); process.stdout.write(await c.executablePath())`
      await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
        env: { ...process.env, TMPDIR: staging }
      })
      // The package's own fonts.conf names /tmp/fonts; point one at the fonts it just inflated.
      await writeFile(
        join(staging, "fonts.conf"),
        `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${join(dir, "fonts")}</dir><cachedir>${join(dir, "fonts-cache")}</cachedir></fontconfig>\n`
      )
      await rename(staging, dir).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== "ENOTEMPTY" && e.code !== "EEXIST") throw e
      })
    } finally {
      await rm(staging, { recursive: true, force: true })
    }
  }
  return { path: binary, origin: "npm", env: { FONTCONFIG_FILE: fontsConf } }
}

let found: Promise<ChromiumExecutable> | undefined

/** The Chromium the browser tests use (found once per worker). */
export const findChromium = (): Promise<ChromiumExecutable> => {
  found ??= (async () => {
    const override = process.env.CHROMIUM_PATH
    if (override !== undefined && override !== "" && override !== "bundled") {
      return { path: override, origin: "CHROMIUM_PATH", env: {} }
    }
    const system = override === "bundled" ? undefined : SYSTEM_CHROMIUM.find((p) => existsSync(p))
    return system === undefined ? npmChromium() : { path: system, origin: "system", env: {} }
  })()
  return found
}

/** A browser context plus a page whose console errors and page errors are collected. */
export interface Browser {
  readonly context: BrowserContext
  readonly page: Page
  /** Console errors and uncaught exceptions seen so far. */
  readonly errors: Array<string>
  readonly close: () => Promise<void>
}

export const launch = async (
  options: { width?: number; height?: number; dark?: boolean; executable?: ChromiumExecutable } = {}
): Promise<Browser> => {
  const profile = await mkdtemp(join(tmpdir(), "albumsift-chromium-"))
  const executable = options.executable ?? (await findChromium())
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: executable.path,
    env: { ...process.env, ...executable.env },
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

/** Opens a report with no decisions kept from an earlier test (file:// pages share one storage). */
export const openFresh = async (page: Page, htmlPath: string): Promise<void> => {
  await openReport(page, htmlPath)
  await page.evaluate(() => localStorage.clear())
  await page.reload()
  await page.waitForSelector("html[data-ready=true]")
}

/** Clicks "Export decisions" and returns the downloaded file's name, path and parsed content. */
export const exportDecisions = async (page: Page) => {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export decisions" }).click()
  ])
  const path = await download.path()
  return {
    name: download.suggestedFilename(),
    path,
    json: JSON.parse(readFileSync(path, "utf8")) as {
      decided_at?: string
      groups: Array<{ members: Array<string>; keep?: Array<string>; not_duplicates?: boolean }>
    }
  }
}
