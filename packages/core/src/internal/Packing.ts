/**
 * Byte packings for the text arena: a canonical base64 checksum as its raw bytes (44 → 32), and a
 * hex signature as its bytes (48 → 24). Each packing is used only when unpacking rebuilds the exact text.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
const VALUE = new Int16Array(128).fill(-1)
for (let k = 0; k < ALPHABET.length; k++) VALUE[ALPHABET.charCodeAt(k)] = k

/** Standard base64 with padding. */
export const encodeBase64 = (bytes: Uint8Array): string => {
  let out = ""
  let k = 0
  for (; k + 2 < bytes.length; k += 3) {
    const n = (bytes[k]! << 16) | (bytes[k + 1]! << 8) | bytes[k + 2]!
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!
  }
  const rest = bytes.length - k
  if (rest === 1) {
    const n = bytes[k]! << 16
    out += `${ALPHABET[n >> 18]!}${ALPHABET[(n >> 12) & 63]!}==`
  } else if (rest === 2) {
    const n = (bytes[k]! << 16) | (bytes[k + 1]! << 8)
    out += `${ALPHABET[n >> 18]!}${ALPHABET[(n >> 12) & 63]!}${ALPHABET[(n >> 6) & 63]!}=`
  }
  return out
}

/** The bytes of canonical padded base64 text, or undefined when `encodeBase64` would not give it back. */
export const decodeBase64 = (s: string): Uint8Array | undefined => {
  if (s.length === 0 || s.length % 4 !== 0) return undefined
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0
  const out = new Uint8Array((s.length / 4) * 3 - pad)
  let o = 0
  for (let k = 0; k < s.length; k += 4) {
    let n = 0
    for (let j = 0; j < 4; j++) {
      const c = s.charCodeAt(k + j)
      const v = c === 61 && k + j >= s.length - pad ? 0 : c < 128 ? VALUE[c]! : -1
      if (v < 0) return undefined
      n = (n << 6) | v
    }
    if (o < out.length) out[o++] = (n >> 16) & 255
    if (o < out.length) out[o++] = (n >> 8) & 255
    if (o < out.length) out[o++] = n & 255
  }
  return encodeBase64(out) === s ? out : undefined
}

/** Hex text case: 1 lowercase, 2 uppercase, 0 not packable (odd length, mixed case, other characters). */
export const hexCase = (s: string): number => {
  if (s.length === 0 || s.length % 2 !== 0) return 0
  let lower = false
  let upper = false
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k)
    if (c >= 97 && c <= 102) lower = true
    else if (c >= 65 && c <= 70) upper = true
    else if (c < 48 || c > 57) return 0
  }
  return lower && upper ? 0 : upper ? 2 : 1
}

const HEX_LOWER = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"))
const HEX_UPPER = HEX_LOWER.map((h) => h.toUpperCase())
const nibble = (c: number) => (c <= 57 ? c - 48 : c <= 70 ? c - 55 : c - 87)

/** The bytes of hex text (any case; `hexCase` must have accepted it). */
export const decodeHex = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length / 2)
  for (let k = 0; k < out.length; k++)
    out[k] = (nibble(s.charCodeAt(2 * k)) << 4) | nibble(s.charCodeAt(2 * k + 1))
  return out
}

/** Hex text of bytes in the given case (1 lower, 2 upper). */
export const encodeHex = (bytes: Uint8Array, hcase: number): string => {
  const table = hcase === 2 ? HEX_UPPER : HEX_LOWER
  let out = ""
  for (let k = 0; k < bytes.length; k++) out += table[bytes[k]!]!
  return out
}
