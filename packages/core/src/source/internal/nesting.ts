/**
 * A cap on how deeply one item may nest arrays and objects. Real assets nest a few levels; a value
 * thousands of levels deep would overflow the stack of any recursive reader downstream (schema
 * decoding, error formatting), so such an item is rejected on its own, before it gets there.
 */

/** The deepest nesting an item may have: 64 levels of arrays and objects. */
export const MAX_DEPTH = 64

/** The reason an item nested deeper than `MAX_DEPTH` is rejected with. */
export const TOO_DEEP = `nested more than ${MAX_DEPTH} levels deep`

/** Whether `root` nests arrays and objects more than `max` levels deep (iterative; cycles count as deep). */
export const exceedsDepth = (root: unknown, max = MAX_DEPTH): boolean => {
  if (typeof root !== "object" || root === null) return false
  const nodes: Array<object> = [root]
  const depths: Array<number> = [1]
  while (nodes.length > 0) {
    const node = nodes.pop()!
    const depth = depths.pop()!
    if (depth > max) return true
    const children = Array.isArray(node) ? node : Object.values(node)
    for (const child of children) {
      if (typeof child === "object" && child !== null) {
        nodes.push(child)
        depths.push(depth + 1)
      }
    }
  }
  return false
}

/**
 * Whether JSON text may nest more than `max` levels: it has more than `max` opening brackets. A
 * cheap native count (no allocation) that lets ordinary items skip `exceedsDepth`.
 */
export const mayExceedDepth = (text: string, max = MAX_DEPTH): boolean => {
  if (text.length <= 2 * max) return false
  let count = 0
  for (const bracket of ["[", "{"]) {
    let at = text.indexOf(bracket)
    while (at !== -1) {
      if (++count > max) return true
      at = text.indexOf(bracket, at + 1)
    }
  }
  return false
}

/**
 * `exceedsDepth` for a value `JSON.parse` made (plain objects and arrays, no cycles), in one
 * recursive walk with no arrays built: it runs for every item read in a batch. Recursion stops at
 * `max` levels, so the stack stays shallow. `for…in` visits exactly a parsed object's own keys
 * (unless something made `Object.prototype` enumerable properties, which would also break far more).
 */
export const nestsDeeper = (value: unknown, max = MAX_DEPTH): boolean =>
  typeof value === "object" && value !== null && containerNestsDeeper(value, max)

// Children are tested for being containers before the call: most are strings and numbers, and a
// call for each of them cost more than the walk itself.
const containerNestsDeeper = (node: object, max: number): boolean => {
  if (max === 0) return true
  if (Array.isArray(node)) {
    for (let k = 0; k < node.length; k++) {
      const child: unknown = node[k]
      if (typeof child === "object" && child !== null && containerNestsDeeper(child, max - 1)) return true
    }
    return false
  }
  const record = node as Record<string, unknown>
  for (const key in record) {
    const child = record[key]
    if (typeof child === "object" && child !== null && containerNestsDeeper(child, max - 1)) return true
  }
  return false
}
