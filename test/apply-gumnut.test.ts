/**
 * End-to-end: `albumsift report` → `apply` (dry run, then --yes) → `undo` against the stateful
 * loopback Gumnut server, spawning the built CLI as a user would. The server's state is compared
 * as a whole (snapshot) before and after.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import {
  ALBUM_A,
  ALBUM_B,
  burstBest,
  burstOther,
  ENV as env,
  idOf,
  KEY,
  mergeCopy,
  mergeKeeper,
  plainCopy,
  plainKeeper,
  reportedGumnut as reported,
  reviewCopy
} from "./support/applyLibrary.js"
import { makeAsset } from "./support/assets.js"
import { runCli } from "./support/runCli.js"

const journalOf = (stdout: string): string => {
  const m = /Journal: (\S+)/.exec(stdout)
  expect(m, stdout).not.toBeNull()
  return m![1]!
}

describe("apply and undo on Gumnut (loopback)", () => {
  it("trash: the dry run sends only GETs and shows the plan and merge; --yes trashes exactly the discards; undo restores everything", async () => {
    const { cwd, out, server } = await reported()
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
    const member = (id: string) =>
      report.groups
        .flatMap((g: { members: Array<{ asset_id: string }> }) => g.members)
        .find((m: { asset_id: string }) => m.asset_id === id)
    expect(member(idOf(mergeCopy))).toMatchObject({ recommendation: "discard", would_lose: [] })
    expect(member(idOf(mergeCopy)).would_merge).toEqual(
      expect.arrayContaining(["rating 4", "gps", `albums: ${ALBUM_B}`])
    )
    expect(member(idOf(reviewCopy)).recommendation).toBe("review")
    const before = server.snapshot()
    const sentBefore = server.requests.length

    const dry = await runCli(["apply", "--report", out, "--action", "trash"], { cwd, env })
    expect(dry.stderr).toBe("")
    expect(dry.code).toBe(0)
    expect(server.mutations()).toEqual([])
    expect(server.requests.slice(sentBefore).every((r) => r.method === "GET")).toBe(true)
    expect(dry.stdout).toContain("Plan (dry run: nothing is changed without --yes): trash")
    expect(dry.stdout).toContain("2 groups, 2 assets")
    expect(dry.stdout).toContain(`keeper ${idOf(mergeKeeper)} gains: album ${ALBUM_B}, rating 4, GPS`)
    expect(dry.stdout).toContain(`${idOf(reviewCopy)} (group`)
    expect(dry.stdout).toMatch(/reclaimable: [\d.]+ MB \(4000005 bytes\)/)
    // Each group's keeper and its discards, to check before --yes.
    expect(dry.stdout).toContain("Groups (2):")
    expect(dry.stdout).toMatch(
      new RegExp(
        `group g-\\w+ \\(exact\\): keep ${idOf(mergeKeeper)} \\([^)]+\\); trash: ${idOf(mergeCopy)} \\(`
      )
    )
    expect(server.snapshot()).toEqual(before)
    const asJson = await runCli(["apply", "--report", out, "--action", "trash", "--json"], { cwd, env })
    const plan = JSON.parse(asJson.stdout)
    expect(plan).toMatchObject({
      command: "apply",
      action: "trash",
      dry_run: true,
      reclaimable_bytes: 4000005
    })
    expect(plan.requests.map((r: { kind: string }) => r.kind)).toEqual(["add-to-album", "update", "trash"])
    expect(plan.merges[0].gains).toEqual([`album ${ALBUM_B}`, "rating 4", "GPS"])
    expect(server.mutations()).toEqual([])

    const run = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    const journal = journalOf(run.stdout)
    expect(journal.startsWith(out)).toBe(true)
    expect(journal).toMatch(/journal-trash-\d{8}T\d{6}Z\.ndjson$/)
    const after = server.snapshot()
    const trashed = Object.entries(after.assets)
      .filter(([, a]) => a.trashed)
      .map(([id]) => id)
      .sort()
    expect(trashed).toEqual([idOf(mergeCopy), idOf(plainCopy)].sort())
    const keeper = after.assets[idOf(mergeKeeper)]!
    expect(keeper).toMatchObject({ rating: 4, latitude: 48.137, longitude: 11.575, description: "Beach day" })
    expect(keeper.albums).toEqual([ALBUM_A, ALBUM_B].sort())
    // Nothing else changed: every other asset is exactly as before.
    for (const id of Object.keys(before.assets)) {
      if ([idOf(mergeCopy), idOf(plainCopy), idOf(mergeKeeper)].includes(id)) continue
      expect(after.assets[id]).toEqual(before.assets[id])
    }
    // The merge came before the trash; no request was forced or hard.
    const routes = server.mutations().map((r) => r.route)
    expect(routes.indexOf("trash")).toBeGreaterThan(routes.indexOf("bulkUpdate"))
    expect(routes.indexOf("trash")).toBeGreaterThan(routes.indexOf("albumAdd"))
    expect(after.hardDeleteAttempted).toBe(false)
    const text = readFileSync(journal, "utf8")
    expect(text).not.toContain(KEY)
    const entries = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
    expect(entries[0]).toMatchObject({
      type: "run",
      command: "apply",
      action: "trash",
      server: { source: "gumnut" }
    })
    expect(entries.filter((e) => e.type === "pending").length).toBe(
      entries.filter((e) => e.type === "done").length
    )
    const update = entries.find((e) => e.type === "pending" && e.op.kind === "update")
    expect(update.op.previous).toEqual({ rating: 0, latitude: null, longitude: null })

    const mutationsBeforeUndo = server.mutations().length
    const undoDry = await runCli(["undo", "--journal", journal], { cwd, env })
    expect(undoDry.code).toBe(0)
    expect(server.mutations().length).toBe(mutationsBeforeUndo)
    expect(undoDry.stdout).toContain("undo of trash")
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.stderr).toBe("")
    expect(undo.code).toBe(0)
    expect(server.snapshot()).toEqual(before)
    // Undo reverses newest first: the copies come back before the keeper's fields.
    const undoRoutes = server
      .mutations()
      .slice(mutationsBeforeUndo)
      .map((r) => r.route)
    expect(undoRoutes[0]).toBe("restore")
    expect(undoRoutes.at(-1)).toBe("albumRemove")
  })

  it("a look-up answered in pages (has_more) is followed to the end: nothing looks gone", async () => {
    const { cwd, out, server } = await reported({ lookupPage: 1 })
    const dry = await runCli(["apply", "--report", out, "--action", "trash"], { cwd, env })
    expect(dry.stderr).toBe("")
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain("2 groups, 2 assets")
    expect(dry.stdout).toContain(`keeper ${idOf(mergeKeeper)} gains: album ${ALBUM_B}, rating 4, GPS`)
    expect(dry.stdout).not.toContain("gone")
    const paged = server.requests.filter(
      (r) => r.route === "lookup" && r.query.starting_after_id !== undefined
    )
    expect(paged.length).toBeGreaterThan(0)

    const run = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    const after = server.snapshot()
    expect(after.assets[idOf(mergeCopy)]!.trashed).toBe(true)
    expect(after.assets[idOf(plainCopy)]!.trashed).toBe(true)
    expect(after.assets[idOf(mergeKeeper)]!.trashed).toBe(false)
  })

  it("stack: every group becomes one stack with its keeper on top; undo dissolves them", async () => {
    const { cwd, out, server } = await reported()
    const before = server.snapshot()
    const dry = await runCli(["apply", "--report", out, "--action", "stack"], { cwd, env })
    expect(dry.code).toBe(0)
    expect(server.mutations()).toEqual([])
    expect(dry.stdout).toContain("4 groups")
    const run = await runCli(["apply", "--report", out, "--action", "stack", "--yes"], { cwd, env })
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    const after = server.snapshot()
    const stackOf = (a: Record<string, unknown>) => after.assets[idOf(a)]!.stack_id
    expect(stackOf(burstBest)).not.toBeNull()
    expect(stackOf(burstOther)).toBe(stackOf(burstBest))
    expect(stackOf(plainCopy)).toBe(stackOf(plainKeeper))
    expect(stackOf(plainCopy)).not.toBe(stackOf(burstBest))
    const created = server.mutations().filter((r) => r.route === "stackCreate")
    expect(created).toHaveLength(4)
    for (const r of created) {
      const body = r.body as { asset_ids: Array<string>; primary_asset_id: string }
      expect(body.asset_ids[0]).toBe(body.primary_asset_id)
    }
    expect(Object.values(after.assets).every((a) => !a.trashed)).toBe(true)
    const undo = await runCli(["undo", "--journal", journalOf(run.stdout), "--yes"], { cwd, env })
    expect(undo.code).toBe(0)
    expect(server.snapshot()).toEqual(before)
  })

  it("remove-from-album: discards leave the albums the report listed them in; undo puts them back", async () => {
    const { cwd, out, server } = await reported()
    const before = server.snapshot()
    const run = await runCli(
      ["apply", "--report", out, "--action", "remove-from-album", "--merge", "--yes"],
      {
        cwd,
        env
      }
    )
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    const after = server.snapshot()
    expect(after.assets[idOf(mergeCopy)]!.albums).toEqual([])
    expect(after.assets[idOf(plainCopy)]!.albums, run.stdout).toEqual([])
    expect(after.assets[idOf(mergeKeeper)]!.albums).toEqual([ALBUM_A, ALBUM_B].sort())
    // remove-from-album takes near groups too by default: the weaker burst frame leaves album A.
    expect(after.assets[idOf(burstOther)]!.albums).toEqual([])
    expect(after.assets[idOf(burstBest)]!.albums).toEqual([ALBUM_A])
    expect(Object.values(after.assets).every((a) => !a.trashed)).toBe(true)
    for (const r of server.mutations().filter((r) => r.route === "albumRemove")) {
      expect((r.body as { asset_ids: Array<string> }).asset_ids.length).toBeLessThanOrEqual(100)
    }
    const undo = await runCli(["undo", "--journal", journalOf(run.stdout), "--yes"], { cwd, env })
    expect(undo.code).toBe(0)
    expect(server.snapshot()).toEqual(before)
  })

  it("trash: the look-up asks for metadata (a lean answer would hide what copies carry), and a keeper's server-written caption is not taken for a description", async () => {
    const t = "2025-06-01T12:00:00+02:00"
    const exif = { make: "Apple", model: "iPhone 15 Pro", original_datetime: t, auto_stack_id: null }
    const keeper = makeAsset(11, {
      local_datetime: t,
      // Newer servers' own caption, at the top level; the user's description is in metadata.
      description: "A sandy beach with the sea",
      exif: { ...exif, rating: 5, description: null, latitude: null, longitude: null },
      metrics: { liqe_mix: 4.5 }
    })
    const copy = makeAsset(12, {
      local_datetime: t,
      checksum: keeper.checksum,
      file_size_bytes: keeper.file_size_bytes,
      exif: { ...exif, rating: 4, description: "Anna's 5th birthday", latitude: 48.137, longitude: 11.575 },
      metrics: { liqe_mix: 1.5 }
    })
    const { cwd, out, server } = await reported({ albums: { [ALBUM_A]: [keeper, copy], [ALBUM_B]: [] } })
    // The copy has the richer metadata, so the owner decides which to keep.
    const decisions = join(cwd, "decisions.json")
    const members = [idOf(keeper), idOf(copy)]
    writeFileSync(
      decisions,
      JSON.stringify({ schema_version: 1, groups: [{ members, keep: [idOf(keeper)] }] })
    )
    const before = server.snapshot()
    const run = await runCli(
      ["apply", "--report", out, "--action", "trash", "--decisions", decisions, "--yes"],
      {
        cwd,
        env
      }
    )
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    expect(run.stdout, run.stdout).toContain(`keeper ${idOf(keeper)} gains: description, GPS`)
    const lookups = server.requests.filter((r) => r.route === "lookup")
    expect(lookups.length).toBeGreaterThan(0)
    for (const r of lookups) expect(r.query.include).toBe("file_data,metadata,people,faces")
    const after = server.snapshot()
    expect(after.assets[idOf(copy)]!.trashed).toBe(true)
    expect(after.assets[idOf(keeper)]).toMatchObject({
      rating: 5,
      description: "Anna's 5th birthday",
      latitude: 48.137,
      longitude: 11.575
    })
    const undo = await runCli(["undo", "--journal", journalOf(run.stdout), "--yes"], { cwd, env })
    expect(undo.code).toBe(0)
    expect(server.snapshot()).toEqual(before)
  })

  it("trash: a copy whose metadata is null (stripped, as a messaging app's) beside a keeper with metadata is trashed: the server answered the include", async () => {
    const t = "2025-06-01T12:00:00+02:00"
    const keeper = makeAsset(21, {
      local_datetime: t,
      exif: { make: "Apple", model: "iPhone 15 Pro", original_datetime: t, rating: 4 },
      metrics: { liqe_mix: 4.5 }
    })
    const copy = makeAsset(22, {
      local_datetime: t,
      checksum: keeper.checksum,
      file_size_bytes: keeper.file_size_bytes,
      exif: null,
      metrics: { liqe_mix: 1.5 }
    })
    const { cwd, out, server } = await reported({ albums: { [ALBUM_A]: [keeper, copy], [ALBUM_B]: [] } })
    const before = server.snapshot()
    const run = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    expect(run.stdout).not.toContain("the server answered without rating, description and GPS")
    const after = server.snapshot()
    expect(after.assets[idOf(copy)]!.trashed).toBe(true)
    expect(after.assets[idOf(keeper)]).toMatchObject({ trashed: false, rating: 4 })
    const undo = await runCli(["undo", "--journal", journalOf(run.stdout), "--yes"], { cwd, env })
    expect(undo.code).toBe(0)
    expect(server.snapshot()).toEqual(before)
  })

  it("trash: a look-up that answers without metadata (include ignored) holds every merging group back: nothing is lost", async () => {
    const { cwd, out, server } = await reported({ leanLookup: true })
    const before = server.snapshot()
    const dry = await runCli(["apply", "--report", out, "--action", "trash"], { cwd, env })
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain("the server answered without rating, description and GPS")
    expect(dry.stdout).not.toContain(`keeper ${idOf(mergeKeeper)} gains`)
    const run = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    expect(server.mutations()).toEqual([])
    expect(server.snapshot()).toEqual(before)
    // Stacking merges nothing, so it goes ahead.
    const stack = await runCli(["apply", "--report", out, "--action", "stack", "--yes"], { cwd, env })
    expect(stack.code).toBe(0)
    expect(server.mutations().filter((m) => m.route === "stackCreate").length).toBeGreaterThan(0)
  })
})
