/**
 * The README's "try apply safely" walkthrough: `scripts/demo-server.ts` (what `pnpm demo:serve` runs
 * after the build) starts, prints how to use it, and answers `albumsift report` and a dry run.
 */
import { join } from "node:path"
import { describe, expect, it, onTestFinished } from "vitest"
import { ROOT, runCli, spawnCli, tempDir } from "./support/runCli.js"

/** Starts the script as the package script does, and resolves with its banner once printed. */
const startDemoServer = () =>
  new Promise<string>((resolve, reject) => {
    const child = spawnCli([join(ROOT, "scripts/demo-server.ts")], {
      command: join(ROOT, "node_modules/.bin/vite-node"),
      cwd: ROOT
    })
    onTestFinished(() => {
      child.kill("SIGINT")
    })
    let out = ""
    let err = ""
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString("utf8")
      if (out.includes("nothing is kept")) resolve(out)
    })
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString("utf8")
    })
    child.on("close", (code) => reject(new Error(`the demo server stopped (${code}): ${err}`)))
  })

describe("pnpm demo:serve", () => {
  it("serves the sample and the merge library on 127.0.0.1: report, then a dry run that changes nothing", async () => {
    const banner = await startDemoServer()
    const url = /export GUMNUT_BASE_URL=(http:\/\/127\.0\.0\.1:\d+) GUMNUT_API_KEY=(\S+)/.exec(banner)
    expect(url, banner).not.toBeNull()
    const albums = [...banner.matchAll(/--album (\S+)/g)].map((m) => m[1]!)
    expect(albums).toHaveLength(3)
    const env = { GUMNUT_BASE_URL: url![1]!, GUMNUT_API_KEY: url![2]!, SOURCE_DATE_EPOCH: "1767225600" }
    const cwd = tempDir()
    const report = await runCli(
      ["report", "--album", albums[0]!, "--album", albums[1]!, "--format", "json", "--quiet"],
      { cwd, env }
    )
    expect(report.stderr).toBe("")
    expect(report.code).toBe(0)
    const dry = await runCli(["apply", "--report", "albumsift-report", "--action", "trash"], { cwd, env })
    expect(dry.stderr).toBe("")
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain("Plan (dry run: nothing is changed without --yes): trash")
    expect(dry.stdout).toMatch(/keeper asset_\w+ gains: album/)
    const sample = await runCli(["report", "--album", albums[2]!, "--format", "json", "--json"], { env })
    expect(sample.code).toBe(0)
    expect(JSON.parse(sample.stdout).summary.assets).toBeGreaterThan(250)
  }, 60_000)
})
