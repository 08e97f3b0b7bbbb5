/**
 * @albumsift/core: find duplicate and near-duplicate photos from metadata, and say which to keep.
 *
 * Published: the two contracts (`InputAsset` in, `Analysis` out, with its registries), the sources
 * (`source/`), the pipeline and the Promise API. The engine's stages (shots, grouping, ranking,
 * quality) work on its private asset table, so they are not published: `Pipeline` runs them.
 */

// Plain-Promise users: one function and the result types, no namespaces needed.
export type {
  Analysis as AnalysisResult,
  AssetInfo,
  DecidedBy,
  DecisionsSummary,
  Evidence,
  Group,
  GroupKind,
  Member,
  MetricStats,
  QualityFlag,
  Recommendation,
  Rejected,
  ResolvedOptions,
  StaleDecision,
  Summary,
  TimezoneAnomaly
} from "./Analysis.js"
export * as Analysis from "./Analysis.js"
export { EVIDENCE, GROUP_KINDS, QUALITY_FLAGS, RECOMMENDATIONS, SCHEMA_VERSION } from "./Analysis.js"
export * as Asset from "./Asset.js"
export * as Apply from "./apply/Apply.js"
// The errors the Promise functions reject with, for `instanceof` without namespaces.
export { ApplyFailed, JournalMismatch } from "./apply/Apply.js"
export {
  applyPlan,
  type PlanActionsOptions,
  type PlannedActions,
  planActions,
  type RequestOptions,
  type ServerOptions,
  type UndoJournalOptions,
  undoJournal
} from "./apply/ApplyPromise.js"
export * as Journal from "./apply/Journal.js"
export { JournalError } from "./apply/Journal.js"
export * as Merge from "./apply/Merge.js"
export * as Plan from "./apply/Plan.js"
export * as ReportFile from "./apply/ReportFile.js"
export { ReportFileError } from "./apply/ReportFile.js"
export * as Decisions from "./Decisions.js"
export { DecisionsError } from "./Decisions.js"
export * as CaptureTime from "./engine/CaptureTime.js"
export * as Pipeline from "./engine/Pipeline.js"
export * as SharedAnalysis from "./engine/SharedAnalysis.js"
export * as FileFailure from "./FileFailure.js"
export * as InputAsset from "./InputAsset.js"
export type { AnalysisOptions } from "./Options.js"
export * as Options from "./Options.js"
export { InvalidOptions } from "./Options.js"
export * as Promise from "./Promise.js"
export {
  type AlbumsSource,
  analyzeAlbums,
  analyzeAssets,
  analyzeFile,
  InvalidInput,
  readDecisions
} from "./Promise.js"
export * as SourceItem from "./SourceItem.js"
export * as AlbumSource from "./source/AlbumSource.js"
export {
  AlbumChanged,
  AlbumNotFound,
  AuthenticationFailed,
  InvalidAlbumId,
  RequestRejected,
  SourceConfigError,
  SourceUnavailable,
  UnexpectedResponse
} from "./source/AlbumSource.js"
export * as Gumnut from "./source/Gumnut.js"
export * as Http from "./source/Http.js"
export * as Immich from "./source/Immich.js"
export * as ImmichAsset from "./source/ImmichAsset.js"
export * as JsonInput from "./source/JsonInput.js"
export { InputUnreadable, JsonInputError } from "./source/JsonInput.js"
export * as GumnutTarget from "./target/GumnutTarget.js"
export * as ImmichTarget from "./target/ImmichTarget.js"
export * as Target from "./target/Target.js"
export { TargetError } from "./target/Target.js"
