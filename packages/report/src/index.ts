/**
 * @albumsift/report: HTML, CSV and JSON reports for an albumsift `Analysis`.
 */
export * as Csv from "./Csv.js"
export * as Html from "./Html.js"
export * as Json from "./Json.js"
export * as Metadata from "./Metadata.js"
export * as Report from "./Report.js"
export * as ReportError from "./ReportError.js"
export * as Thumbnails from "./Thumbnails.js"
