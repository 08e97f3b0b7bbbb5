/**
 * A small Gumnut-like API on 127.0.0.1 (random port) for tests: real sockets, real HTTP, and an
 * in-memory library (gumnutState.ts) that the listings read and the acting endpoints change.
 *
 * - Speaks both listing styles: `seed` serves `GET /api/albums/{id}/assets` as a bare array;
 *   `cursor` answers that route with 405 (or 404, `seedMissing: 404`) and serves
 *   `GET /api/assets?album_id=&limit=&starting_after_id=` pages `{data, has_more}` in the newer
 *   asset shape (`metadata`, `file_data`, `asset_urls`). `GET /api/albums/{id}` answers in both.
 * - In both styles: the look-up `GET /api/assets?ids=a,b&state=&include=file_data` (one page,
 *   `has_more: false`; with `album_id=` of a deleted album: no assets, or 404/400 as `missingAlbumLookup`
 *   says), trash/restore, album add/remove, stacks, bulk-update; `DELETE /api/assets`
 *   (hard delete) is refused with 500 and sets `library.hardDeleteAttempted`.
 * - Checks `Authorization: Bearer <key>` (401 with a FastAPI-style `detail` otherwise).
 * - Records every request (method, path, query, headers, body, `mutating`, route) in order.
 * - Injects faults from a queue: each rule matches a route and is used `times` times.
 *
 * Usage:
 *   const server = await startGumnutServer({ key, style: "seed", albums: { [A]: makeAssets(0, 10) } })
 *   server.albums[B] = moreAssets              // seed another album (or re-seed one)
 *   const before = server.snapshot()           // deep-equality view of the whole library
 *   server.inject({ route: "trash", fault: { kind: "status", status: 429, headers: { "retry-after": "1" } } })
 *   server.inject({ route: "trash", call: 2, fault: { kind: "cutAfterApply" } })  // 2nd trash call
 *   server.inject({ route: "any", fault: { kind: "slow", ms: 2000 }, times: 99 })
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
  listParam,
  logRequest,
  type Reply,
  type Rule,
  sendJson
} from "./faults.js"
import {
  type AssetState,
  GumnutLibrary,
  type GumnutSnapshot,
  MAX_ASSET_IDS,
  unprocessable
} from "./gumnutState.js"
import { albumsView } from "./libraryState.js"

export type { Fault }

/** Which requests a fault applies to. */
export type Route =
  | "seed"
  | "album"
  | "page"
  | "lookup"
  | "trash"
  | "restore"
  | "hardDelete"
  | "albumAdd"
  | "albumRemove"
  | "stackCreate"
  | "stackDelete"
  | "stackUpdate"
  | "stacks"
  | "bulkUpdate"
  | "any"

export type FaultRule = Rule<Route>

export interface RecordedRequest extends LoggedRequest {
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
  /** The look-up answers checksums at the top level, as older servers did (default: in `file_data`). */
  readonly checksumAtTop?: boolean
  /** The ids look-up answers in pages of this many, with `has_more` and `starting_after_id` (default: one page). */
  readonly lookupPage?: number
  /** The look-up ignores `include=` and answers the lean core (no metadata) whatever is asked. */
  readonly leanLookup?: boolean
  /** What the look-up with the `album_id` of an album that does not exist (deleted) answers (default: 200, no assets). */
  readonly missingAlbumLookup?: 400 | 404 | undefined
}

