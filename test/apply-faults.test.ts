/**
 * End-to-end: `albumsift apply --yes` under faults, against the stateful loopback servers. The end
 * state of every faulty run is compared with the state a clean run of the same plan leaves (deep
 * equality of the whole library, stack ids included, so a stack made twice would show):
 * - 429 (with Retry-After, honoured) and 503 on a mutation are retried;
 * - a request cut after the server applied it is checked, never repeated;
 * - kill -9 in the middle of a slow run, then a rerun with the same journal, ends in the planned
 *   state and acts on nothing twice;
 * - a wrong key (401) stops before any mutation, and 403/422 on a mutation stop the run at once;
 *   the key appears nowhere in the output, the journal or the report folder.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { type LoggedRequest, sleep } from "./support/faults.js"
import { type GumnutServer, startGumnutServer } from "./support/gumnutServer.js"
import { makeImmichAsset, uuid } from "./support/immichAssets.js"
import { type ImmichServer, startImmichServer } from "./support/immichServer.js"
import { runCli, SAMPLE, spawnCli, tempDir } from "./support/runCli.js"

const GUMNUT_KEY = "apikey_APPLYfaults9Zq3Wx7Vb2Nm5Kp8Lt"
const IMMICH_KEY = "kXb1mT9qLw0R3vY7uP2sZ8nC4dF6gH5jJ1aQeFLT"
const ALBUM = "album_R99NCS4MdYwULi9UyBwy4z"
const IMMICH_ALBUM = uuid("apply-faults-album")

// The bundled sample (26 duplicate groups, 4 of them exact) as one Gumnut album.
const records: ReadonlyArray<Record<string, unknown>> = JSON.parse(readFileSync(SAMPLE, "utf8")).filter(
  (x: unknown) => typeof x === "object" && x !== null && typeof (x as { id?: unknown }).id === "string"
)
// An Immich album with two exact copies of one photo (1 and 4) and of another (2 and 5).
const immichAssets = () => [
  makeImmichAsset(0, { second: 0 }),
  makeImmichAsset(1, { second: 3600 }),
  makeImmichAsset(2, { second: 7200 }),
  makeImmichAsset(3, { second: 10800 }),
  makeImmichAsset(4, { bytesOf: 1, second: 14400 }),
  makeImmichAsset(5, { bytesOf: 2, second: 18000 })
]

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

const gumnut = async () => {
  const server = await startGumnutServer({ key: GUMNUT_KEY, style: "seed", albums: { [ALBUM]: records } })
  closers.push(server.close)
  return server
}
const immich = async () => {
  const server = await startImmichServer({
    key: IMMICH_KEY,
    version: 2,
    albums: { [IMMICH_ALBUM]: immichAssets() }
  })
  closers.push(server.close)
  return server
}

type Flavour = "gumnut" | "immich"
const ENV: Record<Flavour, Record<string, string>> = {
  gumnut: { GUMNUT_API_KEY: GUMNUT_KEY },
  immich: { IMMICH_API_KEY: IMMICH_KEY }
}

/** The report folders made once (by `albumsift report` against a loopback server), copied into each test. */
const made: Partial<Record<Flavour, string>> = {}
const scratch = mkdtempSync(join(tmpdir(), "albumsift-apply-faults-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const makeReport = async (flavour: Flavour) => {
  const cwd = join(scratch, flavour)
  mkdirSync(cwd)
  const server = flavour === "gumnut" ? await gumnut() : await immich()
  const args =
    flavour === "gumnut"
      ? ["report", "--album", ALBUM, "--base-url", server.url]
      : ["report", "--source", "immich", "--album", IMMICH_ALBUM, "--base-url", server.url]
  const r = await runCli([...args, "--out", join(cwd, "report")], { cwd: scratch, env: ENV[flavour] })
  if (r.code !== 0) throw new Error(`report failed: ${r.stderr}`)
  await server.close()
  made[flavour] = join(cwd, "report")
}

/** A fresh copy of the report folder in a temporary working directory. */
const workspace = (flavour: Flavour) => {
  const cwd = tempDir()
  cpSync(made[flavour]!, join(cwd, "report"), { recursive: true })
  return cwd
}

type Server = GumnutServer | ImmichServer
type Action = "trash" | "stack" | "remove-from-album"

const applyArgs = (server: Server, action: Action) => [
  "apply",
  "--report",
  "report",
  "--action",
  action,
  "--yes",
  "--journal",
  "journal.ndjson",
  "--base-url",
  server.url
]

const apply = (flavour: Flavour, server: Server, cwd: string, action: Action, env = ENV[flavour]) =>
  runCli(applyArgs(server, action), { cwd, env })

/** The state a clean `apply --yes` of this action leaves on a fresh server (the planned end state). */
const planned = new Map<string, unknown>()
const plannedState = async (flavour: Flavour, action: Action) => {
  const key = `${flavour} ${action}`
  if (!planned.has(key)) {
    const server = flavour === "gumnut" ? await gumnut() : await immich()
    const r = await apply(flavour, server, workspace(flavour), action)
    expect(r.code, r.stderr).toBe(0)
    expect(server.mutations().length).toBeGreaterThan(0)
    planned.set(key, { snapshot: server.snapshot(), mutations: server.mutations().length })
  }
  return planned.get(key) as { snapshot: unknown; mutations: number }
}

/** The journal's lines. */
const journal = (cwd: string): Array<{ type: string; seq?: number }> =>
  readFileSync(join(cwd, "journal.ndjson"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l))

/** Every byte a run left: its output, the journal and every file in the report folder. */
const everything = (cwd: string, out: string) => {
  let text = out
  if (existsSync(join(cwd, "journal.ndjson"))) text += readFileSync(join(cwd, "journal.ndjson"), "utf8")
  for (const f of readdirSync(join(cwd, "report"), { recursive: true }) as Array<string>) {
    const path = join(cwd, "report", f)
    if (f.endsWith(".json") || f.endsWith(".ndjson") || f.endsWith(".csv") || f.endsWith(".html"))
      text += readFileSync(path, "utf8")
  }
  return text
}

beforeAll(async () => {
  await makeReport("gumnut")
  await makeReport("immich")
}, 60_000)

describe("apply --yes retries mutations", () => {
  for (const flavour of ["gumnut", "immich"] as const) {
    it(`429 with Retry-After, then 503, on trash: retried, no sooner than asked, ending in the planned state (${flavour})`, async () => {
      const { snapshot } = await plannedState(flavour, "trash")
      const server = flavour === "gumnut" ? await gumnut() : await immich()
      const route = "trash"
      server.inject({ route, fault: { kind: "status", status: 429, headers: { "retry-after": "1" } } })
      server.inject({ route, fault: { kind: "status", status: 503 } })
      const cwd = workspace(flavour)
      const r = await apply(flavour, server, cwd, "trash")
      expect(r.code, r.stderr).toBe(0)
      const trashes = server.mutations().filter((q) => q.route === route)
      expect(trashes).toHaveLength(3)
      expect(trashes[1]!.body).toEqual(trashes[0]!.body)
      expect(trashes[2]!.body).toEqual(trashes[0]!.body)
      // Nothing at all reached the server within the second the 429 asked for.
      const seen: ReadonlyArray<LoggedRequest> = server.requests
      const next = seen[seen.indexOf(trashes[0]!) + 1]!
      expect(next.at - trashes[0]!.at).toBeGreaterThanOrEqual(1000)
      expect(server.snapshot()).toEqual(snapshot)
      expect(server.library.hardDeleteAttempted).toBe(false)
    })

    it(`a trash cut after the server applied it is checked, not sent again (${flavour})`, async () => {
      const { snapshot } = await plannedState(flavour, "trash")
      const server = flavour === "gumnut" ? await gumnut() : await immich()
      server.inject({ route: "trash", fault: { kind: "cutAfterApply" } })
      const cwd = workspace(flavour)
      const r = await apply(flavour, server, cwd, "trash")
      expect(r.code, r.stderr).toBe(0)
      expect(server.faultsLeft()).toBe(0)
      expect(server.mutations().filter((q) => q.route === "trash")).toHaveLength(1)
      expect(server.snapshot()).toEqual(snapshot)
      const lines = journal(cwd)
      expect(lines.filter((l) => l.type === "done")).toHaveLength(
        lines.filter((l) => l.type === "pending").length
      )
    })
  }

  it("--retries 0: a 503 on trash is not retried, the run fails on one line, and a rerun with the journal finishes (gumnut)", async () => {
    const { snapshot } = await plannedState("gumnut", "trash")
    const server = await gumnut()
    server.inject({ route: "trash", fault: { kind: "status", status: 503 } })
    const cwd = workspace("gumnut")
    const r = await runCli([...applyArgs(server, "trash"), "--retries", "0"], { cwd, env: ENV.gumnut })
    expect(r.code).toBe(1)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toContain("503")
    expect(server.mutations().filter((q) => q.route === "trash")).toHaveLength(1)
    expect(server.faultsLeft()).toBe(0)
    const again = await apply("gumnut", server, cwd, "trash")
    expect(again.code, again.stderr).toBe(0)
    expect(server.snapshot()).toEqual(snapshot)
  })

  it("409 on a stack (a concurrent change: nothing made) is retried unchanged (gumnut)", async () => {
    const { snapshot, mutations } = await plannedState("gumnut", "stack")
    const server = await gumnut()
    server.inject({
      route: "stackCreate",
      call: 3,
      fault: { kind: "status", status: 409, body: { detail: "Conflict" } }
    })
    const r = await apply("gumnut", server, workspace("gumnut"), "stack")
    expect(r.code, r.stderr).toBe(0)
    const creates = server.mutations().filter((q) => q.route === "stackCreate")
    expect(creates[3]!.body).toEqual(creates[2]!.body)
    expect(server.mutations()).toHaveLength(mutations + 1)
    expect(server.snapshot()).toEqual(snapshot)
  })

  for (const flavour of ["gumnut", "immich"] as const) {
    it(`a stack cut after the server made it is not made twice (${flavour})`, async () => {
      const { snapshot, mutations } = await plannedState(flavour, "stack")
      const server = flavour === "gumnut" ? await gumnut() : await immich()
      server.inject({ route: "stackCreate", call: 2, fault: { kind: "cutAfterApply" } })
      const r = await apply(flavour, server, workspace(flavour), "stack")
      expect(r.code, r.stderr).toBe(0)
      expect(server.faultsLeft()).toBe(0)
      expect(server.mutations()).toHaveLength(mutations)
      expect(server.snapshot()).toEqual(snapshot)
    })
  }
})

describe("apply --yes: a stack made but answered without its id", () => {
  const faults = [
    ["without an id", { kind: "answer", body: { detail: "ok" } }],
    ["with a body that is not JSON", { kind: "malformed" }]
  ] as const
  for (const flavour of ["gumnut", "immich"] as const) {
    for (const [what, fault] of faults) {
      it(`answered ${what}: the keeper is looked up, the stack journalled with its id, and undo dissolves it (${flavour})`, async () => {
        const { snapshot, mutations } = await plannedState(flavour, "stack")
        const server = flavour === "gumnut" ? await gumnut() : await immich()
        const original = server.snapshot()
        server.inject({ route: "stackCreate", call: 2, fault })
        const cwd = workspace(flavour)
        const r = await apply(flavour, server, cwd, "stack")
        expect(r.code, r.stderr).toBe(0)
        expect(server.faultsLeft()).toBe(0)
        expect(server.mutations()).toHaveLength(mutations)
        expect(server.snapshot()).toEqual(snapshot)
        const lines = journal(cwd) as Array<{ type: string; result?: { stack_id?: string } }>
        const done = lines.filter((l) => l.type === "done")
        expect(done).toHaveLength(lines.filter((l) => l.type === "pending").length)
        for (const l of done) expect(typeof l.result?.stack_id).toBe("string")

        const undo = await runCli(["undo", "--journal", "journal.ndjson", "--yes"], {
          cwd,
          env: ENV[flavour]
        })
        expect(undo.code, undo.stderr).toBe(0)
        expect(server.snapshot()).toEqual(original)
      })
    }

    it(`answered 200 without an id but not made: the run names the keeper, and the other stacks are undone (${flavour})`, async () => {
      const server = flavour === "gumnut" ? await gumnut() : await immich()
      const original = server.snapshot()
      // Refused (nothing made), yet answered 200 with no stack.
      server.inject({ route: "stackCreate", call: 2, fault: { kind: "status", status: 200, body: {} } })
      const cwd = workspace(flavour)
      const r = await apply(flavour, server, cwd, "stack")
      expect(r.code).toBe(1)
      const lines = journal(cwd) as Array<{
        type: string
        seq: number
        op?: { keeper: string }
        error?: string
      }>
      const failed = lines.filter((l) => l.type === "failed")
      expect(failed).toHaveLength(1)
      // The failure names the keeper to check by hand (in the journal, and on stderr as the first).
      const keeper = lines.find((l) => l.type === "pending" && l.seq === failed[0]!.seq)!.op!.keeper
      expect(failed[0]!.error).toContain(keeper)
      expect(r.stderr).toContain(keeper)
      expect(server.snapshot().stacks).not.toEqual(original.stacks)

      const undo = await runCli(["undo", "--journal", "journal.ndjson", "--yes"], { cwd, env: ENV[flavour] })
      expect(undo.code, undo.stderr).toBe(0)
      expect(server.snapshot()).toEqual(original)
    })
  }
})

describe("apply --yes killed mid-run, then resumed with the same journal", () => {
  it("kill -9 during a slow stack run; the rerun ends in the planned state and sends nothing twice (gumnut)", async () => {
    const { snapshot, mutations } = await plannedState("gumnut", "stack")
    const server = await gumnut()
    const original = server.snapshot()
    server.inject({ route: "stackCreate", fault: { kind: "slow", ms: 400 }, times: 4 })
    const cwd = workspace("gumnut")
    const child = spawnCli(applyArgs(server, "stack"), { cwd, env: ENV.gumnut })
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)))
    // Kill it while the server is still working on its third stack.
    while (server.mutations().length < 3) {
      if (child.exitCode !== null) throw new Error("apply finished before it could be killed")
      await sleep(10)
    }
    child.kill("SIGKILL")
    await exited
    const killed = journal(cwd)
    expect(killed.at(-1)?.type).toBe("pending")
    // The orphaned request still completes on the server, as a real one would.
    await sleep(600)

    const rerun = await apply("gumnut", server, cwd, "stack")
    expect(rerun.code, rerun.stderr).toBe(0)
    expect(server.snapshot()).toEqual(snapshot)
    const stacked = server
      .mutations()
      .filter((q) => q.route === "stackCreate")
      .flatMap((q) => (q.body as { asset_ids: Array<string> }).asset_ids)
    expect(new Set(stacked).size).toBe(stacked.length)
    expect(server.mutations()).toHaveLength(mutations)
    const lines = journal(cwd)
    const pending = lines.filter((l) => l.type === "pending").map((l) => l.seq)
    const done = lines.filter((l) => l.type === "done").map((l) => l.seq)
    expect(new Set(done)).toEqual(new Set(pending))
    expect(lines.some((l) => l.type === "resume")).toBe(true)

    // The entry completed by the check carries its stack id: undo dissolves every stack.
    const undo = await runCli(["undo", "--journal", "journal.ndjson", "--yes"], { cwd, env: ENV.gumnut })
    expect(undo.code, undo.stderr).toBe(0)
    expect(server.snapshot()).toEqual(original)
  })
})

