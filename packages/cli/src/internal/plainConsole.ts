/**
 * The Console the binary runs with: strips ANSI styles per stream (help and validation messages
 * are plain text when piped or under NO_COLOR), and makes every stderr message one
 * `albumsift: ...` line, @effect/cli's validation messages included.
 */
import type { Console } from "effect"

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC by definition.
const ANSI = /\x1b\[[0-9;]*m/g

const strip = (args: ReadonlyArray<unknown>): Array<unknown> =>
  args.map((a) => (typeof a === "string" ? a.replace(ANSI, "") : a))

/** `Received unknown argument: '--x'\n\n` to `albumsift: Received unknown argument: '--x'`. */
export const errorLine = (text: string): string => {
  const line = text.replace(/\s*\n\s*/g, " ").trim()
  return line.startsWith("albumsift: ") ? line : `albumsift: ${line}`
}

const lines = (args: ReadonlyArray<unknown>): Array<unknown> =>
  args.length === 1 && typeof args[0] === "string" ? [errorLine(args[0])] : [...args]

/** Wraps `base`; `stdout`/`stderr` say whether that stream may keep colour. */
export const console = (
  base: Console.Console,
  color: { readonly stdout: boolean; readonly stderr: boolean }
): Console.Console => {
  const out = (args: ReadonlyArray<unknown>) => (color.stdout ? [...args] : strip(args))
  const err = (args: ReadonlyArray<unknown>) => lines(color.stderr ? [...args] : strip(args))
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
