/**
 * The version of @albumsift/core, read once from its package.json (for the User-Agent).
 */
import { readFileSync } from "node:fs"

const read = (): string => {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: unknown
    }
    return typeof pkg.version === "string" ? pkg.version : "0.0.0"
  } catch {
    return "0.0.0"
  }
}

/** e.g. `0.1.0`. */
export const VERSION: string = read()
