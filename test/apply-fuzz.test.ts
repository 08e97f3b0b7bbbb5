/**
 * A seeded fuzz of apply → (faults, interruptions) → resume → undo, in process against the stateful
 * loopback servers (Gumnut and Immich), checking the servers' end state:
 * - after every apply run, finished or not: nothing deleted for good, no keeper trashed, and a copy
 *   trashed (or taken from an album) only once its keeper holds what it carried;
 * - once the runs complete: the state a clean run leaves (stack ids aside);
 * - once the undo runs complete: the state before apply.
 * Faults: 5xx with and without the change applied, 429 with Retry-After 0, answers cut or malformed
 * after applying, 404/400 on album routes, a fatal 403; interruptions abort a run at any step. Also:
 * the owner trashes a keeper for the length of one run, Immich takes up v3's rating rules before the
 * undo, and an edited report gives one keeper two groups (apply-review2's).
 * By default a few fixed seeds, in process; the built CLI killed with SIGKILL runs on request.
 */
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { isDeepStrictEqual } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ALBUM_A, ALBUM_B, albums, burstOther, idOf, KEY, mergeKeeper } from "./support/applyAlbums.js"
import { applyInProcess, undoInProcess } from "./support/applyInProcess.js"
import { type Fault, sleep } from "./support/faults.js"
import { startGumnutServer } from "./support/gumnutServer.js"
import { makeImmichAsset, uuid } from "./support/immichAssets.js"
import { startImmichServer } from "./support/immichServer.js"
import { runCli, spawnCli } from "./support/runCli.js"

const IMMICH_KEY = "immich-key-ApplyFuzz9sT1vW3xY5zQ"
const I_ALBUM_A = uuid("album-a")
const I_ALBUM_B = uuid("album-b")
const withExif = (a: Record<string, unknown>, exif: Record<string, unknown>) => ({
  ...a,
  exifInfo: { ...(a.exifInfo as Record<string, unknown>), ...exif }
})
// apply-immich's library: a near pair (the copy a favourite, described, in album B) and an exact pair.
const immichAlbums = () => {
  const keeper = withExif(makeImmichAsset(1, { second: 0, rating: 5 }), { latitude: null, longitude: null })
  const copy = withExif(makeImmichAsset(2, { second: 1, rating: 2, isFavorite: true }), {
    description: "Lake",
    latitude: null,
    longitude: null
  })
  const twinA = makeImmichAsset(3, { second: 600 })
  const twinB = makeImmichAsset(4, { second: 600, bytesOf: 3 })
  // An exact pair, one copy rated 3 (a rating merge whose undo clears the rating).
  const unrated = makeImmichAsset(5, { second: 1200, rating: null })
  const rated = makeImmichAsset(6, { second: 1200, bytesOf: 5, rating: 3 })
  return { [I_ALBUM_A]: [keeper, copy, twinA, twinB, unrated, rated], [I_ALBUM_B]: [copy] }
}

type Flavour = "gumnut" | "immich"
type Action = "trash" | "remove-from-album" | "stack"

