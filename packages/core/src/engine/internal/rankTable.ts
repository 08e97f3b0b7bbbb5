/**
 * The compact, immutable ranking of every group, filled once while the pipeline ranks each group
 * exactly once: numbers in typed arrays, reasons as codes into one table of distinct strings. A
 * `Group` object is rebuilt from it on demand (cheap: no ranking, no asset text), so a 1M-asset album
 * keeps no member objects and a read never re-runs the analysis.
 */
import type {
  DecidedBy,
  Evidence,
  Group,
  GroupKind,
  GroupOutline,
  Member,
  Recommendation
} from "../../Analysis.js"
import { GROUP_KINDS, RECOMMENDATIONS } from "../../Analysis.js"
import { wallString } from "../CaptureTime.js"
import type { RankSink } from "../Ranking.js"
import { AssetTable } from "./assetTable.js"
import { Codes } from "./Codes.js"
import { EMPTY } from "./Interner.js"
import { isMergeable } from "./mergeable.js"
import { hexDigits } from "./Packing.js"
import * as Shared from "./Shared.js"

/** What a ranked group keeps besides its members. */
interface GroupHead {
  readonly id: string
  readonly kind: GroupKind
  readonly evidence: ReadonlyArray<Evidence>
  readonly shotCount: number
  /** Who decided the group, and notes about earlier decisions (see `Group`). */
  readonly decidedBy: DecidedBy
  readonly notes: ReadonlyArray<string>
}

type Typed = Int32Array | Float64Array | Uint8Array

/**
 * An append-only typed column (no boxed numbers, no array slack on the heap). Given the number it
 * will hold, it is allocated once and sealed without a copy: at 1M assets, doubling and then cutting
 * a dozen columns cost ≈60 MB at the pipeline's peak.
 */
class Column<T extends Typed> {
  private data: T
  length = 0

  constructor(make: (n: number) => T, expected = 256) {
    this.data = make(Math.max(1, expected))
  }

  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = Shared.like(this.data, this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = x
  }

  /** The value at `i` (below `length`). */
  at(i: number): number {
    return this.data[i]!
  }

  /** The values: the array itself when full, a view when little of it is spare, else a copy of exactly them. */
  seal(): T {
    const spare = this.data.length - this.length
    if (spare === 0) return this.data
    return (
      spare <= this.data.length / 8
        ? this.data.subarray(0, this.length)
        : Shared.copy(this.data.subarray(0, this.length))
    ) as T
  }
}

const int32 = (expected?: number) => new Column(Shared.int32, expected)
const uint8 = (expected?: number) => new Column(Shared.uint8, expected)
const float64 = (expected?: number) => new Column(Shared.float64, expected)

/**
 * Every group's head in columns: an object per group cost ≈70 bytes of heap (≈8 MB at 1M assets) for
 * fields that are mostly one of a few values. Evidence lists and notes are shared, kept once each.
 */
class GroupHeads {
  /**
   * Ids of the pipeline's form, `g-` and 14 hex digits (all but a collision's), as that number; NaN
   * marks an id kept as text in `oddIds`. At 1M assets the ≈100k id strings held ≈5 MB of heap in each
   * thread that reads the ranking.
   */
  private readonly idNumbers: Column<Float64Array>
  private readonly oddIds = new Map<number, string>()
  /** The last id built, as walks ask for one group's id once per member. */
  private lastGroup = -1
  private lastId = ""
  private readonly kinds: Column<Uint8Array>
  private readonly evidence: Column<Int32Array>
  private readonly shotCounts: Column<Int32Array>
  private readonly byYou: Column<Uint8Array>
  private readonly lists = new Codes<ReadonlyArray<Evidence>>()
  /** Notes of the few groups that have any. */
  private readonly notes = new Map<number, ReadonlyArray<string>>()

  static revive(received: unknown): GroupHeads {
    const heads = Shared.revived(received, GroupHeads)
    for (const column of [heads.idNumbers, heads.kinds, heads.evidence, heads.shotCounts, heads.byYou])
      Shared.revived(column, Column)
    Shared.revived(heads.lists, Codes)
    return heads
  }

  constructor(groups: number) {
    this.idNumbers = float64(groups)
    this.kinds = uint8(groups)
    this.evidence = int32(groups)
    this.shotCounts = int32(groups)
    this.byYou = uint8(groups)
  }

