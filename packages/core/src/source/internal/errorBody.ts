/**
 * Reading a failed response for a user: its status line, the server's own explanation from the
 * error body (FastAPI's `detail`, Immich's `message`, a proxy's HTML title), and connection errors,
 * each as one bounded line. Server text is passed through `blank` (the key) after it is decoded.
 */
import type { HttpClientError } from "@effect/platform"
import { Effect, Stream } from "effect"
import { oneLine } from "./jsonSplitter.js"

const REASONS: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  507: "Insufficient Storage"
}

/** `HTTP 503 Service Unavailable`. */
export const statusLine = (status: number): string => {
  const reason = REASONS[status]
  return reason === undefined ? `HTTP ${status}` : `HTTP ${status} ${reason}`
}

/**
 * The server's explanation from an error body: `detail`, `message` or `error` of a JSON object
 * (a FastAPI validation list becomes `loc: msg; ...`), or a note that the body is not JSON.
 */
export const explain = (
  text: string,
  contentType: string | undefined,
  blank: (text: string) => string = (t) => t
): { detail?: string; notJson?: string } => {
  const trimmed = text.trim()
  if (trimmed === "") return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(trimmed)
  } catch {
    const kind = (contentType ?? "").split(";")[0]!.trim() || "unknown type"
    const title =
      /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1] ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(trimmed)?.[1]
    const sample = title ?? (kind.includes("html") ? undefined : trimmed)
    const what = kind.includes("html") || /^\s*</.test(trimmed) ? "an HTML page" : kind
    return {
      notJson: `the body is ${what}, not JSON${sample === undefined ? "" : ` ("${oneLine(blank(sample), 80)}")`}`
    }
  }
  // Parsing decodes escapes (`\u0073k…`, `\/`): blank again before anything is cut or shown.
  const detail = pickDetail(parsed)
  return detail === undefined ? {} : { detail: oneLine(blank(detail), 300) }
}

const pickDetail = (body: unknown): string | undefined => {
  if (typeof body === "string") return body
  if (typeof body !== "object" || body === null) return undefined
  if (Array.isArray(body)) {
    const parts = body.map((e) => validationEntry(e)).filter((s): s is string => s !== undefined)
    return parts.length > 0 ? parts.join("; ") : JSON.stringify(body)
  }
  const record = body as Record<string, unknown>
  for (const key of ["detail", "message", "error"]) {
    const v = record[key]
    if (v === undefined || v === null) continue
    const text = pickDetail(v)
    if (text !== undefined) return text
  }
  return undefined
}

/** FastAPI's `{loc: ["query", "limit"], msg: "..."}` as `query.limit: ...`. */
const validationEntry = (e: unknown): string | undefined => {
  if (typeof e === "string") return e
  if (typeof e !== "object" || e === null) return undefined
  const { loc, msg, message } = e as { loc?: unknown; msg?: unknown; message?: unknown }
  const text = typeof msg === "string" ? msg : typeof message === "string" ? message : undefined
  if (text === undefined) return JSON.stringify(e)
  return Array.isArray(loc) && loc.length > 0 ? `${loc.join(".")}: ${text}` : text
}

/** The innermost message of a transport error (`ECONNREFUSED ...`), not Effect's wrapper text. */
export const describeError = (error: unknown): string => {
  if (typeof error !== "object" || error === null) return String(error)
  const e = error as { code?: unknown; message?: unknown; cause?: unknown }
  const inner = e.cause !== undefined && e.cause !== error ? describeError(e.cause) : ""
  const own = typeof e.message === "string" ? e.message : ""
  const code = typeof e.code === "string" && !own.includes(e.code) ? `${e.code} ` : ""
  // Effect's wrappers say "Transport error (GET http://...)": the cause says what happened.
  return inner !== "" && inner !== "undefined" ? inner : `${code}${own}`.trim() || "unknown error"
}

/** Error bodies are read up to this many bytes: enough for any `detail`, bounded for any proxy page. */
const ERROR_BODY_LIMIT = 64 * 1024

/** An error body's text, read up to `ERROR_BODY_LIMIT` bytes. */
export const errorText = <E>(bytes: Stream.Stream<Uint8Array, E>) =>
  bytes.pipe(
    Stream.runFoldWhile(
      { parts: [] as Uint8Array[], size: 0 },
      (acc) => acc.size < ERROR_BODY_LIMIT,
      (acc, bytes) => {
        acc.parts.push(bytes)
        return { parts: acc.parts, size: acc.size + bytes.length }
      }
    ),
    Effect.map(({ parts }) => Buffer.concat(parts).subarray(0, ERROR_BODY_LIMIT).toString("utf8"))
  )

/** `connection failed: <cause>` for a request that got no response. */
export const transportSummary = (
  error: HttpClientError.HttpClientError,
  blank: (text: string) => string
): string => `connection failed: ${oneLine(blank(describeError(error.cause ?? error)), 200)}`
