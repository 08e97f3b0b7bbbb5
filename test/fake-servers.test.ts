/**
 * The loopback servers themselves: driven with plain fetch on 127.0.0.1, their acting endpoints
 * change the in-memory library the way the real APIs are documented to, listings read that state,
 * and the mutation faults (refusals, cut after apply) behave as the apply tests rely on.
 */
import { afterEach, describe, expect, it } from "vitest"
import { makeAssets } from "./support/assets.js"
import { sleep } from "./support/faults.js"
import { type GumnutServer, startGumnutServer } from "./support/gumnutServer.js"
import { makeImmichAssets } from "./support/immichAssets.js"
import { type ImmichServer, startImmichServer } from "./support/immichServer.js"

const KEY = "apikey_FAKEtests7Hq2LmN4pR8sT1vW3x"
const A = "album_R99NCS4MdYwULi9UyBwy4z"
const B = "album_J7kPq2ZxWm9LcV4bN8tR3s"

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

/** A request with the key and a JSON body; resolves to status and parsed body (or rejects on a dropped socket). */
const call = async (
  server: { url: string },
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown
): Promise<{ status: number; body: unknown; headers: Headers }> => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const text = await res.text()
  return { status: res.status, body: text === "" ? undefined : JSON.parse(text), headers: res.headers }
}

