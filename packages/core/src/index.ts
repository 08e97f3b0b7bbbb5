/**
 * @albumsift/core: find duplicate and near-duplicate photos from metadata, and say which to keep.
 */
export * as Analysis from "./Analysis.js"
export * as SourceItem from "./SourceItem.js"
