/**
 * `Array#sort` for the many tiny arrays of the analysis (most groups and shots have two members):
 * two elements are compared once in place, as the built-in sort would, without its per-call state.
 */

/** Sorts `a` in place by `cmp` (stable), like `a.sort(cmp)`; returns `a`. */
export const sortSmall = <T>(a: Array<T>, cmp: (x: T, y: T) => number): Array<T> => {
  if (a.length === 2) {
    // The built-in sort moves the second element first exactly when cmp(second, first) < 0.
    const first = a[0]!
    const second = a[1]!
    if (cmp(second, first) < 0) {
      a[0] = second
      a[1] = first
    }
    return a
  }
  return a.length < 2 ? a : a.sort(cmp)
}
