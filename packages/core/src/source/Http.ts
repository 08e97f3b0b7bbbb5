/**
 * The HTTP layer the album sources share (Gumnut, Immich): requests, retries, timeouts, errors.
 *
 * Policy (the Gumnut SDK's, made configurable):
 * - retried: connection errors, timeouts, 408, 409, 429, every status from 500 up, and bodies that
 *   are cut off or not JSON; `x-should-retry: true|false` overrides the status rule;
 * - delay: `retry-after-ms`, else `Retry-After` (seconds or an HTTP date), capped at
 *   `maxRetryAfter`; else `min(baseDelay * 2^n, maxDelay)` times a jitter factor in [0.75, 1]
 *   (an Effect `Schedule`: `internal/retrySchedule.ts`);
 * - timeout: per attempt, for the response headers and then for every gap in the body; a bounded
 *   response (a page) must also arrive whole within it;
 * - deadline: a streamed listing's attempt must finish whole within `deadline` (default 10 × the
 *   timeout), so a server trickling bytes cannot hold a run forever; not retried (a second read of
 *   the same album would take as long);
 * - size: no one item (and no body read whole) may pass `maxItemSize` (default 64 MiB); not retried;
 * - not retried: 401/403, 404, 422 and other 4xx, each mapped to a clear `AlbumSource` error
 *   (the server's explanation read by `internal/errorBody.ts`).
 *
 * Key safety: the key is held `Redacted` and only put on requests whose origin is the API's own
 * base URL (never on pre-signed CDN links); redirects are never followed, whatever client is in
 * context (a fetch-based one is told `redirect: "manual"`), and a redirect is an error. Any copy
 * of the key in server text is blanked after every decoding step: in error bodies, in messages and
 * logs, and in the listed assets themselves (see `internal/credentials.ts`).
 */
// Subpath imports: the @effect/platform barrel also loads its OpenAPI/Swagger bundles (~25 MB of heap).
import type { HttpClientError, HttpClientResponse } from "@effect/platform"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Clock, Data, Duration, Effect, Option, Redacted, Schedule, type Scope, Stream } from "effect"
import { VERSION } from "../internal/version.js"
import {
  AlbumNotFound,
  AuthenticationFailed,
  RequestRejected,
  type SourceError,
  SourceUnavailable
} from "./AlbumSource.js"
import { Blanker, type Credentials } from "./internal/credentials.js"
import { ACCEPT_ENCODING, bodyBytes } from "./internal/decompress.js"
import { describeError, errorText, explain, statusLine, transportSummary } from "./internal/errorBody.js"
import { formatSize, oneLine } from "./internal/jsonSplitter.js"
import * as RetrySchedule from "./internal/retrySchedule.js"
import * as JsonInput from "./JsonInput.js"

/** Retry and timeout settings. Tests shrink the delays; users may raise `retries`. */
export interface RetryOptions {
  /** Retries after the first attempt (default 4, so up to 5 attempts). */
  readonly retries: number
  /** First backoff delay (default 0.5 s), doubled on every retry. */
  readonly baseDelay: Duration.DurationInput
  /** Largest backoff delay (default 8 s). */
  readonly maxDelay: Duration.DurationInput
  /** Largest delay a server may ask for with `Retry-After` (default 60 s). */
  readonly maxRetryAfter: Duration.DurationInput
  /** Per-attempt timeout for the response headers and for each gap in the body (default 60 s). */
  readonly timeout: Duration.DurationInput
  /** Wall-clock limit on one attempt of a streamed listing, whole body included (default 10 × `timeout`). */
  readonly deadline?: Duration.DurationInput | undefined
  /** Multiply backoff by a random factor in [0.75, 1] (default true). */
  readonly jitter: boolean
}

/** The defaults: 4 retries, backoff 0.5 s doubling to 8 s, server delays up to 60 s, 60 s timeout. */
export const defaultRetry: RetryOptions = {
  retries: 4,
  baseDelay: "500 millis",
  maxDelay: "8 seconds",
  maxRetryAfter: "60 seconds",
  timeout: "60 seconds",
  jitter: true
}

export type { Credentials }

