/**
 * Atomic file writes: the content goes to a temporary file in the target's own folder (so the final
 * rename never crosses file systems), is flushed, then renamed over the target. On any failure or
 * interruption the temporary file is removed, so readers see the old file or the complete new one.
 *
 * Also the folder handling report runs need: creating a folder without Node's recursive `mkdir`
 * (which spins for ever on some paths, e.g. under /proc), and removing temporary files that an
 * earlier, killed run left behind.
 */
import { randomBytes } from "node:crypto"
import type { PlatformError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { Effect, Option, type Scope, Stream } from "effect"

/** The temporary name for `target`: `.<name>.<12 hex>.tmp` in the same folder. */
const tempName = (path: Path.Path, target: string): string =>
  path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`)

/** Whether a file name is one of our temporary files (for `target` names matching `names`). */
export const isTempName = (name: string, names: RegExp = /.+/): boolean => {
  const m = /^\.(.+)\.[0-9a-f]{12}\.tmp$/.exec(name)
  return m !== null && names.test(m[1]!)
}

/** A staged file: complete and flushed under its temporary name, not yet in place. */
export interface Staged {
  readonly temp: string
  readonly target: string
}

/** Writes `content` to a temporary file beside `target` and flushes it; removed again on failure. */
export const stage = <E>(
  target: string,
  content: Stream.Stream<Uint8Array, E>
): Effect.Effect<Staged, E | PlatformError, FileSystem.FileSystem | Path.Path> =>
  stageWith(target, (file) => Stream.runForEach(content, (bytes) => file.writeAll(bytes)))

/** Has `write` fill a temporary file beside `target`, then flushes it; removed again on failure. */
export const stageWith = <E, R>(
  target: string,
  write: (file: FileSystem.File) => Effect.Effect<void, E, R>
): Effect.Effect<Staged, E | PlatformError, FileSystem.FileSystem | Path.Path | R> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const temp = tempName(path, target)
    const written = Effect.scoped(
      Effect.gen(function* () {
        // "wx": never reuse or follow a file that happens to exist under the temporary name.
        const file = yield* fs.open(temp, { flag: "wx" })
        yield* write(file)
        yield* file.sync
      })
    )
    yield* written.pipe(Effect.onError(() => fs.remove(temp).pipe(Effect.ignore)))
    return { temp, target }
  })

/**
 * A scratch file beside `target`, open for reading and writing under a temporary name (so one a
 * killed run left is removed with the staged files); removed when the scope closes.
 */
export const scratch = (
  target: string
): Effect.Effect<FileSystem.File, PlatformError, FileSystem.FileSystem | Path.Path | Scope.Scope> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const temp = tempName(path, target)
    // "wx+": never reuse or follow a file that happens to exist under the temporary name. Opened and
    // its removal registered as one step: an interruption between the two would leave it behind.
    return yield* Effect.acquireRelease(fs.open(temp, { flag: "wx+" }), () =>
      fs.remove(temp).pipe(Effect.ignore)
    )
  })

/** Removes staged files (after a failure elsewhere); never fails. */
export const discard = (staged: ReadonlyArray<Staged>) =>
  Effect.flatMap(FileSystem.FileSystem, (fs) =>
    Effect.forEach(staged, ({ temp }) => fs.remove(temp).pipe(Effect.ignore), { discard: true })
  )

/** Writes `content` to `target` atomically. */
export const writeAtomic = <E>(
  target: string,
  content: Stream.Stream<Uint8Array, E>
): Effect.Effect<void, E | PlatformError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const staged = yield* stage(target, content)
    yield* fs.rename(staged.temp, target).pipe(Effect.onError(() => discard([staged])))
  })

/**
 * Creates `dir` and any missing parents, one level at a time, without Node's recursive `mkdir`
 * (which can spin at 100% CPU for ever on paths such as `/proc/self/x`). An existing folder is fine.
 */
export const makeDirectories = (
  dir: string
): Effect.Effect<void, PlatformError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const missing: Array<string> = []
    let at = path.resolve(dir)
    // Walk up to the nearest existing ancestor (a file there fails below, at mkdir, with ENOTDIR/EEXIST).
    while (Option.isNone(yield* fs.stat(at).pipe(Effect.option))) {
      missing.push(at)
      const parent = path.dirname(at)
      if (parent === at) break
      at = parent
    }
    for (const level of missing.reverse()) {
      yield* fs.makeDirectory(level).pipe(
        // Made meanwhile by someone else: fine if it is a folder.
        Effect.catchIf(
          (e) => e._tag === "SystemError" && e.reason === "AlreadyExists",
          (e) =>
            Effect.flatMap(fs.stat(level), (info) =>
              info.type === "Directory" ? Effect.void : Effect.fail(e)
            )
        )
      )
    }
    const info = yield* fs.stat(path.resolve(dir))
    if (info.type !== "Directory") {
      return yield* fs.makeDirectory(path.resolve(dir)) // fails with EEXIST: a file is in the way
    }
  })

/** Removes our temporary files for targets matching `names` in `dir`, left by a run that was killed. */
export const removeStaleTemps = (dir: string, names: RegExp) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const entries = yield* fs.readDirectory(dir).pipe(Effect.orElseSucceed(() => [] as Array<string>))
    yield* Effect.forEach(
      entries.filter((name) => isTempName(name, names)),
      (name) => fs.remove(path.join(dir, name)).pipe(Effect.ignore),
      { discard: true }
    )
  })

const encoder = new TextEncoder()

/** A stream of UTF-8 bytes from lazily generated text pieces, pulling a few pieces at a time. */
export const textStream = (pieces: Iterable<string>): Stream.Stream<Uint8Array> =>
  Stream.suspend(() =>
    Stream.fromIteratorSucceed(
      (function* () {
        yield* pieces
      })(),
      4
    )
  ).pipe(Stream.map((piece) => encoder.encode(piece)))
