/**
 * End-to-end: the `albumsift` command (dist/bin.js) runs its bundle from the code cache the build
 * made, and runs the same without one: no cache, a cache made from other bytes, or a cache V8 refuses.
 */
import { createHash } from "node:crypto"
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { ROOT, runCli, SAMPLE, tempDir } from "./support/runCli.js"

const DIST = join(ROOT, "packages/cli/dist")
const DEBUG = { ALBUMSIFT_DEBUG: "1", SOURCE_DATE_EPOCH: "1700000000" }

/** The command copied into a folder of its own, with `cache` as its code cache (none when undefined). */
const copyOfCommand = (cache: Buffer | undefined): string => {
  const dist = join(tempDir(), "dist")
  mkdirSync(dist)
  for (const file of ["bin.js", "albumsift.cjs"]) copyFileSync(join(DIST, file), join(dist, file))
  // bin.js is an ES module, as packages/cli/package.json's "type" says beside the original.
  writeFileSync(join(dist, "package.json"), '{ "type": "module" }\n')
  if (cache !== undefined) writeFileSync(join(dist, "albumsift.cache"), cache)
  return join(dist, "bin.js")
}

/** report.json of the sample album, written by the command at `bin`, and what it said on stderr. */
const reportWith = async (bin: string) => {
  const out = tempDir()
  const r = await runCli([bin, "report", "--input", SAMPLE, "--out", out, "--format", "json"], {
    command: process.execPath,
    env: DEBUG
  })
  expect(r.code).toBe(0)
  return { json: readFileSync(join(out, "report.json"), "utf8"), stderr: r.stderr }
}

describe("the command's code cache", () => {
  it("was made from the bundle beside it, and is used", async () => {
    const bundle = readFileSync(join(DIST, "albumsift.cjs"))
    const cache = readFileSync(join(DIST, "albumsift.cache"))
    expect(cache.subarray(0, 32).equals(createHash("sha256").update(bundle).digest())).toBe(true)
    const r = await runCli(["--version"], { env: DEBUG })
    expect(r.code).toBe(0)
    expect(r.stderr).toContain("albumsift: code cache used")
  })

  it("only saves time: without one, or with one that does not fit, the report is the same", async () => {
    const built = await reportWith(join(DIST, "bin.js"))
    expect(built.stderr).toContain("code cache used")
    const cache = readFileSync(join(DIST, "albumsift.cache"))
    const otherBytes = Buffer.from(cache)
    otherBytes[0] = otherBytes[0]! ^ 0xff
    const refused = Buffer.concat([cache.subarray(0, 32), Buffer.alloc(4096, 7)])
    for (const [copy, said] of [
      [undefined, "code cache absent"],
      [otherBytes, "code cache made from another bundle, not used"],
      [refused, "code cache refused by V8"]
    ] as const) {
      const r = await reportWith(copyOfCommand(copy))
      expect(r.stderr).toContain(said)
      expect(r.json).toBe(built.json)
    }
  })
})
