/**
 * Hand-built analyses that satisfy the `Analysis` contract, for browser tests: a realistic one (with
 * local thumbnails), a hostile one (an XSS payload in every text field), and a large synthetic one.
 */
import type { Analysis } from "@albumsift/core"
// One set of hand-made fixtures: the report package's unit-test builders, reused here.
import { asset, options } from "../../packages/report/test/fixtures.js"

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** The report tests' options, with finer histograms. */
export const OPTIONS: Analysis.ResolvedOptions = { ...options, histogramBins: 12 }

/** The report tests' asset, sized like a phone photo and without a thumbnail unless given one. */
export const baseAsset = (id: string, patch: Partial<Analysis.AssetInfo> = {}): Analysis.AssetInfo =>
  asset(id, { width: 4032, height: 3024, fileSize: 3_000_000, thumbnailUrl: null, ...patch })

/** Fills in the summary and statistics from assets and groups, so fixtures stay consistent. */
export const assemble = (input: {
  assets: ReadonlyArray<Analysis.AssetInfo>
  groups: ReadonlyArray<Analysis.Group>
  rejected?: ReadonlyArray<Analysis.Rejected>
  timezoneAnomalies?: ReadonlyArray<Analysis.TimezoneAnomaly>
  metrics?: ReadonlyArray<Analysis.MetricStats>
}): Analysis.Analysis => {
  const { assets, groups } = input
  const rejected = input.rejected ?? []
  const timezoneAnomalies = input.timezoneAnomalies ?? []
  const recommendations = { keep: 0, discard: 0, review: 0 }
  const groupsByKind = { exact: 0, near: 0 }
  const groupsByEvidence = { checksum: 0, auto_stack_id: 0, capture_time: 0, stack: 0, immich_duplicate: 0 }
  let reclaimableBytes = 0
  for (const g of groups) {
    groupsByKind[g.kind]++
    for (const e of g.evidence) groupsByEvidence[e]++
    for (const m of g.members) recommendations[m.recommendation]++
    reclaimableBytes += g.reclaimableBytes
  }
  const n = Math.max(1, assets.length)
  const summary: Mutable<Analysis.Summary> = {
    inputItems: assets.length + rejected.length,
    assets: assets.length,
    duplicateIds: 0,
    rejected: rejected.length,
    shots: new Set(assets.map((a) => a.shotId)).size,
    groups: groups.length,
    groupsByKind,
    groupsByEvidence,
    recommendations,
    reclaimableBytes,
    timezoneAnomalies: timezoneAnomalies.length,
    lowQuality: assets.filter((a) => a.flags.includes("low_quality")).length,
    coverage: {
      exif: assets.filter((a) => a.hasExif).length / n,
      metrics: assets.filter((a) => Object.keys(a.metrics).length > 0).length / n,
      thumbnails: assets.filter((a) => a.thumbnailUrl !== null).length / n
    }
  }
  return {
    schemaVersion: 1,
    options: OPTIONS,
    summary,
    assets,
    groups,
    metrics: input.metrics ?? metricStats(assets),
    timezoneAnomalies,
    rejected
  }
}

/** Per-metric statistics with equal-width bins. */
export const metricStats = (
  assets: ReadonlyArray<Analysis.AssetInfo>,
  bins = 12
): Array<Analysis.MetricStats> => {
  const names = [...new Set(assets.flatMap((a) => Object.keys(a.metrics)))].sort()
  return names.map((name) => {
    const values = assets.flatMap((a) => (a.metrics[name] !== undefined ? [a.metrics[name] as number] : []))
    values.sort((a, b) => a - b)
    const q = (p: number) =>
      values.length === 0 ? null : (values[Math.floor(p * (values.length - 1))] as number)
    const min = values[0] ?? null
    const max = values[values.length - 1] ?? null
    const mean = values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length
    const stdev =
      mean === null
        ? null
        : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length))
    const histogram: Array<{ from: number; to: number; count: number }> = []
    if (min !== null && max !== null) {
      const width = (max - min) / bins || 1
      for (let i = 0; i < bins; i++)
        histogram.push({ from: min + i * width, to: min + (i + 1) * width, count: 0 })
      for (const v of values) {
        const bin = histogram[Math.min(bins - 1, Math.floor((v - min) / width))]
        if (bin) bin.count++
      }
    }
    return {
      name,
      count: values.length,
      missing: assets.length - values.length,
      min,
      q1: q(0.25),
      median: q(0.5),
      q3: q(0.75),
      max,
      mean,
      stdev,
      lowerIsBetter: false,
      histogram
    }
  })
}