describe("loopback Gumnut server: state", () => {
  const assets = makeAssets(0, 6)
  const ids = assets.map((a) => a.id as string)
  let server: GumnutServer
  const start = async (style: "seed" | "cursor" = "seed") => {
    server = await startGumnutServer({
      key: KEY,
      style,
      albums: { [A]: assets.slice(0, 4), [B]: assets.slice(2) }
    })
    closers.push(server.close)
    return server
  }
  const g = (method: string, path: string, body?: unknown) =>
    call(server, method, path, { authorization: `Bearer ${KEY}` }, body)
  const listed = async (album: string) =>
    ((await g("GET", `/api/albums/${album}/assets`)).body as Array<{ id: string }>).map((a) => a.id)

  it("trash hides an asset from every listing and the look-up; restore brings it back exactly", async () => {
    await start()
    const before = server.snapshot()
    expect((await g("POST", "/api/assets/trash", { ids: [ids[2]] })).status).toBe(200)
    expect(await listed(A)).toEqual([ids[0], ids[1], ids[3]])
    expect(await listed(B)).toEqual([ids[3], ids[4], ids[5]])
    const live = await g("GET", `/api/assets?ids=${ids[2]},${ids[3]}&include=file_data`)
    expect((live.body as { data: Array<{ id: string }>; has_more: boolean }).data.map((a) => a.id)).toEqual([
      ids[3]
    ])
    expect((live.body as { has_more: boolean }).has_more).toBe(false)
    const trashed = await g("GET", `/api/assets?ids=${ids[2]}&ids=${ids[3]}&state=trashed`)
    expect((trashed.body as { data: Array<{ id: string }> }).data.map((a) => a.id)).toEqual([ids[2]])
    expect(server.snapshot().assets[ids[2]!]!.trashed).toBe(true)

    expect((await g("POST", "/api/assets/restore", { ids: [ids[2], ids[0]] })).status).toBe(200)
    expect(await listed(A)).toEqual(ids.slice(0, 4))
    expect(server.snapshot()).toEqual(before)
  })

  it("the look-up gives file_data checksums only when asked, and at most 200 ids", async () => {
    await start("cursor")
    const lean = (await g("GET", `/api/assets?ids=${ids[0]}`)).body as {
      data: Array<Record<string, unknown>>
    }
    expect(lean.data[0]!.file_data).toBeUndefined()
    const full = (await g("GET", `/api/assets?ids=${ids[0]}&include=metadata,file_data`)).body as {
      data: Array<{ file_data: { checksum: string } }>
    }
    expect(full.data[0]!.file_data.checksum).toBe(assets[0]!.checksum)
    const many = Array.from({ length: 201 }, (_, k) => `asset_${k}`).join(",")
    expect((await g("GET", `/api/assets?ids=${many}`)).status).toBe(422)
  })

  it("bulk-update is atomic: one unknown id or a −1 rating changes nothing; a valid batch writes every item", async () => {
    await start()
    const before = server.snapshot()
    const unknown = await g("POST", "/api/assets/bulk-update", {
      updates: [
        { id: ids[0], change: { rating: 4 } },
        { id: "asset_doesNotExist000000000", change: { rating: 3 } }
      ]
    })
    expect(unknown.status).toBe(404)
    const rejected = await g("POST", "/api/assets/bulk-update", {
      updates: [
        { id: ids[0], change: { rating: 4 } },
        { id: ids[1], change: { rating: -1 } }
      ]
    })
    expect(rejected.status).toBe(422)
    const halfGps = await g("POST", "/api/assets/bulk-update", {
      updates: [{ id: ids[0], change: { latitude: 1 } }]
    })
    expect(halfGps.status).toBe(422)
    expect(server.snapshot()).toEqual(before)

    const ok = await g("POST", "/api/assets/bulk-update", {
      updates: [
        { id: ids[0], change: { rating: 4, description: "kept" } },
        { id: ids[1], change: { latitude: 38.7, longitude: -9.1 } }
      ]
    })
    expect(ok.status).toBe(200)
    const after = server.snapshot().assets
    expect([after[ids[0]!]!.rating, after[ids[0]!]!.description]).toEqual([4, "kept"])
    expect([after[ids[1]!]!.latitude, after[ids[1]!]!.longitude]).toEqual([38.7, -9.1])
    const listedAsset = (
      (await g("GET", `/api/albums/${A}/assets`)).body as Array<{ exif: { rating: number } }>
    )[0]!
    expect(listedAsset.exif.rating).toBe(4)
  })

  it("album add and remove change membership, cap at 100 ids, and a re-add takes the old place", async () => {
    await start()
    const before = server.snapshot()
    expect((await g("DELETE", `/api/albums/${A}/assets`, { asset_ids: [ids[1]] })).body).toEqual({})
    expect(await listed(A)).toEqual([ids[0], ids[2], ids[3]])
    const added = await g("POST", `/api/albums/${A}/assets`, { asset_ids: [ids[1], ids[0], "asset_nope"] })
    expect(added.body).toEqual({
      added_assets: [ids[1]],
      duplicate_assets: [ids[0]],
      not_found_assets: ["asset_nope"]
    })
    expect(await listed(A)).toEqual(ids.slice(0, 4))
    expect(server.snapshot()).toEqual(before)
    const tooMany = Array.from({ length: 101 }, () => ids[0])
    expect((await g("POST", `/api/albums/${A}/assets`, { asset_ids: tooMany })).status).toBe(422)
    expect((await g("DELETE", `/api/albums/${A}/assets`, { asset_ids: tooMany })).status).toBe(422)
  })

  it("a deleted album: its look-up answers no assets, or 404/400 with missingAlbumLookup; its add and remove 404", async () => {
    for (const missingAlbumLookup of [undefined, 404, 400] as const) {
      server = await startGumnutServer({
        key: KEY,
        style: "cursor",
        albums: { [A]: assets },
        missingAlbumLookup
      })
      closers.push(server.close)
      const look = () => g("GET", `/api/assets?ids=${ids[0]}&album_id=${A}`)
      expect(((await look()).body as { data: Array<unknown> }).data).toHaveLength(1)
      server.library.memberships.deleteAlbum(A)
      const gone = await look()
      expect(gone.status).toBe(missingAlbumLookup ?? 200)
      if (missingAlbumLookup === undefined) expect(gone.body).toEqual({ data: [], has_more: false })
      expect((await g("POST", `/api/albums/${A}/assets`, { asset_ids: [ids[0]] })).status).toBe(404)
      expect((await g("DELETE", `/api/albums/${A}/assets`, { asset_ids: [ids[0]] })).status).toBe(404)
    }
  })

  it("a stack is created with its cover, moves members out of another stack, and dissolves on delete", async () => {
    await start()
    const before = server.snapshot()
    const first = await g("POST", "/api/stacks", {
      asset_ids: [ids[0], ids[1], ids[2]],
      primary_asset_id: ids[0]
    })
    const s1 = first.body as { id: string; asset_count: number; origin: string; primary_asset_id: string }
    expect(s1).toMatchObject({ asset_count: 3, origin: "user", primary_asset_id: ids[0] })
    expect(s1.id).toMatch(/^asset_stack_/)
    const second = await g("POST", "/api/stacks", { asset_ids: [ids[2], ids[3]], primary_asset_id: ids[3] })
    const s2 = second.body as { id: string }
    const listing = (await g("GET", "/api/stacks?include=asset_ids")).body as {
      data: Array<{ id: string; asset_ids: Array<string> }>
    }
    const byId = new Map(listing.data.map((s) => [s.id, [...s.asset_ids].sort()]))
    expect(byId.get(s1.id)).toEqual([ids[0], ids[1]].sort())
    expect(byId.get(s2.id)).toEqual([ids[2], ids[3]].sort())
    expect(
      ((await g("GET", `/api/albums/${A}/assets`)).body as Array<{ stack_id?: string }>)[2]!.stack_id
    ).toBe(s2.id)

    expect((await g("POST", "/api/stacks", { asset_ids: [ids[4]] })).status).toBe(422)
    expect((await g("DELETE", `/api/stacks/${s1.id}`)).status).toBe(200)
    expect((await g("DELETE", `/api/stacks/${s2.id}`)).status).toBe(200)
    expect((await g("DELETE", `/api/stacks/${s2.id}`)).status).toBe(404)
    expect(server.snapshot()).toEqual(before)
  })

  it("a seeded burst stack is listed; a user stack taking one of its two frames dissolves it", async () => {
    const burst = "asset_stack_SeededBurst000000000000"
    const seeded = makeAssets(10, 3).map((a, k) => (k < 2 ? { ...a, stack_id: burst } : a))
    server = await startGumnutServer({ key: KEY, style: "cursor", albums: { [A]: seeded } })
    closers.push(server.close)
    const list = async () =>
      ((await g("GET", "/api/stacks?include=asset_ids")).body as { data: Array<Record<string, unknown>> })
        .data
    expect(await list()).toMatchObject([
      { id: burst, origin: "auto_burst", asset_count: 2, primary_asset_id: null }
    ])
    const [a, b, c] = seeded.map((x) => x.id as string)
    const made = (await g("POST", "/api/stacks", { asset_ids: [b, c], primary_asset_id: c })).body as {
      id: string
    }
    expect(await list()).toMatchObject([{ id: made.id, asset_ids: [b, c] }])
    const frames = (await g("GET", `/api/assets?ids=${a},${b}`)).body as {
      data: Array<{ stack_id: unknown }>
    }
    expect(frames.data.map((f) => f.stack_id)).toEqual([null, made.id])
  })

  it("a hard delete is recorded, refused and flagged", async () => {
    await start()
    expect((await g("DELETE", "/api/assets", { ids: [ids[0]] })).status).toBe(500)
    expect((await g("DELETE", `/api/assets/${ids[1]}`)).status).toBe(500)
    expect(server.library.hardDeleteAttempted).toBe(true)
    expect(server.mutations().map((r) => r.route)).toEqual(["hardDelete", "hardDelete"])
    expect(await listed(A)).toEqual(ids.slice(0, 4))
  })
})

