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

/** The numbers of a parsed date-time: wall clock as epoch ms read as UTC, and the stated offset. */
export interface WallTime {
  readonly wallMs: number
  readonly offsetMinutes: number | null
}

/** Parses a date-time string to numbers; `undefined` when it is not a date-time. */
export const parseMillis = (raw: string): WallTime | undefined => {
  const m = PATTERN.exec(raw)
  if (m === null) return undefined
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  const hour = Number(m[4])
  const minute = Number(m[5])
  const second = m[6] === undefined ? 0 : Number(m[6])
  const frac = m[7]
  const zone = m[8]
  if (month < 1 || month > 12 || day < 1) return undefined
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  if (day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!)) return undefined
  if (hour > 23 || minute > 59 || second > 60) return undefined
  let offsetMinutes: number | null = null
  if (zone !== undefined) {
    if (zone === "Z" || zone === "z") offsetMinutes = 0
    else {
      const digits = zone.length === 6 ? zone.slice(1, 3) + zone.slice(4) : zone.slice(1)
      const oh = Number(digits.slice(0, 2))
      const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0
      if (oh > 23 || om > 59) return undefined
      offsetMinutes = oh * 60 + om === 0 ? 0 : (zone[0] === "-" ? -1 : 1) * (oh * 60 + om)
    }
  }
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, "0"))
  let wallMs = Date.UTC(year, month - 1, day, hour, minute, second, ms)
  if (year < 100) wallMs = new Date(wallMs).setUTCFullYear(year)
  return { wallMs, offsetMinutes }
}

/** The canonical wall-clock string of wall milliseconds: `2024-02-25T06:57:27` or `…27.660`. */
export const wallString = (wallMs: number): string => {
  const iso = new Date(wallMs).toISOString()
  return wallMs % 1000 === 0 ? iso.slice(0, 19) : iso.slice(0, 23)
}

/** Parses a date-time string; `undefined` when it is not one. */
export const parse = (raw: string): CaptureTime | undefined => {
  const p = parseMillis(raw)
  return p === undefined ? undefined : { raw, wall: wallString(p.wallMs), offsetMinutes: p.offsetMinutes }
}

/** Milliseconds of a canonical wall-clock string read as if it were UTC. */
export const wallMillis = (wall: string): number => parseMillis(wall)!.wallMs

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
