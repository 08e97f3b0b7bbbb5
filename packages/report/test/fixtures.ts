/**
 * Hand-made analyses that satisfy the `Analysis` contract, for report tests.
 */
import type { Analysis } from "@albumsift/core"
import type { Metadata } from "../src/Metadata.js"

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** An asset with sensible defaults. */
export const asset = (id: string, patch: Partial<Analysis.AssetInfo> = {}): Analysis.AssetInfo => ({
  id,
  index: 0,
  albums: [],
  fileName: `${id}.jpg`,
  mimeType: "image/jpeg",
  checksum: `sum-${id}`,
  takenAt: { raw: "2024-06-01T10:00:00Z", wall: "2024-06-01T10:00:00.000", offsetMinutes: 0 },
  cameraTime: true,
  camera: "Canon EOS R6",
  deviceId: "cam",
  autoStackId: null,
  livePhotoCid: null,
  rating: null,
  favorite: false,
  metrics: {},
  width: 6000,
  height: 4000,
  fileSize: 5_000_000,
  hasExif: true,
  hasGps: false,
  description: null,
  people: [],
  faceCount: 0,
  thumbnailUrl: `https://assets.example.com/${id}.jpg?sig=abc`,
  createdAt: "2024-06-02T00:00:00Z",
  shotId: `shot-${id}`,
  groupId: null,
  score: 0.5,
  flags: [],
  ...patch
})

/** A member with sensible defaults. */
export const member = (assetId: string, patch: Partial<Analysis.Member> = {}): Analysis.Member => ({
  assetId,
  shotId: `shot-${assetId}`,
  rank: 1,
  score: 0.5,
  margin: 0,
  recommendation: "keep",
  reasons: [],
  wouldLose: [],
  ...patch
})

export const options: Analysis.ResolvedOptions = {
  burstGapSeconds: 2,
  maxBurstSpanSeconds: 60,
  weights: { rating: 2, metric: 1 },
  lowerIsBetter: [],
  reviewMargin: 0.05,
  lowQualityPercentile: 0.1,
  lowQualityThresholds: { liqe_mix: 1.375 },
  histogramBins: 10
}

const t = (wall: string, offsetMinutes: number | null = 0) => ({
  raw: offsetMinutes === null ? wall : `${wall}Z`,
  wall: `${wall}.000`,
  offsetMinutes
})

