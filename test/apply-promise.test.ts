import { join } from "node:path"
import { analyzeAlbums, applyPlan, InvalidOptions, planActions, Target, undoJournal } from "@albumsift/core"
import { writeReports } from "@albumsift/report"
import { describe, expect, it, onTestFinished } from "vitest"
import {
  ALBUM_A,
  ALBUM_B,
  albums,
  idOf,
  KEY,
  mergeCopy,
  mergeKeeper,
  plainCopy,
  reportedGumnut
} from "./support/applyLibrary.js"
import { startGumnutServer } from "./support/gumnutServer.js"
import { tempDir } from "./support/runCli.js"

describe("planActions / applyPlan / undoJournal (Gumnut, loopback)", () => {
  it("plans with GETs only, applies, and undoes to the exact original state", async () => {
    const { server, out } = await reportedGumnut()
    const before = server.snapshot()
    const planned = await planActions(out, { action: "trash", apiKey: KEY })
    expect(server.mutations()).toEqual([])
    // The plan is a value callers log or save: the key must not come out with it.
    expect(JSON.stringify(planned)).not.toContain(KEY)
    expect((await import("node:util")).inspect(planned, { depth: null })).not.toContain(KEY)
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

  it("undoJournal refuses the journal of an undo, as the CLI does: nothing is sent", async () => {
    const { server, out } = await reportedGumnut()
    const { journal } = await applyPlan(await planActions(out, { action: "trash", apiKey: KEY }))
    const undone = await undoJournal(journal, { apiKey: KEY, yes: true })
    const after = server.snapshot()
    const sent = server.mutations().length
    const error = await undoJournal(undone.journal, { apiKey: KEY, yes: true }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toContain("undo")
    expect(server.mutations()).toHaveLength(sent)
    expect(server.snapshot()).toEqual(after)
  })

  it("rejects with the real error: a wrong key is a TargetError naming the variable, not a FiberFailure", async () => {
    const { server, out } = await reportedGumnut()
    const error = await planActions(out, {
      action: "trash",
      apiKey: "apikey_wrong_wrong"
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Target.TargetError)
    expect((error as Error).message).toContain("GUMNUT_API_KEY")
    expect(server.mutations()).toEqual([])
  })

  it("refuses what plain JavaScript could pass: an unknown action, no report, a hand-made plan (nothing sent)", async () => {
    const { server, out } = await reportedGumnut()
    const refused = async (p: Promise<unknown>) => {
      const error = await p.then(
        () => undefined,
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(InvalidOptions)
      return (error as Error).message
    }
    // "Trash" is not "trash": it must not fall through to another action.
    expect(await refused(planActions(out, { action: "Trash" as never, apiKey: KEY }))).toBe(
      'Invalid option action: expected one of trash, remove-from-album, stack, got "Trash"'
    )
    expect(await refused(planActions(null as never, { action: "trash", apiKey: KEY }))).toContain("report")
    expect(await refused(planActions(out, { action: "trash", groups: "some" as never }))).toContain("groups")
    expect(await refused(applyPlan({} as never))).toContain("planActions")
    const planned = await planActions(out, { action: "trash", apiKey: KEY })
    const tampered = { ...planned, plan: { ...planned.plan, action: "burn" } }
    expect(await refused(applyPlan(tampered as never))).toContain("planActions")
    expect(await refused(undoJournal(undefined as never))).toContain("journal")
    expect(server.mutations()).toEqual([])
  })

  it("the library's own flow: analyzeAlbums, writeReports with the server, then planActions (or the base URL from the environment)", async () => {
    const server = await startGumnutServer({ key: KEY, albums: albums(), style: "cursor" })
    onTestFinished(() => server.close())
    const analysis = await analyzeAlbums([ALBUM_A, ALBUM_B], { baseUrl: server.url, apiKey: KEY })
    const dir = tempDir()
    const recorded = join(dir, "recorded")
    await writeReports(analysis, {
      out: recorded,
      formats: ["json"],
      server: { baseUrl: server.url, albums: [ALBUM_A, ALBUM_B] }
    })
    const planned = await planActions(recorded, { action: "trash", apiKey: KEY })
    expect(planned.server).toEqual({ source: "gumnut", base_url: new URL(server.url).href })
    const discards = [idOf(mergeCopy), idOf(plainCopy)].sort()
    expect(planned.plan.groups.flatMap((g) => g.targets.map((t) => t.id)).sort()).toEqual(discards)

    const bare = join(dir, "bare")
    await writeReports(analysis, { out: bare, formats: ["json"] })
    const saved = process.env.GUMNUT_BASE_URL
    process.env.GUMNUT_BASE_URL = server.url
    onTestFinished(() => {
      if (saved === undefined) delete process.env.GUMNUT_BASE_URL
      else process.env.GUMNUT_BASE_URL = saved
    })
    const fromEnv = await planActions(bare, { action: "trash", apiKey: KEY })
    expect(fromEnv.plan.groups.flatMap((g) => g.targets.map((t) => t.id)).sort()).toEqual(discards)
    expect(server.mutations()).toEqual([])
  })
})
