/**
 * `albumsift report`: analyse an exported album (`--input <file|->`) or albums on a server
 * (`--album <id>`, repeatable), and write the reports.
 */
import { Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import { common, parseDuration } from "../CommonOptions.js"
import { UsageError } from "../Errors.js"
import * as Run from "../Run.js"

const input = Options.text("input").pipe(
  Options.withAlias("i"),
  Options.withDescription(
    "An exported album: a JSON array, a cursor page {data, has_more}, or NDJSON. - reads stdin."
  ),
  Options.optional
)

const album = Options.text("album").pipe(
  Options.withAlias("a"),
  Options.withDescription("An album id on the server. Repeatable; an asset in several albums counts once."),
  Options.repeated
)

const baseUrl = Options.text("base-url").pipe(
  Options.withDescription("The server's base URL (default: GUMNUT_BASE_URL, else https://api.gumnut.ai)."),
  Options.optional
)

const listing = Options.choice("listing", ["auto", "seed", "cursor"]).pipe(
  Options.withDescription(
    "How to list an album: seed (GET /api/albums/{id}/assets), cursor (GET /api/assets?album_id=, paged), or auto (detect)."
  ),
  Options.withDefault("auto" as const)
)

const concurrency = Options.integer("concurrency").pipe(
  Options.withDescription("Albums fetched at once (default 4)."),
  Options.optional
)

const retries = Options.integer("retries").pipe(
  Options.withDescription(
    "Retries of a failed request: connection errors, timeouts, 408/409/429/5xx (default 4)."
  ),
  Options.optional
)

const timeout = Options.text("timeout").pipe(
  Options.withDescription("Timeout of each request attempt, e.g. 60s, 500ms, 2m (default 60s)."),
  Options.mapEffect((v) => parseDuration("--timeout", v)),
  Options.optional
)

/** The `report` subcommand. */
export const report = Command.make(
  "report",
  { input, album, baseUrl, listing, concurrency, retries, timeout, common },
  (o) =>
    Effect.gen(function* () {
      const hasInput = Option.isSome(o.input)
      const hasAlbums = o.album.length > 0
      if (hasInput && hasAlbums) {
        return yield* new UsageError({
          message: "give one source: either --input <file|-> or --album <id>, not both"
        })
      }
      if (!hasInput && !hasAlbums) {
        return yield* new UsageError({
          message: "no source: give --input <file|-> or --album <id> (or try `albumsift demo`)"
        })
      }
      if (hasInput && Option.isSome(o.baseUrl)) {
        return yield* new UsageError({ message: "--base-url applies to --album only, not to --input" })
      }
      for (const [flag, v] of [
        ["--concurrency", o.concurrency],
        ["--retries", o.retries]
      ] as const) {
        if (Option.isSome(v) && !(v.value >= (flag === "--retries" ? 0 : 1))) {
          return yield* new UsageError({
            message: `${flag} must be ${flag === "--retries" ? ">= 0" : ">= 1"}, got ${v.value}`
          })
        }
      }
      const source: Run.SourceSpec = Option.isSome(o.input)
        ? o.input.value === "-"
          ? { kind: "stdin" }
          : { kind: "file", path: o.input.value }
        : {
            kind: "gumnut",
            albums: [...new Set(o.album)],
            baseUrl: Option.getOrUndefined(o.baseUrl),
            listing: o.listing,
            concurrency: Option.getOrUndefined(o.concurrency),
            retries: Option.getOrUndefined(o.retries),
            timeoutMs: Option.getOrUndefined(o.timeout)
          }
      yield* Run.run(source, o.common)
    })
).pipe(Command.withDescription("Analyse an exported album or albums on a server, and write the reports."))
