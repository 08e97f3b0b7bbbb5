/**
 * @albumsift/core: find duplicate and near-duplicate photos from metadata, and say which to keep.
 */

export * as AlbumSource from "./AlbumSource.js"
// Plain-Promise users: one function and the result types, no namespaces needed.
export type {
  Analysis as AnalysisResult,
  AssetInfo,
  Evidence,
  Group,
  GroupKind,
  Member,
  MetricStats,
  QualityFlag,
  Recommendation,
  Rejected,
  ResolvedOptions,
  Summary,
  TimezoneAnomaly
} from "./Analysis.js"
export * as Analysis from "./Analysis.js"
export { EVIDENCE, SCHEMA_VERSION } from "./Analysis.js"
export * as Asset from "./Asset.js"
export * as CaptureTime from "./CaptureTime.js"
export * as Grouping from "./Grouping.js"
export * as Gumnut from "./Gumnut.js"
export * as Http from "./Http.js"
export * as Immich from "./Immich.js"
export * as JsonInput from "./JsonInput.js"
export type { AnalysisOptions } from "./Options.js"
export * as Options from "./Options.js"
export { InvalidOptions } from "./Options.js"
export * as Pipeline from "./Pipeline.js"
export * as Promise from "./Promise.js"
export { type AlbumsSource, analyzeAlbums, analyzeAssets, analyzeFile } from "./Promise.js"
export * as Quality from "./Quality.js"
export * as Ranking from "./Ranking.js"
export * as Shots from "./Shots.js"
export * as SourceItem from "./SourceItem.js"
