/**
 * The asset table: the engine's column store of decoded assets. Its columns are private; the engine
 * reads them through named getters (`wallMsOf(i)`, `cameraKeyOf(i)`…) and one view builder
 * (`view(i)`, the whole projection). Storage: numbers in typed arrays, repeated strings as codes into an
 * interned table, rare fields in sparse columns, and text (file name, checksum, thumbnail URL tail)
 * as bytes in a chunked arena; capture and upload times are rebuilt from their numbers. Measured on
 * the bench's synthetic albums this keeps ~300 bytes per asset, where one object per asset took
 * ~1 KB.
 */
import type { AssetInfo } from "../../Analysis.js"
import type { HashKind, Projected } from "../../Asset.js"
import { formatStyled, NOT_REBUILDABLE, styleOf, wallString } from "../CaptureTime.js"
import { Codes } from "./Codes.js"
import { EMPTY } from "./Interner.js"
import { hexCase } from "./Packing.js"
import * as Shared from "./Shared.js"
import { TextArena } from "./TextArena.js"
import { UuidTexts } from "./UuidTexts.js"
import { withoutNaN } from "./withoutNaN.js"

const NO_OFFSET = -32768
/** `sortByIds` keys up to this many ordinals (2^25: 25 bits of position under a 28-bit key). */
const KEYED_SORT_MAX = 2 ** 25
/** Placeholder for the asset id inside a stored thumbnail URL head. */
const ID_MARK = "\u0001"
const MAX_THUMB_HEADS = 4096
/** Key of a head without the id in it (cannot collide with a real suffix, which has no ID_MARK). */
const NO_ID = "\u0001none"
const LONG = 255
/** A UTF-16 surrogate not part of a pair (with the `u` flag a pair is one character and does not match). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u
const HASH_KINDS: ReadonlyArray<HashKind> = ["sha256", "sha1", "other"]
// Null-prototype: a metric named `toString` or `__proto__` is data, never an inherited property.
const EMPTY_METRICS: Readonly<Record<string, number>> = Object.freeze(Object.create(null))

// Bits of the `bits` column.
const CAMERA_TIME = 1
const HAS_EXIF = 2
const HAS_GPS = 4
const FAVORITE = 8
const HAS_METRICS = 16

type Typed = Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array

const nullIfNaN = (x: number): number | null => (Number.isNaN(x) ? null : x)

/** `a` copied into a column of `capacity` rows (cut or extended; new rows hold `fill`, else 0). */
const grown = <T extends Typed>(a: T, capacity: number, make: (n: number) => T, fill?: number): T => {
  const b = make(capacity)
  b.set(a.length <= capacity ? a : a.subarray(0, capacity))
  if (fill !== undefined && capacity > a.length) b.fill(fill, a.length)
  return b
}

/** Columns of every decoded asset, indexed by ordinal (order of first appearance). */
export class AssetTable {
  private count = 0
  private capacity = 1024
  /** Ids that are not well-formed UTF-16 (a lone surrogate), kept whole: their UTF-8 would not give them back. */
  private readonly oddIds = new Map<number, string>()
  /** Albums and people of each asset, as codes into `lists` (0 is the empty list). */
  private albums = Shared.int32(this.capacity)
  private people = Shared.int32(this.capacity)
  private readonly lists = new ListTable()
  /** Id, file name, checksum, capture time, upload time and thumbnail tail of each asset, in that order. */
  private readonly text = new TextArena()
  private textStart = Shared.float64(this.capacity)
  // Byte lengths of the fields; LONG means the length is in `longLengths` (the id is field 5 there).
  private idLen = Shared.uint8(this.capacity)
  private nameLen = Shared.uint8(this.capacity)
  private checksumLen = Shared.uint8(this.capacity)
  private takenLen = Shared.uint8(this.capacity)
  private createdLen = Shared.uint8(this.capacity)
  private thumbLen = Shared.uint8(this.capacity)
  private readonly longLengths = new Map<number, number>()
  /** Bit 0: checksum stored as bytes; bits 1-2: thumbnail tail stored as bytes of lower/upper hex. */
  private packing = Shared.uint8(this.capacity)
  /** Layout bytes of the capture and upload times (rebuilt from numbers), or NOT_REBUILDABLE. */
  private takenStyle = Shared.uint8(this.capacity)
  private createdStyle = Shared.uint8(this.capacity)
  /** Thumbnail URL template code: -1 none; -2 whole URL in the arena; else `thumbHeads[code]` + tail. */
  private thumbHead = Shared.int32(this.capacity)
  private readonly thumbHeads: Array<string> = []
  /** Each head as (before the id, after it), or (head, null) without the id; filled on first read. */
  private readonly thumbParts: Array<readonly [string, string | null] | undefined> = []
  private readonly thumbCodes = new Map<string, Map<string, number>>()
  /** The last head found: where the id sat in its URL (-1: not in the head), the text around it, its code. */
  private lastThumb: { at: number; before: string; after: string; code: number } | undefined
  private index = Shared.int32(this.capacity)
  private wallMs = Shared.float64(this.capacity)
  private createdMs = Shared.float64(this.capacity)
  private offset = Shared.int16(this.capacity)
  private zoneShift = Shared.int16(this.capacity)
  // Small integers in narrow columns (NaN = missing); other values kept aside exactly.
  private readonly rating = new IntColumn(Shared.int8, this.capacity)
  private readonly width = new IntColumn(Shared.int32, this.capacity)
  private readonly height = new IntColumn(Shared.int32, this.capacity)
  private readonly fileSize = new IntColumn(Shared.int32, this.capacity)
  private readonly faceCount = new IntColumn(Shared.int16, this.capacity)
  private bits = Shared.uint8(this.capacity)
  private hashKind = Shared.uint8(this.capacity)
  /**
   * Each asset's MIME type, device, camera and camera key as one profile code: an album holds few
   * such combinations. Profile p's four string codes are `profiles[4p] … profiles[4p + 3]`.
   */
  private profile = Shared.int32(this.capacity)
  private profiles = Shared.int32(256)
  private profileCount = 0
  private readonly profileCodes = new Map<string, number>()
  private lastProfile = -1
  /** Interned strings referenced by code (MIME types, devices, cameras, camera keys). */
  private readonly strings = new Codes<string>()
  /** Metric columns by name. */
  private readonly metrics = new Map<string, MetricColumn>()
  /** `metrics` as a list of entries, or undefined after a change. */
  private metricList: Array<readonly [string, MetricColumn]> | undefined
  /** Rare text fields: a column of codes each, allocated on first use. */
  private readonly sparse: Record<SparseField, SparseText | undefined> = {
    autoStackId: undefined,
    livePhotoCid: undefined,
    livePhotoVideoId: undefined,
    stackId: undefined,
    duplicateId: undefined,
    description: undefined
  }

