/**
 * @albumsift/report: HTML, CSV and JSON reports for an albumsift `Analysis`.
 */

export * as Csv from "./formats/Csv.js"
export * as Html from "./formats/Html.js"
export * as Json from "./formats/Json.js"
export * as Metadata from "./Metadata.js"
export * as Promise from "./Promise.js"
// Plain-Promise users: one function, no namespaces needed.
export { type WriteReportsOptions, writeReports } from "./Promise.js"
export * as Renderer from "./Renderer.js"
export * as Report from "./Report.js"
export * as ReportError from "./ReportError.js"
export * as Thumbnails from "./Thumbnails.js"
export * as Writer from "./Writer.js"
