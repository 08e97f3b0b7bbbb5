/**
 * Errors the command line itself raises, and how every failure becomes an exit code and one line.
 *
 * Exit codes: 0 success (with or without duplicates), 1 a runtime failure (input, network,
 * authentication, writing, `--strict` with rejected items), 2 a usage error (unknown flag or
 * command, no source, two sources, an option value that cannot be used).
 */
import { ValidationError } from "@effect/cli"
import { Cause, Option, Schema } from "effect"

/** Exit code for a usage error. */
export const EXIT_USAGE = 2
/** Exit code for a runtime failure. */
export const EXIT_FAILURE = 1

/** The command line was used wrongly: a missing or conflicting source, a malformed option value. */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", {
  message: Schema.String
}) {}

/** The input file cannot be opened or read. */
export class InputFileError extends Schema.TaggedError<InputFileError>()("InputFileError", {
  path: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `cannot read input ${this.path}: ${this.reason}`
  }
}

/** `--strict` was given and some input items were rejected. */
export class StrictRejected extends Schema.TaggedError<StrictRejected>()("StrictRejected", {
  rejected: Schema.Number
}) {
  override get message(): string {
    return `${this.rejected} input item${this.rejected === 1 ? " was" : "s were"} rejected and --strict is set (see "rejected" in report.json)`
  }
}

/** Items were read but not one could be decoded: the input is not an album albumsift can read. */
export class NothingReadable extends Schema.TaggedError<NothingReadable>()("NothingReadable", {
  items: Schema.Number,
  /** The first item's reason, e.g. `item 0: device_asset_id: is missing`. */
  first: Schema.String
}) {
  override get message(): string {
    if (this.items === 1)
      return `the only item could not be read${this.first === "" ? "" : `: ${this.first}`}`
    return `none of the ${this.items.toLocaleString("en-US")} items could be read${this.first === "" ? "" : `; first: ${this.first}`}`
  }
}

/** A failure the CLI does not recognise: shown by its message only, never a stack (unless debugging). */
const messageOf = (e: unknown): string => {
  if (typeof e === "object" && e !== null) {
    const m = (e as { message?: unknown }).message
    if (typeof m === "string" && m.length > 0) return m
    const tag = (e as { _tag?: unknown })._tag
    if (typeof tag === "string") return tag
  }
  return String(e)
}

/** Errors whose tag marks a usage problem rather than a runtime one. */
const USAGE_TAGS = new Set(["UsageError", "InvalidOptions"])

/** How a failed run ends: the exit code and the one line to print (empty when already printed). */
export interface Outcome {
  readonly code: number
  readonly line: string
}

/** Maps a failure cause to an exit code and one line. Interruption (Ctrl-C) is 130. */
export const outcomeOf = (cause: Cause.Cause<unknown>): Outcome => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const e = failure.value
    // @effect/cli has already printed its own help-style message for these.
    if (ValidationError.isValidationError(e)) return { code: EXIT_USAGE, line: "" }
    const tag = typeof e === "object" && e !== null ? (e as { _tag?: unknown })._tag : undefined
    const line = oneLine(messageOf(e))
    // A source's configuration error marks itself as a usage error when a given value is unusable.
    const usage =
      (typeof tag === "string" && USAGE_TAGS.has(tag)) || (e as { usage?: unknown }).usage === true
    return { code: usage ? EXIT_USAGE : EXIT_FAILURE, line }
  }
  if (Cause.isInterruptedOnly(cause)) return { code: 130, line: "interrupted" }
  const defect = Cause.dieOption(cause)
  return {
    code: EXIT_FAILURE,
    line: `internal error: ${oneLine(Option.isSome(defect) ? messageOf(defect.value) : "unknown failure")}`
  }
}

/** Collapses whitespace so a message is exactly one line. */
export const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, " ").trim()
