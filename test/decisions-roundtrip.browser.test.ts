/// <reference lib="dom" />
/**
 * The whole decisions round trip on a library served by the stateful loopback Gumnut server: report
 * → decide in report.html (real Chromium, file://) → export decisions.json → `albumsift apply
 * --decisions` dry run plans exactly what the page showed, and `albumsift report --decisions` shows it.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  ALBUM_A,
  ALBUM_B,
  albums,
  burstBest,
  burstOther,
  ENV as env,
  idOf,
  KEY,
  mergeCopy,
  mergeKeeper,
  plainCopy,
  plainKeeper,
  reviewCopy
} from "./support/applyLibrary.js"
import { type Browser, launch, openReport } from "./support/browser.js"
import { startGumnutServer } from "./support/gumnutServer.js"
import { runCli, tempDir } from "./support/runCli.js"

/** What one card shows: its state badge and each member's asset id and keep/discard/review. */
interface ShownCard {
  readonly status: string
  readonly members: ReadonlyArray<{ readonly id: string; readonly state: string }>
}

const shownCards = (page: Page): Promise<Array<ShownCard>> =>
  page.locator("#cards .card").evaluateAll((cards) =>
    cards.map((card) => ({
      status: card.querySelector(".status")?.textContent ?? "",
      members: [...card.querySelectorAll(".member")].map((tile) => ({
        id: (tile.querySelector("button.aid")?.getAttribute("aria-label") ?? "").replace(
          "Copy asset id ",
          ""
        ),
        state: ["keep", "discard", "review"].find((s) => tile.classList.contains(`rec-${s}`)) ?? ""
      }))
    }))
  )

const cardOf = (page: Page, assetId: string) =>
  page.locator("#cards .card", { has: page.locator(`button[aria-label="Copy asset id ${assetId}"]`) })
const tileOf = (page: Page, assetId: string) =>
  page.locator("#cards .member", { has: page.locator(`button[aria-label="Copy asset id ${assetId}"]`) })

let browser: Browser
beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

describe("decisions round trip: page → decisions.json → apply and report", () => {
  it("apply --decisions (dry run) plans exactly what the page showed; report --decisions shows it", async () => {
    const server = await startGumnutServer({ key: KEY, albums: albums(), style: "cursor" })
    try {
      const cwd = tempDir()
      const report = (out: string, ...more: Array<string>) =>
        runCli(
          [
            "report",
            "--album",
            ALBUM_A,
            "--album",
            ALBUM_B,
            "--base-url",
            server.url,
            "--out",
            out,
            "--quiet"
          ].concat(more),
          { cwd, env }
        )
      expect((await report("before", "--format", "json,html")).code).toBe(0)

      const { page } = browser
      await openReport(page, join(cwd, "before", "report.html"))
      await page.evaluate(() => localStorage.clear())
      await page.reload()
      await page.waitForSelector("html[data-ready=true]")
      browser.errors.length = 0

      // Two keepers changed (the burst's weaker frame, the later plain copy), one group not duplicates.
      await tileOf(page, idOf(burstOther)).getByRole("button", { name: "Keep" }).click()
      await tileOf(page, idOf(burstBest)).getByRole("button", { name: "Discard" }).click()
      await tileOf(page, idOf(plainCopy)).getByRole("button", { name: "Keep" }).click()
      await tileOf(page, idOf(plainKeeper)).getByRole("button", { name: "Discard" }).click()
      await cardOf(page, idOf(reviewCopy)).getByRole("button", { name: "Not duplicates" }).click()
      const shown = await shownCards(page)
      expect(shown.map((c) => c.status).sort()).toEqual([
        "",
        "changed from suggestion",
        "changed from suggestion",
        "not duplicates"
      ])

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export decisions" }).click()
      ])
      writeFileSync(join(cwd, "decisions.json"), readFileSync((await download.path()) as string))
      expect(browser.errors.filter((e) => !e.startsWith("Failed to load resource"))).toEqual([])

      // What the page showed, as a plan: every shown discard outside not-duplicates cards is a target.
      const acting = shown.filter((c) => c.status !== "not duplicates")
      const discards = acting.flatMap((c) => c.members.filter((m) => m.state === "discard").map((m) => m.id))
      const keeps = new Set(
        acting.flatMap((c) => c.members.filter((m) => m.state === "keep").map((m) => m.id))
      )
      expect(discards).toContain(idOf(mergeCopy)) // the undecided group follows the suggestion
      expect(discards).toEqual(expect.arrayContaining([idOf(burstBest), idOf(plainKeeper)]))

      const sentBefore = server.requests.length
      const dry = await runCli(
        [
          "apply",
          "--report",
          "before",
          "--action",
          "trash",
          "--groups",
          "all",
          "--decisions",
          "decisions.json",
          "--json"
        ],
        { cwd, env }
      )
      expect(dry.stderr).toBe("")
      expect(dry.code).toBe(0)
      const plan = JSON.parse(dry.stdout) as {
        dry_run: boolean
        groups: Array<{ keeper: string; targets: Array<string> }>
      }
      expect(plan.dry_run).toBe(true)
      expect(plan.groups.flatMap((g) => g.targets).sort()).toEqual([...discards].sort())
      for (const g of plan.groups) expect(keeps.has(g.keeper)).toBe(true)
      expect(server.mutations()).toEqual([])
      expect(server.requests.slice(sentBefore).every((r) => r.method === "GET")).toBe(true)

      // The next report honours the same choices: decided groups as the page showed them, and the
      // not-duplicates never grouped with each other again.
      expect((await report("after", "--format", "json", "--decisions", "decisions.json")).code).toBe(0)
      const after = JSON.parse(readFileSync(join(cwd, "after", "report.json"), "utf8")) as {
        groups: Array<{ decided_by: string; members: Array<{ asset_id: string; recommendation: string }> }>
      }
      const stateAfter = new Map(
        after.groups.flatMap((g) =>
          g.members.map((m) => [m.asset_id, [m.recommendation, g.decided_by]] as const)
        )
      )
      for (const card of shown.filter((c) => c.status === "changed from suggestion")) {
        for (const m of card.members) expect(stateAfter.get(m.id)).toEqual([m.state, "you"])
      }
      const apart = shown.find((c) => c.status === "not duplicates")!.members.map((m) => m.id)
      const groupsOfApart = apart.map((id) =>
        after.groups.findIndex((g) => g.members.some((m) => m.asset_id === id))
      )
      expect(groupsOfApart.filter((g) => g >= 0).length).toBe(
        new Set(groupsOfApart.filter((g) => g >= 0)).size
      )
    } finally {
      await server.close()
    }
  })
})

