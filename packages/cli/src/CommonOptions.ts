/**
 * Options shared by `report` and `demo`: output, grouping and ranking, thumbnails, verbosity; and the
 * network flags `report`, `apply` and `undo` share.
 *
 * Each flag is parsed here into plain settings, and the analysis options are validated once, by
 * core's own rules; a malformed value is a usage error (exit 2) whose one line names the flag and
 * what it takes.
 */

import { type Analysis, Options as CoreOptions } from "@albumsift/core"
import { Renderer } from "@albumsift/report"
import { HelpDoc, Options, ValidationError } from "@effect/cli"
import { Effect, Option } from "effect"

/** Report file formats. */
export type Format = Renderer.Format
/** Every format, from the report package's registry. */
export const FORMATS: ReadonlyArray<Format> = Renderer.FORMATS

/** What a caller may set of the analysis options (a subset of the resolved ones). */
export type AnalysisSettings = {
  -readonly [K in keyof Analysis.ResolvedOptions]?: Analysis.ResolvedOptions[K]
}

/** The parsed shared options. */
export interface CommonSettings {
  readonly out: string
  readonly formats: ReadonlyArray<Format>
  /** The analysis options, validated, with defaults filled in. */
  readonly analysis: Analysis.ResolvedOptions
  /** Unset: `link`, or `keep` when thumbnails need the key (Immich). */
  readonly thumbnails: "link" | "keep" | undefined
  readonly csvBom: boolean
  readonly strict: boolean
  readonly quiet: boolean
  readonly json: boolean
  /** `--decisions`: a decisions file (or an edited report.csv) to honour. */
  readonly decisions: string | undefined
}

const invalid = (message: string) => Effect.fail(ValidationError.invalidValue(HelpDoc.p(message)))

/** `html,csv` (or repeated flags) to a de-duplicated, ordered list of formats. */
export const parseFormats = (
  values: ReadonlyArray<string>
): Effect.Effect<ReadonlyArray<Format>, ValidationError.ValidationError> => {
  const wanted = new Set<string>()
  for (const v of values)
    for (const part of v.split(",")) if (part.trim() !== "") wanted.add(part.trim().toLowerCase())
  for (const f of wanted) {
    if (!(FORMATS as ReadonlyArray<string>).includes(f)) {
      return invalid(`--format: unknown format "${f}"; use a subset of html,csv,json`)
    }
  }
  if (wanted.size === 0) return Effect.succeed(FORMATS)
  return Effect.succeed(FORMATS.filter((f) => wanted.has(f)))
}

/** `name=value` pairs to weights; a later pair for the same name wins. */
export const parseWeights = (
  values: ReadonlyArray<string>
): Effect.Effect<Record<string, number>, ValidationError.ValidationError> => {
  const out: Record<string, number> = {}
  for (const v of values) {
    const m = /^\s*([A-Za-z0-9_.:-]+)\s*=\s*([^\s]+)\s*$/.exec(v)
    const w = m === null ? Number.NaN : Number(m[2])
    if (m === null || !Number.isFinite(w) || w < 0) {
      return invalid(`--weight: expected name=value with a number >= 0 (e.g. liqe_mix=2), got "${v}"`)
    }
    out[m[1]!] = w
  }
  return Effect.succeed(out)
}

/** Comma-separated or repeated metric names. */
export const parseNames = (values: ReadonlyArray<string>): ReadonlyArray<string> => [
  ...new Set(
    values
      .flatMap((v) => v.split(","))
      .map((s) => s.trim())
      .filter((s) => s !== "")
  )
]

/**
 * `--low-quality` values: `liqe_mix<1.375` (below is low; `>` for lower-is-better metrics) and/or
 * `5%` (the bottom share of the album's composite scores).
 */
export const parseLowQuality = (
  values: ReadonlyArray<string>,
  lowerIsBetter: ReadonlyArray<string>
): Effect.Effect<
  { readonly percentile?: number; readonly thresholds: Record<string, number> },
  ValidationError.ValidationError
