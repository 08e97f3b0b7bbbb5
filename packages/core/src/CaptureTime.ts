/**
 * Date-times as sources write them: a wall clock plus, when stated, an offset.
 *
 * Accepts `…Z`, `…±hh:mm` (or `±hhmm`, `±hh`), naive times, a space instead of `T`, and any
 * number of fractional digits. A naive time stays naive: no zone is ever invented.
 */
import type { CaptureTime } from "./Analysis.js"

export type { CaptureTime }

const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Parses a date-time string; `undefined` when it is not one. */
export const parse = (raw: string): CaptureTime | undefined => {
  const m = PATTERN.exec(raw)
  if (m === null) return undefined
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as ReadonlyArray<string | undefined>
  const month = Number(mo)
  const day = Number(d)
  const year = Number(y)
  if (month < 1 || month > 12 || day < 1) return undefined
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  if (day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!)) return undefined
  if (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 60)) return undefined
  let offsetMinutes: number | null = null
  if (zone !== undefined) {
    if (zone === "Z" || zone === "z") offsetMinutes = 0
    else {
      const digits = zone.slice(1).replace(":", "")
      const oh = Number(digits.slice(0, 2))
      const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0
      if (oh > 23 || om > 59) return undefined
      offsetMinutes = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om)
      if (offsetMinutes === 0) offsetMinutes = 0 // normalise -0
    }
  }
  const ms = frac === undefined ? "" : `.${frac.slice(0, 3).padEnd(3, "0")}`
  const canonical = `${y}-${mo}-${d}T${h}:${mi}:${s ?? "00"}${ms}`
  // Share the raw string's memory when the wall clock is a prefix of it (the usual case).
  const wall = raw.startsWith(canonical) ? raw.slice(0, canonical.length) : canonical
  return { raw, wall, offsetMinutes }
}

/** Milliseconds of the wall clock read as if it were UTC (comparable within one clock). */
export const wallMillis = (wall: string): number => {
  const n = (i: number, len: number) => Number(wall.slice(i, i + len))
  const ms = wall.length > 20 ? n(20, 3) : 0
  return Date.UTC(n(0, 4), n(5, 2) - 1, n(8, 2), n(11, 2), n(14, 2), n(17, 2), ms)
}

/** The true instant in epoch milliseconds when the offset is known, else null. */
export const instantMillis = (time: CaptureTime): number | null =>
  time.offsetMinutes === null ? null : wallMillis(time.wall) - time.offsetMinutes * 60_000

/** Formats a duration in minutes as `3h`, `5h30m` or `45m`. */
export const formatOffset = (minutes: number): string => {
  const abs = Math.abs(minutes)
  const h = Math.floor(abs / 60)
  const m = abs % 60
  const sign = minutes < 0 ? "-" : ""
  if (h === 0) return `${sign}${m}m`
  return m === 0 ? `${sign}${h}h` : `${sign}${h}h${m}m`
}

/**
 * If two times of one photo differ by a whole time-zone step (a non-zero multiple of 15 minutes,
 * up to 26 hours) with identical seconds, returns the difference in minutes; else null.
 */
export const zoneShiftMinutes = (aMillis: number, bMillis: number): number | null => {
  const diff = bMillis - aMillis
  if (diff === 0 || Math.abs(diff) > 26 * 3_600_000 || diff % 900_000 !== 0) return null
  return diff / 60_000
}