/** A small realistic analysis: a burst, an exact re-upload, singles, a low-quality asset, rejects. */
export const sampleAnalysis = (): Analysis.Analysis => {
  const assets: Array<Analysis.AssetInfo> = [
    asset("asset_b1", {
      fileName: "IMG_0101.JPG",
      takenAt: t("2024-06-01T10:00:00"),
      autoStackId: "burst-1",
      rating: 5,
      metrics: { liqe_mix: 4.1, sharpness: 0.9 },
      groupId: "g-burst",
      score: 0.91,
      people: ["Ana"]
    }),
    asset("asset_b2", {
      fileName: "IMG_0102.JPG",
      takenAt: t("2024-06-01T10:00:01"),
      autoStackId: "burst-1",
      rating: 2,
      metrics: { liqe_mix: 2.2, sharpness: 0.4 },
      groupId: "g-burst",
      score: 0.62,
      people: ["Ana"]
    }),
    asset("asset_b3", {
      fileName: "IMG_0103.JPG",
      takenAt: t("2024-06-01T10:00:01"),
      autoStackId: "burst-1",
      rating: 5,
      metrics: { liqe_mix: 3.9, sharpness: 0.85 },
      groupId: "g-burst",
      score: 0.88,
      people: ["Ana", "Ben"]
    }),
    asset("asset_e1", {
      fileName: "DSC_0652.jpg",
      checksum: "DR00pgYMC13XiSPf+jNy26nU7l/jzvMVLaB5EBRZQOA=",
      takenAt: t("2024-02-25T06:57:27", -480),
      groupId: "g-exact",
      score: 0.7,
      metrics: { liqe_mix: 3.5 },
      hasGps: true
    }),
    asset("asset_e2", {
      fileName: '=HYPERLINK("http://evil")',
      checksum: "DR00pgYMC13XiSPf+jNy26nU7l/jzvMVLaB5EBRZQOA=",
      takenAt: t("2024-02-25T09:57:27", null),
      cameraTime: false,
      camera: null,
      hasExif: false,
      groupId: "g-exact",
      score: 0.7,
      metrics: { liqe_mix: 3.5 },
      flags: ["missing_exif", "timezone_anomaly"]
    }),
    asset("asset_s1", {
      fileName: "-cmd|' /C calc'!A0.jpg",
      rating: -1,
      score: 0.05,
      metrics: { liqe_mix: 1.1, sharpness: 0.1 },
      flags: ["low_quality", "rejected_rating"],
      description: 'a, "quoted"\nmultiline description'
    }),
    asset("asset_s2", {
      fileName: "scan, 1.png",
      camera: null,
      metrics: {},
      score: null,
      flags: ["missing_metrics"]
    })
  ]
  const groups: Array<Analysis.Group> = [
    {
      id: "g-exact",
      kind: "exact",
      evidence: ["checksum"],
      shotCount: 2,
      members: [
        member("asset_e1", { rank: 1, score: 0.7, reasons: ["richer metadata (exif)"] }),
        member("asset_e2", {
          rank: 2,
          score: 0.7,
          margin: 0,
          recommendation: "discard",
          reasons: ["same bytes as the keeper", "no exif"]
        })
      ],
      keeper: "asset_e1",
      reclaimableBytes: 5_000_000,
      timeSpan: { from: "2024-02-25T06:57:27.000", to: "2024-02-25T09:57:27.000" }
    },
    {
      id: "g-burst",
      kind: "near",
      evidence: ["auto_stack_id", "capture_time"],
      shotCount: 3,
      members: [
        member("asset_b1", { rank: 1, score: 0.91, reasons: ["best score"] }),
        member("asset_b3", {
          rank: 2,
          score: 0.88,
          margin: 0.03,
          recommendation: "review",
          reasons: ["within review margin 0.05", "has people the keeper lacks: Ben"],
          wouldLose: ["people: Ben"]
        }),
        member("asset_b2", {
          rank: 3,
          score: 0.62,
          margin: 0.29,
          recommendation: "discard",
          reasons: ["rating 2 vs 5", "liqe_mix at 20th vs 90th percentile"]
        })
      ],
      keeper: "asset_b1",
      reclaimableBytes: 5_000_000,
      timeSpan: { from: "2024-06-01T10:00:00.000", to: "2024-06-01T10:00:01.000" }
    }
  ]
  const metrics: Array<Analysis.MetricStats> = [
    {
      name: "liqe_mix",
      count: 6,
      missing: 1,
      min: 1.1,
      q1: 2.2,
      median: 3.5,
      q3: 3.9,
      max: 4.1,
      mean: 3.05,
      stdev: 1.1,
      lowerIsBetter: false,
      histogram: [
        { from: 1.1, to: 2.6, count: 2 },
        { from: 2.6, to: 4.1, count: 4 }
      ]
    },
    {
      name: "sharpness",
      count: 4,
      missing: 3,
      min: 0.1,
      q1: 0.3,
      median: 0.6,
      q3: 0.86,
      max: 0.9,
      mean: 0.56,
      stdev: 0.3,
      lowerIsBetter: false,
      histogram: [
        { from: 0.1, to: 0.5, count: 2 },
        { from: 0.5, to: 0.9, count: 2 }
      ]
    }
  ]
  const summary: Mutable<Analysis.Summary> = {
    inputItems: 10,
    assets: assets.length,
    duplicateIds: 1,
    rejected: 2,
    shots: 7,
    groups: 2,
    groupsByKind: { exact: 1, near: 1 },
    groupsByEvidence: { checksum: 1, auto_stack_id: 1, capture_time: 1, stack: 0, immich_duplicate: 0 },
    recommendations: { keep: 2, discard: 2, review: 1 },
    reclaimableBytes: 10_000_000,
    timezoneAnomalies: 1,
    lowQuality: 1,
    coverage: { exif: 6 / 7, metrics: 6 / 7, thumbnails: 1 }
  }
  return {
    schemaVersion: 1,
    options,
    summary,
    assets,
    groups,
    metrics,
    timezoneAnomalies: [
      { assetIds: ["asset_e1", "asset_e2"], reason: "same checksum, local_datetime differs by 3h" }
    ],
    rejected: [
      { index: 3, reason: "checksum: expected string, got null" },
      { index: 8, id: "asset_bad", album: "album_1", reason: "local_datetime: not a date" }
    ]
  }
}

/** Fixed metadata, as `Metadata.make` would give with SOURCE_DATE_EPOCH=1700000000. */
export const metadata: Metadata = {
  generatedAt: "2023-11-14T22:13:20.000Z",
  tool: { name: "albumsift", version: "0.1.0" },
  sources: [{ kind: "file", path: "album.json" }],
  options: {}
}

/** A strict RFC 4180 reader, to check what a spreadsheet would see. */
export const parseCsv = (text: string): Array<Array<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let field = ""
  let i = 0
  let quoted = false
  while (i < text.length) {
    const c = text[i] as string
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i += 2
      } else if (c === '"') {
        quoted = false
        i++
      } else {
        field += c
        i++
      }
    } else if (c === '"' && field === "") {
      quoted = true
      i++
    } else if (c === ",") {
      row.push(field)
      field = ""
      i++
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field)
      rows.push(row)
      row = []
      field = ""
      i += 2
    } else if (c === '"' || c === "\n" || c === "\r") {
      throw new Error(`bare ${JSON.stringify(c)} at ${i}`)
    } else {
      field += c
      i++
    }
  }
  if (field !== "" || row.length > 0) throw new Error("last record not terminated by CRLF")
  return rows
}

/** The sample plus 3,000 more assets in 300 groups: enough text to cross many 64 KiB pieces. */
export const largeAnalysis = (): Analysis.Analysis => {
  const base = sampleAnalysis()
  const groups = Array.from({ length: 300 }, (_, g) => {
    const ids = Array.from({ length: 10 }, (_, k) => `x${String(g).padStart(4, "0")}-${k}`)
    return {
      ...(base.groups[1] as (typeof base.groups)[number]),
      id: `g-x${String(g).padStart(4, "0")}`,
      members: ids.map((id, k) => member(id, { rank: k + 1, reasons: [`reason ${k}`] })),
      keeper: ids[0] as string
    }
  })
  const extra = groups.flatMap((group) =>
    group.members.map((m) => asset(m.assetId, { groupId: group.id, metrics: { liqe_mix: 3.25 } }))
  )
  return { ...base, groups: [...base.groups, ...groups], assets: [...extra, ...base.assets] }
}
