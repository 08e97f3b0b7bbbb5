/**
 * Spawns the built `albumsift` binary (packages/cli/dist/bin.js) as a user would, and collects
 * its exit code, stdout and stderr.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { onTestFinished } from "vitest"

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, "../..")
/** The built CLI entry point. */
export const BIN = join(ROOT, "packages/cli/dist/bin.js")
/** The album generator script. */
export const GENERATOR = join(ROOT, "scripts/generate-album.mjs")
/** The bundled sample album. */
export const SAMPLE = join(ROOT, "packages/cli/sample/album.json")

/** What one run produced. */
export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Options of one run. */
export interface RunOptions {
  readonly cwd?: string
  /** Extra environment; `GUMNUT_*`, `IMMICH_*` and `NO_COLOR` from the parent are never inherited. */
  readonly env?: Readonly<Record<string, string>>
  /** Bytes written to stdin (stdin is closed either way). */
  readonly stdin?: string | Buffer
  readonly command?: string
}

const cleanEnv = (): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(GUMNUT_|IMMICH_|ALBUMSIFT_)/.test(k)) continue
    out[k] = v
  }
  return out
}

/** Starts `node <BIN> ...args` (or `command ...args`) with piped stdio; the caller owns the process. */
export const spawnCli = (
  args: ReadonlyArray<string>,
  options: RunOptions = {}
): ChildProcessWithoutNullStreams => {
  const [cmd, argv] =
    options.command === undefined ? [process.execPath, [BIN, ...args]] : [options.command, [...args]]
  return spawn(cmd, argv, {
    cwd: options.cwd ?? tempDir(),
    env: { ...cleanEnv(), ...options.env },
    stdio: ["pipe", "pipe", "pipe"]
  })
}

/** Runs `node <BIN> ...args` (or `command ...args`) and resolves when it exits. */
export const runCli = (args: ReadonlyArray<string>, options: RunOptions = {}): Promise<CliResult> =>
  new Promise((resolvePromise, reject) => {
    const child = spawnCli(args, options)
    const out: Array<Buffer> = []
    const err: Array<Buffer> = []
    child.stdout.on("data", (b: Buffer) => out.push(b))
    child.stderr.on("data", (b: Buffer) => err.push(b))
    child.on("error", reject)
    child.on("close", (code) =>
      resolvePromise({
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8")
      })
    )
    child.stdin.on("error", () => {})
    child.stdin.end(options.stdin ?? "")
  })

/** A fresh temporary folder, removed when the calling test finishes. Call it inside a test. */
export const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "albumsift-e2e-"))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Runs the album generator, returning its stdout. */
export const generate = async (args: ReadonlyArray<string>): Promise<string> => {
  const r = await runCli([GENERATOR, ...args], { command: process.execPath })
  if (r.code !== 0) throw new Error(`generate-album failed: ${r.stderr}`)
  return r.stdout
}