  /**
   * The table another thread received (a structured clone: the columns' shared memory is the same,
   * the small maps and lists are copies), made a table again. Read it only; the sender must not add
   * to it meanwhile.
   */
  static revive(received: unknown): AssetTable {
    const t = Shared.revived(received, AssetTable)
    TextArena.revive(t.text)
    Shared.revived(t.lists, ListTable)
    Shared.revived(t.strings, Codes)
    for (const col of [t.rating, t.width, t.height, t.fileSize, t.faceCount]) Shared.revived(col, IntColumn)
    for (const col of t.metrics.values()) Shared.revived(col, MetricColumn)
    for (const col of Object.values(t.sparse)) if (col !== undefined) SparseText.revive(col)
    t.metricList = undefined
    return t
  }

  /** Code of an interned string (-1 for null). */
  private code(s: string | null): number {
    return s === null ? -1 : this.strings.code(s)
  }

  /** The profile code of these four string codes (the previous asset's, most of the time). */
  private profileOf(mime: number, device: number, camera: number, cameraKey: number): number {
    const last = this.lastProfile
    const ps = this.profiles
    if (
      last >= 0 &&
      ps[4 * last] === mime &&
      ps[4 * last + 1] === device &&
      ps[4 * last + 2] === camera &&
      ps[4 * last + 3] === cameraKey
    )
      return last
    const key = `${mime},${device},${camera},${cameraKey}`
    let p = this.profileCodes.get(key)
    if (p === undefined) {
      p = this.profileCount++
      if (4 * this.profileCount > this.profiles.length)
        this.profiles = grown(this.profiles, this.profiles.length * 2, Shared.int32)
      this.profiles.set([mime, device, camera, cameraKey], 4 * p)
      this.profileCodes.set(key, p)
    }
    this.lastProfile = p
    return p
  }
  private mimeCode(i: number): number {
    return this.profiles[4 * this.profile[i]!]!
  }
  private deviceCode(i: number): number {
    return this.profiles[4 * this.profile[i]! + 1]!
  }
  private cameraCode(i: number): number {
    return this.profiles[4 * this.profile[i]! + 2]!
  }

  /** The interned string of a code. */
  private str(c: number): string | null {
    return c < 0 ? null : this.strings.values[c]!
  }

  private grow(): void {
    // 1.5× growth: a smaller transient peak while old and new columns coexist.
    this.resize(Math.max(1024, Math.ceil(this.capacity * 1.5)))
  }

  /** Moves every column into arrays of `cap` rows, one column at a time. */
  private resize(cap: number): void {
    this.index = grown(this.index, cap, Shared.int32)
    this.albums = grown(this.albums, cap, Shared.int32)
    this.people = grown(this.people, cap, Shared.int32)
    this.textStart = grown(this.textStart, cap, Shared.float64)
    this.idLen = grown(this.idLen, cap, Shared.uint8)
    this.nameLen = grown(this.nameLen, cap, Shared.uint8)
    this.checksumLen = grown(this.checksumLen, cap, Shared.uint8)
    this.takenLen = grown(this.takenLen, cap, Shared.uint8)
    this.createdLen = grown(this.createdLen, cap, Shared.uint8)
    this.thumbLen = grown(this.thumbLen, cap, Shared.uint8)
    this.packing = grown(this.packing, cap, Shared.uint8)
    this.takenStyle = grown(this.takenStyle, cap, Shared.uint8)
    this.createdStyle = grown(this.createdStyle, cap, Shared.uint8)
    this.thumbHead = grown(this.thumbHead, cap, Shared.int32)
    this.wallMs = grown(this.wallMs, cap, Shared.float64)
    this.createdMs = grown(this.createdMs, cap, Shared.float64)
    this.offset = grown(this.offset, cap, Shared.int16)
    this.zoneShift = grown(this.zoneShift, cap, Shared.int16)
    this.rating.resize(cap)
    this.width.resize(cap)
    this.height.resize(cap)
    this.fileSize.resize(cap)
    this.faceCount.resize(cap)
    this.bits = grown(this.bits, cap, Shared.uint8)
    this.hashKind = grown(this.hashKind, cap, Shared.uint8)
    this.profile = grown(this.profile, cap, Shared.int32)
    for (const col of Object.values(this.sparse)) col?.resize(cap)
    for (const col of this.metrics.values()) col.resize(cap)
    this.capacity = cap
  }

