#!/usr/bin/env node
/**
 * Deterministic generator for realistic albums shaped like the Gumnut seed endpoint
 * (`GET /api/albums/{album_id}/assets`), used for the bundled sample and for benchmarks.
 *
 * Usage:
 *   node scripts/generate-album.mjs --count 300 --seed 7 --out packages/cli/sample/album.json \
 *     [--thumbs packages/cli/sample/thumbs] [--ndjson | --page] [--invalid-rate 0.01]
 *
 * - Plain Node ESM, no dependencies. Same arguments give byte-identical output (seeded PRNG,
 *   no clock, no Math.random).
 * - Streams: assets are written one at a time with back-pressure, so 1M assets never build the
 *   whole JSON in memory. `--out -` writes to stdout.
 * - `--thumbs <dir>` writes one small SVG per shot into <dir> and points `thumbnail_url` at
 *   `thumbs/<file>` (relative to the report); without it, thumbnail URLs look like signed CDN links.
 * - The first events are a fixed showcase, so every case below exists in any album of >= 80 assets:
 *   singles; exact re-uploads from a second device (some with exif stripped); bursts with and
 *   without `auto_stack_id`; Live Photo and RAW+JPEG pairs, some inside bursts; two cameras in the
 *   same second; missing exif and metrics; ratings -1, 0 and 5; a time-zone anomaly; invalid items.
 */
import { once } from "node:events"
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs"
import { basename, join } from "node:path"
import { parseArgs } from "node:util"

const HELP = `generate-album: write a deterministic, realistic Gumnut-shaped album

  --count <n>          number of items to write (default 300)
  --seed <n>           PRNG seed (default 7)
  --out <file|->       output file, - for stdout (default -)
  --thumbs <dir>       write SVG thumbnails there; thumbnail_url becomes thumbs/<file>
  --ndjson             one asset per line instead of a JSON array
  --page               a cursor page {"data":[...],"has_more":false} instead of a bare array
  --invalid-rate <r>   share of invalid items after the showcase (default 0.004)
  --start <iso>        first capture time, local wall clock (default 2025-06-01T08:12:00)
`

// ---------------------------------------------------------------------------------------------
// PRNG (sfc32 seeded through splitmix32): fast, deterministic, good enough for test data.

const makeRng = (seed) => {
  let s = seed >>> 0
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
  let a = split()
  let b = split()
  let c = split()
  let d = split()
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) >>> 0
    return t / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  const rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    real: (lo, hi) => lo + next() * (hi - lo),
    chance: (p) => next() < p,
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    /** Roughly normal (Irwin-Hall of 4), clamped. */
    normal: (mean, sd, lo, hi) => {
      const z = (next() + next() + next() + next() - 2) * Math.sqrt(3)
      return Math.min(hi, Math.max(lo, mean + sd * z))
    },
    weighted: (entries) => {
      const total = entries.reduce((acc, [, w]) => acc + w, 0)
      let r = next() * total
      for (const [value, w] of entries) {
        r -= w
        if (r < 0) return value
      }
      return entries[entries.length - 1][0]
    },
    bytes: (n) => {
      const out = Buffer.alloc(n)
      for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256)
      return out
    }
  }
  return rng
}

// ---------------------------------------------------------------------------------------------
// Realistic identifiers and values.

// shortuuid's alphabet (no 0, 1, I, O, l).
const SHORTUUID = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

const shortId = (rng, prefix) => {
  let s = prefix
  for (let i = 0; i < 22; i++) s += SHORTUUID[Math.floor(rng.next() * SHORTUUID.length)]
  return s
}

const sha256b64 = (rng) => rng.bytes(32).toString("base64")

const hex = (rng, n) => rng.bytes(n).toString("hex")

const uuid = (rng) => {
  const h = hex(rng, 16).toUpperCase()
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-A${h.slice(17, 20)}-${h.slice(20, 32)}`
}

const pad = (n, w = 2) => String(n).padStart(w, "0")

/** A wall-clock instant kept as epoch-ms of the wall time (as if UTC) plus an offset in minutes. */
const fmtOffset = (min) => {
  if (min === 0) return "Z"
  const sign = min < 0 ? "-" : "+"
  const a = Math.abs(min)
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`
}

