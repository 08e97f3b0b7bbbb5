/** The apply/undo tests' library (`applyAlbums`) served and reported on, for one test. */
import { join } from "node:path"
import { Journal } from "@albumsift/core"
import { Effect } from "effect"
import { onTestFinished } from "vitest"
import { ALBUM_A, ALBUM_B, albums, ENV, KEY } from "./applyAlbums.js"
import { type GumnutServer, type GumnutServerOptions, startGumnutServer } from "./gumnutServer.js"
import { runCli, tempDir } from "./runCli.js"

export * from "./applyAlbums.js"

/**
 * Starts the stateful Gumnut server on this library (closed when the test ends) and writes a JSON
 * report of both albums with the built CLI; answers the server, the working folder and the report folder.
 */
export const reportedGumnut = async (
  options: Partial<GumnutServerOptions> = {}
): Promise<{ server: GumnutServer; cwd: string; out: string }> => {
  const server = await startGumnutServer({ key: KEY, albums: albums(), style: "cursor", ...options })
  onTestFinished(() => server.close())
  const cwd = tempDir()
  const r = await runCli(
    [
      "report",
      "--album",
      ALBUM_A,
      "--album",
      ALBUM_B,
      "--base-url",
      server.url,
      "--format",
      "json",
      "--quiet"
    ],
    { cwd, env: ENV }
  )
  if (r.code !== 0) throw new Error(`report failed: ${r.stderr}`)
  return { server, cwd, out: join(cwd, "albumsift-report") }
}

/** Runs `run` while this process holds `journal`'s lock, as another run still going on it would. */
export const whileLocked = <A>(journal: string, run: () => Promise<A>): Promise<A> =>
  Effect.runPromise(Effect.scoped(Effect.zipRight(Journal.lock(journal), Effect.promise(run))))
