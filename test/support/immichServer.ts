/**
 * A small Immich-like API on 127.0.0.1 (random port) for tests, with the same fault injection as
 * the Gumnut server.
 *
 * - `version: 2`: `GET /api/albums/{id}` includes `assets` (unless `withoutAssets=true`).
 * - `version: 3`: the album object has no `assets`; `POST /api/search/metadata` pages them
 *   (`{albumIds, page, size}` -> `{assets: {items, nextPage, total, count, facets}}`).
 * - `version: null`: no version route (404), with v3 behaviour unless `albumAssets` is true.
 * - Checks `x-api-key`; errors use Immich's `{message, error, statusCode}` body; an unknown album
 *   is Immich's 400 "Not found or no album.read access".
 * - `GET /api/assets/{id}/thumbnail` answers a small JPEG-ish body, with the key only.
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import {
  type ApiServer,
  answer,
  apiServer,
  type Fault,
  Faults,
  listen,
  readBody,
  type SeenRequest,
  seenRequest,
  sendJson
} from "./faults.js"

export type { Fault }

export type ImmichRoute = "version" | "album" | "search" | "thumbnail"

export interface ImmichRequest extends SeenRequest {
  readonly body: unknown
  readonly route: ImmichRoute | "other"
}

export interface ImmichServerOptions {
  readonly key: string
  readonly version: 2 | 3 | null
  readonly albums: Record<string, ReadonlyArray<Record<string, unknown>>>
  /** With `version: null`: whether the album route still includes assets (a v2 server). */
  readonly albumAssets?: boolean
}

export type ImmichServer = ApiServer<ImmichRoute, ImmichRequest>

const immichError = (status: number, message: string, error: string) => ({
  status,
  body: { message, error, statusCode: status, correlationId: "k3m9x2" }
})

/** Starts the server; close it with `close()`. */
export const startImmichServer = async (options: ImmichServerOptions): Promise<ImmichServer> => {
  const requests: Array<ImmichRequest> = []
  const faults = new Faults<ImmichRoute>()
  const albums = options.albums
  const albumAssets = options.version === 2 || (options.version === null && options.albumAssets === true)

  const classify = (method: string, path: string): { route: ImmichRoute | "other"; id?: string } => {
    if (method === "GET" && (path === "/api/server/version" || path === "/api/server-info/version")) {
      return { route: "version" }
    }
    let m = /^\/api\/albums\/([^/]+)$/.exec(path)
    if (m && method === "GET") return { route: "album", id: decodeURIComponent(m[1]!) }
    if (method === "POST" && path === "/api/search/metadata") return { route: "search" }
    m = /^\/api\/assets\/([^/]+)\/thumbnail$/.exec(path)
    if (m && method === "GET") return { route: "thumbnail", id: decodeURIComponent(m[1]!) }
    return { route: "other" }
  }

  /** The album a request is for: in the body of a search, else in the path. */
  const albumOf = (r: ImmichRequest) =>
    r.route === "search"
      ? (r.body as { albumIds?: Array<string> } | undefined)?.albumIds?.[0]
      : classify(r.method, r.path).id

  const normal = (
    route: ImmichRoute | "other",
    path: string,
    id: string | undefined,
    query: Record<string, string>,
    body: unknown
  ): { status: number; body: unknown } => {
    switch (route) {
      case "version":
        if (options.version === null || path !== "/api/server/version") {
          return immichError(404, `Cannot GET ${path}`, "Not Found")
        }
        return { status: 200, body: { major: options.version, minor: 1, patch: 0 } }
      case "album": {
        if (id === undefined || !(id in albums)) {
          return immichError(400, "Not found or no album.read access", "Bad Request")
        }
        const assets = albums[id]!
        const album: Record<string, unknown> = {
          id,
          albumName: `Trip ${id.slice(0, 4)}`,
          description: "",
          ownerId: "owner",
          albumUsers: [{ role: "editor", user: { id: "u1", name: "Sam", email: "sam@example.com" } }],
          shared: false,
          hasSharedLink: false,
          createdAt: "2025-06-02T09:00:00.000Z",
          updatedAt: "2025-06-02T09:00:00.000Z"
        }
        if (albumAssets && query.withoutAssets !== "true") album.assets = assets
        album.assetCount = assets.length
        album.order = "desc"
        return { status: 200, body: album }
      }
      case "search": {
        const b = (body ?? {}) as { albumIds?: Array<string>; page?: number; size?: number }
        const size = b.size ?? 250
        if (size < 1 || size > 1000)
          return immichError(400, "size must not be greater than 1000", "Bad Request")
        const album = b.albumIds?.[0]
        if (album === undefined || !(album in albums)) {
          return immichError(400, "Not found or no album.read access", "Bad Request")
        }
        const page = b.page ?? 1
        const all = albums[album]!
        const items = all.slice((page - 1) * size, page * size)
        const more = page * size < all.length
        return {
          status: 200,
          body: {
            albums: { total: 0, count: 0, items: [], facets: [] },
            assets: {
              total: all.length,
              count: items.length,
              items,
              facets: [],
              nextPage: more ? String(page + 1) : null
            }
          }
        }
      }
      default:
        return immichError(404, `Cannot ${path}`, "Not Found")
    }
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const seen = seenRequest(req)
    const { method, path, query } = seen
    const { route, id } = classify(method, path)
    const raw = method === "POST" ? await readBody(req) : ""
    let body: unknown
    try {
      body = raw === "" ? undefined : JSON.parse(raw)
    } catch {
      body = raw
    }
    const recorded = { ...seen, body, route }
    requests.push(recorded)
    if (req.headers["x-api-key"] !== options.key) {
      return sendJson(res, 401, immichError(401, "Invalid API key", "Unauthorized").body)
    }
    if (route === "thumbnail") {
      res.writeHead(200, { "content-type": "image/jpeg" })
      res.end(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]))
      return
    }
    const rule = faults.take(route, albumOf(recorded))
    const reply = normal(route, path, id, query, body)
    await answer(res, rule, reply.status, JSON.stringify(reply.body))
  }

  return apiServer(await listen(handle), { requests, albums, faults, albumOf })
}