const scratch = mkdtempSync(join(tmpdir(), "albumsift-apply-fuzz-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))
const reports: Partial<Record<Variant, string>> = {}
/** gumnut-shared: apply-review2's edited report, the merge group's keeper also keeping the burst's weaker frame. */
type Variant = Flavour | "gumnut-shared"

const start = (flavour: Flavour) =>
  flavour === "gumnut"
    ? startGumnutServer({ key: KEY, albums: albums(), style: "cursor" })
    : startImmichServer({ key: IMMICH_KEY, version: 2, albums: immichAlbums() })

beforeAll(async () => {
  for (const flavour of ["gumnut", "immich"] as const) {
    const server = await start(flavour)
    const out = join(scratch, flavour)
    const args =
      flavour === "gumnut"
        ? ["report", "--album", ALBUM_A, "--album", ALBUM_B]
        : ["report", "--source", "immich", "--album", I_ALBUM_A, "--album", I_ALBUM_B]
    const r = await runCli([...args, "--base-url", server.url, "--format", "json", "--quiet", "--out", out], {
      cwd: scratch,
      env: {
        GUMNUT_API_KEY: KEY,
        IMMICH_API_KEY: IMMICH_KEY,
        SOURCE_DATE_EPOCH: "1767225600"
      }
    })
    await server.close()
    if (r.code !== 0) throw new Error(`report failed: ${r.stderr}`)
    reports[flavour] = out
  }
  const shared = join(scratch, "gumnut-shared")
  cpSync(reports.gumnut!, shared, { recursive: true })
  const report = JSON.parse(readFileSync(join(shared, "report.json"), "utf8"))
  const keeper = idOf(mergeKeeper)
  report.groups.push({
    id: "g-edited",
    kind: "exact",
    keeper,
    members: [
      { asset_id: keeper, shot_id: keeper, rank: 1, recommendation: "keep" },
      { asset_id: idOf(burstOther), shot_id: idOf(burstOther), rank: 2, recommendation: "discard" }
    ]
  })
  writeFileSync(join(shared, "report.json"), JSON.stringify(report))
  reports["gumnut-shared"] = shared
}, 60_000)

const TIMER_KILLS = process.env.FUZZ_TIMER_KILLS === "1"

const rng = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Snap = {
  assets: Record<string, Record<string, unknown>>
  albums: Record<string, Array<string>>
  stacks: unknown
  hardDeleteAttempted: boolean
  deleted?: Array<string>
}

/** A snapshot with each stack id replaced by its sorted members (ids are counters: a retry shifts them). */
const normal = (snap: Snap): unknown => {
  const text = JSON.stringify(snap)
  const ids = new Map<string, string>()
  const stacks = snap.stacks as Record<string, { assetIds: Array<string> }>
  for (const [id, s] of Object.entries(stacks ?? {}))
    ids.set(id, `stack:${[...(s.assetIds ?? [])].sort().join(",")}`)
  const out = JSON.parse(text, (_k, v) => (typeof v === "string" && ids.has(v) ? ids.get(v) : v))
  out.stacks = Object.fromEntries(
    Object.entries(out.stacks ?? {})
      .map(([k, v]) => [ids.get(k) ?? k, v] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1))
  )
  return out
}

const view = (flavour: Flavour, a: Record<string, unknown>) =>
  flavour === "gumnut"
    ? {
        trashed: a.trashed === true,
        albums: a.albums as Array<string>,
        rating: a.rating as number | null,
        description: a.description as string | null,
        gps: a.latitude !== null && a.latitude !== undefined,
        favorite: false
      }
    : {
        trashed: a.isTrashed === true,
        albums: a.albums as Array<string>,
        rating: a.rating as number | null,
        description: a.description as string | null,
        gps: a.latitude !== null && a.latitude !== undefined,
        favorite: a.isFavorite === true
      }

/** The report's groups: keeper and discards. */
const groupsOf = (variant: Variant) => {
  const report = JSON.parse(readFileSync(join(reports[variant]!, "report.json"), "utf8"))
  return (
    report.groups as Array<{
      keeper: string
      members: Array<{ asset_id: string; recommendation: string }>
    }>
  ).map((g) => ({
    keeper: g.keeper,
    copies: g.members.filter((m) => m.asset_id !== g.keeper).map((m) => m.asset_id)
  }))
}

/** Invariant 1 on any state apply leaves, finished or not. */
const checkApplied = (
  variant: Variant,
  before: Snap,
  now: Snap,
  where: string,
  handTrashed: ReadonlySet<string> = new Set()
) => {
  const flavour: Flavour = variant === "immich" ? "immich" : "gumnut"
  expect(now.hardDeleteAttempted, `${where}: hard delete`).toBe(false)
  expect(now.deleted ?? [], `${where}: deleted`).toEqual([])
  expect(Object.keys(now.assets).sort(), where).toEqual(Object.keys(before.assets).sort())
  for (const g of groupsOf(variant)) {
    const k = view(flavour, now.assets[g.keeper]!)
    const k0 = view(flavour, before.assets[g.keeper]!)
    if (!handTrashed.has(g.keeper)) expect(k.trashed, `${where}: keeper ${g.keeper} trashed`).toBe(false)
    for (const c of g.copies) {
      const c0 = view(flavour, before.assets[c]!)
      const c1 = view(flavour, now.assets[c]!)
      const trashed = c1.trashed && !c0.trashed
      const removedFrom = c0.albums.filter((x) => !c1.albums.includes(x))
      if (!trashed && removedFrom.length === 0) continue
      const at = `${where}: copy ${c} (keeper ${g.keeper})`
      for (const album of trashed ? c0.albums : removedFrom)
        expect(k.albums, `${at}: album ${album}`).toContain(album)
      if (!trashed) continue
      if ((c0.rating ?? 0) > 0 && (k0.rating ?? 0) === 0) expect(k.rating, `${at}: rating`).toBeGreaterThan(0)
      if (c0.description) expect(k.description ?? "", `${at}: description`).toContain(c0.description)
      if (c0.gps && !k0.gps) expect(k.gps, `${at}: GPS`).toBe(true)
      if (c0.favorite) expect(k.favorite, `${at}: favourite`).toBe(true)
    }
  }
}

type Phase = "apply" | "undo"
/** The routes each phase of each action sends: faults aimed where requests go. */
const ROUTES = (flavour: Flavour, action: Action, phase: Phase): ReadonlyArray<string> => {
  const g = flavour === "gumnut"
  const reads = g ? ["lookup", "lookup", "stacks"] : ["asset", "asset", "search", "album", "config"]
  const merge = g ? ["albumAdd", "bulkUpdate"] : ["albumAdd", "bulkUpdate", "update"]
  if (phase === "apply") {
    const act =
      action === "trash"
        ? ["trash", "trash"]
        : action === "stack"
          ? ["stackCreate", "stackCreate"]
          : ["albumRemove", "albumRemove"]
    return [...reads, ...merge, ...act, ...act]
  }
  const back =
    action === "trash"
      ? ["restore", "restore"]
      : action === "stack"
        ? g
          ? ["stackDelete", "stackDelete"]
          : ["stackDelete", "stacksDelete"]
        : ["albumAdd", "albumAdd"]
  return [...reads, ...merge, "albumRemove", ...back, ...back]
}
const ALBUM_ROUTES = new Set(["albumAdd", "albumRemove", "album", "lookup"])

const pick = <A>(r: () => number, xs: ReadonlyArray<A>): A => xs[Math.floor(r() * xs.length)]!

/** One random fault rule (a description for the log, the rule). */
const randomRule = (r: () => number, routes: ReadonlyArray<string>, onAfter?: () => void) => {
  const route = pick(r, routes)
  const mutation = !["lookup", "stacks", "asset", "search", "album", "config"].includes(route)
  const faults: Array<Fault> = [
    { kind: "status", status: 500 },
    { kind: "status", status: 503, headers: { "retry-after": "0" } },
    { kind: "status", status: 429, headers: { "retry-after": "0" } },
    { kind: "cut" },
    { kind: "malformed" }
  ]
  if (mutation) faults.push({ kind: "cutAfterApply" }, { kind: "answer", body: { detail: "ok" } })
  if (ALBUM_ROUTES.has(route))
    faults.push(
      { kind: "status", status: 404, body: { detail: "Album not found" } },
      { kind: "status", status: 400 }
    )
  if (r() < 0.1) faults.push({ kind: "status", status: 403, body: { detail: "Forbidden" } })
  const fault = pick(r, faults)
  const times = 1 + Math.floor(r() * 4)
  const call = 1 + Math.floor(r() * 3)
  return {
    rule: { route, fault, times, call, ...(onAfter ? { after: onAfter } : {}) },
    text: `${route}#${call}x${times}:${fault.kind}${"status" in fault ? fault.status : ""}`
  }
}

type Server = Awaited<ReturnType<typeof start>>

const pendingIn = (path: string) => {
  if (!existsSync(path)) return 0
  const lines = readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as { type: string; seq?: number })
  const closed = new Set(lines.filter((l) => l.type !== "pending").map((l) => l.seq))
  return lines.filter((l) => l.type === "pending" && !closed.has(l.seq)).length
}