/** `2025-06-14T10:32:05.120000+02:00` (microseconds, as Gumnut's fixtures show). */
const fmtLocal = (wallMs, offsetMin) => {
  const d = new Date(wallMs)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes()
  )}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000${fmtOffset(offsetMin)}`
}

/** The same instant in UTC with `Z`, second precision (file and record times). */
const fmtUtc = (wallMs, offsetMin) =>
  new Date(wallMs - offsetMin * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z")

// ---------------------------------------------------------------------------------------------
// The world the album is set in.

const PEOPLE_NAMES = ["Ted", "Anna", "Maya", "Jonas", "Priya", "Luis", "Grandma Ruth", "Kenji"]

const PLACES = [
  { city: "Lisbon", state: "Lisbon", country: "Portugal", lat: 38.7223, lon: -9.1393, offset: 60 },
  { city: "Sintra", state: "Lisbon", country: "Portugal", lat: 38.8029, lon: -9.3817, offset: 60 },
  { city: "Porto", state: "Porto", country: "Portugal", lat: 41.1579, lon: -8.6291, offset: 60 },
  { city: "Barcelona", state: "Catalonia", country: "Spain", lat: 41.3874, lon: 2.1686, offset: 120 },
  { city: "Girona", state: "Catalonia", country: "Spain", lat: 41.9794, lon: 2.8214, offset: 120 },
  { city: "New York", state: "New York", country: "United States", lat: 40.7128, lon: -74.006, offset: -240 },
  {
    city: "Brooklyn",
    state: "New York",
    country: "United States",
    lat: 40.6782,
    lon: -73.9442,
    offset: -240
  },
  { city: "Kyoto", state: "Kyoto", country: "Japan", lat: 35.0116, lon: 135.7681, offset: 540 }
]

const DEVICES = {
  iphone: {
    deviceId: "teds-iphone",
    make: "Apple",
    model: "iPhone 15 Pro",
    lens: "iPhone 15 Pro back triple camera 6.765mm f/1.78",
    fNumber: 1.78,
    focal: 6.765,
    prefix: "IMG_",
    ext: "HEIC",
    mime: "image/heic",
    size: [1_400_000, 3_600_000],
    dims: [4032, 3024]
  },
  pixel: {
    deviceId: "anna-pixel8",
    make: "Google",
    model: "Pixel 8",
    lens: "Pixel 8 back camera 6.9mm f/1.68",
    fNumber: 1.68,
    focal: 6.9,
    prefix: "PXL_",
    ext: "jpg",
    mime: "image/jpeg",
    size: [2_000_000, 5_200_000],
    dims: [4080, 3072]
  },
  sony: {
    deviceId: "WEB",
    make: "SONY",
    model: "ILCE-7M4",
    lens: "FE 24-105mm F4 G OSS",
    fNumber: 4,
    focal: 50,
    prefix: "DSC",
    ext: "JPG",
    mime: "image/jpeg",
    rawExt: "ARW",
    rawMime: "image/x-sony-arw",
    size: [6_000_000, 14_000_000],
    rawSize: [24_000_000, 34_000_000],
    dims: [7008, 4672]
  },
  fuji: {
    deviceId: "WEB",
    make: "FUJIFILM",
    model: "X-T5",
    lens: "XF16-55mmF2.8 R LM WR",
    fNumber: 2.8,
    focal: 23,
    prefix: "DSCF",
    ext: "JPG",
    mime: "image/jpeg",
    rawExt: "RAF",
    rawMime: "image/x-fuji-raf",
    size: [8_000_000, 16_000_000],
    rawSize: [45_000_000, 60_000_000],
    dims: [7728, 5152]
  }
}

/** Devices that re-upload copies: a laptop sync, a messaging app export, the web uploader. */
const SECOND_DEVICES = [
  { deviceId: "anna-macbook", stripExif: false },
  { deviceId: "whatsapp-export", stripExif: true },
  { deviceId: "gumnut-device", stripExif: false }
]

// ---------------------------------------------------------------------------------------------
// Thumbnails: one small SVG per shot. A scene fixes palette and layout; each frame jitters the
// subject, exposure and blur, so a burst looks alike but not identical.

const PALETTES = [
  ["#87b5e5", "#f4d9a6", "#3f6d3a", "#c65d3b"],
  ["#f6a96b", "#fbe3b0", "#2e4a62", "#1d2b36"],
  ["#9fd3c7", "#ececec", "#385170", "#142d4c"],
  ["#ffd3b6", "#ffaaa5", "#6a8caf", "#4b3f72"],
  ["#b8e0f6", "#ffffff", "#7a9e7e", "#31493c"],
  ["#2b2d42", "#8d99ae", "#edf2f4", "#ef233c"],
  ["#e9c46a", "#f4a261", "#2a9d8f", "#264653"]
]

const makeScene = (rng) => ({
  palette: rng.pick(PALETTES),
  horizon: rng.int(55, 85),
  sun: { x: rng.int(20, 140), y: rng.int(12, 40), r: rng.int(6, 14) },
  hills: [rng.int(0, 60), rng.int(60, 120), rng.int(100, 160)],
  subject: rng.pick(["person", "tree", "house", "dog"]),
  subjectX: rng.int(35, 125)
})

const svgFor = (scene, frame) => {
  const [sky, sun, ground, subject] = scene.palette
  const dx = frame.dx
  const light = frame.exposure
  const blur = frame.blur > 0 ? ` filter="url(#b)"` : ""
  const defs =
    frame.blur > 0
      ? `<defs><filter id="b"><feGaussianBlur stdDeviation="${frame.blur}"/></filter></defs>`
      : ""
  const h = scene.horizon
  const sx = scene.subjectX + dx
  let fig = ""
  switch (scene.subject) {
    case "person":
      fig = `<circle cx="${sx}" cy="${h - 22}" r="6" fill="${subject}"/><rect x="${sx - 6}" y="${h - 16}" width="12" height="22" rx="4" fill="${subject}"/>`
      break
    case "tree":
      fig = `<rect x="${sx - 3}" y="${h - 14}" width="6" height="18" fill="#5b3a29"/><circle cx="${sx}" cy="${h - 24}" r="14" fill="${subject}"/>`
      break
    case "house":
      fig = `<rect x="${sx - 16}" y="${h - 20}" width="32" height="24" fill="${subject}"/><path d="M${sx - 20} ${h - 20}L${sx} ${h - 36}L${sx + 20} ${h - 20}Z" fill="#7a2e1f"/>`
      break
    default:
      fig = `<ellipse cx="${sx}" cy="${h - 6}" rx="14" ry="7" fill="${subject}"/><circle cx="${sx + 13}" cy="${h - 13}" r="5" fill="${subject}"/>`
  }
  const badge = frame.badge
    ? `<g><circle cx="146" cy="14" r="8" fill="rgba(0,0,0,.55)"/><text x="146" y="17.5" font-size="9" text-anchor="middle" fill="#fff" font-family="sans-serif">${frame.badge}</text></g>`
    : ""
  return `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="120" viewBox="0 0 160 120"><title>${frame.title}</title>${defs}<g${blur} opacity="${light.toFixed(
    2
  )}"><rect width="160" height="120" fill="${sky}"/><circle cx="${scene.sun.x}" cy="${scene.sun.y}" r="${scene.sun.r}" fill="${sun}"/><path d="M0 ${h}Q${scene.hills[0]} ${
    h - 18
  } ${scene.hills[1]} ${h - 4}T160 ${h - 10}V120H0Z" fill="${ground}"/>${fig}</g><rect width="160" height="120" fill="#000" opacity="${(
    1 - light
  ).toFixed(2)}"/>${badge}</svg>\n`
}

