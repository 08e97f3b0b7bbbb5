/**
 * The in-memory library behind the loopback Gumnut server, and the one place that states what the
 * fake's acting endpoints take and answer. Sources (gumnut-ai/photos-sdk-typescript):
 * - assets: `src/resources/assets/assets.ts@0f788b9` (list with `ids`/`state`/`include`, trash,
 *   restore, hard delete, bulkUpdateAssets);
 * - albums: `src/resources/albums/assets-associations.ts@0b913c1` (add/remove, ≤100 ids, 422 over);
 * - stacks: `src/resources/stacks.ts@33b8af6` (create, delete, set cover, list).
 *
 * Assets are kept in the seed shape (`exif`, top-level `checksum`); the server converts them to the
 * cursor shape where the newer API does. Rating, description and GPS live in `exif`; Gumnut's
 * favourite is rating 5, so there is no separate flag. Trashed assets keep their album and stack
 * memberships (a restore brings them back) but no live listing shows them.
 */
import { gumnutId } from "./assets.js"
import type { Reply } from "./faults.js"
import { editableCopy, Memberships, type Stack, StackBook, seedAlbum, sortedRecord } from "./libraryState.js"

/** Most ids in one `GET /api/assets?ids=`, trash, restore or hard-delete request (assets.ts). */
export const MAX_ASSET_IDS = 200
/** Most `asset_ids` in one album add/remove; over the cap is 422 (assets-associations.ts). */
export const MAX_ALBUM_IDS = 100
/** Most items in one bulk update (assets.ts, bulkUpdateAssets). */
export const MAX_BULK_UPDATES = 200

/** `GET /api/assets` `state`: `live` (default) excludes trashed assets (assets.ts, AssetListParams). */
export type AssetState = "live" | "trashed" | "all"

/** `POST /api/assets/trash`, `POST /api/assets/restore`, `DELETE /api/assets`: `{ids}` (≤200). */
export interface AssetIdsBody {
  readonly ids: ReadonlyArray<string>
}

/** `POST|DELETE /api/albums/{album_id}/assets` body (AssetsAssociationAddParams / RemoveParams). */
export interface AlbumAssetsBody {
  readonly asset_ids: ReadonlyArray<string>
}

/** `POST /api/albums/{album_id}/assets` answer (AssetsAssociationAddResponse); remove answers `{}`. */
export interface AlbumAddAnswer {
  readonly added_assets: Array<string>
  readonly duplicate_assets: Array<string>
  readonly not_found_assets: Array<string>
}

/** `POST /api/stacks` body (StackCreateStackParams): ≥2 distinct ids; the cover must be one of them. */
export interface StackCreateBody {
  readonly asset_ids: ReadonlyArray<string>
  readonly primary_asset_id?: string | null
  readonly library_id?: string | null
}

/** A stack as every stack endpoint answers it (StackCreateStackResponse and siblings). */
export interface StackAnswer {
  readonly id: string
  /** Live members only (trashed ones excluded). */
  readonly asset_count: number
  readonly created_at: string
  readonly updated_at: string
  readonly origin: "auto_burst" | "user"
  /** Only with `GET /api/stacks?include=asset_ids`; null otherwise. */
  readonly asset_ids: Array<string> | null
  readonly primary_asset_id: string | null
}

/** `PATCH /api/stacks/{id}` body (StackSetCoverParams): never null. */
export interface StackCoverBody {
  readonly primary_asset_id: string
}

/**
 * `POST /api/assets/bulk-update` body (AssetBulkUpdateAssetsParams): ≤200 items, atomic (any invalid
 * item or unknown id rejects the whole batch and writes nothing). Rating is 0–5 (0 = explicitly
 * unrated, 5 = favourite; −1 is rejected); latitude and longitude are set together; null clears.
 */
export interface BulkUpdateBody {
  readonly updates: ReadonlyArray<{ readonly id: string; readonly change: AssetChange }>
}

/** The editable fields of one asset (AssetUpdateAssetParams). */
export interface AssetChange {
  readonly rating?: number | null
  readonly description?: string | null
  readonly latitude?: number | null
  readonly longitude?: number | null
}

/** One asset's state in a snapshot. */
export type GumnutAssetSnapshot = {
  readonly trashed: boolean
  readonly albums: Array<string>
  readonly stack_id: string | null
  readonly checksum: unknown
  readonly checksum_sha1: unknown
  readonly rating: unknown
  readonly description: unknown
  readonly latitude: unknown
  readonly longitude: unknown
  /** The whole seed-shaped record as a listing would show it. */
  readonly record: Record<string, unknown>
}

