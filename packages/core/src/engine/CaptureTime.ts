/**
 * Date-times as sources write them: a wall clock plus, when stated, an offset.
 *
 * Accepts `…Z`, `…±hh:mm` (or `±hhmm`, `±hh`), naive times, a space instead of `T`, and any
 * number of fractional digits. A naive time stays naive: no zone is ever invented.
 */
import type { CaptureTime } from "../Analysis.js"

export type { CaptureTime }

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * The numbers of a parsed date-time: wall clock as epoch ms read as UTC, and the stated offset.
 *
 * @since 0.1.0
 */
export interface WallTime {
  readonly wallMs: number
  readonly offsetMinutes: number | null
}

// Days from 1970-01-01 to a civil date (proleptic Gregorian), valid for every year.
const daysFromCivil = (y: number, m: number, d: number): number => {
  y -= m <= 2 ? 1 : 0
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** Reads `len` ASCII digits at `i` as a number, or -1 if any is not a digit. */
const digits = (s: string, i: number, len: number): number => {
  let n = 0
  for (let k = i; k < i + len; k++) {
    const c = s.charCodeAt(k) - 48
    if (c < 0 || c > 9) return -1
    n = n * 10 + c
  }
  return n
}

/**
 * Parses a date-time string to numbers; `undefined` when it is not a date-time.
 * A hand-rolled scanner rather than a RegExp: it runs several times per asset.
 *
 * @since 0.1.0
 */
export const parseMillis = (raw: string): WallTime | undefined => {
  const s = raw
  const len = s.length
  if (len < 16 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58)
    return undefined
  const sep = s.charCodeAt(10)
  if (sep !== 84 && sep !== 32) return undefined // 'T' or ' '
  const year = digits(s, 0, 4)
  const month = digits(s, 5, 2)
  const day = digits(s, 8, 2)
  const hour = digits(s, 11, 2)
  const minute = digits(s, 14, 2)
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    return undefined
  }
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  if (day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!)) return undefined
  let i = 16
  let second = 0
  let ms = 0
  if (i < len && s.charCodeAt(i) === 58) {
    second = digits(s, i + 1, 2)
    if (second < 0 || second > 60 || i + 3 > len) return undefined
    i += 3
    const dot = s.charCodeAt(i)
    if (i < len && (dot === 46 || dot === 44)) {
      i++
      const from = i
      let scale = 100
      while (i < len) {
        const c = s.charCodeAt(i) - 48
        if (c < 0 || c > 9) break
        if (scale >= 1) ms += c * scale
        scale /= 10
        i++
      }
      if (i === from) return undefined
    }
  }
  while (i < len && s.charCodeAt(i) === 32) i++
  let offsetMinutes: number | null = null
  if (i < len) {
    const z = s.charCodeAt(i)
    if (z === 90 || z === 122) {
      if (i + 1 !== len) return undefined
      offsetMinutes = 0
    } else if (z === 43 || z === 45) {
      const oh = digits(s, i + 1, 2)
      let om = 0
      const rest = len - (i + 3)
      if (rest === 3 && s.charCodeAt(i + 3) === 58) om = digits(s, i + 4, 2)
      else if (rest === 2) om = digits(s, i + 3, 2)
      else if (rest !== 0) return undefined
      if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined
      const total = oh * 60 + om
      offsetMinutes = total === 0 ? 0 : z === 45 ? -total : total
    } else return undefined
  }
  const wallMs = (daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second) * 1000 + ms
  return { wallMs, offsetMinutes }
}

const RECENT = 4
const recentRaw = new Array<string | undefined>(RECENT).fill(undefined)
const recentTime = new Array<WallTime | undefined>(RECENT).fill(undefined)
let recentNext = 0

/**
 * `parseMillis`, remembering its last four answers: checking an asset and then projecting it read the
 * same date-times (taken, local, created), so each is parsed once instead of twice. Answers are never
 * mutated, so sharing one is safe.
 */
export const parseMillisRecent = (raw: string): WallTime | undefined => {
  for (let k = 0; k < RECENT; k++) if (recentRaw[k] === raw) return recentTime[k]
  const time = parseMillis(raw)
  recentRaw[recentNext] = raw
  recentTime[recentNext] = time
  recentNext = (recentNext + 1) % RECENT
  return time
}

/**
 * The civil fields of the last `civil` call (year, month, day, hour, minute, second, milli): date-time
 * text is written from them as char codes into a reused array and made one flat string, instead of
 * concatenated from ~15 pieces and sliced (the asset views build three such strings per asset).
 */