> => {
  let percentile: number | undefined
  const thresholds: Record<string, number> = {}
  for (const raw of values) {
    for (const v of raw
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "")) {
      const pct = /^(\d+(?:\.\d+)?)%$/.exec(v)
      if (pct !== null) {
        const p = Number(pct[1])
        if (!(p >= 0 && p <= 100)) return invalid(`--low-quality: a percentile must be 0%..100%, got "${v}"`)
        percentile = p / 100
        continue
      }
      const th = /^([A-Za-z0-9_.:-]+)\s*([<>])\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)$/.exec(v)
      if (th === null) {
        return invalid(
          `--low-quality: expected a threshold like liqe_mix<1.375 or a percentile like 5%, got "${v}"`
        )
      }
      const [, name, op, num] = th as unknown as [string, string, string, string]
      const lower = lowerIsBetter.includes(name)
      if (op === ">" && !lower) {
        return invalid(
          `--low-quality: "${v}" uses > but ${name} is higher-is-better; use ${name}<value, or add --lower-is-better ${name}`
        )
      }
      if (op === "<" && lower) {
        return invalid(`--low-quality: "${v}" uses < but ${name} is lower-is-better; use ${name}>value`)
      }
      thresholds[name] = Number(num)
    }
  }
  return Effect.succeed(percentile === undefined ? { thresholds } : { percentile, thresholds })
}

/** `30`, `30s`, `500ms`, `2m` to milliseconds. */
export const parseDuration = (
  flag: string,
  v: string
): Effect.Effect<number, ValidationError.ValidationError> => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(v)
  if (m === null) return invalid(`${flag}: expected a duration like 30s, 500ms or 2m, got "${v}"`)
  const n = Number(m[1])
  const ms = m[2] === "ms" ? n : m[2] === "m" ? n * 60_000 : n * 1000
  if (!(ms > 0)) return invalid(`${flag}: must be greater than 0, got "${v}"`)
  return Effect.succeed(Math.round(ms))
}

/** What a numeric flag takes. */
export interface NumberSpec {
  readonly min: number
  readonly max?: number
  readonly integer?: boolean
  /** An example value for the message. */
  readonly example: string
}

/** A numeric flag's value; the error names the flag, what it takes and what it got. */
export const parseNumber = (
  flag: string,
  v: string,
  spec: NumberSpec
): Effect.Effect<number, ValidationError.ValidationError> => {
  const n = v.trim() === "" ? Number.NaN : Number(v)
  const ok =
    Number.isFinite(n) &&
    n >= spec.min &&
    (spec.max === undefined || n <= spec.max) &&
    (spec.integer !== true || Number.isInteger(n))
  if (ok) return Effect.succeed(n)
  const what = `${spec.integer === true ? "a whole number" : "a number"} ${
    spec.max === undefined ? `>= ${spec.min}` : `in ${spec.min}..${spec.max}`
  }`
  return invalid(`${flag} takes ${what} (e.g. ${flag} ${spec.example}), got "${v}"`)
}

/**
 * A flag taking one of `cases`. Not @effect/cli's `Options.choice`: its message names neither the
 * flag nor the value given (`Expected one of the following cases: ...`).
 */
export const choice = <const A extends string>(name: string, cases: ReadonlyArray<A>) =>
  Options.text(name).pipe(
    Options.mapEffect((v) =>
      (cases as ReadonlyArray<string>).includes(v)
        ? Effect.succeed(v as A)
        : invalid(`--${name}: expected one of ${cases.join(", ")}; got "${v}"`)
    )
  )

/** An optional numeric flag, parsed by `parseNumber`. */
export const numberOption = (name: string, description: string, spec: NumberSpec) =>
  Options.text(name).pipe(
    Options.withDescription(description),
    Options.mapEffect((v) => parseNumber(`--${name}`, v, spec)),
    Options.optional
  )

/** `--retries`: of a failed request (report, apply and undo). */
export const retries = numberOption(
  "retries",
  "Retries of a failed request: connection errors, timeouts, 408/409/429/5xx (default 4).",
  { min: 0, integer: true, example: "4" }
)

/** `--timeout`: of each request attempt, in milliseconds (report, apply and undo). */
export const timeout = Options.text("timeout").pipe(
  Options.withDescription("Timeout of each request attempt, e.g. 60s, 500ms, 2m (default 60s)."),
  Options.mapEffect((v) => parseDuration("--timeout", v)),
  Options.optional
)

const optionalNumber = (name: string, description: string) =>
  numberOption(name, description, { min: 0, example: "2" })

/** The flag behind each analysis option, for messages. */
const FLAGS: Record<string, string> = {
  burstGapSeconds: "--burst-gap",
  maxBurstSpanSeconds: "--max-burst-span",
  weights: "--weight",
  lowerIsBetter: "--lower-is-better",
  reviewMargin: "--review-margin",
  lowQualityPercentile: "--low-quality",
  lowQualityThresholds: "--low-quality"
}

