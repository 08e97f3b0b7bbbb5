/**
 * A small Gumnut-like API on 127.0.0.1 (random port) for tests: real sockets, real HTTP.
 *
 * - Speaks both listing styles: `seed` serves `GET /api/albums/{id}/assets` as a bare array;
 *   `cursor` answers that route with 405 (or 404, `seedMissing: 404`) and serves
 *   `GET /api/assets?album_id=&limit=&starting_after_id=` pages `{data, has_more}` in the newer
 *   asset shape (`metadata`, `file_data`, `asset_urls`). `GET /api/albums/{id}` answers in both.
 * - Checks `Authorization: Bearer <key>` (401 with a FastAPI-style `detail` otherwise).
 * - Records every request (method, path, query, headers) in order.
 * - Injects faults from a queue: each rule matches a route and is used `times` times.
 */
import { once } from "node:events"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

/** What a test can make the server do instead of answering normally. */
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
  /** Answer 200 with a body that is not valid JSON as a whole. */
  | { readonly kind: "malformed" }
  /** Answer with an HTML error page, as a proxy would. */
  | { readonly kind: "html"; readonly status: number }

/** Which requests a fault applies to. */
export type Route = "seed" | "album" | "page" | "any"

export interface FaultRule {
  readonly route: Route
  /** Only for this album (default: any). */
  readonly album?: string
  readonly fault: Fault
  /** How many matching requests it applies to (default 1). */
  readonly times?: number
  /** Called after the fault was served (e.g. to change the album before the retry). */
  readonly after?: () => void
}

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly route: Route | "other"
}

export interface GumnutServerOptions {
  readonly key: string
  /** Album id -> assets in the seed shape (`exif`, top-level checksum). */
  readonly albums: Record<string, ReadonlyArray<Record<string, unknown>>>
  readonly style: "seed" | "cursor"
  /** What the seed route answers in cursor style (default 405). */
  readonly seedMissing?: 404 | 405
  /** Largest page served, whatever `limit` asks (default: honour `limit`). */
  readonly maxPage?: number
}

export interface GumnutServer {
  readonly url: string
  readonly requests: Array<RecordedRequest>
  readonly albums: Record<string, ReadonlyArray<Record<string, unknown>>>
  inject(rule: FaultRule): void
  /** Requests to one route (optionally for one album). */
  count(route: Route, album?: string): number
  /** The most requests that were being answered at the same time. */
  readonly maxInFlight: () => number
  close(): Promise<void>
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = typeof body === "string" ? body : JSON.stringify(body)
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers
  })
  res.end(text)
}

const HTML_PAGE = (status: number) =>
  `<!DOCTYPE html>\n<html><head><title>${status} Bad Gateway</title></head>\n<body><center><h1>${status} Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n`

/** The newer API's asset shape, from a seed-shaped asset. */
export const toCursorShape = (a: Record<string, unknown>): Record<string, unknown> => {
  const {
    exif,
    checksum,
    checksum_sha1,
    device_asset_id,
    device_id,
    file_created_at,
    file_modified_at,
    thumbnail_url,
    download_url,
    ...rest
  } = a
  return {
    ...rest,
    metadata: exif ?? null,
    file_data: {
      checksum,
      checksum_sha1: checksum_sha1 ?? null,
      device_asset_id,
      device_id,
      file_created_at,
      file_modified_at,
      file_size_bytes: a.file_size_bytes ?? 0
    },
    asset_urls: {
      thumbnail:
        thumbnail_url == null ? undefined : { url: thumbnail_url, mimetype: "image/webp", width: 250 },
      original: download_url == null ? undefined : { url: download_url, mimetype: "image/jpeg" }
    }
  }
}

