/**
 * Where albums come from: a server (Gumnut, Immich) that lists an album's assets as raw items.
 *
 * A source yields `SourceItem`s tagged with their album and leaves decoding to the pipeline, so one
 * bad asset never spoils a run. Every error a source can raise is listed here, each with a
 * one-line `message` fit to show a user: it names the service, the album and the server's detail,
 * and never the API key.
 */
import { Context, Effect, type Redacted, Schema, Stream } from "effect"
import type { SourceItem } from "../SourceItem.js"
import { isPathSafeId } from "./internal/sourceIds.js"

const where = (album: string | undefined) => (album === undefined ? "" : ` for album ${album}`)
const detailOf = (detail: string | undefined) => (detail === undefined || detail === "" ? "" : `: ${detail}`)

/** The server refused the API key (HTTP 401 or 403). Not retried. */
export class AuthenticationFailed extends Schema.TaggedError<AuthenticationFailed>()("AuthenticationFailed", {
  service: Schema.String,
  album: Schema.optional(Schema.String),
  status: Schema.Number,
  detail: Schema.optional(Schema.String),
  /** The variable holding the key, so the message can say what to check. */
  keyVariable: Schema.String
}) {
  override get message(): string {
    const what = this.status === 403 ? "denied access" : "rejected the API key"
    return `${this.service} ${what} (HTTP ${this.status})${where(this.album)}${detailOf(this.detail)}; check ${this.keyVariable}`
  }
}

/** The album does not exist, or is not visible with this key (HTTP 404, or Immich's 400). Not retried. */
export class AlbumNotFound extends Schema.TaggedError<AlbumNotFound>()("AlbumNotFound", {
  service: Schema.String,
  album: Schema.String,
  /** The status that said so, when not 404 (Immich answers 400 "Not found or no album.read access"). */
  status: Schema.optional(Schema.Number)
}) {
  override get message(): string {
    return `${this.service}: album ${this.album} not found (HTTP ${this.status ?? 404})`
  }
}

/** The server refused the request itself (HTTP 422 or another 4xx). Not retried. */
export class RequestRejected extends Schema.TaggedError<RequestRejected>()("RequestRejected", {
  service: Schema.String,
  album: Schema.optional(Schema.String),
  status: Schema.Number,
  detail: Schema.optional(Schema.String)
}) {
  override get message(): string {
    return `${this.service} rejected the request${where(this.album)} (HTTP ${this.status})${detailOf(this.detail)}`
  }
}

/** Every attempt failed (server errors, rate limits, timeouts, cut-off or non-JSON bodies). */
export class SourceUnavailable extends Schema.TaggedError<SourceUnavailable>()("SourceUnavailable", {
  service: Schema.String,
  album: Schema.optional(Schema.String),
  attempts: Schema.Number,
  status: Schema.optional(Schema.Number),
  /** The last attempt's failure, e.g. `HTTP 503 Service Unavailable: maintenance`. */
  detail: Schema.String
}) {
  override get message(): string {
    const tries = this.attempts === 1 ? "1 attempt" : `${this.attempts} attempts`
    return `${this.service}: could not read${this.album === undefined ? "" : ` album ${this.album}`} after ${tries}: ${this.detail}`
  }
}

/** A response had a shape albumsift cannot read (not a page, an item without an id to page on). */
export class UnexpectedResponse extends Schema.TaggedError<UnexpectedResponse>()("UnexpectedResponse", {
  service: Schema.String,
  album: Schema.optional(Schema.String),
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.service} sent an unexpected response${where(this.album)}: ${this.detail}`
  }
}

/**
 * A listing was re-read after a dropped connection and no longer starts with the assets already
 * read, so the two reads cannot be stitched together. Nothing partial is kept: run again.
 */
export class AlbumChanged extends Schema.TaggedError<AlbumChanged>()("AlbumChanged", {
  service: Schema.String,
  album: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.service}: album ${this.album} changed while it was being re-read after a failed attempt (${this.detail}); run again`
  }
}

