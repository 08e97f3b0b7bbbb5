/**
 * End-to-end `albumsift undo` against the stateful loopback Gumnut server: it acts on the journal's
 * server (not report.json's), stops at its first failure and resumes from its own journal, and
 * leaves a keeper field edited after the merge as it is.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import {
  ALBUM_A,
  ALBUM_B,
  ENV as env,
  idOf,
  KEY,
  mergeCopy,
  mergeKeeper,
  plainCopy,
  reportedGumnut,
  whileLocked
} from "./support/applyLibrary.js"
import { runCli } from "./support/runCli.js"

/** A report, then `apply --action trash --yes`; answers the journal and the state before. */
const applied = async () => {
  const { server, cwd, out } = await reportedGumnut()
  const before = server.snapshot()
  const journal = join(cwd, "trash.ndjson")
  const run = await runCli(["apply", "--report", out, "--action", "trash", "--yes", "--journal", journal], {
    cwd,
    env
  })
  expect(run.code).toBe(0)
  return { cwd, out, journal, before, server }
}

describe("undo (Gumnut, loopback)", () => {
  it("talks to the journal's server, whatever report.json now says", async () => {
    const { cwd, out, journal, before, server } = await applied()
    const path = join(out, "report.json")
    const report = JSON.parse(readFileSync(path, "utf8"))
    report.sources = [{ kind: "api", server: "gumnut", base_url: "http://127.0.0.1:9/", albums: [] }]
    writeFileSync(path, JSON.stringify(report))
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.stderr).toBe("")
    expect(undo.code).toBe(0)
    expect(server.snapshot()).toEqual(before)
  })

  it("stops at its first failure (copies before the keeper's fields), then resumes from its own journal", async () => {
    const { cwd, journal, before, server } = await applied()
    server.inject({
      route: "restore",
      fault: { kind: "status", status: 503, headers: { "retry-after": "0" } },
      times: 5
    })
    const failed = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain("failed")
    // Nothing after the failed restore was reversed: the keeper still has what was merged.
    const mid = server.snapshot()
    expect(mid.assets[idOf(mergeCopy)]!.trashed).toBe(true)
    expect(mid.assets[idOf(mergeKeeper)]).toMatchObject({ rating: 4 })
    const undoJournal = readFileSync(journal.replace(/\.ndjson$/, "-undo.ndjson"), "utf8")
    // Five 503s say nothing of whether the restore was made: it stays pending, checked on resume.
    expect(undoJournal).not.toContain('"type":"failed"')
    expect(failed.stderr).toContain("a rerun with the same journal checks it")
    expect(undoJournal).not.toContain(KEY)

    const resumed = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(resumed.stderr).toBe("")
    expect(resumed.code).toBe(0)
    expect(server.snapshot()).toEqual(before)
  })

  it("--retries 0: a 503 on a restore is not retried, the undo stops on one line, and a rerun finishes", async () => {
    const { cwd, journal, before, server } = await applied()
    server.inject({ route: "restore", fault: { kind: "status", status: 503 } })
    const failed = await runCli(["undo", "--journal", journal, "--yes", "--retries", "0"], { cwd, env })
    expect(failed.code).toBe(1)
    expect(failed.stderr.trim().split("\n")).toHaveLength(1)
    expect(failed.stderr).toContain("after 1 attempt")
    expect(server.mutations().filter((q) => q.route === "restore")).toHaveLength(1)
    const resumed = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(server.snapshot()).toEqual(before)
  })

  it("leaves a keeper field edited after the merge as it is, and says so", async () => {
    const { cwd, journal, before, server } = await applied()
    server.library.bulkUpdate({ updates: [{ id: idOf(mergeKeeper), change: { rating: 2 } }] })
    const dry = await runCli(["undo", "--journal", journal], { cwd, env })
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(`${idOf(mergeKeeper)}: rating changed since the merge`)
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.code).toBe(0)
    const after = server.snapshot()
    expect(after.assets[idOf(mergeKeeper)]).toMatchObject({ rating: 2, latitude: null, longitude: null })
    expect(after.assets[idOf(mergeKeeper)]!.albums).toEqual(before.assets[idOf(mergeKeeper)]!.albums)
    expect(after.assets[idOf(mergeCopy)]).toEqual(before.assets[idOf(mergeCopy)])
  })

  it("leaves the merged position whole when half of it was edited since: the owner's longitude stays", async () => {
    const { cwd, journal, server } = await applied()
    // The merge gave the keeper 48.137, 11.575; the owner corrects the longitude (Gumnut sets both).
    server.library.bulkUpdate({
      updates: [{ id: idOf(mergeKeeper), change: { latitude: 48.137, longitude: 11.6 } }]
    })
    const dry = await runCli(["undo", "--journal", journal], { cwd, env })
    expect(dry.stdout).toContain(`${idOf(mergeKeeper)}: latitude and longitude changed since the merge`)
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.code).toBe(0)
    const after = server.snapshot()
    expect(after.assets[idOf(mergeKeeper)]).toMatchObject({ rating: 0, latitude: 48.137, longitude: 11.6 })
    expect(after.assets[idOf(mergeCopy)]!.trashed).toBe(false)
  })

  it("finds the server moved on (a stack dissolved by hand): checks first, sends nothing for it, undoes the rest", async () => {
    const { server, cwd, out } = await reportedGumnut()
    const before = server.snapshot()
    const run = await runCli(["apply", "--report", out, "--action", "stack", "--yes"], { cwd, env })
    expect(run.code).toBe(0)
    const journal = /Journal: (\S+)/.exec(run.stdout)![1]!
    const stacks = [...server.library.stacks.stacks.keys()]
    expect(stacks.length).toBeGreaterThan(1)
    // The newest stack is undone first; the user dissolved it in the app.
    server.library.deleteStack(stacks.at(-1)!)
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.stderr).toBe("")
    expect(undo.code).toBe(0)
    expect(server.snapshot()).toEqual(before)
    expect(server.mutations().filter((m) => m.route === "stackDelete")).toHaveLength(stacks.length - 1)
  })

  it("goes on dissolving the other stacks when one unstack fails (5xx); a rerun dissolves that one", async () => {
    const { server, cwd, out } = await reportedGumnut()
    const before = server.snapshot()
    const run = await runCli(["apply", "--report", out, "--action", "stack", "--yes"], { cwd, env })
    expect(run.code).toBe(0)
    const journal = /Journal: (\S+)/.exec(run.stdout)![1]!
    const stacks = [...server.library.stacks.stacks.keys()]
    expect(stacks.length).toBeGreaterThan(1)
    // Every attempt (1 + 4 retries) of the first unstack, the newest stack's, answers 503.
    server.inject({
      route: "stackDelete",
      fault: { kind: "status", status: 503, headers: { "retry-after": "0" } },
      times: 5
    })
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.code).toBe(1)
    expect(undo.stderr).toContain(stacks.at(-1)!)
    // Only the refused stack is left; every other frame is loose again.
    expect([...server.library.stacks.stacks.keys()]).toEqual([stacks.at(-1)!])
    const deletes = server.mutations().filter((m) => m.route === "stackDelete")
    expect(new Set(deletes.map((m) => m.path))).toHaveProperty("size", stacks.length)

    const again = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(again.stderr).toBe("")
    expect(again.code).toBe(0)
    expect(server.snapshot()).toEqual(before)
  })

  it("puts back what a remove-from-album took even when the owner trashed one of those copies since", async () => {
    const { server, cwd, out } = await reportedGumnut()
    const run = await runCli(["apply", "--report", out, "--action", "remove-from-album", "--yes"], {
      cwd,
      env
    })
    expect(run.code).toBe(0)
    const journal = /Journal: (\S+)/.exec(run.stdout)![1]!
    const removed = Object.entries(server.snapshot().assets)
      .filter(([, a]) => a.albums.length === 0)
      .map(([id]) => id)
    expect(removed.length).toBeGreaterThan(1)
    expect(server.library.trash({ ids: [removed[0]] }).status).toBe(200)
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.stderr).toBe("")
    expect(undo.code).toBe(0)
    for (const id of removed.slice(1)) expect(server.snapshot().assets[id]!.albums.length).toBeGreaterThan(0)
  })

  it("a copy emptied from the trash since (its restore answered 200 all the same) stops the undo before the keeper's fields go back", async () => {
    const { cwd, journal, server } = await applied()
    // The owner empties the merged copy from the trash: the keeper holds all that is left of it.
    server.library.purge(idOf(mergeCopy))
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.code).toBe(1)
    expect(undo.stderr).toContain(idOf(mergeCopy))
    const after = server.snapshot()
    expect(after.assets[idOf(plainCopy)]!.trashed).toBe(false)
    expect(after.assets[idOf(mergeKeeper)]).toMatchObject({ rating: 4, latitude: 48.137, longitude: 11.575 })
    expect(after.assets[idOf(mergeKeeper)]!.albums).toEqual([ALBUM_A, ALBUM_B].sort())
  })

  it.each([
    [200, undefined],
    [404, 404]
  ] as const)(
    "an album deleted since the apply (its look-up answered %i) does not stop the undo: the copies go back to the other albums, and it is named",
    async (_, missingAlbumLookup) => {
      const { server, cwd, out } = await reportedGumnut({ missingAlbumLookup })
      const before = server.snapshot()
      const run = await runCli(
        ["apply", "--report", out, "--action", "remove-from-album", "--merge", "--yes"],
        {
          cwd,
          env
        }
      )
      expect(run.code).toBe(0)
      const journal = /Journal: (\S+)/.exec(run.stdout)![1]!
      expect(server.snapshot().assets[idOf(mergeCopy)]!.albums).toEqual([])
      // Undo puts album A's copies back first (newest first); the owner deleted album A meanwhile.
      server.library.memberships.deleteAlbum(ALBUM_A)
      const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
      expect(undo.code).toBe(1)
      expect(undo.stderr).toContain(ALBUM_A)
      expect(server.snapshot().assets[idOf(mergeCopy)]!.albums).toEqual(
        before.assets[idOf(mergeCopy)]!.albums.filter((a) => a !== ALBUM_A)
      )
      // Run again: still named, still not stuck.
      const again = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
      expect(again.code).toBe(1)
      expect(again.stderr).toContain(ALBUM_A)
    }
  )

  it("a merge's album deleted since the apply (404 to its look-up): the undo brings the rest back and names it", async () => {
    const { server, cwd, out } = await reportedGumnut({ missingAlbumLookup: 404 })
    const before = server.snapshot()
    const journal = join(cwd, "trash.ndjson")
    const run = await runCli(["apply", "--report", out, "--action", "trash", "--yes", "--journal", journal], {
      cwd,
      env
    })
    expect(run.code).toBe(0)
    expect(server.snapshot().assets[idOf(mergeKeeper)]!.albums).toEqual([ALBUM_A, ALBUM_B].sort())
    // The keeper was merged into album B; the owner deleted album B since.
    server.library.memberships.deleteAlbum(ALBUM_B)
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.code).toBe(1)
    expect(undo.stderr).toContain(ALBUM_B)
    const after = server.snapshot()
    const withoutB = Object.fromEntries(
      Object.entries(before.assets).map(([id, a]) => [
        id,
        { ...a, albums: a.albums.filter((x) => x !== ALBUM_B) }
      ])
    )
    expect(after.assets).toEqual(withoutB)
    const again = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(again.code).toBe(1)
    expect(again.stderr).toContain(ALBUM_B)
    expect(server.snapshot()).toEqual(after)
  })

  it("an undo run again once all is undone says so plainly, sends nothing, and exits 0", async () => {
    const { cwd, journal, server } = await applied()
    const first = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(first.code).toBe(0)
    const sent = server.mutations().length
    const again = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(again.code).toBe(0)
    expect(again.stderr).toBe("")
    expect(again.stdout.trim()).toBe(
      `Nothing to undo: every change of this journal was already undone (see ${journal.replace(/\.ndjson$/, "-undo.ndjson")})`
    )
    expect(server.mutations()).toHaveLength(sent)
  })

  it("refuses to act while the apply run it reverses still holds its journal: nothing is sent", async () => {
    const { cwd, journal, server } = await applied()
    const after = server.snapshot()
    const sent = server.mutations().length
    const undo = await whileLocked(journal, () =>
      runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    )
    expect(undo.code).toBe(1)
    expect(undo.stderr.trim()).toBe(
      `albumsift: journal ${journal}: another albumsift run (process ${process.pid}) is using this journal; wait for it to end, or remove ${journal}.lock if no such run exists`
    )
    expect(server.mutations()).toHaveLength(sent)
    expect(server.snapshot()).toEqual(after)
  })

  it("refuses a journal whose run was interrupted with a request unanswered: resume first, then undo", async () => {
    const { cwd, journal, server } = await applied()
    // As if the run had stopped after sending its last request, before recording the answer.
    const lines = readFileSync(journal, "utf8").trimEnd().split("\n")
    writeFileSync(journal, `${lines.slice(0, -1).join("\n")}\n`)
    const sent = server.mutations().length
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.code).not.toBe(0)
    expect(undo.stderr).toContain("1 request was sent without an answer recorded; resume it first")
    expect(server.mutations()).toHaveLength(sent)
  })
})
