/**
 * The journal of an `apply` or `undo` run: NDJSON, one entry a line, appended and fsynced before
 * each mutating request (`pending`) and after its answer (`done` or `failed`). It names the server
 * (source and base URL), never the key. Rerunning with the same journal resumes; `undo` reads it.
 *
 * A line cut off by a crash (the last one) is ignored: its request was never sent, because a
 * `pending` entry is written, and synced, before the request.
 */

import { Buffer } from "node:buffer"
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  linkSync,
  openSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync
} from "node:fs"
import { basename, dirname, join, resolve } from "node:path"
import { Effect, FiberRef, Schema, type Scope } from "effect"
import * as FileFailure from "../FileFailure.js"
import type { Fields, Op, OpResult, ServerRef } from "../target/Target.js"
import type { Action } from "./Plan.js"

/** The first line: what the run is and where it acts. @since 0.2.0 */
export interface Header {
  readonly type: "run"
  readonly journal_version: 1
  readonly command: "apply" | "undo"
  readonly action: Action
  readonly server: ServerRef
  /** apply: the report it acts on. */
  readonly report?: string | undefined
  /** undo: the journal it reverses. */
  readonly undoes?: string | undefined
  readonly at: string
}

/** An entry after the header. @since 0.2.0 */
export type Entry =
  | { readonly type: "resume"; readonly at: string }
  | {
      readonly type: "pending"
      readonly seq: number
      readonly group?: string | undefined
      /** undo: the seq of the entry it reverses. */
      readonly reverses?: number | undefined
      readonly op: Op
      readonly at: string
    }
  | {
      readonly type: "done"
      readonly seq: number
      readonly result: OpResult
      readonly checked?: boolean
      /**
       * trash, remove-from-album: the ids done, when fewer than the `pending` entry's (a resumed run
       * held some back): the step is read as acting on these only.
       */
      readonly ids?: ReadonlyArray<string> | undefined
      /**
       * update: the fields written, when fewer than the `pending` entry's (the owner set the others
       * meanwhile): the step is read as writing these only, so undo leaves the others alone.
       */
      readonly fields?: ReadonlyArray<keyof Fields> | undefined
      readonly at: string
    }
  | { readonly type: "failed"; readonly seq: number; readonly error: string; readonly at: string }

/** The journal cannot be read or written. @since 0.2.0 */
export class JournalError extends Schema.TaggedError<JournalError>()("JournalError", {
  path: Schema.String,
  reason: Schema.String,
  /** What failed: reading the journal, or writing it. */
  doing: Schema.optional(Schema.Literal("read", "write"))
}) {
  override get message(): string {
    return `${this.doing === undefined ? "" : `cannot ${this.doing} `}journal ${this.path}: ${this.reason}`
  }
}

const failure =
  (path: string, doing: "read" | "write", what: "file" | "folder" = "file") =>
  (e: unknown) =>
    new JournalError({ path, reason: FileFailure.reason(e, what), doing })

/** A request as the journal tells it. @since 0.2.0 */
export interface Step {
  readonly seq: number
  readonly group: string | undefined
  readonly reverses: number | undefined
  readonly op: Op
  readonly state: "pending" | "done" | "failed"
  readonly result: OpResult
}

/** A journal read back. @since 0.2.0 */
export interface Contents {
  readonly header: Header
  /** Requests in the order they were first written. */
  readonly steps: ReadonlyArray<Step>
}

/** Reads a journal; a cut-off last line is ignored. @since 0.2.0 */
export const read = (path: string): Effect.Effect<Contents, JournalError> =>
  Effect.try({
    try: () => parse(readFileSync(path, "utf8")),
    catch: failure(path, "read")
  })

