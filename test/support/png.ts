/**
 * A tiny PNG encoder (RGB, 8-bit) for test thumbnails, so reports show pictures with no network.
 */
import { deflateSync } from "node:zlib"

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

const crc32 = (bytes: Uint8Array): number => {
  let c = 0xffffffff
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

const chunk = (type: string, data: Uint8Array): Buffer => {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, "ascii")
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** Encodes `width`×`height` pixels given by `pixel(x, y) => [r, g, b]`. */
export const encodePng = (
  width: number,
  height: number,
  pixel: (x: number, y: number) => readonly [number, number, number]
): Buffer => {
  const raw = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1)
    raw[row] = 0
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y)
      raw[row + 1 + x * 3] = r
      raw[row + 2 + x * 3] = g
      raw[row + 3 + x * 3] = b
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array(0))
  ])
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)))

/** A landscape-like picture (sky, sun, hills) varied by `seed`; `shift` moves the sun, `blur` softens it. */
export const scenePng = (
  seed: number,
  options: { shift?: number; dim?: number; blur?: number } = {}
): Buffer => {
  const w = 240
  const h = 180
  const hue = (seed * 47) % 360
  const sky1 = hsl(hue, 0.55, 0.72)
  const sky2 = hsl((hue + 30) % 360, 0.6, 0.5)
  const hill = hsl((hue + 150) % 360, 0.35, 0.32)
  const hill2 = hsl((hue + 120) % 360, 0.3, 0.22)
  const sunX = 60 + ((seed * 37) % 120) + (options.shift ?? 0)
  const sunY = 55 + ((seed * 13) % 30)
  const dim = options.dim ?? 1
  const blur = options.blur ?? 1.5
  return encodePng(w, h, (x, y) => {
    const t = y / h
    let c = [
      sky1[0] * (1 - t) + sky2[0] * t,
      sky1[1] * (1 - t) + sky2[1] * t,
      sky1[2] * (1 - t) + sky2[2] * t
    ]
    const d = Math.hypot(x - sunX, y - sunY)
    const sun = Math.max(0, Math.min(1, (22 - d) / blur))
    c = c.map((v, i) => v * (1 - sun) + [255, 236, 190][i]! * sun)
    const ridge1 = 120 + 18 * Math.sin((x + seed * 11) / 23) + 8 * Math.sin(x / 7 + seed)
    const ridge2 = 145 + 12 * Math.sin((x + seed * 5) / 31)
    if (y > ridge1) c = [...hill]
    if (y > ridge2) c = [...hill2]
    return [clamp(c[0]! * dim), clamp(c[1]! * dim), clamp(c[2]! * dim)] as const
  })
}

const hsl = (h: number, s: number, l: number): [number, number, number] => {
  const k = (n: number) => (n + h / 30) % 12
  const a = s * Math.min(l, 1 - l)
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)))
  return [f(0) * 255, f(8) * 255, f(4) * 255]
}