/** What `make` needs. */
export interface ApiOptions {
  /** Service name for messages: `Gumnut`, `Immich`. */
  readonly service: string
  readonly baseUrl: URL
  readonly credentials: Credentials
  /** Default `albumsift/<version>`. */
  readonly userAgent?: string | undefined
  readonly retry?: Partial<RetryOptions> | undefined
  /** The most characters one listed item, or one body read whole, may have (default 64 Mi). */
  readonly maxItemSize?: number | undefined
}

/** One attempt's failure, classified; internal to sources, turned into a `SourceError` at the edge. */
export class AttemptFailure extends Data.TaggedError("AttemptFailure")<{
  readonly retryable: boolean
  /** One line, e.g. `HTTP 503 Service Unavailable: maintenance` or `no response within 60s`. */
  readonly summary: string
  readonly status?: number | undefined
  /** The server's own explanation (`detail`, `message` or `error`), when it gave one. */
  readonly detail?: string | undefined
  /** The delay the server asked for, already capped. */
  readonly retryAfter?: Duration.Duration | undefined
  /** A source error to raise as it is (e.g. the album changed); never retried. */
  readonly error?: SourceError | undefined
  /** Attempts made, set when retries are over. */
  readonly attempts?: number | undefined
}> {}

/** An HTTP API with the key, the retry policy and the error mapping applied. */
export interface Api {
  readonly service: string
  readonly baseUrl: URL
  readonly retry: RetryOptions
  /** A GET of `path` (with its query) under the base URL. */
  readonly get: (
    path: string,
    query?: Readonly<Record<string, string | undefined>>
  ) => HttpClientRequest.HttpClientRequest
  /** A POST of a JSON body to `path` under the base URL. */
  readonly post: (path: string, body: unknown) => HttpClientRequest.HttpClientRequest
  /** A mutating request (`apply`/`undo`) with an optional JSON body, under the base URL. */
  readonly mutate: (
    method: "POST" | "PUT" | "PATCH" | "DELETE",
    path: string,
    body?: unknown
  ) => HttpClientRequest.HttpClientRequest
  /** One attempt: a 2xx response (its body still unread, aborted when the scope closes) or a failure. */
  readonly send: (
    request: HttpClientRequest.HttpClientRequest
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, AttemptFailure, Scope.Scope>
  /** The body's bytes; fails (retryably) when it is cut off or stalls for longer than the timeout. */
  readonly body: (
    response: HttpClientResponse.HttpClientResponse
  ) => Stream.Stream<Uint8Array, AttemptFailure>
  /**
   * The body's JSON elements, streamed; `parser` exposes the format and a page's envelope at the
   * end. `itemsKey` names the member holding the items in an object body (default `data`).
   */
  readonly json: (
    response: HttpClientResponse.HttpClientResponse,
    options?: { readonly itemsKey?: string | undefined }
  ) => {
    readonly values: Stream.Stream<unknown, AttemptFailure>
    readonly parser: JsonInput.Parser
  }
  /** The whole body parsed as one JSON value (for small, bounded responses such as a search page). */
  readonly whole: (response: HttpClientResponse.HttpClientResponse) => Effect.Effect<unknown, AttemptFailure>
  /**
   * Runs attempts until one succeeds, a failure is not retryable, or retries run out. Each attempt
   * (request and whole body) must finish within the timeout: for bounded responses only.
   */
  readonly retrying: <A>(
    attempt: (n: number) => Effect.Effect<A, AttemptFailure, Scope.Scope>
  ) => Effect.Effect<A, AttemptFailure>
  /**
   * The same for a stream: a failed attempt is followed by a fresh one (the caller resumes). Only
   * the response headers and each gap in the body are timed, so a long listing may take its time.
   */
  readonly retryingStream: <A>(
    attempt: (n: number) => Stream.Stream<A, AttemptFailure>
  ) => Stream.Stream<A, AttemptFailure>
  /** The user-facing error for a final failure. */
  readonly toError: (failure: AttemptFailure, album?: string) => SourceError
  /** Blanks out any copy of the key in text that came from outside. */
  readonly scrub: (text: string) => string
}

const seconds = (d: Duration.DurationInput) => {
  const ms = Duration.toMillis(Duration.decode(d))
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}

/** What request paths are joined onto: the base URL without its trailing slashes. */
export const prefixOf = (base: URL): string => base.href.replace(/\/+$/, "")

/** Builds an `Api` over the `HttpClient` in context. */
export const make: (options: ApiOptions) => Effect.Effect<Api, never, HttpClient.HttpClient> = Effect.fn(
  "Http.make"
)(function* (options: ApiOptions) {
  const given: RetryOptions = { ...defaultRetry, ...options.retry }
  // A negative or fractional retry count means "that many whole retries, at least none".
  const retry: RetryOptions = {
    ...given,
    retries: Number.isFinite(given.retries) ? Math.max(0, Math.floor(given.retries)) : defaultRetry.retries
  }
  const service = options.service
  const base = options.baseUrl
  const prefix = prefixOf(base)
  const { credentials } = options
  const userAgent = options.userAgent ?? `albumsift/${VERSION}`
  const timeout = Duration.decode(retry.timeout)
  const deadline =
    retry.deadline === undefined ? Duration.times(timeout, 10) : Duration.decode(retry.deadline)
  const maxItemSize = options.maxItemSize ?? JsonInput.DEFAULT_ITEM_SIZE
  const maxRetryAfter = Duration.decode(retry.maxRetryAfter)
  // Redirects are not followed (the default), so the key cannot ride along to another host.
  const client = (yield* HttpClient.HttpClient).pipe(
    HttpClient.withTracerPropagation(false),
    HttpClient.withScope
  )

  const blanker = new Blanker(Redacted.value(credentials.key))
  const scrub = (text: string): string => blanker.text(text)

  const authorize = (request: HttpClientRequest.HttpClientRequest): HttpClientRequest.HttpClientRequest => {
    // Only the API's own origin ever sees the key.
    if (new URL(request.url).origin !== base.origin) return request
    return credentials.header === "authorization"
      ? HttpClientRequest.bearerToken(request, credentials.key)
      : HttpClientRequest.setHeader(request, credentials.header, Redacted.value(credentials.key))
  }

  const withQuery = (
    request: HttpClientRequest.HttpClientRequest,
    query?: Readonly<Record<string, string | undefined>>
  ) => {
    if (query === undefined) return request
    const defined: Record<string, string> = {}
    for (const [k, v] of Object.entries(query)) if (v !== undefined) defined[k] = v
    return HttpClientRequest.setUrlParams(request, defined)
  }

  const common = (request: HttpClientRequest.HttpClientRequest) =>
    request.pipe(
      HttpClientRequest.acceptJson,
      HttpClientRequest.setHeader("user-agent", userAgent),
      // A JSON listing compresses several times over; decoded as a stream (internal/decompress.ts).
      HttpClientRequest.setHeader("accept-encoding", ACCEPT_ENCODING)
    )

  const get: Api["get"] = (path, query) => withQuery(common(HttpClientRequest.get(prefix + path)), query)
  const post: Api["post"] = (path, body) =>
    common(HttpClientRequest.post(prefix + path)).pipe(HttpClientRequest.bodyUnsafeJson(body))
  const mutate: Api["mutate"] = (method, path, body) => {
    const request = common(HttpClientRequest.make(method)(prefix + path))
    return body === undefined ? request : HttpClientRequest.bodyUnsafeJson(request, body)
  }

  const failStatus = (response: HttpClientResponse.HttpClientResponse) =>
    Effect.gen(function* () {
      const status = response.status
      const text = yield* errorText(bodyBytes(response, (e) => e)).pipe(
        Effect.timeout(timeout),
        Effect.orElseSucceed(() => "")
      )
      const { detail, notJson } = explain(scrub(text), response.headers["content-type"], scrub)
      const should = response.headers["x-should-retry"]?.trim().toLowerCase()
      const retryable =
        should === "true" ? true : should === "false" ? false : RetrySchedule.isRetryableStatus(status)
      const now = yield* Clock.currentTimeMillis
      const requested = RetrySchedule.requestedDelay(response.headers, now)
      const retryAfter = Option.map(requested, (d) => Duration.min(d, maxRetryAfter))
      const location = status >= 300 && status < 400 ? response.headers.location : undefined
      // Never followed: the key is for the API's own origin only. Only the target's origin is named.
      const redirect =
        location === undefined
          ? undefined
          : `a redirect to ${scrub(safeOrigin(location, base))}, not followed`
      const explanation = redirect ?? detail
      const summary = `${statusLine(status)}${explanation === undefined ? "" : `: ${explanation}`}${notJson === undefined ? "" : ` (${notJson})`}`
      return yield* new AttemptFailure({
        retryable,
        summary,
        status,
        detail: redirect ?? detail ?? notJson,
        retryAfter: Option.getOrUndefined(retryAfter)
      })
    })

  const send: Api["send"] = (request) =>
    client.execute(authorize(request)).pipe(
      // A fetch-based client would follow redirects itself, carrying `x-api-key` to the new host.
      Effect.provideService(FetchHttpClient.RequestInit, { redirect: "manual" }),
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () =>
          new AttemptFailure({ retryable: true, summary: `no response within ${seconds(timeout)}` })
      }),
      Effect.catchIf(
        (e): e is HttpClientError.HttpClientError => !(e instanceof AttemptFailure),
        (e) => Effect.fail(new AttemptFailure({ retryable: true, summary: transportSummary(e, scrub) }))
      ),
      Effect.flatMap((response) =>
        response.status >= 200 && response.status < 300 ? Effect.succeed(response) : failStatus(response)
      )
    )