  private setSparse(field: SparseField, i: number, v: string): void {
    let col = this.sparse[field]
    if (col === undefined) {
      col = new SparseText(this.capacity)
      this.sparse[field] = col
    }
    col.set(i, v)
  }

  /** A sparse column's value, or null. */
  sparseOf(field: SparseField, i: number): string | null {
    return this.sparse[field]?.get(i) ?? null
  }

  /**
   * Thumbnail URLs are long (pre-signed) and mostly one pattern: the asset id inside a shared head,
   * then a unique signature. Keep the head once (with the id as a placeholder) and only the tail here.
   */
  private pushThumbnail(i: number, id: string, url: string | null): void {
    if (url === null) {
      this.thumbHead[i] = -1
      this.thumbLen[i] = 0
      return
    }
    if (url.includes(ID_MARK)) {
      // Cannot be templated safely: keep it whole.
      this.thumbHead[i] = -2
      this.setLength(this.thumbLen, 4, i, this.text.append(url))
      return
    }
    // head = url up to its last "=", with the id (if inside the head) replaced by ID_MARK. Looked up
    // as (before id, after id) through nested maps, so no head string is built per asset; and most
    // often it is the last asset's head, recognised in place with no text cut out at all.
    const eq = url.lastIndexOf("=")
    const headEnd = eq < 0 ? url.length : eq + 1
    const found = url.indexOf(id)
    const at = found >= 0 && found + id.length <= headEnd ? found : -1
    let code: number | undefined
    const last = this.lastThumb
    if (
      last !== undefined &&
      last.at === at &&
      url.startsWith(last.before) &&
      (at < 0
        ? headEnd === last.before.length
        : headEnd - at - id.length === last.after.length && url.startsWith(last.after, at + id.length))
    )
      code = last.code
    else {
      const before = at < 0 ? url.slice(0, headEnd) : url.slice(0, at)
      const after = at < 0 ? "" : url.slice(at + id.length, headEnd)
      let inner = this.thumbCodes.get(before)
      code = inner?.get(at < 0 ? NO_ID : after)
      if (code === undefined && this.thumbHeads.length < MAX_THUMB_HEADS) {
        code = this.thumbHeads.length
        this.thumbHeads.push(at < 0 ? before : before + ID_MARK + after)
        if (inner === undefined) {
          inner = new Map()
          this.thumbCodes.set(before, inner)
        }
        inner.set(at < 0 ? NO_ID : after, code)
      }
      if (code !== undefined) this.lastThumb = { at, before, after, code }
    }
    if (code === undefined) {
      this.thumbHead[i] = -2
      this.setLength(this.thumbLen, 4, i, this.text.append(url))
      return
    }
    this.thumbHead[i] = code
    const hcase = hexCase(url, headEnd)
    if (hcase === 0) this.setLength(this.thumbLen, 4, i, this.text.append(url.slice(headEnd)))
    else {
      this.packing[i]! |= hcase << 1
      this.setLength(this.thumbLen, 4, i, this.text.appendHex(url, headEnd))
    }
  }

  private setLength(column: Uint8Array, field: number, i: number, length: number): void {
    if (length < LONG) column[i] = length
    else {
      column[i] = LONG
      this.longLengths.set(i * 8 + field, length)
    }
  }
  private lengthOf(column: Uint8Array, field: number, i: number): number {
    const l = column[i]!
    return l === LONG ? this.longLengths.get(i * 8 + field)! : l
  }
  /** Byte offsets of asset i's fields: name, checksum, taken, created, thumbnail, end. */
  private fieldStart(i: number, field: number): number {
    let at = this.textStart[i]! + this.lengthOf(this.idLen, 5, i)
    if (field > 0) at += this.lengthOf(this.nameLen, 0, i)
    if (field > 1) at += this.lengthOf(this.checksumLen, 1, i)
    if (field > 2) at += this.lengthOf(this.takenLen, 2, i)
    if (field > 3) at += this.lengthOf(this.createdLen, 3, i)
    return at
  }