/** The whole library, comparable with deep equality (an undo must restore it exactly). */
export type GumnutSnapshot = {
  readonly assets: Record<string, GumnutAssetSnapshot>
  readonly albums: Record<string, Array<string>>
  readonly stacks: ReturnType<StackBook["snapshot"]>
  readonly hardDeleteAttempted: boolean
}

interface Entry {
  readonly record: Record<string, unknown>
  trashed: boolean
  /** Place in the library (seed order), for listings outside an album. */
  readonly order: number
}

const NOW = "2025-06-05T12:00:00Z"

/** FastAPI's 422 body (unverified on Gumnut: no SDK documents its error schema). */
export const unprocessable = (loc: ReadonlyArray<string | number>, msg: string): Reply => ({
  status: 422,
  body: { detail: [{ loc, msg, type: "value_error" }] }
})

const notFound = (what: string): Reply => ({ status: 404, body: { detail: `${what} not found` } })

const isIdList = (v: unknown, max: number): v is ReadonlyArray<string> =>
  Array.isArray(v) && v.length >= 1 && v.length <= max && v.every((x) => typeof x === "string")

const exifOf = (record: Record<string, unknown>): Record<string, unknown> => {
  const exif = record.exif
  if (exif !== null && typeof exif === "object") return exif as Record<string, unknown>
  const created: Record<string, unknown> = {}
  record.exif = created
  return created
}

/** The Gumnut library: assets in the seed shape, album memberships, stacks and trash. */
export class GumnutLibrary {
  private readonly entries = new Map<string, Entry>()
  readonly memberships = new Memberships()
  readonly stacks = new StackBook()
  /** Change fields bulk-update answers 200 for but does not write (a server version without them). */
  readonly ignoredChanges = new Set<string>()
  /** Set by any hard-delete request; albumsift must never send one. */
  hardDeleteAttempted = false
  private stackCount = 0

  /** Adds `assets` (new ids join the library; known ids keep their state) and sets the album's members. */
  seedAlbum(album: string, assets: ReadonlyArray<Record<string, unknown>>): void {
    seedAlbum(
      this.memberships,
      album,
      assets,
      (id) => this.entries.has(id),
      (id, raw) => {
        this.entries.set(id, { record: editableCopy(raw, "exif"), trashed: false, order: this.entries.size })
        if (typeof raw.stack_id === "string") this.stacks.join(raw.stack_id, id, null, "auto_burst")
      }
    )
  }

  /** Whether an asset exists (live or trashed). */
  has(id: string): boolean {
    return this.entries.has(id)
  }

  isTrashed(id: string): boolean {
    return this.entries.get(id)?.trashed ?? false
  }

  private matches(entry: Entry, state: AssetState) {
    return state === "all" || (state === "trashed") === entry.trashed
  }

  /** One asset in the seed shape as listings show it (with its current `stack_id`). */
  view(id: string): Record<string, unknown> {
    const entry = this.entries.get(id)!
    const record = editableCopy(entry.record, "exif")
    const stack = this.stacks.of(id)
    if (stack !== undefined || "stack_id" in record) record.stack_id = stack?.id ?? null
    return record
  }

  /** An album's assets in listing order (live by default). */
  albumAssets(album: string, state: AssetState = "live"): Array<Record<string, unknown>> {
    return this.memberships
      .ids(album)
      .filter((id) => this.matches(this.entries.get(id)!, state))
      .map((id) => this.view(id))
  }

  /**
   * `GET /api/assets` filters, combined with AND: album, stack, ids (in the order asked, once each),
   * and state. Without album or ids: the whole library in seed order.
   */
  findAssets(filter: {
    readonly album?: string | undefined
    readonly stack?: string | undefined
    readonly ids?: ReadonlyArray<string> | undefined
    readonly state: AssetState
  }): Array<Record<string, unknown>> {
    let ids: Array<string>
    if (filter.ids !== undefined) ids = [...new Set(filter.ids)].filter((id) => this.entries.has(id))
    else if (filter.album !== undefined) ids = this.memberships.ids(filter.album)
    else
      ids = [...this.entries.keys()].sort((a, b) => this.entries.get(a)!.order - this.entries.get(b)!.order)
    return ids
      .filter((id) => filter.album === undefined || this.memberships.contains(filter.album, id))
      .filter((id) => filter.stack === undefined || this.stacks.of(id)?.id === filter.stack)
      .filter((id) => this.matches(this.entries.get(id)!, filter.state))
      .map((id) => this.view(id))
  }

  /** `POST /api/assets/trash`: soft-deletes known ids (already trashed ones stay so). */
  trash(body: unknown): Reply {
    return this.setTrashed(body, true)
  }

  /** `POST /api/assets/restore`: idempotent, already live ids are skipped. */
  restore(body: unknown): Reply {
    return this.setTrashed(body, false)
  }

