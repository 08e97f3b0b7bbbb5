/**
 * The in-memory library behind the loopback Immich server. Every body it takes and every answer it
 * gives is typed with `@immich/sdk`'s DTOs (type-only import), so the fake cannot drift from the
 * real API: AssetResponseDto, AssetBulkDeleteDto, BulkIdsDto, BulkIdResponseDto, StackCreateDto,
 * StackResponseDto, AssetBulkUpdateDto, UpdateAssetDto, ServerConfigDto, TrashResponseDto.
 *
 * Behaviour (Immich server controllers trash/stack/asset/album): `DELETE /api/assets` trashes, but
 * deletes permanently with `force: true` or when the trash is disabled (`trashDays: 0`); here that
 * also sets `hardDeleteAttempted`. A request naming an asset that does not exist fails whole with
 * 400 (Immich's access check), except the album routes, which answer per id. `null` is refused in
 * bulk and single updates (albumsift writes rating 0 and description "" to clear); a written rating
 * of 0 is stored as null (unrated). Stack create moves assets out of other stacks (the rule of
 * libraryState.ts's StackBook); the first id is the cover.
 */
import type {
  AssetBulkDeleteDto,
  AssetBulkUpdateDto,
  AssetResponseDto,
  BulkIdErrorReason,
  BulkIdResponseDto,
  BulkIdsDto,
  ServerConfigDto,
  ServerFeaturesDto,
  StackCreateDto,
  StackResponseDto,
  TrashResponseDto,
  UpdateAssetDto
} from "@immich/sdk"
import type { Reply } from "./faults.js"
import { uuid } from "./immichAssets.js"
import { editableCopy, Memberships, StackBook, seedAlbum, sortedRecord } from "./libraryState.js"

/** Immich's error body. */
export const immichError = (status: number, message: string, error: string): Reply => ({
  status,
  body: { message, error, statusCode: status, correlationId: "k3m9x2" }
})

const badRequest = (message: string) => immichError(400, message, "Bad Request")

/** One asset's state in a snapshot. */
export type ImmichAssetSnapshot = {
  readonly isTrashed: boolean
  readonly isFavorite: boolean
  readonly albums: Array<string>
  readonly stackId: string | null
  readonly checksum: string
  readonly rating: number | null
  readonly description: string | null
  readonly latitude: number | null
  readonly longitude: number | null
  /** The whole AssetResponseDto as `GET /api/assets/{id}` answers it. */
  readonly record: AssetResponseDto
}

/** The whole library, comparable with deep equality (an undo must restore it exactly). */
export type ImmichSnapshot = {
  readonly assets: Record<string, ImmichAssetSnapshot>
  readonly albums: Record<string, Array<string>>
  readonly stacks: ReturnType<StackBook["snapshot"]>
  /** Ids deleted permanently. */
  readonly deleted: Array<string>
  readonly hardDeleteAttempted: boolean
}

const isIds = (v: unknown): v is Array<string> =>
  Array.isArray(v) && v.length >= 1 && v.every((x) => typeof x === "string")

/** The Immich library: AssetResponseDto records, album memberships, stacks and trash. */
export class ImmichLibrary {
  private readonly assets = new Map<string, AssetResponseDto>()
  readonly memberships = new Memberships()
  readonly stacks = new StackBook()
  private readonly deleted = new Set<string>()
  /** Set by any permanent delete (force, or trash disabled); albumsift must never cause one. */
  hardDeleteAttempted = false
  /** Assets an album add answers `no_permission` for (a partner's asset), still with HTTP 200. */
  readonly albumAddRefused = new Set<string>()
  private stackCount = 0

  /**
   * The trash setting (Immich `config.trash`): `GET /api/server/features` answers `enabled` as `trash`,
   * while `GET /api/server/config`'s `trashDays` is the days setting whether enabled or not. With
   * the trash disabled, the nightly deletion check purges every trashed asset (days taken as 0):
   * here a trash is then a permanent delete at once.
   */
  trashEnabled = true

  /**
   * Immich v3's rating validation: null is unrated and 0 is refused ("Using 0 as a rating is no
   * longer valid", UpdateAssetDto.rating since v3). Before v3, null is refused and 0 is unrated.
   */
  ratingNullable = false

  /** `GET /api/server/config`'s `trashDays` (0: every trashed asset is purged at once). */
  constructor(public trashDays = 30) {}

