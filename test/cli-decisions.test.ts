/**
 * End-to-end: `albumsift report|demo --decisions <file>`, the built binary on the bundled sample.
 * Decisions are taken from a first, undecided report (as a reviewer would), then honoured.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parse as parseCsv } from "csv-parse/sync"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { runCli, SAMPLE } from "./support/runCli.js"

interface JsonMember {
  asset_id: string
  shot_id: string
  recommendation: string
  reasons: Array<string>
}
interface JsonGroup {
  id: string
  evidence: Array<string>
  keeper: string
  decided_by: string
  notes: Array<string>
  members: Array<JsonMember>
}

const EPOCH = { SOURCE_DATE_EPOCH: "1795669200" }
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"))
const readCsv = (path: string): Array<Record<string, string>> =>
  parseCsv(readFileSync(path, "utf8"), { columns: true, bom: true })
const ids = (g: JsonGroup) => g.members.map((m) => m.asset_id)
const sameSet = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) =>
  a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n")
/** The assets of a member's shot (a still with its companions). */
const shotOf = (g: JsonGroup, m: JsonMember) =>
  g.members.filter((x) => x.shot_id === m.shot_id).map((x) => x.asset_id)

describe("albumsift --decisions", () => {
  let cwd: string
  let before: { groups: Array<JsonGroup> }
  // The reviewer's picks: the lowest-ranked shot as keeper in two groups, one group not duplicates.
  let picked: { apart: JsonGroup; changed: Array<{ group: JsonGroup; keep: Array<string> }> }

  // One folder for the whole file: the later runs read the first report and the decisions file.
  afterAll(() => rmSync(cwd, { recursive: true, force: true }))
  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), "albumsift-e2e-"))
    const r = await runCli(["demo", "--out", "before", "--format", "json,csv", "--quiet"], {
      cwd,
      env: EPOCH
    })
    expect(r.code).toBe(0)
    before = readJson(join(cwd, "before/report.json"))
    const apart = before.groups.find((g) => g.evidence.join() === "capture_time" && g.members.length >= 3)!
    const changed = before.groups
      .filter((g) => g !== apart && new Set(g.members.map((m) => m.shot_id)).size >= 2)
      .slice(0, 2)
      .map((group) => ({ group, keep: shotOf(group, group.members.at(-1)!) }))
    picked = { apart, changed }
    const decisions = {
      schema_version: 1,
      tool: "albumsift",
      decided_at: "2026-11-30T10:00:00.000Z",
      groups: [
        ...changed.map(({ group, keep }) => ({ members: ids(group).reverse(), keep })),
        { members: ids(apart), not_duplicates: true, state: "an unknown field" }
      ]
    }
    writeFileSync(join(cwd, "d.json"), JSON.stringify(decisions, null, 2))
  })

  const expectHonoured = (out: string) => {
    const report = readJson(join(cwd, out, "report.json"))
    const groups: Array<JsonGroup> = report.groups
    for (const { group, keep } of picked.changed) {
      const now = groups.find((g) => sameSet(ids(g), ids(group)))!
      expect(now.decided_by).toBe("you")
      expect(keep).toContain(now.keeper)
      expect(now.keeper).not.toBe(group.keeper)
      for (const m of now.members) {
        expect(m.recommendation).toBe(keep.includes(m.asset_id) ? "keep" : "discard")
        expect(m.reasons[0]).toBe("your choice") // companions add that they follow their shot
      }
    }
    // The not-duplicates are in no group together.
    const apart = new Set(ids(picked.apart))
    for (const g of groups) expect(ids(g).filter((id) => apart.has(id)).length).toBeLessThan(2)
    expect(groups.filter((g) => g.decided_by === "you")).toHaveLength(2)
    expect(report.summary.decisions).toEqual({
      given: 3,
      applied: 3,
      settled: 0,
      stale: 0,
      decided_groups: 2
    })
    expect(report.stale_decisions).toEqual([])
    expect(report.options.decisions).toBe("d.json")
    // report.csv says the same, row by row.
    const rows = readCsv(join(cwd, out, "report.csv"))
    for (const { group, keep } of picked.changed) {
      for (const id of ids(group)) {
        const row = rows.find((r) => r.asset_id === id)!
        expect(row.decided_by).toBe("you")
        expect(row.recommendation).toBe(keep.includes(id) ? "keep" : "discard")
        expect(row.reasons?.split(";")[0]).toBe("your choice")
      }
    }
    expect(rows.filter((r) => r.group_id !== "" && r.decided_by === "suggested").length).toBeGreaterThan(0)
    return report
  }

  it("demo --decisions shows the choices as decided and does not regroup the not-duplicates", async () => {
    const r = await runCli(["demo", "--out", "demo", "--format", "json,csv", "--decisions", "d.json"], {
      cwd,
      env: EPOCH
    })
    expect(r.stderr).toMatch(/^albumsift: 4 input items rejected [^\n]*\n$/) // the sample's deliberate bad items
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("Your decisions: 3 applied (2 groups decided), 0 settled, 0 stale.")
    expectHonoured("demo")
  })

  it("report --input <sample> --decisions gives byte-identical files under SOURCE_DATE_EPOCH", async () => {
    const args = (out: string) => [
      "report",
      "--input",
      SAMPLE,
      "--out",
      out,
      "--decisions",
      "d.json",
      "--quiet"
    ]
    const [a, b] = await Promise.all([
      runCli(args("a"), { cwd, env: EPOCH }),
      runCli(args("b"), { cwd, env: EPOCH })
    ])
    expect([a.code, b.code]).toEqual([0, 0])
    expectHonoured("a")
    // The page gets the same reasons (its deciding UI reads them).
    expect(readFileSync(join(cwd, "a/report.html"), "utf8")).toContain("your choice")
    for (const file of ["report.json", "report.csv", "report.html"]) {
      expect(readFileSync(join(cwd, "b", file)).equals(readFileSync(join(cwd, "a", file)))).toBe(true)
    }
  })

  it("an edited report.csv works as decisions: resolved groups are decided", async () => {
    const { group, keep } = picked.changed[0]!
    const rows = readCsv(join(cwd, "before/report.csv"))
    const header = Object.keys(rows[0]!)
    const edited = rows.map((row) => {
      if (!ids(group).includes(row.asset_id!)) return row
      return { ...row, recommendation: keep.includes(row.asset_id!) ? "keep" : "discard" }
    })
    const text = [header, ...edited.map((row) => header.map((h) => row[h] ?? ""))]
      .map((cells) => cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(";"))
      .join("\r\n")
    writeFileSync(join(cwd, "edited.csv"), `\uFEFF${text}\r\n`)
    const r = await runCli(
      ["report", "--input", SAMPLE, "--out", "csv", "--decisions", "edited.csv", "--quiet"],
      {
        cwd
      }
    )
    expect(r.code).toBe(0)
    const report = readJson(join(cwd, "csv/report.json"))
    const now: JsonGroup = report.groups.find((g: JsonGroup) => sameSet(ids(g), ids(group)))
    expect(now.decided_by).toBe("you")
    expect(keep).toContain(now.keeper)
    // Every group without a review left became a decision; the others stayed suggestions.
    const resolved = before.groups.filter(
      (g) => g === group || g.members.every((m) => m.recommendation !== "review")
    ).length
    expect(report.summary.decisions.given).toBe(resolved)
    expect(report.summary.decisions.stale).toBe(0)
  })

  it("lists a stale decision in the summary and report.json", async () => {
    const d = {
      schema_version: 1,
      groups: [{ members: ["asset_gone_1", "asset_gone_2"], keep: ["asset_gone_1"] }]
    }
    writeFileSync(join(cwd, "stale.json"), JSON.stringify(d))
    const r = await runCli(["demo", "--out", "stale", "--format", "json", "--decisions", "stale.json"], {
      cwd
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      '0 applied (0 groups decided), 0 settled, 1 stale (listed under "stale_decisions"'
    )
    const report = readJson(join(cwd, "stale/report.json"))
    expect(report.stale_decisions).toEqual([{ ...d.groups[0], reason: "all members are gone" }])
    expect(report.summary.decisions.stale).toBe(1)
  })

  it("a bad decisions file is one line naming the file and the entry, exit 1, and nothing written", async () => {
    const d = {
      schema_version: 1,
      groups: [
        { members: ["a", "b"], keep: ["a"] },
        { members: ["c", "d"], keep: ["x"] }
      ]
    }
    writeFileSync(join(cwd, "bad.json"), JSON.stringify(d))
    const r = await runCli(["demo", "--out", "bad", "--decisions", "bad.json"], { cwd })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('albumsift: bad.json: groups[1].keep: keep id "x" is not in members\n')
    const missing = await runCli(["demo", "--out", "bad", "--decisions", "nope.json"], { cwd })
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^albumsift: nope\.json: cannot read the file: .*\n$/)
    expect(existsSync(join(cwd, "bad"))).toBe(false)
  })
})
