// Bundles the CLI (dist/main.js, from tsc) and everything it imports into one file, dist/bin.js:
// Node then parses one module instead of resolving hundreds, so `albumsift` starts fast, and the
// packed package (`pnpm pack`) installs with no dependency to fetch.
import { chmodSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const here = dirname(dirname(fileURLToPath(import.meta.url)))
const version = (path) => JSON.parse(readFileSync(path, "utf8")).version

// core reads its version from its own package.json, which is not beside the bundle.
const coreVersion = {
  name: "core-version",
  setup(b) {
    b.onLoad({ filter: /[\\/]core[\\/]dist[\\/]internal[\\/]version\.js$/ }, () => ({
      contents: `export const VERSION = ${JSON.stringify(version(join(here, "../core/package.json")))}`,
      loader: "js"
    }))
  }
}

await build({
  entryPoints: [join(here, "dist/main.js")],
  outfile: join(here, "dist/bin.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Bundled CommonJS dependencies call `require` for Node's built-ins.
  banner: {
    js: `#!/usr/bin/env node\nimport { createRequire as __albumsiftRequire } from "node:module";\nconst require = __albumsiftRequire(import.meta.url);`
  },
  plugins: [coreVersion],
  legalComments: "none",
  logLevel: "warning"
})
chmodSync(join(here, "dist/bin.js"), 0o755)