  fileNameOf(i: number): string {
    return this.text.read(this.fieldStart(i, 0), this.lengthOf(this.nameLen, 0, i))
  }
  checksumOf(i: number): string {
    const at = this.fieldStart(i, 1)
    const length = this.lengthOf(this.checksumLen, 1, i)
    return (this.packing[i]! & 1) !== 0 ? this.text.base64At(at, length) : this.text.read(at, length)
  }
  /**
   * A hash of asset i's checksum and hash kind, read from its stored bytes (no string built): equal
   * checksums of one kind hash equal. Confirm a match with `sameChecksum`.
   */
  checksumHash(i: number): number {
    const seed = (this.packing[i]! & 1) | (this.hashKind[i]! << 1)
    return this.text.hash(this.fieldStart(i, 1), this.lengthOf(this.checksumLen, 1, i), seed)
  }
  /**
   * Whether assets i and j have the same checksum text of the same hash kind. Compared as stored: a
   * checksum is kept as bytes exactly when it is canonical base64, so equal texts are stored alike.
   */
  sameChecksum(i: number, j: number): boolean {
    if (this.hashKind[i] !== this.hashKind[j] || ((this.packing[i]! ^ this.packing[j]!) & 1) !== 0)
      return false
    const length = this.lengthOf(this.checksumLen, 1, i)
    return (
      length === this.lengthOf(this.checksumLen, 1, j) &&
      this.text.equal(this.fieldStart(i, 1), this.fieldStart(j, 1), length)
    )
  }
  takenRawOf(i: number): string {
    const style = this.takenStyle[i]!
    if (style !== NOT_REBUILDABLE) return formatStyled(this.wallMs[i]!, this.offsetOf(i), style)
    return this.text.read(this.fieldStart(i, 2), this.lengthOf(this.takenLen, 2, i))
  }
  createdAtOf(i: number): string {
    const style = this.createdStyle[i]!
    if (style !== NOT_REBUILDABLE) return formatStyled(this.createdMs[i]!, null, style)
    return this.text.read(this.fieldStart(i, 3), this.lengthOf(this.createdLen, 3, i))
  }
  hasThumbnail(i: number): boolean {
    return this.thumbHead[i] !== -1
  }
  /** Asset i's thumbnail URL; `id` is its id when the caller has read it already. */
  thumbnailOf(i: number, id?: string): string | null {
    const code = this.thumbHead[i]!
    if (code === -1) return null
    const at = this.fieldStart(i, 4)
    const length = this.lengthOf(this.thumbLen, 4, i)
    const hcase = (this.packing[i]! >> 1) & 3
    const tail =
      hcase === 0
        ? this.text.read(at, length)
        : hcase === 2
          ? this.text.hexAt(at, length).toUpperCase()
          : this.text.hexAt(at, length)
    if (code === -2) return tail
    // The head around the id's place, split once per head (no search-and-replace per asset).
    let parts = this.thumbParts[code]
    if (parts === undefined) {
      const head = this.thumbHeads[code]!
      const mark = head.indexOf(ID_MARK)
      parts = mark < 0 ? [head, null] : [head.slice(0, mark), head.slice(mark + 1)]
      this.thumbParts[code] = parts
    }
    return parts[1] === null ? parts[0] + tail : parts[0] + (id ?? this.idOf(i)) + parts[1] + tail
  }

  /** Releases spare capacity once every asset has been added. */
  seal(): void {
    this.text.trim()
    for (const col of Object.values(this.sparse)) col?.seal()
    // Columns keep their spare rows (at most a third): cutting them to size would copy every column
    // at once, a larger transient peak than the rows it gives back.
  }

  /** Appends one asset; returns its ordinal. */
  push(p: Projected): number {
    if (this.count === this.capacity) this.grow()
    const i = this.count++
    this.albums[i] = this.lists.code(p.albums)
    this.people[i] = this.lists.code(p.people)
    const text = this.text
    // One record per asset, never split across arena chunks: reserve its worst-case size first.
    const bound =
      3 * (p.id.length + p.fileName.length + p.checksum.length + p.takenRaw.length + p.createdAt.length) +
      3 * (p.thumbnailUrl?.length ?? 0)
    this.textStart[i] = text.reserve(bound)
    this.packing[i] = 0
    if (LONE_SURROGATE.test(p.id)) {
      this.oddIds.set(i, p.id)
      this.idLen[i] = 0
    } else this.setLength(this.idLen, 5, i, text.append(p.id))
    this.setLength(this.nameLen, 0, i, text.append(p.fileName))
    // A canonical base64 checksum is kept as its bytes.
    let checksumLength = text.appendBase64(p.checksum)
    if (checksumLength >= 0) this.packing[i] = 1
    else checksumLength = text.append(p.checksum)
    this.setLength(this.checksumLen, 1, i, checksumLength)
    // Times are kept as numbers plus a layout byte when that rebuilds the text exactly.
    const takenStyle = styleOf(p.takenRaw, p.wallMs, p.takenOffset)
    this.takenStyle[i] = takenStyle
    this.setLength(this.takenLen, 2, i, takenStyle === NOT_REBUILDABLE ? text.append(p.takenRaw) : 0)
    // createdMs is the instant; for `Z` and naive times that is also the wall clock.
    const createdStyle = styleOf(p.createdAt, p.createdMs, null)
    const zone = createdStyle >> 6
    const rebuildable = createdStyle !== NOT_REBUILDABLE && zone <= 1
    this.createdStyle[i] = rebuildable ? createdStyle : NOT_REBUILDABLE
    this.setLength(this.createdLen, 3, i, rebuildable ? 0 : text.append(p.createdAt))
    this.pushThumbnail(i, p.id, p.thumbnailUrl)
    this.index[i] = p.index
    this.wallMs[i] = p.wallMs
    this.createdMs[i] = p.createdMs
    this.offset[i] = p.takenOffset ?? NO_OFFSET
    this.zoneShift[i] = p.zoneShift ?? NO_OFFSET
    this.rating.set(i, p.rating ?? Number.NaN)
    this.width.set(i, p.width ?? Number.NaN)
    this.height.set(i, p.height ?? Number.NaN)
    this.fileSize.set(i, p.fileSize ?? Number.NaN)
    this.faceCount.set(i, p.faceCount)
    this.bits[i] =
      (p.cameraTime ? CAMERA_TIME : 0) |
      (p.hasExif ? HAS_EXIF : 0) |
      (p.hasGps ? HAS_GPS : 0) |
      (p.favorite ? FAVORITE : 0)
    for (const _ in p.metrics) {
      this.bits[i]! |= HAS_METRICS
      break
    }
    this.hashKind[i] = HASH_KINDS.indexOf(p.hashKind)
    this.profile[i] = this.profileOf(
      this.code(p.mimeType),
      this.code(p.deviceId),
      this.code(p.camera),
      this.code(p.cameraKey)
    )
    for (const k in p.metrics) {
      let col = this.metrics.get(k)
      if (col === undefined) {
        col = new MetricColumn(this.capacity)
        this.metrics.set(k, col)
        this.metricList = undefined
      }
      col.set(i, p.metrics[k]!)
    }
    if (p.autoStackId !== null) this.setSparse("autoStackId", i, p.autoStackId)
    if (p.livePhotoCid !== null) this.setSparse("livePhotoCid", i, p.livePhotoCid)
    if (p.livePhotoVideoId !== null) this.setSparse("livePhotoVideoId", i, p.livePhotoVideoId)
    if (p.stackId !== null) this.setSparse("stackId", i, p.stackId)
    if (p.duplicateId !== null) this.setSparse("duplicateId", i, p.duplicateId)
    if (p.description !== null) this.setSparse("description", i, p.description)
    return i
  }

