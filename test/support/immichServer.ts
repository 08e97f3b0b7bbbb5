/**
 * A small Immich-like API on 127.0.0.1 (random port) for tests, with the same fault injection as
 * the Gumnut server and an in-memory library (immichState.ts, typed with `@immich/sdk`'s DTOs) that
 * the listings read and the acting endpoints change.
 *
 * - `version: 2`: `GET /api/albums/{id}` includes `assets` (unless `withoutAssets=true`).
 * - `version: 3`: the album object has no `assets`; `POST /api/search/metadata` pages them
 *   (`{albumIds, page, size}` -> `{assets: {items, nextPage, total, count, facets}}`).
 * - `version: null`: no version route (404), with v3 behaviour unless `albumAssets` is true.
 * - Acting: `GET /api/server/config` (`trashDays`), `GET /api/server/features` (`trash`), `GET /api/assets/{id}`, `GET /api/albums?assetId=`, `DELETE /api/assets`
 *   (`force: true` or `trashDays: 0` deletes permanently and sets `library.hardDeleteAttempted`),
 *   `POST /api/trash/restore/assets`, `PUT|DELETE /api/albums/{id}/assets`, `POST /api/stacks`,
 *   `DELETE /api/stacks[/{id}]`, `PUT /api/assets` (bulk) and `PUT /api/assets/{id}`.
 * - Listings leave trashed assets out; albums and stacks reflect every change.
 * - Checks `x-api-key`; errors use Immich's `{message, error, statusCode}` body; an unknown album
 *   is Immich's 400 "Not found or no album.read access".
 * - `GET /api/assets/{id}/thumbnail` answers a small JPEG-ish body, with the key only.
 * - Records every request (method, path, query, headers, body, `mutating`, route) in order.
 *
 * Usage:
 *   const server = await startImmichServer({ key, version: 2, albums: { [A]: makeImmichAssets(0, 8) } })
 *   server.library.trashDays = 0               // trash disabled: apply must refuse to trash
 *   const before = server.snapshot()
 *   server.inject({ route: "trash", fault: { kind: "status", status: 503 }, times: 2 })
 *   server.inject({ route: "albumRemove", call: 1, fault: { kind: "cutAfterApply" } })
 *   ... run albumsift ...
 *   server.mutations()                         // every non-GET request, with its parsed body
 *   server.library.hardDeleteAttempted         // must stay false
 *   expect(server.snapshot()).toEqual(before)  // e.g. after undo
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import {
  type ApiServer,
  answer,
  answerMutation,
  apiServer,
  type Fault,
  Faults,
  type LoggedRequest,
  listen,
  logRequest,
  type Reply,
  sendJson
} from "./faults.js"
import { ImmichLibrary, type ImmichSnapshot, immichError } from "./immichState.js"
import { albumsView } from "./libraryState.js"

export type { Fault }

export type ImmichRoute =
  | "version"
  | "album"
  | "albums"
  | "search"
  | "thumbnail"
  | "config"
  | "features"
  | "asset"
  | "trash"
  | "restore"
  | "albumAdd"
  | "albumRemove"
  | "stackCreate"
  | "stackDelete"
  | "stacksDelete"
  | "bulkUpdate"
  | "update"

export interface ImmichRequest extends LoggedRequest {
  readonly route: ImmichRoute | "other"
}

export interface ImmichServerOptions {
  readonly key: string
  readonly version: 2 | 3 | null
  readonly albums: Record<string, ReadonlyArray<Record<string, unknown>>>
  /** With `version: null`: whether the album route still includes assets (a v2 server). */
  readonly albumAssets?: boolean
  /** `GET /api/server/config`'s `trashDays` (default 30; 0 disables the trash). */
  readonly trashDays?: number
}

export interface ImmichServer extends ApiServer<ImmichRoute, ImmichRequest> {
  /** The library the server reads and changes. */
  readonly library: ImmichLibrary
  /** `library.snapshot()`: the whole state, for deep-equality comparisons. */
  snapshot(): ImmichSnapshot
  /** The requests that were not GETs (except the read-only search), in order. */
  mutations(): Array<ImmichRequest>
}

