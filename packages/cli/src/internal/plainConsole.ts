/**
 * The Console the binary runs with: strips ANSI styles per stream (help and validation messages
 * are plain text when piped or under NO_COLOR), and makes every stderr message one
 * `albumsift: ...` line, @effect/cli's validation messages included.
 */
import type { Console } from "effect"
import { valueFlags } from "../Help.js"

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC by definition.
const ANSI = /\x1b\[[0-9;]*m/g

const strip = (args: ReadonlyArray<unknown>): Array<unknown> =>
  args.map((a) => (typeof a === "string" ? a.replace(ANSI, "") : a))

const UNKNOWN = /Received unknown argument: '([^']*)'/

/**
 * What @effect/cli's "unknown argument" most likely meant: a file given without `--input`, or a
 * flag that takes a value given none.
 */
export const usageHint = (line: string): string => {
  const m = UNKNOWN.exec(line)
  if (m === null) return ""
  const arg = m[1]!
  if (valueFlags.includes(arg)) return `; ${arg} needs a value (see --help)`
  if (!arg.startsWith("-") && arg !== "") return `; did you mean --input ${arg}?`
  return ""
}

/**
 * A flag of `argv` given more than once that @effect/cli refused: it takes one value, and calls
 * the second one an unknown argument.
 */
const repeated = (line: string, argv: ReadonlyArray<string>): string | undefined => {
  // `--input=b` is refused whole: the flag is the part before `=`.
  const flag = UNKNOWN.exec(line)?.[1]?.split("=")[0]
  if (flag === undefined || !flag.startsWith("--")) return undefined
  return argv.filter((a) => a === flag || a.startsWith(`${flag}=`)).length > 1 ? flag : undefined
}

/**
 * `Received unknown argument: 'x.json'\n\n` to `albumsift: Received unknown argument: 'x.json'; did
 * you mean --input x.json?`; `argv`, the command line's arguments, tells a flag given twice.
 */
export const errorLine = (text: string, argv: ReadonlyArray<string> = []): string => {
  const line = text.replace(/\s*\n\s*/g, " ").trim()
  const twice = repeated(line, argv)
  const withHint =
    twice === undefined
      ? `${line}${usageHint(line)}`
      : `${twice} was given twice${valueFlags.includes(twice) ? "; it takes one value" : ""}`
  return withHint.startsWith("albumsift: ") ? withHint : `albumsift: ${withHint}`
}

const lines = (args: ReadonlyArray<unknown>, argv: ReadonlyArray<string>): Array<unknown> =>
  args.length === 1 && typeof args[0] === "string" ? [errorLine(args[0], argv)] : [...args]

/** Wraps `base`; `stdout`/`stderr` say whether that stream may keep colour; `argv` is for messages. */
export const console = (
  base: Console.Console,
  color: { readonly stdout: boolean; readonly stderr: boolean },
  argv: ReadonlyArray<string>
): Console.Console => {
  const out = (args: ReadonlyArray<unknown>) => (color.stdout ? [...args] : strip(args))
  const err = (args: ReadonlyArray<unknown>) => lines(color.stderr ? [...args] : strip(args), argv)
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