describe("apply --yes stops on refusals", () => {
  for (const flavour of ["gumnut", "immich"] as const) {
    it(`a wrong key exits 1 with zero mutations, and no key is printed or written (${flavour})`, async () => {
      const server = flavour === "gumnut" ? await gumnut() : await immich()
      const before = server.snapshot()
      const cwd = workspace(flavour)
      const wrong =
        flavour === "gumnut" ? "apikey_WRONGwrongWRONGwrong0000" : "wrongWRONGwrongWRONGwrongWRONGwrong00000"
      const variable = flavour === "gumnut" ? "GUMNUT_API_KEY" : "IMMICH_API_KEY"
      const r = await apply(flavour, server, cwd, "trash", { [variable]: wrong })
      expect(r.code).toBe(1)
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1)
      expect(r.stderr).toMatch(/401|API key/)
      expect(server.requests.length).toBeGreaterThan(0)
      expect(server.mutations()).toEqual([])
      expect(server.snapshot()).toEqual(before)
      const all = everything(cwd, r.stdout + r.stderr)
      expect(all).not.toContain(wrong)
      expect(all).not.toContain(GUMNUT_KEY)
      expect(all).not.toContain(IMMICH_KEY)
      if (existsSync(join(cwd, "journal.ndjson"))) {
        expect(journal(cwd).filter((l) => l.type === "pending")).toEqual([])
      }
    })
  }

  for (const status of [403, 422] as const) {
    it(`${status} on the first stack stops the run at once, in one line, with the journal closed (gumnut)`, async () => {
      const server = await gumnut()
      const before = server.snapshot()
      server.inject({
        route: "stackCreate",
        fault: { kind: "status", status, body: { detail: "Forbidden" } }
      })
      const cwd = workspace("gumnut")
      const r = await apply("gumnut", server, cwd, "stack")
      expect(r.code).toBe(1)
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1)
      expect(r.stderr).toContain(String(status))
      expect(server.mutations()).toHaveLength(1)
      expect(server.snapshot()).toEqual(before)
      const lines = journal(cwd)
      expect(lines.filter((l) => l.type === "pending")).toHaveLength(1)
      expect(lines.filter((l) => l.type === "failed")).toHaveLength(1)
      expect(everything(cwd, r.stdout + r.stderr)).not.toContain(GUMNUT_KEY)
    })
  }
})