// ---------------------------------------------------------------------------------------------
// The generator proper: events (a single, a burst, a pair...) produce assets in time order.

const makeAlbum = (opts) => {
  const rng = makeRng(opts.seed)
  const people = PEOPLE_NAMES.map((name, i) => ({
    id: shortId(rng, "person_"),
    name: i === PEOPLE_NAMES.length - 1 && rng.chance(0.5) ? null : name,
    birth_date: i % 3 === 0 ? `19${rng.int(50, 99)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}` : null,
    is_hidden: false,
    is_favorite: i < 2,
    thumbnail_face_id: shortId(rng, "face_")
  }))
  const counters = { iphone: 4210, pixel: 0, sony: 1530, fuji: 8820 }
  let wall = Date.parse(`${opts.start}Z`)
  let place = PLACES[0]
  let uploadLagDays = 2
  let shotSeq = 0
  const recent = [] // recent assets that a re-upload may copy (bounded)

  const thumbFor = (scene, frame, name) => {
    if (opts.thumbs === undefined) return null
    const file = `${name}.svg`
    writeFileSync(join(opts.thumbs, file), svgFor(scene, { ...frame, title: `Sample thumbnail ${name}` }))
    return `thumbs/${file}`
  }

  const cdnUrl = (kind, id) =>
    `https://assets.gumnut.ai/${kind}/${id}.${kind === "thumbnails" ? "webp" : "bin"}?Expires=1893456000&Key-Pair-Id=K2JCJMDEHXQW5F&Signature=${hex(
      rng,
      24
    )}`

  const nextName = (dev) => {
    counters[dev] += 1
    const d = DEVICES[dev]
    if (dev === "pixel") {
      const t = new Date(wall)
      return `${d.prefix}${t.getUTCFullYear()}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}_${pad(
        t.getUTCHours()
      )}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())}${pad(counters[dev] % 1000, 3)}`
    }
    return `${d.prefix}${pad(counters[dev] % 10000, 4)}`
  }

  const metricsFor = (quality, kind) => {
    if (kind === "none") return null
    if (kind === "empty") return {}
    const m = { liqe_mix: Math.round(Math.min(5, Math.max(1, quality)) * 10000) / 10000 }
    if (kind === "both")
      m.clipiqa =
        Math.round(Math.min(1, Math.max(0, (quality - 1) / 4 + rng.real(-0.08, 0.08))) * 10000) / 10000
    if (kind === "nullish") m.clipiqa = null
    return m
  }

  const peopleFor = (n) => {
    const chosen = []
    for (let i = 0; i < n; i++) {
      const p = rng.pick(people)
      if (!chosen.includes(p)) chosen.push(p)
    }
    return chosen
  }

  /**
   * One asset. `shot` carries what companions and burst frames share: wall time, device, scene.
   */
  const makeAsset = (s) => {
    const d = DEVICES[s.dev]
    const id = shortId(rng, "asset_")
    const isRaw = s.role === "raw"
    const isVideo = s.role === "live_video" || s.role === "video"
    const ext = isRaw ? d.rawExt : isVideo ? "MOV" : d.ext
    const mime = isRaw ? d.rawMime : isVideo ? "video/quicktime" : d.mime
    const sizeRange = isRaw ? d.rawSize : isVideo ? [2_500_000, 9_000_000] : d.size
    const localMs = s.wall
    const createdMs = localMs + uploadLagDays * 86_400_000 + rng.int(60_000, 7_200_000)
    const fileName = `${s.name}.${ext}`
    const hasExif = s.exif !== false
    const gps = hasExif && s.gps !== false && !isVideo
    const persons = isVideo ? [] : s.people
    const exif = hasExif
      ? {
          make: d.make,
          model: d.model,
          orientation: 1,
          modified_datetime: fmtLocal(localMs, s.offset),
          original_datetime: fmtLocal(localMs, s.offset),
          digitized_datetime: fmtLocal(localMs, s.offset),
          lens_model: d.lens,
          f_number: d.fNumber,
          focal_length: d.focal,
          iso: s.iso,
          exposure_time: s.exposure,
          exposure_bias: 0,
          latitude: gps ? Math.round((s.place.lat + s.jitterLat) * 1e6) / 1e6 : null,
          longitude: gps ? Math.round((s.place.lon + s.jitterLon) * 1e6) / 1e6 : null,
          altitude: gps ? Math.round(rng.real(2, 180) * 10) / 10 : null,
          city: gps ? s.place.city : null,
          state: gps ? s.place.state : null,
          country: gps ? s.place.country : null,
          description: s.description ?? null,
          fps: isVideo ? 30 : null,
          live_photo_cid: s.liveCid ?? null,
          projection_type: null,
          profile_description: s.dev === "iphone" ? "Display P3" : "sRGB IEC61966-2.1",
          auto_stack_id: s.autoStackId ?? null,
          rating: s.rating
        }
      : null
    const faces = persons.map((p) => ({
      id: shortId(rng, "face_"),
      asset_id: id,
      person_id: p.id,
      bounding_box: {
        x: rng.int(200, 2800),
        y: rng.int(200, 1800),
        w: rng.int(180, 600),
        h: rng.int(220, 700)
      },
      timestamp_ms: null,
      thumbnail_url: null,
      created_at: fmtUtc(createdMs + 600_000, 0),
      updated_at: fmtUtc(createdMs + 600_000, 0)
    }))
    return {
      id,
      device_asset_id:
        s.dev === "sony" || s.dev === "fuji" ? `web-${fileName}-${localMs}` : `${s.name}-${hex(rng, 4)}`,
      device_id: d.deviceId,
      mime_type: mime,
      original_file_name: fileName,
      file_created_at: fmtUtc(localMs, s.offset),
      file_modified_at: fmtUtc(localMs + (isRaw ? 0 : rng.int(0, 2000)), s.offset),
      local_datetime: fmtLocal(localMs, s.offset),
      checksum: sha256b64(rng),
      created_at: fmtUtc(createdMs, 0),
      updated_at: fmtUtc(createdMs + rng.int(0, 86_400_000), 0),
      exif,
      metrics: isVideo ? null : metricsFor(s.quality, s.metricsKind),
      download_url: cdnUrl("originals", id),
      thumbnail_url: s.thumb ?? cdnUrl("thumbnails", id),
      faces,
      people: persons.map((p) => ({
        id: p.id,
        name: p.name,
        birth_date: p.birth_date,
        is_hidden: p.is_hidden,
        is_favorite: p.is_favorite,
        thumbnail_face_id: p.thumbnail_face_id,
        thumbnail_face_url: null,
        created_at: "2025-05-20T09:00:00Z",
        updated_at: "2025-05-20T09:00:00Z"
      })),
      // Carried for the generator only (stripped before writing): byte size and pixel size.
      _size: rng.int(sizeRange[0], sizeRange[1]),
      _dims: isVideo ? [1920, 1440] : d.dims
    }
  }

  /** Shared properties of one shot (one press of the shutter). */
  const makeShot = (dev, overrides = {}) => {
    shotSeq += 1
    const quality = overrides.quality ?? rng.normal(3.4, 0.7, 1.05, 4.95)
    return {
      dev,
      wall,
      offset: place.offset,
      place,
      name: nextName(dev),
      iso: rng.pick([50, 64, 100, 125, 200, 400, 800, 1600]),
      exposure: rng.pick([1 / 1000, 1 / 500, 1 / 250, 1 / 120, 1 / 60, 1 / 30]),
      jitterLat: rng.real(-0.01, 0.01),
      jitterLon: rng.real(-0.01, 0.01),
      rating: rng.weighted([
        [null, 55],
        [0, 25],
        [5, 6],
        [4, 5],
        [3, 4],
        [1, 2],
        [-1, 3]
      ]),
      metricsKind: rng.weighted([
        ["liqe", 60],
        ["both", 25],
        ["nullish", 5],
        ["none", 6],
        ["empty", 4]
      ]),
      people: peopleFor(
        rng.weighted([
          [0, 50],
          [1, 30],
          [2, 15],
          [3, 5]
        ])
      ),
      quality,
      seq: shotSeq,
      ...overrides
    }
  }

  /** Thumbnail for a shot: scene + frame jitter; blur and darkness follow low quality. */
  const frameThumb = (scene, shot, badge) =>
    thumbFor(
      scene,
      {
        dx: shot.frameIndex === undefined ? 0 : shot.frameIndex * 3 - 6 + rng.int(-1, 1),
        exposure: Math.min(1, 0.55 + shot.quality / 10),
        blur: shot.quality < 2.4 ? Math.round((2.6 - shot.quality) * 10) / 10 : 0,
        badge
      },
      `${shot.name}-${shot.seq}`.replace(/[^A-Za-z0-9_-]/g, "")
    )

  // --- event kinds ---------------------------------------------------------------------------

  const single = (dev, o = {}) => {
    const shot = makeShot(dev, o)
    shot.thumb = frameThumb(makeScene(rng), shot)
    return [makeAsset(shot)]
  }

  const rawPair = (dev, o = {}) => {
    const shot = makeShot(dev, o)
    shot.thumb = frameThumb(makeScene(rng), shot, "R")
    const jpg = makeAsset({ ...shot, role: "jpeg" })
    const raw = makeAsset({ ...shot, role: "raw", metricsKind: rng.chance(0.5) ? "none" : shot.metricsKind })
    return [jpg, raw]
  }

  const livePair = (o = {}) => {
    const shot = makeShot("iphone", { liveCid: uuid(rng), ...o })
    const scene = o.scene ?? makeScene(rng)
    shot.thumb = frameThumb(scene, shot)
    const still = makeAsset({ ...shot, role: "still" })
    const video = makeAsset({
      ...shot,
      role: "live_video",
      wall: shot.wall + 1,
      thumb: frameThumb(scene, shot, "▶")
    })
    return [still, video]
  }

  /**
   * A burst: frames `gapMs` apart from one device; one frame is clearly best unless `close`.
   * `withStack` sets `auto_stack_id`; `pairs` makes every frame RAW+JPEG (or Live Photo on iPhone).
   */
  const burst = (dev, { frames, gapMs, withStack, pairs = false, close = false, ratingBest = null }) => {
    const scene = makeScene(rng)
    const stackId = withStack ? uuid(rng) : undefined
    const best = rng.int(0, frames - 1)
    const base = rng.normal(3.3, 0.4, 2.2, 4.2)
    // Frames of one burst show the same people; now and then someone steps in for one frame,
    // which the keeper then lacks (what a `review` with `wouldLose: people` is for).
    const crowd = peopleFor(
      rng.weighted([
        [0, 50],
        [1, 30],
        [2, 20]
      ])
    )
    const stepIn = rng.chance(0.3) ? (best + 1) % frames : -1
    const out = []
    const startWall = wall
    for (let i = 0; i < frames; i++) {
      wall = startWall + i * gapMs + rng.int(0, Math.floor(gapMs / 5))
      const q =
        i === best
          ? base + (close ? 0.02 : rng.real(0.5, 0.9))
          : close && i === (best + 1) % frames
            ? base
            : base - rng.real(0.2, 1.4)
      const shot = makeShot(dev, {
        quality: q,
        frameIndex: i,
        autoStackId: stackId,
        rating: i === best && ratingBest !== null ? ratingBest : rng.chance(0.85) ? null : 0,
        metricsKind: "liqe",
        people: i === stepIn ? [...new Set([...crowd, ...peopleFor(1)])] : crowd
      })
      if (pairs && dev === "iphone") {
        shot.liveCid = uuid(rng)
        shot.thumb = frameThumb(scene, shot)
        out.push(makeAsset({ ...shot, role: "still" }))
        out.push(
          makeAsset({ ...shot, role: "live_video", wall: shot.wall + 1, thumb: frameThumb(scene, shot, "▶") })
        )
      } else if (pairs) {
        shot.thumb = frameThumb(scene, shot, "R")
        out.push(makeAsset({ ...shot, role: "jpeg" }))
        out.push(makeAsset({ ...shot, role: "raw", metricsKind: "none" }))
      } else {
        shot.thumb = frameThumb(scene, shot)
        out.push(makeAsset({ ...shot, role: "still" }))
      }
    }
    return out
  }

  /**
   * An exact re-upload: the same bytes (checksum, size) from a second device, later, with a new id.
   * `stripExif` drops exif as messaging apps do; `shiftHours` writes local_datetime off by whole
   * hours (a device with the wrong time zone): a time-zone anomaly.
   */
  const reupload = (original, { stripExif, shiftHours = 0, deviceId }) => {
    const copy = structuredClone(original)
    copy.id = shortId(rng, "asset_")
    copy.device_id = deviceId
    copy.device_asset_id = `${basename(original.original_file_name)}-${hex(rng, 4)}`
    const created = Date.parse(original.created_at) + rng.int(3, 40) * 86_400_000
    copy.created_at = fmtUtc(created, 0)
    copy.updated_at = copy.created_at
    copy.download_url = cdnUrl("originals", copy.id)
    if (!original.thumbnail_url.startsWith("thumbs/")) copy.thumbnail_url = cdnUrl("thumbnails", copy.id)
    for (const f of copy.faces) {
      f.id = shortId(rng, "face_")
      f.asset_id = copy.id
    }
    if (stripExif) {
      copy.exif = null
      copy.original_file_name = `IMG-${original.local_datetime.slice(0, 10).replaceAll("-", "")}-WA${pad(rng.int(0, 999), 4)}.jpg`
      copy.metrics = rng.chance(0.5) ? null : copy.metrics
      copy.faces = []
      copy.people = []
      // Without exif the server falls back to the upload time.
      copy.local_datetime = fmtLocal(created, 0)
    }
    // An invalid original (e.g. local_datetime "yesterday afternoon") can be picked from
    // `recent`: its copy stays as invalid as it is rather than being shifted.
    const m = /^(.{19})(\.\d+)?(.*)$/.exec(original.local_datetime)
    const wallMs = m === null ? Number.NaN : Date.parse(`${m[1]}Z`) + shiftHours * 3_600_000
    if (shiftHours !== 0 && !Number.isNaN(wallMs)) {
      copy.local_datetime = `${new Date(wallMs).toISOString().slice(0, 19)}${m[2] ?? ""}${m[3]}`
      if (copy.exif !== null) {
        copy.exif.original_datetime = copy.local_datetime
        copy.exif.digitized_datetime = copy.local_datetime
        copy.exif.modified_datetime = copy.local_datetime
      }
    }
    return copy
  }

  const pickRecent = () => (recent.length === 0 ? undefined : recent[rng.int(0, recent.length - 1)])

  const reuploadEvent = (o = {}) => {
    const original = o.original ?? pickRecent()
    if (original === undefined) return single("pixel")
    const dev = rng.pick(SECOND_DEVICES)
    return [
      reupload(original, {
        stripExif: o.stripExif ?? dev.stripExif,
        shiftHours: o.shiftHours ?? 0,
        deviceId: dev.deviceId
      })
    ]
  }

  /** Two different cameras pressing the shutter in the same second: not a burst. */
  const twoCameras = () => {
    const a = single("iphone", { people: peopleFor(1) })
    wall += rng.int(100, 800)
    const b = single("sony", { people: [] })
    return [...a, ...b]
  }

  const screenshot = () => {
    const shot = makeShot("iphone", { exif: false, metricsKind: "none", rating: null, people: [] })
    shot.thumb = frameThumb(makeScene(rng), shot, "S")
    const a = makeAsset(shot)
    a.mime_type = "image/png"
    a.original_file_name = `Screenshot ${a.local_datetime.slice(0, 10)} at ${a.local_datetime.slice(11, 19).replaceAll(":", ".")}.png`
    return [a]
  }

  const video = () => {
    const shot = makeShot(rng.pick(["iphone", "pixel"]), { metricsKind: "none" })
    shot.thumb = frameThumb(makeScene(rng), shot, "▶")
    return [makeAsset({ ...shot, role: "video" })]
  }

  /** Invalid items, as a broken exporter or a truncated record would produce them. */
  const INVALID = [
    () => {
      const [a] = single("pixel")
      a.checksum = null
      return a
    },
    () => {
      const [a] = single("iphone")
      a.local_datetime = "yesterday afternoon"
      return a
    },
    () => {
      const [a] = single("pixel")
      delete a.id
      return a
    },
    () => "asset_corrupted_record",
    () => {
      const [a] = single("iphone")
      a.exif = { ...a.exif, rating: "five stars" }
      return a
    },
    () => null
  ]
  let invalidSeq = 0
  const invalid = () => [INVALID[invalidSeq++ % INVALID.length]()]

  // The showcase: every case the sample must cover, in a fixed order, before random events.
  const showcase = [
    () => single("iphone", { rating: 5, description: "Sunset over the Tagus" }),
    () => burst("iphone", { frames: 6, gapMs: 120, withStack: true, ratingBest: null }),
    () => rawPair("sony"),
    () => livePair(),
    () => burst("sony", { frames: 5, gapMs: 200, withStack: false }),
    () => reuploadEvent({ original: lastOf("iphone"), stripExif: false }),
    () => single("pixel", { rating: -1, quality: 1.3 }),
    () => burst("sony", { frames: 4, gapMs: 250, withStack: false, pairs: true }),
    () => twoCameras(),
    () => single("fuji", { exif: false, rating: null }),
    () => single("pixel", { metricsKind: "none", rating: 0 }),
    () => burst("iphone", { frames: 3, gapMs: 900, withStack: false, pairs: true }),
    () => reuploadEvent({ original: lastOf("pixel"), stripExif: true }),
    () => invalid(),
    () => burst("iphone", { frames: 4, gapMs: 150, withStack: true, close: true }),
    () => reuploadEvent({ original: lastOf("sony"), stripExif: false, shiftHours: 3 }),
    () => rawPair("fuji", { rating: 5 }),
    () => single("iphone", { metricsKind: "empty" }),
    () => burst("pixel", { frames: 5, gapMs: 300, withStack: false, ratingBest: 5 }),
    () => invalid(),
    () => screenshot(),
    () => video(),
    () => burst("fuji", { frames: 6, gapMs: 160, withStack: true, pairs: true }),
    () => invalid(),
    () => reuploadEvent({ stripExif: true }),
    () => single("sony", { rating: -1 }),
    () => invalid()
  ]

  const lastByDev = {}
  function lastOf(dev) {
    return lastByDev[dev]
  }

  const randomEvent = () => {
    if (opts.invalidRate > 0 && rng.chance(opts.invalidRate)) return invalid()
    const kind = rng.weighted([
      ["single", 46],
      ["raw", 7],
      ["live", 9],
      ["burstStack", 6],
      ["burst", 6],
      ["burstPairs", 3],
      ["reupload", 8],
      ["reuploadTz", 0.6],
      ["twoCameras", 1.5],
      ["screenshot", 3],
      ["video", 3],
      ["noexif", 2]
    ])
    switch (kind) {
      case "single":
        return single(
          rng.weighted([
            ["iphone", 45],
            ["pixel", 30],
            ["sony", 15],
            ["fuji", 10]
          ])
        )
      case "raw":
        return rawPair(rng.pick(["sony", "fuji"]))
      case "live":
        return livePair()
      case "burstStack":
        return burst(rng.pick(["iphone", "fuji"]), {
          frames: rng.int(3, 10),
          gapMs: rng.int(80, 300),
          withStack: true,
          close: rng.chance(0.25)
        })
      case "burst":
        return burst(rng.pick(["sony", "pixel"]), {
          frames: rng.int(2, 8),
          gapMs: rng.int(150, 1500),
          withStack: false,
          close: rng.chance(0.25)
        })
      case "burstPairs":
        return burst(rng.pick(["sony", "iphone"]), {
          frames: rng.int(2, 4),
          gapMs: rng.int(300, 1200),
          withStack: false,
          pairs: true
        })
      case "reupload":
        return reuploadEvent()
      case "reuploadTz":
        return reuploadEvent({ shiftHours: rng.pick([-9, -6, 1, 3, 8]) })
      case "twoCameras":
        return twoCameras()
      case "screenshot":
        return screenshot()
      case "video":
        return video()
      default:
        return single(rng.pick(["pixel", "fuji"]), { exif: false })
    }
  }

  let eventNo = 0
  /** Yields items in album order until `count` have been produced. */
  function* items() {
    let produced = 0
    while (produced < opts.count) {
      const ev = eventNo < showcase.length ? showcase[eventNo] : randomEvent
      eventNo += 1
      // Time moves on between events: seconds to hours; sometimes a new day or a new place.
      wall += rng.weighted([
        [rng.int(5_000, 120_000), 50],
        [rng.int(120_000, 3_600_000), 35],
        [rng.int(3_600_000, 14_400_000), 12],
        [rng.int(40_000_000, 90_000_000), 3]
      ])
      if (eventNo > showcase.length && rng.chance(0.01)) {
        place = rng.pick(PLACES)
        uploadLagDays = rng.int(0, 20)
      }
      for (const item of ev()) {
        if (produced >= opts.count) return
        produced += 1
        if (
          item !== null &&
          typeof item === "object" &&
          typeof item.id === "string" &&
          item.exif !== undefined
        ) {
          if (recent.length < 200) recent.push(item)
          else recent[rng.int(0, 199)] = item
          if (item.exif !== null && item.mime_type.startsWith("image/")) {
            lastByDev[Object.keys(DEVICES).find((k) => DEVICES[k].make === item.exif.make)] = item
          }
        }
        yield item
      }
    }
  }

  return { items }
}

