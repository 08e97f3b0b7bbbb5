/**
 * The report formats, in one ordered registry: each format's name (as `--format` takes it), its file
 * name in the output folder, and its writer. A new format is its module in `formats/` plus one line here.
 *
 * @since 0.2.0
 */
import * as Csv from "./formats/Csv.js"
import * as Html from "./formats/Html.js"
import * as Json from "./formats/Json.js"
import type * as Writer from "./Writer.js"

/**
 * One report format.
 *
 * @since 0.2.0
 */
export interface Renderer {
  /** The name users pick it by, e.g. `csv`. */
  readonly format: string
  /** The file it is written to in the output folder. */
  readonly fileName: string
  readonly writer: (context: Writer.Context) => Writer.Writer
  /** Whether a file's first bytes (as text) are this format as albumsift writes it. */
  readonly isOwn: (head: string) => boolean
}

/**
 * Every format, in the order `report.json` records them.
 *
 * @since 0.2.0
 */
export const RENDERERS = [
  {
    format: "json",
    fileName: "report.json",
    writer: Json.writer,
    isOwn: (head: string) =>
      /^\{\s*"schema_version"/.test(head) && head.includes('"tool": {"name":"albumsift"')
  },
  {
    format: "csv",
    fileName: "report.csv",
    writer: Csv.writer,
    isOwn: (head: string) => head.replace(/^\uFEFF/, "").startsWith("asset_id,group_id,")
  },
  {
    format: "html",
    fileName: "report.html",
    writer: Html.writer,
    isOwn: (head: string) => head.includes('<meta name="generator" content="albumsift">')
  }
] as const satisfies ReadonlyArray<Renderer>

/**
 * A format's name.
 *
 * @since 0.2.0
 */
export type Format = (typeof RENDERERS)[number]["format"]

/**
 * Every format's name, in registry order.
 *
 * @since 0.2.0
 */
export const FORMATS: ReadonlyArray<Format> = RENDERERS.map((renderer) => renderer.format)

/**
 * True when `name` is a known format.
 *
 * @since 0.2.0
 */
export const isFormat = (name: string): name is Format => (FORMATS as ReadonlyArray<string>).includes(name)

/**
 * The renderers of the given formats, in registry order, each once.
 *
 * @since 0.2.0
 */
export const select = (formats: ReadonlyArray<Format>): ReadonlyArray<(typeof RENDERERS)[number]> =>
  RENDERERS.filter((renderer) => formats.includes(renderer.format))