  /** Adds `assets` (new ids join the library; known ids keep their state) and sets the album's members. */
  seedAlbum(album: string, assets: ReadonlyArray<Record<string, unknown>>): void {
    seedAlbum(
      this.memberships,
      album,
      assets,
      (id) => this.assets.has(id),
      (id, raw) => {
        const record = editableCopy(raw, "exifInfo") as unknown as AssetResponseDto
        this.assets.set(id, record)
        if (record.stack != null) this.stacks.join(record.stack.id, id, record.stack.primaryAssetId, "user")
      }
    )
  }

  /** Links a still to its motion part, as Immich's metadata extraction does (after a report, say). */
  linkMotion(id: string, videoId: string): void {
    this.assets.get(id)!.livePhotoVideoId = videoId
  }

  /** The owner names a person in an asset (a new face recognised as them). */
  tagPerson(id: string, person: { readonly id: string; readonly name: string }): void {
    const asset = this.assets.get(id)!
    const face = faceAt(`${person.id.slice(0, -4)}face`, "manual")
    const entry = { ...person, birthDate: null, thumbnailPath: "", isHidden: false, faces: [face] }
    asset.people = [...(asset.people ?? []), entry]
  }

  /** Sets who is recognised in an asset and how many faces no one is named for. */
  setFaces(
    id: string,
    people: ReadonlyArray<{ readonly id: string; readonly name: string }>,
    unassigned: number
  ): void {
    this.assets.get(id)!.people = []
    for (const person of people) this.tagPerson(id, person)
    // Servers that send them are read; the SDK's (v3) type does not list them.
    const asset = this.assets.get(id)! as { unassignedFaces?: unknown }
    asset.unassignedFaces = Array.from({ length: unassigned }, (_, k) =>
      faceAt(`${id.slice(0, -4)}${String(k).padStart(4, "0")}`, "machine-learning")
    )
  }

  has(id: string): boolean {
    return this.assets.has(id)
  }

  /** The asset as `GET /api/assets/{id}` answers it (with its current stack). */
  view(id: string): AssetResponseDto {
    const record = editableCopy(this.assets.get(id)!, "exifInfo")
    const stack = this.stacks.of(id)
    if (stack !== undefined) {
      record.stack = {
        id: stack.id,
        primaryAssetId: stack.primaryAssetId ?? stack.assetIds[0]!,
        assetCount: stack.assetIds.filter((a) => !this.assets.get(a)!.isTrashed).length
      }
    } else if ("stack" in record) record.stack = null
    return record
  }

  /** An album's live (not trashed) assets in listing order. */
  albumAssets(album: string): Array<AssetResponseDto> {
    return this.memberships
      .ids(album)
      .filter((id) => !this.assets.get(id)!.isTrashed)
      .map((id) => this.view(id))
  }

  /** `GET /api/server/config`. */
  serverConfig(): Reply {
    const config: ServerConfigDto = {
      externalDomain: "",
      isInitialized: true,
      isOnboarded: true,
      loginPageMessage: "",
      maintenanceMode: false,
      mapDarkStyleUrl: "https://tiles.immich.cloud/v1/style/dark.json",
      mapLightStyleUrl: "https://tiles.immich.cloud/v1/style/light.json",
      minFaces: 3,
      oauthButtonText: "Login with OAuth",
      publicUsers: true,
      trashDays: this.trashDays,
      userDeleteDelay: 7
    }
    return { status: 200, body: config }
  }

  /** `GET /api/server/features` (the flags albumsift reads; the rest as a default install). */
  serverFeatures(): Reply {
    const features: ServerFeaturesDto = {
      configFile: false,
      duplicateDetection: true,
      email: false,
      facialRecognition: true,
      importFaces: false,
      map: true,
      oauth: false,
      oauthAutoLaunch: false,
      ocr: true,
      passwordLogin: true,
      realtimeTranscoding: false,
      reverseGeocoding: true,
      search: true,
      sidecar: true,
      smartSearch: true,
      trash: this.trashEnabled
    }
    return { status: 200, body: features }
  }

  /** `GET /api/assets/{id}`: trashed ones too (`isTrashed`); unknown or deleted ids are 400. */
  getAsset(id: string): Reply {
    return this.assets.has(id)
      ? { status: 200, body: this.view(id) }
      : badRequest("Not found or no asset.read access")
  }

