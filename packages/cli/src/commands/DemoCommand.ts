/**
 * `albumsift demo`: a report on the bundled sample album, with its thumbnails, and no network.
 */
import { Command } from "@effect/cli"
import { common } from "../CommonOptions.js"
import * as Run from "../Run.js"

/** The `demo` subcommand. */
export const demo = Command.make("demo", { common }, (o) => Run.run({ kind: "sample" }, o.common)).pipe(
  Command.withDescription("Write a report on the bundled sample album (offline), to see what albumsift does.")
)