  const body: Api["body"] = (response) =>
    bodyBytes(
      response,
      (e) =>
        new AttemptFailure({
          retryable: true,
          summary: `the compressed response could not be decoded (${oneLine(scrub(describeError(e)), 120)})`
        })
    ).pipe(
      Stream.mapError((e) =>
        e instanceof AttemptFailure
          ? e
          : new AttemptFailure({
              retryable: true,
              summary: `the response body was cut off (${oneLine(scrub(describeError(e.cause ?? e)), 120)})`
            })
      ),
      Stream.timeoutFail(
        () =>
          new AttemptFailure({
            retryable: true,
            summary: `the response body stalled for ${seconds(timeout)}`
          }),
        timeout
      )
    )

  /** An asset as listed, with any copy of the key the server planted in it blanked. */
  const cleanItem = (text: string, value: unknown): unknown => {
    if (!blanker.mayHold(text)) return value
    if (JsonInput.isInvalidJson(value)) {
      return new JsonInput.InvalidJson(
        scrub(value.reason),
        value.id === undefined ? undefined : scrub(value.id)
      )
    }
    return blanker.value(value)
  }

  const json: Api["json"] = (response, options) => {
    const parser = new JsonInput.Parser(undefined, {
      itemsKey: options?.itemsKey,
      clean: cleanItem,
      maxItemSize
    })
    const toFailure = (e: unknown) =>
      e instanceof JsonInput.JsonInputError
        ? new AttemptFailure({
            // A limit will be hit again on a second read; a broken body may be a one-off.
            retryable: e.limit === undefined,
            summary: `the response is not valid JSON: ${scrub(e.reason)} (at byte ${e.offset})`
          })
        : new AttemptFailure({ retryable: true, summary: oneLine(scrub(String(e)), 200) })
    const values = body(response).pipe(
      Stream.mapConcatEffect((bytes) => Effect.try({ try: () => parser.feed(bytes), catch: toFailure })),
      Stream.concat(
        Stream.fromIterableEffect(
          Effect.suspend(() => Effect.try({ try: () => parser.finish(), catch: toFailure }))
        )
      )
    )
    return { values, parser }
  }