export interface GumnutServer extends ApiServer<Route, RecordedRequest> {
  /** The library the server reads and changes. */
  readonly library: GumnutLibrary
  /** `library.snapshot()`: the whole state, for deep-equality comparisons. */
  snapshot(): GumnutSnapshot
  /** The requests that were not GETs, in order. */
  mutations(): Array<RecordedRequest>
}

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
  const library = new GumnutLibrary()
  for (const [album, assets] of Object.entries(options.albums)) library.seedAlbum(album, assets)
  const albums = albumsView(
    library.memberships,
    (album) => library.albumAssets(album),
    (album, assets) => library.seedAlbum(album, assets)
  )

  const classify = (method: string, path: string, ids: boolean): { route: Route | "other"; id?: string } => {
    let m = /^\/api\/albums\/([^/]+)\/assets$/.exec(path)
    if (m) {
      const id = decodeURIComponent(m[1]!)
      if (method === "POST") return { route: "albumAdd", id }
      if (method === "DELETE") return { route: "albumRemove", id }
      return { route: "seed", id }
    }
    m = /^\/api\/albums\/([^/]+)$/.exec(path)
    if (m) return { route: "album", id: decodeURIComponent(m[1]!) }
    if (path === "/api/assets" || /^\/api\/assets\/[^/]+$/.test(path)) {
      if (method === "DELETE") return { route: "hardDelete" }
      if (path === "/api/assets/trash" && method === "POST") return { route: "trash" }
      if (path === "/api/assets/restore" && method === "POST") return { route: "restore" }
      if (path === "/api/assets/bulk-update" && method === "POST") return { route: "bulkUpdate" }
      if (path === "/api/assets" && method === "GET") return { route: ids ? "lookup" : "page" }
      return { route: "other" }
    }
    if (path === "/api/stacks") return { route: method === "POST" ? "stackCreate" : "stacks" }
    m = /^\/api\/stacks\/([^/]+)$/.exec(path)
    if (m) {
      const id = decodeURIComponent(m[1]!)
      if (method === "DELETE") return { route: "stackDelete", id }
      if (method === "PATCH") return { route: "stackUpdate", id }
    }
    return { route: "other" }
  }

  /** The album a request is for: in the query of a cursor page, else in the path. */
  const albumOf = (r: RecordedRequest) =>
    r.route === "page" || r.route === "lookup"
      ? r.query.album_id
      : r.route === "seed" || r.route === "album" || r.route === "albumAdd" || r.route === "albumRemove"
        ? classify(r.method, r.path, false).id
        : undefined

  const lookup = (r: RecordedRequest): Reply => {
    const ids = listParam(r, "ids")
    if (ids.length > MAX_ASSET_IDS) return unprocessable(["query", "ids"], "at most 200 ids")
    const state = (r.query.state ?? "live") as AssetState
    if (!["live", "trashed", "all"].includes(state))
      return unprocessable(["query", "state"], "live, trashed or all")
    const include = listParam(r, "include")
    const album = r.query.album_id
    if (album !== undefined && options.missingAlbumLookup !== undefined && !library.memberships.has(album))
      return { status: options.missingAlbumLookup, body: { detail: "Album not found" } }
    const data = library
      .findAssets({ ids, state, album: r.query.album_id, stack: r.query.stack_id })
      .map((a) => {
        const shaped = toCursorShape(a)
        if (options.checksumAtTop) {
          delete shaped.file_data
          return { ...shaped, checksum: a.checksum, checksum_sha1: a.checksum_sha1 ?? null }
        }
        if (!include.includes("file_data")) delete shaped.file_data
        // As the SDK documents since 2026-06-04: without `include=metadata`, only the lean core.
        if (!include.includes("metadata") || options.leanLookup === true) delete shaped.metadata
        if (!include.includes("people") || options.leanLookup === true) delete shaped.people
        if (!include.includes("faces") || options.leanLookup === true) delete shaped.faces
        return shaped
      })
    if (options.lookupPage === undefined) return { status: 200, body: { data, has_more: false } }
    const after = r.query.starting_after_id
    const start = after === undefined ? 0 : data.findIndex((a) => a.id === after) + 1
    const page = data.slice(start, start + options.lookupPage)
    return { status: 200, body: { data: page, has_more: start + options.lookupPage < data.length } }
  }

  const read = (r: RecordedRequest, album: string | undefined): Reply => {
    const { route, query } = r
    if (route === "album") {
      return album !== undefined && library.memberships.has(album)
        ? {
            status: 200,
            body: { id: album, name: `Album ${album}`, asset_count: library.albumAssets(album).length }
          }
        : { status: 404, body: { detail: "Album not found" } }
    }
    if (route === "seed") {
      if (options.style === "cursor") {
        return options.seedMissing === 404
          ? { status: 404, body: { detail: "Not Found" } }
          : { status: 405, body: { detail: "Method Not Allowed" } }
      }
      return album !== undefined && library.memberships.has(album)
        ? { status: 200, body: library.albumAssets(album) }
        : { status: 404, body: { detail: "Album not found" } }
    }
    if (route === "lookup") return lookup(r)
    if (route === "stacks") return library.listStacks(listParam(r, "ids"), listParam(r, "include"))
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
      if (id === undefined || !library.memberships.has(id))
        return { status: 200, body: { data: [], has_more: false } }
      const all = library.albumAssets(id)
      const after = query.starting_after_id
      const start = after === undefined ? 0 : all.findIndex((a) => a.id === after) + 1
      const size = Math.min(limit, options.maxPage ?? limit)
      const data = all.slice(start, start + size).map(toCursorShape)
      return { status: 200, body: { data, has_more: start + size < all.length } }
    }
    return { status: 404, body: { detail: "Not Found" } }
  }

  const mutate = (r: RecordedRequest, id: string | undefined): Reply => {
    switch (r.route) {
      case "trash":
        return library.trash(r.body)
      case "restore":
        return library.restore(r.body)
      case "hardDelete":
        return library.hardDelete()
      case "albumAdd":
        return library.albumAdd(id!, r.body)
      case "albumRemove":
        return library.albumRemove(id!, r.body)
      case "stackCreate":
        return library.createStack(r.body)
      case "stackDelete":
        return library.deleteStack(id!)
      case "stackUpdate":
        return library.setCover(id!, r.body)
      case "bulkUpdate":
        return library.bulkUpdate(r.body)
      default:
        return { status: 404, body: { detail: "Not Found" } }
    }
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const logged = await logRequest(req)
    const { route, id } = classify(logged.method, logged.path, listParam(logged, "ids").length > 0)
    const recorded: RecordedRequest = { ...logged, route }
    requests.push(recorded)
    if (req.headers.authorization !== `Bearer ${options.key}`) {
      return sendJson(res, 401, { detail: "Invalid API key" })
    }
    const rule = faults.take(route, albumOf(recorded))
    if (recorded.mutating) return answerMutation(res, rule, () => mutate(recorded, id))
    const normal = read(recorded, id)
    const text = JSON.stringify(normal.body, null, route === "page" ? 1 : undefined)
    await answer(res, rule, normal.status, text)
  }

  return {
    ...apiServer(await listen(handle), { requests, albums, faults, albumOf }),
    library,
    snapshot: () => library.snapshot(),
    mutations: () => requests.filter((r) => r.mutating)
  }
}

/** A server that only records what reaches it (a stand-in for the CDN that serves thumbnails). */
export const startRecordingServer = async (): Promise<{
  url: string
  requests: Array<RecordedRequest>
  close: () => Promise<void>
}> => {
  const requests: Array<RecordedRequest> = []
  const server = await listen(async (req, res) => {
    requests.push({ ...(await logRequest(req)), route: "other" })
    res.writeHead(200, { "content-type": "image/svg+xml" })
    res.end("<svg xmlns='http://www.w3.org/2000/svg'/>")
  })
  return { url: server.url, requests, close: server.close }
}