  add(head: GroupHead): void {
    const g = this.idNumbers.length
    const n = idNumber(head.id)
    this.idNumbers.push(n)
    if (Number.isNaN(n)) this.oddIds.set(g, head.id)
    this.kinds.push(GROUP_KINDS.indexOf(head.kind))
    this.evidence.push(this.lists.code(head.evidence))
    this.shotCounts.push(head.shotCount)
    this.byYou.push(head.decidedBy === "you" ? 1 : 0)
    if (head.notes.length > 0) this.notes.set(g, head.notes)
  }

  get length(): number {
    return this.idNumbers.length
  }
  idOf(g: number): string {
    if (g !== this.lastGroup) {
      const n = this.idNumbers.at(g)
      this.lastId = Number.isNaN(n) ? this.oddIds.get(g)! : idText(n)
      this.lastGroup = g
    }
    return this.lastId
  }
  /** Group `g`'s head as given (a new object each time). */
  get(g: number): GroupHead {
    return {
      id: this.idOf(g),
      kind: GROUP_KINDS[this.kinds.at(g)]!,
      evidence: this.lists.values[this.evidence.at(g)]!,
      shotCount: this.shotCounts.at(g),
      decidedBy: this.byYou.at(g) === 1 ? "you" : "suggested",
      notes: this.notes.get(g) ?? EMPTY
    }
  }
}

/** The char codes of the last id written (see `idText`). */
const ID_CODES = Array.from("g-00000000000000", (c) => c.charCodeAt(0))

/**
 * A group id of the pipeline's form from its number (see `Grouping`: `g-` and `hashHex`), digit by
 * digit into one flat string: `toString(16)` of a number past 32 bits takes V8's slow path (≈0.8 µs).
 */
const idText = (n: number): string => {
  const digits = hexDigits(1)
  let high = Math.floor(n / 2 ** 32)
  let low = n >>> 0
  for (let k = 15; k >= 8; k--, low >>>= 4) ID_CODES[k] = digits[low & 15]!
  for (let k = 7; k >= 2; k--, high >>>= 4) ID_CODES[k] = digits[high & 15]!
  return String.fromCharCode.apply(null, ID_CODES)
}

/** The number of an id of the pipeline's form (one `idText` gives back exactly), else NaN. */
const idNumber = (id: string): number => {
  if (id.length !== 16 || !id.startsWith("g-")) return Number.NaN
  const n = Number.parseInt(id.slice(2), 16)
  return Number.isSafeInteger(n) && idText(n) === id ? n : Number.NaN
}

/**
 * Collects ranked groups: `Ranking` writes each group's members into it (as a `RankSink`), the
 * pipeline adds each group's head; then `seal` gives the immutable `RankTable`.
 */
export class RankTableBuilder implements RankSink {
  private readonly heads: GroupHeads
  private readonly memberStart: Column<Int32Array>
  private readonly keeper: Column<Int32Array>
  private readonly reclaimable: Column<Float64Array>
  private readonly fromMs: Column<Float64Array>
  private readonly toMs: Column<Float64Array>
  private readonly asset: Column<Int32Array>
  private readonly shot: Column<Int32Array>
  private readonly rank: Column<Int32Array>
  private readonly score: Column<Float64Array>
  private readonly margin: Column<Float64Array>
  private readonly recommendation: Column<Uint8Array>
  private readonly reasonStart: Column<Int32Array>
  private readonly loseStart: Column<Int32Array>
  private readonly codes: Column<Int32Array>
  private readonly loseCodes: Column<Int32Array>
  private readonly texts = new Codes<string>()

  /** `groups` and `members`: how many will be written (sizes the columns once; more still fit). */
  constructor(groups = 256, members = 256) {
    this.heads = new GroupHeads(groups)
    this.memberStart = int32(groups + 1)
    this.keeper = int32(groups)
    this.reclaimable = float64(groups)
    this.fromMs = float64(groups)
    this.toMs = float64(groups)
    this.asset = int32(members)
    this.shot = int32(members)
    this.rank = int32(members)
    this.score = float64(members)
    this.margin = float64(members)
    this.recommendation = uint8(members)
    this.reasonStart = int32(members + 1)
    this.loseStart = int32(members + 1)
    // About two reasons a member (a verdict and a comparison); would-lose items are rare.
    this.codes = int32(2 * members + 256)
    this.loseCodes = int32()
    this.memberStart.push(0)
  }

