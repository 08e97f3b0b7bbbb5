/// <reference lib="dom" />
/**
 * Reports from the real engine: the bundled sample album and a hostile album go through
 * `analyzeAssets`, then `Report.write`, then Chromium, as a user would see them.
 */
import { cpSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { analyzeAssets } from "@albumsift/core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PAYLOADS } from "./support/analysis.js"
import { type Browser, launch, openReport } from "./support/browser.js"
import { writeReport } from "./support/reports.js"
import { tempDir } from "./support/runCli.js"

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..")
/** A seed-shaped album with a payload in every string a report shows. */
const hostileAlbum = (): Array<unknown> => {
  const p = (i: number) => PAYLOADS[i % PAYLOADS.length] as string
  const asset = (n: number, overrides: Record<string, unknown> = {}) => ({
    id: `asset_${n}${p(n)}`,
    device_asset_id: p(n),
    device_id: p(1),
    mime_type: "image/jpeg",
    original_file_name: `${p(n + 2)}.jpg`,
    file_created_at: "2025-06-01T10:00:00Z",
    file_modified_at: "2025-06-01T10:00:00Z",
    local_datetime: `2025-06-01T10:00:0${n}+02:00`,
    checksum: `Y2hlY2tzdW0t${n}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`,
    created_at: "2025-06-02T09:00:00Z",
    updated_at: "2025-06-02T09:00:00Z",
    exif: {
      make: p(3),
      model: p(4),
      original_datetime: `2025-06-01T10:00:0${n}+02:00`,
      rating: (n % 5) + 1,
      auto_stack_id: p(0),
      city: p(n + 5),
      description: p(n + 1)
    },
    metrics: { liqe_mix: 1 + n / 2, [p(n)]: n },
    thumbnail_url: [
      "javascript:window.__xss=7",
      " JaVaScRiPt:window.__xss=8",
      "data:text/html,x",
      "//evil.example/x"
    ][n % 4],
    download_url: "javascript:window.__xss=9",
    faces: [],
    people: [
      { id: `person_${n}`, name: p(n + 2) },
      { id: p(n), name: null }
    ],
    file_size_bytes: 1_000_000 + n,
    width: 4000,
    height: 3000,
    ...overrides
  })
  const copy = {
    ...asset(6),
    id: "asset_copy<b>",
    original_file_name: "=cmd|' /C calc'!A0",
    checksum: asset(1).checksum
  }
  return [
    asset(1),
    asset(2),
    asset(3),
    asset(4),
    copy,
    { id: p(1), checksum: null },
    "<script>window.__xss=10</script>"
  ]
}

let browser: Browser
beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

describe("reports from the real engine", () => {
  it("a new user finds the best frame of a burst, sees why, and filters to exact copies", async () => {
    const album = JSON.parse(
      readFileSync(join(ROOT, "packages/cli/sample/album.json"), "utf8")
    ) as Array<unknown>
    const analysis = await analyzeAssets(album)
    expect(analysis.groups.length).toBeGreaterThan(0)
    const dir = tempDir()
    // The sample's thumbnails are relative paths, shipped beside the album.
    cpSync(join(ROOT, "packages/cli/sample/thumbs"), join(dir, "thumbs"), { recursive: true })
    await writeReport(analysis, dir)
    const { page, errors } = browser
    errors.length = 0
    await openReport(page, join(dir, "report.html"))

    // A burst (same camera burst id): its keeper is marked, the others say why.
    await page.locator('#filter-evidence label:has(input[value="auto_stack_id"])').click()
    const burst = page.locator("#cards .card").first()
    const burstId = await burst.getAttribute("data-group")
    const group = analysis.groups.find((g) => g.id === burstId)
    expect(group?.evidence).toContain("auto_stack_id")
    const keeper = analysis.assets.find((a) => a.id === group?.keeper)
    const keeperTile = burst.locator(".member.rec-keep").first()
    expect(await keeperTile.locator(".badge").textContent()).toBe("★ Keep")
    expect(await keeperTile.locator(".fname").textContent()).toBe(keeper?.fileName)
    const others = burst.locator(".member:not(.rec-keep)")
    expect(await others.count()).toBeGreaterThan(0)
    for (const tile of await others.all()) {
      expect(await tile.locator(".reasons li").count()).toBeGreaterThan(0)
      expect(["Discard", "Review"]).toContain(await tile.locator(".badge").textContent())
    }

    // Exact copies only.
    await page.click("#reset")
    await page.locator('#filter-kind label:has(input[value="exact"])').click()
    const exact = analysis.groups.filter((g) => g.kind === "exact").length
    expect(await page.locator("#cards .card").count()).toBe(Math.min(24, exact))
    expect(new Set(await page.locator("#cards .kind").allTextContents())).toEqual(new Set(["Exact copies"]))
    expect(errors).toEqual([])
  })

  it("a hostile album gives three sound files and a page where no payload runs", async () => {
    const analysis = await analyzeAssets(hostileAlbum())
    expect(analysis.rejected.length).toBe(2)
    expect(analysis.groups.length).toBeGreaterThan(0)
    const dir = tempDir()
    await writeReport(analysis, dir)

    const json = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"))
    expect(json.assets.map((a: { file_name: string }) => a.file_name)).toContain("=cmd|' /C calc'!A0")
    const csv = readFileSync(join(dir, "report.csv"), "utf8")
    expect(csv).toContain("'=cmd|' /C calc'!A0")
    expect(csv).not.toMatch(/(^|,)=cmd/m)

    const { page, errors } = browser
    errors.length = 0
    await openReport(page, join(dir, "report.html"))
    await page.locator("#issues").scrollIntoViewIfNeeded()
    await page.waitForTimeout(300)
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
    const names = await page.locator("#cards .fname").allTextContents()
    expect(names).toContain(`${PAYLOADS[3]}.jpg`)
    expect(names).toContain("=cmd|' /C calc'!A0")
    const dangerous = await page.evaluate(
      () =>
        [...document.querySelectorAll("img, a")]
          .map((e) => e.getAttribute("src") ?? e.getAttribute("href") ?? "")
          .filter((u) => /^\s*(javascript|data):/i.test(u) || u.startsWith("//")).length
    )
    expect(dangerous).toBe(0)
    expect(await page.locator("iframe, [onerror], [onload]").count()).toBe(0)
    expect(errors.filter((e) => !e.startsWith("Failed to load resource"))).toEqual([])
    await page.screenshot({ path: join(ROOT, "test-artifacts", "hostile-report.png"), fullPage: true })
  })
})
