import { assert, describe, it } from "@effect/vitest"
import { Duration, Option } from "effect"
import * as Http from "../../src/source/Http.js"
import { explain } from "../../src/source/internal/errorBody.js"
import { isRetryableStatus, requestedDelay } from "../../src/source/internal/retrySchedule.js"

const ms = (o: Option.Option<Duration.Duration>) => Option.map(o, Duration.toMillis)

describe("retrySchedule.requestedDelay", () => {
  const now = Date.parse("2026-01-01T00:00:00Z")

  it("prefers retry-after-ms (a float, in ms)", () => {
    assert.deepStrictEqual(
      ms(requestedDelay({ "retry-after-ms": "1250.5", "retry-after": "9" }, now)),
      Option.some(1250.5)
    )
  })

  it("reads Retry-After as seconds", () => {
    assert.deepStrictEqual(ms(requestedDelay({ "retry-after": "3" }, now)), Option.some(3000))
    assert.deepStrictEqual(ms(requestedDelay({ "retry-after": "0.5" }, now)), Option.some(500))
  })

  it("reads Retry-After as an HTTP date, relative to now, never negative", () => {
    assert.deepStrictEqual(
      ms(requestedDelay({ "retry-after": "Thu, 01 Jan 2026 00:00:12 GMT" }, now)),
      Option.some(12000)
    )
    assert.deepStrictEqual(
      ms(requestedDelay({ "retry-after": "Wed, 31 Dec 2025 23:00:00 GMT" }, now)),
      Option.some(0)
    )
  })

  it("ignores absent, negative or unparsable values", () => {
    assert.isTrue(Option.isNone(requestedDelay({}, now)))
    assert.isTrue(Option.isNone(requestedDelay({ "retry-after-ms": "-5" }, now)))
    assert.isTrue(Option.isNone(requestedDelay({ "retry-after": "soon" }, now)))
  })
})

describe("Http.defaultRetry", () => {
  it("defaults: at least 4 retries, 60 s timeout and Retry-After cap", () => {
    assert.isAtLeast(Http.defaultRetry.retries, 4)
    assert.strictEqual(Duration.toMillis(Duration.decode(Http.defaultRetry.timeout)), 60_000)
    assert.strictEqual(Duration.toMillis(Duration.decode(Http.defaultRetry.maxRetryAfter)), 60_000)
  })
})

describe("retrySchedule.isRetryableStatus", () => {
  it("retries 408, 409, 429 and 5xx only", () => {
    const retried = [200, 400, 401, 403, 404, 405, 408, 409, 422, 429, 500, 502, 503, 504, 507].filter(
      isRetryableStatus
    )
    assert.deepStrictEqual(retried, [408, 409, 429, 500, 502, 503, 504, 507])
  })
})

describe("errorBody.explain", () => {
  it("reads detail, then message, then error", () => {
    assert.deepStrictEqual(explain(`{"detail":"JWT has expired"}`, "application/json"), {
      detail: "JWT has expired"
    })
    assert.deepStrictEqual(explain(`{"message":"m","error":"e"}`, undefined), { detail: "m" })
    assert.deepStrictEqual(explain(`{"error":"e"}`, undefined), { detail: "e" })
  })

  it("formats a FastAPI validation list as path: message", () => {
    const body = `{"detail":[{"loc":["query","limit"],"msg":"Input should be less than or equal to 200"},{"loc":["query","x"],"msg":"bad"}]}`
    assert.deepStrictEqual(explain(body, "application/json"), {
      detail: "query.limit: Input should be less than or equal to 200; query.x: bad"
    })
  })

  it("says when a body is HTML or text rather than JSON, with its title", () => {
    const html = "<html><head><title>502 Bad Gateway</title></head><body>x</body></html>"
    assert.deepStrictEqual(explain(html, "text/html; charset=utf-8"), {
      notJson: `the body is an HTML page, not JSON ("502 Bad Gateway")`
    })
    assert.deepStrictEqual(explain("upstream\nconnect error", "text/plain"), {
      notJson: `the body is text/plain, not JSON ("upstream connect error")`
    })
    assert.deepStrictEqual(explain("   ", "text/plain"), {})
  })

  it("keeps details on one line and bounded", () => {
    const { detail } = explain(JSON.stringify({ detail: `a\nb ${"x".repeat(1000)}` }), undefined)
    assert.notInclude(detail ?? "", "\n")
    assert.isAtMost((detail ?? "").length, 300)
  })
})

describe("Http.parseBaseUrl", () => {
  it("accepts http(s) URLs and rejects others or embedded credentials", () => {
    assert.strictEqual(
      Option.getOrThrow(Http.parseBaseUrl(" https://api.gumnut.ai ")).origin,
      "https://api.gumnut.ai"
    )
    assert.strictEqual(Option.getOrThrow(Http.parseBaseUrl("http://nas:2283/")).href, "http://nas:2283/")
    assert.isTrue(Option.isNone(Http.parseBaseUrl("api.gumnut.ai")))
    assert.isTrue(Option.isNone(Http.parseBaseUrl("ftp://x")))
    assert.isTrue(Option.isNone(Http.parseBaseUrl("https://user:secret@x")))
  })
})
