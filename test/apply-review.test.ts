/**
 * End-to-end (review findings): a rerun resumes a `pending` trash only for what passes the same
 * server check as any other change, so a group whose keeper went away meanwhile keeps its copy.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { ENV, idOf, KEY, plainCopy, plainKeeper, reportedGumnut } from "./support/applyLibrary.js"
import { runCli } from "./support/runCli.js"

describe("apply: resume re-checks a pending request (Gumnut, loopback)", () => {
  it("a pending trash whose keeper was trashed meanwhile is not re-sent: the group keeps a live copy", async () => {
    const { server: s, cwd, out } = await reportedGumnut()
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
    const api = report.sources.find((x: { kind: string }) => x.kind === "api")
    // A run that died right after journalling its trash of the plain copy, before sending it.
    const journal = join(cwd, "journal.ndjson")
    const at = "2026-01-01T00:00:00.000Z"
    writeFileSync(
      journal,
      `${[
        {
          type: "run",
          journal_version: 1,
          command: "apply",
          action: "trash",
          server: { source: "gumnut", base_url: api.base_url },
          report: out,
          at
        },
        { type: "pending", seq: 1, op: { kind: "trash", ids: [idOf(plainCopy)] }, at }
      ]
        .map((e) => JSON.stringify(e))
        .join("\n")}\n`
    )
    // Meanwhile the user trashes the keeper of that group.
    const r = await fetch(`${s.url}/api/assets/trash`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ ids: [idOf(plainKeeper)] })
    })
    expect(r.status).toBeLessThan(300)
    expect(s.snapshot().assets[idOf(plainKeeper)]!.trashed).toBe(true)

    const rerun = await runCli(
      ["apply", "--report", out, "--action", "trash", "--yes", "--journal", journal],
      {
        cwd,
        env: ENV
      }
    )
    expect(rerun.stderr).toBe("")
    // The group's last live copy stays.
    expect(s.snapshot().assets[idOf(plainCopy)]!.trashed).toBe(false)
    const trashed = s
      .mutations()
      .filter((m) => m.route === "trash")
      .flatMap((m) => (m.body as { ids: Array<string> }).ids)
    expect(trashed).not.toContain(idOf(plainCopy))
  })
})
