/**
 * Review findings on apply/undo, run in process (short retries) against the stateful loopback
 * servers: each asserts the server's end state, and what undo restores.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { applyInProcess, undoInProcess } from "./support/applyInProcess.js"
import {
  burstOther,
  idOf,
  KEY,
  mergeCopy,
  mergeKeeper,
  plainCopy,
  reportedGumnut,
  reviewCopy,
  reviewKeeper
} from "./support/applyLibrary.js"

const lines = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l))

describe("apply/undo review (Gumnut, loopback, in process)", () => {
  it("a trash the server applied but whose answer never came (retries exhausted) is not journalled failed: a rerun checks it, and undo restores the copies", async () => {
    const { server, cwd, out } = await reportedGumnut()
    const before = server.snapshot()
    const journal = join(cwd, "journal.ndjson")
    // The trash is applied, its answer lost; every check after it finds the server down.
    server.inject({
      route: "trash",
      fault: { kind: "cutAfterApply" },
      after: () => server.inject({ route: "lookup", fault: { kind: "status", status: 503 }, times: 2 })
    })
    const run = await applyInProcess({ url: server.url, key: KEY, report: out, journal })
    expect(run._tag).toBe("Right")
    if (run._tag === "Right") expect(run.right.failed).toHaveLength(1)
    const mid = server.snapshot()
    expect(mid.assets[idOf(mergeCopy)]!.trashed).toBe(true)
    expect(mid.assets[idOf(plainCopy)]!.trashed).toBe(true)
    // The trash may have been made: the journal must not say it failed.
    expect(lines(journal).filter((l) => l.type === "failed")).toEqual([])

    // The server is back: the rerun checks the request, then undo brings everything back.
    const again = await applyInProcess({ url: server.url, key: KEY, report: out, journal })
    expect(again._tag).toBe("Right")
    if (again._tag === "Right") expect(again.right.failed).toEqual([])
    const undo = await undoInProcess({ url: server.url, key: KEY, journal })
    expect(undo._tag).toBe("Right")
    expect(server.snapshot()).toEqual(before)
  })

  it("undo straight after such a run asks for the resume first, and never takes the keeper's merge back while its copy is in the trash", async () => {
    const { server, cwd, out } = await reportedGumnut()
    const journal = join(cwd, "journal.ndjson")
    server.inject({
      route: "trash",
      fault: { kind: "cutAfterApply" },
      after: () => server.inject({ route: "lookup", fault: { kind: "status", status: 503 }, times: 2 })
    })
    await applyInProcess({ url: server.url, key: KEY, report: out, journal })
    const mid = server.snapshot()
    expect(mid.assets[idOf(mergeKeeper)]).toMatchObject({ rating: 4, latitude: 48.137 })
    const undo = await undoInProcess({ url: server.url, key: KEY, journal })
    const after = server.snapshot()
    // Either the undo restored the copy too, or it changed nothing: never the keeper alone.
    if (after.assets[idOf(mergeCopy)]!.trashed) expect(after).toEqual(mid)
    expect(undo._tag).toBe("Left")
  })

  it("trash --no-merge on a look-up answered without metadata: a decided discard carrying a rating and a description is held back, not trashed with them", async () => {
    const { server, cwd, out } = await reportedGumnut({ leanLookup: true })
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
    const members = report.groups
      .find((g: { members: Array<{ asset_id: string }> }) =>
        g.members.some((m) => m.asset_id === idOf(reviewCopy))
      )
      .members.map((m: { asset_id: string }) => m.asset_id)
    const decisions = join(cwd, "decisions.json")
    // Keep the copy that shows Ben: the report's keeper (rating 5, description "x") is the discard.
    writeFileSync(
      decisions,
      JSON.stringify({ schema_version: 1, groups: [{ members, keep: [idOf(reviewCopy)] }] })
    )
    const before = server.snapshot()
    const journal = join(cwd, "journal.ndjson")
    const run = await applyInProcess({
      url: server.url,
      key: KEY,
      report: out,
      journal,
      merge: false,
      decisions
    })
    expect(run._tag).toBe("Right")
    // --no-merge keeps what a discard carries; a look-up that shows none of it cannot tell.
    expect(server.snapshot().assets[idOf(reviewKeeper)]).toMatchObject({ trashed: false, rating: 5 })
    const undo = await undoInProcess({ url: server.url, key: KEY, journal })
    expect(undo._tag).toBe("Right")
    expect(server.snapshot()).toEqual(before)
  })

  it("an edited report giving one keeper two groups: the second group's merge never overwrites what the first gave, nor is a copy trashed with a value the keeper lacks", async () => {
    const { server, cwd, out } = await reportedGumnut()
    const path = join(out, "report.json")
    const report = JSON.parse(readFileSync(path, "utf8"))
    // The merge group's keeper also keeps the burst's weaker frame (rating 1), in a group of its own.
    report.groups.push({
      id: "g-edited",
      kind: "exact",
      keeper: idOf(mergeKeeper),
      members: [
        { asset_id: idOf(mergeKeeper), shot_id: idOf(mergeKeeper), rank: 1, recommendation: "keep" },
        { asset_id: idOf(burstOther), shot_id: idOf(burstOther), rank: 2, recommendation: "discard" }
      ]
    })
    writeFileSync(path, JSON.stringify(report))
    const before = server.snapshot()
    const journal = join(cwd, "journal.ndjson")
    const run = await applyInProcess({ url: server.url, key: KEY, report: out, journal })
    expect(run._tag).toBe("Right")
    const after = server.snapshot()
    // The copy rated 4 is trashed: the keeper holds its rating, not the other group's 1.
    expect(after.assets[idOf(mergeCopy)]!.trashed).toBe(true)
    expect(after.assets[idOf(burstOther)]!.trashed).toBe(true)
    expect(after.assets[idOf(mergeKeeper)]).toMatchObject({ rating: 4, latitude: 48.137 })
    const undo = await undoInProcess({ url: server.url, key: KEY, journal })
    expect(undo._tag).toBe("Right")
    expect(server.snapshot()).toEqual(before)
  })

  it("a pending trash whose check on resume cannot reach the server stays pending: once checked it is undone like any other", async () => {
    const { server, cwd, out } = await reportedGumnut()
    const before = server.snapshot()
    const journal = join(cwd, "journal.ndjson")
    const base_url = new URL(server.url).href
    const at = "2026-01-01T00:00:00.000Z"
    // A run that died after its trash reached the server, before the answer was journalled.
    writeFileSync(
      journal,
      `${[
        {
          type: "run",
          journal_version: 1,
          command: "apply",
          action: "trash",
          server: { source: "gumnut", base_url },
          report: out,
          at
        },
        { type: "pending", seq: 1, op: { kind: "trash", ids: [idOf(plainCopy)] }, at }
      ]
        .map((e) => JSON.stringify(e))
        .join("\n")}\n`
    )
    server.library.trash({ ids: [idOf(plainCopy)] })
    // The resume's three look-ups pass (assets, albums A and B), once in planActions and again in
    // applyPlan's re-check, then the server is down for the check.
    const lookups = server.requests.filter((r) => r.route === "lookup").length
    server.inject({ route: "lookup", call: lookups + 7, fault: { kind: "status", status: 503 }, times: 3 })
    const resumed = await applyInProcess({ url: server.url, key: KEY, report: out, journal })
    expect(resumed._tag).toBe("Right")
    if (resumed._tag === "Right") expect(resumed.right.failed).toHaveLength(1)
    expect(server.snapshot().assets[idOf(mergeCopy)]!.trashed).toBe(true)
    // Whether it was made is still unknown: not journalled failed.
    expect(lines(journal).filter((l) => l.type === "failed" && l.seq === 1)).toEqual([])
    const again = await applyInProcess({ url: server.url, key: KEY, report: out, journal })
    expect(again._tag).toBe("Right")
    const undo = await undoInProcess({ url: server.url, key: KEY, journal })
    expect(undo._tag).toBe("Right")
    expect(server.snapshot()).toEqual(before)
  })

  it("a pending stack whose copy the owner stacked since is held back on resume, not sent to swallow the owner's stack", async () => {
    const { server, cwd, out } = await reportedGumnut()
    const journal = join(cwd, "journal.ndjson")
    // The first stack (the merge group's) gets no answer through its retries; the next is refused
    // outright (403), which stops the run with the first one pending.
    server.inject({ route: "stackCreate", fault: { kind: "status", status: 503 }, times: 3 })
    server.inject({
      route: "stackCreate",
      fault: { kind: "status", status: 403, body: { detail: "Forbidden" } }
    })
    const run = await applyInProcess({ url: server.url, key: KEY, report: out, journal, action: "stack" })
    expect(run._tag).toBe("Left")
    expect(lines(journal).filter((l) => l.type === "pending")).toHaveLength(2)
    // Meanwhile the owner stacks the merge group's copy with the review copy in the app.
    server.library.createStack({
      asset_ids: [idOf(mergeCopy), idOf(reviewCopy)],
      primary_asset_id: idOf(mergeCopy)
    })
    const owners = server.snapshot()
    const ownStack = owners.assets[idOf(mergeCopy)]!.stack_id
    const resumed = await applyInProcess({ url: server.url, key: KEY, report: out, journal, action: "stack" })
    expect(resumed._tag).toBe("Right")
    const after = server.snapshot()
    // The owner's stack is as they made it; the merge keeper is not stacked with its copy.
    expect(after.stacks).toMatchObject({ [ownStack as string]: owners.stacks[ownStack as string] })
    expect(after.assets[idOf(mergeKeeper)]!.stack_id).toBeNull()
    const undo = await undoInProcess({ url: server.url, key: KEY, journal })
    expect(undo._tag).toBe("Right")
    expect(server.snapshot()).toEqual(owners)
  })

  it("a stack made but answered without its id, whose look-up then fails, stays pending: a rerun finds it, and undo dissolves it", async () => {
    const { server, cwd, out } = await reportedGumnut()
    const before = server.snapshot()
    const journal = join(cwd, "journal.ndjson")
    // The stack is made and answered without its id; every look-up after it finds the server down.
    server.inject({
      route: "stackCreate",
      fault: { kind: "answer", body: { detail: "ok" } },
      after: () => server.inject({ route: "lookup", fault: { kind: "status", status: 503 }, times: 3 })
    })
    const run = await applyInProcess({ url: server.url, key: KEY, report: out, journal, action: "stack" })
    expect(run._tag).toBe("Right")
    if (run._tag === "Right") expect(run.right.failed).toHaveLength(1)
    // Whether (and as which stack) it was made is unknown: not journalled failed.
    expect(lines(journal).filter((l) => l.type === "failed")).toEqual([])
    const again = await applyInProcess({ url: server.url, key: KEY, report: out, journal, action: "stack" })
    expect(again._tag).toBe("Right")
    if (again._tag === "Right") expect(again.right.failed).toEqual([])
    const undo = await undoInProcess({ url: server.url, key: KEY, journal })
    expect(undo._tag).toBe("Right")
    expect(server.snapshot()).toEqual(before)
  })

  it("a pending stack made before its keeper was trashed by hand stays pending (the check cannot see it), and is undone once the keeper is back", async () => {
    const { server, cwd, out } = await reportedGumnut()
    const before = server.snapshot()
    const journal = join(cwd, "journal.ndjson")
    // The first stack (the merge group's) is made, its answer lost, and every check after it fails.
    server.inject({
      route: "stackCreate",
      fault: { kind: "cutAfterApply" },
      after: () => server.inject({ route: "lookup", fault: { kind: "status", status: 503 }, times: 3 })
    })
    const run = await applyInProcess({ url: server.url, key: KEY, report: out, journal, action: "stack" })
    expect(run._tag).toBe("Right")
    // Meanwhile the owner trashes the keeper; the resume must not journal the made stack as not made.
    server.library.trash({ ids: [idOf(mergeKeeper)] })
    await applyInProcess({ url: server.url, key: KEY, report: out, journal, action: "stack" })
    server.library.restore({ ids: [idOf(mergeKeeper)] })
    const again = await applyInProcess({ url: server.url, key: KEY, report: out, journal, action: "stack" })
    expect(again._tag).toBe("Right")
    if (again._tag === "Right") expect(again.right.failed).toEqual([])
    const undo = await undoInProcess({ url: server.url, key: KEY, journal })
    expect(undo._tag).toBe("Right")
    expect(server.snapshot()).toEqual(before)
  })
})
