/**
 * Fault injection shared by the loopback API servers (Gumnut, Immich): a queue of rules, each
 * matching a route (and optionally an album, and from a given call number on) for a number of
 * requests, and the code that serves each fault over a real socket. Mutations go through
 * `answerMutation`, which decides whether the change is applied before the fault: a refused
 * request (`status`, `html`) changes nothing; `slow` applies after the wait; `cutAfterApply`,
 * `cut`, `malformed`, `answer`, `stall` and `trickle`
 * apply first. Also the small HTTP plumbing both
 * servers use.
 */
import { once } from "node:events"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"

/** What a test can make a server do instead of answering normally. */
export type Fault =
  /** Answer with this status, body (JSON-encoded unless a string) and headers. */
  | {
      readonly kind: "status"
      readonly status: number
      readonly body?: unknown
      readonly headers?: Record<string, string>
    }
  /** Send the head and about half of the real body, then destroy the socket. */
  | { readonly kind: "cut"; readonly contentLength?: boolean }
  /** Wait before answering normally (longer than the client's timeout). */
  | { readonly kind: "slow"; readonly ms: number }
  /** Send half the body, then stall for `ms` before sending the rest. */
  | { readonly kind: "stall"; readonly ms: number }
  /** Send the normal body in `pieces` parts, `everyMs` apart: slow overall, never idle for long. */
  | { readonly kind: "trickle"; readonly pieces: number; readonly everyMs: number }
  /** Answer 200 with a body that is not valid JSON as a whole. */
  | { readonly kind: "malformed" }
  /** Answer with an HTML error page, as a proxy would. */
  | { readonly kind: "html"; readonly status: number }
  /** Apply the change (on a mutation), then destroy the socket without answering a byte. */
  | { readonly kind: "cutAfterApply" }
  /** Apply the change (on a mutation), then answer 200 with this body (JSON-encoded) instead. */
  | { readonly kind: "answer"; readonly body: unknown }

export interface Rule<Route extends string> {
  readonly route: Route | "any"
  /** Only for this album (default: any). */
  readonly album?: string
  readonly fault: Fault
  /** How many matching requests it applies to (default 1). */
  readonly times?: number
  /** Only from this call on: the 1-based count of requests to the route (default: the next one). */
  readonly call?: number
  /** Called after the fault was served (e.g. to change the album before the retry). */
  readonly after?: () => void
}

/** Rules in the order injected; the first one that matches and has uses left applies. */
export class Faults<Route extends string> {
  private readonly rules: Array<Rule<Route> & { left: number }> = []
  private readonly calls = new Map<string, number>()

  inject(rule: Rule<Route>): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 })
  }

  /** How many uses the injected rules have left (0: every fault was served). */
  left(): number {
    return this.rules.reduce((n, r) => n + r.left, 0)
  }

  /** Takes (uses once) the rule for this request, if any; counts the call to its route. */
  take(route: Route | "other", album: string | undefined): Rule<Route> | undefined {
    const call = (this.calls.get(route) ?? 0) + 1
    this.calls.set(route, call)
    const rule = this.rules.find(
      (r) =>
        r.left > 0 &&
        (r.route === "any" || r.route === route) &&
        (r.album === undefined || r.album === album) &&
        (r.call === undefined || call >= r.call)
    )
    if (rule !== undefined) rule.left--
    return rule
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Sends a JSON (or pre-encoded string) body with a content-length. */
export const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
) => {
  const text = typeof body === "string" ? body : JSON.stringify(body)
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers
  })
  res.end(text)
}

/** Request headers with repeated ones joined, as plain strings. */
export const flatHeaders = (req: IncomingMessage): Record<string, string | undefined> => {
  const out: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(", ") : v
  return out
}

/** What the servers record of every request. */
export interface SeenRequest {
  readonly method: string
  readonly path: string
  /** The last value of each query parameter. */
  readonly query: Readonly<Record<string, string>>
  readonly headers: Readonly<Record<string, string | undefined>>
}

