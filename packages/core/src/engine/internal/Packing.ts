/**
 * Byte packings for the text arena: a canonical base64 checksum as its raw bytes (44 → 32), and a
 * hex signature as its bytes (48 → 24). Each packing is used only when unpacking rebuilds the exact text.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
const VALUE = new Int16Array(128).fill(-1)
for (let k = 0; k < ALPHABET.length; k++) VALUE[ALPHABET.charCodeAt(k)] = k

/**
 * The bytes of canonical padded base64 text into `out` from `at` (room for `s.length / 4 * 3` bytes):
 * their number, or -1 when Node's encoder would not give the same text back (wrong length, other
 * alphabet, bad padding, or non-zero unused bits; bytes may have been written, none are claimed).
 */
export const decodeBase64Into = (s: string, out: Uint8Array, at: number): number => {
  const len = s.length
  if (len === 0 || len % 4 !== 0) return -1
  const pad = s.charCodeAt(len - 1) === 61 ? (s.charCodeAt(len - 2) === 61 ? 2 : 1) : 0
  let o = at
  const body = len - pad
  let n = 0
  let k = 0
  for (; k < body; k++) {
    const c = s.charCodeAt(k)
    const v = c < 128 ? VALUE[c]! : -1
    if (v < 0) return -1
    n = (n << 6) | v
    if ((k & 3) === 3) {
      out[o++] = (n >> 16) & 255
      out[o++] = (n >> 8) & 255
      out[o++] = n & 255
      n = 0
    }
  }
  // The final quantum: 2 chars (pad 2) carry 8 bits, 3 chars (pad 1) carry 16; the rest must be zero.
  if (pad === 2) {
    if ((n & 15) !== 0) return -1
    out[o++] = (n >> 4) & 255
  } else if (pad === 1) {
    if ((n & 3) !== 0) return -1
    out[o++] = (n >> 10) & 255
    out[o++] = (n >> 2) & 255
  }
  return o - at
}

/** Hex text case (of `s` from `from` on): 1 lowercase, 2 uppercase, 0 not packable (odd length, mixed case, other characters). */
export const hexCase = (s: string, from = 0): number => {
  if (s.length === from || (s.length - from) % 2 !== 0) return 0
  let lower = false
  let upper = false
  for (let k = from; k < s.length; k++) {
    const c = s.charCodeAt(k)
    if (c >= 97 && c <= 102) lower = true
    else if (c >= 65 && c <= 70) upper = true
    else if (c < 48 || c > 57) return 0
  }
  return lower && upper ? 0 : upper ? 2 : 1
}

const LOWER_DIGITS = Array.from("0123456789abcdef", (c) => c.charCodeAt(0))
const UPPER_DIGITS = Array.from("0123456789ABCDEF", (c) => c.charCodeAt(0))

/**
 * The char codes of the 16 hex digits, in a case as `hexCase` numbers them (2 uppercase, else
 * lowercase): for ids written into reused arrays of char codes and made one flat string. Built by
 * concatenation, an id would be a tree of pieces (a heap object each), and at 1M assets that raised
 * the peak by ≈30 MB.
 */
export const hexDigits = (hcase: number): ReadonlyArray<number> => (hcase === 2 ? UPPER_DIGITS : LOWER_DIGITS)

const nibble = (c: number) => (c <= 57 ? c - 48 : c <= 70 ? c - 55 : c - 87)

/** The bytes of hex digits `s[from…]` (any case; `hexCase` must have accepted them) into `out` from `at`; their count. */
export const decodeHexInto = (s: string, from: number, out: Uint8Array, at: number): number => {
  const n = (s.length - from) / 2
  for (let k = 0; k < n; k++)
    out[at + k] = (nibble(s.charCodeAt(from + 2 * k)) << 4) | nibble(s.charCodeAt(from + 2 * k + 1))
  return n
}