/** Core's validation, once, with its complaint re-worded to name the flag. */
const resolveAnalysis = (settings: AnalysisSettings) =>
  CoreOptions.validate(settings).pipe(
    Effect.catchTag("InvalidOptions", (e) =>
      invalid(`${FLAGS[e.option.split(".")[0]!] ?? e.option}: ${e.option} ${e.reason}`)
    )
  )

/** The shared flags as one @effect/cli `Options`, already parsed into `CommonSettings`. */
export const common = Options.all({
  out: Options.text("out").pipe(
    Options.withAlias("o"),
    Options.withDescription("Folder for report.html, report.csv and report.json (created if missing)."),
    Options.withDefault("./albumsift-report")
  ),
  format: Options.text("format").pipe(
    Options.withDescription("Which files to write: a subset of html,csv,json (comma-separated or repeated)."),
    Options.repeated,
    Options.mapEffect(parseFormats)
  ),
  burstGap: optionalNumber(
    "burst-gap",
    "Max seconds between consecutive shots of one camera to join a burst (default 2)."
  ),
  maxBurstSpan: optionalNumber(
    "max-burst-span",
    "A burst stops growing this many seconds after its first shot (default 10)."
  ),
  weight: Options.text("weight").pipe(
    Options.withDescription(
      "Weight of a score component, name=value (rating, a metric name, or metric for all others). Repeatable."
    ),
    Options.repeated,
    Options.mapEffect(parseWeights)
  ),
  lowerIsBetter: Options.text("lower-is-better").pipe(
    Options.withDescription("A metric where lower values are better. Repeatable or comma-separated."),
    Options.repeated,
    Options.map(parseNames)
  ),
  reviewMargin: numberOption(
    "review-margin",
    "Members scoring within this margin (0..1) of the keeper are marked review (default 0.05).",
    { min: 0, max: 1, example: "0.1" }
  ),
  lowQuality: Options.text("low-quality").pipe(
    Options.withDescription(
      "Flag low quality: a threshold like liqe_mix<1.375 and/or a bottom percentile like 5%. Repeatable."
    ),
    Options.repeated
  ),
  thumbnails: choice("thumbnails", ["link", "keep"]).pipe(
    Options.withDescription(
      "link: the report points at the thumbnail URLs; keep: download them into <out>/thumbs (default: link; keep for Immich)."
    ),
    Options.optional
  ),
  csvBom: Options.boolean("csv-bom").pipe(
    Options.withDescription("Start report.csv with a UTF-8 BOM (for Excel).")
  ),
  strict: Options.boolean("strict").pipe(Options.withDescription("Exit 1 when any input item is rejected.")),
  quiet: Options.boolean("quiet").pipe(
    Options.withAlias("q"),
    Options.withDescription("No progress and no summary; errors only.")
  ),
  json: Options.boolean("json").pipe(Options.withDescription("Print the summary as JSON on stdout.")),
  decisions: Options.text("decisions").pipe(
    Options.withDescription(
      "Your decisions to honour: a decisions.json exported from report.html, or an edited report.csv."
    ),
    Options.optional
  )
}).pipe(
  Options.mapEffect((o) =>
    Effect.gen(function* () {
      const lq = yield* parseLowQuality(o.lowQuality, o.lowerIsBetter)
      const given: AnalysisSettings = {}
      if (Option.isSome(o.burstGap)) given.burstGapSeconds = o.burstGap.value
      if (Option.isSome(o.maxBurstSpan)) given.maxBurstSpanSeconds = o.maxBurstSpan.value
      if (Object.keys(o.weight).length > 0) given.weights = o.weight
      if (o.lowerIsBetter.length > 0) given.lowerIsBetter = o.lowerIsBetter
      if (Option.isSome(o.reviewMargin)) given.reviewMargin = o.reviewMargin.value
      if (lq.percentile !== undefined) given.lowQualityPercentile = lq.percentile
      if (Object.keys(lq.thresholds).length > 0) given.lowQualityThresholds = lq.thresholds
      const settings: CommonSettings = {
        out: o.out,
        formats: o.format,
        analysis: yield* resolveAnalysis(given),
        thumbnails: Option.getOrUndefined(o.thumbnails),
        csvBom: o.csvBom,
        strict: o.strict,
        quiet: o.quiet,
        json: o.json,
        decisions: Option.getOrUndefined(o.decisions)
      }
      return settings
    })
  )
)
