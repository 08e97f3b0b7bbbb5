// Bundles the report page's script (src/client/) into dist/client.js, which the HTML writer inlines.
import { build } from "esbuild"

await build({
  entryPoints: [new URL("../src/client/main.ts", import.meta.url).pathname],
  outfile: new URL("../dist/client.js", import.meta.url).pathname,
  bundle: true,
  format: "iife",
  target: "es2022",
  minify: true,
  charset: "utf8",
  legalComments: "none",
  logLevel: "warning"
})