const pad = (n: number, width = 4) => String(n).padStart(width, "0")
const wall = (base: number, seconds: number) => new Date(base + seconds * 1000).toISOString().slice(0, 23)

/** Describes a group for `realisticAnalysis`: member specs and the group's evidence. */
interface MemberSpec {
  readonly patch: Partial<Analysis.AssetInfo>
  readonly rec: Analysis.Recommendation
  readonly score: number | null
  readonly reasons: ReadonlyArray<string>
  readonly wouldLose?: ReadonlyArray<string>
  /** Same shot as the previous member (a companion). */
  readonly companion?: boolean
}

/**
 * A realistic album: iPhone and Sony bursts, exact re-uploads, a Live Photo pair, singles, low-quality
 * shots, a time-zone anomaly and rejected inputs. Thumbnails are `thumbs/<id>.png` (see `writeThumbnails`).
 */
export const realisticAnalysis = (): { analysis: Analysis.Analysis; thumbnails: Map<string, number> } => {
  const assets: Array<Analysis.AssetInfo> = []
  const groups: Array<Analysis.Group> = []
  const thumbnails = new Map<string, number>()
  let counter = 100
  const day = Date.UTC(2024, 6, 14, 9, 12, 0)
  const makeGroup = (
    id: string,
    kind: Analysis.GroupKind,
    evidence: ReadonlyArray<Analysis.Evidence>,
    startSeconds: number,
    scene: number,
    specs: ReadonlyArray<MemberSpec>
  ) => {
    const members: Array<Analysis.Member> = []
    let keeperScore = 0
    let shots = 0
    let reclaim = 0
    const times: Array<string> = []
    specs.forEach((spec, i) => {
      const assetId = `asset_${id}_${i}`
      const prevShot = members[members.length - 1]?.shotId
      const shotId = spec.companion && prevShot ? prevShot : `shot_${id}_${i}`
      if (!spec.companion) shots++
      const t = wall(day, startSeconds + i * 0.6)
      times.push(t)
      const asset = baseAsset(assetId, {
        index: counter,
        fileName: `IMG_${pad(counter++)}.HEIC`,
        mimeType: "image/heic",
        checksum: `sum-${id}-${i}`,
        takenAt: { raw: `${t}+02:00`, wall: t, offsetMinutes: 120 },
        camera: "Apple iPhone 15 Pro",
        deviceId: "ana-iphone",
        thumbnailUrl: `thumbs/${assetId}.png`,
        shotId,
        groupId: id,
        score: spec.score,
        ...spec.patch
      })
      thumbnails.set(assetId, scene * 1000 + i)
      assets.push(asset)
      if (i === 0) keeperScore = spec.score ?? 0
      if (spec.rec === "discard") reclaim += asset.fileSize ?? 0
      members.push({
        assetId,
        shotId,
        rank: spec.companion ? (members[members.length - 1]?.rank ?? 1) : shots,
        score: spec.score,
        margin: spec.score === null ? null : Math.round((keeperScore - spec.score) * 1000) / 1000,
        recommendation: spec.rec,
        reasons: spec.reasons,
        wouldLose: spec.wouldLose ?? []
      })
    })
    groups.push({
      id,
      kind,
      evidence,
      shotCount: shots,
      members,
      keeper: members[0]?.assetId ?? "",
      reclaimableBytes: reclaim,
      timeSpan: { from: times[0] ?? "", to: [...times].sort().at(-1) ?? "" }
    })
  }

  makeGroup("g-1a2b3c", "near", ["auto_stack_id", "capture_time"], 0, 1, [
    {
      patch: {
        rating: 5,
        metrics: { liqe_mix: 4.42, musiq: 71.2 },
        people: ["Ana", "Luis"],
        autoStackId: "B-77"
      },
      rec: "keep",
      score: 0.934,
      reasons: ["rated 5★, the highest in the group", "liqe_mix at 97th percentile"]
    },
    {
      patch: {
        rating: 3,
        metrics: { liqe_mix: 4.31, musiq: 69.8 },
        people: ["Ana", "Luis", "Marta"],
        autoStackId: "B-77"
      },
      rec: "review",
      score: 0.902,
      reasons: ["within the review margin (0.032 < 0.05)", "has a person the keeper lacks"],
      wouldLose: ["people: Marta"]
    },
    {
      patch: { rating: 3, metrics: { liqe_mix: 3.05, musiq: 55.1 }, people: ["Ana"], autoStackId: "B-77" },
      rec: "discard",
      score: 0.611,
      reasons: ["rating 3 vs 5", "liqe_mix at 41st vs 97th percentile"]
    },
    {
      patch: {
        rating: null,
        metrics: { liqe_mix: 1.92, musiq: 38.4 },
        people: [],
        autoStackId: "B-77",
        flags: ["low_quality"]
      },
      rec: "discard",
      score: 0.214,
      reasons: ["unrated vs 5", "liqe_mix at 6th vs 97th percentile (blurred)"]
    }
  ])
  makeGroup("g-4d5e6f", "exact", ["checksum"], 3600, 2, [
    {
      patch: {
        metrics: { liqe_mix: 3.8 },
        hasGps: true,
        description: "Sunset over the harbour",
        fileName: "DSC_0652.jpg",
        camera: "NIKON Z 6_2",
        mimeType: "image/jpeg",
        checksum: "DR00pgYMC13XiSPf+jNy26nU7l/jzvMVLaB5EBRZQOA="
      },
      rec: "keep",
      score: 0.71,
      reasons: ["same bytes: kept the copy with the richest metadata (EXIF, GPS, description)"]
    },
    {
      patch: {
        metrics: { liqe_mix: 3.8 },
        hasExif: false,
        camera: null,
        cameraTime: false,
        fileName: "DSC_0652 (1).jpg",
        mimeType: "image/jpeg",
        checksum: "DR00pgYMC13XiSPf+jNy26nU7l/jzvMVLaB5EBRZQOA=",
        flags: ["missing_exif", "timezone_anomaly"],
        takenAt: { raw: "2024-07-14T12:12:00", wall: "2024-07-14T12:12:00.000", offsetMinutes: null }
      },
      rec: "discard",
      score: 0.71,
      reasons: ["identical bytes to the keeper", "re-upload without EXIF"]
    }
  ])
  makeGroup("g-7a8b9c", "near", ["capture_time"], 7200, 3, [
    {
      patch: {
        rating: 4,
        metrics: { liqe_mix: 4.05, musiq: 66.0 },
        camera: "Sony ILCE-7M4",
        mimeType: "image/jpeg",
        fileSize: 11_400_000,
        width: 7008,
        height: 4672,
        deviceId: "sony"
      },
      rec: "keep",
      score: 0.861,
      reasons: ["liqe_mix at 88th percentile", "rated 4★"]
    },
    {
      patch: {
        rating: null,
        metrics: {},
        camera: "Sony ILCE-7M4",
        mimeType: "image/x-sony-arw",
        fileName: "DSC09121.ARW",
        fileSize: 24_800_000,
        width: 7008,
        height: 4672,
        deviceId: "sony",
        thumbnailUrl: null
      },
      rec: "keep",
      score: 0.861,
      reasons: ["RAW companion of the keeper"],
      companion: true
    },
    {
      patch: {
        rating: 4,
        metrics: { liqe_mix: 3.42, musiq: 60.2 },
        camera: "Sony ILCE-7M4",
        mimeType: "image/jpeg",
        fileSize: 10_900_000,
        width: 7008,
        height: 4672,
        deviceId: "sony"
      },
      rec: "discard",
      score: 0.702,
      reasons: ["liqe_mix at 58th vs 88th percentile", "same rating (4★)"]
    }
  ])
  makeGroup("g-0c1d2e", "near", ["auto_stack_id", "capture_time"], 10800, 4, [
    {
      patch: { rating: 5, favorite: true, metrics: { liqe_mix: 4.6, musiq: 74.9 }, people: ["Marta"] },
      rec: "keep",
      score: 0.952,
      reasons: ["favorite, rated 5★", "liqe_mix at 99th percentile"]
    },
    {
      patch: {
        rating: 5,
        metrics: { liqe_mix: 4.58, musiq: 74.1 },
        people: ["Marta"],
        mimeType: "video/quicktime",
        fileName: "IMG_0142.MOV"
      },
      rec: "keep",
      score: 0.952,
      reasons: ["Live Photo video of the keeper"],
      companion: true
    },
    {
      patch: { rating: 5, metrics: { liqe_mix: 4.51, musiq: 73.0 }, people: ["Marta"], hasGps: true },
      rec: "review",
      score: 0.94,
      reasons: ["within the review margin (0.012 < 0.05)", "has GPS the keeper lacks"],
      wouldLose: ["gps"]
    }
  ])
  for (let g = 0; g < 8; g++) {
    makeGroup(
      `g-${(0x9f00a + g * 7919).toString(16)}`,
      g % 3 === 0 ? "exact" : "near",
      g % 3 === 0 ? ["checksum"] : ["capture_time"],
      14400 + g * 900,
      5 + g,
      [
        {
          patch: { rating: 4, metrics: { liqe_mix: 3.9 - g * 0.1, musiq: 64 - g } },
          rec: "keep",
          score: 0.8 - g * 0.02,
          reasons: ["best score in the group"]
        },
        {
          patch: { rating: 2, metrics: { liqe_mix: 2.8 - g * 0.1, musiq: 50 - g } },
          rec: "discard",
          score: 0.55 - g * 0.02,
          reasons: ["rating 2 vs 4", "lower liqe_mix"]
        }
      ]
    )
  }
  // Singles, a few low quality.
  for (let i = 0; i < 40; i++) {
    const id = `asset_single_${pad(i, 3)}`
    const low = i % 9 === 0
    const liqe = low ? 1.1 + (i % 5) * 0.05 : 2.2 + ((i * 37) % 23) / 10
    assets.push(
      baseAsset(id, {
        index: counter,
        fileName: `IMG_${pad(counter++)}.HEIC`,
        metrics: { liqe_mix: liqe, musiq: 30 + ((i * 53) % 45) },
        rating: i % 7 === 0 ? -1 : null,
        score: low ? 0.05 + i / 1000 : 0.3 + ((i * 13) % 60) / 100,
        flags: low ? ["low_quality"] : i % 7 === 0 ? ["rejected_rating"] : [],
        thumbnailUrl: `thumbs/${id}.png`,
        camera: "Apple iPhone 15 Pro"
      })
    )
    thumbnails.set(id, 100 + i)
  }
  const analysis = assemble({
    assets,
    groups,
    rejected: [
      { index: 17, reason: "checksum: expected string, got null" },
      { index: 233, id: "asset_Q2kLm9", reason: 'local_datetime: expected an ISO date-time, got "yesterday"' }
    ],
    timezoneAnomalies: [
      {
        assetIds: ["asset_g-4d5e6f_0", "asset_g-4d5e6f_1"],
        reason: "same checksum, capture times differ by exactly 3 h (one copy has no zone)"
      }
    ]
  })
  return { analysis, thumbnails }
}

