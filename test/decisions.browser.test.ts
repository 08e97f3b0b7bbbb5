/// <reference lib="dom" />
/**
 * Deciding in report.html, in a real Chromium over file://: keep/discard by mouse and keyboard, state
 * badges and live counts, decisions kept over a reload under the report's identity, decisions.json
 * exported and imported into a fresh profile, bulk accept, the compare view, and hostile ids.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Metadata } from "@albumsift/report"
import { Effect } from "effect"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { hostileAnalysis, PAYLOADS, realisticAnalysis } from "./support/analysis.js"
import {
  type Browser,
  exportDecisions as exportFile,
  launch,
  openFresh,
  openReport
} from "./support/browser.js"
import { writeRealisticReport, writeReport } from "./support/reports.js"
import { runCli, tempDir } from "./support/runCli.js"

const card = (page: Page, group: string) => page.locator(`#cards .card[data-group="${group}"]`)
const member = (page: Page, group: string, index: number) => card(page, group).locator(".member").nth(index)
/** Each card's group id and state badge ("" when undecided), in page order. */
const statuses = (page: Page) =>
  page
    .locator("#cards .card")
    .evaluateAll((cards) =>
      cards.map((c) => [(c as HTMLElement).dataset.group, c.querySelector(".status")?.textContent ?? ""])
    )
const stat = (page: Page, label: string) =>
  page
    .locator("#stats .stat", { hasText: label })
    .evaluate((s) => [s.querySelector(".stat-value")?.textContent, s.querySelector(".stat-sub")?.textContent])

const EXPECTED_GROUPS = [
  {
    members: ["asset_g-1a2b3c_0", "asset_g-1a2b3c_1", "asset_g-1a2b3c_2", "asset_g-1a2b3c_3"],
    keep: ["asset_g-1a2b3c_1"]
  },
  { members: ["asset_g-4d5e6f_0", "asset_g-4d5e6f_1"], keep: ["asset_g-4d5e6f_0"] },
  { members: ["asset_g-7a8b9c_0", "asset_g-7a8b9c_1", "asset_g-7a8b9c_2"], not_duplicates: true },
  {
    members: ["asset_g-0c1d2e_0", "asset_g-0c1d2e_1", "asset_g-0c1d2e_2"],
    keep: ["asset_g-0c1d2e_0", "asset_g-0c1d2e_1"]
  }
]
const EXPECTED_STATUSES = [
  ["g-1a2b3c", "changed from suggestion"],
  ["g-4d5e6f", "decided"],
  ["g-7a8b9c", "not duplicates"],
  ["g-0c1d2e", "decided"],
  ["g-9f00a", ""]
]

let browser: Browser
beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

