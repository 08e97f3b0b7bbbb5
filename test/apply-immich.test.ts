/**
 * End-to-end: `albumsift report --source immich` → `apply` → `undo` against the stateful loopback
 * Immich server, for trash (with a merge), stack and remove-from-album. Immich cannot clear GPS, so
 * GPS is never merged into a keeper without it: a copy carrying GPS its keeper lacks is held back
 * for review unless a decision discards it (and the dry run says so); trashing is refused when the
 * server's trash is disabled.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { makeImmichAsset, uuid } from "./support/immichAssets.js"
import { type ImmichServer, startImmichServer } from "./support/immichServer.js"
import { runCli, tempDir } from "./support/runCli.js"

const KEY = "immich-key-ApplyE2E9sT1vW3xY5zQ"
const ALBUM_A = uuid("album-a")
const ALBUM_B = uuid("album-b")

const withExif = (
  a: Record<string, unknown>,
  exif: Record<string, unknown>,
  extra: Record<string, unknown> = {}
) => ({
  ...a,
  exifInfo: { ...(a.exifInfo as Record<string, unknown>), ...exif },
  ...extra
})
// A near pair a second apart: the keeper (rated 5, no GPS, no description); the copy (rated 2, a
// favourite, described, with GPS, also in album B).
const keeper = withExif(makeImmichAsset(1, { second: 0, rating: 5 }), { latitude: null, longitude: null })
const copy = withExif(makeImmichAsset(2, { second: 1, rating: 2, isFavorite: true }), { description: "Lake" })
// An exact pair.
const twinA = makeImmichAsset(3, { second: 600 })
const twinB = makeImmichAsset(4, { second: 600, bytesOf: 3 })
const id = (a: Record<string, unknown>) => a.id as string

let server: ImmichServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const env = { IMMICH_API_KEY: KEY, SOURCE_DATE_EPOCH: "1767225600" }

const reported = async (trashDays?: number) => {
  server = await startImmichServer({
    key: KEY,
    version: 2,
    albums: { [ALBUM_A]: [keeper, copy, twinA, twinB], [ALBUM_B]: [copy] },
    ...(trashDays === undefined ? {} : { trashDays })
  })
  const cwd = tempDir()
  const r = await runCli(
    [
      "report",
      "--source",
      "immich",
      "--album",
      ALBUM_A,
      "--album",
      ALBUM_B,
      "--base-url",
      server.url,
      "--format",
      "json",
      "--quiet"
    ],
    { cwd, env }
  )
  expect(r.stderr).toBe("")
  expect(r.code).toBe(0)
  return { cwd, out: join(cwd, "albumsift-report"), server }
}

/** A decisions file that keeps the keeper of the copy's group (so the copy, GPS and all, is discarded). */
const keepingKeeper = (cwd: string, out: string): string => {
  const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
  const members = report.groups
    .find((g: { members: Array<{ asset_id: string }> }) => g.members.some((m) => m.asset_id === id(copy)))
    .members.map((m: { asset_id: string }) => m.asset_id)
  const decisions = join(cwd, "decisions.json")
  writeFileSync(decisions, JSON.stringify({ schema_version: 1, groups: [{ members, keep: [id(keeper)] }] }))
  return decisions
}

/**
 * Rewrites the report as one made for a server that merges GPS (Gumnut's, a generic export, or a
 * report from before reports knew Immich can't) says it: the GPS copy a suggested discard that merges.
 */
const asIfMadeForGumnut = (out: string): void => {
  const path = join(out, "report.json")
  const report = JSON.parse(readFileSync(path, "utf8"))
  report.options.analysis.can_merge_gps = true
  for (const g of report.groups)
    for (const m of g.members)
      if (m.asset_id === id(copy))
        Object.assign(m, { recommendation: "discard", would_lose: [], would_merge: ["gps"] })
  writeFileSync(path, JSON.stringify(report))
}

/** The twins' group in the report: its keeper and the copy it suggests discarding. */
const twinsAsReported = (out: string): { readonly keeper: string; readonly discard: string } => {
  const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
  const group = report.groups.find((g: { members: Array<{ asset_id: string }> }) =>
    g.members.some((m) => m.asset_id === id(twinA))
  )
  const discard = group.members.find((m: { recommendation: string }) => m.recommendation === "discard")
  return { keeper: group.keeper, discard: discard.asset_id }
}

