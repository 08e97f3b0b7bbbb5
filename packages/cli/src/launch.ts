#!/usr/bin/env node
/**
 * The `albumsift` executable (built as dist/bin.js): runs the CLI's bundle, dist/albumsift.cjs, from
 * V8's code cache of it, dist/albumsift.cache, when that cache fits. Compiling the 3.4 MB bundle was
 * the largest part of every run's start-up; a cache made after one run also holds the functions that
 * run compiled (bench/NOTES.md, "Tenth round"). Without a cache that fits (another Node version or
 * flags, a bundle built since), the bundle is compiled as usual: the cache only saves time.
 *
 * `pnpm build` (scripts/bundle.mjs) makes the cache by running the bundled sample album once with
 * ALBUMSIFT_CODE_CACHE_OUT set to where it goes; that variable is for the build only.
 */
import { createHash } from "node:crypto"
import { readFileSync, renameSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { setFlagsFromString } from "node:v8"
import { Script } from "node:vm"

// V8 takes a cache only under the flags it was made with, and a run sets these two (main.ts, and
// internal/collectGarbage.ts); so they are set here first, before the bundle is compiled or cached.
setFlagsFromString("--heap-growing-percent=100")
setFlagsFromString("--expose-gc")

const here = dirname(fileURLToPath(import.meta.url))
const bundle = join(here, "albumsift.cjs")
/** SHA-256 bytes, at the start of a cache: V8 itself checks only that the bundle's length is the same. */
const DIGEST_BYTES = 32

/** The bundle compiled, from the cache when it was made from these very bytes (read here, let go after). */
const compile = (): { readonly script: Script; readonly digest: Buffer; readonly cache: string } => {
  const bytes = readFileSync(bundle)
  const digest = createHash("sha256").update(bytes).digest()
  let cachedData: Buffer | undefined
  let cache = "absent"
  try {
    const file = readFileSync(join(here, "albumsift.cache"))
    if (file.subarray(0, DIGEST_BYTES).equals(digest)) cachedData = file.subarray(DIGEST_BYTES)
    else cache = "made from another bundle, not used"
  } catch {
    // No cache: compiled as usual.
  }
  // The bundle runs as a CommonJS module would, in strict mode as the ES module it was built from.
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {"use strict";${bytes.toString("utf8")}\n})`,
    { filename: bundle, cachedData }
  )
  if (cachedData !== undefined)
    cache = script.cachedDataRejected === true ? "refused by V8 (another Node version or flags)" : "used"
  return { script, digest, cache }
}
const { script, digest, cache } = compile()

const debug = process.env.ALBUMSIFT_DEBUG
if (debug !== undefined && !["", "0", "false"].includes(debug))
  process.stderr.write(`albumsift: code cache ${cache}\n`)

const cacheOut = process.env.ALBUMSIFT_CODE_CACHE_OUT
if (cacheOut !== undefined && cacheOut !== "") {
  // After the run, so the cache holds the functions it compiled too; written whole, then renamed.
  process.once("exit", () => {
    const partial = `${cacheOut}.${process.pid}.partial`
    writeFileSync(partial, Buffer.concat([digest, script.createCachedData()]))
    renameSync(partial, cacheOut)
  })
}

const module = { exports: {} }
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, here)