  private setTrashed(body: unknown, trashed: boolean): Reply {
    const ids = (body as Partial<AssetIdsBody> | undefined)?.ids
    if (!isIdList(ids, MAX_ASSET_IDS)) return unprocessable(["body", "ids"], "1 to 200 asset ids expected")
    for (const id of ids) {
      const entry = this.entries.get(id)
      if (entry !== undefined) entry.trashed = trashed
    }
    return { status: 200, body: {} }
  }

  /**
   * The owner empties one asset from the trash in the app (not an albumsift request): it is gone, and
   * a later restore of its id is ignored like any unknown id (the SDK documents no error for it).
   */
  purge(id: string): void {
    this.entries.delete(id)
    this.memberships.forget(id)
    this.stacks.leave(id)
  }

  /** `DELETE /api/assets[/{id}]`: irreversible on the real server; here recorded and refused. */
  hardDelete(): Reply {
    this.hardDeleteAttempted = true
    return { status: 500, body: { detail: "hard delete is forbidden in albumsift tests" } }
  }

  private albumIds(album: string, body: unknown): ReadonlyArray<string> | Reply {
    if (!this.memberships.has(album)) return notFound("Album")
    const ids = (body as Partial<AlbumAssetsBody> | undefined)?.asset_ids
    if (!isIdList(ids, MAX_ALBUM_IDS))
      return unprocessable(["body", "asset_ids"], "1 to 100 asset ids expected")
    return ids
  }

  /** `POST /api/albums/{album_id}/assets`: idempotent add. */
  albumAdd(album: string, body: unknown): Reply {
    const ids = this.albumIds(album, body)
    if (!Array.isArray(ids)) return ids as Reply
    const answer: AlbumAddAnswer = { added_assets: [], duplicate_assets: [], not_found_assets: [] }
    for (const id of new Set(ids)) {
      if (!this.entries.has(id)) answer.not_found_assets.push(id)
      else if (this.memberships.add(album, id)) answer.added_assets.push(id)
      else answer.duplicate_assets.push(id)
    }
    return { status: 200, body: answer }
  }

  /** `DELETE /api/albums/{album_id}/assets`: detaches members; ids that are not members are ignored. */
  albumRemove(album: string, body: unknown): Reply {
    const ids = this.albumIds(album, body)
    if (!Array.isArray(ids)) return ids as Reply
    for (const id of ids) this.memberships.remove(album, id)
    return { status: 200, body: {} }
  }

  /** A stack as the stack endpoints answer it. */
  stackAnswer(stack: Stack, withIds: boolean): StackAnswer {
    const live = stack.assetIds.filter((id) => !this.isTrashed(id))
    return {
      id: stack.id,
      asset_count: live.length,
      created_at: NOW,
      updated_at: NOW,
      origin: stack.origin,
      asset_ids: withIds
        ? [...live].sort((a, b) => this.entries.get(a)!.order - this.entries.get(b)!.order)
        : null,
      primary_asset_id: stack.primaryAssetId
    }
  }

  /** `POST /api/stacks`. */
  createStack(body: unknown): Reply {
    const b = (body ?? {}) as Partial<StackCreateBody>
    const ids = b.asset_ids
    if (!isIdList(ids, MAX_ASSET_IDS) || new Set(ids).size < 2) {
      return unprocessable(["body", "asset_ids"], "at least 2 distinct asset ids expected")
    }
    const missing = ids.find((id) => !this.entries.has(id) || this.isTrashed(id))
    if (missing !== undefined) return notFound(`Asset ${missing}`)
    const primary = b.primary_asset_id ?? null
    if (primary !== null && !ids.includes(primary)) {
      return unprocessable(["body", "primary_asset_id"], "must be one of asset_ids")
    }
    this.stackCount++
    const id = gumnutId("asset_stack", `stack-${this.stackCount}`)
    const stack = this.stacks.create(id, ids, primary)
    return { status: 200, body: this.stackAnswer(stack, false) }
  }

  /** `DELETE /api/stacks/{id}`: dissolves it, deleting no asset. */
  deleteStack(id: string): Reply {
    return this.stacks.delete(id) ? { status: 200, body: {} } : notFound("Stack")
  }

  /** `PATCH /api/stacks/{id}`: pins one of its own live members as cover. */
  setCover(id: string, body: unknown): Reply {
    const stack = this.stacks.stacks.get(id)
    if (stack === undefined) return notFound("Stack")
    const primary = (body as Partial<StackCoverBody> | undefined)?.primary_asset_id
    if (typeof primary !== "string" || !stack.assetIds.includes(primary) || this.isTrashed(primary)) {
      return unprocessable(["body", "primary_asset_id"], "must be a live member of the stack")
    }
    stack.primaryAssetId = primary
    stack.origin = "user"
    return { status: 200, body: this.stackAnswer(stack, false) }
  }