/** A request with its JSON body (raw text when not JSON; undefined when empty) and whether it mutates. */
export interface LoggedRequest extends SeenRequest {
  /** Every value of each query parameter (`ids=a&ids=b`). */
  readonly queryAll: Readonly<Record<string, ReadonlyArray<string>>>
  readonly body: unknown
  /** Anything but GET (and HEAD). */
  readonly mutating: boolean
  /** When it arrived (`Date.now()`), e.g. to check a Retry-After was honoured. */
  readonly at: number
}

/** Reads a request's body and records it with the method, path, query and headers. */
export const logRequest = async (req: IncomingMessage): Promise<LoggedRequest> => {
  const at = Date.now()
  const seen = seenRequest(req)
  const url = new URL(req.url ?? "/", "http://127.0.0.1")
  const queryAll: Record<string, Array<string>> = {}
  for (const k of new Set(url.searchParams.keys())) queryAll[k] = url.searchParams.getAll(k)
  const mutating = seen.method !== "GET" && seen.method !== "HEAD"
  const raw = mutating ? await readBody(req) : ""
  let body: unknown
  try {
    body = raw === "" ? undefined : JSON.parse(raw)
  } catch {
    body = raw
  }
  return { ...seen, queryAll, body, mutating, at }
}

/** Every value of a list parameter, repeated (`ids=a&ids=b`) or comma-separated (`ids=a,b`). */
export const listParam = (r: LoggedRequest, name: string): Array<string> =>
  (r.queryAll[name] ?? []).flatMap((v) => v.split(",")).filter((v) => v !== "")

/** The method, path, query and headers of a request (resolved against the loopback origin). */
export const seenRequest = (req: IncomingMessage): SeenRequest => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1")
  return {
    method: req.method ?? "",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: flatHeaders(req)
  }
}

/** Reads a request body as text. */
export const readBody = async (req: IncomingMessage): Promise<string> => {
  const parts: Array<Buffer> = []
  for await (const chunk of req) parts.push(chunk as Buffer)
  return Buffer.concat(parts).toString("utf8")
}

const htmlPage = (status: number) =>
  `<!DOCTYPE html>\n<html><head><title>${status} Bad Gateway</title></head>\n<body><center><h1>${status} Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n`

/** Serves `fault` in place of the normal answer (`status` and `text`). */
export const serveFault = async (
  res: ServerResponse,
  fault: Fault,
  status: number,
  text: string
): Promise<void> => {
  switch (fault.kind) {
    case "status":
      return sendJson(res, fault.status, fault.body === undefined ? "" : fault.body, fault.headers)
    case "html": {
      const page = htmlPage(fault.status)
      res.writeHead(fault.status, { "content-type": "text/html", "content-length": Buffer.byteLength(page) })
      res.end(page)
      return
    }
    case "malformed":
      return sendJson(res, 200, `${text.slice(0, Math.floor(text.length / 2))}}}]] not json`)
    case "slow":
      await sleep(fault.ms)
      if (!res.destroyed) sendJson(res, status, text)
      return
    case "stall": {
      res.writeHead(200, { "content-type": "application/json" })
      res.write(text.slice(0, Math.floor(text.length / 2)))
      await sleep(fault.ms)
      if (!res.destroyed) res.end(text.slice(Math.floor(text.length / 2)))
      return
    }
    case "trickle": {
      res.writeHead(status, { "content-type": "application/json" })
      const size = Math.ceil(text.length / fault.pieces)
      for (let i = 0; i < text.length && !res.destroyed; i += size) {
        res.write(text.slice(i, i + size))
        await sleep(fault.everyMs)
      }
      if (!res.destroyed) res.end()
      return
    }
    case "cutAfterApply":
      res.socket?.destroy()
      return
    case "answer":
      return sendJson(res, 200, fault.body)
    case "cut": {
      const bytes = Buffer.from(text)
      res.writeHead(200, {
        "content-type": "application/json",
        ...(fault.contentLength ? { "content-length": bytes.length } : {})
      })
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)))
      await sleep(10)
      res.socket?.destroy()
      return
    }
  }
}

/** Answers with the rule's fault when one applies, else normally (`status`, `text`); then runs its `after`. */
export const answer = async <Route extends string>(
  res: ServerResponse,
  rule: Rule<Route> | undefined,
  status: number,
  text: string
): Promise<void> => {
  try {
    if (rule === undefined) return sendJson(res, status, text)
    await serveFault(res, rule.fault, status, text)
  } finally {
    rule?.after?.()
  }
}

