/**
 * A Console that strips ANSI styles from what it prints, per stream, so help and validation
 * messages are plain text when piped or when NO_COLOR is set.
 */
import type { Console } from "effect"

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC by definition.
const ANSI = /\x1b\[[0-9;]*m/g

const strip = (args: ReadonlyArray<unknown>): Array<unknown> =>
  args.map((a) => (typeof a === "string" ? a.replace(ANSI, "") : a))

/** Wraps `base`; `stdout`/`stderr` say whether that stream may keep colour. */
export const console = (
  base: Console.Console,
  color: { readonly stdout: boolean; readonly stderr: boolean }
): Console.Console => {
  if (color.stdout && color.stderr) return base
  const out = (args: ReadonlyArray<unknown>) => (color.stdout ? [...args] : strip(args))
  const err = (args: ReadonlyArray<unknown>) => (color.stderr ? [...args] : strip(args))
  return {
    ...base,
    log: (...args) => base.log(...out(args)),
    info: (...args) => base.info(...out(args)),
    error: (...args) => base.error(...err(args)),
    warn: (...args) => base.warn(...err(args)),
    unsafe: {
      ...base.unsafe,
      log: (...args) => base.unsafe.log(...out(args)),
      info: (...args) => base.unsafe.info(...out(args)),
      error: (...args) => base.unsafe.error(...err(args)),
      warn: (...args) => base.unsafe.warn(...err(args))
    }
  }
}
