/** Number, size, time and label formatting for the page (pure). */

let numberFormat: Intl.NumberFormat | undefined

/** `12,345`. */
export const fmtInt = (n: number): string => {
  // Whole numbers (all the page shows) by hand, as en-US groups them: creating an Intl.NumberFormat
  // costs a page tens of milliseconds at start-up.
  if (Number.isSafeInteger(n))
    return (n < 0 || Object.is(n, -0) ? "-" : "") + String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ",")
  numberFormat ??= new Intl.NumberFormat("en-US")
  return numberFormat.format(n)
}

/** Decimal units, as file managers (and the CLI summary) show them. */
export const fmtBytes = (n: number | null): string => {
  if (n === null || !Number.isFinite(n)) return "—"
  if (n < 1000) return `${n} B`
  const units = ["KB", "MB", "GB", "TB", "PB"]
  let value = n
  let unit = -1
  do {
    value /= 1000
    unit++
  } while (value >= 1000 && unit < units.length - 1)
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`
}

/** A score with 3 decimals, or "—". */
export const fmtScore = (n: number | null): string => (n === null ? "—" : n.toFixed(3))

/** A metric value with at most 4 significant digits, or "—". */
export const fmtMetric = (n: number | null | undefined): string =>
  n === null || n === undefined
    ? "—"
    : Math.abs(n) >= 100
      ? n.toFixed(0)
      : Number(n.toPrecision(4)).toString()

/** ` +02:00`, or "" when the offset is unknown. */
export const fmtOffset = (minutes: number | null): string => {
  if (minutes === null) return ""
  const sign = minutes < 0 ? "−" : "+"
  const abs = Math.abs(minutes)
  return ` ${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`
}

/** "2024-07-14T09:12:00.600" -> "2024-07-14 09:12:00.6"; whole seconds lose their ".000". */
export const fmtWall = (wall: string): string =>
  wall
    .replace("T", " ")
    .replace(/(\.\d*?)0+$/, "$1")
    .replace(/\.$/, "")

/** A wall-clock time as milliseconds (read as UTC, for differences only). */
export const wallMillis = (wall: string): number => Date.parse(`${wall}Z`)

/** A signed time difference in the largest fitting unit (ms, s, min, h, d). */
export const fmtDelta = (ms: number): string => {
  const sign = ms < 0 ? "−" : "+"
  const s = Math.abs(ms) / 1000
  if (s < 1) return `${sign}${Math.round(s * 1000)} ms`
  if (s < 60) return `${sign}${s < 10 ? s.toFixed(1) : s.toFixed(0)} s`
  if (s < 3600) return `${sign}${(s / 60).toFixed(1)} min`
  if (s < 172800) return `${sign}${(s / 3600).toFixed(1)} h`
  return `${sign}${(s / 86400).toFixed(0)} d`
}

/** Stars, "rejected" or "unrated". */
export const fmtRating = (r: number | null): string => {
  if (r === null) return "unrated"
  if (r < 0) return "rejected"
  return "★".repeat(Math.min(5, r)) + "☆".repeat(Math.max(0, 5 - r))
}

/** `1 group`, `2 groups`. */
export const plural = (n: number, word: string, many?: string): string =>
  `${fmtInt(n)} ${n === 1 ? word : (many ?? `${word}s`)}`

/** A share as a whole percentage. */
export const pct = (share: number): string => `${Math.round(share * 100)}%`

const EVIDENCE_LABELS = new Map(
  Object.entries({
    checksum: "same checksum",
    auto_stack_id: "burst id",
    capture_time: "capture time",
    stack: "server stack",
    immich_duplicate: "Immich duplicate"
  })
)
/** The reader's name of an evidence signal. */
export const evidenceLabel = (name: string): string => EVIDENCE_LABELS.get(name) ?? name

const FLAG_LABELS = new Map(
  Object.entries({
    low_quality: "low quality",
    rejected_rating: "rated rejected",
    missing_metrics: "no metrics",
    missing_exif: "no EXIF",
    timezone_anomaly: "time-zone anomaly"
  })
)
/** The reader's name of a quality flag. */
export const flagLabel = (name: string): string => FLAG_LABELS.get(name) ?? name
