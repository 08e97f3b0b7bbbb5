/**
 * The bytes of a local input: a file or stdin. Decoding them into items is core's `JsonInput`.
 */

import type { PlatformError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeStream from "@effect/platform-node/NodeStream"
import { Effect, Stream } from "effect"
import { InputFileError } from "./Errors.js"

/** Why a file could not be read, in a few words. */
const reasonOf = (e: PlatformError): string => {
  if (e._tag === "SystemError") {
    switch (e.reason) {
      case "NotFound":
        return "no such file"
      case "PermissionDenied":
        return "permission denied"
      case "BadResource":
        return "not a readable file"
      default:
        return e.description ?? e.reason
    }
  }
  return e.description ?? "unreadable"
}

/** Streams a file's bytes; a missing or unreadable file fails with `InputFileError` before any byte. */
export const file = (path: string): Stream.Stream<Uint8Array, InputFileError, FileSystem.FileSystem> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const info = yield* fs.stat(path)
      if (info.type === "Directory") {
        return yield* new InputFileError({ path, reason: "is a directory, not a file" })
      }
      return fs.stream(path, { chunkSize: 64 * 1024 })
    }).pipe(Effect.map((s) => Stream.mapError(s, (e) => new InputFileError({ path, reason: reasonOf(e) }))))
  ).pipe(
    Stream.catchAll((e) =>
      Stream.fail(e._tag === "InputFileError" ? e : new InputFileError({ path, reason: reasonOf(e) }))
    )
  )

/** Streams stdin's bytes. */
export const stdin: Stream.Stream<Uint8Array, InputFileError> = NodeStream.fromReadable(
  () => process.stdin,
  (e) => new InputFileError({ path: "stdin", reason: e instanceof Error ? e.message : String(e) })
)