/** A normal answer: status and JSON body (`undefined`: no content). */
export interface Reply {
  readonly status: number
  readonly body?: unknown
}

/** Whether a fault refuses the request before the server acts on it. */
const refuses = (fault: Fault) => fault.kind === "status" || fault.kind === "html"

/**
 * Answers a mutating request: `apply` changes the state and returns the normal answer. A refusing
 * fault (`status`, `html`) never calls it; `slow` calls it after the wait, whether or not the client
 * is still there; every other fault calls it first (so `cutAfterApply` changes state but the client
 * sees only a dropped connection).
 */
export const answerMutation = async <Route extends string>(
  res: ServerResponse,
  rule: Rule<Route> | undefined,
  apply: () => Reply
): Promise<void> => {
  try {
    const fault = rule?.fault
    if (fault !== undefined && refuses(fault)) return await serveFault(res, fault, 0, "")
    if (fault?.kind === "slow") await sleep(fault.ms)
    const reply = apply()
    const text = reply.body === undefined ? "" : JSON.stringify(reply.body)
    if (res.destroyed) return
    if (fault === undefined || fault.kind === "slow") return sendReply(res, reply.status, text)
    await serveFault(res, fault, reply.status, text)
  } finally {
    rule?.after?.()
  }
}

/** Sends a pre-encoded JSON body; an empty one as no content (204 style). */
const sendReply = (res: ServerResponse, status: number, text: string) => {
  if (text === "") {
    res.writeHead(status, { "content-length": 0 })
    res.end()
    return
  }
  sendJson(res, status, text)
}

/** What a test sees of a loopback API server. */
export interface ApiServer<Route extends string, R extends SeenRequest> {
  readonly url: string
  /** Every request, in order. */
  readonly requests: Array<R>
  readonly albums: Record<string, ReadonlyArray<Record<string, unknown>>>
  inject(rule: Rule<Route>): void
  /** How many uses the injected faults have left (0: every fault was served). */
  faultsLeft(): number
  /** Requests to one route (optionally for one album). */
  count(route: Route, album?: string): number
  /** The most requests that were being answered at the same time. */
  readonly maxInFlight: () => number
  close(): Promise<void>
}

/** The test-facing side of a started server; `albumOf` tells which album a request was for. */
export const apiServer = <Route extends string, R extends SeenRequest & { readonly route: Route | "other" }>(
  server: Listening,
  state: {
    readonly requests: Array<R>
    readonly albums: Record<string, ReadonlyArray<Record<string, unknown>>>
    readonly faults: Faults<Route>
    readonly albumOf: (request: R) => string | undefined
  }
): ApiServer<Route, R> => ({
  ...server,
  requests: state.requests,
  albums: state.albums,
  inject: (rule) => state.faults.inject(rule),
  faultsLeft: () => state.faults.left(),
  count: (route, album) =>
    state.requests.filter((r) => r.route === route && (album === undefined || state.albumOf(r) === album))
      .length
})

/** A started loopback server. */
export interface Listening {
  readonly url: string
  /** The most requests that were being answered at the same time. */
  readonly maxInFlight: () => number
  readonly close: () => Promise<void>
}

/** Starts an HTTP server on 127.0.0.1 (random port) around an async handler. */
export const listen = async (
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>
): Promise<Listening> => {
  const sockets = new Set<Socket>()
  let inFlight = 0
  let maxInFlight = 0
  const server = createServer((req, res) => {
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    res.on("close", () => inFlight--)
    handler(req, res).catch((e) => {
      if (!res.headersSent) sendJson(res, 500, { detail: String(e) })
      else res.destroy()
    })
  })
  server.on("connection", (s) => {
    sockets.add(s)
    s.on("close", () => sockets.delete(s))
  })
  server.listen(0, "127.0.0.1")
  await once(server, "listening")
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    maxInFlight: () => maxInFlight,
    close: async () => {
      for (const s of sockets) s.destroy()
      server.close()
      await once(server, "close").catch(() => undefined)
    }
  }
}