/** Runs `run` (apply or undo) until it completes, with random faults and interruptions. */
const until = async (
  r: () => number,
  routes: ReadonlyArray<string>,
  server: Server,
  log: Array<string>,
  journal: string,
  run: (
    signal: AbortSignal
  ) => Promise<{ _tag: string; right?: { failed: ReadonlyArray<string> }; left?: unknown }>,
  after: (where: string, handTrashed: ReadonlySet<string>, was: Snap) => void,
  keepers: ReadonlyArray<string> = [],
  /** Whether the server is where it should end (a run may hold groups back and still succeed). */
  finished: () => boolean = () => true
) => {
  for (let attempt = 0; attempt < 20; attempt++) {
    const calm = attempt >= 6
    const abort = new AbortController()
    if (!calm) {
      const n = Math.floor(r() * 4)
      // A kill at a random moment, in flight or between requests.
      // (Off by default: where it lands depends on the machine's speed.)
      if (r() < 0.2 && TIMER_KILLS) setTimeout(() => abort.abort(), Math.floor(r() * 40))
      for (let i = 0; i < n; i++) {
        const kill = r() < 0.25 ? () => abort.abort() : undefined
        const { rule, text } = randomRule(r, routes, kill)
        // biome-ignore lint/suspicious/noExplicitAny: routes differ by flavour
        server.inject(rule as any)
        log.push(`${text}${kill ? "+kill" : ""}`)
      }
    }
    // The owner trashes a keeper in the app for the length of one run (put back after it).
    const handTrashed = new Set(!calm && keepers.length > 0 && r() < 0.2 ? [pick(r, keepers)] : [])
    for (const k of handTrashed) {
      if ("deleteAssets" in server.library) server.library.deleteAssets({ ids: [k] })
      else server.library.trash({ ids: [k] })
      log.push(`owner trashes ${k}`)
    }
    const was = server.snapshot() as Snap
    let outcome: Awaited<ReturnType<typeof run>> | "killed"
    try {
      outcome = await run(abort.signal)
    } catch (e) {
      if (!abort.signal.aborted) throw new Error(`crash: ${String(e)}\n${(e as Error).stack}`)
      outcome = "killed"
    }
    log.push(
      outcome === "killed"
        ? "killed"
        : outcome._tag === "Left"
          ? `Left ${(outcome.left as { _tag?: string })._tag}: ${String((outcome.left as { message?: string }).message).slice(0, 160)}`
          : `Right failed=${outcome.right!.failed.length}${outcome.right!.failed.length ? ` ${outcome.right!.failed[0]!.slice(0, 160)}` : ""}`
    )
    // Let orphaned requests land, as on a real server.
    await new Promise((res) => setTimeout(res, 5))
    after(`attempt ${attempt}`, handTrashed, was)
    for (const k of handTrashed) {
      if ("restoreAssets" in server.library) server.library.restoreAssets({ ids: [k] })
      else server.library.restore({ ids: [k] })
    }
    // A run the owner got in the way of holds groups back: it ends once a run goes undisturbed.
    if (
      handTrashed.size === 0 &&
      outcome !== "killed" &&
      outcome._tag === "Right" &&
      outcome.right!.failed.length === 0 &&
      pendingIn(journal) === 0 &&
      (calm || finished())
    )
      return
  }
  throw new Error(`never completed:\n${log.join("\n")}`)
}