  /** A 400 when any id is not a live-or-trashed asset (Immich's access check fails the whole request). */
  private unknown(ids: ReadonlyArray<string>, access: string): Reply | undefined {
    return ids.every((id) => this.assets.has(id)) ? undefined : badRequest(`Not found or no ${access} access`)
  }

  /** `DELETE /api/assets` (AssetBulkDeleteDto): trash, or delete permanently on force / trash disabled. */
  deleteAssets(body: unknown): Reply {
    const b = (body ?? {}) as Partial<AssetBulkDeleteDto>
    if (!isIds(b.ids)) return badRequest("ids must be an array of UUIDs")
    const refused = this.unknown(b.ids, "asset.delete")
    if (refused !== undefined) return refused
    const permanent = b.force === true || this.trashDays === 0 || !this.trashEnabled
    for (const id of b.ids) {
      if (permanent) {
        this.hardDeleteAttempted = true
        this.assets.delete(id)
        this.deleted.add(id)
        this.memberships.forget(id)
        this.stacks.leave(id)
      } else this.assets.get(id)!.isTrashed = true
    }
    return { status: 204 }
  }

  /** `POST /api/trash/restore/assets` (BulkIdsDto → TrashResponseDto). */
  restoreAssets(body: unknown): Reply {
    const ids = (body as Partial<BulkIdsDto> | undefined)?.ids
    if (!isIds(ids)) return badRequest("ids must be an array of UUIDs")
    const refused = this.unknown(ids, "asset.delete")
    if (refused !== undefined) return refused
    let count = 0
    for (const id of ids) {
      const asset = this.assets.get(id)!
      if (asset.isTrashed) count++
      asset.isTrashed = false
    }
    const answer: TrashResponseDto = { count }
    return { status: 200, body: answer }
  }

  /** `PUT /api/albums/{id}/assets` (add) and `DELETE` (remove): BulkIdsDto → BulkIdResponseDto[]. */
  albumAssetsChange(album: string, body: unknown, add: boolean): Reply {
    if (!this.memberships.has(album)) return badRequest("Not found or no album.update access")
    const ids = (body as Partial<BulkIdsDto> | undefined)?.ids
    if (!isIds(ids)) return badRequest("ids must be an array of UUIDs")
    const failed = (id: string, error: `${BulkIdErrorReason}`): BulkIdResponseDto => ({
      id,
      success: false,
      error: error as BulkIdErrorReason
    })
    const results = ids.map((id): BulkIdResponseDto => {
      if (!this.assets.has(id) || (add && this.albumAddRefused.has(id))) return failed(id, "no_permission")
      const done = add ? this.memberships.add(album, id) : this.memberships.remove(album, id)
      return done ? { id, success: true } : failed(id, add ? "duplicate" : "not_found")
    })
    return { status: 200, body: results }
  }

  /** `POST /api/stacks` (StackCreateDto → StackResponseDto): the first id is the cover. */
  createStack(body: unknown): Reply {
    const ids = (body as Partial<StackCreateDto> | undefined)?.assetIds
    if (!isIds(ids) || new Set(ids).size < 2) return badRequest("assetIds must contain at least 2 elements")
    const refused = this.unknown(ids, "asset.update")
    if (refused !== undefined) return refused
    this.stackCount++
    const stack = this.stacks.create(uuid(`immich-stack-${this.stackCount}`), ids, ids[0]!)
    const answer: StackResponseDto = {
      id: stack.id,
      primaryAssetId: ids[0]!,
      assets: stack.assetIds.map((id) => this.view(id))
    }
    return { status: 201, body: answer }
  }

  /** `DELETE /api/stacks/{id}`: the assets stay. */
  deleteStack(id: string): Reply {
    return this.stacks.delete(id) ? { status: 204 } : badRequest("Not found or no stack.delete access")
  }

  /** `DELETE /api/stacks` (BulkIdsDto). */
  deleteStacks(body: unknown): Reply {
    const ids = (body as Partial<BulkIdsDto> | undefined)?.ids
    if (!isIds(ids)) return badRequest("ids must be an array of UUIDs")
    if (!ids.every((id) => this.stacks.stacks.has(id)))
      return badRequest("Not found or no stack.delete access")
    for (const id of ids) this.stacks.delete(id)
    return { status: 204 }
  }