describe("loopback Gumnut server: mutation faults", () => {
  const assets = makeAssets(0, 3)
  const ids = assets.map((a) => a.id as string)
  let server: GumnutServer
  const start = async () => {
    server = await startGumnutServer({ key: KEY, style: "seed", albums: { [A]: assets } })
    closers.push(server.close)
  }
  const g = (method: string, path: string, body?: unknown) =>
    call(server, method, path, { authorization: `Bearer ${KEY}` }, body)

  it("a refused request (429 with Retry-After, then 503) changes nothing; the next call applies", async () => {
    await start()
    server.inject({ route: "trash", fault: { kind: "status", status: 429, headers: { "retry-after": "2" } } })
    server.inject({ route: "trash", fault: { kind: "status", status: 503 } })
    const limited = await g("POST", "/api/assets/trash", { ids: [ids[0]] })
    expect(limited.status).toBe(429)
    expect(limited.headers.get("retry-after")).toBe("2")
    expect((await g("POST", "/api/assets/trash", { ids: [ids[0]] })).status).toBe(503)
    expect(server.library.isTrashed(ids[0]!)).toBe(false)
    expect((await g("POST", "/api/assets/trash", { ids: [ids[0]] })).status).toBe(200)
    expect(server.library.isTrashed(ids[0]!)).toBe(true)
    expect(server.mutations().map((r) => r.body)).toEqual([
      { ids: [ids[0]] },
      { ids: [ids[0]] },
      { ids: [ids[0]] }
    ])
  })

  it("cut after apply changes the state, yet the client sees only a dropped connection", async () => {
    await start()
    server.inject({ route: "albumRemove", fault: { kind: "cutAfterApply" } })
    await expect(g("DELETE", `/api/albums/${A}/assets`, { asset_ids: [ids[1]] })).rejects.toThrow()
    expect(server.snapshot().albums[A]).toEqual([ids[0], ids[2]].sort())
  })

  it("a rule can target the n-th call of a route, and a wrong key is refused before any change", async () => {
    await start()
    server.inject({ route: "restore", call: 2, fault: { kind: "status", status: 409 } })
    expect((await g("POST", "/api/assets/restore", { ids: [ids[0]] })).status).toBe(200)
    expect((await g("POST", "/api/assets/restore", { ids: [ids[0]] })).status).toBe(409)
    expect((await g("POST", "/api/assets/restore", { ids: [ids[0]] })).status).toBe(200)
    const wrong = await call(
      server,
      "POST",
      "/api/assets/trash",
      { authorization: "Bearer nope" },
      { ids: [ids[0]] }
    )
    expect(wrong.status).toBe(401)
    expect(server.library.isTrashed(ids[0]!)).toBe(false)
  })

  it("a slow mutation applies after its delay even when the client has gone", async () => {
    await start()
    server.inject({ route: "trash", fault: { kind: "slow", ms: 300 } })
    const controller = new AbortController()
    const aborted = fetch(`${server.url}/api/assets/trash`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ ids: [ids[2]] }),
      signal: controller.signal
    })
    while (server.mutations().length === 0) await sleep(5)
    controller.abort()
    await expect(aborted).rejects.toThrow()
    expect(server.library.isTrashed(ids[2]!)).toBe(false)
    while (!server.library.isTrashed(ids[2]!)) await sleep(20)
  })
})