const planned = new Map<string, unknown>()
const plannedState = async (variant: Variant, action: Action) => {
  const flavour: Flavour = variant === "immich" ? "immich" : "gumnut"
  const key = `${variant} ${action}`
  if (!planned.has(key)) {
    const server = await start(flavour)
    const journal = join(mkdtempSync(join(scratch, "p-")), "journal.ndjson")
    const run = await applyInProcess({
      source: flavour,
      url: server.url,
      key: flavour === "gumnut" ? KEY : IMMICH_KEY,
      report: reports[variant]!,
      journal,
      action
    })
    expect(run._tag).toBe("Right")
    planned.set(key, normal(server.snapshot() as Snap))
    await server.close()
  }
  return planned.get(key)
}

export const fuzzCase = async (seed: number) => {
  const r = rng(seed)
  const variant: Variant = pick(r, ["gumnut", "gumnut-shared", "immich", "immich"] as const)
  const flavour: Flavour = variant === "immich" ? "immich" : "gumnut"
  const action: Action = pick(r, ["trash", "trash", "remove-from-album", "stack"] as const)
  const log = [`seed ${seed}: ${variant} ${action}`]
  const expected = await plannedState(variant, action)
  const server = await start(flavour)
  try {
    const key = flavour === "gumnut" ? KEY : IMMICH_KEY
    const dir = mkdtempSync(join(scratch, "c-"))
    mkdirSync(dir, { recursive: true })
    const report = join(dir, "report")
    cpSync(reports[variant]!, report, { recursive: true })
    const journal = join(dir, "journal.ndjson")
    const before = server.snapshot() as Snap
    const fail = (e: unknown) => {
      const j = existsSync(journal) && process.env.FUZZ_JOURNAL ? readFileSync(journal, "utf8") : ""
      throw new Error(`${(e as Error).message}\n--- ${log.join("\n")}\n${j}`)
    }
    try {
      await until(
        r,
        ROUTES(flavour, action, "apply"),
        server,
        log,
        journal,
        (signal) =>
          applyInProcess({ source: flavour, url: server.url, key, report, journal, action, signal }),
        (where, handTrashed, was) => {
          const now = server.snapshot() as Snap
          checkApplied(variant, before, now, `apply ${where}`, handTrashed)
          // No copy of a keeper in the trash goes to the trash, nor leaves an album.
          const groups = groupsOf(variant)
          for (const g of groups.filter((g) => handTrashed.has(g.keeper)))
            for (const c of g.copies) {
              // An edited report may give the copy another keeper, still live.
              if (groups.some((o) => o.copies.includes(c) && !handTrashed.has(o.keeper))) continue
              const c0 = view(flavour, was.assets[c]!)
              const c1 = view(flavour, now.assets[c]!)
              if (!c0.trashed)
                expect(c1.trashed, `apply ${where}: ${c} trashed with its keeper in the trash`).toBe(false)
              for (const a of c0.albums)
                expect(
                  c1.albums,
                  `apply ${where}: ${c} taken from ${a} with its keeper in the trash`
                ).toContain(a)
            }
        },
        [...new Set(groupsOf(variant).map((g) => g.keeper))],
        () => isDeepStrictEqual(normal(server.snapshot() as Snap), expected)
      )
      expect(normal(server.snapshot() as Snap), "apply's end state").toEqual(expected)
      // Immich upgraded to v3 between apply and undo (a rating 0 refused): the state is the same.
      if ("ratingNullable" in server.library && r() < 0.3) {
        server.library.ratingNullable = true
        log.push("server now v3 (ratingNullable)")
      }
      await until(
        r,
        ROUTES(flavour, action, "undo"),
        server,
        log,
        journal.replace(/\.ndjson$/, "-undo.ndjson"),
        (signal) => undoInProcess({ url: server.url, key, journal, signal }),
        () => expect((server.snapshot() as Snap).hardDeleteAttempted).toBe(false),
        [],
        () => isDeepStrictEqual(server.snapshot(), before)
      )
      expect(server.snapshot(), "undo's end state").toEqual(before)
    } catch (e) {
      fail(e)
    }
  } finally {
    if (process.env.FUZZ_LOG) appendFileSync(process.env.FUZZ_LOG, `${log.join("\n")}\n`)
    await server.close()
  }
}