/** Serialises an item, moving the generator-only `_size`/`_dims` into real-looking places. */
const serialise = (item) => {
  if (item === null || typeof item !== "object") return JSON.stringify(item)
  const { _size, _dims, ...rest } = item
  if (rest.exif !== null && typeof rest.exif === "object") {
    // The seed shape has no size field; carry it like newer servers do (file_data), harmlessly.
    rest.exif = { ...rest.exif, exif_image_width: _dims[0], exif_image_height: _dims[1] }
  }
  rest.file_size_bytes = _size
  rest.width = _dims[0]
  rest.height = _dims[1]
  return JSON.stringify(rest)
}

// ---------------------------------------------------------------------------------------------

const main = async () => {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "300" },
      seed: { type: "string", default: "7" },
      out: { type: "string", default: "-" },
      thumbs: { type: "string" },
      ndjson: { type: "boolean", default: false },
      page: { type: "boolean", default: false },
      "invalid-rate": { type: "string", default: "0.004" },
      start: { type: "string", default: "2025-06-01T08:12:00" },
      help: { type: "boolean", default: false }
    },
    strict: true
  })
  if (values.help) {
    process.stdout.write(HELP)
    return
  }
  const count = Number(values.count)
  const seed = Number(values.seed)
  const invalidRate = Number(values["invalid-rate"])
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`--count must be a non-negative integer, got ${values.count}`)
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`)
  if (!(invalidRate >= 0 && invalidRate <= 1))
    throw new Error(`--invalid-rate must be in [0,1], got ${values["invalid-rate"]}`)
  if (Number.isNaN(Date.parse(`${values.start}Z`)))
    throw new Error(`--start must be a wall-clock ISO time, got ${values.start}`)
  if (values.ndjson && values.page) throw new Error("--ndjson and --page are exclusive")
  if (values.thumbs !== undefined) mkdirSync(values.thumbs, { recursive: true })

  const out = values.out === "-" ? process.stdout : createWriteStream(values.out)
  let buffer = ""
  const write = async (s) => {
    buffer += s
    if (buffer.length < 1 << 16) return
    const ok = out.write(buffer)
    buffer = ""
    if (!ok) await once(out, "drain")
  }
  const album = makeAlbum({ count, seed, thumbs: values.thumbs, invalidRate, start: values.start })
  let first = true
  if (values.page) await write('{"data":[')
  else if (!values.ndjson) await write("[")
  for (const item of album.items()) {
    const json = serialise(item)
    if (values.ndjson) await write(`${json}\n`)
    else await write(`${first ? "\n" : ",\n"}${json}`)
    first = false
  }
  if (values.page) await write('\n],"has_more":false}\n')
  else if (!values.ndjson) await write("\n]\n")
  out.write(buffer)
  if (out !== process.stdout) {
    out.end()
    await once(out, "finish")
  }
}

main().catch((e) => {
  process.stderr.write(`generate-album: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