/** Parses a journal's text (pure). @since 0.2.0 */
export const parse = (text: string): Contents => {
  const lines = text.split("\n")
  const values: Array<Record<string, unknown>> = []
  lines.forEach((line, i) => {
    if (line.trim() === "") return
    try {
      values.push(JSON.parse(line) as Record<string, unknown>)
    } catch {
      // Only the last line can be cut off by a crash; anything else is a damaged journal.
      if (lines.slice(i + 1).some((l) => l.trim() !== "")) throw new Error(`line ${i + 1} is not JSON`)
    }
  })
  const header = values[0] as unknown as Header | undefined
  if (header === undefined || header.type !== "run" || header.journal_version !== 1) {
    throw new Error("not an albumsift journal (no run header)")
  }
  const steps = new Map<number, { -readonly [K in keyof Step]: Step[K] }>()
  for (const v of values.slice(1)) {
    const e = v as unknown as Entry
    if (e.type === "pending") {
      if (!steps.has(e.seq)) {
        steps.set(e.seq, {
          seq: e.seq,
          group: e.group,
          reverses: e.reverses,
          op: e.op,
          state: "pending",
          result: {}
        })
      }
    } else if (e.type === "done" || e.type === "failed") {
      const step = steps.get(e.seq)
      if (step !== undefined) {
        step.state = e.type
        if (e.type === "done") {
          step.result = e.result
          if (e.ids !== undefined && (step.op.kind === "trash" || step.op.kind === "remove-from-album"))
            step.op = { ...step.op, ids: e.ids }
          if (e.fields !== undefined && step.op.kind === "update") {
            const keep = (f: Fields) =>
              Object.fromEntries(Object.entries(f).filter(([k]) => e.fields!.includes(k as keyof Fields)))
            step.op = { ...step.op, set: keep(step.op.set), previous: keep(step.op.previous) }
          }
        }
      }
    }
  }
  return { header, steps: [...steps.values()] }
}

/** An open journal: each append is written and fsynced before it returns. @since 0.2.0 */
export interface Writer {
  readonly path: string
  readonly append: (entry: Header | Entry) => Effect.Effect<void, JournalError>
  /** The next free sequence number. */
  readonly nextSeq: () => number
}

const fsyncFolder = (folder: string) => {
  const fd = openSync(folder, "r")
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Ends a last line a crash left without its newline, as `parse` read it: a whole entry gets its
 * newline, a cut one (which `parse` ignored) is cut off. Appending after either as it was would glue
 * the next entry to it, and the journal could no longer be read.
 */
const endLastLine = (fd: number) => {
  const size = fstatSync(fd).size
  if (size === 0) return
  const last = Buffer.alloc(1)
  readSync(fd, last, 0, 1, size - 1)
  if (last[0] === 10) return
  // The last line's start: the byte after the newline before it.
  const chunk = Buffer.alloc(Math.min(size, 64 * 1024))
  let lineStart = 0
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - chunk.length)
    const n = readSync(fd, chunk, 0, end - start, start)
    const at = chunk.subarray(0, n).lastIndexOf(10)
    if (at >= 0) {
      lineStart = start + at + 1
      break
    }
    end = start
  }
  const line = Buffer.alloc(size - lineStart)
  readSync(fd, line, 0, line.length, lineStart)
  if (isJson(line.toString("utf8"))) writeSync(fd, "\n")
  else ftruncateSync(fd, lineStart)
  fsyncSync(fd)
}

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** Opens a journal for appending (created when missing), closed with the scope. @since 0.2.0 */
export const open = (path: string, firstSeq: number) => Effect.zipRight(lock(path), openFile(path, firstSeq))

/** Journals this process holds the lock of, each with the token of the run holding it. */
const heldHere = new Map<string, symbol>()
/**
 * The locks the current run (its fiber and the fibers it forks) took, by journal, so the command and
 * `open` may both ask for one; another run in this process (two library calls at once) may not.
 */
const heldByRun = FiberRef.unsafeMake<ReadonlyMap<string, symbol>>(new Map())

/**
 * One run at a time per journal, held from before the journal is read until the run ends:
 * `<journal>.lock` (beside the file a symlink names) holds the writer's process id, put in place
 * whole (a link or a rename of a file already written) and removed with the run. The lock of a
 * process that is gone (a run killed with -9, or an earlier process with this one's id) is taken
 * over, so an interrupted run still resumes.
 * @since 0.2.0
 */
