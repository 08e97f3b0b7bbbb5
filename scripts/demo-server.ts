/**
 * A Gumnut-like server on 127.0.0.1 to try `albumsift report`, `apply` and `undo` on, with no real
 * library at stake: the test suite's stateful loopback server (test/support/gumnutServer.ts),
 * seeded in memory with the bundled sample album plus a small album whose duplicates need a merge.
 * Nothing is kept: stop it (Ctrl-C) and every change is gone. Run it with `pnpm demo:serve`.
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { albums as mergeAlbums } from "../test/support/applyAlbums.js"
import { startGumnutServer } from "../test/support/gumnutServer.js"

const SAMPLE = resolve(import.meta.dirname, "../packages/cli/sample/album.json")
const KEY = "demo-key-not-a-secret"
const SAMPLE_ALBUM = "album_DemoSamp1eA1bumLisbon2025"

const sample: Array<Record<string, unknown>> = JSON.parse(readFileSync(SAMPLE, "utf8")).filter(
  (x: unknown) => typeof x === "object" && x !== null && typeof (x as { id?: unknown }).id === "string"
)
const extra = mergeAlbums()
const server = await startGumnutServer({
  key: KEY,
  albums: { [SAMPLE_ALBUM]: sample, ...extra },
  style: "cursor"
})
const [albumA, albumB] = Object.keys(extra)

process.stdout.write(
  [
    `albumsift demo server (in memory, loopback only) at ${server.url}`,
    "In another terminal:",
    `  export GUMNUT_BASE_URL=${server.url} GUMNUT_API_KEY=${KEY}`,
    `  pnpm --silent albumsift report --album ${albumA} --album ${albumB}       # 8 assets, one merge`,
    `  pnpm --silent albumsift report --album ${SAMPLE_ALBUM}   # the ${sample.length}-asset sample`,
    "Ctrl-C stops it; nothing is kept.",
    ""
  ].join("\n")
)
process.on("SIGINT", () => {
  void server.close().then(() => process.exit(0))
})