describe("loopback Immich server: state", () => {
  const assets = makeImmichAssets(0, 5)
  const ids = assets.map((a) => a.id as string)
  let server: ImmichServer
  const start = async (version: 2 | 3 = 2, trashDays?: number) => {
    server = await startImmichServer({
      key: KEY,
      version,
      albums: { [A]: assets.slice(0, 4), [B]: assets.slice(3) },
      ...(trashDays === undefined ? {} : { trashDays })
    })
    closers.push(server.close)
  }
  const im = (method: string, path: string, body?: unknown) =>
    call(server, method, path, { "x-api-key": KEY }, body)
  const albumIds = async (album: string) =>
    ((await im("GET", `/api/albums/${album}`)).body as { assets: Array<{ id: string }> }).assets.map(
      (a) => a.id
    )
  const searched = async (album: string) =>
    (
      (await im("POST", "/api/search/metadata", { albumIds: [album], page: 1, size: 100 })).body as {
        assets: { items: Array<{ id: string }> }
      }
    ).assets.items.map((a) => a.id)

  it("trash (force false) hides an asset from album listings, the look-up shows isTrashed; restore undoes it", async () => {
    await start()
    const before = server.snapshot()
    expect((await im("GET", "/api/server/config")).body).toMatchObject({ trashDays: 30 })
    expect((await im("DELETE", "/api/assets", { ids: [ids[1]], force: false })).status).toBe(204)
    expect(await albumIds(A)).toEqual([ids[0], ids[2], ids[3]])
    const looked = (await im("GET", `/api/assets/${ids[1]}`)).body as { isTrashed: boolean; checksum: string }
    expect(looked).toMatchObject({ isTrashed: true, checksum: assets[1]!.checksum })
    const restored = await im("POST", "/api/trash/restore/assets", { ids: [ids[1]] })
    expect(restored.body).toEqual({ count: 1 })
    expect(server.snapshot()).toEqual(before)
    expect(server.library.hardDeleteAttempted).toBe(false)
  })

  it("force:true (or a disabled trash) deletes permanently and records hardDeleteAttempted", async () => {
    await start(3)
    expect((await im("DELETE", "/api/assets", { ids: [ids[0]], force: true })).status).toBe(204)
    expect(server.library.hardDeleteAttempted).toBe(true)
    expect((await im("GET", `/api/assets/${ids[0]}`)).status).toBe(400)
    expect(await searched(A)).toEqual([ids[1], ids[2], ids[3]])
    expect(server.snapshot().deleted).toEqual([ids[0]])

    await start(3, 0)
    expect((await im("GET", "/api/server/config")).body).toMatchObject({ trashDays: 0 })
    expect((await im("DELETE", "/api/assets", { ids: [ids[2]], force: false })).status).toBe(204)
    expect(server.library.hardDeleteAttempted).toBe(true)
    expect(server.snapshot().deleted).toEqual([ids[2]])
  })

  it("album add and remove answer per id; a stack's first id is its cover; undoing both restores the snapshot", async () => {
    await start()
    const before = server.snapshot()
    const removed = await im("DELETE", `/api/albums/${A}/assets`, { ids: [ids[0], ids[4]] })
    expect(removed.body).toEqual([
      { id: ids[0], success: true },
      { id: ids[4], success: false, error: "not_found" }
    ])
    expect(await albumIds(A)).toEqual([ids[1], ids[2], ids[3]])
    const added = await im("PUT", `/api/albums/${A}/assets`, { ids: [ids[0], ids[1]] })
    expect(added.body).toEqual([
      { id: ids[0], success: true },
      { id: ids[1], success: false, error: "duplicate" }
    ])
    expect(await albumIds(A)).toEqual(ids.slice(0, 4))

    const created = await im("POST", "/api/stacks", { assetIds: [ids[2], ids[0], ids[1]] })
    const stack = created.body as { id: string; primaryAssetId: string; assets: Array<{ id: string }> }
    expect(stack.primaryAssetId).toBe(ids[2])
    expect(stack.assets.map((a) => a.id)).toEqual([ids[2], ids[0], ids[1]])
    const member = (await im("GET", `/api/assets/${ids[0]}`)).body as { stack: unknown }
    expect(member.stack).toEqual({ id: stack.id, primaryAssetId: ids[2], assetCount: 3 })
    expect((await im("DELETE", `/api/stacks/${stack.id}`)).status).toBe(204)
    const again = (await im("POST", "/api/stacks", { assetIds: [ids[3], ids[4]] })).body as { id: string }
    expect((await im("DELETE", "/api/stacks", { ids: [again.id] })).status).toBe(204)
    expect(server.snapshot()).toEqual(before)
  })

  it("updates: bulk and single writes land in exifInfo and isFavorite; null and unknown ids are refused whole", async () => {
    await start()
    const before = server.snapshot()
    expect((await im("PUT", "/api/assets", { ids: [ids[0]], rating: null })).status).toBe(400)
    expect(
      (await im("PUT", "/api/assets", { ids: [ids[0], "00000000-0000-4000-a000-000000000000"], rating: 3 }))
        .status
    ).toBe(400)
    expect((await im("PUT", `/api/assets/${ids[1]}`, { description: null })).status).toBe(400)
    expect(server.snapshot()).toEqual(before)

    expect(
      (await im("PUT", "/api/assets", { ids: [ids[0], ids[1]], rating: 4, isFavorite: true })).status
    ).toBe(204)
    const single = await im("PUT", `/api/assets/${ids[1]}`, {
      description: "kept",
      latitude: 38.7,
      longitude: -9.1
    })
    expect(single.body).toMatchObject({
      isFavorite: true,
      exifInfo: { rating: 4, description: "kept", latitude: 38.7, longitude: -9.1 }
    })
    const listed = (
      (await im("GET", `/api/albums/${A}`)).body as { assets: Array<{ exifInfo: { rating: number } }> }
    ).assets
    expect(listed[0]!.exifInfo.rating).toBe(4)
    // Clearing the way albumsift's undo does: rating 0 is stored as unrated, description "" as empty.
    await im("PUT", "/api/assets", { ids: [ids[0], ids[1]], rating: 0, isFavorite: false })
    await im("PUT", `/api/assets/${ids[1]}`, { description: "", latitude: 52.52, longitude: 13.405 })
    expect(server.snapshot()).toEqual(before)
  })

  it("cut after apply trashes yet the client sees a socket error; a refused 503 changes nothing", async () => {
    await start()
    server.inject({ route: "trash", fault: { kind: "status", status: 503 } })
    server.inject({ route: "trash", fault: { kind: "cutAfterApply" } })
    expect((await im("DELETE", "/api/assets", { ids: [ids[2]], force: false })).status).toBe(503)
    expect(server.snapshot().assets[ids[2]!]!.isTrashed).toBe(false)
    await expect(im("DELETE", "/api/assets", { ids: [ids[2]], force: false })).rejects.toThrow()
    expect(server.snapshot().assets[ids[2]!]!.isTrashed).toBe(true)
    expect(server.mutations().map((r) => r.route)).toEqual(["trash", "trash"])
    expect(server.library.hardDeleteAttempted).toBe(false)
  })
})
