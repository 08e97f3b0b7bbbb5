// The floor's splitter: walks the bytes of a top-level JSON array and hands each element's
// bytes to JSON.parse. It is the reference "just parse it" cost the benchmark compares against,
// so it stays minimal: no validation beyond what JSON.parse does, no projection.

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const OPEN_OBJ = 0x7b
const CLOSE_OBJ = 0x7d
const OPEN_ARR = 0x5b
const CLOSE_ARR = 0x5d

const isSpace = (c) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09

/** Index of the quote closing the string whose opening quote is at `i`, or -1 if not in `buf`. */
function stringEnd(buf, i) {
  let j = i + 1
  for (;;) {
    j = buf.indexOf(QUOTE, j) // native search: strings are most of the bytes
    if (j === -1) return -1
    let k = j - 1
    while (buf[k] === BACKSLASH) k--
    if ((j - 1 - k) % 2 === 0) return j
    j++
  }
}

/**
 * Calls `onItem(value)` for every element of the top-level array in `stream` (an async iterable
 * of Buffers). Returns the number of elements.
 */
export async function splitArray(stream, onItem) {
  let carry = null // bytes of an element that started in an earlier chunk
  let depth = 0 // 0 = before the top-level array, 1 = inside it, >1 = inside an element
  let count = 0
  for await (const chunk of stream) {
    // An element cut by the chunk boundary is rescanned from its start: simpler than saving
    // the scanner's state, and the carried bytes are at most one element.
    const buf = carry === null ? chunk : Buffer.concat([carry, chunk])
    if (carry !== null) depth = 1
    carry = null
    let start = -1
    let i = 0
    const n = buf.length
    while (i < n) {
      const c = buf[i]
      if (depth === 1) {
        if (isSpace(c) || c === COMMA) {
          i++
          continue
        }
        if (c === CLOSE_ARR) {
          depth = 0
          i++
          continue
        }
        start = i
        if (c !== OPEN_OBJ && c !== OPEN_ARR) {
          // A scalar element (null, a number, a string): ends at the next , or ] outside strings.
          let j = i
          if (c === QUOTE) {
            j = stringEnd(buf, i)
            if (j === -1) break
            j++
          }
          while (j < n && buf[j] !== COMMA && buf[j] !== CLOSE_ARR) j++
          if (j === n) break
          onItem(JSON.parse(buf.toString("utf8", start, j)))
          count++
          start = -1
          i = j
          continue
        }
        depth = 2
        i++
        continue
      }
      if (c === QUOTE) {
        const j = stringEnd(buf, i)
        if (j === -1) break
        i = j + 1
        continue
      }
      if (c === OPEN_OBJ || c === OPEN_ARR) depth++
      else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        depth--
        if (depth === 1) {
          onItem(JSON.parse(buf.toString("utf8", start, i + 1)))
          count++
          start = -1
        }
      }
      i++
    }
    if (start !== -1) carry = buf.subarray(start)
  }
  return count
}
