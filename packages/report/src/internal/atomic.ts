/**
 * Atomic file writes: the content goes to a temporary file in the target's own folder (so the final
 * rename never crosses file systems), is flushed, then renamed over the target. On any failure or
 * interruption the temporary file is removed, so readers see the old file or the complete new one.
 */
import { randomBytes } from "node:crypto"
import type { PlatformError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { Effect, Stream } from "effect"

/** Writes `content` to `target` atomically. */
export const writeAtomic = <E>(
  target: string,
  content: Stream.Stream<Uint8Array, E>
): Effect.Effect<void, E | PlatformError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const temp = path.join(
      path.dirname(target),
      `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`
    )
    const write = Effect.scoped(
      Effect.gen(function* () {
        // "wx": never reuse or follow a file that happens to exist under the temporary name.
        const file = yield* fs.open(temp, { flag: "wx" })
        yield* Stream.runForEach(content, (bytes) => file.writeAll(bytes))
        yield* file.sync
      })
    )
    yield* write.pipe(
      Effect.zipRight(fs.rename(temp, target)),
      Effect.onError(() => fs.remove(temp).pipe(Effect.ignore))
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
