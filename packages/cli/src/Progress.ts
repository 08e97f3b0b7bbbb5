/**
 * Progress of a run (albums read, assets read, the current phase), rendered on stderr.
 *
 * Fed from `Stream.tap` in the composition root. Rendered only when stderr is a TTY and the run
 * is not `--quiet`; otherwise every call is a no-op. One line, redrawn at most every 100 ms and
 * erased at the end so the summary starts on a clean line. Colour only without `NO_COLOR`.
 */
import { Effect } from "effect"

/** The progress sink a run reports to. */
export interface ProgressService {
  /** Enters a phase, e.g. `reading`, `analysing`, `writing report`. */
  readonly phase: (name: string) => Effect.Effect<void>
  /** Declares how many albums will be read. */
  readonly albums: (total: number) => Effect.Effect<void>
  /** One album has been read to its end. */
  readonly albumRead: (album: string) => Effect.Effect<void>
  /** More items read (a chunk at a time, so a million items cost a few thousand calls). */
  readonly items: (batch: Iterable<unknown>) => Effect.Effect<void>
  /** Erases the progress line. */
  readonly done: Effect.Effect<void>
}

/** A destination for the rendered line (stderr in the binary, a buffer in tests). */
export interface ProgressTarget {
  readonly write: (chunk: string) => void
  readonly color: boolean
  /** Milliseconds since some origin; injected so tests need no clock. */
  readonly now: () => number
}

/** Progress that shows nothing. */
export const silent: ProgressService = {
  phase: () => Effect.void,
  albums: () => Effect.void,
  albumRead: () => Effect.void,
  items: () => Effect.void,
  done: Effect.void
}

/** Renders progress lines onto `target`. */
export const make = (target: ProgressTarget): ProgressService => {
  let phase = "starting"
  let items = 0
  let albumsTotal = 0
  const albumsRead = new Set<string>()
  let lastRender = Number.NEGATIVE_INFINITY
  let drawn = false
  const paint = (s: string, code: string) => (target.color ? `\x1b[${code}m${s}\x1b[0m` : s)
  const render = (force: boolean) =>
    Effect.sync(() => {
      const t = target.now()
      if (!force && t - lastRender < 100) return
      lastRender = t
      const parts = [paint(phase, "36")]
      if (albumsTotal > 0) parts.push(`${albumsRead.size}/${albumsTotal} albums read`)
      parts.push(`${items.toLocaleString("en-US")} assets read`)
      target.write(`\r\x1b[2K${paint("albumsift", "2")} ${parts.join(" · ")}`)
      drawn = true
    })
  return {
    phase: (name) =>
      Effect.suspend(() => {
        phase = name
        return render(true)
      }),
    albums: (total) =>
      Effect.suspend(() => {
        albumsTotal = total
        return render(true)
      }),
    items: (batch) =>
      Effect.suspend(() => {
        for (const _ of batch) items += 1
        return render(false)
      }),
    albumRead: (album) =>
      Effect.suspend(() => {
        albumsRead.add(album)
        return render(true)
      }),
    done: Effect.sync(() => {
      if (drawn) target.write("\r\x1b[2K")
      drawn = false
    })
  }
}

/** Progress on this process' stderr when it is a TTY and `quiet` is off; silent otherwise. */
export const stderr = (quiet: boolean): ProgressService =>
  quiet || process.stderr.isTTY !== true
    ? silent
    : make({
        write: (s) => process.stderr.write(s),
        color: colorAllowed(process.env),
        now: () => performance.now()
      })

/** Colour is allowed unless `NO_COLOR` is set to anything non-empty (no-color.org) or TERM is dumb. */
export const colorAllowed = (env: Readonly<Record<string, string | undefined>>): boolean =>
  (env.NO_COLOR === undefined || env.NO_COLOR === "") && env.TERM !== "dumb"
