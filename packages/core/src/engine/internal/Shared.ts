/**
 * Columns in shared memory. The asset store, the ranking and the analysis' per-asset columns are
 * allocated on `SharedArrayBuffer`s, so another thread can read them where they are (a report written
 * on the second core) without a copy: at 1M assets the store is ≈230 MB. Reading and writing them on
 * their own thread costs the same as on ordinary typed arrays.
 */

type TypedColumn = Int8Array | Int16Array | Int32Array | Uint8Array | Float64Array

interface ColumnType<T extends TypedColumn> {
  new (buffer: SharedArrayBuffer): T
  readonly BYTES_PER_ELEMENT: number
}

const make =
  <T extends TypedColumn>(type: ColumnType<T>) =>
  (n: number): T =>
    new type(new SharedArrayBuffer(n * type.BYTES_PER_ELEMENT))

export const int8 = make(Int8Array)
export const int16 = make(Int16Array)
export const int32 = make(Int32Array)
export const uint8 = make(Uint8Array)
export const float64 = make(Float64Array)

/** A shared column of `n` rows of the same type as `a`. */
export const like = <T extends TypedColumn>(a: T, n: number): T =>
  new (a.constructor as ColumnType<T>)(new SharedArrayBuffer(n * a.BYTES_PER_ELEMENT))

/** A shared copy of `a`. */
export const copy = <T extends TypedColumn>(a: T): T => {
  const b = like(a, a.length)
  b.set(a)
  return b
}

/**
 * An object another thread received (a structured clone: own fields copied, shared memory shared, the
 * prototype lost) made an instance of `type` again. Its class's methods then read it as they would here.
 */
export const revived = <T>(received: unknown, type: { readonly prototype: T }): T =>
  Object.setPrototypeOf(received, type.prototype as object) as T