  /** `PUT /api/assets` (AssetBulkUpdateDto): all ids must exist; answers no content. */
  updateAssets(body: unknown): Reply {
    const b = (body ?? {}) as Partial<AssetBulkUpdateDto>
    if (!isIds(b.ids)) return badRequest("ids must be an array of UUIDs")
    const problem = checkUpdate(b, this.ratingNullable)
    if (problem !== undefined) return badRequest(problem)
    const refused = this.unknown(b.ids, "asset.update")
    if (refused !== undefined) return refused
    for (const id of b.ids) this.write(id, b)
    return { status: 204 }
  }

  /** `PUT /api/assets/{id}` (UpdateAssetDto → AssetResponseDto). */
  updateAsset(id: string, body: unknown): Reply {
    const b = (body ?? {}) as UpdateAssetDto
    const problem = checkUpdate(b, this.ratingNullable)
    if (problem !== undefined) return badRequest(problem)
    const refused = this.unknown([id], "asset.update")
    if (refused !== undefined) return refused
    this.write(id, b)
    return { status: 200, body: this.view(id) }
  }

  private write(id: string, change: UpdateAssetDto): void {
    const asset = this.assets.get(id)!
    if (change.isFavorite !== undefined) asset.isFavorite = change.isFavorite
    if (asset.exifInfo === undefined) asset.exifInfo = {}
    const exif = asset.exifInfo
    if (change.rating !== undefined) exif.rating = change.rating === 0 ? null : (change.rating ?? null)
    if (change.description !== undefined) exif.description = change.description
    if (change.latitude !== undefined) exif.latitude = change.latitude
    if (change.longitude !== undefined) exif.longitude = change.longitude
  }

  /** The whole library for deep-equality comparisons. */
  snapshot(): ImmichSnapshot {
    const assets = [...this.assets.keys()].map((id): [string, ImmichAssetSnapshot] => {
      const record = this.view(id)
      return [
        id,
        {
          isTrashed: record.isTrashed,
          isFavorite: record.isFavorite,
          albums: this.memberships.albumsOf(id),
          stackId: this.stacks.of(id)?.id ?? null,
          checksum: record.checksum,
          rating: record.exifInfo?.rating ?? null,
          description: record.exifInfo?.description ?? null,
          latitude: record.exifInfo?.latitude ?? null,
          longitude: record.exifInfo?.longitude ?? null,
          record
        }
      ]
    })
    return {
      assets: sortedRecord(assets),
      albums: this.memberships.snapshot(),
      stacks: this.stacks.snapshot(),
      deleted: [...this.deleted].sort(),
      hardDeleteAttempted: this.hardDeleteAttempted
    }
  }
}

/**
 * What is wrong with an update body, if anything: no nulls, rating −1..5, coordinates in range; with
 * `ratingNullable` (v3), a null rating is allowed and 0 is refused.
 */
const checkUpdate = (
  b: UpdateAssetDto | Partial<AssetBulkUpdateDto>,
  ratingNullable = false
): string | undefined => {
  for (const field of ["isFavorite", "rating", "description", "latitude", "longitude"] as const) {
    if (b[field] === null && !(field === "rating" && ratingNullable)) return `${field} must not be null`
  }
  if (ratingNullable && b.rating === 0) return "Using 0 as a rating is no longer valid"
  if (
    b.rating !== undefined &&
    b.rating !== null &&
    !(Number.isInteger(b.rating) && b.rating >= -1 && b.rating <= 5)
  ) {
    return "rating must not be greater than 5"
  }
  if (b.isFavorite !== undefined && typeof b.isFavorite !== "boolean")
    return "isFavorite must be a boolean value"
  if (b.description !== undefined && typeof b.description !== "string") return "description must be a string"
  if (b.latitude !== undefined && !(typeof b.latitude === "number" && Math.abs(b.latitude) <= 90)) {
    return "latitude must be a number between -90 and 90"
  }
  if (b.longitude !== undefined && !(typeof b.longitude === "number" && Math.abs(b.longitude) <= 180)) {
    return "longitude must be a number between -180 and 180"
  }
  return undefined
}

/** One detected face (`AssetFaceWithoutPersonResponseDto`), a small box in the top-left corner. */
const faceAt = (id: string, sourceType: "manual" | "machine-learning") => ({
  id,
  imageWidth: 4032,
  imageHeight: 3024,
  boundingBoxX1: 10,
  boundingBoxY1: 10,
  boundingBoxX2: 50,
  boundingBoxY2: 50,
  sourceType
})
