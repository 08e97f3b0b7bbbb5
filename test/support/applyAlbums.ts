/**
 * A small library to act on in apply/undo tests, with its expected plan: seed-shaped assets
 * (docs/api.md §6) in two albums, forming
 * - `merge`: an exact group whose copy carries album B, rating 4 and GPS, which the keeper lacks
 *   (mergeable: the copy is `discard`, merged into the keeper first);
 * - `plain`: an exact group of two identical copies (the copy is `discard`);
 * - `review`: an exact group whose copy shows a person the keeper lacks (`review`: never acted on);
 * - `burst`: a near group of two frames one second apart (stacked; not trashed by default).
 *
 * Plain data, free of the test runner: `scripts/demo-server.ts` serves it too.
 */
import { makeAsset } from "./assets.js"

export const KEY = "apikey_ApplyE2E7Hq2LmN4pR8sT1vW3x"
export const ALBUM_A = "album_R99NCS4MdYwULi9UyBwy4z"
export const ALBUM_B = "album_J7kPq2ZxWm9LcV4bN8tR3s"

const exif = (time: string, extra: Record<string, unknown> = {}) => ({
  make: "Apple",
  model: "iPhone 15 Pro",
  original_datetime: time,
  rating: 0,
  auto_stack_id: null,
  live_photo_cid: null,
  description: null,
  latitude: null,
  longitude: null,
  ...extra
})
const at = (minute: number, second = 0) =>
  `2025-06-01T1${Math.floor(minute / 60)}:${String(minute % 60).padStart(2, "0")}:${String(second).padStart(2, "0")}+02:00`
const ben = { id: "person_PCRc9xU4DgqoA8btzKftNh", name: "Ben" }
const face = { id: "face_FFPNgTzFWwM425xvoZjvjk" }

const base = (n: number, time: string, extra: Record<string, unknown>) =>
  makeAsset(n, { local_datetime: time, exif: exif(time), metrics: { liqe_mix: 3 }, ...extra })

// merge: the keeper is richer (description, a person, a face), the copy has what it lacks.
export const mergeKeeper = base(1, at(1), {
  exif: exif(at(1), { description: "Beach day" }),
  people: [ben],
  faces: [face]
})
export const mergeCopy = base(2, at(1), {
  checksum: mergeKeeper.checksum,
  exif: exif(at(1), { rating: 4, latitude: 48.137, longitude: 11.575 })
})
// plain: identical copies (same size too); the keeper is the one uploaded first.
export const plainKeeper = base(3, at(10), { created_at: "2025-06-02T09:00:00Z" })
export const plainCopy = base(4, at(10), {
  checksum: plainKeeper.checksum,
  file_size_bytes: plainKeeper.file_size_bytes,
  created_at: "2025-06-03T09:00:00Z"
})
// review: the copy shows Ben, the keeper does not (people cannot be merged).
export const reviewKeeper = base(5, at(20), {
  exif: exif(at(20), { description: "x", rating: 5 }),
  faces: [face]
})
export const reviewCopy = base(6, at(20), { checksum: reviewKeeper.checksum, people: [ben] })
// burst: two frames a second apart, different bytes.
export const burstBest = base(7, at(30), { exif: exif(at(30), { rating: 5 }), metrics: { liqe_mix: 4.5 } })
export const burstOther = base(8, at(30, 1), {
  exif: exif(at(30, 1), { rating: 1 }),
  metrics: { liqe_mix: 1.5 }
})

export const idOf = (a: Record<string, unknown>) => a.id as string

/** Album A holds everything; album B holds the merge group's copy only. */
export const albums = () => ({
  [ALBUM_A]: [
    mergeKeeper,
    mergeCopy,
    plainKeeper,
    plainCopy,
    reviewKeeper,
    reviewCopy,
    burstBest,
    burstOther
  ],
  [ALBUM_B]: [mergeCopy]
})

/** The environment of every run: the key, and a fixed report time. */
export const ENV = { GUMNUT_API_KEY: KEY, SOURCE_DATE_EPOCH: "1767225600" }
