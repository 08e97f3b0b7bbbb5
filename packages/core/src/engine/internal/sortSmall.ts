/**
 * `Array#sort` for the many tiny arrays of the analysis (most groups and shots have two members):
 * up to `SMALL` elements are sorted in place by insertion, as stable as the built-in sort and so in
 * the same order, without the copy the built-in sort makes on every call.
 */

/** Past this length the built-in sort (merge-based, O(n log n)) is used. */
const SMALL = 12

/** Sorts `a` in place by `cmp` (stable), like `a.sort(cmp)`; returns `a`. */
export const sortSmall = <T>(a: Array<T>, cmp: (x: T, y: T) => number): Array<T> => {
  if (a.length > SMALL) return a.sort(cmp)
  for (let k = 1; k < a.length; k++) {
    const x = a[k]!
    let j = k
    // Moves x before every earlier element that must follow it (strictly): equal ones keep their order.
    while (j > 0 && cmp(x, a[j - 1]!) < 0) {
      a[j] = a[j - 1]!
      j--
    }
    a[j] = x
  }
  return a
}