describe("deciding in report.html", () => {
  it("decides by mouse and keyboard, keeps it over a reload, exports it and imports it into a fresh profile", async () => {
    const dir = tempDir()
    const { html, analysis } = await writeRealisticReport(dir)
    const { page } = browser
    browser.errors.length = 0
    await openFresh(page, html)
    expect(await stat(page, "Discards")).toEqual(["12", "2 to review by hand"])

    // Mouse: keep the runner-up of the burst instead of the suggested keeper.
    await member(page, "g-1a2b3c", 1).getByRole("button", { name: "Keep" }).click()
    await member(page, "g-1a2b3c", 0).getByRole("button", { name: "Discard" }).click()
    expect(await member(page, "g-1a2b3c", 1).locator(".badge").textContent()).toBe("Keep")
    expect(await member(page, "g-1a2b3c", 0).locator(".badge").textContent()).toBe("Discard")
    expect(
      await member(page, "g-1a2b3c", 1).getByRole("button", { name: "Keep" }).getAttribute("aria-pressed")
    ).toBe("true")

    // Keyboard: accept the exact copy's suggestion, mark the capture-time group "not duplicates",
    // resolve the review member of the fourth group (flip to keep, then to discard).
    expect(await page.locator("#cards .card.current").getAttribute("data-group")).toBe("g-1a2b3c")
    await page.keyboard.press("j")
    expect(await page.locator("#cards .card.current").getAttribute("data-group")).toBe("g-4d5e6f")
    await page.keyboard.press("a")
    await page.keyboard.press("j")
    expect(await card(page, "g-7a8b9c").locator(".kind").textContent()).toBe(
      "Same moment, images not compared"
    )
    await page.keyboard.press("x")
    await page.keyboard.press("j")
    await page.keyboard.press("3")
    expect(await card(page, "g-0c1d2e").locator(".status").textContent()).toBe("changed from suggestion")
    await page.keyboard.press("3")
    expect((await statuses(page)).slice(0, 5)).toEqual(EXPECTED_STATUSES)

    // The summary counts the decisions: one more discard in the burst, none in the not-duplicates group.
    const size = (id: string) => analysis.assets.find((a) => a.id === id)?.fileSize ?? 0
    const bytes =
      analysis.summary.reclaimableBytes +
      size("asset_g-1a2b3c_0") -
      size("asset_g-7a8b9c_2") +
      size("asset_g-0c1d2e_2")
    expect(await stat(page, "Discards")).toEqual(["13", "0 to review by hand · 4 groups decided"])
    expect((await stat(page, "Reclaimable"))[0]).toBe(`${(bytes / 1e6).toFixed(1)} MB`)
    expect(await page.locator("#decisions .legend").textContent()).toBe("Keep 15Discard 13Review 0")

    // "Next undecided" skips the decided groups; the filter shows decided or undecided ones.
    await page.keyboard.press("u")
    expect(await page.locator("#cards .card.current").getAttribute("data-group")).toBe("g-9f00a")
    await page.selectOption("#filter-progress", "decided")
    expect((await statuses(page)).map(([g]) => g)).toEqual(EXPECTED_STATUSES.slice(0, 4).map(([g]) => g))
    await page.selectOption("#filter-progress", "undecided")
    expect(await page.locator("#cards .card").count()).toBe(8)
    await page.selectOption("#filter-progress", "all")

    // A reload keeps every decision. They are in storage before it, and the view comes back unfiltered
    // (so a failure here says whether saving, the view or restoring went wrong).
    const stored = await page.evaluate(() =>
      Object.keys(localStorage)
        .filter((key) => key.startsWith("albumsift.decisions."))
        .map((key) => Object.keys(JSON.parse(localStorage.getItem(key) ?? "{}").groups ?? {}).length)
    )
    expect(stored).toEqual([4])
    await page.reload()
    await page.waitForSelector("html[data-ready=true]")
    expect(await page.evaluate(() => location.hash)).not.toContain("#view?")
    expect(await page.locator("#filter-progress").inputValue()).toBe("all")
    expect((await statuses(page)).slice(0, 5)).toEqual(EXPECTED_STATUSES)
    expect(await stat(page, "Discards")).toEqual(["13", "0 to review by hand · 4 groups decided"])

    // Export: exactly the contract's shape.
    const exported = await exportFile(page)
    expect(exported.name).toBe("decisions.json")
    expect(exported.json.decided_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(exported.json).toEqual({
      schema_version: 1,
      tool: "albumsift",
      decided_at: exported.json.decided_at,
      groups: EXPECTED_GROUPS
    })
    const file = join(tempDir(), "decisions.json")
    writeFileSync(file, readFileSync(exported.path))

    // Another report (one group fewer) in the same browser never shows these decisions.
    const { analysis: other } = realisticAnalysis()
    const otherDir = tempDir()
    await writeReport({ ...other, groups: other.groups.slice(1) }, otherDir)
    const otherPage = await browser.context.newPage()
    await openReport(otherPage, join(otherDir, "report.html"))
    expect(await otherPage.locator("#cards .card").count()).toBe(11)
    expect((await statuses(otherPage)).filter(([, s]) => s !== "")).toEqual([])
    await otherPage.close()
    expect(browser.errors).toEqual([])

    // Import into a fresh copy of the page, in a fresh profile.
    const fresh = await launch()
    try {
      const copy = tempDir()
      await writeRealisticReport(copy)
      await openReport(fresh.page, join(copy, "report.html"))
      expect((await statuses(fresh.page)).filter(([, s]) => s !== "")).toEqual([])
      await fresh.page.setInputFiles("#import-file", file)
      await expect
        .poll(() => fresh.page.locator("#decide-status").textContent())
        .toBe("Imported 4 decisions.")
      expect((await statuses(fresh.page)).slice(0, 5)).toEqual(EXPECTED_STATUSES)
      expect((await exportFile(fresh.page)).json.groups).toEqual(EXPECTED_GROUPS)
      expect(fresh.errors).toEqual([])
    } finally {
      await fresh.close()
    }
  })

  it("offers the decisions made on an earlier report of the same album after the report is made again", async () => {
    const dir = tempDir()
    const { html } = await writeRealisticReport(dir)
    const { page } = browser
    browser.errors.length = 0
    await openFresh(page, html)
    await member(page, "g-1a2b3c", 1).getByRole("button", { name: "Keep" }).click()
    await member(page, "g-1a2b3c", 0).getByRole("button", { name: "Discard" }).click()
    await card(page, "g-7a8b9c").getByRole("button", { name: "Not duplicates" }).click()
    const badges = (group: string) =>
      card(page, group)
        .locator(".member")
        .evaluateAll((tiles) =>
          tiles.map((t) => [t.querySelector(".aid")?.textContent, t.querySelector(".badge")?.textContent])
        )
    const before = await badges("g-1a2b3c")

    // The report made again (another time, so another identity), its first group's members in another order.
    const { analysis } = realisticAnalysis()
    const metadata = await Effect.runPromise(
      Metadata.make({
        sources: [{ kind: "file", path: "album.json" }],
        env: { SOURCE_DATE_EPOCH: "1795755600" }
      })
    )
    const reordered = analysis.groups.map((g) =>
      g.id === "g-1a2b3c" ? { ...g, members: [...g.members].reverse() } : g
    )
    await writeReport({ ...analysis, groups: reordered }, dir, { metadata })
    await page.reload()
    await page.waitForSelector("html[data-ready=true]")
    expect((await statuses(page)).filter(([, s]) => s !== "")).toEqual([])
    expect(await page.locator("#decide-status").textContent()).toBe(
      "This browser kept your decisions on 2 groups of an earlier report of this album. Restore them"
    )
    await page.locator("#decide-status").getByRole("button", { name: "Restore them" }).click()
    expect(await page.locator("#decide-status").textContent()).toBe("Restored 2 decisions.")
    expect((await statuses(page)).filter(([, s]) => s !== "").map(([g, s]) => [g, s])).toEqual([
      ["g-1a2b3c", "changed from suggestion"],
      ["g-7a8b9c", "not duplicates"]
    ])
    // Each asset keeps its own decision, whatever its place in the group.
    expect(await badges("g-1a2b3c")).not.toEqual(before)
    expect(new Set(await badges("g-1a2b3c"))).toEqual(new Set(before))
    // Kept over a reload, under the new report.
    await page.reload()
    await page.waitForSelector("html[data-ready=true]")
    expect((await statuses(page)).filter(([, s]) => s !== "").length).toBe(2)
    expect(await page.locator("#decide-status").textContent()).toBe("")
    expect(browser.errors).toEqual([])
    await page.evaluate(() => localStorage.clear())
  })

  it("says what each choice does on the server, and that the page itself changes nothing there", async () => {
    const dir = tempDir()
    const { html } = await writeRealisticReport(dir)
    const { page } = browser
    await openFresh(page, html)
    const note = page.locator("#decisions details.server-note")
    expect(await note.locator("summary").textContent()).toBe("What these choices do on your server")
    await note.locator("summary").click()
    const text = (await note.textContent()) ?? ""
    expect(text).toContain("Nothing changes on your server from this page.")
    expect(text).toContain("albumsift apply --report")
    expect(text).toContain("Review members are never touched")
    expect(text).toContain("Not duplicates")
    expect(
      await member(page, "g-1a2b3c", 0).getByRole("button", { name: "Discard" }).getAttribute("title")
    ).toBe("Discard this (key 1 flips it): albumsift apply trashes it or removes it from the album")
  })

  it("accepts suggestions in bulk, leaving groups with members to review, and undoes it", async () => {
    const dir = tempDir()
    const { html } = await writeRealisticReport(dir)
    const { page } = browser
    await openFresh(page, html)
    await page.getByRole("button", { name: "Accept all exact-copy groups" }).click()
    expect(await page.locator("#decide-status").textContent()).toBe("Accepted 4 groups. Undo")
    await page.locator('#filter-kind label:has(input[value="near"])').click()
    await page.getByRole("button", { name: "Accept suggestions in view" }).click()
    expect(await page.locator("#decide-status").textContent()).toBe(
      "Accepted 6 groups; 2 groups with members to review left for you. Undo"
    )
    await page.locator('#filter-kind label:has(input[value="all"])').click()
    await page.selectOption("#filter-progress", "undecided")
    expect((await statuses(page)).map(([g]) => g)).toEqual(["g-1a2b3c", "g-0c1d2e"])
    await page.locator("#decide-status").getByRole("button", { name: "Undo" }).click()
    await page.selectOption("#filter-progress", "decided")
    expect(await page.locator("#cards .card").count()).toBe(4)
    expect(new Set(await page.locator("#cards .kind").allTextContents())).toEqual(new Set(["Exact copies"]))
    await page.evaluate(() => localStorage.clear())
  })

  it("compares members side by side, steps with the arrows and keeps or discards with k and d", async () => {
    const dir = tempDir()
    const { html } = await writeRealisticReport(dir)
    const { page } = browser
    browser.errors.length = 0
    await openFresh(page, html)
    await card(page, "g-1a2b3c").getByRole("button", { name: "Compare" }).click()
    const view = page.locator("#compare")
    expect(await view.isVisible()).toBe(true)
    expect(await view.locator(".cmp-cell").count()).toBe(4)
    await expect
      .poll(() =>
        view.locator("img").evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0))
      )
      .toBe(true)
    // Larger than the card thumbnails (about 250 px): the screen is shared by four members only.
    const widths = await view
      .locator("img")
      .evaluateAll((imgs) => imgs.map((i) => i.getBoundingClientRect().width))
    for (const width of widths) expect(width).toBeGreaterThan(300)
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("d")
    expect(await view.locator(".cmp-cell.focus .pill").textContent()).toBe("Discard")
    await page.keyboard.press("ArrowLeft")
    await page.keyboard.press("ArrowLeft")
    expect(await view.locator(".cmp-cell.focus").getAttribute("data-member")).toBe("3")
    await page.keyboard.press("k")
    expect(await view.locator(".cmp-cell.focus .pill").textContent()).toBe("Keep")
    // Tab stays inside the view (it is modal).
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press(i % 3 === 2 ? "Shift+Tab" : "Tab")
      expect(await page.evaluate(() => document.activeElement?.closest("#compare") !== null)).toBe(true)
    }
    await page.keyboard.press("Escape")
    expect(await view.isVisible()).toBe(false)
    expect(await member(page, "g-1a2b3c", 1).locator(".badge").textContent()).toBe("Discard")
    expect(await member(page, "g-1a2b3c", 3).locator(".badge").textContent()).toBe("Keep")
    expect(await card(page, "g-1a2b3c").locator(".status").textContent()).toBe("changed from suggestion")
    await card(page, "g-1a2b3c").getByRole("button", { name: "Clear" }).click()
    expect(await card(page, "g-1a2b3c").locator(".status").count()).toBe(0)
    // A companion (the RAW beside its JPEG) follows its still and has no buttons of its own.
    expect(await member(page, "g-7a8b9c", 1).locator(".idline").textContent()).toContain("follows its still")
    await member(page, "g-7a8b9c", 0).getByRole("button", { name: "Discard" }).click()
    await member(page, "g-7a8b9c", 2).getByRole("button", { name: "Keep" }).click()
    expect(await card(page, "g-7a8b9c").locator(".badge").allTextContents()).toEqual([
      "Discard",
      "Discard",
      "Keep"
    ])
    await card(page, "g-7a8b9c").getByRole("button", { name: "Clear" }).click()
    expect(browser.errors).toEqual([])
  })

  it("finds asset ids, people and cameras, shows ids to copy and links members to their Immich page", async () => {
    const { analysis } = realisticAnalysis()
    const dir = tempDir()
    const metadata = await Effect.runPromise(
      Metadata.make({
        sources: [{ kind: "api", server: "immich", baseUrl: "http://127.0.0.1:2283/api", albums: ["Trip"] }],
        env: { SOURCE_DATE_EPOCH: "1795669200" }
      })
    )
    await writeReport(analysis, dir, { metadata })
    const { page } = browser
    await openReport(page, join(dir, "report.html"))
    const search = async (text: string) => {
      await page.fill("#search", text)
      await page.press("#search", "Enter")
      return (await statuses(page)).map(([g]) => g)
    }
    expect(await search("asset_g-a4cd7_1")).toEqual(["g-a4cd7"])
    const withAsset = (test: (a: (typeof analysis.assets)[number]) => boolean) =>
      analysis.groups
        .filter((g) =>
          g.members.some((m) => test(analysis.assets.find((a) => a.id === m.assetId) ?? analysis.assets[0]!))
        )
        .map((g) => g.id)
    expect(await search("marta")).toEqual(withAsset((a) => a.people.includes("Marta")))
    expect(await search("NIKON Z 6")).toEqual(withAsset((a) => a.camera?.startsWith("NIKON Z 6") === true))
    expect(await search("NIKON Z 6")).toEqual(["g-4d5e6f"])
    const first = member(page, "g-4d5e6f", 0)
    expect(await first.locator(".aid").textContent()).toBe("asset_g-4d5e6f_0")
    expect(await first.locator(".aid").getAttribute("title")).toContain("asset_g-4d5e6f_0")
    expect(await first.locator(".server-link").getAttribute("href")).toBe(
      "http://127.0.0.1:2283/photos/asset_g-4d5e6f_0"
    )
  })

  it("never runs a hostile id or name, in the page, in the exported file or from an imported one", async () => {
    const dir = tempDir()
    await writeReport(hostileAnalysis(), dir)
    const { page } = browser
    browser.errors.length = 0
    await page.addInitScript(() => {
      delete (window as unknown as { __xss?: number }).__xss
    })
    await openFresh(page, join(dir, "report.html"))
    const longId = hostileAnalysis().groups[0]?.members[0]?.assetId ?? ""
    expect(await page.locator(".member .aid").first().textContent()).toBe(
      `${longId.slice(0, 10)}…${longId.slice(-4)}`
    )
    await page.getByRole("button", { name: "Compare" }).click()
    await page.keyboard.press("k")
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("d")
    await page.keyboard.press("Escape")
    await page.locator(".member").nth(2).getByRole("button", { name: "Keep" }).click()
    await page.locator(".member").nth(4).getByRole("button", { name: "Discard" }).click()
    const exported = await exportFile(page)
    const ids = hostileAnalysis().groups[0]?.members.map((m) => m.assetId)
    expect(exported.json.groups).toEqual([{ members: ids, keep: [ids?.[0], ids?.[2]] }])
    expect(readFileSync(exported.path, "utf8")).toContain(JSON.stringify(PAYLOADS[1]).slice(1, -1))

    // Import it into a fresh copy, plus a file whose unknown ids and error are payloads too.
    const fresh = await launch()
    try {
      await fresh.page.addInitScript(() => {
        delete (window as unknown as { __xss?: number }).__xss
      })
      await openReport(fresh.page, join(dir, "report.html"))
      await fresh.page.setInputFiles("#import-file", exported.path)
      await expect.poll(() => fresh.page.locator("#decide-status").textContent()).toBe("Imported 1 decision.")
      expect(await fresh.page.locator(".status").textContent()).toBe("changed from suggestion")
      const hostile = join(tempDir(), "hostile.json")
      writeFileSync(
        hostile,
        JSON.stringify({
          schema_version: 1,
          groups: [
            { members: [...PAYLOADS], keep: [PAYLOADS[0]] },
            { members: [PAYLOADS[2]], keep: [PAYLOADS[4]] }
          ]
        })
      )
      await fresh.page.setInputFiles("#import-file", hostile)
      await expect
        .poll(() => fresh.page.locator("#decide-status").textContent())
        .toBe("Not imported: groups[1].keep names an id not in its members.")
      await fresh.page.waitForTimeout(300)
      for (const p of [page, fresh.page]) {
        expect(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
        expect(
          await p.evaluate(
            () => document.querySelectorAll("iframe, svg[onload], [onerror], [onload], object, embed").length
          )
        ).toBe(0)
      }
      expect(fresh.errors.filter((e) => !e.startsWith("Failed to load resource"))).toEqual([])
    } finally {
      await fresh.close()
    }
    expect(browser.errors.filter((e) => !e.startsWith("Failed to load resource"))).toEqual([])
    await page.evaluate(() => localStorage.clear())
  })

  it("carries on a decision from the decisions file when a new copy to review joined its group", async () => {
    const cwd = tempDir()
    const env = { SOURCE_DATE_EPOCH: "1795669200" }
    expect((await runCli(["demo", "--quiet"], { cwd, env })).code).toBe(0)
    type Member = { asset_id: string; shot_id: string; recommendation: string }
    type Group = { id: string; kind: string; decided_by: string; members: Array<Member> }
    const first = JSON.parse(readFileSync(join(cwd, "albumsift-report", "report.json"), "utf8"))
      .groups as Array<Group>
    // A burst of stills only; the reviewer saw it without its best frame, and kept its last one.
    const burst = first.find(
      (g) =>
        g.kind === "near" &&
        g.members.length >= 3 &&
        g.members.every((m) => m.asset_id === m.shot_id && m.recommendation !== "review")
    )!
    const ids = burst.members.map((m) => m.asset_id)
    const chosen = ids.at(-1) as string
    writeFileSync(
      join(cwd, "decisions.json"),
      JSON.stringify({ schema_version: 1, groups: [{ members: ids.slice(1), keep: [chosen] }] })
    )
    const again = await runCli(["demo", "--decisions", "decisions.json", "--out", "again", "--quiet"], {
      cwd,
      env
    })
    expect(again.code).toBe(0)
    const group = (
      JSON.parse(readFileSync(join(cwd, "again", "report.json"), "utf8")).groups as Array<Group>
    ).find((g) => g.members.some((m) => m.asset_id === chosen))!
    expect(group.decided_by).toBe("you")
    const review = group.members.filter((m) => m.recommendation === "review").map((m) => m.asset_id)
    expect(review).toEqual([ids[0]])

    const { page } = browser
    await openFresh(page, join(cwd, "again", "report.html"))
    const exported = await exportFile(page)
    // The reviewer's keeper is carried on, and the new copy is kept until reviewed (never discarded).
    expect(exported.json.groups).toContainEqual({
      members: group.members.map((m) => m.asset_id),
      keep: group.members.filter((m) => m.recommendation !== "discard").map((m) => m.asset_id)
    })
    expect(await page.locator("#decide-status").textContent()).toBe(
      "Exported; 1 group you changed with members still to review: those members kept."
    )
    await page.evaluate(() => localStorage.clear())
  })

  it("round-trips the demo: decisions made in the page are honoured by `albumsift demo --decisions`", async () => {
    const cwd = tempDir()
    const env = { SOURCE_DATE_EPOCH: "1795669200" }
    expect((await runCli(["demo", "--quiet"], { cwd, env })).code).toBe(0)
    const { page } = browser
    browser.errors.length = 0
    await openFresh(page, join(cwd, "albumsift-report", "report.html"))
    // First group: keep the runner-up instead of the keeper. Second group: not duplicates.
    const cards = page.locator("#cards .card")
    const first = (await cards.nth(0).getAttribute("data-group")) as string
    const second = (await cards.nth(1).getAttribute("data-group")) as string
    await member(page, first, 1).getByRole("button", { name: "Keep" }).click()
    await member(page, first, 0).getByRole("button", { name: "Discard" }).click()
    await card(page, second).getByRole("button", { name: "Not duplicates" }).click()
    const exported = await exportFile(page)
    writeFileSync(join(cwd, "decisions.json"), readFileSync(exported.path))
    const [decided, notDuplicates] = exported.json.groups as [
      { members: Array<string>; keep: Array<string> },
      { members: Array<string> }
    ]

    const r = await runCli(["demo", "--decisions", "decisions.json", "--out", "again", "--quiet"], {
      cwd,
      env
    })
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    const report = JSON.parse(readFileSync(join(cwd, "again", "report.json"), "utf8"))
    type Group = {
      decided_by: string
      members: Array<{ asset_id: string; recommendation: string; reasons: Array<string> }>
    }
    const groupOf = (id: string) =>
      (report.groups as Array<Group>).find((g) => g.members.some((m) => m.asset_id === id))
    const honoured = groupOf(decided.keep[0] as string)
    expect(honoured?.decided_by).toBe("you")
    expect(
      honoured?.members
        .filter((m) => m.recommendation === "keep")
        .map((m) => m.asset_id)
        .sort()
    ).toEqual([...decided.keep].sort())
    // The not-duplicates members are never grouped with each other again.
    const together = notDuplicates.members.map((id) => groupOf(id)).filter((g) => g !== undefined)
    expect(new Set(together).size).toBe(together.length)
    expect(report.summary.decisions.applied).toBe(2)

    // The new page starts with that group decided, and exporting again carries the decision on.
    await openFresh(page, join(cwd, "again", "report.html"))
    const id = (report.groups as Array<Group & { id: string }>).find((g) => g === honoured)?.id as string
    expect(await card(page, id).locator(".status").allTextContents()).toEqual([
      "decided",
      "from your decisions file"
    ])
    const again = await exportFile(page)
    expect(again.json.groups).toContainEqual({
      members: honoured?.members.map((m) => m.asset_id),
      keep: honoured?.members.filter((m) => m.recommendation === "keep").map((m) => m.asset_id)
    })
    expect(browser.errors).toEqual([])
  })
})
