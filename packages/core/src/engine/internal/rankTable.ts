/**
 * The compact, immutable ranking of every group, filled once while the pipeline ranks each group
 * exactly once: numbers in typed arrays, reasons as codes into one table of distinct strings. A
 * `Group` object is rebuilt from it on demand (cheap: no ranking, no asset text), so a 1M-asset album
 * keeps no member objects and a read never re-runs the analysis.
 */
import type { DecidedBy, Evidence, Group, GroupKind, Member } from "../../Analysis.js"
import { RECOMMENDATIONS } from "../../Analysis.js"
import { wallString } from "../CaptureTime.js"
import { isMergeable, type RankedGroup } from "../Ranking.js"
import type { AssetTable } from "./assetTable.js"

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

/** Appends ranked groups, then `seal` to get the immutable `RankTable`. */
export class RankTableBuilder {
  private readonly heads: Array<GroupHead> = []
  private readonly memberStart: Array<number> = [0]
  private readonly keeper: Array<number> = []
  private readonly reclaimable: Array<number> = []
  private readonly fromMs: Array<number> = []
  private readonly toMs: Array<number> = []
  private readonly asset: Array<number> = []
  private readonly shot: Array<number> = []
  private readonly rank: Array<number> = []
  private readonly score: Array<number> = []
  private readonly margin: Array<number> = []
  private readonly recommendation: Array<number> = []
  private readonly reasonStart: Array<number> = [0]
  private readonly loseStart: Array<number> = [0]
  private readonly codes: Array<number> = []
  private readonly loseCodes: Array<number> = []
  private readonly strings: Array<string> = []
  private readonly stringCodes = new Map<string, number>()

  private code(s: string): number {
    let c = this.stringCodes.get(s)
    if (c === undefined) {
      c = this.strings.push(s) - 1
      this.stringCodes.set(s, c)
    }
    return c
  }

  /** Adds one ranked group; returns its index. */
  add(head: GroupHead, ranked: RankedGroup): number {
    const g = this.heads.push(head) - 1
    this.keeper.push(ranked.keeperOrdinal)
    this.reclaimable.push(ranked.reclaimableBytes)
    this.fromMs.push(ranked.startMs)
    this.toMs.push(ranked.endMs)
    ranked.members.forEach((m, k) => {
      this.asset.push(ranked.ordinals[k]!)
      this.shot.push(ranked.shotOrdinals[k]!)
      this.rank.push(m.rank)
      this.score.push(m.score ?? Number.NaN)
      this.margin.push(m.margin ?? Number.NaN)
      this.recommendation.push(RECOMMENDATIONS.indexOf(m.recommendation))
      for (const r of m.reasons) this.codes.push(this.code(r))
      this.reasonStart.push(this.codes.length)
      // What would be lost, mergeable or not: `isMergeable` splits them again when read.
      for (const l of [...m.wouldLose, ...(m.wouldMerge ?? [])]) this.loseCodes.push(this.code(l))
      this.loseStart.push(this.loseCodes.length)
    })
    this.memberStart.push(this.asset.length)
    return g
  }

  /** The finished, immutable ranking. */
  seal(table: AssetTable): RankTable {
    return new RankTable(table, {
      heads: this.heads,
      memberStart: Int32Array.from(this.memberStart),
      keeper: Int32Array.from(this.keeper),
      reclaimable: Float64Array.from(this.reclaimable),
      fromMs: Float64Array.from(this.fromMs),
      toMs: Float64Array.from(this.toMs),
      asset: Int32Array.from(this.asset),
      shot: Int32Array.from(this.shot),
      rank: Int32Array.from(this.rank),
      score: Float64Array.from(this.score),
      margin: Float64Array.from(this.margin),
      recommendation: Uint8Array.from(this.recommendation),
      reasonStart: Int32Array.from(this.reasonStart),
      loseStart: Int32Array.from(this.loseStart),
      codes: Int32Array.from(this.codes),
      loseCodes: Int32Array.from(this.loseCodes),
      strings: this.strings
    })
  }
}

interface Columns {
  readonly heads: ReadonlyArray<GroupHead>
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
}

const nullIfNaN = (x: number): number | null => (Number.isNaN(x) ? null : x)

/** Every group's ranking, read-only. */
export class RankTable {
  constructor(
    private readonly table: AssetTable,
    private readonly c: Columns
  ) {}

  /** Number of groups. */
  get length(): number {
    return this.c.heads.length
  }

  /** The id of group `g`. */
  idOf(g: number): string {
    return this.c.heads[g]!.id
  }

  /** Earliest member wall clock of group `g`, in ms. */
  startMsOf(g: number): number {
    return this.c.fromMs[g]!
  }

  /** Group `g` as the public `Group`, rebuilt from the compact ranking. */
  group(g: number): Group {
    const c = this.c
    const head = c.heads[g]!
    const members: Array<Member> = []
    for (let m = c.memberStart[g]!; m < c.memberStart[g + 1]!; m++) {
      members.push({
        assetId: this.table.idOf(c.asset[m]!),
        shotId: this.table.idOf(c.shot[m]!),
        rank: c.rank[m]!,
        score: nullIfNaN(c.score[m]!),
        margin: nullIfNaN(c.margin[m]!),
        recommendation: RECOMMENDATIONS[c.recommendation[m]!]!,
        reasons: this.strings(c.codes, c.reasonStart[m]!, c.reasonStart[m + 1]!),
        ...splitLose(this.strings(c.loseCodes, c.loseStart[m]!, c.loseStart[m + 1]!))
      })
    }
    return {
      id: head.id,
      kind: head.kind,
      evidence: head.evidence,
      shotCount: head.shotCount,
      members,
      keeper: this.table.idOf(c.keeper[g]!),
      reclaimableBytes: c.reclaimable[g]!,
      timeSpan: { from: wallString(c.fromMs[g]!), to: wallString(c.toMs[g]!) },
      decidedBy: head.decidedBy,
      notes: head.notes
    }
  }

  private strings(codes: Int32Array, from: number, to: number): Array<string> {
    const out: Array<string> = []
    for (let k = from; k < to; k++) out.push(this.c.strings[codes[k]!]!)
    return out
  }
}

/** Would-lose items apart: what cannot be merged, and what `apply` merges into the keeper. */
const splitLose = (all: ReadonlyArray<string>) => ({
  wouldLose: all.filter((x) => !isMergeable(x)),
  wouldMerge: all.filter(isMergeable)
})