export const lock = (path: string): Effect.Effect<void, JournalError, Scope.Scope> =>
  Effect.flatMap(FiberRef.get(heldByRun), (byRun) => {
    const key = canonical(path)
    const holder = heldHere.get(key)
    if (holder !== undefined)
      return byRun.get(key) === holder
        ? Effect.void
        : Effect.fail(
            new JournalError({
              path,
              reason:
                "another run in this process is using this journal; wait for it to end (one apply or undo per journal at a time)"
            })
          )
    const token = Symbol(key)
    return Effect.tap(acquireLock(path, key, token), () =>
      FiberRef.update(heldByRun, (held) => new Map([...held, [key, token]]))
    )
  })

/**
 * The journal's own path, through symlinks: two names of one file (a link to it, a linked folder)
 * share one lock, in this process and across processes. A journal not made yet: its folder's, after
 * following a link that names it (the journal is written where the link points).
 */
const canonical = (path: string): string => {
  let at = resolve(path)
  // As many links as the system itself follows before it gives up (ELOOP).
  for (let hops = 0; hops < 40; hops++) {
    try {
      return realpathSync(at)
    } catch {}
    try {
      at = resolve(realpathSync(dirname(at)), readlinkSync(at))
    } catch {
      break
    }
  }
  try {
    return join(realpathSync(dirname(at)), basename(at))
  } catch {
    return at
  }
}

const acquireLock = (
  path: string,
  key: string,
  token: symbol
): Effect.Effect<void, JournalError, Scope.Scope> => {
  const file = `${key}.lock`
  return Effect.acquireRelease(
    Effect.try({
      try: () => {
        const mine = `${file}.${process.pid}`
        writeFileSync(mine, String(process.pid), { mode: 0o600 })
        try {
          try {
            linkOrCreate(mine, file)
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
            const holder = holderOf(file)
            if (holder !== process.pid && isRunning(holder)) throw new LockHeld(holder)
            takeOver(file, mine, holder)
          }
        } finally {
          rmSync(mine, { force: true })
        }
        heldHere.set(key, token)
      },
      catch: (e) =>
        e instanceof LockHeld
          ? new JournalError({
              path,
              reason: `another albumsift run (process ${e.pid}) is using this journal; wait for it to end, or remove ${e.file ?? file} if no such run exists`
            })
          : // Said of the journal: a lock file cannot be made where the journal could not be.
            failure(path, "write", (e as NodeJS.ErrnoException).code === "ENOENT" ? "folder" : "file")(e)
    }),
    () =>
      Effect.sync(() => {
        heldHere.delete(key)
        // Only its own: a lock another run took over (this one was thought gone) stays theirs.
        if (holderOf(file) === process.pid) rmSync(file, { force: true })
      })
  )
}

/** The process id a lock file holds (NaN when unreadable or gone). */
const holderOf = (file: string): number => {
  try {
    return Number.parseInt(readFileSync(file, "utf8"), 10)
  } catch {
    return Number.NaN
  }
}

/**
 * Replaces the lock of a run that is gone (`stale`: the id it held) with this process' (`mine`, a
 * file holding its id). One process at a time takes over, under `<lock>.takeover` made exclusively,
 * and only a lock still holding the id it found stale: two runs resuming at once after a kill
 * cannot both replace it (one would overwrite the other's fresh lock). A takeover left by a process
 * killed inside these few lines is itself taken as stale.
 */
const takeOver = (file: string, mine: string, stale: number): void => {
  const gate = `${file}.takeover`
  try {
    linkOrCreate(mine, gate)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
    // A takeover lasts milliseconds: one older than that was left by a process killed inside it (its
    // id may be another process' now).
    const other = holderOf(gate)
    if (other !== process.pid && isRunning(other) && !olderThan(gate, GATE_STALE_MS))
      throw new LockHeld(other, gate)
    rmSync(gate, { force: true })
    linkOrCreate(mine, gate)
  }
  try {
    if (!existsSync(file)) {
      // Released meanwhile: made as any first lock is, since a new run may be making its own.
      try {
        linkOrCreate(mine, file)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new LockHeld(holderOf(file))
        throw e
      }
      return
    }
    const now = holderOf(file)
    if (now !== stale && isRunning(now)) throw new LockHeld(now)
    renameSync(mine, file)
  } finally {
    if (holderOf(gate) === process.pid) rmSync(gate, { force: true })
  }
}

