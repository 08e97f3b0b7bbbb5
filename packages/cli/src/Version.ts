/**
 * The CLI's own name and version, read once from its package.json.
 */
import { readFileSync } from "node:fs"

/** The version of @albumsift/cli. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version

/** The tool record written into reports. */
export const TOOL = { name: "albumsift", version: VERSION } as const