describe("decisions round trip: what a discard loses", () => {
  it("says what discarding the suggested keeper loses that no merge carries (people, faces)", async () => {
    const server = await startGumnutServer({ key: KEY, albums: albums(), style: "cursor" })
    try {
      const cwd = tempDir()
      const made = await runCli(
        ["report", "--album", ALBUM_A, "--album", ALBUM_B, "--base-url", server.url, "--out", "r", "--quiet"],
        { cwd, env }
      )
      expect(made.code).toBe(0)
      const { page } = browser
      await openReport(page, join(cwd, "r", "report.html"))
      await page.evaluate(() => localStorage.clear())
      await page.reload()
      await page.waitForSelector("html[data-ready=true]")
      // The keeper shows Ben and a face; its copy has neither. Keep the copy instead.
      expect(await tileOf(page, idOf(mergeKeeper)).locator(".lose").count()).toBe(0)
      await tileOf(page, idOf(mergeCopy)).getByRole("button", { name: "Keep" }).click()
      await tileOf(page, idOf(mergeKeeper)).getByRole("button", { name: "Discard" }).click()
      expect(await tileOf(page, idOf(mergeKeeper)).locator(".lose").textContent()).toBe(
        "Discarding loses: people: Ben, faces (no kept copy has them; a merge cannot carry them)"
      )
      // Kept again, nothing is lost.
      await tileOf(page, idOf(mergeKeeper)).getByRole("button", { name: "Keep" }).click()
      expect(await tileOf(page, idOf(mergeKeeper)).locator(".lose").count()).toBe(0)
    } finally {
      await server.close()
    }
  })
})

describe("decisions round trip: a group left with members to review", () => {
  it("never plans a discard of a copy the page shows kept, when the reviewer kept a copy but left a member to review", async () => {
    const sample = (
      JSON.parse(
        readFileSync(join(import.meta.dirname, "../packages/cli/sample/album.json"), "utf8")
      ) as Array<unknown>
    ).filter((x) => typeof (x as { id?: unknown } | null)?.id === "string")
    const server = await startGumnutServer({
      key: KEY,
      albums: { [ALBUM_A]: sample as never },
      style: "cursor"
    })
    try {
      const cwd = tempDir()
      const made = await runCli(
        [
          "report",
          "--album",
          ALBUM_A,
          "--base-url",
          server.url,
          "--out",
          "r",
          "--format",
          "json,html",
          "--quiet"
        ],
        { cwd, env }
      )
      expect(made.code).toBe(0)
      type Group = {
        id: string
        members: Array<{ asset_id: string; shot_id: string; recommendation: string }>
      }
      const groups = JSON.parse(readFileSync(join(cwd, "r", "report.json"), "utf8")).groups as Array<Group>
      // A group with a member to review and a discarded still: keep that still, leave the review.
      const group = groups.find(
        (g) =>
          g.members.some((m) => m.recommendation === "review") &&
          g.members.some((m) => m.recommendation === "discard" && m.asset_id === m.shot_id)
      )!
      const rescued = group.members.find((m) => m.recommendation === "discard" && m.asset_id === m.shot_id)!

      const { page } = browser
      await openReport(page, join(cwd, "r", "report.html"))
      await page.evaluate(() => localStorage.clear())
      await page.reload()
      await page.waitForSelector("html[data-ready=true]")
      await page.fill("#search", rescued.asset_id)
      await page.press("#search", "Enter")
      await tileOf(page, rescued.asset_id).getByRole("button", { name: "Keep" }).click()
      const [shown] = await shownCards(page)
      expect(shown?.members.find((m) => m.id === rescued.asset_id)?.state).toBe("keep")
      expect(shown?.members.some((m) => m.state === "review")).toBe(true)
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export decisions" }).click()
      ])
      writeFileSync(join(cwd, "decisions.json"), readFileSync((await download.path()) as string))
      expect(await page.locator("#decide-status").textContent()).toBe(
        "Exported; 1 group you changed with members still to review: those members kept."
      )

      const dry = await runCli(
        [
          "apply",
          "--report",
          "r",
          "--action",
          "trash",
          "--groups",
          "all",
          "--decisions",
          "decisions.json",
          "--json"
        ],
        { cwd, env }
      )
      expect(dry.code).toBe(0)
      const plan = JSON.parse(dry.stdout) as { groups: Array<{ id: string; targets: Array<string> }> }
      const targets = plan.groups.find((g) => g.id === group.id)?.targets ?? []
      // Only what the card shows as Discard: not the copy kept, not the members left to review.
      const discards = shown!.members.filter((m) => m.state === "discard").map((m) => m.id)
      expect(targets).not.toContain(rescued.asset_id)
      for (const id of targets) expect(discards).toContain(id)
    } finally {
      await server.close()
    }
  })
})
