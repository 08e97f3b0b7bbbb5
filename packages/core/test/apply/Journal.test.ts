import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync
} from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { describe, expect, it, onTestFinished } from "vitest"
import * as Journal from "../../src/apply/Journal.js"

const header = {
  type: "run",
  journal_version: 1,
  command: "apply",
  action: "trash",
  server: { source: "gumnut", base_url: "http://127.0.0.1:1/" },
  at: "t"
}
const lines = (...values: Array<unknown>) => values.map((v) => JSON.stringify(v)).join("\n")

describe("Journal", () => {
  it("reads each request's last state; a line cut off at the end is ignored", () => {
    const text = `${lines(
      header,
      { type: "pending", seq: 1, op: { kind: "trash", ids: ["a"] }, at: "t" },
      { type: "done", seq: 1, result: {}, at: "t" },
      { type: "pending", seq: 2, op: { kind: "trash", ids: ["b"] }, at: "t" }
    )}\n{"type":"done","se`
    const j = Journal.parse(text)
    expect(j.steps.map((s) => [s.seq, s.state])).toEqual([
      [1, "done"],
      [2, "pending"]
    ])
  })

  it("reads a done entry's ids as the request's: a resumed run held the others back, unsent", () => {
    const j = Journal.parse(
      lines(
        header,
        { type: "pending", seq: 1, op: { kind: "trash", ids: ["a", "b"] }, at: "t" },
        { type: "done", seq: 1, result: {}, ids: ["b"], at: "t" },
        { type: "pending", seq: 2, op: { kind: "trash", ids: ["c"] }, at: "t" },
        { type: "done", seq: 2, result: {}, checked: true, ids: [], at: "t" }
      )
    )
    expect(j.steps.map((s) => s.op)).toEqual([
      { kind: "trash", ids: ["b"] },
      { kind: "trash", ids: [] }
    ])
    expect(j.steps.map((s) => Journal.reverse(s))).toEqual([{ kind: "restore", ids: ["b"] }, undefined])
  })

  it("opened again after a crash, its last line is ended as it was read: a whole entry kept, a cut one dropped", () => {
    const dir = mkdtempSync(join(tmpdir(), "albumsift-journal-"))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const pending = { type: "pending", seq: 1, op: { kind: "trash", ids: ["a"] }, at: "t" }
    const reopened = (text: string) => {
      const path = join(dir, "j.ndjson")
      writeFileSync(path, text)
      const before = Journal.parse(text)
      Effect.runSync(
        Effect.scoped(
          Effect.flatMap(Journal.open(path, 2), (w) =>
            w.append({ type: "done", seq: 1, result: {}, at: "t" })
          )
        )
      )
      const after = readFileSync(path, "utf8")
      return { before, after: Journal.parse(after), text: after }
    }
    // The pending entry is whole but lost its newline: it is read, so it must stay.
    const whole = reopened(lines(header, pending))
    expect(whole.before.steps.map((s) => s.state)).toEqual(["pending"])
    expect(whole.after.steps.map((s) => s.state)).toEqual(["done"])
    expect(whole.text.endsWith("\n")).toBe(true)
    // Cut in the middle: ignored when read, so dropped before appending.
    const cut = reopened(`${lines(header)}\n${JSON.stringify(pending).slice(0, 20)}`)
    expect(cut.before.steps).toEqual([])
    expect(cut.text.split("\n").filter((l) => l !== "")).toHaveLength(2)
  })

  it("one run at a time per journal; the lock of a process that is gone is taken over", () => {
    const dir = mkdtempSync(join(tmpdir(), "albumsift-journal-"))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const path = join(dir, "j.ndjson")
    const lockFile = `${path}.lock`
    const locked = (effect: Effect.Effect<unknown, unknown>) =>
      Effect.runSync(Effect.scoped(Effect.zipRight(Journal.lock(path), effect)))
    // Held by this run: the file names it, `open` inside the same run is let through, and the end of
    // the run removes it.
    locked(
      Effect.sync(() => expect(readFileSync(lockFile, "utf8")).toBe(String(process.pid))).pipe(
        Effect.zipRight(Effect.scoped(Journal.open(path, 1)))
      )
    )
    expect(existsSync(lockFile)).toBe(false)
    // A live process holds it (pid 1 always exists): refused, in one line.
    writeFileSync(lockFile, "1")
    const refused = Effect.runSync(Effect.flip(Effect.scoped(Journal.lock(path))))
    expect(refused.message).toBe(
      `journal ${path}: another albumsift run (process 1) is using this journal; wait for it to end, or remove ${lockFile} if no such run exists`
    )
    expect(readFileSync(lockFile, "utf8")).toBe("1")
    // A run killed with -9 (no such process), or an earlier process with this one's id: taken over.
    for (const stale of ["2147483646", String(process.pid), ""]) {
      writeFileSync(lockFile, stale)
      locked(Effect.sync(() => expect(readFileSync(lockFile, "utf8")).toBe(String(process.pid))))
      expect(existsSync(lockFile)).toBe(false)
    }
  })

  it("a stale lock is taken over by one run at a time; the end of a run removes only its own lock", () => {
    const dir = mkdtempSync(join(tmpdir(), "albumsift-journal-"))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const path = join(dir, "j.ndjson")
    const lockFile = `${path}.lock`
    const gate = `${lockFile}.takeover`
    // A killed run's lock, which another live run (pid 1 always exists) is taking over right now.
    writeFileSync(lockFile, "2147483646")
    writeFileSync(gate, "1")
    const refused = Effect.runSync(Effect.flip(Effect.scoped(Journal.lock(path))))
    expect(refused.message).toContain("another albumsift run (process 1) is using this journal")
    expect(refused.message).toContain(`remove ${gate} if no such run exists`)
    expect(readFileSync(lockFile, "utf8")).toBe("2147483646")
    // A takeover lasts milliseconds: one a minute old was left by a killed process, whatever id it holds.
    utimesSync(gate, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000))
    Effect.runSync(Effect.scoped(Journal.lock(path)))
    expect(existsSync(gate)).toBe(false)
    writeFileSync(lockFile, "2147483646")
    // A takeover left by a process killed in the middle of one is stale too: taken, then cleared.
    writeFileSync(gate, "2147483646")
    Effect.runSync(
      Effect.scoped(
        Effect.zipRight(
          Journal.lock(path),
          Effect.sync(() => {
            expect(readFileSync(lockFile, "utf8")).toBe(String(process.pid))
            expect(existsSync(gate)).toBe(false)
            // Taken over by another run while this one was thought gone: theirs now.
            writeFileSync(lockFile, "1")
          })
        )
      )
    )
    expect(readFileSync(lockFile, "utf8")).toBe("1")
  })

  it("two names of one journal (a link to it, a linked folder) share its lock", async () => {
    const dir = mkdtempSync(join(tmpdir(), "albumsift-journal-"))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    mkdirSync(join(dir, "real"))
    symlinkSync(join(dir, "real"), join(dir, "linked"))
    const path = join(dir, "real", "j.ndjson")
    writeFileSync(path, "")
    symlinkSync(path, join(dir, "real", "link.ndjson"))
    for (const other of [join(dir, "real", "link.ndjson"), join(dir, "linked", "j.ndjson")]) {
      // Two runs at once, one through each name: the second is refused, and the first ends with the
      // journal free again (no lock file left behind under either name).
      const held = (name: string) => Effect.scoped(Effect.zipRight(Journal.lock(name), Effect.sleep(20)))
      const [first, second] = await Effect.runPromise(
        Effect.all([Effect.either(held(path)), Effect.either(Effect.delay(held(other), 5))], {
          concurrency: 2
        })
      )
      expect(first._tag).toBe("Right")
      expect(second._tag).toBe("Left")
      expect(readdirSync(join(dir, "real")).sort()).toEqual(["j.ndjson", "link.ndjson"])
    }
  })

  it("a link to a journal not made yet shares the lock of the file it names", async () => {
    const dir = mkdtempSync(join(tmpdir(), "albumsift-journal-"))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    mkdirSync(join(dir, "real"))
    const path = join(dir, "real", "j.ndjson")
    // A relative link, and a chain of two: both name the same journal, which does not exist yet.
    symlinkSync("real/j.ndjson", join(dir, "link.ndjson"))
    symlinkSync(join(dir, "link.ndjson"), join(dir, "chain.ndjson"))
    for (const other of [join(dir, "link.ndjson"), join(dir, "chain.ndjson")]) {
      const held = (name: string) => Effect.scoped(Effect.zipRight(Journal.lock(name), Effect.sleep(20)))
      const [first, second] = await Effect.runPromise(
        Effect.all([Effect.either(held(other)), Effect.either(Effect.delay(held(path), 5))], {
          concurrency: 2
        })
      )
      expect(first._tag).toBe("Right")
      expect(second._tag).toBe("Left")
      // The lock was beside the file the link names, and is gone with the run.
      expect(readdirSync(join(dir, "real"))).toEqual([])
    }
    // Opening through the link writes the journal where it points, under the same lock.
    await Effect.runPromise(Effect.scoped(Journal.open(join(dir, "chain.ndjson"), 1)))
    expect(readdirSync(join(dir, "real"))).toEqual(["j.ndjson"])
  })

  it("refuses a damaged journal or one without a header", () => {
    expect(() => Journal.parse(`${lines(header)}\nnot json\n${lines({ type: "resume", at: "t" })}`)).toThrow(
      "line 2"
    )
    expect(() => Journal.parse(lines({ type: "pending" }))).toThrow("no run header")
  })

  it("reverses each kind of request, and a stack only when its id is known", () => {
    const step = (op: unknown, result = {}) =>
      ({ seq: 1, group: undefined, reverses: undefined, op, state: "done", result }) as Journal.Step
    expect(Journal.reverse(step({ kind: "trash", ids: ["a"] }))).toEqual({ kind: "restore", ids: ["a"] })
    expect(Journal.reverse(step({ kind: "remove-from-album", album: "A", ids: ["a"] }))).toEqual({
      kind: "add-to-album",
      album: "A",
      ids: ["a"]
    })
    expect(
      Journal.reverse(step({ kind: "stack", keeper: "k", ids: ["a"], before: [] }, { stack_id: "s" }))
    ).toEqual({
      kind: "unstack",
      stack_id: "s",
      ids: ["k", "a"]
    })
    expect(Journal.reverse(step({ kind: "stack", keeper: "k", ids: ["a"], before: [] }))).toBeUndefined()
    expect(
      Journal.reverse(step({ kind: "update", id: "k", set: { rating: 4 }, previous: { rating: null } }))
    ).toEqual({
      kind: "update",
      id: "k",
      set: { rating: null },
      previous: { rating: 4 }
    })
  })

  it("names a default journal by action and UTC time", () => {
    expect(Journal.defaultName("apply", "trash", new Date("2026-11-30T14:15:02.123Z"))).toBe(
      "journal-trash-20261130T141502Z.ndjson"
    )
  })
})
