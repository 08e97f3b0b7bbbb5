/**
 * A journal that fails after the server answered: the `done` entry of a trash request the server
 * carried out cannot be written (a disk failing mid-run). The request must stay `pending`, never be
 * journalled `failed`: a failed trash is never restored by undo, while a pending one is checked on
 * the server by a rerun, which then records it done so undo can bring the copies back.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Apply, GumnutTarget, Journal, planActions } from "@albumsift/core"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Effect, Layer, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import {
  ENV as env,
  idOf,
  KEY,
  mergeCopy,
  plainCopy,
  reportedGumnut as reported
} from "./support/applyLibrary.js"
import { runCli } from "./support/runCli.js"

const entries = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l))

describe("apply: a journal write that fails after the server answered (Gumnut, loopback)", () => {
  it("leaves the trash pending, not failed: a rerun finds it made, and undo restores the copies", async () => {
    const { cwd, out, server } = await reported()
    const journal = join(cwd, "j.ndjson")
    const planned = await planActions(join(out, "report.json"), { action: "trash", apiKey: KEY, journal })
    const target = GumnutTarget.layer({ apiKey: Redacted.make(KEY), baseUrl: planned.server.base_url }).pipe(
      Layer.provide(NodeHttpClient.layerUndici)
    )
    const run = Effect.scoped(
      Effect.gen(function* () {
        const writer = yield* Journal.open(journal, 1)
        yield* writer.append({
          type: "run",
          journal_version: 1,
          command: "apply",
          action: "trash",
          server: planned.server,
          report: planned.report,
          at: new Date().toISOString()
        })
        const trashSeqs = new Set<number>()
        const failing: Journal.Writer = {
          ...writer,
          append: (entry) => {
            if (entry.type === "pending" && entry.op.kind === "trash") trashSeqs.add(entry.seq)
            return entry.type === "done" && trashSeqs.has(entry.seq)
              ? Effect.fail(
                  new Journal.JournalError({ path: journal, reason: "input/output error", doing: "write" })
                )
              : writer.append(entry)
          }
        }
        return yield* Apply.execute(planned.prepared, failing)
      })
    )
    const result = await Effect.runPromise(Effect.either(Effect.provide(run, target)))
    expect(result._tag).toBe("Left")
    // The server trashed both copies; the journal says the request may have been made, not that it failed.
    expect(server.snapshot().assets[idOf(plainCopy)]!.trashed).toBe(true)
    expect(server.snapshot().assets[idOf(mergeCopy)]!.trashed).toBe(true)
    const trash = entries(journal).filter((e) => e.op?.kind === "trash" || e.type === "failed")
    expect(trash.map((e) => e.type)).toEqual(["pending"])

    // A rerun with the journal checks the pending trash on the server and records it done, sending nothing.
    const trashSent = server.count("trash")
    const rerun = await runCli(
      ["apply", "--report", out, "--action", "trash", "--yes", "--journal", journal],
      {
        cwd,
        env
      }
    )
    expect(rerun.stderr).toBe("")
    expect(rerun.code).toBe(0)
    expect(server.count("trash")).toBe(trashSent)
    const seq = trash[0].seq
    expect(entries(journal).find((e) => e.seq === seq && e.type === "done")).toMatchObject({ checked: true })

    // So undo brings both copies back.
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.code).toBe(0)
    expect(server.snapshot().assets[idOf(plainCopy)]!.trashed).toBe(false)
    expect(server.snapshot().assets[idOf(mergeCopy)]!.trashed).toBe(false)
  })
})
