/**
 * The configuration steps every server source shares: the base URL and page size options, and
 * the key and base URL read from the environment, each failing with a one-line `SourceConfigError`.
 */
import { Config, Effect, Option, Redacted } from "effect"
import { SourceConfigError } from "../AlbumSource.js"
import * as Http from "../Http.js"

/** A URL's text for messages, with any `user:password@` replaced by `***@`. */
export const maskUserInfo = (text: string): string => text.replace(/^([^:/?#]*:\/\/)[^/?#]*@/, "$1***@")

/**
 * Reads a base URL option, failing with a clear message (a usage error) when it is not an http(s)
 * URL or carries a user name or password; the message never shows them.
 */
export const resolveBaseUrl = (
  service: string,
  value: string | URL | undefined,
  fallback: string
): Effect.Effect<URL, SourceConfigError> => {
  const text = value === undefined ? fallback : String(value)
  const shown = maskUserInfo(text.trim()).slice(0, 200)
  const fail = (detail: string) => Effect.fail(new SourceConfigError({ service, detail, usage: true }))
  if (shown === "") {
    const variable = `${service.toUpperCase()}_BASE_URL`
    return fail(`no base URL: give the server's address (for example ${fallback}) or set ${variable}`)
  }
  if (/^[^:/?#]*:\/\/[^/?#]*@/.test(text.trim())) {
    return fail(
      `the base URL "${shown}" carries a user name or password; give the key in its variable instead, and the URL without them`
    )
  }
  return Option.match(Http.parseBaseUrl(text), {
    onNone: () => fail(`the base URL "${shown}" is not an http(s) URL (for example ${fallback})`),
    onSome: Effect.succeed
  })
}

/** A page size option (default `max`), failing unless it is a whole number in 1..max. */
export const resolvePageSize = (
  service: string,
  value: number | undefined,
  max: number
): Effect.Effect<number, SourceConfigError> => {
  const pageSize = value ?? max
  return Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= max
    ? Effect.succeed(pageSize)
    : Effect.fail(new SourceConfigError({ service, detail: `page size must be 1..${max}, got ${pageSize}` }))
}

/** What a source reads from its environment variables. */
export type EnvConfig = Config.Config<{
  readonly apiKey: Option.Option<Redacted.Redacted<string>>
  readonly baseUrl: Option.Option<string>
}>

/** The key (kept redacted) and base URL variables of a source, both optional until `readEnv` checks them. */
export const envConfig = (keyVariable: string, baseUrlVariable: string): EnvConfig =>
  Config.all({
    apiKey: Config.option(Config.redacted(keyVariable)),
    baseUrl: Config.option(Config.string(baseUrlVariable))
  })

/**
 * Reads the key and base URL from the environment; the explicit `baseUrl` wins over the variable.
 * A missing or blank key fails with `missingKey` as the detail; a blank base URL counts as unset. An
 * explicit base URL is checked first (`resolveBaseUrl`, `example` in its message): a usage error is
 * said before a missing key.
 */
export const readEnv = (
  service: string,
  config: EnvConfig,
  baseUrl: string | URL | undefined,
  missingKey: string,
  example: string
): Effect.Effect<
  { readonly apiKey: Redacted.Redacted<string>; readonly baseUrl: string | URL | undefined },
  SourceConfigError
> =>
  Effect.gen(function* () {
    if (baseUrl !== undefined) yield* resolveBaseUrl(service, baseUrl, example)
    const env = yield* config.pipe(
      Effect.mapError(
        (e) => new SourceConfigError({ service, detail: `could not read the configuration: ${e.message}` })
      )
    )
    const apiKey = Option.filter(env.apiKey, (k) => Redacted.value(k).trim() !== "")
    if (Option.isNone(apiKey)) return yield* new SourceConfigError({ service, detail: missingKey })
    return {
      apiKey: apiKey.value,
      baseUrl: baseUrl ?? Option.getOrUndefined(Option.filter(env.baseUrl, (u) => u.trim() !== ""))
    }
  })
