/**
 * The Promise API of acting on a report, against the stateful loopback Gumnut server:
 * `planActions` only reads, `applyPlan` acts, `undoJournal` puts everything back; errors are the real ones.
 */
import { join } from "node:path"
import { applyPlan, planActions, Target, undoJournal } from "@albumsift/core"
import { afterEach, describe, expect, it } from "vitest"
import {
  ALBUM_A,
  ALBUM_B,
  albums,
  idOf,
  KEY,
  mergeCopy,
  mergeKeeper,
  plainCopy
} from "./support/applyLibrary.js"
import { type GumnutServer, startGumnutServer } from "./support/gumnutServer.js"
import { runCli, tempDir } from "./support/runCli.js"

let server: GumnutServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe("planActions / applyPlan / undoJournal (Gumnut, loopback)", () => {
  it("plans with GETs only, applies, and undoes to the exact original state", async () => {
    server = await startGumnutServer({ key: KEY, albums: albums(), style: "cursor" })
    const cwd = tempDir()
    const r = await runCli(
      [
        "report",
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
      { cwd, env: { GUMNUT_API_KEY: KEY } }
    )
    expect(r.code).toBe(0)
    const before = server.snapshot()
    const planned = await planActions(join(cwd, "albumsift-report"), { action: "trash", apiKey: KEY })
    expect(server.mutations()).toEqual([])
    expect(planned.prepared.merges.map((m) => m.keeper)).toEqual([idOf(mergeKeeper)])
    expect(planned.plan.groups.flatMap((g) => g.targets.map((t) => t.id)).sort()).toEqual(
      [idOf(mergeCopy), idOf(plainCopy)].sort()
    )

    const { journal, outcome } = await applyPlan(planned)
    expect(outcome.failed).toEqual([])
    expect(server.snapshot().assets[idOf(plainCopy)]!.trashed).toBe(true)

    const dry = await undoJournal(journal, { apiKey: KEY })
    expect(dry.outcome).toBeUndefined()
    expect(dry.prepared.requests.map((q) => q.op.kind)).toEqual(["restore", "update", "remove-from-album"])
    await undoJournal(journal, { apiKey: KEY, yes: true })
    expect(server.snapshot()).toEqual(before)
  })

  it("rejects with the real error: a wrong key is a TargetError naming the variable, not a FiberFailure", async () => {
    server = await startGumnutServer({ key: KEY, albums: albums(), style: "cursor" })
    const cwd = tempDir()
    await runCli(["report", "--album", ALBUM_A, "--base-url", server.url, "--format", "json", "--quiet"], {
      cwd,
      env: { GUMNUT_API_KEY: KEY }
    })
    const error = await planActions(join(cwd, "albumsift-report"), {
      action: "trash",
      apiKey: "apikey_wrong_wrong"
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Target.TargetError)
    expect((error as Error).message).toContain("GUMNUT_API_KEY")
    expect(server.mutations()).toEqual([])
  })
})
