/** Builders of seed-shaped raw assets for tests. */

/** A base64 SHA-256-sized checksum (32 bytes) derived from `n`. */
export const sha256 = (n: number | string): string => Buffer.alloc(32, `sha256-${n}-`).toString("base64")
/** A base64 SHA-1-sized checksum (20 bytes) derived from `n`. */
export const sha1 = (n: number | string): string => Buffer.alloc(20, `sha1-${n}-`).toString("base64")

export interface RawAsset {
  id: string
  [key: string]: unknown
}

/** A valid seed-shaped asset; `exif: null` by default, so no camera time. */
export const raw = (id: string, overrides: Record<string, unknown> = {}): RawAsset => ({
  id,
  device_asset_id: `dev-${id}`,
  device_id: "phone-1",
  mime_type: "image/jpeg",
  original_file_name: `${id}.jpg`,
  file_created_at: "2024-05-01T12:00:00Z",
  file_modified_at: "2024-05-01T12:00:00Z",
  local_datetime: "2024-05-01T12:00:00Z",
  checksum: sha256(id),
  created_at: "2024-06-01T08:00:00Z",
  updated_at: "2024-06-01T08:00:00Z",
  exif: null,
  metrics: null,
  thumbnail_url: `https://assets.example/${id}.jpg`,
  faces: [],
  people: [],
  ...overrides
})

/** EXIF of a camera shot at `time` (wall clock, as given). */
export const exif = (time: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  make: "Canon",
  model: "EOS R5",
  original_datetime: time,
  ...extra
})

/** A camera shot: EXIF with make/model/original time, `local_datetime` equal to it. */
export const shot = (
  id: string,
  time: string,
  overrides: Record<string, unknown> = {},
  exifExtra: Record<string, unknown> = {}
): RawAsset => raw(id, { local_datetime: time, exif: exif(time, exifExtra), ...overrides })

/** Deterministic Fisher-Yates shuffle with a seed. */
export const shuffle = <T>(items: ReadonlyArray<T>, seed: number): Array<T> => {
  const out = items.slice()
  let s = seed >>> 0 || 1
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

import * as Asset from "../src/Asset.js"
import { AssetTable } from "../src/engine/internal/assetTable.js"
import { Interner } from "../src/engine/internal/Interner.js"

/** Decodes raw assets into a column store (failing on any rejection) plus the id → ordinal map. */
export const load = (raws: ReadonlyArray<unknown>): { store: AssetTable; ids: Map<string, number> } => {
  const store = new AssetTable()
  const ids = new Map<string, number>()
  const interner = new Interner()
  raws.forEach((value, index) => {
    const d = Asset.decode({ value, index }, interner)
    if (Asset.isRejected(d)) throw new Error(`fixture rejected: ${d.reason}`)
    ids.set(d.id, store.push(d))
  })
  return { store, ids }
}

import type { Analysis } from "../src/Analysis.js"
import * as Pipeline from "../src/engine/Pipeline.js"
import type { AnalysisOptions } from "../src/Options.js"

/** Runs the pure pipeline over raw values numbered in order. */
export const analyze = (raws: ReadonlyArray<unknown>, options?: AnalysisOptions): Analysis =>
  Pipeline.analyzeItems(
    raws.map((value, index) => ({ value, index })),
    options
  )

/** Each group as its sorted member ids, groups sorted. */
export const groupSets = (a: Analysis): Array<Array<string>> =>
  a.groups.map((g) => g.members.map((m) => m.assetId).sort()).sort((x, y) => (x[0]! < y[0]! ? -1 : 1))

/** The group containing `assetId`. */
export const groupOf = (a: Analysis, assetId: string) =>
  a.groups.find((g) => g.members.some((m) => m.assetId === assetId))

/** The member entry of `assetId`. */
export const memberOf = (a: Analysis, assetId: string) =>
  groupOf(a, assetId)?.members.find((m) => m.assetId === assetId)
