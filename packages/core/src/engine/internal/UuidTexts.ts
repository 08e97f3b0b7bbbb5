/**
 * A fixed list of texts that are mostly UUIDs (burst, Live Photo and stack ids). A UUID in canonical
 * form (8-4-4-4-12 hex digits, all one case) is kept as its 16 bytes and written out again when read;
 * anything else is kept as given. At 1M assets ≈105k such ids held ≈5.6 MB of strings in each thread
 * that reads the asset store; as bytes they take 1.7 MB, shared between threads.
 */
import { decodeHexInto, hexCase, hexDigits } from "./Packing.js"
import * as Shared from "./Shared.js"

/** How text k is kept: as text, or as bytes of a lowercase or an uppercase UUID. */
const TEXT = 0
const LOWER = 1
const UPPER = 2

/** The UUID's hex digits without its hyphens (undefined when the text is not a canonical UUID). */
const uuidDigits = (s: string): string | undefined => {
  if (s.length !== 36) return undefined
  for (const at of [8, 13, 18, 23]) if (s.charCodeAt(at) !== 45) return undefined
  return s.slice(0, 8) + s.slice(9, 13) + s.slice(14, 18) + s.slice(19, 23) + s.slice(24)
}

/** The char codes of the last UUID written out (hyphens stay), and where its 32 digits go. */
const UUID_CODES = new Array<number>(36).fill(45)
const DIGIT_AT = Array.from({ length: 36 }, (_, at) => at).filter((at) => ![8, 13, 18, 23].includes(at))

export class UuidTexts {
  static revive(received: unknown): UuidTexts {
    return Shared.revived(received, UuidTexts)
  }

  private readonly bytes: Uint8Array
  private readonly form: Uint8Array
  /** The texts kept as given, by position. */
  private readonly texts = new Map<number, string>()
  /** The last text written out, as its members are read together. */
  private lastCode = -1
  private lastText = ""

  constructor(values: ReadonlyArray<string>) {
    this.bytes = Shared.uint8(16 * values.length)
    this.form = Shared.uint8(values.length)
    values.forEach((value, k) => {
      const digits = uuidDigits(value)
      const hcase = digits === undefined ? 0 : hexCase(digits)
      if (digits === undefined || hcase === 0) {
        this.texts.set(k, value)
        return
      }
      this.form[k] = hcase === 1 ? LOWER : UPPER
      decodeHexInto(digits, 0, this.bytes, 16 * k)
    })
  }

  get length(): number {
    return this.form.length
  }

  /** Text k, exactly as given. */
  at(k: number): string {
    const form = this.form[k]
    if (form === undefined) throw new RangeError(`no text ${k} of ${this.form.length}`)
    if (form === TEXT) return this.texts.get(k)!
    // The members of a burst or a Live Photo pair are read one after another.
    if (k === this.lastCode) return this.lastText
    const digits = hexDigits(form === UPPER ? 2 : 1)
    for (let b = 0; b < 16; b++) {
      const byte = this.bytes[16 * k + b]!
      UUID_CODES[DIGIT_AT[2 * b]!] = digits[byte >> 4]!
      UUID_CODES[DIGIT_AT[2 * b + 1]!] = digits[byte & 15]!
    }
    this.lastText = String.fromCharCode.apply(null, UUID_CODES)
    this.lastCode = k
    return this.lastText
  }
}
