/**
 * End-to-end (review finding): a resumed run that re-sends a `pending` trash but holds back part of
 * its ids (a check now holds them back) journals only the ids it sent. Later runs then still act on
 * the held-back copies once the check passes, and `undo` restores only what albumsift trashed.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it, onTestFinished } from "vitest"
import { makeAsset } from "./support/assets.js"
import { startGumnutServer } from "./support/gumnutServer.js"
import { runCli, tempDir } from "./support/runCli.js"

const KEY = "apikey_HeldBackE2E7Hq2LmN4pR8sT1vW"
const ALBUM = "album_R99NCS4MdYwULi9UyBwy4z"
const env = { GUMNUT_API_KEY: KEY, SOURCE_DATE_EPOCH: "1767225600" }

// Two groups of identical copies (a, b): the keeper is the one uploaded first.
const pair = (k: number) => {
  const time = `2025-06-01T1${k}:00:00+02:00`
  const exif = {
    make: "Apple",
    model: "iPhone 15 Pro",
    original_datetime: time,
    rating: 0,
    description: null
  }
  const keeper = makeAsset(10 + 2 * k, {
    local_datetime: time,
    exif,
    metrics: { liqe_mix: 3 },
    created_at: "2025-06-02T09:00:00Z"
  })
  const copy = makeAsset(11 + 2 * k, {
    local_datetime: time,
    exif,
    metrics: { liqe_mix: 3 },
    checksum: keeper.checksum,
    file_size_bytes: keeper.file_size_bytes,
    created_at: "2025-06-03T09:00:00Z"
  })
  return { keeper: keeper.id as string, copy: copy.id as string, assets: [keeper, copy] }
}
const a = pair(0)
const b = pair(1)

/**
 * A run that died right after journalling its trash of both copies, before sending it; meanwhile
 * the owner trashed a's keeper, so the resume holds a's copy back and trashes b's only.
 */
const resumedWithAHeldBack = async () => {
  const server = await startGumnutServer({
    key: KEY,
    albums: { [ALBUM]: [...a.assets, ...b.assets] },
    style: "seed"
  })
  onTestFinished(() => server.close())
  const cwd = tempDir()
  const rep = await runCli(
    ["report", "--album", ALBUM, "--base-url", server.url, "--format", "json", "--quiet"],
    {
      cwd,
      env
    }
  )
  expect(rep.code, rep.stderr).toBe(0)
  const out = join(cwd, "albumsift-report")
  const before = server.snapshot()
  const journal = join(cwd, "journal.ndjson")
  const at = "2026-01-01T00:00:00.000Z"
  const base_url = JSON.parse(readFileSync(join(out, "report.json"), "utf8")).sources.find(
    (x: { kind: string }) => x.kind === "api"
  ).base_url
  writeFileSync(
    journal,
    `${[
      {
        type: "run",
        journal_version: 1,
        command: "apply",
        action: "trash",
        server: { source: "gumnut", base_url },
        report: out,
        at
      },
      { type: "pending", seq: 1, op: { kind: "trash", ids: [a.copy, b.copy] }, at }
    ]
      .map((e) => JSON.stringify(e))
      .join("\n")}\n`
  )
  server.library.trash({ ids: [a.keeper] })
  const args = ["apply", "--report", out, "--action", "trash", "--yes", "--journal", journal]
  const rerun = await runCli(args, { cwd, env })
  expect(rerun.stderr).toBe("")
  expect(rerun.code).toBe(0)
  const mid = server.snapshot()
  expect(mid.assets[a.copy]!.trashed).toBe(false)
  expect(mid.assets[b.copy]!.trashed).toBe(true)
  return { server, cwd, before, journal, args }
}

describe("apply: a resumed trash that holds ids back journals only those it sent (Gumnut, loopback)", () => {
  it("undo leaves a held-back copy the owner trashed by hand afterwards in the trash", async () => {
    const { server, cwd, journal } = await resumedWithAHeldBack()
    // The owner trashes a's copy too, by hand: albumsift never trashed it.
    server.library.trash({ ids: [a.copy] })
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.stderr).toBe("")
    expect(undo.code).toBe(0)
    const after = server.snapshot()
    expect(after.assets[b.copy]!.trashed).toBe(false)
    expect(after.assets[a.copy]!.trashed).toBe(true)
    expect(after.assets[a.keeper]!.trashed).toBe(true)
    const restored = server
      .mutations()
      .filter((m) => m.route === "restore")
      .flatMap((m) => (m.body as { ids: Array<string> }).ids)
    expect(restored).toEqual([b.copy])
  })

  it("a later run trashes the held-back copy once its check passes, and undo restores everything", async () => {
    const { server, cwd, before, journal, args } = await resumedWithAHeldBack()
    // The owner restores a's keeper: a's copy may go now.
    server.library.restore({ ids: [a.keeper] })
    const again = await runCli(args, { cwd, env })
    expect(again.stderr).toBe("")
    expect(again.code).toBe(0)
    expect(server.snapshot().assets[a.copy]!.trashed).toBe(true)
    expect(server.snapshot().assets[a.keeper]!.trashed).toBe(false)
    const undo = await runCli(["undo", "--journal", journal, "--yes"], { cwd, env })
    expect(undo.stderr).toBe("")
    expect(undo.code).toBe(0)
    expect(server.snapshot()).toEqual(before)
  })
})
