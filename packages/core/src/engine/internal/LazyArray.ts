/**
 * A read-only array whose elements are built on access. `Analysis.assets` uses it so a 1M-asset
 * analysis does not hold 1M objects: each access rebuilds a small plain object from column storage.
 * `Array.isArray`, indexing, `length`, iteration, every array method and `JSON.stringify` behave as for
 * a real array; elements are fresh objects on each access, and writes are refused.
 */

const isIndex = (prop: string | symbol, length: number): number => {
  if (typeof prop !== "string" || prop.length === 0 || prop.length > 16) return -1
  const c = prop.charCodeAt(0)
  if (c < 48 || c > 57 || (c === 48 && prop.length > 1)) return -1
  const n = Number(prop)
  return Number.isInteger(n) && n < length ? n : -1
}

/** A read-only array of `length` elements where element `i` is `at(i)`. */
export const lazyArray = <T>(length: number, at: (i: number) => T): ReadonlyArray<T> => {
  // A sparse array of `length` holes: V8 keeps holes this far apart in a dictionary, where
  // `target.length = length` would allocate a slot per element (8 MB at 1M) that is never used.
  const target: Array<T> = []
  if (length > 0) {
    target[length - 1] = undefined as T
    delete target[length - 1]
  }
  // `for…of`, spread and `Array.from` take this iterator: it calls `at` directly instead of going
  // through the `get` trap twice per element (`length`, then the index) as `Array.prototype.values` does.
  const iterate = (): IterableIterator<T> => {
    let i = 0
    return {
      next: (): IteratorResult<T> =>
        i < length ? { value: at(i++), done: false } : { value: undefined, done: true },
      [Symbol.iterator]() {
        return this
      }
    }
  }
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (prop === Symbol.iterator) return iterate
      const i = isIndex(prop, length)
      return i >= 0 ? at(i) : Reflect.get(t, prop, receiver)
    },
    has(t, prop) {
      return isIndex(prop, length) >= 0 || Reflect.has(t, prop)
    },
    getOwnPropertyDescriptor(t, prop) {
      const i = isIndex(prop, length)
      return i >= 0
        ? { value: at(i), writable: false, enumerable: true, configurable: true }
        : Reflect.getOwnPropertyDescriptor(t, prop)
    },
    ownKeys(t) {
      const keys: Array<string | symbol> = []
      for (let i = 0; i < length; i++) keys.push(String(i))
      for (const k of Reflect.ownKeys(t)) if (typeof k !== "string" || isIndex(k, length) < 0) keys.push(k)
      return keys
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false
  })
}
