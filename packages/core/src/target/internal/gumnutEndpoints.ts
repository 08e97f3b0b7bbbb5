/**
 * Gumnut's endpoints and bodies for acting on assets, in one place. Sources (gumnut-ai/photos-sdk-typescript):
 * - `src/resources/assets/assets.ts@0f788b9`: `GET /api/assets?ids=` (≤200 ids, live assets only unless
 *   `state=`; `include=file_data` for `file_data.checksum`, `include=metadata` for rating, description and GPS, `include=people,faces` for those), `POST /api/assets/trash` and
 *   `POST /api/assets/restore` `{ids}` (soft; restore is idempotent), `POST /api/assets/bulk-update`
 *   `{updates: [{id, change}]}` (≤200, atomic). The hard deletes (`DELETE /api/assets`,
 *   `DELETE /api/assets/{id}`) are deliberately absent here: albumsift never sends them.
 * - `src/resources/albums/assets-associations.ts@0b913c1`: `POST` / `DELETE /api/albums/{album_id}/assets`
 *   `{asset_ids}` (≤100 ids; add is idempotent).
 * - `src/resources/stacks.ts@33b8af6`: `POST /api/stacks` `{asset_ids (≥2), primary_asset_id}` answers
 *   `{id: "asset_stack_…"}`; a 409 means nothing was created (retry unchanged);
 *   `DELETE /api/stacks/{id}` dissolves a stack and deletes nothing.
 */
import type { Fields } from "../Target.js"

const seg = encodeURIComponent

/**
 * The look-up: live assets with their file data (checksum) and metadata (rating, description, GPS:
 * what a merge compares) and their people and faces (what no merge can carry, checked again before
 * trashing). Since 2026-06-04 a look-up without `include=` answers only a lean core, and
 * a merge planned on it would see every copy as carrying nothing.
 */
export const lookup = (ids: ReadonlyArray<string>, albumId?: string, startingAfterId?: string) => ({
  path: "/api/assets",
  query: {
    ids: ids.join(","),
    include: "file_data,metadata,people,faces",
    limit: String(Math.max(1, ids.length)),
    album_id: albumId,
    starting_after_id: startingAfterId
  }
})

export const trash = (ids: ReadonlyArray<string>) =>
  ({ method: "POST", path: "/api/assets/trash", body: { ids } }) as const
export const restore = (ids: ReadonlyArray<string>) =>
  ({ method: "POST", path: "/api/assets/restore", body: { ids } }) as const
export const addToAlbum = (album: string, ids: ReadonlyArray<string>) =>
  ({ method: "POST", path: `/api/albums/${seg(album)}/assets`, body: { asset_ids: ids } }) as const
export const removeFromAlbum = (album: string, ids: ReadonlyArray<string>) =>
  ({ method: "DELETE", path: `/api/albums/${seg(album)}/assets`, body: { asset_ids: ids } }) as const
export const createStack = (keeper: string, others: ReadonlyArray<string>) =>
  ({
    method: "POST",
    path: "/api/stacks",
    body: { asset_ids: [keeper, ...others], primary_asset_id: keeper }
  }) as const
export const deleteStack = (id: string) => ({ method: "DELETE", path: `/api/stacks/${seg(id)}` }) as const

/** One keeper's fields; latitude and longitude always travel together. */
export const update = (id: string, fields: Fields) => {
  const change: Record<string, unknown> = {}
  if (fields.rating !== undefined) change.rating = fields.rating
  if (fields.description !== undefined) change.description = fields.description
  if (fields.latitude !== undefined || fields.longitude !== undefined) {
    change.latitude = fields.latitude ?? null
    change.longitude = fields.longitude ?? null
  }
  return { method: "POST", path: "/api/assets/bulk-update", body: { updates: [{ id, change }] } } as const
}