  const whole: Api["whole"] = (response) =>
    body(response).pipe(
      Stream.runFoldEffect({ parts: [] as Uint8Array[], size: 0 }, (acc, bytes) => {
        acc.parts.push(bytes)
        acc.size += bytes.length
        return acc.size > maxItemSize
          ? Effect.fail(
              new AttemptFailure({
                retryable: false,
                summary: `the response is larger than the ${formatSize(maxItemSize)} item size cap`
              })
            )
          : Effect.succeed(acc)
      }),
      Effect.flatMap(({ parts }) =>
        Effect.try({
          try: () => {
            const text = Buffer.concat(parts).toString("utf8")
            return cleanItem(text, JSON.parse(text) as unknown)
          },
          catch: (e) =>
            new AttemptFailure({
              retryable: true,
              summary: `the response is not valid JSON: ${oneLine(scrub(e instanceof Error ? e.message : String(e)), 160)}`
            })
        })
      )
    )

  // The retry policy (internal/retrySchedule.ts); each retry is logged with its delay.
  const policy = RetrySchedule.schedule<AttemptFailure>(retry, (failure, delay) =>
    Effect.logDebug(`${service}: ${scrub(failure.summary)}; retrying in ${Duration.format(delay)}`)
  )

  /**
   * Runs attempts `0, 1, ...` under the schedule until one succeeds or the schedule stops; the
   * final failure records how many attempts were made. Driven by hand rather than with
   * `Stream.retry`, which restarts its schedule whenever an attempt emits: a listing cut at a new
   * place each time would then be retried for ever.
   */
  const drive = <S>(
    attempt: (n: number) => S,
    recover: (s: S, next: (failure: AttemptFailure) => Effect.Effect<S, AttemptFailure>) => S
  ): Effect.Effect<S> =>
    Effect.map(Schedule.driver(policy), (driver) => {
      const run = (n: number): S =>
        recover(attempt(n), (failure) =>
          driver.next(failure).pipe(
            Effect.mapError(() => new AttemptFailure({ ...failure, attempts: n + 1 })),
            Effect.map(() => run(n + 1))
          )
        )
      return run(0)
    })