  code(text: string): number {
    return this.texts.code(text)
  }

  member(
    asset: number,
    shot: number,
    rank: number,
    score: number,
    margin: number,
    recommendation: Recommendation
  ): void {
    this.asset.push(asset)
    this.shot.push(shot)
    this.rank.push(rank)
    this.score.push(score)
    this.margin.push(margin)
    this.recommendation.push(RECOMMENDATIONS.indexOf(recommendation))
    // Member m's reasons and would-lose items run from its start to the next member's.
    this.reasonStart.push(this.codes.length)
    this.loseStart.push(this.loseCodes.length)
  }

  reason(code: number): void {
    this.codes.push(code)
  }

  /** Would-lose items, mergeable or not: `isMergeable` splits them again when read. */
  lose(code: number): void {
    this.loseCodes.push(code)
  }

  endGroup(keeper: number, reclaimableBytes: number, fromMs: number, toMs: number): void {
    this.keeper.push(keeper)
    this.reclaimable.push(reclaimableBytes)
    this.fromMs.push(fromMs)
    this.toMs.push(toMs)
    this.memberStart.push(this.asset.length)
  }

  /** Adds the head of a group (in the order the groups are ranked). */
  head(head: GroupHead): void {
    this.heads.add(head)
  }

  /** The finished, immutable ranking; `canMergeGps` as the ranking judged it (see `isMergeable`). */
  seal(table: AssetTable, canMergeGps = true): RankTable {
    this.reasonStart.push(this.codes.length)
    this.loseStart.push(this.loseCodes.length)
    return new RankTable(table, {
      heads: this.heads,
      memberStart: this.memberStart.seal(),
      keeper: this.keeper.seal(),
      reclaimable: this.reclaimable.seal(),
      fromMs: this.fromMs.seal(),
      toMs: this.toMs.seal(),
      asset: this.asset.seal(),
      shot: this.shot.seal(),
      rank: this.rank.seal(),
      score: this.score.seal(),
      margin: this.margin.seal(),
      recommendation: this.recommendation.seal(),
      reasonStart: this.reasonStart.seal(),
      loseStart: this.loseStart.seal(),
      codes: this.codes.seal(),
      loseCodes: this.loseCodes.seal(),
      strings: this.texts.values,
      canMergeGps
    })
  }
}

interface Columns {
  readonly heads: GroupHeads
  readonly memberStart: Int32Array
  readonly keeper: Int32Array
  readonly reclaimable: Float64Array
  readonly fromMs: Float64Array
  readonly toMs: Float64Array
  readonly asset: Int32Array
  readonly shot: Int32Array
  readonly rank: Int32Array
  readonly score: Float64Array
  readonly margin: Float64Array
  readonly recommendation: Uint8Array
  readonly reasonStart: Int32Array
  readonly loseStart: Int32Array
  readonly codes: Int32Array
  readonly loseCodes: Int32Array
  readonly strings: ReadonlyArray<string>
  readonly canMergeGps: boolean
}

const nullIfNaN = (x: number): number | null => (Number.isNaN(x) ? null : x)

/** Every group's ranking, read-only. */
export class RankTable {
  /** Each text as a one-reason list, made on first use and shared by every member with just that reason. */
  private readonly single: Array<ReadonlyArray<string> | undefined> = []

  constructor(
    private readonly table: AssetTable,
    private readonly c: Columns
  ) {}

  /**
   * A ranking another thread received (a structured clone, its columns in the same shared memory), made
   * a ranking again with its asset table. Read it only.
   */
  static revive(received: unknown): RankTable {
    const ranking = Shared.revived(received, RankTable)
    AssetTable.revive(ranking.table)
    GroupHeads.revive(ranking.c.heads)
    return ranking
  }

  /** Number of groups. */
  get length(): number {
    return this.c.heads.length
  }

  /** The asset table the ranking reads. */
  get assetTable(): AssetTable {
    return this.table
  }

  /** The id of group `g`. */
  idOf(g: number): string {
    return this.c.heads.idOf(g)
  }

  /** Earliest member wall clock of group `g`, in ms. */
  startMsOf(g: number): number {
    return this.c.fromMs[g]!
  }

