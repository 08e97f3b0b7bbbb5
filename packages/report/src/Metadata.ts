/**
 * What a report says about its own making: when, by which tool, from which sources, with which options.
 *
 * `generatedAt` honours `SOURCE_DATE_EPOCH` (reproducible-builds.org) so the same input gives
 * byte-identical reports; without it the current clock time is used.
 */
import { readFileSync } from "node:fs"
import { Clock, Effect } from "effect"
import { InvalidSourceDateEpoch } from "./ReportError.js"

/** A JSON value, for free-form options recorded as given. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | ReadonlyArray<JsonValue>
  | { readonly [key: string]: JsonValue }

/** Where the analysed assets came from. */
export type Source =
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "stdin" }
  | { readonly kind: "sample"; readonly name: string }
  | {
      readonly kind: "api"
      /** `gumnut`, `immich`, ... */
      readonly server: string
      /** Recorded without credentials, query or fragment. */
      readonly baseUrl: string
      readonly albums: ReadonlyArray<string>
    }

/** The tool that made the report. */
export interface Tool {
  readonly name: string
  readonly version: string
}

/** Everything a report records about its own making. */
export interface Metadata {
  /** ISO 8601 UTC, e.g. `2026-01-02T03:04:05.000Z`. */
  readonly generatedAt: string
  readonly tool: Tool
  readonly sources: ReadonlyArray<Source>
  /** Options of the run beyond the analysis' own (which the analysis carries), recorded as given. */
  readonly options: { readonly [key: string]: JsonValue }
}

/** Version of this package (read once from its package.json), recorded when the caller names no tool. */
export const VERSION: string = (() => {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    const version =
      typeof pkg === "object" && pkg !== null ? (pkg as { version?: unknown }).version : undefined
    return typeof version === "string" ? version : "0.0.0"
  } catch {
    return "0.0.0"
  }
})()

/** The default tool record. */
export const defaultTool: Tool = { name: "albumsift", version: VERSION }

/** Strips credentials, query and fragment from a server URL so a report never records a secret. */
export const sanitizeBaseUrl = (url: string): string => {
  try {
    const parsed = new URL(url)
    parsed.username = ""
    parsed.password = ""
    parsed.search = ""
    parsed.hash = ""
    return parsed.toString()
  } catch {
    // Not a URL: keep only what cannot carry a secret in the usual places.
    return url.replace(/[?#].*$/s, "").replace(/\/\/[^/@]*@/, "//")
  }
}

/** The report time: `SOURCE_DATE_EPOCH` when set, else now. */
export const generatedAt = (
  env: { readonly SOURCE_DATE_EPOCH?: string | undefined } = process.env
): Effect.Effect<string, InvalidSourceDateEpoch> =>
  Effect.gen(function* () {
    const raw = env.SOURCE_DATE_EPOCH
    if (raw !== undefined && raw !== "") {
      const trimmed = raw.trim()
      const seconds = /^\d{1,12}$/.test(trimmed) ? Number(trimmed) : Number.NaN
      if (!Number.isSafeInteger(seconds)) return yield* new InvalidSourceDateEpoch({ value: raw })
      return new Date(seconds * 1000).toISOString()
    }
    const millis = yield* Clock.currentTimeMillis
    return new Date(millis).toISOString()
  })

/** Input to `make`. */
export interface MakeInput {
  readonly tool?: Tool
  readonly sources: ReadonlyArray<Source>
  readonly options?: { readonly [key: string]: JsonValue }
  /** Environment to read `SOURCE_DATE_EPOCH` from (default `process.env`). */
  readonly env?: { readonly SOURCE_DATE_EPOCH?: string | undefined }
}

/** Builds report metadata, stamping the time (see `generatedAt`) and sanitising server URLs. */
export const make = Effect.fn("Metadata.make")(function* (input: MakeInput) {
  return {
    generatedAt: yield* generatedAt(input.env),
    tool: input.tool ?? defaultTool,
    sources: input.sources.map((source) =>
      source.kind === "api" ? { ...source, baseUrl: sanitizeBaseUrl(source.baseUrl) } : source
    ),
    options: input.options ?? {}
  } satisfies Metadata
})

/** A one-line description of a source, for the HTML header and CLI output. */
export const describeSource = (source: Source): string => {
  switch (source.kind) {
    case "file":
      return `file ${source.path}`
    case "stdin":
      return "standard input"
    case "sample":
      return `sample ${source.name}`
    case "api":
      return `${source.server} ${source.baseUrl} album${source.albums.length === 1 ? "" : "s"} ${source.albums.join(", ")}`
  }
}