  cameraTime(i: number): boolean {
    return (this.bits[i]! & CAMERA_TIME) !== 0
  }
  hasExif(i: number): boolean {
    return (this.bits[i]! & HAS_EXIF) !== 0
  }
  hasGps(i: number): boolean {
    return (this.bits[i]! & HAS_GPS) !== 0
  }
  isFavorite(i: number): boolean {
    return (this.bits[i]! & FAVORITE) !== 0
  }
  hasMetrics(i: number): boolean {
    return (this.bits[i]! & HAS_METRICS) !== 0
  }
  kindOf(i: number): HashKind {
    return HASH_KINDS[this.hashKind[i]!]!
  }
  mimeOf(i: number): string {
    return this.strings.values[this.mimeCode(i)]!
  }
  ratingOf(i: number): number | null {
    const r = this.rating.get(i)
    return Number.isNaN(r) ? null : r
  }
  offsetOf(i: number): number | null {
    const o = this.offset[i]!
    return o === NO_OFFSET ? null : o
  }
  zoneShiftOf(i: number): number | null {
    const z = this.zoneShift[i]!
    return z === NO_OFFSET ? null : z
  }
  metricsOf(i: number): Readonly<Record<string, number>> {
    let out: Record<string, number> | undefined
    // The columns as a list, made once per change (no entry array per column and asset).
    this.metricList ??= [...this.metrics]
    const list = this.metricList
    for (let c = 0; c < list.length; c++) {
      const [k, col] = list[c]!
      const v = col.get(i)
      if (!Number.isNaN(v)) {
        out ??= Object.create(null) as Record<string, number>
        out[k] = v
      }
    }
    return out ?? EMPTY_METRICS
  }
  /** Number of assets. */
  get length(): number {
    return this.count
  }
  idOf(i: number): string {
    if (this.oddIds.size > 0) {
      const odd = this.oddIds.get(i)
      if (odd !== undefined) return odd
    }
    return this.text.read(this.textStart[i]!, this.lengthOf(this.idLen, 5, i))
  }
  /** Orders assets i and j by id as `<` on the id strings does (compared in place when ASCII). */
  compareIds(i: number, j: number): number {
    // Ids kept whole (not in the arena) are compared as strings; one in the album does not slow the rest.
    if (this.oddIds.size === 0 || (!this.oddIds.has(i) && !this.oddIds.has(j))) {
      const c = this.text.compareAscii(
        this.textStart[i]!,
        this.lengthOf(this.idLen, 5, i),
        this.textStart[j]!,
        this.lengthOf(this.idLen, 5, j)
      )
      if (c !== undefined) return c
    }
    const a = this.idOf(i)
    const b = this.idOf(j)
    return a < b ? -1 : a > b ? 1 : 0
  }
  /**
   * Sorts asset ordinals in place by id, in `compareIds` order. Ids mostly differ within a few bytes
   * after the prefix they all share (`asset_`), so each is keyed by those bytes and the keys are
   * sorted natively; only ids with equal keys are compared in full. (A comparator sort of the ≈460k
   * ungrouped assets took ≈0.6 s at 1M, alone on one core.) Odd ids or non-ASCII key bytes compare in full.
   */
  sortByIds(ordinals: Int32Array): void {
    const n = ordinals.length
    const compare = (i: number, j: number) => this.compareIds(i, j)
    if (n < 2 || this.oddIds.size > 0 || n > KEYED_SORT_MAX) {
      ordinals.sort(compare)
      return
    }
    const start = (i: number) => this.textStart[i]!
    const length = (i: number) => this.lengthOf(this.idLen, 5, i)
    const first = ordinals[0]!
    let shared = length(first)
    for (let k = 1; k < n && shared > 0; k++) {
      shared = this.text.commonPrefix(
        start(first),
        start(ordinals[k]!),
        Math.min(shared, length(ordinals[k]!))
      )
    }
    // Each entry: the key's 28 bits above the entry's position (exact in a double, sorted natively).
    const keyed = new Float64Array(n)
    for (let k = 0; k < n; k++) {
      const i = ordinals[k]!
      const key = this.text.asciiKey(start(i), length(i), shared)
      if (key < 0) {
        ordinals.sort(compare)
        return
      }
      keyed[k] = key * KEYED_SORT_MAX + k
    }
    keyed.sort()
    const before = ordinals.slice()
    for (let k = 0; k < n; k++) ordinals[k] = before[keyed[k]! % KEYED_SORT_MAX]!
    // Runs of equal keys, in full.
    for (let from = 0; from < n; ) {
      const key = Math.floor(keyed[from]! / KEYED_SORT_MAX)
      let to = from + 1
      while (to < n && Math.floor(keyed[to]! / KEYED_SORT_MAX) === key) to++
      if (to - from > 1) ordinals.subarray(from, to).sort(compare)
      from = to
    }
  }
  /** Whether asset i's id is `id` (compared in place: no string built). */
  idIs(i: number, id: string): boolean {
    if (this.oddIds.size > 0) {
      const odd = this.oddIds.get(i)
      if (odd !== undefined) return odd === id
    }
    return this.text.equals(this.textStart[i]!, this.lengthOf(this.idLen, 5, i), id)
  }
  albumsOf(i: number): ReadonlyArray<string> {
    return this.lists.at(this.albums[i]!)
  }
  /** Replaces the albums of asset `i` (a repeated id listed in another album). */
  setAlbums(i: number, albums: ReadonlyArray<string>): void {
    this.albums[i] = this.lists.code(albums)
  }
  /** Names of the people in asset `i` (a shared, frozen list). */
  peopleOf(i: number): ReadonlyArray<string> {
    return this.lists.at(this.people[i]!)
  }
  /** Position in its input of the asset's first occurrence. */
  inputIndexOf(i: number): number {
    return this.index[i]!
  }
  /** Capture wall clock as epoch ms read as UTC. */
  wallMsOf(i: number): number {
    return this.wallMs[i]!
  }
  /** Upload instant in epoch ms. */
  createdMsOf(i: number): number {
    return this.createdMs[i]!
  }
  /** Interned code of make + model + device (-1 without camera EXIF): equal codes, same camera. */
  cameraKeyOf(i: number): number {
    return this.profiles[4 * this.profile[i]! + 3]!
  }
  /** Interned code of the device id: equal codes, same device. */
  deviceCodeOf(i: number): number {
    return this.deviceCode(i)
  }
  deviceOf(i: number): string {
    return this.strings.values[this.deviceCode(i)]!
  }
  cameraOf(i: number): string | null {
    return this.str(this.cameraCode(i))
  }
  /** Code of the checksum's hash kind: checksums of different kinds never match. */
  hashKindCodeOf(i: number): number {
    return this.hashKind[i]!
  }
  /** Interned code of the MIME type: equal codes, same type. */
  mimeCodeOf(i: number): number {
    return this.mimeCode(i)
  }
  widthOf(i: number): number | null {
    return nullIfNaN(this.width.get(i))
  }
  heightOf(i: number): number | null {
    return nullIfNaN(this.height.get(i))
  }
  fileSizeOf(i: number): number | null {
    return nullIfNaN(this.fileSize.get(i))
  }
  faceCountOf(i: number): number {
    return this.faceCount.get(i)
  }
  /** Metric names in order of first appearance. */
  metricNames(): ReadonlyArray<string> {
    return [...this.metrics.keys()]
  }
  /** A reader of one metric (NaN where missing), or undefined when no asset has it. */
  metricReader(name: string): ((i: number) => number) | undefined {
    const col = this.metrics.get(name)
    return col === undefined ? undefined : (i) => col.get(i)
  }
  /** The values of one metric that assets have (missing ones dropped), in asset order. */
  metricValues(name: string): Float64Array {
    const col = this.metrics.get(name)
    return col === undefined ? new Float64Array(0) : col.present(this.count)
  }

