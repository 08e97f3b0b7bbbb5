/**
 * End-to-end: an `apply --yes` killed with SIGKILL in the middle of a slow run, then run again with
 * the same journal, ends in exactly the planned state without acting twice on any asset; `undo`
 * then restores the library. 150 exact pairs make 150 discards, so trash takes two requests
 * (at most 100 ids each); the second one is slow, and the process dies while it is pending.
 */
import { spawn } from "node:child_process"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import {
  ALBUM_A,
  ALBUM_B,
  ENV,
  idOf,
  mergeCopy,
  mergeKeeper,
  reportedGumnut
} from "./support/applyLibrary.js"
import { makeAsset } from "./support/assets.js"
import { type GumnutServer, startGumnutServer } from "./support/gumnutServer.js"
import { BIN, runCli, tempDir } from "./support/runCli.js"

const KEY = "apikey_ResumeE2E7Hq2LmN4pR8sT1vW"
const ALBUM = ALBUM_A
const PAIRS = 150

const pairs = Array.from({ length: PAIRS }, (_, k) => {
  const time = new Date(Date.UTC(2025, 5, 1, 0, 0, 0) + k * 600_000).toISOString().replace(".000Z", "+00:00")
  const exif = {
    make: "Apple",
    model: "iPhone 15 Pro",
    original_datetime: time,
    rating: 0,
    description: null
  }
  const keeper = makeAsset(1000 + 2 * k, {
    local_datetime: time,
    exif,
    metrics: { liqe_mix: 3 },
    created_at: "2025-06-02T09:00:00Z"
  })
  const copy = makeAsset(1001 + 2 * k, {
    local_datetime: time,
    exif,
    metrics: { liqe_mix: 3 },
    checksum: keeper.checksum,
    file_size_bytes: keeper.file_size_bytes,
    created_at: "2025-06-03T09:00:00Z"
  })
  return { keeper: keeper.id as string, copy: copy.id as string, assets: [keeper, copy] }
})

let server: GumnutServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const env = { GUMNUT_API_KEY: KEY, SOURCE_DATE_EPOCH: "1767225600" }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const waitFor = async (what: string, ok: () => boolean, ms = 30_000) => {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

describe("apply: resume after kill -9 (Gumnut, loopback)", () => {
  it("a rerun with the same journal checks the pending request, sends only what is left, and never acts twice", async () => {
    server = await startGumnutServer({
      key: KEY,
      albums: { [ALBUM]: pairs.flatMap((p) => p.assets) },
      style: "seed"
    })
    const s = server
    const cwd = tempDir()
    const rep = await runCli(
      ["report", "--album", ALBUM, "--base-url", s.url, "--format", "json", "--quiet"],
      {
        cwd,
        env
      }
    )
    expect(rep.code).toBe(0)
    const before = s.snapshot()
    const out = join(cwd, "albumsift-report")
    const journal = join(cwd, "journal.ndjson")
    s.inject({ route: "trash", call: 2, fault: { kind: "slow", ms: 1500 } })

    const child = spawn(
      process.execPath,
      [BIN, "apply", "--report", out, "--action", "trash", "--yes", "--journal", journal],
      {
        cwd,
        env: { ...process.env, ...env },
        stdio: "ignore"
      }
    )
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()))
    // Kill it while its second trash request is pending (journalled, sent, not answered).
    await waitFor("the second trash request", () => s.count("trash") >= 2)
    child.kill("SIGKILL")
    await exited
    const cut = readFileSync(journal, "utf8")
    expect(
      cut
        .trim()
        .split("\n")
        .filter((l) => JSON.parse(l).type === "pending")
    ).toHaveLength(2)
    // The slow request is applied by the server after its wait, though nobody hears the answer.
    const second = s.mutations().filter((r) => r.route === "trash")[1]!.body as { ids: Array<string> }
    await waitFor("the server to apply it", () => second.ids.every((id) => s.library.isTrashed(id)))

    const rerun = await runCli(
      ["apply", "--report", out, "--action", "trash", "--yes", "--journal", journal],
      {
        cwd,
        env
      }
    )
    expect(rerun.stderr).toBe("")
    expect(rerun.code).toBe(0)
    expect(rerun.stdout).toContain("1 found already done")
    // Exactly the planned state: every copy trashed, no keeper; no id was ever sent twice.
    const after = s.snapshot()
    for (const p of pairs) {
      expect(after.assets[p.copy]!.trashed).toBe(true)
      expect(after.assets[p.keeper]!.trashed).toBe(false)
    }
    const sent = s.mutations().flatMap((r) => (r.body as { ids: Array<string> }).ids)
    expect(sent).toHaveLength(PAIRS)
    expect(new Set(sent).size).toBe(PAIRS)
    for (const r of s.mutations())
      expect((r.body as { ids: Array<string> }).ids.length).toBeLessThanOrEqual(100)
    // Every pending entry now has its outcome.
    const entries = readFileSync(journal, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
    const pending = entries.filter((e) => e.type === "pending").map((e) => e.seq)
    const done = entries.filter((e) => e.type === "done").map((e) => e.seq)
    expect(done.sort()).toEqual(pending.sort())
    expect(existsSync(journal)).toBe(true)

    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.stderr).toBe("")
    expect(undo.code).toBe(0)
    expect(s.snapshot()).toEqual(before)
  })
})

