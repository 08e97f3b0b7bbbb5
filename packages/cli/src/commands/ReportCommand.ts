/**
 * `albumsift report`: analyse an exported album (`--input <file|->`) or albums on a server
 * (`--album <id>`, repeatable), and write the reports.
 */
import type { Gumnut, Immich } from "@albumsift/core"
import { Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import { choice, common, numberOption, retries, timeout } from "../CommonOptions.js"
import { UsageError } from "../Errors.js"
import * as Run from "../Run.js"
import * as Sources from "../Sources.js"

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

const server = choice("source", ["gumnut", "immich"]).pipe(
  Options.withDescription(
    "The server --album reads from: gumnut (default; key in GUMNUT_API_KEY) or immich (IMMICH_API_KEY)."
  ),
  Options.optional
)

const listing = choice("listing", ["auto", "seed", "cursor", "album", "search"]).pipe(
  Options.withDescription(
    "How to list an album (default auto: detect). Gumnut: seed (GET /api/albums/{id}/assets) or cursor (GET /api/assets, paged). Immich: album (v1/v2 album route) or search (v3 metadata search)."
  ),
  Options.optional
)

const concurrency = numberOption("concurrency", "Albums fetched at once (default 4).", {
  min: 1,
  integer: true,
  example: "4"
})

/** The `report` subcommand. */
export const report = Command.make(
  "report",
  { input, album, server, baseUrl, listing, concurrency, retries, timeout, common },
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
      for (const [flag, given] of [
        ["--source", o.server],
        ["--base-url", o.baseUrl],
        ["--listing", o.listing]
      ] as const) {
        if (hasInput && Option.isSome(given)) {
          return yield* new UsageError({ message: `${flag} applies to --album only, not to --input` })
        }
      }
      if (Option.isSome(o.input) && o.input.value === "-" && process.stdin.isTTY === true) {
        return yield* new UsageError({
          message:
            "--input - reads stdin, but stdin is a terminal: pipe an album in (albumsift report --input - < album.json)"
        })
      }
      const serverName = Option.getOrElse(o.server, () => "gumnut" as const)
      const listingName = Option.getOrElse(o.listing, () => "auto" as const)
      if (!Sources.LISTINGS[serverName].includes(listingName)) {
        return yield* new UsageError({
          message: `--listing ${listingName} does not apply to ${serverName}; use one of ${Sources.LISTINGS[serverName].join(", ")}`
        })
      }
      const source: Sources.SourceSpec = Option.isSome(o.input)
        ? o.input.value === "-"
          ? { kind: "stdin" }
          : { kind: "file", path: o.input.value }
        : {
            kind: "server",
            ...(serverName === "immich"
              ? { server: "immich", listing: listingName as Immich.Listing }
              : { server: "gumnut", listing: listingName as Gumnut.Listing }),
            albums: [...new Set(o.album)],
            baseUrl: Option.getOrUndefined(o.baseUrl),
            concurrency: Option.getOrUndefined(o.concurrency),
            retries: Option.getOrUndefined(o.retries),
            timeoutMs: Option.getOrUndefined(o.timeout)
          }
      yield* Run.run(source, o.common)
    })
).pipe(Command.withDescription("Analyse an exported album or albums on a server, and write the reports."))