  /** The view of asset `i`: its whole projection, rebuilt from the columns. */
  view(i: number): Projected {
    const zs = this.zoneShift[i]!
    const bits = this.bits[i]!
    return {
      id: this.idOf(i),
      index: this.index[i]!,
      albums: this.albumsOf(i),
      fileName: this.fileNameOf(i),
      mimeType: this.mimeOf(i),
      checksum: this.checksumOf(i),
      hashKind: this.kindOf(i),
      takenRaw: this.takenRawOf(i),
      wallMs: this.wallMs[i]!,
      takenOffset: this.offsetOf(i),
      cameraTime: (bits & CAMERA_TIME) !== 0,
      camera: this.cameraOf(i),
      cameraKey: this.str(this.cameraKeyOf(i)),
      deviceId: this.deviceOf(i),
      autoStackId: this.sparseOf("autoStackId", i),
      livePhotoCid: this.sparseOf("livePhotoCid", i),
      livePhotoVideoId: this.sparseOf("livePhotoVideoId", i),
      stackId: this.sparseOf("stackId", i),
      duplicateId: this.sparseOf("duplicateId", i),
      rating: this.ratingOf(i),
      favorite: (bits & FAVORITE) !== 0,
      metrics: this.metricsOf(i),
      width: this.widthOf(i),
      height: this.heightOf(i),
      fileSize: this.fileSizeOf(i),
      hasExif: (bits & HAS_EXIF) !== 0,
      hasGps: (bits & HAS_GPS) !== 0,
      description: this.sparseOf("description", i),
      people: this.peopleOf(i),
      faceCount: this.faceCountOf(i),
      thumbnailUrl: this.thumbnailOf(i),
      createdAt: this.createdAtOf(i),
      createdMs: this.createdMs[i]!,
      zoneShift: zs === NO_OFFSET ? null : zs
    }
  }