describe("apply: resume after a merge cut short (Gumnut, loopback)", () => {
  it("a rerun completes the merge before trashing, and undo still restores everything exactly", async () => {
    const { server: s, cwd, out } = await reportedGumnut()
    const before = s.snapshot()
    const journal = join(cwd, "journal.ndjson")
    // The keeper joins album B, then the field update is refused: the run stops there.
    s.inject({ route: "bulkUpdate", fault: { kind: "status", status: 403, body: { detail: "try later" } } })
    const first = await runCli(
      ["apply", "--report", out, "--action", "trash", "--yes", "--journal", journal],
      {
        cwd,
        env: ENV
      }
    )
    expect(first.code).toBe(1)
    const mid = s.snapshot()
    expect(mid.assets[idOf(mergeKeeper)]!.albums).toEqual([ALBUM_A, ALBUM_B].sort())
    expect(mid.assets[idOf(mergeKeeper)]!.rating).toBe(0)
    expect(Object.values(mid.assets).some((a) => a.trashed)).toBe(false)

    const rerun = await runCli(
      ["apply", "--report", out, "--action", "trash", "--yes", "--journal", journal],
      {
        cwd,
        env: ENV
      }
    )
    expect(rerun.stderr).toBe("")
    expect(rerun.code).toBe(0)
    const after = s.snapshot()
    expect(after.assets[idOf(mergeKeeper)]).toMatchObject({ rating: 4, latitude: 48.137, longitude: 11.575 })
    expect(after.assets[idOf(mergeCopy)]!.trashed).toBe(true)
    expect(s.mutations().filter((r) => r.route === "albumAdd")).toHaveLength(1)

    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env: ENV })
    expect(undo.code).toBe(0)
    expect(s.snapshot()).toEqual(before)
  })

  it("a journal whose last line a crash cut is resumed without gluing to it, and stays readable for undo", async () => {
    const { server: s, cwd, out } = await reportedGumnut()
    const before = s.snapshot()
    const journal = join(cwd, "journal.ndjson")
    const args = ["apply", "--report", out, "--action", "trash", "--yes", "--journal", journal]
    expect((await runCli(args, { cwd, env: ENV })).code).toBe(0)
    // Half of the last entry reached the disk.
    const text = readFileSync(journal, "utf8").trimEnd()
    const last = text.lastIndexOf("\n")
    writeFileSync(journal, text.slice(0, last + 1 + Math.floor((text.length - last) / 2)))

    const rerun = await runCli(args, { cwd, env: ENV })
    expect(rerun.stderr).toBe("")
    expect(rerun.code).toBe(0)
    const lines = readFileSync(journal, "utf8").split("\n")
    expect(lines.at(-1)).toBe("")
    for (const line of lines.slice(0, -1)) expect(() => JSON.parse(line), line).not.toThrow()
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env: ENV })
    expect(undo.stderr).toBe("")
    expect(undo.code).toBe(0)
    expect(s.snapshot()).toEqual(before)
  })

  it("a merge update left pending is sent again only for fields nobody edited since: a rating set by hand stays", async () => {
    const { server: s, cwd, out } = await reportedGumnut()
    const journal = join(cwd, "journal.ndjson")
    const args = ["apply", "--report", out, "--action", "trash", "--yes", "--journal", journal]
    s.inject({ route: "bulkUpdate", fault: { kind: "status", status: 403, body: { detail: "try later" } } })
    expect((await runCli(args, { cwd, env: ENV })).code).toBe(1)
    // As if the run had stopped after journalling the update, before sending it.
    const entries = readFileSync(journal, "utf8").trimEnd().split("\n")
    const kept = entries.filter((l) => JSON.parse(l).type !== "failed")
    writeFileSync(journal, `${kept.join("\n")}\n`)
    // Meanwhile the owner rates the keeper by hand.
    expect(s.library.bulkUpdate({ updates: [{ id: idOf(mergeKeeper), change: { rating: 2 } }] }).status).toBe(
      200
    )

    const rerun = await runCli(args, { cwd, env: ENV })
    expect(rerun.stderr).toBe("")
    expect(rerun.code).toBe(0)
    const after = s.snapshot()
    expect(after.assets[idOf(mergeKeeper)]).toMatchObject({ rating: 2, latitude: 48.137, longitude: 11.575 })
    expect(after.assets[idOf(mergeCopy)]!.trashed).toBe(true)
  })
})