/** The source is not configured (no API key, a base URL that is not a URL). */
export class SourceConfigError extends Schema.TaggedError<SourceConfigError>()("SourceConfigError", {
  service: Schema.String,
  detail: Schema.String,
  /**
   * A value the user gave cannot be used (a base URL that is not http(s), or carries a password):
   * a usage error, exit code 2 in the CLI. Absent for what is missing (no key).
   *
   * @since 0.2.0
   */
  usage: Schema.optional(Schema.Boolean)
}) {
  override get message(): string {
    return `${this.service}: ${this.detail}`
  }
}

/**
 * An album id that cannot be put in a URL (`..`, `a/b`, empty): refused before any request, so a
 * dot segment can never move a request (and its key) to another route. A usage error.
 *
 * @since 0.2.0
 */
export class InvalidAlbumId extends Schema.TaggedError<InvalidAlbumId>()("InvalidAlbumId", {
  service: Schema.String,
  album: Schema.String
}) {
  /** Always a usage error (exit code 2 in the CLI). */
  readonly usage = true
  override get message(): string {
    return `${this.service}: ${notAnAlbumId(this.album)}`
  }
}

/** Why `album` is refused as an album id (see `isAlbumId`). @since 0.2.0 */
export const notAnAlbumId = (album: string): string =>
  `${JSON.stringify(album.slice(0, 80))} is not an album id (ids are letters, digits, "_", "-", "." and "~", starting with a letter or digit)`

/** Any failure of a source. */
export type SourceError =
  | InvalidAlbumId
  | AuthenticationFailed
  | AlbumNotFound
  | RequestRejected
  | SourceUnavailable
  | UnexpectedResponse
  | AlbumChanged

/** Credentials for thumbnail downloads: headers for one origin (the shape the report's fetcher takes). */
export interface ThumbnailAuthorization {
  readonly origin: string
  readonly headers: Readonly<Record<string, Redacted.Redacted<string>>>
}

/** What a source offers. */
export interface Service {
  /** Short lower-case name, e.g. `gumnut`, `immich`. */
  readonly name: string
  /**
   * The base URL the source resolved and talks to (option, environment or default), for reports.
   * @since 0.2.0
   */
  readonly baseUrl?: string | undefined
  /** Every asset of one album, in server order, tagged with the album; indexes are per album. */
  readonly list: (album: string) => Stream.Stream<SourceItem, SourceError>
  /**
   * Present when thumbnail URLs need the key (Immich): the headers to send to `origin` only, so a
   * report can download and keep thumbnails beside itself (the key never goes into the HTML).
   * Absent when assets carry pre-signed thumbnail URLs (Gumnut), which must get no key.
   */
  readonly thumbnailAuthorization?: ThumbnailAuthorization | undefined
}

/** The album source in use. */
export class AlbumSource extends Context.Tag("@albumsift/core/AlbumSource")<AlbumSource, Service>() {}

/** Options for `listAlbums`. */
export interface ListOptions {
  /** How many albums are read at once (default 4). */
  readonly concurrency?: number | undefined
}

/** Whether an album id can go in a URL path (see `InvalidAlbumId`). @since 0.2.0 */
export const isAlbumId = (album: string): boolean => isPathSafeId(album)

/** `list`, refusing an album id that cannot go in a URL path before any request. */
export const checkedList =
  (service: string, list: (album: string) => Stream.Stream<SourceItem, SourceError>) =>
  (album: string): Stream.Stream<SourceItem, SourceError> =>
    isPathSafeId(album) ? list(album) : Stream.fail(new InvalidAlbumId({ service, album }))

/** The default number of albums read at once. */
export const DEFAULT_CONCURRENCY = 4

/**
 * Every asset of several albums, read with bounded concurrency. Items of different albums
 * interleave; each carries its album, so the pipeline records albums and analyses an asset that
 * is in two albums once. An album id given twice is read once.
 */
export const listAlbums = (
  albums: Iterable<string>,
  options?: ListOptions
): Stream.Stream<SourceItem, SourceError, AlbumSource> =>
  Stream.unwrap(
    Effect.map(AlbumSource, (source) =>
      Stream.mergeAll([...new Set(albums)].map(source.list), {
        concurrency: Math.max(1, options?.concurrency ?? DEFAULT_CONCURRENCY)
      })
    )
  )