  /**
   * The public `AssetInfo` of asset `i`, built from the columns in one object (no intermediate
   * projection), with its place in shots, groups and scoring given by the caller. `shot` is the
   * ordinal of its shot's primary asset (most often `i` itself, whose id is then read once).
   */
  info(
    i: number,
    shot: number,
    groupId: string | null,
    score: number | null,
    flags: AssetInfo["flags"]
  ): AssetInfo {
    const bits = this.bits[i]!
    const id = this.idOf(i)
    const wallMs = this.wallMs[i]!
    return {
      id,
      index: this.index[i]!,
      albums: this.albumsOf(i),
      fileName: this.fileNameOf(i),
      mimeType: this.mimeOf(i),
      checksum: this.checksumOf(i),
      takenAt: { raw: this.takenRawOf(i), wall: wallString(wallMs), offsetMinutes: this.offsetOf(i) },
      cameraTime: (bits & CAMERA_TIME) !== 0,
      camera: this.cameraOf(i),
      deviceId: this.deviceOf(i),
      autoStackId: this.sparseOf("autoStackId", i),
      livePhotoCid: this.sparseOf("livePhotoCid", i),
      rating: this.ratingOf(i),
      favorite: (bits & FAVORITE) !== 0,
      metrics: (bits & HAS_METRICS) !== 0 ? this.metricsOf(i) : EMPTY_METRICS,
      width: this.widthOf(i),
      height: this.heightOf(i),
      fileSize: this.fileSizeOf(i),
      hasExif: (bits & HAS_EXIF) !== 0,
      hasGps: (bits & HAS_GPS) !== 0,
      description: this.sparseOf("description", i),
      people: this.peopleOf(i),
      faceCount: this.faceCountOf(i),
      thumbnailUrl: this.thumbnailOf(i, id),
      createdAt: this.createdAtOf(i),
      shotId: shot === i ? id : this.idOf(shot),
      groupId,
      score,
      flags
    }
  }
}

/**
 * A text field most assets lack, as codes into its distinct values (0: none). A stack's id is shared
 * by every shot in it and a live pair's id by both halves, so each is kept once, and no holey array of
 * values spans the album (at 1M assets the heap was ≈23 MB smaller while writing). The codes sit in a
 * map while few assets have the field (a description or two), in a column of every row past that.
 */
class SparseText {
  static revive(received: unknown): SparseText {
    const o = Shared.revived(received, SparseText)
    Shared.revived(o.distinct, Codes)
    if (o.packed !== undefined) UuidTexts.revive(o.packed)
    return o
  }

  private few: Map<number, number> | undefined = new Map()
  private codes: Int32Array | undefined
  /** Its distinct values while assets are added; a row holds a value's code + 1. */
  private distinct = new Codes<string>()
  /** The same values once sealed, UUIDs kept as bytes. */
  private packed: UuidTexts | undefined

  constructor(private capacity: number) {}

  set(i: number, v: string): void {
    if (this.packed !== undefined) this.unpack()
    const c = this.distinct.code(v) + 1
    if (this.codes !== undefined) this.codes[i] = c
    else {
      const few = this.few!
      few.set(i, c)
      // A map entry costs several times a column's 4 bytes a row: past 1 row in 16, the column is smaller.
      if (few.size > this.capacity >> 4) {
        this.codes = Shared.int32(this.capacity)
        for (const [row, code] of few) this.codes[row] = code
        this.few = undefined
      }
    }
  }

  get(i: number): string | null {
    const c = this.codes !== undefined ? this.codes[i]! : (this.few!.get(i) ?? 0)
    if (c === 0) return null
    return this.packed !== undefined ? this.packed.at(c - 1) : this.distinct.values[c - 1]!
  }

  resize(capacity: number): void {
    this.capacity = capacity
    if (this.codes !== undefined) this.codes = grown(this.codes, capacity, Shared.int32)
  }

  seal(): void {
    // Sealed again with nothing set since: already packed (the values are no longer in `distinct`).
    if (this.packed !== undefined) return
    this.packed = new UuidTexts(this.distinct.values)
    this.distinct = new Codes()
  }

  /** Back to values as text, for a value set after sealing (codes are kept: each value stays in place). */
  private unpack(): void {
    const packed = this.packed!
    for (let k = 0; k < packed.length; k++) this.distinct.values.push(packed.at(k))
    this.packed = undefined
  }
}

/** Missing, in a metric column of millionths. */
const NO_METRIC = -(2 ** 31)
const MILLIONTHS = 1e6