/** A hard link; where the file system has none, an exclusive create (EEXIST either way). */
const linkOrCreate = (from: string, to: string) => {
  try {
    linkSync(from, to)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === "EEXIST" || (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP")) throw e
    const fd = openSync(to, "wx", 0o600)
    try {
      writeSync(fd, String(process.pid))
    } finally {
      closeSync(fd)
    }
  }
}

class LockHeld {
  /** `file`: the lock file to name when it is not the journal's own lock (a takeover's). */
  constructor(
    readonly pid: number,
    readonly file?: string
  ) {}
}

/** A takeover file this old is stale whatever id it holds. */
const GATE_STALE_MS = 10_000

const olderThan = (file: string, ms: number): boolean => {
  try {
    return Date.now() - statSync(file).mtimeMs > ms
  } catch {
    return true
  }
}

/** Whether a process of that id exists (EPERM: it does, owned by someone else). */
const isRunning = (pid: number): boolean => {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

const openFile = (path: string, firstSeq: number) =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        const created = !existsSync(path)
        const fd = openSync(path, "a+", 0o600)
        try {
          endLastLine(fd)
        } catch (e) {
          closeSync(fd)
          throw e
        }
        // A new journal's name is made durable too: its folder is fsynced once.
        if (created) fsyncFolder(dirname(path))
        return fd
      },
      catch: failure(path, "write")
    }),
    (fd) => Effect.sync(() => closeSync(fd))
  ).pipe(
    Effect.map((fd): Writer => {
      let seq = firstSeq
      return {
        path,
        nextSeq: () => seq++,
        append: (entry) =>
          Effect.try({
            try: () => {
              const bytes = Buffer.from(`${JSON.stringify(entry)}\n`, "utf8")
              // A short write (a full disk) is continued, or fails: never a line left cut.
              for (let done = 0; done < bytes.length; ) {
                const n = writeSync(fd, bytes, done, bytes.length - done)
                if (n <= 0) throw new Error("the journal entry could not be written")
                done += n
              }
              fsyncSync(fd)
            },
            catch: failure(path, "write")
          })
      }
    })
  )

/**
 * Fails when the journal could not be written, so a run says so before any request (and a dry run
 * before promising it): an existing journal must open for appending, a new one's folder must be
 * writable. @since 0.2.0
 */
export const checkWritable = (path: string): Effect.Effect<void, JournalError> =>
  Effect.suspend(() =>
    existsSync(path)
      ? Effect.try({ try: () => closeSync(openSync(path, "a")), catch: failure(path, "write") })
      : Effect.try({
          try: () => accessSync(dirname(path), constants.W_OK),
          catch: failure(path, "write", "folder")
        })
  )

/** Whether a journal file exists already. @since 0.2.0 */
export const exists = (path: string): boolean => existsSync(path)

/** `journal-<action>-<UTC timestamp>.ndjson`, e.g. `journal-trash-20261130T141502Z.ndjson`. @since 0.2.0 */
export const defaultName = (command: "apply" | "undo", action: Action, now: Date): string =>
  `journal-${command === "undo" ? "undo-" : ""}${action}-${now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}.ndjson`

/** The entry that reverses a done request, or nothing when it needs none. @since 0.2.0 */
export const reverse = (step: Step): Op | undefined => {
  const op = step.op
  // A resumed trash or removal whose ids were all held back did nothing.
  if ((op.kind === "trash" || op.kind === "remove-from-album") && op.ids.length === 0) return undefined
  switch (op.kind) {
    case "trash":
      return { kind: "restore", ids: op.ids }
    case "remove-from-album":
      return { kind: "add-to-album", album: op.album, ids: op.ids }
    case "add-to-album":
      return { kind: "remove-from-album", album: op.album, ids: op.ids }
    case "stack":
      return step.result.stack_id === undefined
        ? undefined
        : { kind: "unstack", stack_id: step.result.stack_id, ids: [op.keeper, ...op.ids] }
    case "update":
      return { kind: "update", id: op.id, set: op.previous, previous: op.set satisfies Fields }
    case "restore":
    case "unstack":
      return undefined
  }
}
