/**
 * Errors a report run can end with. Each carries a one-line `message` fit to show a user.
 */
import { Schema } from "effect"

/** Writing a report file (or its folder) failed; nothing half-written is left behind. */
export class ReportWriteError extends Schema.TaggedError<ReportWriteError>()("ReportWriteError", {
  /** The file or folder that could not be written. */
  path: Schema.String,
  /** The underlying reason, e.g. `permission denied`. */
  reason: Schema.String
}) {
  override get message(): string {
    return `Cannot write ${this.path}: ${this.reason}`
  }
}

/** `SOURCE_DATE_EPOCH` is set but is not a whole number of seconds. */
export class InvalidSourceDateEpoch extends Schema.TaggedError<InvalidSourceDateEpoch>()(
  "InvalidSourceDateEpoch",
  { value: Schema.String }
) {
  override get message(): string {
    return `SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got ${JSON.stringify(this.value)}`
  }
}

/**
 * A caller's option to `writeReports` is not usable, e.g. an unknown format name.
 *
 * @since 0.2.0
 */
export class InvalidReportOptions extends Schema.TaggedError<InvalidReportOptions>()("InvalidReportOptions", {
  /** The option, e.g. `formats`. */
  option: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid report option ${this.option}: ${this.reason}`
  }
}
