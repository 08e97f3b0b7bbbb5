import { existsSync } from "node:fs"
import { join } from "node:path"
import {
  ApplyFailed,
  analyzeAlbums,
  applyPlan,
  InvalidOptions,
  planActions,
  type RequestOptions,
  Target,
  undoJournal
} from "@albumsift/core"
import { writeReports } from "@albumsift/report"
import { Duration } from "effect"
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
  reportedGumnut,
  whileLocked
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

  it("two runs at once on one journal in one process: the second is refused, the first completes", async () => {
    const { server, out } = await reportedGumnut()
    const planned = await planActions(out, { action: "trash", apiKey: KEY })
    // Slow answers keep the first run holding the journal while the second starts.
    server.inject({ route: "any", fault: { kind: "slow", ms: 300 }, times: 99 })
    const [first, second] = await Promise.allSettled([applyPlan(planned), applyPlan(planned)])
    expect(first.status).toBe("fulfilled")
    expect(second.status).toBe("rejected")
    expect(String((second as PromiseRejectedResult).reason)).toContain("another run in this process")
    expect(server.mutations().filter((m) => m.route === "trash")).toHaveLength(1)
    expect(existsSync(`${planned.journal}.lock`)).toBe(false)
    // Once the first has ended, the journal is free again: a rerun finds everything done.
    const again = await applyPlan(
      await planActions(out, { action: "trash", apiKey: KEY, journal: planned.journal })
    )
    expect(again.outcome.failed).toEqual([])
  })

  it("undoJournal waits for the apply run it reverses: while that run holds its journal, the undo is refused", async () => {
    const { server, out } = await reportedGumnut()
    const before = server.snapshot()
    const { journal } = await applyPlan(await planActions(out, { action: "trash", apiKey: KEY }))
    const after = server.snapshot()
    const sent = server.mutations().length
    // An apply run still going on that journal (here: its lock, held by another run in this process)
    // would act after the undo read it, e.g. trash copies whose merge the undo just took back.
    const refused = await whileLocked(journal, () =>
      undoJournal(journal, { apiKey: KEY, yes: true }).catch((e: unknown) => e)
    )
    expect(String(refused)).toContain("another run in this process")
    expect(server.mutations()).toHaveLength(sent)
    expect(server.snapshot()).toEqual(after)
    // Once it has ended, the undo goes ahead.
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
    expect(await refused(undoJournal(planned.journal, null as never))).toContain("expected an object")
    // A retry policy or a signal that is not one is refused too, before any request.
    const requests = server.requests.length
    expect(
      await refused(planActions(out, { action: "trash", apiKey: KEY, retry: { retries: -1 } }))
    ).toContain("retries")
    expect(
      await refused(planActions(out, { action: "trash", apiKey: KEY, retry: { retry: 0 } as never }))
    ).toContain("unknown key retry")
    expect(await refused(applyPlan(planned, { retry: { timeout: "soon" as never } }))).toContain("timeout")
    expect(await refused(undoJournal(planned.journal, { signal: "stop" as never }))).toContain("AbortSignal")
    expect(server.requests).toHaveLength(requests)
    expect(server.mutations()).toEqual([])
  })

  it("a retry duration that is negative or not a number, or a timeout of zero, is refused however it is written; valid ones pass", async () => {
    const dir = tempDir()
    const report = join(dir, "no-report")
    const outcome = async (retry: unknown) => {
      const error = await planActions(report, { action: "trash", apiKey: KEY, retry: retry as never }).then(
        () => undefined,
        (e: unknown) => e
      )
      return error instanceof InvalidOptions ? error.message : "passed"
    }
    // Written as a number, a negative delay is refused; written any other way it was read as zero.
    for (const bad of [
      { baseDelay: -1000 },
      { baseDelay: "-1 seconds" },
      { maxDelay: [-1, 0] },
      { maxRetryAfter: -5n },
      { baseDelay: [Number.NaN, 0] },
      // A timeout (or deadline) of zero fails every request at once: the CLI refuses `--timeout 0` too.
      { timeout: 0 },
      { timeout: "0 seconds" },
      { deadline: "-2 minutes" },
      // A bigint where a whole number belongs is refused, not a TypeError from JSON.stringify.
      { retries: 5n }
    ]) {
      const key = Object.keys(bad)[0]!
      expect(
        await outcome(bad),
        JSON.stringify(bad, (_, v) => (typeof v === "bigint" ? `${v}n` : v))
      ).toContain(`${key}:`)
    }
    expect(await outcome(5n)).toContain("expected an object")
    // Valid policies are not refused (the missing report fails next).
    for (const good of [
      { baseDelay: 0 },
      { baseDelay: "0 millis" },
      { maxDelay: [2, 0] },
      { maxRetryAfter: 1_000_000_000n },
      { timeout: "2 seconds", deadline: 5000 },
      { timeout: Duration.seconds(1) },
      { retries: 0, jitter: false }
    ])
      expect(
        await outcome(good),
        JSON.stringify(good, (_, v) => (typeof v === "bigint" ? `${v}n` : v))
      ).toBe("passed")
  })

  it("retry is honoured by planActions, applyPlan (the plan's by default) and undoJournal: with `retries: 0` a 503 is sent once and fails, where the default retries it", async () => {
    const { server, out } = await reportedGumnut()
    const before = server.snapshot()
    const seen = (route: string) => server.requests.filter((r) => r.route === route).length
    // Typed with the options type the package root exports, as a library user would.
    const none: RequestOptions["retry"] = { retries: 0 }

    // planActions: the look-up answered 503 is not asked again.
    const lookups = seen("lookup")
    server.inject({ route: "lookup", fault: { kind: "status", status: 503 } })
    const unplanned = await planActions(out, { action: "trash", apiKey: KEY, retry: none }).catch(
      (e: unknown) => e
    )
    expect(unplanned).toBeInstanceOf(Target.TargetError)
    expect(seen("lookup")).toBe(lookups + 1)

    // applyPlan, given its own: the trash answered 503 is sent once, and the run fails with its outcome.
    const planned = await planActions(out, { action: "trash", apiKey: KEY })
    const trashes = planned.prepared.requests.filter((q) => q.op.kind === "trash").length
    server.inject({ route: "trash", fault: { kind: "status", status: 503 } })
    const failed = await applyPlan(planned, { retry: none }).catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(ApplyFailed)
    expect((failed as ApplyFailed).outcome?.failed).toHaveLength(1)
    expect(seen("trash")).toBe(trashes)

    // applyPlan, given none, takes the plan's: the resumed trash, answered 503 again, is sent once.
    const resumed = await planActions(out, {
      action: "trash",
      apiKey: KEY,
      journal: planned.journal,
      retry: none
    })
    expect(resumed.retry).toEqual(none)
    const sent = seen("trash")
    server.inject({ route: "trash", fault: { kind: "status", status: 503 } })
    expect(await applyPlan(resumed).catch((e: unknown) => e)).toBeInstanceOf(ApplyFailed)
    expect(seen("trash")).toBe(sent + 1)
    const { journal } = await applyPlan(
      await planActions(out, { action: "trash", apiKey: KEY, journal: planned.journal })
    )

    // undoJournal: the restore answered 503 is sent once; the rest of the undo goes on.
    const restores = seen("restore")
    server.inject({ route: "restore", fault: { kind: "status", status: 503 } })
    const undone = await undoJournal(journal, { apiKey: KEY, yes: true, retry: none }).catch(
      (e: unknown) => e
    )
    expect(undone).toBeInstanceOf(ApplyFailed)
    expect((undone as ApplyFailed).outcome?.failed).toHaveLength(1)
    expect((undone as ApplyFailed).journal).toMatch(/-undo\.ndjson$/)
    expect(seen("restore")).toBe(restores + 1)
    await undoJournal(journal, { apiKey: KEY, yes: true })
    expect(server.snapshot()).toEqual(before)
  })

  it("a signal stops a run as a kill would: it rejects with the signal's reason, releases the journal, and the next run resumes it", async () => {
    const { server, out } = await reportedGumnut()
    const before = server.snapshot()
    const requests = server.requests.length
    const early = await planActions(out, { action: "trash", apiKey: KEY, signal: AbortSignal.abort() }).catch(
      (e: unknown) => e
    )
    expect((early as Error).name).toBe("AbortError")
    expect(server.requests).toHaveLength(requests)

    const planned = await planActions(out, { action: "trash", apiKey: KEY })
    const abort = new AbortController()
    // Aborted while the client waits to retry a trash answered 503.
    server.inject({ route: "trash", fault: { kind: "status", status: 503 }, after: () => abort.abort() })
    const stopped = await applyPlan(planned, { signal: abort.signal }).catch((e: unknown) => e)
    expect(stopped).toBe(abort.signal.reason)
    expect(server.requests.filter((r) => r.route === "trash")).toHaveLength(1)
    expect(existsSync(`${planned.journal}.lock`)).toBe(false)

    const { journal, outcome } = await applyPlan(
      await planActions(out, { action: "trash", apiKey: KEY, journal: planned.journal })
    )
    expect(outcome.failed).toEqual([])
    expect(server.snapshot().assets[idOf(plainCopy)]!.trashed).toBe(true)
    await undoJournal(journal, { apiKey: KEY, yes: true })
    expect(server.snapshot()).toEqual(before)
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