// A few fixed seeds by default (a few seconds); FUZZ_SEEDS=1000 FUZZ_FIRST=1 FUZZ_TIMER_KILLS=1 for
// a long run, FUZZ_CLI_SEEDS=40 for the built CLI killed with SIGKILL; FUZZ_LOG=<file> logs each case.
const SEEDS = Number(process.env.FUZZ_SEEDS ?? 12)
const FIRST = Number(process.env.FUZZ_FIRST ?? 1)

describe.runIf(SEEDS > 0)("apply/undo fuzz (in process)", () => {
  for (let s = FIRST; s < FIRST + SEEDS; s++) it(`seed ${s}`, () => fuzzCase(s), 30_000)
})

/** The built CLI, killed (SIGKILL) at random moments of apply and undo, then rerun to completion. */
const cliCase = async (seed: number) => {
  const r = rng(seed * 7919)
  const variant: Variant = pick(r, ["gumnut", "immich"] as const)
  const flavour: Flavour = variant === "immich" ? "immich" : "gumnut"
  const action: Action = pick(r, ["trash", "remove-from-album", "stack"] as const)
  const log = [`cli seed ${seed}: ${variant} ${action}`]
  const expected = await plannedState(variant, action)
  const server = await start(flavour)
  const dir = mkdtempSync(join(scratch, "k-"))
  try {
    cpSync(reports[variant]!, join(dir, "report"), { recursive: true })
    const env = flavour === "gumnut" ? { GUMNUT_API_KEY: KEY } : { IMMICH_API_KEY: IMMICH_KEY }
    const before = server.snapshot() as Snap
    // Every mutation takes a while, so a kill lands in flight as often as between requests.
    // biome-ignore lint/suspicious/noExplicitAny: routes differ by flavour
    server.inject({ route: "any" as any, fault: { kind: "slow", ms: 15 }, times: 1_000_000 })
    const runUntilDone = async (args: Array<string>, after: () => void) => {
      for (let attempt = 0; attempt < 12; attempt++) {
        // Killed once the server saw a random number of this run's mutations, a moment later.
        const killAt = attempt < 5 && r() < 0.8 ? [Math.floor(r() * 5), Math.floor(r() * 20)] : undefined
        const seen = server.mutations().length
        const child = spawnCli(args, { cwd: dir, env })
        const err: Array<Buffer> = []
        child.stderr.on("data", (b: Buffer) => err.push(b))
        child.stdout.resume()
        child.stdin.end()
        let gone = false
        const exited = new Promise<number | null>((res) =>
          child.on("close", (code) => {
            gone = true
            res(code)
          })
        )
        if (killAt !== undefined) {
          void (async () => {
            while (!gone && server.mutations().length - seen < killAt[0]!) await sleep(1)
            await sleep(killAt[1]!)
            if (!gone) child.kill("SIGKILL")
          })()
        }
        const code = await exited
        const stderr = Buffer.concat(err).toString("utf8")
        log.push(
          `${args[0]} kill@${killAt?.join("+") ?? "-"} -> ${code} ${stderr.split("\n")[0]!.slice(0, 140)}`
        )
        // Let an orphaned request land, as on a real server.
        await new Promise((res) => setTimeout(res, 40))
        if (code !== null) {
          expect([0, 1, 2], `exit code: ${stderr}`).toContain(code)
          expect(stderr, "a stack trace").not.toMatch(/\n\s+at .+:\d+:\d+/)
        }
        after()
        if (code === 0) return
      }
      throw new Error("never completed")
    }
    try {
      await runUntilDone(
        [
          "apply",
          "--report",
          "report",
          "--action",
          action,
          "--yes",
          "--journal",
          "j.ndjson",
          "--base-url",
          server.url
        ],
        () => checkApplied(variant, before, server.snapshot() as Snap, "cli apply")
      )
      expect(normal(server.snapshot() as Snap), "apply's end state").toEqual(expected)
      await runUntilDone(["undo", "--journal", "j.ndjson", "--yes"], () => undefined)
      expect(server.snapshot(), "undo's end state").toEqual(before)
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- ${log.join("\n")}`)
    }
  } finally {
    if (process.env.FUZZ_LOG) appendFileSync(process.env.FUZZ_LOG, `${log.join("\n")}\n`)
    await server.close()
  }
}

const CLI_SEEDS = Number(process.env.FUZZ_CLI_SEEDS ?? 0)
describe.runIf(CLI_SEEDS > 0)("apply/undo fuzz (built CLI, SIGKILL)", () => {
  for (let s = 1; s <= CLI_SEEDS; s++) it(`cli seed ${s}`, () => cliCase(s), 60_000)
})
