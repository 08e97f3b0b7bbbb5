/**
 * Analysis options: what a caller may set, the documented defaults, and their validation.
 *
 * Defaults and why:
 * - `burstGapSeconds: 2`: burst frames come < 1 s apart and a quick re-shoot of the same scene
 *   within a couple of seconds; cameras that store whole seconds still link consecutive frames.
 * - `maxBurstSpanSeconds: 10`: a chain stops growing 10 s after its first shot, so an event shot
 *   continuously does not collapse into one group.
 * - `weights: { rating: 2, favorite: 1, metric: 1 }`: the user's own stars count twice any single ML
 *   metric; a favourite counts like one metric at its best; `metric` is the weight of every metric
 *   not named explicitly (name a metric, e.g. `liqe_mix: 3`, to weigh it on its own).
 * - `reviewMargin: 0.05`: keepers that win by less than 5 points of score (on 0..1) are "too close to call".
 * - `lowQualityPercentile: 0.05`: the bottom 5 % of the album's composite scores are flagged (once at
 *   least 20 assets have a score; a 4- or 5-star asset never on this rule alone).
 * - `histogramBins: 10`.
 */
import { Effect, Either, Schema } from "effect"
import type { ResolvedOptions } from "./Analysis.js"
import * as Decisions from "./Decisions.js"

export type { ResolvedOptions }

/**
 * What a caller may pass: any subset of `ResolvedOptions`. `weights` merge over the defaults.
 *
 * @since 0.1.0
 */
export type AnalysisOptions = { readonly [K in keyof ResolvedOptions]?: ResolvedOptions[K] | undefined }

/**
 * The documented defaults.
 *
 * @since 0.1.0
 */
export const defaults: ResolvedOptions = {
  burstGapSeconds: 2,
  maxBurstSpanSeconds: 10,
  weights: { rating: 2, favorite: 1, metric: 1 },
  lowerIsBetter: [],
  reviewMargin: 0.05,
  lowQualityPercentile: 0.05,
  lowQualityThresholds: {},
  histogramBins: 10
}

/**
 * An option value that cannot be used.
 *
 * @since 0.1.0
 */
export class InvalidOptions extends Schema.TaggedError<InvalidOptions>()("InvalidOptions", {
  option: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid option ${this.option}: ${this.reason}`
  }
}

const check = (ok: boolean, option: string, reason: string) => {
  if (!ok) throw new InvalidOptions({ option, reason })
}
const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x)

/** A key the library does not know (a typo such as `burstGap`) would silently change nothing. */
const checkKnownKeys = (options: object) => {
  // Every option with a default, and the ones without (`decisions`, `canMergeGps`).
  const known = [...Object.keys(defaults), "decisions", "canMergeGps"]
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue
    const near = known.find(
      (k) => k.toLowerCase().startsWith(key.toLowerCase()) || key.toLowerCase().startsWith(k.toLowerCase())
    )
    check(
      false,
      key,
      `unknown option${near === undefined ? "" : ` (did you mean ${near}?)`}; known: ${known.join(", ")}`
    )
  }
}

/** Decisions given as a value (not read by `Decisions.parse`) get the same checks as a file. */
const checkedDecisions = (decisions: Decisions.Decisions): Decisions.Decisions => {
  const checked = Decisions.fromJson(decisions, "decisions")
  if (Either.isLeft(checked)) throw new InvalidOptions({ option: "decisions", reason: checked.left.message })
  return checked.right
}

/**
 * Fills in defaults and checks every value. Throws `InvalidOptions` on a bad value or an unknown key.
 *
 * @since 0.1.0
 */
export const resolve = (options: AnalysisOptions = {}): ResolvedOptions => {
  checkKnownKeys(options)
  const o: ResolvedOptions = {
    burstGapSeconds: options.burstGapSeconds ?? defaults.burstGapSeconds,
    maxBurstSpanSeconds: options.maxBurstSpanSeconds ?? defaults.maxBurstSpanSeconds,
    weights: { ...defaults.weights, ...(options.weights ?? {}) },
    lowerIsBetter: [...(options.lowerIsBetter ?? defaults.lowerIsBetter)],
    reviewMargin: options.reviewMargin ?? defaults.reviewMargin,
    lowQualityPercentile: options.lowQualityPercentile ?? defaults.lowQualityPercentile,
    lowQualityThresholds: { ...(options.lowQualityThresholds ?? defaults.lowQualityThresholds) },
    histogramBins: options.histogramBins ?? defaults.histogramBins,
    ...(options.decisions !== undefined ? { decisions: checkedDecisions(options.decisions) } : {}),
    ...(options.canMergeGps !== undefined ? { canMergeGps: options.canMergeGps } : {})
  }
  check(finite(o.burstGapSeconds) && o.burstGapSeconds >= 0, "burstGapSeconds", "must be a number >= 0")
  check(
    finite(o.maxBurstSpanSeconds) && o.maxBurstSpanSeconds >= 0,
    "maxBurstSpanSeconds",
    "must be a number >= 0"
  )
  for (const [name, w] of Object.entries(o.weights)) {
    check(finite(w) && w >= 0, `weights.${name}`, "must be a number >= 0")
  }
  check(
    Array.isArray(o.lowerIsBetter) && o.lowerIsBetter.every((x) => typeof x === "string"),
    "lowerIsBetter",
    "must be a list of metric names"
  )
  check(
    finite(o.reviewMargin) && o.reviewMargin >= 0 && o.reviewMargin <= 1,
    "reviewMargin",
    "must be in 0..1"
  )
  check(
    finite(o.lowQualityPercentile) && o.lowQualityPercentile >= 0 && o.lowQualityPercentile <= 1,
    "lowQualityPercentile",
    "must be in 0..1"
  )
  for (const [name, t] of Object.entries(o.lowQualityThresholds)) {
    check(finite(t), `lowQualityThresholds.${name}`, "must be a number")
  }
  check(
    o.canMergeGps === undefined || typeof o.canMergeGps === "boolean",
    "canMergeGps",
    "must be true or false"
  )
  check(
    Number.isInteger(o.histogramBins) && o.histogramBins >= 1 && o.histogramBins <= 1000,
    "histogramBins",
    "must be an integer in 1..1000"
  )
  return o
}

/**
 * `resolve` as an Effect that fails with `InvalidOptions` instead of throwing.
 *
 * @since 0.1.0
 */
export const validate = (options?: AnalysisOptions): Effect.Effect<ResolvedOptions, InvalidOptions> =>
  Effect.try({
    try: () => resolve(options),
    catch: (e) =>
      e instanceof InvalidOptions ? e : new InvalidOptions({ option: "options", reason: String(e) })
  })

/**
 * Weight of a score component: `rating`, or a metric name (falling back to `metric`, then 1).
 *
 * @since 0.1.0
 */
export const weightOf = (options: ResolvedOptions, component: string): number =>
  (Object.hasOwn(options.weights, component) ? options.weights[component] : undefined) ??
  (component === "rating" ? 2 : (options.weights.metric ?? 1))