const FIELDS = new Int32Array(7)
/** One reusable array of char codes per string length. */
const CODES: ReadonlyArray<Array<number>> = Array.from({ length: 48 }, (_, n) =>
  new Array<number>(n).fill(48)
)

/** Fills `FIELDS` from epoch ms; false when the year is outside 0..9999 (then `isoOf`'s fallback applies). */
const civil = (ms: number): boolean => {
  const days = Math.floor(ms / 86_400_000)
  let rest = ms - days * 86_400_000
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  if (!(year >= 0 && year <= 9999)) return false
  FIELDS[0] = year
  FIELDS[1] = month
  FIELDS[2] = doy - Math.floor((153 * mp + 2) / 5) + 1
  const hour = Math.floor(rest / 3_600_000)
  rest -= hour * 3_600_000
  const minute = Math.floor(rest / 60_000)
  rest -= minute * 60_000
  const second = Math.floor(rest / 1000)
  FIELDS[3] = hour
  FIELDS[4] = minute
  FIELDS[5] = second
  FIELDS[6] = rest - second * 1000
  return true
}

/** Writes `value` as `width` decimal digits at `at`. */
const digitsAt = (codes: Array<number>, at: number, value: number, width: number): void => {
  for (let k = at + width - 1; k >= at; k--) {
    codes[k] = 48 + (value % 10)
    value = Math.floor(value / 10)
  }
}

/**
 * An array of `length` char codes starting with `FIELDS` as `YYYY-MM-DD?HH:MM:SS.sss`, cut to `wall`
 * (16: minutes, 19: seconds, 20+: fraction digits, zero-padded past the milliseconds); `separator`
 * between date and time. The caller fills the rest.
 */
const wallCodes = (length: number, wall: number, separator = 84): Array<number> => {
  const codes = CODES[length]!
  digitsAt(codes, 0, FIELDS[0]!, 4)
  codes[4] = 45
  digitsAt(codes, 5, FIELDS[1]!, 2)
  codes[7] = 45
  digitsAt(codes, 8, FIELDS[2]!, 2)
  codes[10] = separator
  digitsAt(codes, 11, FIELDS[3]!, 2)
  codes[13] = 58
  digitsAt(codes, 14, FIELDS[4]!, 2)
  if (wall > 16) {
    codes[16] = 58
    digitsAt(codes, 17, FIELDS[5]!, 2)
  }
  if (wall > 19) {
    codes[19] = 46
    const digits = Math.min(wall - 20, 3)
    digitsAt(codes, 20, Math.floor(FIELDS[6]! / 10 ** (3 - digits)), digits)
    for (let k = 23; k < wall; k++) codes[k] = 48
  }
  return codes
}

/** `YYYY-MM-DDTHH:MM:SS.sssZ` of epoch ms, by arithmetic (several times faster than `toISOString`). */
const isoOf = (ms: number): string => {
  if (!civil(ms)) return new Date(ms).toISOString()
  const codes = wallCodes(24, 23)
  codes[23] = 90
  return String.fromCharCode.apply(null, codes)
}

/**
 * The canonical wall-clock string of wall milliseconds: `2024-02-25T06:57:27` or `…27.660`.
 *
 * @since 0.1.0
 */
export const wallString = (wallMs: number): string => {
  const length = wallMs % 1000 === 0 ? 19 : 23
  if (civil(wallMs)) return String.fromCharCode.apply(null, wallCodes(length, length))
  const iso = isoOf(wallMs)
  return wallMs % 1000 === 0 ? iso.slice(0, 19) : iso.slice(0, 23)
}

/**
 * Parses a date-time string; `undefined` when it is not one.
 *
 * @since 0.1.0
 */
export const parse = (raw: string): CaptureTime | undefined => {
  const p = parseMillis(raw)
  return p === undefined ? undefined : { raw, wall: wallString(p.wallMs), offsetMinutes: p.offsetMinutes }
}

/**
 * Milliseconds of a canonical wall-clock string read as if it were UTC.
 *
 * @since 0.1.0
 */
export const wallMillis = (wall: string): number => parseMillis(wall)!.wallMs

/**
 * The true instant in epoch milliseconds when the offset is known, else null.
 *
 * @since 0.1.0
 */
export const instantMillis = (time: CaptureTime): number | null =>
  time.offsetMinutes === null ? null : wallMillis(time.wall) - time.offsetMinutes * 60_000

/**
 * Formats a duration in minutes as `3h`, `5h30m` or `45m`.
 *
 * @since 0.1.0
 */
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
 *
 * @since 0.1.0
 */