const journalOf = (stdout: string): string => /Journal: (\S+)/.exec(stdout)![1]!

describe("apply and undo on Immich (loopback)", () => {
  it("the report makes a copy carrying GPS its keeper lacks review: Immich can't undo a GPS merge", async () => {
    const { cwd, out, server } = await reported()
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
    const copyMember = report.groups
      .flatMap((g: { members: Array<Record<string, unknown>> }) => g.members)
      .find((m: { asset_id: string }) => m.asset_id === id(copy))
    expect(copyMember).toMatchObject({ recommendation: "review", would_lose: ["gps"] })
    expect(copyMember.would_merge).not.toContain("gps")
    expect(copyMember.reasons).toContain("would lose gps")
    const run = await runCli(["apply", "--report", out, "--action", "trash", "--groups", "all", "--yes"], {
      cwd,
      env
    })
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    expect((server.snapshot().assets[id(copy)] as { isTrashed?: boolean }).isTrashed).not.toBe(true)
  })

  it("holds back a copy carrying GPS the keeper lacks that a report suggests discarding (made for a server that merges GPS), trashing the rest", async () => {
    const { cwd, out, server } = await reported()
    asIfMadeForGumnut(out)
    const dry = await runCli(["apply", "--report", out, "--action", "trash", "--groups", "all"], { cwd, env })
    expect(dry.stderr).toBe("")
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(id(copy))
    expect(dry.stdout).toContain("carries GPS the keeper lacks")
    expect(dry.stdout).not.toContain(`keeper ${id(keeper)} gains`)
    expect(server.mutations()).toEqual([])

    const run = await runCli(["apply", "--report", out, "--action", "trash", "--groups", "all", "--yes"], {
      cwd,
      env
    })
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    const trashedIds = Object.entries(server.snapshot().assets)
      .filter(([, a]) => (a as { isTrashed?: boolean }).isTrashed === true)
      .map(([k]) => k)
    expect(trashedIds).toHaveLength(1)
    expect(trashedIds).not.toContain(id(copy))
    expect(server.mutations().filter((m) => m.route === "update")).toEqual([])
  })

  it("holds back a decided discard of a GPS copy when the report decided on said its GPS would merge (its page misled the choice)", async () => {
    const { cwd, out, server } = await reported()
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8")).options.analysis.can_merge_gps).toBe(
      false
    )
    asIfMadeForGumnut(out)
    const decisions = keepingKeeper(cwd, out)
    const args = ["apply", "--report", out, "--action", "trash", "--groups", "all", "--decisions", decisions]
    const dry = await runCli(args, { cwd, env })
    expect(dry.stderr).toBe("")
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain("the report you decided on said it would merge")
    const run = await runCli([...args, "--yes"], { cwd, env })
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    expect((server.snapshot().assets[id(copy)] as { isTrashed?: boolean }).isTrashed).not.toBe(true)
    expect(server.mutations().filter((m) => m.route === "update")).toEqual([])
  })

  it("trash decided by a decision: album, favourite and description go to the keeper, GPS never; undo restores everything", async () => {
    const { cwd, out, server } = await reported()
    const decisions = keepingKeeper(cwd, out)
    const args = ["apply", "--report", out, "--action", "trash", "--groups", "all", "--decisions", decisions]
    const before = server.snapshot()
    const dry = await runCli(args, { cwd, env })
    expect(dry.stderr).toBe("")
    expect(dry.code).toBe(0)
    expect(server.mutations()).toEqual([])
    expect(dry.stdout).toContain(`keeper ${id(keeper)} gains: album ${ALBUM_B}, favourite, description`)
    expect(dry.stdout).toContain("GPS not merged")
    expect(dry.stdout).not.toContain("carries GPS the keeper lacks")

    const run = await runCli([...args, "--yes"], { cwd, env })
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    const after = server.snapshot()
    const trashedIds = Object.entries(after.assets)
      .filter(([, a]) => (a as { isTrashed?: boolean }).isTrashed === true)
      .map(([k]) => k)
    expect(trashedIds).toHaveLength(2)
    expect(trashedIds).toContain(id(copy))
    expect(server.library.hardDeleteAttempted).toBe(false)
    for (const r of server.mutations().filter((m) => m.route === "trash")) {
      expect((r.body as { force?: boolean }).force).toBe(false)
    }
    const k = after.assets[id(keeper)]
    expect(JSON.stringify(k)).toContain('"Lake"')
    expect(
      server
        .mutations()
        .filter((m) => m.route === "update")
        .map((m) => m.body)
    ).toEqual([{ isFavorite: true, description: "Lake" }])

    const undo = await runCli(["undo", "--journal", journalOf(run.stdout), "--yes"], { cwd, env })
    expect(undo.stderr).toBe("")
    expect(undo.code).toBe(0)
    expect(server.snapshot()).toEqual(before)
  })

  it("stack and remove-from-album round-trip through undo", async () => {
    const { cwd, out, server } = await reported()
    const before = server.snapshot()
    for (const action of ["stack", "remove-from-album"]) {
      const run = await runCli(["apply", "--report", out, "--action", action, "--yes"], { cwd, env })
      expect(run.stderr).toBe("")
      expect(run.code).toBe(0)
      expect(server.snapshot()).not.toEqual(before)
      if (action === "stack") {
        const created = server.mutations().filter((m) => m.route === "stackCreate")
        expect(created.map((m) => (m.body as { assetIds: Array<string> }).assetIds[0])).toContain(id(keeper))
      }
      const undo = await runCli(["undo", "--journal", journalOf(run.stdout), "--yes"], { cwd, env })
      expect(undo.stderr).toBe("")
      expect(undo.code).toBe(0)
      expect(server.snapshot()).toEqual(before)
    }
  })

  it.each([2, 3] as const)(
    "undo clears a merged rating on Immich v%i (v3 takes null for unrated and refuses 0; v2 the reverse)",
    async (version) => {
      const unrated = withExif(makeImmichAsset(5, { second: 900, rating: null }), {})
      const rated = withExif(makeImmichAsset(6, { second: 900, bytesOf: 5, rating: 4 }), {})
      server = await startImmichServer({ key: KEY, version, albums: { [ALBUM_A]: [unrated, rated] } })
      server.library.ratingNullable = version === 3
      const cwd = tempDir()
      const args = ["--source", "immich", "--album", ALBUM_A, "--base-url", server.url, "--format", "json"]
      const r = await runCli(["report", ...args, "--quiet"], { cwd, env })
      expect(r.code).toBe(0)
      const out = join(cwd, "albumsift-report")
      const decisions = join(cwd, "decisions.json")
      const members = [id(unrated), id(rated)]
      writeFileSync(
        decisions,
        JSON.stringify({ schema_version: 1, groups: [{ members, keep: [id(unrated)] }] })
      )
      const before = server.snapshot()
      const run = await runCli(
        ["apply", "--report", out, "--action", "trash", "--decisions", decisions, "--yes"],
        { cwd, env }
      )
      expect(run.code).toBe(0)
      expect(server.snapshot().assets[id(unrated)]).toMatchObject({ rating: 4 })
      const undo = await runCli(["undo", "--journal", journalOf(run.stdout), "--yes"], { cwd, env })
      expect(undo.stderr).toBe("")
      expect(undo.code).toBe(0)
      expect(server.snapshot()).toEqual(before)
    }
  )

  it("undo of a merge journalled on v2 over a keeper rated 0 clears the rating after an upgrade to v3 (0 refused, null taken)", async () => {
    // v2 answers an unrated asset with rating 0: the merge journals 0 as the previous value.
    const unrated = withExif(makeImmichAsset(5, { second: 900, rating: 0 }), {})
    const rated = withExif(makeImmichAsset(6, { second: 900, bytesOf: 5, rating: 4 }), {})
    server = await startImmichServer({ key: KEY, version: 2, albums: { [ALBUM_A]: [unrated, rated] } })
    const cwd = tempDir()
    const args = ["--source", "immich", "--album", ALBUM_A, "--base-url", server.url, "--format", "json"]
    expect((await runCli(["report", ...args, "--quiet"], { cwd, env })).code).toBe(0)
    const out = join(cwd, "albumsift-report")
    const decisions = join(cwd, "decisions.json")
    const members = [id(unrated), id(rated)]
    writeFileSync(
      decisions,
      JSON.stringify({ schema_version: 1, groups: [{ members, keep: [id(unrated)] }] })
    )
    const run = await runCli(
      ["apply", "--report", out, "--action", "trash", "--decisions", decisions, "--yes"],
      { cwd, env }
    )
    expect(run.code).toBe(0)
    const journal = journalOf(run.stdout)
    expect(readFileSync(journal, "utf8")).toContain('"previous":{"rating":0}')
    expect(server.snapshot().assets[id(unrated)]).toMatchObject({ rating: 4 })
    // The server is upgraded to v3 before the undo.
    server.library.ratingNullable = true
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.stderr).toBe("")
    expect(undo.code).toBe(0)
    const after = server.snapshot().assets
    expect(after[id(unrated)]).toMatchObject({ rating: null, isTrashed: false })
    expect(after[id(rated)]).toMatchObject({ rating: 4, isTrashed: false })
    const puts = server
      .mutations()
      .filter((m) => m.method === "PUT" && m.path === `/api/assets/${id(unrated)}`)
    expect(puts.map((m) => (m.body as { rating?: unknown }).rating)).toEqual([4, 0, null])
  })

  it("trash holds back a Live Photo still whose motion part the report never saw (linked after it; its keeper is no Live Photo)", async () => {
    const still = makeImmichAsset(7, { second: 1200 })
    const plain = makeImmichAsset(8, { second: 1200, bytesOf: 7, rating: 3 })
    server = await startImmichServer({ key: KEY, version: 2, albums: { [ALBUM_A]: [plain, still] } })
    const cwd = tempDir()
    const args = ["--source", "immich", "--album", ALBUM_A, "--base-url", server.url, "--format", "json"]
    expect((await runCli(["report", ...args, "--quiet"], { cwd, env })).code).toBe(0)
    const out = join(cwd, "albumsift-report")
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
    const group = report.groups.find((g: { members: Array<{ asset_id: string }> }) =>
      g.members.some((m) => m.asset_id === id(still))
    )
    expect(group.keeper).toBe(id(plain))
    server.library.linkMotion(id(still), uuid("motion-of-7"))
    const run = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("Live Photo")
    expect(server.snapshot().assets[id(still)]).toMatchObject({ isTrashed: false })
  })

  it("trash holds back a copy named with a person since the report whom its keeper does not show (people are never merged)", async () => {
    const { cwd, out } = await reported()
    const { discard } = twinsAsReported(out)
    server!.library.tagPerson(discard, { id: uuid("person-ann"), name: "Ann" })
    const run = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`${discard} (group`)
    expect(run.stdout).toContain("people the keeper lacks: Ann")
    // Both show Maya: only Ann is lost, and faces are not (the keeper has some).
    expect(run.stdout).not.toContain("Maya")
    expect(run.stdout).not.toContain("faces the keeper lacks")
    expect(server!.snapshot().assets[discard]).toMatchObject({ isTrashed: false })
  })

  it("trash holds back a copy whose faces, named for no one, its keeper no longer shows (unassigned faces count)", async () => {
    const { cwd, out } = await reported()
    const { keeper: twinKeeper, discard } = twinsAsReported(out)
    // Maya untagged from both; the copy keeps one face recognised as no one.
    server!.library.setFaces(twinKeeper, [], 0)
    server!.library.setFaces(discard, [], 1)
    const run = await runCli(["apply", "--report", out, "--action", "trash", "--yes"], { cwd, env })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`${discard} (group`)
    expect(run.stdout).toContain("carries faces the keeper lacks on the server now")
    expect(server!.snapshot().assets[discard]).toMatchObject({ isTrashed: false })
  })

  it("a Live Photo still whose motion part Immich never lists is the keeper of its plain re-upload, and the stack's cover", async () => {
    const still = makeImmichAsset(9, { second: 1500, livePhotoVideoId: uuid("motion-of-9") })
    const plain = makeImmichAsset(10, { second: 1500, bytesOf: 9 })
    server = await startImmichServer({ key: KEY, version: 2, albums: { [ALBUM_A]: [plain, still] } })
    const cwd = tempDir()
    const args = ["--source", "immich", "--album", ALBUM_A, "--base-url", server.url, "--format", "json"]
    expect((await runCli(["report", ...args, "--quiet"], { cwd, env })).code).toBe(0)
    const out = join(cwd, "albumsift-report")
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
    const group = report.groups.find((g: { members: Array<{ asset_id: string }> }) =>
      g.members.some((m) => m.asset_id === id(still))
    )
    expect(group.keeper).toBe(id(still))
    const run = await runCli(["apply", "--report", out, "--action", "stack", "--yes"], { cwd, env })
    expect(run.code).toBe(0)
    expect(Object.values(server.snapshot().stacks).map((s) => s.primaryAssetId)).toEqual([id(still)])
  })

  it("a copy that is the cover of a stack on the server is held back, decided or not: Immich hides a stack whose cover is trashed", async () => {
    const a = makeImmichAsset(11, { second: 2000 })
    const b = makeImmichAsset(12, { second: 2000, bytesOf: 11 })
    server = await startImmichServer({ key: KEY, version: 2, albums: { [ALBUM_A]: [a, b] } })
    const cwd = tempDir()
    const args = ["--source", "immich", "--album", ALBUM_A, "--base-url", server.url, "--format", "json"]
    expect((await runCli(["report", ...args, "--quiet"], { cwd, env })).code).toBe(0)
    const out = join(cwd, "albumsift-report")
    const group = JSON.parse(readFileSync(join(out, "report.json"), "utf8")).groups[0] as {
      keeper: string
      members: Array<{ asset_id: string }>
    }
    const discard = group.members.map((m) => m.asset_id).find((m) => m !== group.keeper)!
    // Since the report, the owner stacked the two in Immich with the copy on top.
    const stack = uuid("owner-stack")
    for (const asset of [group.keeper, discard]) server.library.stacks.join(stack, asset, discard, "user")
    const decisions = join(cwd, "decisions.json")
    const members = group.members.map((m) => m.asset_id)
    writeFileSync(
      decisions,
      JSON.stringify({ schema_version: 1, groups: [{ members, keep: [group.keeper] }] })
    )
    const before = server.snapshot()
    for (const extra of [[], ["--decisions", decisions]]) {
      const run = await runCli(["apply", "--report", out, "--action", "trash", ...extra, "--yes"], {
        cwd,
        env
      })
      expect(run.code).toBe(0)
      expect(run.stdout).toContain("the cover of a stack")
      expect(server.mutations()).toEqual([])
      expect(server.snapshot()).toEqual(before)
    }
  })

  it("refuses to trash when the server's trash is disabled, in one line, changing nothing", async () => {
    const { cwd, out, server } = await reported(0)
    const r = await runCli(["apply", "--report", out, "--action", "trash", "--groups", "all", "--yes"], {
      cwd,
      env
    })
    expect(r.code).toBe(1)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toContain("trash disabled")
    expect(server.mutations()).toEqual([])
    expect(server.library.hardDeleteAttempted).toBe(false)
  })

  it("refuses to trash when the trash is switched off though its days setting stays (features.trash false, trashDays 30)", async () => {
    const { cwd, out, server } = await reported()
    // Immich's trash setting is {enabled, days}: /server/config says days whatever enabled is.
    server.library.trashEnabled = false
    const r = await runCli(["apply", "--report", out, "--action", "trash", "--groups", "all", "--yes"], {
      cwd,
      env
    })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("trash disabled")
    expect(server.mutations()).toEqual([])
    expect(server.library.hardDeleteAttempted).toBe(false)
  })

  it("a resumed run re-sending only a trash left pending checks the trash again: once disabled, it refuses", async () => {
    const { cwd, out, server } = await reported()
    const journal = join(cwd, "journal.ndjson")
    const args = ["apply", "--report", out, "--action", "trash", "--groups", "all", "--journal", journal]
    const run = await runCli([...args, "--yes"], { cwd, env })
    expect(run.code).toBe(0)
    // As if the run stopped after journalling the trash request and before sending it.
    const entries = readFileSync(journal, "utf8").trimEnd().split("\n")
    const trash = entries.map((l) => JSON.parse(l)).find((e) => e.type === "pending" && e.op.kind === "trash")
    const cut = entries.filter((l) => {
      const e = JSON.parse(l)
      return !(e.type === "done" && e.seq === trash.seq)
    })
    writeFileSync(journal, `${cut.join("\n")}\n`)
    server.library.restoreAssets({ ids: trash.op.ids })
    server.library.trashDays = 0
    const mutations = server.mutations().length

    const resumed = await runCli([...args, "--yes"], { cwd, env })
    expect(resumed.code).toBe(1)
    expect(resumed.stderr).toContain("trash disabled")
    expect(
      server
        .mutations()
        .slice(mutations)
        .filter((m) => m.route === "trash")
    ).toEqual([])
    expect(server.library.hardDeleteAttempted).toBe(false)
    for (const id of trash.op.ids) expect(server.snapshot().assets[id]).toMatchObject({ isTrashed: false })
  })

  it("undo restores every other copy of a batch when one was deleted from the trash since, and says which", async () => {
    const { cwd, out, server } = await reported()
    const decisions = keepingKeeper(cwd, out)
    const args = ["apply", "--report", out, "--action", "trash", "--groups", "all", "--decisions", decisions]
    const run = await runCli([...args, "--yes"], { cwd, env })
    expect(run.code).toBe(0)
    const trashed = () =>
      Object.entries(server.snapshot().assets)
        .filter(([, a]) => (a as { isTrashed?: boolean }).isTrashed === true)
        .map(([k]) => k)
    const [gone, ...others] = trashed()
    expect(others.length).toBeGreaterThan(0)
    // The user empties that one item from the trash.
    server.library.deleteAssets({ ids: [gone], force: true })
    const undo = await runCli(["undo", "--journal", journalOf(run.stdout), "--yes"], { cwd, env })
    expect(undo.code).toBe(1)
    expect(undo.stderr).toContain(`1 of ${others.length + 1} could not be restored (${gone})`)
    expect(trashed()).toEqual([])
    for (const id of others) expect(server.snapshot().assets[id]).toMatchObject({ isTrashed: false })
    // Run again, it names the lost copy again, and is not stopped by the server's refusal.
    const again = await runCli(["undo", "--journal", journalOf(run.stdout), "--yes"], { cwd, env })
    expect(again.code).toBe(1)
    expect(again.stderr).toContain(`1 of 1 could not be restored (${gone})`)
  })

  it("a merge whose album add the server refuses per id (HTTP 200) holds back its copies: nothing is lost", async () => {
    const { cwd, out, server } = await reported()
    const decisions = keepingKeeper(cwd, out)
    server.library.albumAddRefused.add(id(keeper))
    const args = ["apply", "--report", out, "--action", "trash", "--groups", "all", "--decisions", decisions]
    const run = await runCli([...args, "--yes"], { cwd, env })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`album ${ALBUM_B} was sent 1 but lacks ${id(keeper)}`)
    // Journalled done all the same: undo checks the album first and takes back whatever the add did.
    const entries = readFileSync(journalOf(run.stdout), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
    const add = entries.find((e) => e.type === "pending" && e.op.kind === "add-to-album")
    expect(entries.filter((e) => e.seq === add.seq).map((e) => e.type)).toEqual(["pending", "done"])
    const after = server.snapshot()
    expect(after.assets[id(copy)]).toMatchObject({ isTrashed: false })
    // The other group, with nothing to merge, went ahead.
    expect(Object.values(after.assets).filter((a) => (a as { isTrashed?: boolean }).isTrashed)).toHaveLength(
      1
    )
  })

  it("an album change the server refuses per id (HTTP 200) is said, not counted done: an undo's re-add of a copy", async () => {
    const { cwd, out, server } = await reported()
    const run = await runCli(["apply", "--report", out, "--action", "remove-from-album", "--yes"], {
      cwd,
      env
    })
    expect(run.code).toBe(0)
    // The twins' copy left album A; the owner can no longer add it back (a partner's asset, say).
    const removed = [id(twinA), id(twinB)].filter((t) => !server.snapshot().albums[ALBUM_A]!.includes(t))
    expect(removed).toHaveLength(1)
    server.library.albumAddRefused.add(removed[0]!)
    const undo = await runCli(["undo", "--journal", journalOf(run.stdout), "--yes"], { cwd, env })
    expect(undo.code).toBe(1)
    expect(undo.stderr).toContain(`album ${ALBUM_A} was sent 1 but lacks ${removed[0]}`)
    expect(server.snapshot().albums[ALBUM_A]).not.toContain(removed[0])
    // Not journalled done: once the server takes it, the same undo again puts the copy back.
    server.library.albumAddRefused.delete(removed[0]!)
    const again = await runCli(["undo", "--journal", journalOf(run.stdout), "--yes"], { cwd, env })
    expect(again.stderr).toBe("")
    expect(again.code).toBe(0)
    expect(server.snapshot().albums[ALBUM_A]).toContain(removed[0])
  })
})
