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
import type { IncomingMessage, ServerResponse } from "node:http"
import {
  type ApiServer,
  answer,
  apiServer,
  type Fault,
  Faults,
  listen,
  type Rule,
  type SeenRequest,
  seenRequest,
  sendJson
} from "./faults.js"

export type { Fault }

/** Which requests a fault applies to. */
export type Route = "seed" | "album" | "page" | "any"

export type FaultRule = Rule<Route>

export interface RecordedRequest extends SeenRequest {
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

export type GumnutServer = ApiServer<Route, RecordedRequest>

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

/** Starts the server; close it with `close()`. */
export const startGumnutServer = async (options: GumnutServerOptions): Promise<GumnutServer> => {
  const requests: Array<RecordedRequest> = []
  const faults = new Faults<Route>()
  const albums = options.albums

  const classify = (path: string): { route: Route | "other"; album?: string } => {
    let m = /^\/api\/albums\/([^/]+)\/assets$/.exec(path)
    if (m) return { route: "seed", album: decodeURIComponent(m[1]!) }
    m = /^\/api\/albums\/([^/]+)$/.exec(path)
    if (m) return { route: "album", album: decodeURIComponent(m[1]!) }
    if (path === "/api/assets") return { route: "page" }
    return { route: "other" }
  }

  /** The album a request is for: in the query of a cursor page, else in the path. */
  const albumOf = (r: RecordedRequest) => (r.route === "page" ? r.query.album_id : classify(r.path).album)

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
    const seen = seenRequest(req)
    const { query } = seen
    const { route, album } = classify(seen.path)
    const recorded = { ...seen, route }
    requests.push(recorded)
    if (req.headers.authorization !== `Bearer ${options.key}`) {
      return sendJson(res, 401, { detail: "Invalid API key" })
    }
    const rule = faults.take(route, albumOf(recorded))
    const normal = normalBody(route, album, query)
    const text = JSON.stringify(normal.body, null, route === "page" ? 1 : undefined)
    await answer(res, rule, normal.status, text)
  }

  return apiServer(await listen(handle), { requests, albums, faults, albumOf })
}

/** A server that only records what reaches it (a stand-in for the CDN that serves thumbnails). */
export const startRecordingServer = async (): Promise<{
  url: string
  requests: Array<RecordedRequest>
  close: () => Promise<void>
}> => {
  const requests: Array<RecordedRequest> = []
  const server = await listen(async (req, res) => {
    requests.push({ ...seenRequest(req), route: "other" })
    res.writeHead(200, { "content-type": "image/svg+xml" })
    res.end("<svg xmlns='http://www.w3.org/2000/svg'/>")
  })
  return { url: server.url, requests, close: server.close }
}