export const zoneShiftMinutes = (aMillis: number, bMillis: number): number | null => {
  const diff = bMillis - aMillis
  if (diff === 0 || Math.abs(diff) > 26 * 3_600_000 || diff % 900_000 !== 0) return null
  return diff / 60_000
}

// A date-time's layout in one byte, so the text can be rebuilt from its numbers instead of kept:
// bits 0-3 fraction digits, bit 4 seconds present, bit 5 space separator, bits 6-7 zone
// (0 none, 1 `Z`, 2 `±hh:mm`, 3 `±hhmm`). `NOT_REBUILDABLE` marks text that must be kept as is.
/** @since 0.1.0 */
export const NOT_REBUILDABLE = 255

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n))

/**
 * Rebuilds date-time text from its wall clock, offset and layout byte.
 *
 * @since 0.1.0
 */
export const formatStyled = (wallMs: number, offsetMinutes: number | null, style: number): string => {
  const fraction = style & 15
  const zone = style >> 6
  const abs = offsetMinutes === null ? 0 : Math.abs(offsetMinutes)
  const oddOffset = zone >= 2 && offsetMinutes !== null && !(Number.isInteger(abs) && abs < 6000)
  if (oddOffset || !civil(wallMs)) return formatStyledText(wallMs, offsetMinutes, style)
  const wall = (style & 16) === 0 ? 16 : fraction > 0 ? 20 + fraction : 19
  const zoneLength = zone === 1 ? 1 : zone >= 2 && offsetMinutes !== null ? (zone === 2 ? 6 : 5) : 0
  const codes = wallCodes(wall + zoneLength, wall, (style & 32) !== 0 ? 32 : 84)
  if (zone === 1) codes[wall] = 90
  else if (zoneLength > 0) {
    codes[wall] = offsetMinutes! < 0 ? 45 : 43
    digitsAt(codes, wall + 1, Math.floor(abs / 60), 2)
    if (zone === 2) codes[wall + 3] = 58
    digitsAt(codes, wall + zoneLength - 2, abs % 60, 2)
  }
  return String.fromCharCode.apply(null, codes)
}

/** `formatStyled` by string pieces: years outside 0..9999 and offsets of 100 hours or more. */
const formatStyledText = (wallMs: number, offsetMinutes: number | null, style: number): string => {
  const iso = isoOf(wallMs) // YYYY-MM-DDTHH:MM:SS.sssZ
  const fraction = style & 15
  let out = `${iso.slice(0, 10)}${(style & 32) !== 0 ? " " : "T"}${iso.slice(11, 16)}`
  if ((style & 16) !== 0) {
    out += iso.slice(16, 19)
    if (fraction > 0) out += `.${iso.slice(20, 23).padEnd(fraction, "0").slice(0, fraction)}`
  }
  const zone = style >> 6
  if (zone === 1) out += "Z"
  else if (zone >= 2 && offsetMinutes !== null) {
    const abs = Math.abs(offsetMinutes)
    const sign = offsetMinutes < 0 ? "-" : "+"
    out += `${sign}${pad2(Math.floor(abs / 60))}${zone === 2 ? ":" : ""}${pad2(abs % 60)}`
  }
  return out
}

/**
 * The layout byte that rebuilds `raw` exactly from (wallMs, offset), or `NOT_REBUILDABLE`.
 *
 * @since 0.1.0
 */
export const styleOf = (raw: string, wallMs: number, offsetMinutes: number | null): number => {
  if (raw.length < 16 || raw.charCodeAt(0) === 43 || raw.charCodeAt(0) === 45) return NOT_REBUILDABLE
  let style = raw.charCodeAt(10) === 32 ? 32 : 0
  let i = 16
  if (raw.charCodeAt(16) === 58) {
    style |= 16
    i = 19
    if (raw.charCodeAt(19) === 46) {
      let d = 0
      while (i + 1 + d < raw.length && raw.charCodeAt(i + 1 + d) >= 48 && raw.charCodeAt(i + 1 + d) <= 57) d++
      if (d > 9) return NOT_REBUILDABLE
      style |= d
      i += 1 + d
    }
  }
  if (i < raw.length) {
    const z = raw.charCodeAt(i)
    if (z === 90) style |= 1 << 6
    else if (z === 43 || z === 45) style |= (raw.charCodeAt(i + 3) === 58 ? 2 : 3) << 6
    else return NOT_REBUILDABLE
  }
  return formatStyled(wallMs, offsetMinutes, style) === raw ? style : NOT_REBUILDABLE
}
