/**
 * `albumsift apply --yes` against the stateful loopback Gumnut server while the library changes
 * under it: the owner (or another run) acts between the run's first look and a later change. Each
 * change is checked on the server just before it is sent, so what the owner did meanwhile wins, and
 * undo still brings back exactly what the run changed.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import {
  ALBUM_A,
  burstOther,
  ENV as env,
  idOf,
  mergeCopy,
  mergeKeeper,
  plainCopy,
  plainKeeper,
  reportedGumnut as reported,
  reviewCopy,
  reviewKeeper
} from "./support/applyLibrary.js"
import { runCli } from "./support/runCli.js"

const trash = ["--action", "trash", "--yes", "--journal", "j.ndjson"]

type Server = Awaited<ReturnType<typeof reported>>["server"]

/** The owner acts (`change`) right after the run's next request on `route` is answered. */
const meanwhile = (server: Server, route: Parameters<Server["inject"]>[0]["route"], change: () => void) =>
  server.inject({ route, fault: { kind: "slow", ms: 1 }, after: change })

describe("apply: the library changes during the run (Gumnut, loopback)", () => {
  // The merge's rating is 4 (the copy's): the owner's 5 differs, and an owner's 4 equal to it is theirs too.
  it.each([5, 4])(
    "a rating the owner gives the keeper during the run (%i) is not overwritten by the merge, nor cleared by undo",
    async (rating) => {
      const { cwd, out, server } = await reported()
      // The merge adds the keeper to the copy's album, then sets its rating and GPS: the owner rates
      // the keeper in between.
      meanwhile(server, "albumAdd", () =>
        server.library.bulkUpdate({ updates: [{ id: idOf(mergeKeeper), change: { rating } }] })
      )
      const r = await runCli(["apply", "--report", out, ...trash], { cwd, env })
      expect(r.stderr).toBe("")
      expect(r.code).toBe(0)
      const after = server.snapshot().assets
      // The owner's rating stays; the GPS the keeper lacked is merged; the copy goes to the trash.
      expect(after[idOf(mergeKeeper)]).toMatchObject({ rating, latitude: 48.137, longitude: 11.575 })
      expect(after[idOf(mergeCopy)]!.trashed).toBe(true)
      const undo = await runCli(["undo", "--journal", "j.ndjson", "--yes"], { cwd, env })
      expect(undo.code).toBe(0)
      const undone = server.snapshot().assets
      expect(undone[idOf(mergeKeeper)]).toMatchObject({ rating, latitude: null, longitude: null })
      expect(undone[idOf(mergeCopy)]!.trashed).toBe(false)
    }
  )

  it("a copy given a description of its own during the run is held back at the last look, not trashed", async () => {
    const { cwd, out, server } = await reported()
    // After the merge's update, before the trash: the owner describes the copy.
    meanwhile(server, "bulkUpdate", () =>
      server.library.bulkUpdate({
        updates: [{ id: idOf(mergeCopy), change: { description: "Our wedding" } }]
      })
    )
    const r = await runCli(["apply", "--report", out, ...trash], { cwd, env })
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("Held back at the last look before trashing")
    expect(r.stdout).toContain(`${idOf(mergeCopy)} (group`)
    expect(r.stdout).toContain("a description the keeper will not have")
    const after = server.snapshot().assets
    expect(after[idOf(mergeCopy)]).toMatchObject({ trashed: false, description: "Our wedding" })
    // The other group's copy was not affected by it.
    expect(after[idOf(plainCopy)]!.trashed).toBe(true)
    expect(server.count("trash")).toBe(1)
  })

  it("a keeper trashed during the run holds its copies back: the photo is never left with no live copy", async () => {
    const { cwd, out, server } = await reported()
    meanwhile(server, "bulkUpdate", () => server.library.trash({ ids: [idOf(plainKeeper)] }))
    const r = await runCli(["apply", "--report", out, ...trash, "--json"], { cwd, env })
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    const outcome = JSON.parse(r.stdout).outcome
    expect(outcome.held).toEqual([
      {
        group: expect.any(String),
        ids: [idOf(plainCopy)],
        reason: `the keeper ${idOf(plainKeeper)} is gone or already in the trash; the whole group is left alone`
      }
    ])
    const after = server.snapshot().assets
    expect(after[idOf(plainCopy)]!.trashed).toBe(false)
    expect(after[idOf(mergeCopy)]!.trashed).toBe(true)
  })

  it("remove-from-album: a copy whose keeper has left the album since the report stays in it (the album keeps the photo)", async () => {
    const { cwd, out, server } = await reported()
    server.library.albumRemove(ALBUM_A, { asset_ids: [idOf(plainKeeper)] })
    const r = await runCli(
      ["apply", "--report", out, "--action", "remove-from-album", "--yes", "--journal", "j.ndjson"],
      {
        cwd,
        env
      }
    )
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      `its keeper ${idOf(plainKeeper)} is not; removing it would take the photo out: review it`
    )
    const after = server.snapshot().assets
    expect(after[idOf(plainCopy)]!.albums).toEqual([ALBUM_A])
    // The burst's weaker frame, whose keeper is still there, goes as planned; the merge group's copy
    // is also in an album its keeper is not (nothing is merged unless asked): held back too.
    expect(after[idOf(burstOther)]!.albums).toEqual([])
    expect(after[idOf(mergeCopy)]!.albums.length).toBe(2)
  })

  it("remove-from-album: a copy already out of the album is sent in no request, so undo never adds it where it was not", async () => {
    const { cwd, out, server } = await reported()
    server.library.albumRemove(ALBUM_A, { asset_ids: [idOf(plainCopy)] })
    const before = server.snapshot()
    const r = await runCli(
      ["apply", "--report", out, "--action", "remove-from-album", "--yes", "--journal", "j.ndjson"],
      {
        cwd,
        env
      }
    )
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("is in none of the report's albums on the server now: nothing to remove")
    const removed = server
      .mutations()
      .filter((m) => m.route === "albumRemove")
      .flatMap((m) => (m.body as { asset_ids: Array<string> }).asset_ids)
    expect(removed).not.toContain(idOf(plainCopy))
    const undo = await runCli(["undo", "--journal", "j.ndjson", "--yes"], { cwd, env })
    expect(undo.code).toBe(0)
    expect(server.snapshot()).toEqual(before)
  })

  it("trash --no-merge: a copy in an album its keeper has left since the report is held back, not trashed", async () => {
    const { cwd, out, server } = await reported()
    server.library.albumRemove(ALBUM_A, { asset_ids: [idOf(plainKeeper)] })
    const r = await runCli(
      ["apply", "--report", out, "--action", "trash", "--no-merge", "--yes", "--journal", "j.ndjson"],
      {
        cwd,
        env
      }
    )
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      `its keeper ${idOf(plainKeeper)} is not; trashing it would take the photo out: review it`
    )
    expect(server.snapshot().assets[idOf(plainCopy)]).toMatchObject({ trashed: false, albums: [ALBUM_A] })
  })

  it("remove-from-album: an album deleted since the report is no loss and nothing to remove from (not a group held back)", async () => {
    const { cwd, out, server } = await reported({ missingAlbumLookup: 404 })
    server.library.memberships.deleteAlbum(ALBUM_A)
    const r = await runCli(
      ["apply", "--report", out, "--action", "remove-from-album", "--yes", "--journal", "j.ndjson"],
      {
        cwd,
        env
      }
    )
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`${idOf(plainCopy)} (group`)
    expect(r.stdout).toContain("is in none of the report's albums on the server now: nothing to remove")
    expect(r.stdout).not.toContain("could not be looked up")
    expect(server.mutations()).toEqual([])
  })

  // People and faces cannot be merged: a copy named with someone its keeper does not show must stay.
  /** A decisions file keeping the review group's keeper: its copy, which the report showed Ben in, goes. */
  const decideToDiscardBensCopy = (cwd: string, out: string) => {
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
    const members = report.groups
      .find((g: { members: Array<{ asset_id: string }> }) =>
        g.members.some((m) => m.asset_id === idOf(reviewCopy))
      )
      .members.map((m: { asset_id: string }) => m.asset_id)
    writeFileSync(
      join(cwd, "decisions.json"),
      JSON.stringify({ schema_version: 1, groups: [{ members, keep: [idOf(reviewKeeper)] }] })
    )
  }

  const ann = { id: "person_Ann0000000000000000000", name: "Ann" }
  const cleo = { id: "person_Cleo000000000000000000", name: "Cleo" }

  it("a copy tagged with a person during the run is held back at the last look, not trashed", async () => {
    const { cwd, out, server } = await reported()
    // After the merge's update, before the trash: the owner names Ann in the plain group's copy.
    meanwhile(server, "bulkUpdate", () => server.library.tagPerson(idOf(plainCopy), ann))
    const r = await runCli(["apply", "--report", out, ...trash], { cwd, env })
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("Held back at the last look before trashing")
    expect(r.stdout).toContain(`${idOf(plainCopy)} (group`)
    expect(r.stdout).toContain("people the keeper lacks: Ann, faces the keeper lacks")
    const after = server.snapshot().assets
    expect(after[idOf(plainCopy)]!.trashed).toBe(false)
    expect(after[idOf(mergeCopy)]!.trashed).toBe(true)
  })

  it("people named since the report: a copy showing someone its keeper lacks is held back; one its keeper shows too goes", async () => {
    const { cwd, out, server } = await reported()
    server.library.tagPerson(idOf(mergeCopy), ann)
    server.library.tagPerson(idOf(plainKeeper), cleo)
    server.library.tagPerson(idOf(plainCopy), cleo)
    const dry = await runCli(["apply", "--report", out, "--action", "trash"], { cwd, env })
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(`${idOf(mergeCopy)} (group`)
    expect(dry.stdout).toContain("people the keeper lacks: Ann")
    expect(dry.stdout).not.toContain("Cleo")
    expect(server.mutations()).toEqual([])
    const r = await runCli(["apply", "--report", out, ...trash], { cwd, env })
    expect(r.code).toBe(0)
    const after = server.snapshot().assets
    // Held back whole: no merge into its keeper either.
    expect(after[idOf(mergeCopy)]!.trashed).toBe(false)
    expect(after[idOf(mergeKeeper)]).toMatchObject({ latitude: null, longitude: null })
    expect(after[idOf(plainCopy)]!.trashed).toBe(true)
  })

  it("a decided discard whose people the report showed as lost goes ahead: the owner saw it when deciding", async () => {
    const { cwd, out, server } = await reported()
    decideToDiscardBensCopy(cwd, out)
    const r = await runCli(["apply", "--report", out, "--decisions", "decisions.json", ...trash], {
      cwd,
      env
    })
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(r.stdout).not.toContain("people the keeper lacks")
    expect(server.snapshot().assets[idOf(reviewCopy)]!.trashed).toBe(true)
  })

  it("a decided discard is held back for a person named since the report, though the loss the report showed goes ahead", async () => {
    const { cwd, out, server } = await reported()
    decideToDiscardBensCopy(cwd, out)
    // The report showed Ben lost with the copy; Ann is named in it after.
    server.library.tagPerson(idOf(reviewCopy), ann)
    const r = await runCli(["apply", "--report", out, "--decisions", "decisions.json", ...trash], {
      cwd,
      env
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`${idOf(reviewCopy)} (group`)
    expect(r.stdout).toContain("people the keeper lacks: Ann on the server now")
    expect(server.snapshot().assets[idOf(reviewCopy)]!.trashed).toBe(false)
  })

  it("a copy with faces is held back when its keeper is answered without its faces (taken to show none)", async () => {
    const { cwd, out, server } = await reported()
    server.library.setFaces(idOf(plainKeeper), undefined)
    server.library.setFaces(idOf(plainCopy), [{ id: "face_Plain000000000000000000", bounding_box: {} }])
    const r = await runCli(["apply", "--report", out, ...trash], { cwd, env })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`${idOf(plainCopy)} (group`)
    expect(r.stdout).toContain("carries faces the keeper lacks on the server now")
    expect(server.snapshot().assets[idOf(plainCopy)]!.trashed).toBe(false)
  })
})
