/**
 * Small deterministic seed-shaped assets for server tests (ids and fields shaped after the real ones
 * described in docs/sources.md, "What the servers send").
 */
import { createHash } from "node:crypto"

const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

/** A Gumnut-style id: prefix plus 22 shortuuid characters, derived from `seed`. */
export const gumnutId = (prefix: string, seed: string): string => {
  const digest = createHash("sha256").update(seed).digest()
  let out = ""
  for (let i = 0; i < 22; i++) out += ALPHABET[digest[i]! % ALPHABET.length]
  return `${prefix}_${out}`
}

/** One seed-shaped asset; `n` fixes its id, file name, checksum and time. */
export const makeAsset = (n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> => {
  const id = gumnutId("asset", `asset-${n}`)
  const minute = String(n % 60).padStart(2, "0")
  const time = `2025-06-01T10:${minute}:00Z`
  return {
    id,
    device_asset_id: `IMG_${1000 + n}`,
    device_id: "teds-iphone",
    mime_type: "image/jpeg",
    original_file_name: `IMG_${1000 + n}.jpg`,
    file_created_at: time,
    file_modified_at: time,
    local_datetime: `2025-06-01T10:${minute}:00+02:00`,
    checksum: createHash("sha256").update(`bytes-${n}`).digest("base64"),
    created_at: "2025-06-02T09:00:00Z",
    updated_at: "2025-06-02T09:00:00Z",
    exif: {
      make: "Apple",
      model: "iPhone 15 Pro",
      original_datetime: `2025-06-01T10:${minute}:00+02:00`,
      rating: n % 6,
      auto_stack_id: null,
      live_photo_cid: null,
      description: 'naïve café ☕ — "quoted" \\ path'
    },
    metrics: { liqe_mix: 1 + (n % 40) / 10 },
    thumbnail_url: `https://assets.gumnut.ai/thumbnails/${id}.webp?Expires=1893456000&Signature=abc${n}`,
    download_url: `https://assets.gumnut.ai/originals/${id}.jpg?Expires=1893456000&Signature=def${n}`,
    faces: [],
    people: [],
    file_size_bytes: 2_000_000 + n,
    width: 4032,
    height: 3024,
    ...overrides
  }
}

/** `count` assets numbered from `from`. */
export const makeAssets = (from: number, count: number): Array<Record<string, unknown>> =>
  Array.from({ length: count }, (_, k) => makeAsset(from + k))