  const retrying: Api["retrying"] = <A>(
    attempt: (n: number) => Effect.Effect<A, AttemptFailure, Scope.Scope>
  ) =>
    Effect.flatten(
      drive(
        (n) =>
          Effect.scoped(attempt(n)).pipe(
            // A bounded response (a page, a version) must also arrive whole within the timeout.
            Effect.timeoutFail({
              duration: timeout,
              onTimeout: () =>
                new AttemptFailure({
                  retryable: true,
                  summary: `the response was not complete within ${seconds(timeout)}`
                })
            })
          ),
        (self, next) => Effect.catchAll(self, (failure) => Effect.flatten(next(failure)))
      )
    )

  const retryingStream: Api["retryingStream"] = <A>(
    attempt: (n: number) => Stream.Stream<A, AttemptFailure>
  ) => {
    // The whole attempt, body included, within the deadline; a trickle cannot hold the run forever.
    const overdue = Effect.sleep(deadline).pipe(
      Effect.zipRight(
        Effect.fail(
          new AttemptFailure({
            retryable: false,
            summary: `the listing did not finish within ${seconds(deadline)} (the deadline per attempt, 10 × the timeout unless set)`
          })
        )
      )
    )
    return Stream.unwrap(
      drive(
        (n) => attempt(n).pipe(Stream.interruptWhen(overdue)),
        (self, next) => Stream.catchAll(self, (failure) => Stream.unwrap(next(failure)))
      )
    )
  }

  const toError: Api["toError"] = (failure, album) => {
    if (failure.error !== undefined) return failure.error
    const status = failure.status
    const albumField = album === undefined ? {} : { album }
    // Last line of defence: whatever was built from server text is blanked once more.
    const detail = failure.detail === undefined ? {} : { detail: scrub(failure.detail) }
    if (status === 401 || status === 403) {
      return new AuthenticationFailed({
        service,
        ...albumField,
        status,
        ...detail,
        keyVariable: credentials.variable
      })
    }
    if (status === 404 && album !== undefined && !failure.retryable)
      return new AlbumNotFound({ service, album })
    if (status !== undefined && status >= 300 && status < 500 && !failure.retryable) {
      return new RequestRejected({
        service,
        ...albumField,
        status,
        detail: scrub(failure.detail ?? failure.summary)
      })
    }
    return new SourceUnavailable({
      service,
      ...albumField,
      attempts: failure.attempts ?? 1,
      ...(status === undefined ? {} : { status }),
      detail: scrub(failure.summary)
    })
  }

  return {
    service,
    baseUrl: base,
    retry,
    get,
    post,
    mutate,
    send,
    body,
    json,
    whole,
    retrying,
    retryingStream,
    toError,
    scrub
  }
})

/** The origin of a redirect target, for messages (never its path or query, which may hold tokens). */
const safeOrigin = (location: string, base: URL): string => {
  try {
    return new URL(location, base).origin
  } catch {
    return "an invalid URL"
  }
}

/** Parses a base URL: http(s) only, no credentials, query or fragment. */
export const parseBaseUrl = (text: string): Option.Option<URL> => {
  try {
    const url = new URL(text.trim())
    if (url.protocol !== "http:" && url.protocol !== "https:") return Option.none()
    if (url.username !== "" || url.password !== "") return Option.none()
    url.search = ""
    url.hash = ""
    return Option.some(url)
  } catch {
    return Option.none()
  }
}
