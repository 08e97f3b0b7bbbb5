/**
 * End-to-end `albumsift apply --decisions`: a decision resolves a `review` group (keep the copy
 * that shows Ben, trash the other) and another says `not_duplicates` (left alone), against the
 * stateful loopback Gumnut server.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import {
  ALBUM_B,
  ENV as env,
  idOf,
  mergeCopy,
  mergeKeeper,
  plainCopy,
  plainKeeper,
  reportedGumnut,
  reviewCopy,
  reviewKeeper
} from "./support/applyLibrary.js"
import { runCli } from "./support/runCli.js"

describe("apply --decisions (Gumnut, loopback)", () => {
  it("acts on what the decisions say: a resolved review group is trashed as decided, a not-duplicates group is left alone", async () => {
    const { server, cwd, out } = await reportedGumnut()
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
    const membersOf = (id: string) =>
      report.groups
        .find((g: { members: Array<{ asset_id: string }> }) => g.members.some((m) => m.asset_id === id))
        .members.map((m: { asset_id: string }) => m.asset_id)
    const decisions = join(cwd, "decisions.json")
    writeFileSync(
      decisions,
      JSON.stringify({
        schema_version: 1,
        groups: [
          { members: membersOf(idOf(reviewCopy)), keep: [idOf(reviewCopy)] },
          { members: membersOf(idOf(plainCopy)), not_duplicates: true }
        ]
      })
    )
    const run = await runCli(
      ["apply", "--report", out, "--action", "trash", "--decisions", decisions, "--yes"],
      {
        cwd,
        env
      }
    )
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    const after = server.snapshot()
    expect(after.assets[idOf(reviewKeeper)]!.trashed).toBe(true)
    expect(after.assets[idOf(reviewCopy)]!.trashed).toBe(false)
    expect(after.assets[idOf(plainCopy)]!.trashed).toBe(false)
    expect(after.assets[idOf(plainKeeper)]!.trashed).toBe(false)
    // Undecided groups follow the report: the merge group's copy goes.
    expect(after.assets[idOf(mergeCopy)]!.trashed).toBe(true)
  })

  it("--no-merge: a decided discard that carries what its keeper lacks is still left alone (nothing is lost)", async () => {
    const { server, cwd, out } = await reportedGumnut()
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
    const members = report.groups
      .find((g: { members: Array<{ asset_id: string }> }) =>
        g.members.some((m) => m.asset_id === idOf(mergeCopy))
      )
      .members.map((m: { asset_id: string }) => m.asset_id)
    const decisions = join(cwd, "decisions.json")
    writeFileSync(
      decisions,
      JSON.stringify({ schema_version: 1, groups: [{ members, keep: [idOf(mergeKeeper)] }] })
    )
    const run = await runCli(
      ["apply", "--report", out, "--action", "trash", "--no-merge", "--decisions", decisions, "--yes"],
      { cwd, env }
    )
    expect(run.code).toBe(0)
    const after = server.snapshot()
    // The copy carries rating 4 and GPS the keeper lacks: without a merge, trashing it would lose them.
    expect(after.assets[idOf(mergeCopy)]).toMatchObject({ trashed: false, rating: 4 })
    expect(after.assets[idOf(mergeKeeper)]).toMatchObject({ rating: 0, latitude: null })
    expect(run.stdout).toContain(`album ${ALBUM_B}`)
    expect(after.assets[idOf(plainCopy)]!.trashed).toBe(true)
  })
})

describe("apply --decisions that do not fit this report", () => {
  it("leaves alone a group decided on other members (the album changed since), and says how many decisions matched nothing", async () => {
    const { server, cwd, out } = await reportedGumnut()
    const decisions = join(cwd, "decisions.json")
    // The page's export of an earlier report, when a third copy (since gone) was in the group: the
    // reviewer kept the copy this report suggests discarding. A second decision is of another album.
    writeFileSync(
      decisions,
      JSON.stringify({
        schema_version: 1,
        groups: [
          {
            members: [idOf(plainKeeper), idOf(plainCopy), "asset_GoneSinceTheDecision1"],
            keep: [idOf(plainCopy)]
          },
          {
            members: ["asset_OtherAlbumOne000000001", "asset_OtherAlbumTwo000000002"],
            keep: ["asset_OtherAlbumOne000000001"]
          }
        ]
      })
    )
    const args = ["apply", "--report", out, "--action", "trash", "--decisions", decisions]
    const dry = await runCli(args, { cwd, env })
    expect(dry.code).toBe(0)
    const groupId = JSON.parse(readFileSync(join(out, "report.json"), "utf8")).groups.find(
      (g: { members: Array<{ asset_id: string }> }) => g.members.some((m) => m.asset_id === idOf(plainCopy))
    ).id
    expect(dry.stdout).toContain(
      `every member (group ${groupId}): your decisions file decided 2 of its members as another group (the album changed since): run \`albumsift report --decisions\` again, then apply that report`
    )
    expect(dry.stdout).toContain(
      "Decisions: 2 in the file, 0 fit this report; 1 matches no group of it (made for another report?)"
    )
    const run = await runCli([...args, "--yes"], { cwd, env })
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    const after = server.snapshot()
    expect(after.assets[idOf(plainCopy)]!.trashed).toBe(false)
    expect(after.assets[idOf(plainKeeper)]!.trashed).toBe(false)
    // Groups no decision speaks of follow the report.
    expect(after.assets[idOf(mergeCopy)]!.trashed).toBe(true)
  })
})