/**
 * One metric's values by row (NaN: missing). ML scores are short decimals (3.3631), kept as whole
 * millionths in 4 bytes a row while each value comes back exactly (`k / 1e6` is the double nearest
 * k millionths, as the parsed text was); the first value that would not (more decimals, past ±2147,
 * -0) turns the column into doubles.
 */
class MetricColumn {
  private millionths: Int32Array | undefined
  private doubles: Float64Array | undefined

  constructor(capacity: number) {
    this.millionths = Shared.int32(capacity).fill(NO_METRIC)
  }

  set(i: number, v: number): void {
    const m = this.millionths
    if (m !== undefined) {
      const k = Math.round(v * MILLIONTHS)
      if (k / MILLIONTHS === v && k > NO_METRIC && k < 2 ** 31 && !Object.is(v, -0)) {
        m[i] = k
        return
      }
      const doubles = Shared.float64(m.length)
      for (let r = 0; r < m.length; r++) doubles[r] = this.get(r)
      this.doubles = doubles
      this.millionths = undefined
    }
    this.doubles![i] = v
  }

  get(i: number): number {
    const m = this.millionths
    if (m === undefined) return this.doubles![i]!
    const k = m[i]!
    return k === NO_METRIC ? Number.NaN : k / MILLIONTHS
  }

  /** The values rows 0…count-1 have (missing ones dropped), in row order. */
  present(count: number): Float64Array {
    const m = this.millionths
    if (m === undefined) return withoutNaN(this.doubles!.subarray(0, count))
    let n = 0
    for (let r = 0; r < count; r++) if (m[r] !== NO_METRIC) n++
    const out = new Float64Array(n)
    for (let r = 0, j = 0; r < count; r++) if (m[r] !== NO_METRIC) out[j++] = m[r]! / MILLIONTHS
    return out
  }

  resize(capacity: number): void {
    if (this.millionths !== undefined)
      this.millionths = grown(this.millionths, capacity, Shared.int32, NO_METRIC)
    else this.doubles = grown(this.doubles!, capacity, Shared.float64, Number.NaN)
  }
}

/** Fields kept in sparse columns. */
export type SparseField =
  | "autoStackId"
  | "livePhotoCid"
  | "livePhotoVideoId"
  | "stackId"
  | "duplicateId"
  | "description"

const sameList = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean =>
  a.length === b.length && a.every((x, k) => x === b[k])

/** Most distinct lists remembered for sharing; past it a new list is kept as is (one per asset, as before). */
const MAX_SHARED_LISTS = 200_000

/**
 * String lists (albums, people) stored once each and referenced by code: 1M assets name few distinct
 * combinations, so a list per asset would repeat the same few hundred. Code 0 is the empty list.
 */
class ListTable {
  private readonly lists: Array<ReadonlyArray<string>> = [EMPTY]
  private readonly codes = new Map<string, number>()
  private last: ReadonlyArray<string> = EMPTY
  private lastCode = 0

  /** The code of a list with these elements, in this order. */
  code(list: ReadonlyArray<string>): number {
    if (list.length === 0) return 0
    if (list === this.last) return this.lastCode
    const key = list.join("\u0000")
    let c = this.codes.get(key)
    // The key is only a hint (an element may contain U+0000): a hit is confirmed element by element.
    if (c === undefined || !sameList(this.lists[c]!, list)) {
      c = this.lists.push(Object.isFrozen(list) ? list : Object.freeze(list.slice())) - 1
      if (this.codes.size < MAX_SHARED_LISTS && !this.codes.has(key)) this.codes.set(key, c)
    }
    this.last = list
    this.lastCode = c
    return c
  }

  /** The list of a code. */
  at(code: number): ReadonlyArray<string> {
    return this.lists[code]!
  }
}

/**
 * A number column for values that are almost always small integers (ratings, pixel sizes, file sizes,
 * face counts): an integer array as narrow as they allow, with the lowest value marking a missing
 * one (NaN) and the next one a value kept aside exactly (a fraction, -0, or out of range).
 */
class IntColumn {
  private data: Int8Array | Int16Array | Int32Array
  private readonly missing: number
  private readonly aside: number
  private readonly max: number
  private readonly wide = new Map<number, number>()

  constructor(make: (n: number) => Int8Array | Int16Array | Int32Array, capacity: number) {
    this.data = make(capacity)
    const bits = this.data.BYTES_PER_ELEMENT * 8
    this.missing = -(2 ** (bits - 1))
    this.aside = this.missing + 1
    this.max = 2 ** (bits - 1) - 1
  }

  /** Stores `v` (NaN: missing) at row i. */
  set(i: number, v: number): void {
    if (Number.isNaN(v)) this.data[i] = this.missing
    else if (Number.isInteger(v) && v > this.aside && v <= this.max && !Object.is(v, -0)) this.data[i] = v
    else {
      this.data[i] = this.aside
      this.wide.set(i, v)
    }
  }

  /** The value at row i (NaN: missing). */
  get(i: number): number {
    const x = this.data[i]!
    return x === this.missing ? Number.NaN : x === this.aside ? this.wide.get(i)! : x
  }

  /** Moves the rows into an array of `capacity` rows. */
  resize(capacity: number): void {
    this.data = grown(this.data, capacity, (n) => Shared.like(this.data, n))
  }
}