/** Request headers with repeated ones joined, as plain strings. */
const flatHeaders = (req: IncomingMessage): Record<string, string | undefined> => {
  const out: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(", ") : v
  return out
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Starts the server; close it with `close()`. */
export const startGumnutServer = async (options: GumnutServerOptions): Promise<GumnutServer> => {
  const requests: Array<RecordedRequest> = []
  const rules: Array<FaultRule & { left: number }> = []
  const albums = options.albums
  const sockets = new Set<import("node:net").Socket>()
  let inFlight = 0
  let maxInFlight = 0

  const classify = (path: string): { route: Route | "other"; album?: string } => {
    let m = /^\/api\/albums\/([^/]+)\/assets$/.exec(path)
    if (m) return { route: "seed", album: decodeURIComponent(m[1]!) }
    m = /^\/api\/albums\/([^/]+)$/.exec(path)
    if (m) return { route: "album", album: decodeURIComponent(m[1]!) }
    if (path === "/api/assets") return { route: "page" }
    return { route: "other" }
  }

  const normalBody = (
    route: Route | "other",
    album: string | undefined,
    query: Record<string, string>
  ): { status: number; body: unknown } => {
    if (route === "album") {
      return album !== undefined && album in albums
        ? { status: 200, body: { id: album, name: `Album ${album}`, asset_count: albums[album]!.length } }
        : { status: 404, body: { detail: "Album not found" } }
    }
    if (route === "seed") {
      if (options.style === "cursor") {
        return options.seedMissing === 404
          ? { status: 404, body: { detail: "Not Found" } }
          : { status: 405, body: { detail: "Method Not Allowed" } }
      }
      return album !== undefined && album in albums
        ? { status: 200, body: albums[album] }
        : { status: 404, body: { detail: "Album not found" } }
    }
    if (route === "page") {
      if (options.style === "seed") return { status: 404, body: { detail: "Not Found" } }
      const id = query.album_id
      const limit = Number(query.limit ?? "20")
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
        return {
          status: 422,
          body: {
            detail: [
              {
                loc: ["query", "limit"],
                msg: "Input should be less than or equal to 200",
                type: "less_than_equal"
              }
            ]
          }
        }
      }
      if (id === undefined || !(id in albums)) return { status: 200, body: { data: [], has_more: false } }
      const all = albums[id]!
      const after = query.starting_after_id
      const start = after === undefined ? 0 : all.findIndex((a) => a.id === after) + 1
      const size = Math.min(limit, options.maxPage ?? limit)
      const data = all.slice(start, start + size).map(toCursorShape)
      return { status: 200, body: { data, has_more: start + size < all.length } }
    }
    return { status: 404, body: { detail: "Not Found" } }
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    const query = Object.fromEntries(url.searchParams)
    const { route, album } = classify(url.pathname)
    requests.push({ method: req.method ?? "", path: url.pathname, query, headers: flatHeaders(req), route })
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    res.on("close", () => inFlight--)
    if (req.headers.authorization !== `Bearer ${options.key}`) {
      return json(res, 401, { detail: "Invalid API key" })
    }
    const albumOf = route === "page" ? query.album_id : album
    const rule = rules.find(
      (r) =>
        r.left > 0 &&
        (r.route === "any" || r.route === route) &&
        (r.album === undefined || r.album === albumOf)
    )
    if (rule !== undefined) rule.left--
    const fault = rule?.fault
    const normal = normalBody(route, album, query)
    const text = JSON.stringify(normal.body, null, route === "page" ? 1 : undefined)
    try {
      if (fault === undefined) return json(res, normal.status, text)
      switch (fault.kind) {
        case "status":
          return json(res, fault.status, fault.body === undefined ? "" : fault.body, fault.headers)
        case "html": {
          const page = HTML_PAGE(fault.status)
          res.writeHead(fault.status, {
            "content-type": "text/html",
            "content-length": Buffer.byteLength(page)
          })
          return res.end(page)
        }
        case "malformed":
          return json(res, 200, `${text.slice(0, Math.floor(text.length / 2))}}}]] not json`)
        case "slow":
          await sleep(fault.ms)
          if (!res.destroyed) json(res, normal.status, text)
          return
        case "stall": {
          res.writeHead(200, { "content-type": "application/json" })
          res.write(text.slice(0, Math.floor(text.length / 2)))
          await sleep(fault.ms)
          if (!res.destroyed) res.end(text.slice(Math.floor(text.length / 2)))
          return
        }
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
    } finally {
      rule?.after?.()
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) json(res, 500, { detail: String(e) })
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
    requests,
    albums,
    inject: (rule) => rules.push({ ...rule, left: rule.times ?? 1 }),
    maxInFlight: () => maxInFlight,
    count: (route, album) =>
      requests.filter(
        (r) =>
          r.route === route &&
          (album === undefined ||
            (route === "page" ? r.query.album_id === album : classify(r.path).album === album))
      ).length,
    close: async () => {
      for (const s of sockets) s.destroy()
      server.close()
      await once(server, "close").catch(() => undefined)
    }
  }
}

/** A server that only records what reaches it (a stand-in for the CDN that serves thumbnails). */
export const startRecordingServer = async (): Promise<{
  url: string
  requests: Array<RecordedRequest>
  close: () => Promise<void>
}> => {
  const requests: Array<RecordedRequest> = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    requests.push({
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flatHeaders(req),
      route: "other"
    })
    res.writeHead(200, { "content-type": "image/svg+xml" })
    res.end("<svg xmlns='http://www.w3.org/2000/svg'/>")
  })
  server.listen(0, "127.0.0.1")
  await once(server, "listening")
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, "close").catch(() => undefined)
    }
  }
}
