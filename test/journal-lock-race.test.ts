/**
 * The journal lock across processes: after a run killed with -9 leaves its lock behind, several runs
 * resuming at the same moment (a retry script, two terminals) take it over one at a time. Each round
 * starts four processes at one instant against a stale lock; no two may hold it at once. The race
 * it guards against is narrow (a takeover by rename, then a check): with the takeover it replaced,
 * 2 of 20 such rounds had two holders when run alone, so this catches a regression only sometimes;
 * packages/core/test/apply/Journal.test.ts checks the takeover's rules one by one.
 */
import { execFile } from "node:child_process"
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { promisify } from "node:util"
import { describe, expect, it, onTestFinished } from "vitest"

const coreDir = resolve(import.meta.dirname, "..", "packages", "core")

/**
 * Waits for `start`, takes the lock and holds it 300 ms; prints when it held it (epoch ms), or the
 * refusal. A process that starts late may take the lock after another let it go: only overlapping
 * holds are wrong.
 */
const contender = `
import { Effect } from "effect"
import * as Journal from "./dist/apply/Journal.js"
const [path, start] = [process.argv[1], Number(process.argv[2])]
const now = () => performance.timeOrigin + performance.now()
while (Date.now() < start) {}
let from = 0
let to = 0
// Both times inside the hold: \`to\` is taken before the lock is let go.
const hold = Effect.suspend(() => ((from = now()), Effect.sleep(300))).pipe(Effect.tap(() => (to = now())))
const r = await Effect.runPromise(Effect.either(Effect.scoped(Effect.zipRight(Journal.lock(path), hold))))
process.stdout.write(JSON.stringify(r._tag === "Right" ? { from, to } : { refused: r.left.message }))
`

const run = promisify(execFile)

describe("Journal.lock across processes", () => {
  it("a stale lock is taken over by one of several runs starting at once, never by two", async () => {
    const dir = mkdtempSync(join(tmpdir(), "albumsift-lockrace-"))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const path = join(dir, "j.ndjson")
    writeFileSync(path, "")
    for (let round = 0; round < 8; round++) {
      // Left by a run killed with -9: a process id that no longer exists.
      writeFileSync(`${path}.lock`, "2147483646")
      const start = Date.now() + 1000
      const outs = await Promise.all(
        Array.from({ length: 4 }, () =>
          run(process.execPath, ["--input-type=module", "-e", contender, path, String(start)], {
            cwd: coreDir
          })
        )
      )
      const said = outs.map((o) => JSON.parse(o.stdout) as { from?: number; to?: number; refused?: string })
      const holds = said.filter((h) => h.from !== undefined).sort((x, y) => x.from! - y.from!)
      expect(holds.length).toBeGreaterThanOrEqual(1)
      for (let i = 1; i < holds.length; i++)
        expect(holds[i]!.from!, JSON.stringify(holds)).toBeGreaterThanOrEqual(holds[i - 1]!.to!)
      for (const h of said.filter((h) => h.refused !== undefined))
        expect(h.refused).toMatch(/^journal .*: another albumsift run \(process \d+\) is using this journal/)
      // Each run removed only what was its own: nothing is left behind.
      expect(readdirSync(dir)).toEqual(["j.ndjson"])
    }
  })
})
