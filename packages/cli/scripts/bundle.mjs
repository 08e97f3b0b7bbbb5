// Bundles the CLI (dist/main.js, from tsc) and everything it imports into one file, dist/albumsift.cjs:
// Node then parses one script instead of resolving hundreds of modules, so `albumsift` starts fast, and
// the packed package (`pnpm pack`) installs with no dependency to fetch. dist/bin.js, the command,
// runs it from V8's code cache (src/launch.ts), which this script makes last by running the sample once.
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const here = dirname(dirname(fileURLToPath(import.meta.url)))

// Our packages read files beside their own module (package.json for the version, the report page's
// bundled script) with `readFileSync(new URL("<relative>", import.meta.url), "utf8")`. In one bundle
// `import.meta.url` is the bundle's, so each such read is replaced by the file's text, read at bundle time.
const FILE_READ = /readFileSync\(new URL\("([^"]+)", import\.meta\.url\), "utf8"\)/g
const inlineFileReads = {
  name: "inline-file-reads",
  setup(b) {
    b.onLoad({ filter: /[\\/]packages[\\/](core|report|cli)[\\/]dist[\\/].*\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8")
      if (!source.includes("import.meta.url")) return undefined
      const contents = source.replace(FILE_READ, (_, relative) =>
        JSON.stringify(readFileSync(resolve(dirname(args.path), relative), "utf8"))
      )
      return { contents, loader: "js" }
    })
  }
}

// Core parses large inputs in a worker thread, and the report package writes report.json's asset lines
// in another. Each worker's code is bundled on its own (CommonJS, as `new Worker(source, { eval: true })`
// runs it) and inlined as a string, so the bundle stays one file.
const workerBundle = async (entry, name) =>
  (
    await build({
      entryPoints: [entry],
      write: false,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      // A worker never locates itself (only the main thread starts workers).
      define: { "import.meta.url": JSON.stringify(`file:///albumsift-${name}-worker.js`) },
      plugins: [inlineFileReads],
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: "none",
      logLevel: "warning"
    })
  ).outputFiles[0].text
const decodeWorker = await workerBundle(join(here, "../core/dist/source/internal/decodeWorker.js"), "decode")
const jsonWorker = await workerBundle(join(here, "../report/dist/internal/jsonWorker.js"), "json")

const dist = join(here, "dist")
const cache = join(dist, "albumsift.cache")
// A cache of the previous bundle is never left beside a new one (the launcher checks, but need not).
rmSync(cache, { force: true })
const { metafile } = await build({
  entryPoints: [join(dist, "main.js")],
  define: {
    __ALBUMSIFT_DECODE_WORKER__: JSON.stringify(decodeWorker),
    __ALBUMSIFT_JSON_WORKER__: JSON.stringify(jsonWorker),
    // CommonJS, so the launcher can compile it with a code cache (Node 20 has none for ES modules).
    "import.meta.url": "__albumsiftUrl"
  },
  outfile: join(dist, "albumsift.cjs"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  banner: { js: `var __albumsiftUrl = require("node:url").pathToFileURL(__filename).href;` },
  plugins: [inlineFileReads],
  // V8 keeps the script's source for as long as it runs: without the indentation it is a third smaller.
  minifyWhitespace: true,
  legalComments: "none",
  logLevel: "warning",
  // vm.Script runs the bundle with no module loader: an `import.meta` or an `import()` left in it
  // would fail only when that line ran, so either fails the build instead.
  logOverride: { "empty-import-meta": "error" },
  metafile: true
})
const dynamicImports = Object.values(metafile.outputs)
  .flatMap((output) => output.imports)
  .filter((i) => i.kind === "dynamic-import")
if (dynamicImports.length > 0)
  throw new Error(
    `the CLI bundle keeps a dynamic import() of ${dynamicImports.map((i) => i.path).join(", ")}`
  )
copyFileSync(join(dist, "launch.js"), join(dist, "bin.js"))
chmodSync(join(dist, "bin.js"), 0o755)

// The code cache: the command run once on the bundled sample album (no network), the cache written
// as it exits, so it holds what a report run compiles.
const scratch = mkdtempSync(join(tmpdir(), "albumsift-cache-"))
try {
  const run = spawnSync(
    process.execPath,
    [
      join(dist, "bin.js"),
      "report",
      "--input",
      join(here, "sample", "album.json"),
      "--out",
      scratch,
      "--quiet"
    ],
    {
      // Default V8 flags (no NODE_OPTIONS): V8 refuses a cache made under other flags.
      env: { ...process.env, NODE_OPTIONS: "", ALBUMSIFT_DEBUG: "", ALBUMSIFT_CODE_CACHE_OUT: cache },
      encoding: "utf8",
      timeout: 120_000
    }
  )
  const made = run.status === 0 ? readFileSync(cache) : undefined
  const digest = createHash("sha256")
    .update(readFileSync(join(dist, "albumsift.cjs")))
    .digest()
  if (made === undefined || made.length <= 32 || !made.subarray(0, 32).equals(digest))
    throw new Error(`making the code cache failed (exit ${run.status}): ${run.error ?? run.stderr}`)
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
