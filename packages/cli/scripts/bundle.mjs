// Bundles the CLI (dist/main.js, from tsc) and everything it imports into one file, dist/bin.js:
// Node then parses one module instead of resolving hundreds, so `albumsift` starts fast, and the
// packed package (`pnpm pack`) installs with no dependency to fetch.
import { chmodSync, readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const here = dirname(dirname(fileURLToPath(import.meta.url)))

// Our packages read files beside their own module (package.json for the version, the report page's
// bundled script) with `readFileSync(new URL("<relative>", import.meta.url), "utf8")`. In one bundle
// `import.meta.url` is bin.js, so each such read is replaced by the file's text, read at bundle time.
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
// runs it) and inlined as a string, so bin.js stays one file.
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

await build({
  entryPoints: [join(here, "dist/main.js")],
  define: {
    __ALBUMSIFT_DECODE_WORKER__: JSON.stringify(decodeWorker),
    __ALBUMSIFT_JSON_WORKER__: JSON.stringify(jsonWorker)
  },
  outfile: join(here, "dist/bin.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Bundled CommonJS dependencies call `require` for Node's built-ins.
  banner: {
    js: `#!/usr/bin/env node\nimport { createRequire as __albumsiftRequire } from "node:module";\nconst require = __albumsiftRequire(import.meta.url);`
  },
  plugins: [inlineFileReads],
  // V8 keeps the script's source for as long as it runs: without the indentation it is a third smaller.
  minifyWhitespace: true,
  legalComments: "none",
  logLevel: "warning"
})
chmodSync(join(here, "dist/bin.js"), 0o755)