  /** `GET /api/stacks[?ids=][&include=asset_ids]`, ordered by id, in one page. */
  listStacks(ids: ReadonlyArray<string>, include: ReadonlyArray<string>): Reply {
    const data = [...this.stacks.stacks.values()]
      .filter((s) => ids.length === 0 || ids.includes(s.id))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((s) => this.stackAnswer(s, include.includes("asset_ids")))
    return { status: 200, body: { data, has_more: false } }
  }

  /** `POST /api/assets/bulk-update`: validates every item first, then writes all or nothing. */
  bulkUpdate(body: unknown): Reply {
    const updates = (body as Partial<BulkUpdateBody> | undefined)?.updates
    if (!Array.isArray(updates) || updates.length < 1 || updates.length > MAX_BULK_UPDATES) {
      return unprocessable(["body", "updates"], "1 to 200 updates expected")
    }
    for (const [k, u] of updates.entries()) {
      const problem = checkChange(u)
      if (problem !== undefined) return unprocessable(["body", "updates", k, ...problem[0]], problem[1])
      if (!this.entries.has(u.id)) return notFound(`Asset ${u.id}`)
    }
    for (const { id, change } of updates as BulkUpdateBody["updates"]) {
      const exif = exifOf(this.entries.get(id)!.record)
      for (const field of ["rating", "description", "latitude", "longitude"] as const) {
        if (field in change && !this.ignoredChanges.has(field)) exif[field] = change[field] ?? null
      }
    }
    return { status: 200, body: {} }
  }

  /** The owner names a person in an asset (a face and its person, as the web app's tagging does). */
  tagPerson(id: string, person: { readonly id: string; readonly name: string }): void {
    const record = this.entries.get(id)!.record
    const list = (v: unknown): Array<unknown> => (Array.isArray(v) ? v : [])
    record.people = [...list(record.people), person]
    record.faces = [
      ...list(record.faces),
      { id: `face_${person.id}`, person_id: person.id, bounding_box: { x: 10, y: 10, w: 40, h: 40 } }
    ]
  }

  /** Sets an asset's faces, or leaves the list out of its answers (`undefined`, as a server that does not say). */
  setFaces(id: string, faces: ReadonlyArray<Record<string, unknown>> | undefined): void {
    const record = this.entries.get(id)!.record
    if (faces === undefined) delete record.faces
    else record.faces = [...faces]
  }

  /** The whole library for deep-equality comparisons. */
  snapshot(): GumnutSnapshot {
    const assets = [...this.entries].map(([id, entry]): [string, GumnutAssetSnapshot] => {
      const record = this.view(id)
      const exif = (record.exif ?? {}) as Record<string, unknown>
      return [
        id,
        {
          trashed: entry.trashed,
          albums: this.memberships.albumsOf(id),
          stack_id: this.stacks.of(id)?.id ?? null,
          checksum: record.checksum,
          checksum_sha1: record.checksum_sha1 ?? null,
          rating: exif.rating ?? null,
          description: exif.description ?? null,
          latitude: exif.latitude ?? null,
          longitude: exif.longitude ?? null,
          record
        }
      ]
    })
    return {
      assets: sortedRecord(assets),
      albums: this.memberships.snapshot(),
      stacks: this.stacks.snapshot(),
      hardDeleteAttempted: this.hardDeleteAttempted
    }
  }
}

/** What is wrong with one bulk-update item: [path under the item, message], if anything. */
const checkChange = (u: unknown): [Array<string>, string] | undefined => {
  if (u === null || typeof u !== "object") return [[], "an object expected"]
  const { id, change } = u as { id?: unknown; change?: unknown }
  if (typeof id !== "string") return [["id"], "an asset id expected"]
  if (change === null || typeof change !== "object") return [["change"], "an object expected"]
  const c = change as Record<string, unknown>
  const rating = c.rating
  if (
    rating !== undefined &&
    rating !== null &&
    !(Number.isInteger(rating) && Number(rating) >= 0 && Number(rating) <= 5)
  ) {
    return [["change", "rating"], "Input should be between 0 and 5"]
  }
  if (c.description !== undefined && c.description !== null && typeof c.description !== "string") {
    return [["change", "description"], "a string expected"]
  }
  if ("latitude" in c !== "longitude" in c || (c.latitude === null) !== (c.longitude === null)) {
    return [["change", "latitude"], "latitude and longitude must be set together"]
  }
  for (const [field, limit] of [
    ["latitude", 90],
    ["longitude", 180]
  ] as const) {
    const v = c[field]
    if (v !== undefined && v !== null && !(typeof v === "number" && Math.abs(v) <= limit)) {
      return [["change", field], `must be within ±${limit}`]
    }
  }
  return undefined
}