/** The payloads: each sets `window.__xss` if it ever runs. */
export const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  "</script><script>window.__xss=2</script>",
  '"><svg onload=window.__xss=3>',
  "javascript:window.__xss=4",
  '<iframe srcdoc="<script>parent.__xss=5</script>"></iframe>',
  "'\u2028\u2029<!--<script>window.__xss=6</script>"
] as const

/** An analysis with an XSS payload in every text field, including URLs and metric names. */
export const hostileAnalysis = (): Analysis.Analysis => {
  const p = (i: number) => PAYLOADS[i % PAYLOADS.length] as string
  const assets: Array<Analysis.AssetInfo> = []
  const urls = [
    "javascript:window.__xss=7",
    "JaVaScRiPt:window.__xss=8",
    " javascript:window.__xss=9",
    "data:text/html,<script>window.__xss=10</script>",
    "java\tscript:window.__xss=11",
    "//evil.example/x.png",
    'x" onerror="window.__xss=12'
  ]
  const members: Array<Analysis.Member> = []
  for (let i = 0; i < 6; i++) {
    const id = `${p(i)}#${i}`
    assets.push(
      baseAsset(id, {
        fileName: p(i + 1),
        mimeType: p(i + 2),
        checksum: p(i),
        camera: p(i + 3),
        deviceId: p(i),
        autoStackId: p(i + 4),
        description: p(i + 5),
        people: [p(i), p(i + 1)],
        thumbnailUrl: urls[i % urls.length] ?? null,
        metrics: { [p(i)]: 1 + i, liqe_mix: 1 + i / 2 },
        groupId: "<b>g</b>",
        shotId: `shot${i}`,
        takenAt: { raw: p(i), wall: "2024-06-01T10:00:00.000", offsetMinutes: 60 },
        flags: i === 0 ? ["low_quality"] : [],
        albums: [p(i)]
      })
    )
    members.push({
      assetId: id,
      shotId: `shot${i}`,
      rank: i + 1,
      score: 1 - i / 10,
      margin: i / 10,
      recommendation: i === 0 ? "keep" : i % 2 === 0 ? "review" : "discard",
      reasons: [p(i), p(i + 1)],
      wouldLose: [p(i + 2)]
    })
  }
  return assemble({
    assets,
    groups: [
      {
        id: "<b>g</b>",
        kind: "near",
        evidence: ["capture_time", "immich_duplicate"],
        shotCount: 6,
        members,
        keeper: members[0]?.assetId ?? "",
        reclaimableBytes: 1234,
        timeSpan: { from: "2024-06-01T10:00:00.000", to: "2024-06-01T10:00:03.000" }
      }
    ],
    rejected: PAYLOADS.map((payload, index) => ({ index, id: payload, album: payload, reason: payload })),
    timezoneAnomalies: [{ assetIds: assets.slice(0, 2).map((a) => a.id), reason: p(1) }]
  })
}