  /** Number of members of all groups. */
  get memberCount(): number {
    return this.c.asset.length
  }

  /** Member m's asset ordinal (members are numbered across groups, in group and rank order). */
  assetAt(m: number): number {
    return this.c.asset[m]!
  }

  /** Member m's recommendation. */
  recommendationAt(m: number): Recommendation {
    return RECOMMENDATIONS[this.c.recommendation[m]!]!
  }

  /** Bytes that group `g`'s discards free. */
  reclaimableOf(g: number): number {
    return this.c.reclaimable[g]!
  }

  /** Group `g` as the public `Group`, rebuilt from the compact ranking. */
  group(g: number): Group {
    const c = this.c
    const head = c.heads.get(g)
    const members: Array<Member> = []
    const keeperOrdinal = c.keeper[g]!
    let keeper: string | undefined
    for (let m = c.memberStart[g]!; m < c.memberStart[g + 1]!; m++) {
      const asset = c.asset[m]!
      const shot = c.shot[m]!
      // Each id read once: a member is most often its own shot, and the keeper is a member.
      const assetId = this.table.idOf(asset)
      if (asset === keeperOrdinal) keeper = assetId
      // Most members lose nothing and have one reason: those lists are shared (frozen), not rebuilt.
      let wouldLose: ReadonlyArray<string> = EMPTY
      let wouldMerge: ReadonlyArray<string> = EMPTY
      if (c.loseStart[m]! < c.loseStart[m + 1]!) {
        const lose: Array<string> = []
        const merge: Array<string> = []
        for (let k = c.loseStart[m]!; k < c.loseStart[m + 1]!; k++) {
          const item = c.strings[c.loseCodes[k]!]!
          if (isMergeable(item, c.canMergeGps)) merge.push(item)
          else lose.push(item)
        }
        wouldLose = lose
        wouldMerge = merge
      }
      members.push({
        assetId,
        shotId: shot === asset ? assetId : this.table.idOf(shot),
        rank: c.rank[m]!,
        score: nullIfNaN(c.score[m]!),
        margin: nullIfNaN(c.margin[m]!),
        recommendation: RECOMMENDATIONS[c.recommendation[m]!]!,
        reasons: this.strings(c.codes, c.reasonStart[m]!, c.reasonStart[m + 1]!),
        wouldLose,
        wouldMerge
      })
    }
    return {
      id: head.id,
      kind: head.kind,
      evidence: head.evidence,
      shotCount: head.shotCount,
      members,
      keeper: keeper ?? this.table.idOf(keeperOrdinal),
      reclaimableBytes: c.reclaimable[g]!,
      timeSpan: { from: wallString(c.fromMs[g]!), to: wallString(c.toMs[g]!) },
      decidedBy: head.decidedBy,
      notes: head.notes
    }
  }

  /** Group `g`'s keeper ordinal, and its members' ordinals (in member order) passed to `each`. */
  ordinals(g: number, each: (ordinal: number) => void): number {
    const c = this.c
    for (let m = c.memberStart[g]!; m < c.memberStart[g + 1]!; m++) each(c.asset[m]!)
    return c.keeper[g]!
  }

  /** Group `g`'s id, keeper and member asset ids only (see `Pipeline.groupOutlines`). */
  outline(g: number): GroupOutline {
    const { c, table } = this
    const from = c.memberStart[g]!
    const to = c.memberStart[g + 1]!
    return {
      id: c.heads.idOf(g),
      keeper: table.idOf(c.keeper[g]!),
      // Built when read: a walk that needs only the groups' ids (a run's group index) builds no
      // member ids, ≈0.5M strings at 1M assets.
      get memberIds(): ReadonlyArray<string> {
        const ids: Array<string> = []
        for (let m = from; m < to; m++) ids.push(table.idOf(c.asset[m]!))
        return ids
      }
    }
  }

  private strings(codes: Int32Array, from: number, to: number): ReadonlyArray<string> {
    if (to - from === 1) {
      const code = codes[from]!
      this.single[code] ??= Object.freeze([this.c.strings[code]!])
      return this.single[code]
    }
    const out: Array<string> = []
    for (let k = from; k < to; k++) out.push(this.c.strings[codes[k]!]!)
    return out
  }
}
