/**
 * One raw item as a source yields it, before decoding.
 *
 * Sources (a JSON file, stdin, the Gumnut or Immich API) produce a `Stream` of these; the
 * pipeline decodes each `value` on its own, so one bad asset never spoils the album.
 */

/** A raw, undecoded asset with where it came from. */
export interface SourceItem {
  /** The parsed JSON value of one asset, not yet validated. */
  readonly value: unknown
  /** 0-based position within its input (within its album for server sources). */
  readonly index: number
  /** The album it was listed in, for server sources. */
  readonly album?: string
}