/** A large synthetic analysis: `groups` groups of three, plus `singles` ungrouped assets. */
export const largeAnalysis = (groupCount: number, singles = 0): Analysis.Analysis => {
  const assets: Array<Analysis.AssetInfo> = []
  const groups: Array<Analysis.Group> = []
  const base = Date.UTC(2020, 0, 1)
  for (let g = 0; g < groupCount; g++) {
    const gid = `g${g.toString(36).padStart(5, "0")}`
    const members: Array<Analysis.Member> = []
    const exact = g % 5 === 0
    for (let i = 0; i < 3; i++) {
      const id = `a${g}_${i}`
      const t = wall(base, g * 120 + i)
      assets.push(
        baseAsset(id, {
          fileName: `IMG_${g}_${i}.JPG`,
          takenAt: { raw: `${t}Z`, wall: t, offsetMinutes: 0 },
          checksum: exact ? `c${g}` : `c${g}_${i}`,
          metrics: { liqe_mix: 1 + ((g * 7 + i * 3) % 40) / 10 },
          rating: (g + i) % 6 === 0 ? null : ((g + i) % 5) + 1,
          groupId: gid,
          shotId: `s${g}_${i}`,
          fileSize: 1_000_000 + ((g * 31 + i) % 1000) * 1000,
          score: 0.9 - i * 0.1,
          thumbnailUrl: null
        })
      )
      members.push({
        assetId: id,
        shotId: `s${g}_${i}`,
        rank: i + 1,
        score: 0.9 - i * 0.1,
        margin: i === 0 ? 0 : ((g % 10) + 1) / 100 + i * 0.01,
        recommendation: i === 0 ? "keep" : g % 4 === 0 && i === 1 ? "review" : "discard",
        reasons: i === 0 ? ["best score"] : ["lower score"],
        wouldLose: []
      })
    }
    groups.push({
      id: gid,
      kind: exact ? "exact" : "near",
      evidence: exact ? ["checksum"] : g % 2 === 0 ? ["auto_stack_id", "capture_time"] : ["capture_time"],
      shotCount: 3,
      members,
      keeper: `a${g}_0`,
      reclaimableBytes: 2_000_000 + (g % 97) * 10_000,
      timeSpan: { from: wall(base, g * 120), to: wall(base, g * 120 + 2) }
    })
  }
  for (let s = 0; s < singles; s++) {
    assets.push(baseAsset(`s${s}`, { fileName: `SINGLE_${s}.JPG`, metrics: { liqe_mix: 1 + (s % 40) / 10 } }))
  }
  return assemble({ assets, groups })
}
