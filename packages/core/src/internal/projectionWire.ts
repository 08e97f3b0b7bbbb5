/**
 * A compact wire form of decoded items, for decoding off the main thread.
 *
 * The decode worker turns each raw item into its `Projected` (or `Rejected`) with `Asset.decode`,
 * and posts a batch of them as one JSON text of arrays: one `JSON.parse` on the main thread gives
 * fresh, flat strings (a slice of a larger string would keep the whole batch alive) at a fraction of
 * the raw item's size. The main thread only rebuilds each record, interning its shared strings.
 */
import type { Rejected } from "../Analysis.js"
import type { HashKind, Projected } from "../Asset.js"
import { EMPTY, type Interner } from "../engine/internal/Interner.js"

/** One decoded item as posted: a projection (an array starting with the id) or a rejection. */
export type WireRecord = ReadonlyArray<unknown>

/**
 * An item already decoded off the main thread; the pipeline only rebuilds and interns it. Its record
 * is taken once (`take`) and not held after: items the pipeline has consumed stay reachable past young
 * collections (from the stream's machinery), and a record they still held was promoted to the old
 * generation with them. At 250k assets the main thread promoted 280 MB (76 MB since), in 459 ms of
 * young-collection pauses (224 ms since). So a `decodedItems` stream's items are for one analysis.
 */
export class Predecoded {
  /** The item's id, as `Asset.peekId` would read it from the raw item. */
  readonly id: string | undefined
  #record: WireRecord | undefined

  constructor(record: WireRecord) {
    this.id = typeof record[0] === "string" ? record[0] : (record[2] as string | undefined)
    this.#record = record
  }

  /** The record, once: a second call throws. */
  take(): WireRecord {
    const r = this.#record
    if (r === undefined) throw new Error("a predecoded item's record was already taken")
    this.#record = undefined
    return r
  }
}

const HASH_KINDS: ReadonlyArray<HashKind> = ["sha256", "sha1", "other"]
const EMPTY_METRICS: Readonly<Record<string, number>> = Object.freeze({})

/** A projection as a wire record; every field by position (see `fromRecord`). */
export const projectionRecord = (p: Projected): WireRecord => [
  p.id,
  p.index,
  p.fileName,
  p.mimeType,
  p.checksum,
  HASH_KINDS.indexOf(p.hashKind),
  p.takenRaw,
  p.wallMs,
  p.takenOffset,
  p.cameraTime,
  p.camera,
  p.cameraKey,
  p.deviceId,
  p.autoStackId,
  p.livePhotoCid,
  p.livePhotoVideoId,
  p.stackId,
  p.duplicateId,
  p.rating,
  p.favorite,
  isEmpty(p.metrics) ? 0 : p.metrics,
  p.width,
  p.height,
  p.fileSize,
  p.hasExif,
  p.hasGps,
  p.description,
  p.people.length === 0 ? 0 : p.people,
  p.faceCount,
  p.thumbnailUrl,
  p.createdAt,
  p.createdMs,
  p.zoneShift
]

/** A rejection as a wire record: `[index, reason, id?]`. */
export const rejectionRecord = (index: number, reason: string, id: string | undefined): WireRecord =>
  id === undefined ? [index, reason] : [index, reason, id]

const isEmpty = (o: object): boolean => {
  for (const _ in o) return false
  return true
}

const shared = (interner: Interner, s: unknown): string | null =>
  s === null ? null : interner.string(s as string)

/**
 * What `Asset.decode` made of the item, from its wire record: the projection, with repeated strings
 * interned as `Asset.project` does, or the rejection.
 */
export const fromRecord = (
  r: WireRecord,
  album: string | undefined,
  interner: Interner
): Projected | Rejected => {
  if (typeof r[0] !== "string") {
    const id = r[2] as string | undefined
    return {
      index: r[0] as number,
      ...(id !== undefined ? { id } : {}),
      ...(album !== undefined ? { album } : {}),
      reason: r[1] as string
    }
  }
  const people = r[27] as 0 | ReadonlyArray<string>
  const metrics = r[20] as 0 | Record<string, number>
  return {
    id: r[0],
    index: r[1] as number,
    albums: album === undefined ? EMPTY : interner.list([album]),
    fileName: r[2] as string,
    mimeType: interner.string(r[3] as string),
    checksum: r[4] as string,
    hashKind: HASH_KINDS[r[5] as number]!,
    takenRaw: r[6] as string,
    wallMs: r[7] as number,
    takenOffset: r[8] as number | null,
    cameraTime: r[9] as boolean,
    camera: shared(interner, r[10]),
    cameraKey: shared(interner, r[11]),
    deviceId: interner.string(r[12] as string),
    autoStackId: shared(interner, r[13]),
    livePhotoCid: shared(interner, r[14]),
    livePhotoVideoId: r[15] as string | null,
    stackId: shared(interner, r[16]),
    duplicateId: shared(interner, r[17]),
    rating: r[18] as number | null,
    favorite: r[19] as boolean,
    metrics: metrics === 0 ? EMPTY_METRICS : metrics,
    width: r[21] as number | null,
    height: r[22] as number | null,
    fileSize: r[23] as number | null,
    hasExif: r[24] as boolean,
    hasGps: r[25] as boolean,
    description: r[26] as string | null,
    people: people === 0 ? EMPTY : people.map((p) => interner.string(p)),
    faceCount: r[28] as number,
    thumbnailUrl: r[29] as string | null,
    createdAt: r[30] as string,
    createdMs: r[31] as number,
    zoneShift: r[32] as number | null
  }
}