/** Starts the server; close it with `close()`. */
export const startImmichServer = async (options: ImmichServerOptions): Promise<ImmichServer> => {
  const requests: Array<ImmichRequest> = []
  const faults = new Faults<ImmichRoute>()
  const library = new ImmichLibrary(options.trashDays)
  for (const [album, assets] of Object.entries(options.albums)) library.seedAlbum(album, assets)
  const albums = albumsView(
    library.memberships,
    (album) => library.albumAssets(album) as unknown as Array<Record<string, unknown>>,
    (album, assets) => library.seedAlbum(album, assets)
  )
  const albumAssets = options.version === 2 || (options.version === null && options.albumAssets === true)

  const classify = (method: string, path: string): { route: ImmichRoute | "other"; id?: string } => {
    if (method === "GET" && (path === "/api/server/version" || path === "/api/server-info/version")) {
      return { route: "version" }
    }
    if (method === "GET" && path === "/api/server/config") return { route: "config" }
    if (method === "GET" && path === "/api/server/features") return { route: "features" }
    if (method === "GET" && path === "/api/albums") return { route: "albums" }
    let m = /^\/api\/albums\/([^/]+)$/.exec(path)
    if (m && method === "GET") return { route: "album", id: decodeURIComponent(m[1]!) }
    m = /^\/api\/albums\/([^/]+)\/assets$/.exec(path)
    if (m && method === "PUT") return { route: "albumAdd", id: decodeURIComponent(m[1]!) }
    if (m && method === "DELETE") return { route: "albumRemove", id: decodeURIComponent(m[1]!) }
    if (method === "POST" && path === "/api/search/metadata") return { route: "search" }
    m = /^\/api\/assets\/([^/]+)\/thumbnail$/.exec(path)
    if (m && method === "GET") return { route: "thumbnail", id: decodeURIComponent(m[1]!) }
    if (path === "/api/assets" && method === "DELETE") return { route: "trash" }
    if (path === "/api/assets" && method === "PUT") return { route: "bulkUpdate" }
    if (path === "/api/trash/restore/assets" && method === "POST") return { route: "restore" }
    m = /^\/api\/assets\/([^/]+)$/.exec(path)
    if (m && method === "GET") return { route: "asset", id: decodeURIComponent(m[1]!) }
    if (m && method === "PUT") return { route: "update", id: decodeURIComponent(m[1]!) }
    if (path === "/api/stacks" && method === "POST") return { route: "stackCreate" }
    if (path === "/api/stacks" && method === "DELETE") return { route: "stacksDelete" }
    m = /^\/api\/stacks\/([^/]+)$/.exec(path)
    if (m && method === "DELETE") return { route: "stackDelete", id: decodeURIComponent(m[1]!) }
    return { route: "other" }
  }

  /** The album a request is for: in the body of a search, else in the path. */
  const albumOf = (r: ImmichRequest) =>
    r.route === "search"
      ? (r.body as { albumIds?: Array<string> } | undefined)?.albumIds?.[0]
      : r.route === "album" || r.route === "albumAdd" || r.route === "albumRemove"
        ? classify(r.method, r.path).id
        : undefined

  const normal = (
    route: ImmichRoute | "other",
    path: string,
    id: string | undefined,
    query: Record<string, string>,
    body: unknown
  ): Reply => {
    switch (route) {
      case "version":
        if (options.version === null || path !== "/api/server/version") {
          return immichError(404, `Cannot GET ${path}`, "Not Found")
        }
        return { status: 200, body: { major: options.version, minor: 1, patch: 0 } }
      case "config":
        return library.serverConfig()
      case "features":
        return library.serverFeatures()
      case "asset":
        return library.getAsset(id!)
      case "albums": {
        // `GET /api/albums?assetId=`: the albums holding one asset (getAllAlbums), without assets.
        const asset = query.assetId
        const ids =
          asset === undefined
            ? Object.keys(library.memberships.snapshot())
            : library.memberships.albumsOf(asset)
        return {
          status: 200,
          body: ids.map((album) => ({ id: album, albumName: `Trip ${album.slice(0, 4)}` }))
        }
      }
      case "album": {
        if (id === undefined || !library.memberships.has(id)) {
          return immichError(400, "Not found or no album.read access", "Bad Request")
        }
        const assets = library.albumAssets(id)
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
        if (album === undefined || !library.memberships.has(album)) {
          return immichError(400, "Not found or no album.read access", "Bad Request")
        }
        const page = b.page ?? 1
        const all = library.albumAssets(album)
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

  const mutate = (route: ImmichRoute | "other", id: string | undefined, body: unknown): Reply => {
    switch (route) {
      case "trash":
        return library.deleteAssets(body)
      case "restore":
        return library.restoreAssets(body)
      case "albumAdd":
        return library.albumAssetsChange(id!, body, true)
      case "albumRemove":
        return library.albumAssetsChange(id!, body, false)
      case "stackCreate":
        return library.createStack(body)
      case "stackDelete":
        return library.deleteStack(id!)
      case "stacksDelete":
        return library.deleteStacks(body)
      case "bulkUpdate":
        return library.updateAssets(body)
      case "update":
        return library.updateAsset(id!, body)
      default:
        return immichError(404, "Not Found", "Not Found")
    }
  }

  /** Routes that change the library (the search is a POST that only reads). */
  const changes = (r: ImmichRequest) => r.mutating && r.route !== "search"

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const logged = await logRequest(req)
    const { method, path, query, body } = logged
    const { route, id } = classify(method, path)
    const recorded: ImmichRequest = { ...logged, route }
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
    if (changes(recorded)) return answerMutation(res, rule, () => mutate(route, id, body))
    const reply = normal(route, path, id, query, body)
    await answer(res, rule, reply.status, JSON.stringify(reply.body))
  }

  return {
    ...apiServer(await listen(handle), { requests, albums, faults, albumOf }),
    library,
    snapshot: () => library.snapshot(),
    mutations: () => requests.filter(changes)
  }
}
