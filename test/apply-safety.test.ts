/**
 * End-to-end safety of `albumsift apply` against the stateful loopback Gumnut server: a wrong key
 * changes nothing and shows no key; what changed on the server since the report is skipped with a
 * reason (and never sent); retries honour Retry-After; a request cut after the server applied it
 * is checked, not repeated; a refused request stops the run with a consistent journal; a failed
 * merge holds back its group's discards; a journal that cannot be written is said before any
 * request; usage errors exit 2.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Journal } from "@albumsift/core"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import {
  ALBUM_A,
  ALBUM_B,
  burstOther,
  ENV as env,
  idOf,
  KEY,
  mergeCopy,
  mergeKeeper,
  plainCopy,
  plainKeeper,
  reportedGumnut as reported
} from "./support/applyLibrary.js"
import { makeAsset } from "./support/assets.js"
import { runCli } from "./support/runCli.js"

const journalLines = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l))

describe("apply: safety (Gumnut, loopback)", () => {
  it("a wrong key exits 1 in one line, sends no mutation, and the key appears nowhere", async () => {
    const { cwd, out, server } = await reported()
    const wrong = "apikey_WRONGwrongWRONG1234567890"
    const r = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], {
      cwd,
      env: { ...env, GUMNUT_API_KEY: wrong }
    })
    expect(r.code).toBe(1)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toContain("GUMNUT_API_KEY")
    expect(server.mutations()).toEqual([])
    expect(r.stdout + r.stderr).not.toContain(wrong)
    expect(r.stdout + r.stderr).not.toContain(KEY)
  })

  it("skips, with reasons, what is gone, trashed or changed since the report; a vanished keeper holds its whole group back", async () => {
    const { cwd, out, server } = await reported()
    // On the server: the merge group's keeper is trashed, the burst's weaker frame too.
    server.library.trash({ ids: [idOf(mergeKeeper), idOf(burstOther)] })
    // In the report: the plain copy's checksum differs from the server's (it changed since).
    const path = join(out, "report.json")
    const report = JSON.parse(readFileSync(path, "utf8"))
    for (const a of report.assets) if (a.id === idOf(plainCopy)) a.checksum = "AAAAchangedAAAA="
    writeFileSync(path, JSON.stringify(report))
    const before = server.snapshot()

    const r = await runCli(["apply", "--report", out, "--action", "trash", "--groups", "all", "--yes"], {
      cwd,
      env
    })
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`${idOf(mergeCopy)} (group`)
    expect(r.stdout).toContain(
      `the keeper ${idOf(mergeKeeper)} is gone or already in the trash; the whole group is left alone`
    )
    expect(r.stdout).toContain(`${idOf(plainCopy)} (group`)
    expect(r.stdout).toContain("changed since the report (checksum differs)")
    expect(r.stdout).toContain(`${idOf(burstOther)} (group`)
    // Skipped means not sent: no mutation at all was needed.
    expect(server.mutations()).toEqual([])
    expect(server.snapshot()).toEqual(before)
  })

  it("a keeper edited since the report keeps its value: that field is skipped with a reason", async () => {
    const { cwd, out, server } = await reported()
    server.library.bulkUpdate({ updates: [{ id: idOf(mergeKeeper), change: { rating: 3 } }] })
    const dry = await runCli(["apply", "--report", out, "--action", "trash"], { cwd, env })
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(`keeper ${idOf(mergeKeeper)} gains: album ${ALBUM_B}, GPS`)
    expect(dry.stdout).toContain("rating: the keeper has rating 3 since the report; left as is")
    const run = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
    expect(run.code).toBe(0)
    expect(server.snapshot().assets[idOf(mergeKeeper)]).toMatchObject({ rating: 3, latitude: 48.137 })
  })

  it("trash: a copy whose description differs from the keeper's own is held back for review, not trashed with its text", async () => {
    const t = "2025-06-01T12:00:00+02:00"
    const exif = {
      make: "Apple",
      model: "iPhone 15 Pro",
      original_datetime: t,
      rating: 0,
      latitude: null,
      longitude: null
    }
    const keeper = makeAsset(21, {
      local_datetime: t,
      exif: { ...exif, description: "Beach day" },
      metrics: { liqe_mix: 4 }
    })
    const copy = makeAsset(22, {
      local_datetime: t,
      checksum: keeper.checksum,
      file_size_bytes: keeper.file_size_bytes,
      exif: { ...exif, description: "Anna's 5th birthday, with grandma" },
      metrics: { liqe_mix: 2 }
    })
    const { cwd, out, server } = await reported({ albums: { [ALBUM_A]: [keeper, copy], [ALBUM_B]: [] } })
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
    const member = report.groups[0].members.find((m: { asset_id: string }) => m.asset_id === idOf(copy))
    expect(member.recommendation).toBe("discard")
    const run = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("description")
    const snap = server.snapshot()
    expect(snap.assets[idOf(copy)]!.trashed).toBe(false)
    expect(snap.assets[idOf(keeper)]!.description).toBe("Beach day")
  })

  it("trash --no-merge: a copy that gained a rating since the report is held back, not trashed with it", async () => {
    const { cwd, out, server } = await reported()
    server.library.bulkUpdate({ updates: [{ id: idOf(plainCopy), change: { rating: 3 } }] })
    const run = await runCli(["apply", "--report", out, "--action", "trash", "--no-merge", "--yes"], {
      cwd,
      env
    })
    expect(run.code).toBe(0)
    expect(server.snapshot().assets[idOf(plainCopy)]).toMatchObject({ trashed: false, rating: 3 })
  })

  it("retries 429 (no sooner than Retry-After) and 503 on mutations, and ends in the planned state", async () => {
    const { cwd, out, server } = await reported()
    let refusedAt = 0
    let retriedAt = 0
    server.inject({
      route: "trash",
      fault: { kind: "status", status: 429, headers: { "retry-after": "1" } },
      after: () => {
        refusedAt = Date.now()
      }
    })
    server.inject({ route: "trash", fault: { kind: "status", status: 503, headers: { "retry-after": "0" } } })
    server.inject({
      route: "trash",
      fault: { kind: "slow", ms: 1 },
      after: () => {
        retriedAt = Date.now()
      }
    })
    const r = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(server.count("trash")).toBe(3)
    expect(retriedAt - refusedAt).toBeGreaterThanOrEqual(1000)
    const snap = server.snapshot()
    expect(snap.assets[idOf(mergeCopy)]!.trashed).toBe(true)
    expect(snap.assets[idOf(plainCopy)]!.trashed).toBe(true)
  })

  it("a trash cut after the server applied it is checked, not sent again", async () => {
    const { cwd, out, server } = await reported()
    server.inject({ route: "trash", fault: { kind: "cutAfterApply" } })
    const r = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(server.count("trash")).toBe(1)
    expect(server.snapshot().assets[idOf(plainCopy)]!.trashed).toBe(true)
  })

  it("a 403 stops the run in one line; the journal records the refused request as failed", async () => {
    const { cwd, out, server } = await reported()
    server.inject({
      route: "trash",
      fault: { kind: "status", status: 403, body: { detail: "read-only key" } }
    })
    const journal = join(cwd, "j.ndjson")
    const r = await runCli(["apply", "--report", out, "--action", "trash", "--yes", "--journal", journal], {
      cwd,
      env
    })
    expect(r.code).toBe(1)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toContain("403")
    const entries = journalLines(journal)
    const trash = entries.find((e) => e.type === "pending" && e.op.kind === "trash")
    expect(entries.find((e) => e.seq === trash.seq && e.type === "failed")).toBeDefined()
    // The merge before it was done and journalled, so undo can still take it back.
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.code).toBe(0)
    expect(server.snapshot().assets[idOf(mergeKeeper)]).toMatchObject({ rating: 0, latitude: null })
  })

  it("a journal of another run is a usage error: exit 2, one line, nothing sent", async () => {
    const { cwd, out, server } = await reported()
    const journal = join(cwd, "j.ndjson")
    const first = await runCli(
      ["apply", "--report", out, "--action", "trash", "--yes", "--journal", journal],
      {
        cwd,
        env
      }
    )
    expect(first.code).toBe(0)
    const sent = server.mutations().length
    const r = await runCli(["apply", "--report", out, "--action", "stack", "--yes", "--journal", journal], {
      cwd,
      env
    })
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toContain("is for apply trash")
    expect(server.mutations()).toHaveLength(sent)
  })

  it("a journal that cannot be written is said before any request, by the dry run and by --yes", async () => {
    const { cwd, out, server } = await reported()
    const seen = server.requests.length
    const journal = join(cwd, "no-folder", "j.ndjson")
    for (const yes of [[], ["--yes"]]) {
      const r = await runCli(["apply", "--report", out, "--action", "trash", "--journal", journal, ...yes], {
        cwd,
        env
      })
      expect(r.code).toBe(1)
      expect(r.stderr).toBe(`albumsift: cannot write journal ${journal}: no such folder\n`)
    }
    expect(server.requests).toHaveLength(seen)
  })

  it("a merge that keeps failing holds back its group's discards; other groups go ahead; exit 1", async () => {
    const { cwd, out, server } = await reported()
    server.inject({
      route: "bulkUpdate",
      fault: { kind: "status", status: 503, headers: { "retry-after": "0" } },
      times: 99
    })
    const r = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("failed")
    const snap = server.snapshot()
    expect(snap.assets[idOf(mergeCopy)]!.trashed).toBe(false)
    expect(snap.assets[idOf(plainCopy)]!.trashed).toBe(true)
    expect(snap.assets[idOf(plainKeeper)]!.trashed).toBe(false)
  })

  it("an album a merge would add the keeper to, deleted since the report, holds back that group only: the run goes on", async () => {
    const { cwd, out, server } = await reported()
    server.library.memberships.deleteAlbum(ALBUM_B)
    const r = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(ALBUM_B)
    const snap = server.snapshot()
    expect(snap.assets[idOf(mergeCopy)]!.trashed).toBe(false)
    expect(snap.assets[idOf(plainCopy)]!.trashed).toBe(true)
    expect(snap.assets[idOf(plainKeeper)]!.trashed).toBe(false)
  })

  it.each([404, 400] as const)(
    "an album a merge needs, deleted since the report and answered %i to the membership look-up, holds back that group only: the run goes on, undo restores the rest",
    async (status) => {
      const { cwd, out, server } = await reported({ missingAlbumLookup: status })
      server.library.memberships.deleteAlbum(ALBUM_B)
      const before = server.snapshot()
      const run = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
      expect(run.stderr).toBe("")
      expect(run.code).toBe(0)
      expect(run.stdout).toContain(`${idOf(mergeCopy)} (group`)
      expect(run.stdout).toContain(`album ${ALBUM_B} could not be looked up`)
      const snap = server.snapshot()
      // Nothing of the merge group was touched: its copy stays, its keeper gained nothing.
      expect(snap.assets[idOf(mergeCopy)]).toMatchObject({ trashed: false, rating: 4 })
      expect(snap.assets[idOf(mergeKeeper)]).toEqual(before.assets[idOf(mergeKeeper)])
      expect(snap.assets[idOf(plainCopy)]!.trashed).toBe(true)
      expect(server.mutations().filter((m) => m.route === "albumAdd" || m.route === "bulkUpdate")).toEqual([])
      const journal = /Journal: (\S+)/.exec(run.stdout)![1]!
      const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
      expect(undo.stderr).toBe("")
      expect(undo.code).toBe(0)
      expect(server.snapshot()).toEqual(before)
    }
  )

  it("a pending merge add to an album deleted before the resume (404 to its check) fails that request only: the resume goes on, undo restores the rest", async () => {
    const { cwd, out, server } = await reported({ missingAlbumLookup: 404 })
    const before = server.snapshot()
    // Every attempt (1 + 4 retries) of the merge's album add answers 503: it stays pending.
    server.inject({
      route: "albumAdd",
      fault: { kind: "status", status: 503, headers: { "retry-after": "0" } },
      times: 5
    })
    const journal = join(cwd, "journal.ndjson")
    const args = ["apply", "--report", out, "--action", "trash", "--journal", journal, "--yes"]
    const first = await runCli(args, { cwd, env })
    expect(first.code).toBe(1)
    expect(
      journalLines(journal).filter((l) => l.type === "pending" && l.op.kind === "add-to-album")
    ).toHaveLength(1)
    expect(server.snapshot().assets[idOf(mergeCopy)]!.trashed).toBe(false)
    expect(server.snapshot().assets[idOf(plainCopy)]!.trashed).toBe(true)
    server.library.memberships.deleteAlbum(ALBUM_B)
    const deleted = server.snapshot()

    const resumed = await runCli(args, { cwd, env })
    expect(resumed.code).toBe(1)
    expect(resumed.stderr).toContain(ALBUM_B)
    const failed = journalLines(journal).filter((l) => l.type === "failed")
    expect(failed.at(-1)!.error).toContain(ALBUM_B)
    // The copy whose merge could not be checked stays; nothing else was sent.
    expect(server.snapshot()).toEqual(deleted)

    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.stderr).toBe("")
    expect(undo.code).toBe(0)
    // All that was done is undone: the state as it was once the album was deleted, the plain copy back.
    expect(server.snapshot()).toEqual({
      ...deleted,
      assets: { ...deleted.assets, [idOf(plainCopy)]: before.assets[idOf(plainCopy)] }
    })
  })

  it("a merge update the server answers 200 for but does not write (a field it ignores) holds back its group: the rating is not lost", async () => {
    const { cwd, out, server } = await reported()
    server.library.ignoredChanges.add("rating")
    const r = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(idOf(mergeKeeper))
    const snap = server.snapshot()
    expect(snap.assets[idOf(mergeCopy)]).toMatchObject({ trashed: false, rating: 4 })
    expect(snap.assets[idOf(plainCopy)]!.trashed).toBe(true)
  })

  it("an edited report listing one copy in two groups: it is trashed once, and held back when either group's merge fails", async () => {
    const { cwd, out, server } = await reported()
    const path = join(out, "report.json")
    const report = JSON.parse(readFileSync(path, "utf8"))
    const plain = report.groups.find((g: { keeper: string }) => g.keeper === idOf(plainKeeper))
    const copyMember = report.groups
      .flatMap((g: { members: Array<{ asset_id: string }> }) => g.members)
      .find((m: { asset_id: string }) => m.asset_id === idOf(mergeCopy))
    plain.members.push({ ...copyMember, would_merge: [] })
    writeFileSync(path, JSON.stringify(report))
    server.inject({
      route: "bulkUpdate",
      fault: { kind: "status", status: 503, headers: { "retry-after": "0" } },
      // Every attempt of the first merge's update (1 + 4 retries); the second merge goes through.
      times: 5
    })
    const r = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
    expect(r.code).toBe(1)
    const snap = server.snapshot()
    expect(snap.assets[idOf(plainKeeper)]!.rating).toBe(4)
    // The merge group's merge failed: its copy stays, though the plain group (merged) lists it too.
    expect(snap.assets[idOf(mergeCopy)]!.trashed).toBe(false)
    expect(snap.assets[idOf(plainCopy)]!.trashed).toBe(true)
    for (const m of server.mutations().filter((m) => m.route === "trash")) {
      const ids = (m.body as { ids: Array<string> }).ids
      expect(new Set(ids).size).toBe(ids.length)
    }
  })

  it("a journal another run holds is refused before anything is read or sent", async () => {
    const { cwd, out, server } = await reported()
    const journal = join(cwd, "journal.ndjson")
    const sent = server.requests.length
    const r = await Effect.runPromise(
      Effect.scoped(
        Effect.zipRight(
          Journal.lock(journal),
          Effect.promise(() =>
            runCli(["apply", "--report", out, "--action", "trash", "--journal", journal, "--yes"], {
              cwd,
              env
            })
          )
        )
      )
    )
    expect(r.code).toBe(1)
    expect(r.stderr.trim()).toBe(
      `albumsift: journal ${journal}: another albumsift run (process ${process.pid}) is using this journal; wait for it to end, or remove ${journal}.lock if no such run exists`
    )
    expect(server.requests.length).toBe(sent)
  })

  it("usage errors exit 2: a bad --action or --groups, a file-made report without a server", async () => {
    const { cwd, out } = await reported()
    const badAction = await runCli(["apply", "--report", out, "--action", "delete"], { cwd, env })
    expect(badAction.code).toBe(2)
    const badGroups = await runCli(["apply", "--report", out, "--action", "trash", "--groups", "some"], {
      cwd,
      env
    })
    expect(badGroups.code).toBe(2)
    const path = join(out, "report.json")
    const report = JSON.parse(readFileSync(path, "utf8"))
    report.sources = [{ kind: "file", path: "album.json" }]
    writeFileSync(path, JSON.stringify(report))
    const fromFile = await runCli(["apply", "--report", out, "--action", "trash"], { cwd, env })
    expect(fromFile.code).toBe(2)
    expect(fromFile.stderr).toContain("--source")
  })
})
