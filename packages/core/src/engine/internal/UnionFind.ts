/** Disjoint sets over 0..n-1 with path halving and union by size: near-constant time per call. */
export class UnionFind {
  private readonly parent: Int32Array
  private readonly size: Int32Array

  constructor(n: number) {
    this.parent = new Int32Array(n)
    this.size = new Int32Array(n).fill(1)
    for (let i = 0; i < n; i++) this.parent[i] = i
  }

  /** The representative of `x`'s set. */
  find(x: number): number {
    const p = this.parent
    while (p[x]! !== x) {
      p[x] = p[p[x]!]!
      x = p[x]!
    }
    return x
  }

  /** Joins the sets of `a` and `b`; returns the new representative. */
  union(a: number, b: number): number {
    let ra = this.find(a)
    let rb = this.find(b)
    if (ra === rb) return ra
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra]
    this.parent[rb] = ra
    this.size[ra]! += this.size[rb]!
    return ra
  }
}
