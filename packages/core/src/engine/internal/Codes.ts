/**
 * Distinct values numbered in order of first appearance: a value that repeats across assets or groups
 * (a MIME type, a reason, a stack id, an evidence list) is kept once and referred to by its code.
 */
export class Codes<T> {
  /** The values, by code. */
  readonly values: Array<T> = []
  private readonly index = new Map<T, number>()

  /** The code of `value`, numbering it if new. */
  code(value: T): number {
    let c = this.index.get(value)
    if (c === undefined) {
      c = this.values.push(value) - 1
      this.index.set(value, c)
    }
    return c
  }
}
